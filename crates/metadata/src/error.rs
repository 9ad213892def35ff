use thiserror::Error;

/// Metadata that is present but cannot be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// The EXIF block is malformed.
    #[error("unreadable EXIF: {0}")]
    Exif(String),
    /// The XMP packet is not well-formed.
    #[error("unreadable XMP: {0}")]
    Xmp(String),
}
