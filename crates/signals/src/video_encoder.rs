use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind, codes};

/// Flags videos whose container says a known transcoder or editor wrote it
/// (the `encoder` tag; `Lavf…` is ffmpeg's libavformat): not straight
/// from a phone's camera app. Weak on its own — messengers and some apps
/// re-encode — so a reason to look.
#[derive(Debug, Default)]
pub struct VideoEncoder;

/// Tag prefixes of transcoders and editors, matched case-insensitively.
const TRANSCODERS: &[(&str, &str)] = &[
    ("lavf", "ffmpeg (libavformat)"),
    ("handbrake", "HandBrake"),
    ("premiere", "Adobe Premiere"),
    ("imovie", "iMovie"),
    ("capcut", "CapCut"),
    ("inshot", "InShot"),
    ("davinci", "DaVinci Resolve"),
    ("final cut", "Final Cut Pro"),
    ("videoproc", "VideoProc"),
];

#[async_trait]
impl Detector for VideoEncoder {
    fn name(&self) -> &'static str {
        "video_encoder"
    }

    fn accepts(&self, kind: MediaKind) -> bool {
        kind == MediaKind::Video
    }

    fn codes(&self) -> &'static [&'static str] {
        &[codes::METADATA_REENCODED]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        _ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let Some(encoder) = art
            .video
            .as_ref()
            .and_then(|v| v.tags.get("encoder"))
            .and_then(|e| e.as_str())
        else {
            return Ok(vec![]);
        };
        let lower = encoder.to_lowercase();
        let Some((_, tool)) = TRANSCODERS.iter().find(|(p, _)| lower.starts_with(p)) else {
            return Ok(vec![]);
        };
        let message = format!(
            "The video was written by {tool} (encoder tag \"{encoder}\"), not straight by a camera."
        );
        Ok(vec![
            Finding::new(self.name(), codes::METADATA_REENCODED, 0.4, message)
                .with_evidence(serde_json::json!({"encoder": encoder, "tool": tool})),
        ])
    }
}
