//! all-MiniLM-L6-v2 sentence embeddings: short texts (task instructions,
//! concept names) to unit vectors whose cosine says how related they are.

use bonafide_core::Embedding;

use crate::{ModelError, Runtime, WordPiece, runtime::Model};

/// Longest input in tokens (the model was trained on at most 256).
const MAX_TOKENS: usize = 256;

/// The sentence encoder with its vocabulary.
#[derive(Debug)]
pub struct SentenceEncoder {
    model: Model,
    vocab: WordPiece,
}

impl SentenceEncoder {
    /// The model file.
    pub const FILE: &'static str = "minilm-l6-v2.onnx";
    /// Its WordPiece vocabulary.
    pub const VOCAB: &'static str = "minilm-vocab.txt";

    /// Loads the model and its vocabulary from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        let model = runtime.model(Self::FILE)?;
        let vocab = WordPiece::new(&runtime.text(Self::VOCAB)?)
            .ok_or_else(|| model.error(&"the vocabulary lacks [UNK], [CLS] or [SEP]"))?;
        Ok(Self { model, vocab })
    }

    /// The token ids the model sees for `text`.
    pub fn tokens(&self, text: &str) -> Vec<i64> {
        self.vocab.encode(text, MAX_TOKENS)
    }

    /// Embeds `texts` in one batch (padded to the longest), in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, ModelError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encoded: Vec<Vec<i64>> = texts.iter().map(|t| self.tokens(t)).collect();
        let len = encoded.iter().map(Vec::len).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(texts.len() * len);
        let mut mask = Vec::with_capacity(texts.len() * len);
        for e in &encoded {
            ids.extend(
                e.iter()
                    .copied()
                    .chain(std::iter::repeat_n(0, len - e.len())),
            );
            mask.extend((0..len).map(|i| i64::from(i < e.len())));
        }
        let shape = [texts.len(), len];
        let inputs = vec![
            ("input_ids", self.model.ints(&shape, ids)?),
            ("attention_mask", self.model.ints(&shape, mask)?),
        ];
        let (shape, values) = self.model.run(inputs, "sentence_embedding")?;
        let dim = shape.last().copied().unwrap_or(0) as usize;
        if dim == 0 || values.len() != dim * texts.len() {
            return Err(self
                .model
                .error(&format!("unexpected output shape {shape:?}")));
        }
        Ok(values
            .chunks_exact(dim)
            .map(|v| Embedding::normalized(v.to_vec()))
            .collect())
    }
}
