//! The CLIP ViT-B/16 image tower: pictures to points in CLIP's image space.
//!
//! Preprocessing is CLIP's own (and what the reference script
//! `scripts/clip-reference` does with Pillow): shortest side resized to 224
//! with bicubic filtering, centre crop 224×224, CLIP's per-channel mean and
//! standard deviation.

use bonafide_core::Embedding;
use image::RgbImage;

use crate::{Filter, ModelError, Runtime, SquareInput, runtime::Model};

/// Width and height of the model's input.
pub const CLIP_INPUT_SIDE: u32 = 224;

/// CLIP's preprocessing.
const INPUT: SquareInput = SquareInput {
    resize_short: CLIP_INPUT_SIDE,
    side: CLIP_INPUT_SIDE,
    filter: Filter::Bicubic,
    mean: [0.481_454_66, 0.457_827_5, 0.408_210_73],
    std: [0.268_629_54, 0.261_302_6, 0.275_777_1],
};

/// CLIP's image encoder, loaded once and shared.
#[derive(Debug)]
pub struct ClipImageEncoder {
    model: Model,
}

impl ClipImageEncoder {
    /// The model file this needs.
    pub const FILE: &'static str = "clip-vit-b16-image.onnx";

    /// Loads the model from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        Ok(Self {
            model: runtime.model(Self::FILE)?,
        })
    }

    /// Embeds `images`, in order, one inference each: the int8 model
    /// quantises activations with one scale over its whole input, so an
    /// image embedded in a batch comes out different (cosine ≈ 0.98 to the
    /// same image alone) depending on its batch mates — and an upload's
    /// embedding must not depend on what else was screened with it.
    pub fn embed(&self, images: &[&RgbImage]) -> Result<Vec<Embedding>, ModelError> {
        images.iter().map(|img| self.embed_one(img)).collect()
    }

    /// Embeds `images` in one inference. Faster per image, but each result
    /// depends on its batch mates (see [`ClipImageEncoder::embed`]); kept
    /// for `bonafide-lab bench models`, which measures both.
    pub fn embed_batch(&self, images: &[&RgbImage]) -> Result<Vec<Embedding>, ModelError> {
        if images.is_empty() {
            return Ok(Vec::new());
        }
        let mut pixels = Vec::with_capacity(images.len() * INPUT.len());
        for img in images {
            INPUT.push(img, &mut pixels);
        }
        let side = CLIP_INPUT_SIDE as usize;
        let input = self.model.floats(&[images.len(), 3, side, side], pixels)?;
        let (shape, values) = self
            .model
            .run(vec![("pixel_values", input)], "image_embeds")?;
        let dim = shape.last().copied().unwrap_or(0) as usize;
        if dim == 0 || values.len() != dim * images.len() {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        Ok(values
            .chunks_exact(dim)
            .map(|v| Embedding::normalized(v.to_vec()))
            .collect())
    }

    fn embed_one(&self, img: &RgbImage) -> Result<Embedding, ModelError> {
        let mut pixels = Vec::with_capacity(INPUT.len());
        INPUT.push(img, &mut pixels);
        let side = CLIP_INPUT_SIDE as usize;
        let input = self.model.floats(&[1, 3, side, side], pixels)?;
        let (shape, values) = self
            .model
            .run(vec![("pixel_values", input)], "image_embeds")?;
        if shape.last().copied().unwrap_or(0) as usize != values.len() || values.is_empty() {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        Ok(Embedding::normalized(values))
    }
}
