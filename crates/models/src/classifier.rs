//! An ImageNet-1k classifier (EfficientNet-Lite3, int8, from TensorFlow's
//! model garden; converted from TFLite by `scripts/models`): what a
//! picture shows, as probabilities over 1000 everyday concepts. It takes
//! 8-bit pixels and normalises them in its graph; its batch is one picture.

use image::RgbImage;

use crate::{Filter, ModelError, Runtime, SquareInput, runtime::Model};

/// EfficientNet's evaluation crop: the centre 280/(280 + 32) of the short
/// side, bicubic. Only the square is used (the graph normalises the
/// 8-bit pixels itself).
const INPUT: SquareInput = SquareInput {
    resize_short: 312,
    side: 280,
    filter: Filter::Bicubic,
    mean: [0.0; 3],
    std: [1.0; 3],
};
/// The graph's input and output (tf2onnx keeps the TFLite names).
const PIXELS: &str = "images";
const PROBABILITIES: &str = "Softmax";

/// The classifier with its classes.
#[derive(Debug)]
pub struct ImageNetClassifier {
    model: Model,
    concepts: Vec<Concept>,
}

/// One class: what it is called and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concept {
    /// Short name for people ("ashcan").
    pub name: String,
    /// Every WordNet lemma ("ashcan, trash can, garbage can, …").
    pub lemmas: String,
    /// WordNet's definition ("a bin that holds rubbish until it is collected").
    pub definition: String,
}

impl Concept {
    fn parse(line: &str) -> Option<Self> {
        let mut cols = line.split('\t');
        Some(Self {
            name: cols.next()?.to_owned(),
            lemmas: cols.next()?.to_owned(),
            definition: cols.next()?.to_owned(),
        })
    }

    /// The text its meaning is embedded from: lemmas and definition (the
    /// lemmas alone when it has none).
    pub fn description(&self) -> String {
        if self.definition.is_empty() {
            self.lemmas.clone()
        } else {
            format!("{}: {}", self.lemmas, self.definition)
        }
    }
}

impl ImageNetClassifier {
    /// The model file.
    pub const FILE: &'static str = "efficientnet-lite3-imagenet.onnx";
    /// Its classes in index order, one per line: display name, WordNet
    /// lemmas and definition, tab-separated.
    pub const CONCEPTS: &'static str = "imagenet-concepts.tsv";

    /// Loads the model and its classes from the runtime's folder.
    pub fn load(runtime: &Runtime) -> Result<Self, ModelError> {
        let model = runtime.model(Self::FILE)?;
        let concepts: Vec<Concept> = runtime
            .text(Self::CONCEPTS)?
            .lines()
            .filter_map(Concept::parse)
            .collect();
        if concepts.len() != 1000 {
            return Err(model.error(&format!(
                "{} lists {} classes",
                Self::CONCEPTS,
                concepts.len()
            )));
        }
        Ok(Self { model, concepts })
    }

    /// The classes, in index order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// Class probabilities (summing to 1) for each picture.
    pub fn probabilities(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>, ModelError> {
        let side = INPUT.side as usize;
        images
            .iter()
            .map(|img| {
                let pixels = INPUT.square(img).into_raw();
                let input = self.model.bytes(&[1, side, side, 3], pixels)?;
                let (_, values) = self.model.run(vec![(PIXELS, input)], PROBABILITIES)?;
                if values.len() != self.concepts.len() {
                    return Err(self.model.error(&"unexpected output size"));
                }
                Ok(values)
            })
            .collect()
    }
}
