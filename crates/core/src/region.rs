//! A rectangle of an upload's picture: where a copied part was found.

/// A rectangle in an upload's displayed pixels (EXIF orientation applied),
/// top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Region {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Region {
    /// The whole of a `w`×`h` picture.
    pub fn whole(w: u32, h: u32) -> Self {
        Self { x: 0, y: 0, w, h }
    }

    /// This rectangle of a picture scaled by `sx` across and `sy` down (a
    /// box found at a working scale, in the upload's pixels).
    pub fn scaled(&self, sx: f32, sy: f32) -> Self {
        Self {
            x: (self.x as f32 * sx).round() as u32,
            y: (self.y as f32 * sy).round() as u32,
            w: ((self.w as f32 * sx).round() as u32).max(1),
            h: ((self.h as f32 * sy).round() as u32).max(1),
        }
    }

    /// Whether this is the whole of a `w`×`h` picture.
    pub fn is_whole(&self, w: u32, h: u32) -> bool {
        *self == Self::whole(w, h)
    }
}
