//! The eight rotations and flips of an image, from its DCT alone.
//!
//! Flipping an image negates its odd DCT basis functions and transposing it
//! transposes the coefficient block, so each orientation's hash is a sign
//! pattern and maybe a transpose away (reference: `dct16OriginalTo*`).

/// An orientation of the original image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dihedral {
    /// As given.
    Original,
    /// Rotated 90°.
    Rotate90,
    /// Rotated 180°.
    Rotate180,
    /// Rotated 270°.
    Rotate270,
    /// Mirrored about the horizontal axis (top–bottom).
    FlipX,
    /// Mirrored about the vertical axis (left–right, a selfie mirror).
    FlipY,
    /// Transposed about the main diagonal.
    FlipPlus1,
    /// Transposed about the anti-diagonal.
    FlipMinus1,
}

impl Dihedral {
    /// All eight, original first (the reference's output order).
    pub const ALL: [Dihedral; 8] = [
        Self::Original,
        Self::Rotate90,
        Self::Rotate180,
        Self::Rotate270,
        Self::FlipX,
        Self::FlipY,
        Self::FlipPlus1,
        Self::FlipMinus1,
    ];

    /// Stable snake_case name, used in evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Rotate90 => "rotate_90",
            Self::Rotate180 => "rotate_180",
            Self::Rotate270 => "rotate_270",
            Self::FlipX => "flip_x",
            Self::FlipY => "flip_y",
            Self::FlipPlus1 => "flip_plus_1",
            Self::FlipMinus1 => "flip_minus_1",
        }
    }

    /// The DCT block of the image in this orientation.
    pub(crate) fn apply(self, a: &[[f32; 16]; 16]) -> [[f32; 16]; 16] {
        let mut b = [[0f32; 16]; 16];
        for i in 0..16 {
            for j in 0..16 {
                let v = a[i][j];
                let neg = |odd: bool| if odd { v } else { -v };
                match self {
                    Self::Original => b[i][j] = v,
                    Self::Rotate90 => b[j][i] = neg(j & 1 == 1),
                    Self::Rotate180 => b[i][j] = if (i + j) & 1 == 1 { -v } else { v },
                    Self::Rotate270 => b[j][i] = neg(i & 1 == 1),
                    Self::FlipX => b[i][j] = neg(i & 1 == 1),
                    Self::FlipY => b[i][j] = neg(j & 1 == 1),
                    Self::FlipPlus1 => b[j][i] = v,
                    Self::FlipMinus1 => b[j][i] = if (i + j) & 1 == 1 { -v } else { v },
                }
            }
        }
        b
    }
}
