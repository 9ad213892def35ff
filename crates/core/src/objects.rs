//! Objects an object detector found in a picture.

use crate::Region;

/// One object found in a picture: its COCO name, how sure the detector is,
/// and where it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeenObject {
    /// The COCO category name ("person", "dog", "dining table").
    pub label: &'static str,
    /// The detector's score, 0–1.
    pub score: f32,
    /// The box, in the picture's pixels (EXIF orientation applied).
    pub region: Region,
}

/// Every object found in one picture, best first.
pub type SeenObjects = Vec<SeenObject>;
