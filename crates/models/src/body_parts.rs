//! NudeNet's body-part detector (YOLOv8n, 320×320): whether a picture
//! shows a person (a face or a clothed body part) and whether it shows
//! nudity (exposed intimate parts), with the best score of each.

use bonafide_core::BodyParts;
use image::RgbImage;

use crate::{Filter, ModelError, Runtime, resize, runtime::Model};

/// The model's input side.
const SIDE: u32 = 320;

/// NudeNet 3.4's classes, in output order.
const LABELS: [&str; 18] = [
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
];

/// Exposed intimate parts: nudity.
const NUDITY: [&str; 5] = [
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
];

/// The detector.
#[derive(Debug)]
pub struct BodyPartDetector {
    model: Model,
}

impl BodyPartDetector {
    /// The model file.
    pub const FILE: &'static str = "nudenet-320n.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// What one picture shows, as NudeNet's own pipeline feeds it: padded
    /// to a square (right and bottom, black), resized to 320, RGB 0–1.
    pub fn detect(&self, img: &RgbImage) -> Result<BodyParts, ModelError> {
        let (w, h) = img.dimensions();
        let side = w.max(h);
        let mut square = RgbImage::new(side, side);
        image::imageops::replace(&mut square, img, 0, 0);
        let small = resize(&square, SIDE, SIDE, Filter::Bilinear);
        let plane = (SIDE * SIDE) as usize;
        let mut pixels = vec![0f32; 3 * plane];
        for (i, p) in small.pixels().enumerate() {
            for c in 0..3 {
                pixels[c * plane + i] = f32::from(p[c]) / 255.0;
            }
        }
        let input = self
            .model
            .floats(&[1, 3, SIDE as usize, SIDE as usize], pixels)?;
        let (shape, values) = self.model.run(vec![("images", input)], "output0")?;
        // [1, 4 + classes, anchors]: box, then one score per class.
        let anchors = shape.last().copied().unwrap_or(0) as usize;
        if anchors == 0 || values.len() != (4 + LABELS.len()) * anchors {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        let best = |label: &str| {
            let class = LABELS
                .iter()
                .position(|l| *l == label)
                .expect("a known label");
            values[(4 + class) * anchors..][..anchors]
                .iter()
                .copied()
                .fold(0.0f32, f32::max)
        };
        let person = LABELS
            .iter()
            .filter(|l| !NUDITY.contains(l))
            .map(|l| (*l, best(l)))
            .fold(("", 0.0f32), |a, b| if b.1 > a.1 { b } else { a });
        let nudity = NUDITY
            .iter()
            .map(|l| (*l, best(l)))
            .fold(("", 0.0f32), |a, b| if b.1 > a.1 { b } else { a });
        Ok(BodyParts {
            face: best("FACE_FEMALE").max(best("FACE_MALE")),
            person: person.1,
            person_part: person.0.to_lowercase(),
            nudity: nudity.1,
            nudity_part: nudity.0.to_lowercase(),
        })
    }
}
