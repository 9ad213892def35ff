use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind};

/// Checks an upload against its task's hard requirements: the media kinds
/// the task allows, the minimum resolution, and the duration window.
#[derive(Debug, Default)]
pub struct TaskFit;

/// Finding codes of this detector.
pub mod codes {
    /// The task does not take this kind of media.
    pub const KIND_NOT_ALLOWED: &str = "task.kind_not_allowed";
    /// Below the task's minimum resolution.
    pub const RESOLUTION_TOO_LOW: &str = "task.resolution_too_low";
    /// Shorter than the task asks.
    pub const TOO_SHORT: &str = "task.duration_too_short";
    /// Longer than the task allows.
    pub const TOO_LONG: &str = "task.duration_too_long";
}

#[async_trait]
impl Detector for TaskFit {
    fn name(&self) -> &'static str {
        "task_fit"
    }

    fn accepts(&self, _kind: MediaKind) -> bool {
        true
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (Some(task), Some(kind)) = (ctx.task, art.kind()) else {
            return Ok(vec![]);
        };
        let mut out = Vec::new();
        if !task.allowed_kinds.is_empty() && !task.allowed_kinds.contains(&kind) {
            let allowed: Vec<_> = task.allowed_kinds.iter().map(|k| k.as_str()).collect();
            out.push(
                Finding::new(
                    self.name(),
                    codes::KIND_NOT_ALLOWED,
                    1.0,
                    format!("Task \"{}\" asks for {}, not {}.", task.title, allowed.join(" or "), kind.as_str()),
                )
                .with_evidence(serde_json::json!({"task_id": task.id, "allowed": allowed, "got": kind.as_str()})),
            );
        }
        let req = &task.requirements;
        if let (Some(min), Some((w, h))) = (req.min_short_side, art.dimensions())
            && w.min(h) < min
        {
            out.push(
                Finding::new(
                    self.name(),
                    codes::RESOLUTION_TOO_LOW,
                    1.0,
                    format!(
                        "{w}x{h} is below the task's minimum of {min} pixels on the short side."
                    ),
                )
                .with_evidence(serde_json::json!({"width": w, "height": h, "min_short_side": min})),
            );
        }
        if let Some(video) = &art.video {
            let d = video.duration_ms;
            if let Some(min) = req.min_duration_ms.filter(|&min| d < min) {
                out.push(duration(
                    self.name(),
                    codes::TOO_SHORT,
                    d,
                    "shorter than the minimum",
                    min,
                ));
            }
            if let Some(max) = req.max_duration_ms.filter(|&max| d > max) {
                out.push(duration(
                    self.name(),
                    codes::TOO_LONG,
                    d,
                    "longer than the maximum",
                    max,
                ));
            }
        }
        Ok(out)
    }
}

fn duration(detector: &str, code: &str, got: u64, what: &str, limit: u64) -> Finding {
    Finding::new(
        detector,
        code,
        1.0,
        format!(
            "The video is {:.1} s, {what} of {:.1} s.",
            got as f64 / 1000.0,
            limit as f64 / 1000.0
        ),
    )
    .with_evidence(serde_json::json!({"duration_ms": got, "limit_ms": limit}))
}
