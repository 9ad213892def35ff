use serde::{Deserialize, Serialize};

use crate::MediaKind;

/// Where an upload is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UploadState {
    /// Committed and queued for screening.
    Received,
    /// A worker holds it.
    Processing,
    /// Screened; a verdict exists.
    Decided,
    /// Screening failed on every retry (dead letter); needs an operator.
    Failed,
}

impl UploadState {
    /// Stable lower-case name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Processing => "processing",
            Self::Decided => "decided",
            Self::Failed => "failed",
        }
    }

    /// Parses [`UploadState::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "received" => Some(Self::Received),
            "processing" => Some(Self::Processing),
            "decided" => Some(Self::Decided),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// What the screening pipeline knows about an upload besides its bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadMeta {
    /// Upload id (UUIDv7 text).
    pub id: String,
    /// The tenant of the client that sent it ([`crate::DEFAULT_TENANT`]
    /// without one): it is matched and linked only within its tenant.
    pub tenant: String,
    /// Who sent it.
    pub contributor_id: String,
    /// Their name as the client app knows it, compared with the author or
    /// owner a file names.
    pub contributor_name: Option<String>,
    /// The device the client app reported, if any.
    pub device_id: Option<String>,
    /// The device's maker as its OS reports it (e.g. `Apple`, `samsung`).
    pub device_make: Option<String>,
    /// The device's model as its OS reports it (e.g. `iPhone 14 Pro`,
    /// `SM-S911B`).
    pub device_model: Option<String>,
    /// The client's IP address as the app saw it.
    pub client_ip: Option<String>,
    /// SHA-256 of the contributor's payout account (never the account).
    pub payout_hash: Option<String>,
    /// The task this upload answers, if any.
    pub task_id: Option<String>,
    /// Capture time the app declared (Unix ms).
    pub declared_capture_at: Option<i64>,
    /// The client's file name, if given.
    pub file_name: Option<String>,
    /// The client's claimed content type, if given.
    pub claimed_type: Option<String>,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// When it was committed (Unix ms).
    pub created_at: i64,
}

impl UploadMeta {
    /// Whether the upload `id`, accepted at `created_at` (Unix ms), came
    /// before this one — ties broken by id, so index matches do not depend
    /// on which worker finished first.
    pub fn follows(&self, created_at: i64, id: &str) -> bool {
        (created_at, id) < (self.created_at, self.id.as_str())
    }
}

/// A job contributors are paid for, e.g. "a video of yourself taking out the trash".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Task {
    /// Stable id chosen by the integrator.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The instructions shown to contributors.
    pub instructions: String,
    /// Media kinds an answer may have; empty means any.
    pub allowed_kinds: Vec<MediaKind>,
    /// Hard requirements checked on every answer.
    #[serde(default)]
    pub requirements: TaskRequirements,
}

/// Measurable requirements of a task.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct TaskRequirements {
    /// Shortest side in pixels, for images and videos.
    pub min_short_side: Option<u32>,
    /// Minimum video duration in milliseconds.
    pub min_duration_ms: Option<u64>,
    /// Maximum video duration in milliseconds.
    pub max_duration_ms: Option<u64>,
    /// Answers must be camera captures: a photo without camera metadata
    /// (make, model, capture time) is flagged.
    pub camera_capture: bool,
    /// Answers must be captured at most this many days before upload
    /// ("record today" is 1): older capture dates are flagged.
    pub captured_within_days: Option<u32>,
    /// Photos and videos must be this way round.
    pub orientation: Option<Orientation>,
    /// Answers must show a person (a face or a body part, by the body-part
    /// detector).
    pub shows_person: bool,
    /// Answers are documents: a PDF needs a text layer, a photo lines of
    /// text the OCR detector finds.
    pub readable_text: bool,
    /// Words for what answers must show ("dog", "trash can"), each a COCO
    /// object or an ImageNet concept (checked when the task is saved).
    pub must_show: Vec<String>,
    /// Words for what answers must not show.
    pub must_not_show: Vec<String>,
    /// How many people answers show.
    pub person_count: Option<PersonCount>,
}

/// A range of people in the picture, either end open.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct PersonCount {
    /// At least this many.
    pub min: Option<u32>,
    /// At most this many.
    pub max: Option<u32>,
}

impl PersonCount {
    /// Whether `n` people are in the range.
    pub fn allows(&self, n: u32) -> bool {
        self.min.is_none_or(|m| n >= m) && self.max.is_none_or(|m| n <= m)
    }

    /// The range in words ("1", "2–4", "at least 1", "at most 3").
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "any number".into(),
        }
    }
}

/// Which way round a picture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Wider than tall.
    Landscape,
    /// Taller than wide.
    Portrait,
    /// As wide as tall (within 5 %).
    Square,
}

impl Orientation {
    /// The orientation of a `width × height` picture.
    pub fn of(width: u32, height: u32) -> Self {
        let (w, h) = (f64::from(width), f64::from(height));
        if (w - h).abs() <= 0.05 * w.max(h) {
            Orientation::Square
        } else if w > h {
            Orientation::Landscape
        } else {
            Orientation::Portrait
        }
    }

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::Landscape => "landscape",
            Orientation::Portrait => "portrait",
            Orientation::Square => "square",
        }
    }
}

/// Whether an exemplar shows what a task's answers should look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemplarLabel {
    /// What answers should look like.
    Positive,
    /// What answers must not look like.
    Negative,
}

impl ExemplarLabel {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExemplarLabel::Positive => "positive",
            ExemplarLabel::Negative => "negative",
        }
    }

    /// From [`ExemplarLabel::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "positive" => Some(ExemplarLabel::Positive),
            "negative" => Some(ExemplarLabel::Negative),
            _ => None,
        }
    }
}

/// An example upload of a task, with its image embedding.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskExemplar {
    /// The upload.
    pub upload_id: String,
    /// Positive or negative.
    pub label: ExemplarLabel,
    /// Its image embedding.
    pub embedding: crate::Embedding,
}
