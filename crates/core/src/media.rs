use serde::{Deserialize, Serialize};

/// The broad kind of a piece of media; tasks allow kinds and detectors declare
/// which kinds they look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A still image.
    Image,
    /// A video clip (animated GIF/WebP stay images).
    Video,
    /// A document such as a PDF.
    Document,
}

impl MediaKind {
    /// Stable lower-case name, as stored and as used in task definitions.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Document => "document",
        }
    }
}

/// A concrete container format, identified from the file's magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaType {
    /// JPEG / JFIF / EXIF JPEG.
    Jpeg,
    /// PNG (also APNG).
    Png,
    /// WebP, still or animated.
    Webp,
    /// HEIC / HEIF (and AVIF, which shares the container).
    Heif,
    /// GIF.
    Gif,
    /// TIFF (also most camera raw files, which are TIFF-based).
    Tiff,
    /// Windows bitmap.
    Bmp,
    /// ISO base media MP4.
    Mp4,
    /// QuickTime MOV.
    Mov,
    /// AVI (older cameras and phones).
    Avi,
    /// WebM (Matroska subset).
    Webm,
    /// Matroska.
    Mkv,
    /// PDF document.
    Pdf,
    /// Anything else: not screened.
    Unknown,
}

impl MediaType {
    /// The kind this format carries, or `None` for [`MediaType::Unknown`].
    pub fn kind(self) -> Option<MediaKind> {
        use MediaType::*;
        match self {
            Jpeg | Png | Webp | Heif | Gif | Tiff | Bmp => Some(MediaKind::Image),
            Mp4 | Mov | Avi | Webm | Mkv => Some(MediaKind::Video),
            Pdf => Some(MediaKind::Document),
            Unknown => None,
        }
    }

    /// The canonical MIME type.
    pub fn mime(self) -> &'static str {
        use MediaType::*;
        match self {
            Jpeg => "image/jpeg",
            Png => "image/png",
            Webp => "image/webp",
            Heif => "image/heif",
            Gif => "image/gif",
            Tiff => "image/tiff",
            Bmp => "image/bmp",
            Mp4 => "video/mp4",
            Mov => "video/quicktime",
            Avi => "video/x-msvideo",
            Webm => "video/webm",
            Mkv => "video/x-matroska",
            Pdf => "application/pdf",
            Unknown => "application/octet-stream",
        }
    }

    /// Maps a MIME type back to a format (aliases included).
    pub fn from_mime(mime: &str) -> Self {
        use MediaType::*;
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Jpeg,
            "image/png" | "image/apng" => Png,
            "image/webp" => Webp,
            "image/heif"
            | "image/heic"
            | "image/heif-sequence"
            | "image/heic-sequence"
            | "image/avif" => Heif,
            "image/gif" => Gif,
            "image/tiff" => Tiff,
            "image/bmp" | "image/x-ms-bmp" => Bmp,
            "video/mp4" | "audio/mp4" => Mp4,
            "video/quicktime" => Mov,
            "video/x-msvideo" | "video/avi" => Avi,
            "video/webm" => Webm,
            "video/x-matroska" => Mkv,
            "application/pdf" => Pdf,
            _ => Unknown,
        }
    }

    /// Maps a file extension (without the dot, any case) to the format it
    /// normally names.
    pub fn from_extension(ext: &str) -> Self {
        use MediaType::*;
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" | "jpe" | "jfif" => Jpeg,
            "png" | "apng" => Png,
            "webp" => Webp,
            "heic" | "heif" | "hif" | "avif" => Heif,
            "gif" => Gif,
            "tif" | "tiff" | "dng" => Tiff,
            "bmp" => Bmp,
            "mp4" | "m4v" => Mp4,
            "mov" | "qt" => Mov,
            "avi" => Avi,
            "webm" => Webm,
            "mkv" => Mkv,
            "pdf" => Pdf,
            _ => Unknown,
        }
    }
}
