//! The pose estimator: MoveNet SinglePose Lightning (TensorFlow Hub,
//! float16 TFLite; converted by `scripts/models`). It reads one person's
//! 17 keypoints from a 192×192 picture of that person; a picture with
//! several people is read box by box, each box from the object detector.

use bonafide_core::{Keypoint, Pose, Region};
use image::RgbImage;

use crate::{Filter, ModelError, Runtime, resize, runtime::Model};

/// The model's input side.
const SIDE: u32 = 192;
/// The graph's input and output (tf2onnx keeps the TFLite names).
const INPUT: &str = "serving_default_input:0";
const OUTPUT: &str = "StatefulPartitionedCall:0";
/// A person's box is widened by this much to the square the model reads,
/// so hands and feet at its edges stay inside.
const MARGIN: f32 = 1.2;

/// The estimator, loaded once and shared.
#[derive(Debug)]
pub struct PoseEstimator {
    model: Model,
}

impl PoseEstimator {
    /// The model file (`scripts/models` converts it).
    pub const FILE: &'static str = "movenet-lightning.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// The pose of the person in `person`'s box of `img`, keypoints in
    /// `img`'s pixels. The model reads a square centred on the box, black
    /// where it runs past the picture's edge.
    pub fn estimate(&self, img: &RgbImage, person: Region) -> Result<Pose, ModelError> {
        let square = Square::around(person);
        let crop = square.cut(img);
        let input = resize(&crop, SIDE, SIDE, Filter::Bilinear);
        let tensor = self
            .model
            .bytes(&[1, SIDE as usize, SIDE as usize, 3], input.into_raw())?;
        let (shape, values) = self.model.run(vec![(INPUT, tensor)], OUTPUT)?;
        // [1, 1, 17, 3]: y and x as fractions of the square, then score.
        if values.len() != 17 * 3 {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        let keypoints = values
            .chunks_exact(3)
            .map(|k| Keypoint {
                x: square.x + k[1] * square.side,
                y: square.y + k[0] * square.side,
                score: k[2],
            })
            .collect();
        Ok(Pose { person, keypoints })
    }
}

/// The square a person is read in, in the picture's pixels (it may run
/// past the picture's edges).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Square {
    x: f32,
    y: f32,
    side: f32,
}

impl Square {
    /// The square centred on `person`'s box, its longer side widened by
    /// [`MARGIN`].
    fn around(person: Region) -> Self {
        let side = person.w.max(person.h).max(1) as f32 * MARGIN;
        let cx = person.x as f32 + person.w as f32 / 2.0;
        let cy = person.y as f32 + person.h as f32 / 2.0;
        Self {
            x: cx - side / 2.0,
            y: cy - side / 2.0,
            side,
        }
    }

    /// The square's pixels of `img`, black outside it.
    fn cut(&self, img: &RgbImage) -> RgbImage {
        let side = self.side.round().max(1.0) as u32;
        let (x, y) = (self.x.round() as i64, self.y.round() as i64);
        let mut out = RgbImage::new(side, side);
        image::imageops::replace(&mut out, img, -x, -y);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_square_centred_on_the_person() {
        let s = Square::around(Region {
            x: 100,
            y: 50,
            w: 40,
            h: 100,
        });
        let near = |a: f32, b: f32| (a - b).abs() < 1e-3;
        assert!(
            near(s.x, 60.0) && near(s.y, 40.0) && near(s.side, 120.0),
            "{s:?}"
        );
        // Past the picture's edge the square is black; inside, the picture.
        let mut img = RgbImage::from_pixel(200, 200, image::Rgb([200, 100, 50]));
        img.put_pixel(60, 40, image::Rgb([1, 2, 3]));
        let corner = Square {
            x: -10.0,
            y: -10.0,
            side: 30.0,
        };
        let cut = corner.cut(&img);
        assert_eq!(cut.dimensions(), (30, 30));
        assert_eq!(cut.get_pixel(0, 0).0, [0, 0, 0]);
        assert_eq!(cut.get_pixel(15, 15).0, [200, 100, 50]);
        assert_eq!(s.cut(&img).get_pixel(0, 0).0, [1, 2, 3]);
    }
}
