//! The COCO object detector: SSD MobileNet-V2 from the TF model zoo
//! (2018-03-29), cut by `scripts/models` between its preprocessing and its
//! non-maximum suppression. The graph takes one 300×300 picture scaled to
//! [-1, 1] and returns, for each of its 1 917 anchor boxes, the decoded box
//! and a sigmoid score per COCO category; the suppression the TF graph
//! ends with is done here (per category, as the zoo's config: IoU 0.6).

use bonafide_core::{Region, SeenObject, SeenObjects};
use image::RgbImage;

use crate::{Filter, ModelError, Runtime, coco::LABELS, resize, runtime::Model};

/// The model's input side.
const SIDE: u32 = 300;
/// The graph's input and outputs (tf2onnx keeps TensorFlow's names).
const INPUT: &str = "Preprocessor/sub:0";
const SCORES: &str = "Postprocessor/convert_scores:0";
const BOXES: &str = "Postprocessor/ExpandDims_1:0";
/// Boxes overlapping a better one of the same category by more than this
/// are the same object (the zoo's `iou_threshold`).
const SAME_OBJECT_IOU: f32 = 0.6;
/// Objects scored below this are not reported: on our photos the
/// detector's scores above it name what is there (docs/BENCHMARKS.md).
pub const MIN_OBJECT_SCORE: f32 = 0.3;
/// At most this many objects per picture (the zoo's `max_total_detections`).
const MAX_OBJECTS: usize = 100;

/// The detector, loaded once and shared.
#[derive(Debug)]
pub struct ObjectDetector {
    model: Model,
}

impl ObjectDetector {
    /// The model file (`scripts/models` converts it).
    pub const FILE: &'static str = "ssd-mobilenet-v2-coco.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// The objects in `img` scored at least [`MIN_OBJECT_SCORE`], best
    /// first, with boxes in `img`'s pixels.
    pub fn detect(&self, img: &RgbImage) -> Result<SeenObjects, ModelError> {
        let (w, h) = img.dimensions();
        let input = resize(img, SIDE, SIDE, Filter::Bilinear);
        let pixels: Vec<f32> = input
            .as_raw()
            .iter()
            .map(|&p| f32::from(p) * (2.0 / 255.0) - 1.0)
            .collect();
        let tensor = self
            .model
            .floats(&[1, SIDE as usize, SIDE as usize, 3], pixels)?;
        let mut outputs = self
            .model
            .run_outputs(vec![(INPUT, tensor)], &[SCORES, BOXES])?;
        let (_, boxes) = outputs.pop().unwrap_or_default();
        let (score_shape, scores) = outputs.pop().unwrap_or_default();
        let classes = LABELS.len();
        if score_shape.last().copied() != Some(classes as i64)
            || scores.len() % classes != 0
            || boxes.len() != scores.len() / classes * 4
        {
            return Err(self
                .model
                .error(&format!("unexpected output shape {score_shape:?}")));
        }
        let anchors: Vec<[f32; 4]> = boxes
            .chunks_exact(4)
            .map(|b| [b[0], b[1], b[2], b[3]])
            .collect();
        let mut found = Vec::new();
        for (class, label) in LABELS.iter().enumerate().skip(1) {
            if label.is_empty() {
                continue;
            }
            let candidates: Vec<(f32, [f32; 4])> = scores
                .chunks_exact(classes)
                .zip(&anchors)
                .filter(|(s, _)| s[class] >= MIN_OBJECT_SCORE)
                .map(|(s, b)| (s[class], *b))
                .collect();
            for (score, b) in suppress(candidates) {
                found.push(SeenObject {
                    label,
                    score,
                    region: to_region(b, w, h),
                });
            }
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found.truncate(MAX_OBJECTS);
        Ok(found)
    }
}

/// Greedy non-maximum suppression: the best box, then each next box that
/// does not overlap a kept one by more than [`SAME_OBJECT_IOU`].
fn suppress(mut candidates: Vec<(f32, [f32; 4])>) -> Vec<(f32, [f32; 4])> {
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut kept: Vec<(f32, [f32; 4])> = Vec::new();
    for c in candidates {
        if kept.iter().all(|k| iou(&k.1, &c.1) <= SAME_OBJECT_IOU) {
            kept.push(c);
        }
    }
    kept
}

/// Intersection over union of two `[ymin, xmin, ymax, xmax]` boxes.
fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let ih = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let iw = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let inter = ih * iw;
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// A normalised `[ymin, xmin, ymax, xmax]` box in a `w`×`h` picture's
/// pixels, clamped to it.
fn to_region(b: [f32; 4], w: u32, h: u32) -> Region {
    let px = |v: f32, side: u32| (v.clamp(0.0, 1.0) * side as f32).round() as u32;
    let (x0, y0) = (px(b[1], w), px(b[0], h));
    let (x1, y1) = (px(b[3], w), px(b[2], h));
    Region {
        x: x0.min(w.saturating_sub(1)),
        y: y0.min(h.saturating_sub(1)),
        w: x1.saturating_sub(x0).max(1),
        h: y1.saturating_sub(y0).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_boxes_of_one_object_are_kept_once() {
        let kept = suppress(vec![
            (0.5, [0.1, 0.1, 0.5, 0.5]),
            (0.9, [0.12, 0.1, 0.5, 0.52]),
            (0.7, [0.6, 0.6, 0.9, 0.9]),
        ]);
        let scores: Vec<f32> = kept.iter().map(|k| k.0).collect();
        assert_eq!(scores, vec![0.9, 0.7]);
    }

    #[test]
    fn boxes_map_to_pixels_inside_the_picture() {
        let r = to_region([0.25, -0.1, 1.2, 0.5], 640, 480);
        assert_eq!(
            r,
            Region {
                x: 0,
                y: 120,
                w: 320,
                h: 360
            }
        );
    }
}
