use bonafide_core::codes;

/// Why an upload could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// No bytes.
    #[error("the file is empty")]
    Empty,
    /// Not a format we screen, or a variant of one we cannot read.
    #[error("unsupported media: {0}")]
    Unsupported(String),
    /// A supported format whose data is damaged or truncated.
    #[error("corrupt media: {0}")]
    Corrupt(String),
    /// Over a size limit.
    #[error("too large: {0}")]
    TooLarge(String),
    /// A video over the duration limit.
    #[error("too long: {0}")]
    TooLong(String),
    /// A document that needs a password.
    #[error("the document is password-protected")]
    Encrypted,
    /// Our own tooling failed (missing ffmpeg, I/O): retry, do not reject.
    #[error("decoder tooling failed: {0}")]
    Tool(String),
}

impl DecodeError {
    /// Every code [`DecodeError::code`] gives.
    pub const CODES: &'static [&'static str] = &[
        codes::MEDIA_EMPTY,
        codes::MEDIA_UNSUPPORTED,
        codes::MEDIA_CORRUPT,
        codes::MEDIA_TOO_LARGE,
        codes::MEDIA_TOO_LONG,
        codes::DOCUMENT_ENCRYPTED,
    ];

    /// The finding code for errors that describe the upload; `None` for
    /// [`DecodeError::Tool`], which describes us.
    pub fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Empty => codes::MEDIA_EMPTY,
            Self::Unsupported(_) => codes::MEDIA_UNSUPPORTED,
            Self::Corrupt(_) => codes::MEDIA_CORRUPT,
            Self::TooLarge(_) => codes::MEDIA_TOO_LARGE,
            Self::TooLong(_) => codes::MEDIA_TOO_LONG,
            Self::Encrypted => codes::DOCUMENT_ENCRYPTED,
            Self::Tool(_) => return None,
        })
    }
}
