//! The JSON shape of an upload and its verdict: what `GET /v1/uploads/{id}`
//! returns, what webhooks carry and what `bonafide scan --json` prints.

use bonafide_core::{Decision, Finding, UploadState};
use bonafide_store::UploadRecord;
use serde::Serialize;
use utoipa::ToSchema;

/// An upload, its state and (once decided) its verdict and findings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UploadView {
    /// Upload id.
    pub id: String,
    /// received | processing | decided | failed.
    #[schema(value_type = String, example = "decided")]
    pub state: UploadState,
    /// The tenant of the client that sent it (`default` unless tenants
    /// are configured): its contributor and matches are that tenant's.
    pub tenant: String,
    /// Contributor id.
    pub contributor_id: String,
    /// Device id, if sent.
    pub device_id: Option<String>,
    /// The device's make as the app reported it, if sent.
    pub device_make: Option<String>,
    /// The device's model as the app reported it, if sent.
    pub device_model: Option<String>,
    /// Task id, if sent.
    pub task_id: Option<String>,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// MIME type from magic bytes (null if not a screened format).
    pub media_type: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// Video duration.
    pub duration_ms: Option<u64>,
    /// Document pages.
    pub pages: Option<u32>,
    /// When accepted, RFC 3339.
    pub created_at: String,
    /// The verdict, once decided.
    pub verdict: Option<VerdictView>,
    /// Every finding, once decided.
    pub findings: Vec<FindingView>,
    /// A person's final decision, once the upload was reviewed (after the
    /// reviewer's undo window). Where present it supersedes
    /// `verdict.decision`; a webhook announces it.
    pub review: Option<HumanReviewView>,
}

/// A reviewer's decision on an upload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HumanReviewView {
    /// accept | reject.
    pub decision: String,
    /// For a reject, the reason the reviewer picked.
    pub reason_code: Option<String>,
    /// Who decided: `reviewer:{name}` or `client:{id}` for the review
    /// team; for ingest clients and webhooks the same kind with an opaque
    /// id (`reviewer:3f9a…`, 16 hex digits, stable per person).
    pub reviewer: String,
    /// When, RFC 3339.
    pub decided_at: String,
}

/// A verdict with its reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerdictView {
    /// accept | review | reject.
    #[schema(value_type = String, example = "reject")]
    pub decision: Decision,
    /// The deciding findings, in plain words.
    pub reasons: Vec<ReasonView>,
    /// The policy version that decided.
    pub policy_version: String,
    /// When, RFC 3339.
    pub decided_at: String,
}

/// One deciding finding.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonView {
    /// Finding code.
    pub code: String,
    /// Score 0..1.
    pub score: f32,
    /// Plain words.
    pub message: String,
}

/// One finding with its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingView {
    /// Detector name.
    pub detector: String,
    /// Stable code, e.g. `duplicate.exact`.
    pub code: String,
    /// Score 0..1, higher is more suspicious.
    pub score: f32,
    /// Plain words.
    pub message: String,
    /// Machine-readable evidence.
    #[schema(value_type = Object)]
    pub evidence: serde_json::Value,
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> Self {
        Self {
            detector: f.detector,
            code: f.code,
            score: f.score,
            message: f.message,
            evidence: f.evidence,
        }
    }
}

impl From<UploadRecord> for UploadView {
    fn from(r: UploadRecord) -> Self {
        let m = r.meta;
        Self {
            id: m.id,
            state: r.state,
            tenant: m.tenant,
            contributor_id: m.contributor_id,
            device_id: m.device_id,
            device_make: m.device_make,
            device_model: m.device_model,
            task_id: m.task_id,
            sha256: m.sha256,
            size_bytes: m.size_bytes,
            media_type: r.media.media_type,
            width: r.media.width,
            height: r.media.height,
            duration_ms: r.media.duration_ms,
            pages: r.media.pages,
            created_at: rfc3339(m.created_at),
            verdict: r.verdict.map(|v| VerdictView {
                decision: v.verdict.decision,
                reasons: v
                    .verdict
                    .reasons
                    .into_iter()
                    .map(|r| ReasonView {
                        code: r.code,
                        score: r.score,
                        message: r.message,
                    })
                    .collect(),
                policy_version: v.verdict.policy_version,
                decided_at: rfc3339(v.decided_at),
            }),
            findings: r.findings.into_iter().map(FindingView::from).collect(),
            review: r.review.map(|d| HumanReviewView {
                decision: d.decision.as_str().to_owned(),
                reason_code: d.reason_code,
                reviewer: d.reviewer,
                decided_at: rfc3339(d.created_at),
            }),
        }
    }
}

/// Unix ms → RFC 3339 UTC.
pub(crate) fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

impl crate::Engine {
    /// Waits (polling the store) until the upload is decided or has
    /// failed for good, and returns its view; `None` if there is no such
    /// upload. For commands that screen in-process and print the outcome.
    pub async fn wait_for_verdict(
        &self,
        id: &str,
    ) -> Result<Option<UploadView>, bonafide_store::StoreError> {
        loop {
            let Some(rec) = self.store().upload(id).await? else {
                return Ok(None);
            };
            if matches!(rec.state, UploadState::Decided | UploadState::Failed) {
                return Ok(Some(UploadView::from(rec)));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
