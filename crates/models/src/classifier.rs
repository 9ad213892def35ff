//! An ImageNet-1k classifier (torchvision's MobileNetV2): what a picture
//! shows, as probabilities over 1000 everyday concepts.

use image::RgbImage;

use crate::{Filter, ModelError, Runtime, SquareInput, runtime::Model};

/// torchvision's classification preprocessing.
const INPUT: SquareInput = SquareInput {
    resize_short: 256,
    side: 224,
    filter: Filter::Bilinear,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
};

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
    pub const FILE: &'static str = "mobilenet-v2-imagenet.onnx";
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

    /// Class probabilities (summing to 1) for each picture, in one batch.
    pub fn probabilities(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>, ModelError> {
        if images.is_empty() {
            return Ok(Vec::new());
        }
        let mut pixels = Vec::with_capacity(images.len() * INPUT.len());
        for img in images {
            INPUT.push(img, &mut pixels);
        }
        let side = INPUT.side as usize;
        let input = self.model.floats(&[images.len(), 3, side, side], pixels)?;
        let (_, values) = self
            .model
            .run(vec![("pixel_values", input)], "probabilities")?;
        if values.len() != images.len() * self.concepts.len() {
            return Err(self.model.error(&"unexpected output size"));
        }
        Ok(values
            .chunks_exact(self.concepts.len())
            .map(<[f32]>::to_vec)
            .collect())
    }
}
