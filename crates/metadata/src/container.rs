//! What an MP4/MOV container says about the recording — its `mvhd`
//! creation time, the writing tool, the phone's make and model, where it
//! was recorded — normalised from the atom tags ffprobe reports (plain
//! MP4 `©too`/`©xyz`, Apple's `com.apple.quicktime.*` keys, Android's
//! `com.android.*`).

use serde::Serialize;

/// The recording facts a container states.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Container {
    /// When the file says it was created (`creation_time`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
    /// The capture date in local time, where the phone wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_date: Option<String>,
    /// The muxer or app that wrote the file (`encoder`, `©too`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoder: Option<String>,
    /// The recording device's maker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// The recording device's model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The OS or software version the device reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// ISO 6709 location (`+37.7749-122.4194/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Container {
    /// Reads the facts out of a container's tags (ffprobe's `format.tags`);
    /// `None` when it states none of them.
    pub fn from_tags(tags: &serde_json::Map<String, serde_json::Value>) -> Option<Self> {
        let first = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| tags.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
        };
        let c = Self {
            creation_time: first(&["creation_time"]),
            capture_date: first(&["com.apple.quicktime.creationdate"]),
            encoder: first(&["encoder", "com.apple.quicktime.software.encoder"]),
            make: first(&[
                "com.apple.quicktime.make",
                "com.android.manufacturer",
                "make",
            ]),
            model: first(&["com.apple.quicktime.model", "com.android.model", "model"]),
            software: first(&["com.apple.quicktime.software", "com.android.version"]),
            location: first(&[
                "location",
                "com.apple.quicktime.location.ISO6709",
                "location-eng",
            ]),
        };
        (c != Self::default()).then_some(c)
    }
}
