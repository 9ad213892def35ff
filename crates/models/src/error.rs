use std::path::PathBuf;

/// Why a model cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file is not installed.
    #[error(
        "model file {file} is not in {dir}: install the models with `{}`",
        crate::INSTALL_COMMAND
    )]
    Missing {
        /// The manifest's file name.
        file: &'static str,
        /// The folder looked in.
        dir: PathBuf,
    },
    /// ONNX Runtime's library could not be loaded.
    #[error("cannot load ONNX Runtime from {path}: {reason}")]
    Runtime {
        /// The library.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A model could not be loaded or run.
    #[error("model {file}: {reason}")]
    Inference {
        /// The manifest's file name.
        file: &'static str,
        /// ONNX Runtime's message.
        reason: String,
    },
}
