use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, Orientation};

/// Checks an upload against its task's hard requirements: the media kinds
/// the task allows, the minimum resolution, the orientation and the
/// duration window.
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
    /// Landscape where the task asks for portrait, or the other way.
    pub const WRONG_ORIENTATION: &str = "task.wrong_orientation";
    /// The task asks for a person and none was seen.
    pub const NO_PERSON: &str = "task.no_person";
    /// The task asks for a document and no readable text was found.
    pub const NO_READABLE_TEXT: &str = "task.no_readable_text";
    /// Does not show what the task asks for (by what it shows).
    pub const MISMATCH: &str = "task.mismatch";
    /// Shows what the task asks for (a note, with what was seen).
    pub const MATCH: &str = "task.match";
}

#[async_trait]
impl Detector for TaskFit {
    fn name(&self) -> &'static str {
        "task_fit"
    }

    fn accepts(&self, _kind: MediaKind) -> bool {
        true
    }

    fn codes(&self) -> &'static [&'static str] {
        &[
            codes::KIND_NOT_ALLOWED,
            codes::RESOLUTION_TOO_LOW,
            codes::TOO_SHORT,
            codes::TOO_LONG,
            codes::WRONG_ORIENTATION,
        ]
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
        if let (Some(wanted), Some((w, h))) = (req.orientation, art.dimensions())
            && Orientation::of(w, h) != wanted
        {
            let got = Orientation::of(w, h);
            out.push(
                Finding::new(
                    self.name(),
                    codes::WRONG_ORIENTATION,
                    1.0,
                    format!(
                        "{w}x{h} is {}; the task asks for {}.",
                        got.as_str(),
                        wanted.as_str()
                    ),
                )
                .with_evidence(serde_json::json!({"width": w, "height": h, "orientation": got.as_str(), "wanted": wanted.as_str()})),
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bonafide_core::{Frame, MediaType, Task, TaskRequirements, VideoArtefact};

    use super::*;
    use crate::test_support;

    fn task(kinds: Vec<MediaKind>, requirements: TaskRequirements) -> Task {
        Task {
            id: "t".into(),
            title: "Trash".into(),
            instructions: String::new(),
            allowed_kinds: kinds,
            requirements,
        }
    }

    fn video(duration_ms: u64, w: u32, h: u32) -> Artefacts {
        let frame = Frame {
            at_ms: 0,
            image: Arc::new(image::RgbImage::new(4, 4)),
            neighbours: vec![],
        };
        Artefacts {
            video: Some(VideoArtefact {
                duration_ms,
                width: w,
                height: h,
                codec: "h264".into(),
                tags: Default::default(),
                frames: vec![frame],
                timeline: Vec::new(),
            }),
            ..Artefacts::empty(MediaType::Mp4, Default::default())
        }
    }

    async fn codes(art: &Artefacts, task: &Task) -> Vec<String> {
        test_support::codes(&TaskFit, art, task).await
    }

    #[tokio::test]
    async fn checks_kind_resolution_and_duration() {
        let req = TaskRequirements {
            min_short_side: Some(720),
            min_duration_ms: Some(3000),
            max_duration_ms: Some(60_000),
            ..Default::default()
        };
        let t = task(vec![MediaKind::Video], req);
        assert!(codes(&video(10_000, 1280, 720), &t).await.is_empty());
        assert_eq!(
            codes(&video(10_000, 640, 360), &t).await,
            [codes::RESOLUTION_TOO_LOW]
        );
        assert_eq!(
            codes(&video(1_000, 1920, 1080), &t).await,
            [codes::TOO_SHORT]
        );
        assert_eq!(
            codes(&video(90_000, 1920, 1080), &t).await,
            [codes::TOO_LONG]
        );
        let photos_only = task(vec![MediaKind::Image], TaskRequirements::default());
        assert_eq!(
            codes(&video(10_000, 1280, 720), &photos_only).await,
            [codes::KIND_NOT_ALLOWED]
        );
        let anything = task(vec![], TaskRequirements::default());
        assert!(codes(&video(10_000, 1280, 720), &anything).await.is_empty());
    }
}
