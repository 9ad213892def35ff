//! C2PA content credentials, read and validated with the `c2pa` crate
//! (c2pa-rs). The report keeps c2pa-rs's own names — validation states
//! `Invalid` / `Valid` / `Trusted` and its status codes — so what
//! `bonafide inspect` prints can be compared with any other C2PA tool.
//!
//! Nothing is fetched: remote manifests and OCSP responders need the
//! network, which a screening service must not depend on per upload, so a
//! file whose manifest lives at a URL reads as present with an error.

use std::{io::Cursor, path::PathBuf, sync::Arc};

use c2pa::{
    Context, Manifest, Reader, Settings, ValidationState, validation_status::ValidationStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which signers count as trusted. Without a trust list every signature
/// that verifies is `Valid` with `signingCredential.untrusted`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct C2paConfig {
    /// A PEM bundle of trust-anchor (root) certificates, e.g. the C2PA
    /// conformance trust list.
    pub trust_anchors: Option<PathBuf>,
    /// A PEM bundle of individually allowed end-entity certificates.
    pub allowed_list: Option<PathBuf>,
}

/// A trust list that could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum C2paConfigError {
    /// A configured PEM file could not be read.
    #[error("reading C2PA trust file {path}: {source}")]
    Read {
        /// The file named in the configuration.
        path: PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The c2pa crate rejected the settings (e.g. a malformed PEM bundle).
    #[error("C2PA trust settings: {0}")]
    Settings(String),
}

/// Reads and validates C2PA manifests against one trust configuration;
/// built once and shared by every upload.
#[derive(Clone)]
pub struct C2paReader {
    context: Arc<Context>,
}

impl std::fmt::Debug for C2paReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("C2paReader").finish_non_exhaustive()
    }
}

impl C2paReader {
    /// Loads the trust lists the configuration names.
    pub fn new(config: &C2paConfig) -> Result<Self, C2paConfigError> {
        let pem = |path: &Option<PathBuf>| -> Result<Option<String>, C2paConfigError> {
            path.as_ref()
                .map(|p| {
                    std::fs::read_to_string(p).map_err(|source| C2paConfigError::Read {
                        path: p.clone(),
                        source,
                    })
                })
                .transpose()
        };
        Self::from_pem(
            pem(&config.trust_anchors)?.as_deref(),
            pem(&config.allowed_list)?.as_deref(),
        )
    }

    /// A reader trusting the given PEM bundles.
    pub fn from_pem(
        trust_anchors: Option<&str>,
        allowed_list: Option<&str>,
    ) -> Result<Self, C2paConfigError> {
        let settings = serde_json::json!({
            "trust": { "trust_anchors": trust_anchors, "allowed_list": allowed_list },
            // Both need the network; see the module comment.
            "verify": { "remote_manifest_fetch": false, "ocsp_fetch": false },
        });
        let settings = Settings::new()
            .with_json(&settings.to_string())
            .map_err(|e| C2paConfigError::Settings(e.to_string()))?;
        let context = Context::new()
            .with_settings(settings)
            .map_err(|e| C2paConfigError::Settings(e.to_string()))?;
        Ok(Self {
            context: Arc::new(context),
        })
    }

    /// Reads the manifest store of a file of the given MIME type. Never
    /// fails: a file without C2PA data reads as absent, a broken one as
    /// present with an error.
    pub fn read(&self, bytes: &[u8], mime: &str) -> C2paReport {
        // A panic is a c2pa-rs bug on a hostile file; the reader holds no
        // state that outlives the call, so unwinding past it is safe.
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Reader::from_shared_context(&self.context).with_stream(mime, Cursor::new(bytes))
        }));
        match read {
            Ok(Ok(reader)) => C2paReport::from_reader(&reader),
            Ok(Err(e)) => C2paReport::from_error(&e),
            Err(_) => C2paReport {
                present: true,
                error: Some("the C2PA reader gave up on this file".into()),
                ..C2paReport::default()
            },
        }
    }
}

/// What a file's content credentials say, and whether they hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct C2paReport {
    /// The file carries C2PA data (embedded, or a reference to a remote
    /// manifest).
    pub present: bool,
    /// c2pa-rs's verdict on the manifest store; `None` when absent or
    /// unreadable.
    pub validation_state: Option<State>,
    /// The failure codes c2pa-rs reported (e.g. `assertion.dataHash.mismatch`,
    /// `claimSignature.mismatch`, `signingCredential.untrusted`), deduplicated
    /// in order.
    pub status_codes: Vec<String>,
    /// Why the manifest store could not be read at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Where the manifest lives when it is not embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_url: Option<String>,
    /// The active manifest, summarised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<ManifestSummary>,
}

/// c2pa-rs's validation states, under its own names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum State {
    /// Malformed, or a hash or signature does not verify.
    Invalid,
    /// Well-formed and cryptographically intact.
    Valid,
    /// Valid, and signed by a certificate chaining to the trust list.
    Trusted,
}

/// The parts of the active manifest a reviewer reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ManifestSummary {
    /// The manifest's label (its URN).
    pub label: Option<String>,
    /// The tool that wrote the claim.
    pub claim_generator: Option<String>,
    /// The asset's title as claimed.
    pub title: Option<String>,
    /// Who signed it.
    pub signer: Option<Signer>,
    /// What was done to the asset, in claim order.
    pub actions: Vec<Action>,
    /// Assets this one was made from.
    pub ingredients: Vec<Ingredient>,
    /// The IPTC digital source type of the `c2pa.created` action (or the
    /// first action declaring one), e.g. `…/trainedAlgorithmicMedia`.
    pub digital_source_type: Option<String>,
    /// Whether the digital source type says the content was made by a
    /// generative model.
    pub ai_generated: bool,
    /// Training and data-mining permissions, use → permission (`allowed`,
    /// `notAllowed`, `constrained`).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub training_mining: std::collections::BTreeMap<String, String>,
}

/// The signing certificate, as c2pa-rs reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signer {
    /// The certificate issuer's organisation.
    pub issuer: Option<String>,
    /// The certificate's common name.
    pub common_name: Option<String>,
    /// The signing time from the time stamp, if any.
    pub time: Option<String>,
    /// The signature algorithm.
    pub alg: Option<String>,
}

/// One entry of a `c2pa.actions` assertion.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Action {
    /// e.g. `c2pa.created`, `c2pa.opened`, `c2pa.edited`.
    pub action: String,
    /// The tool that performed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_agent: Option<String>,
    /// The IPTC digital source type the action declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_source_type: Option<String>,
    /// When, if stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// An ingredient of the active manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ingredient {
    /// Its title (usually a file name).
    pub title: Option<String>,
    /// Its MIME type.
    pub format: Option<String>,
    /// `parentOf`, `componentOf` or `inputTo`.
    pub relationship: String,
    /// Failure codes recorded for the ingredient's own manifest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status_codes: Vec<String>,
}

/// IPTC digital source types that mean "made by a generative model"
/// (<https://cv.iptc.org/newscodes/digitalsourcetype/>).
/// (`algorithmicallyEnhanced` — a capture denoised or upscaled — is not
/// among them.)
const AI_SOURCE_TYPES: [&str; 2] = [
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
];

/// Whether an IPTC digital source type URI (or bare code) names generative
/// AI.
pub fn is_ai_source_type(uri: &str) -> bool {
    let code = uri.rsplit('/').next().unwrap_or(uri);
    AI_SOURCE_TYPES.contains(&code)
}

impl C2paReport {
    fn from_reader(reader: &Reader) -> Self {
        let state = match reader.validation_state() {
            ValidationState::Invalid => State::Invalid,
            ValidationState::Valid => State::Valid,
            ValidationState::Trusted => State::Trusted,
        };
        Self {
            present: true,
            validation_state: Some(state),
            status_codes: codes(reader.validation_status().unwrap_or_default()),
            error: None,
            remote_url: reader.remote_url().map(str::to_owned),
            manifest: reader.active_manifest().map(ManifestSummary::of),
        }
    }

    fn from_error(e: &c2pa::Error) -> Self {
        use c2pa::Error as E;
        match e {
            E::JumbfNotFound | E::UnsupportedType | E::ProvenanceMissing => Self::default(),
            E::RemoteManifestUrl(url) => Self {
                present: true,
                error: Some(format!("the manifest is remote ({url}) and is not fetched")),
                remote_url: Some(url.clone()),
                ..Self::default()
            },
            other => Self {
                present: true,
                error: Some(other.to_string()),
                ..Self::default()
            },
        }
    }
}

/// Failure and informational codes, each once, in the order c2pa-rs logged them.
fn codes(statuses: &[ValidationStatus]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in statuses {
        if !is_success(s.code()) && !out.iter().any(|c| c == s.code()) {
            out.push(s.code().to_owned());
        }
    }
    out
}

impl ManifestSummary {
    fn of(m: &Manifest) -> Self {
        let actions: Vec<Action> = m
            .assertions()
            .iter()
            .filter(|a| a.label().starts_with("c2pa.actions"))
            .filter_map(|a| a.value().ok())
            .flat_map(|v| v["actions"].as_array().cloned().unwrap_or_default())
            .map(|a| Action::of(&a))
            .collect();
        let digital_source_type = actions
            .iter()
            .find(|a| a.action == "c2pa.created" && a.digital_source_type.is_some())
            .or_else(|| actions.iter().find(|a| a.digital_source_type.is_some()))
            .and_then(|a| a.digital_source_type.clone());
        let ai_generated = actions
            .iter()
            .filter_map(|a| a.digital_source_type.as_deref())
            .any(is_ai_source_type);
        Self {
            label: m.label().map(str::to_owned),
            claim_generator: m.claim_generator().map(str::to_owned).or_else(|| {
                // Claims v2 name the generator in claim_generator_info only.
                m.claim_generator_info
                    .as_ref()
                    .and_then(|i| i.first())
                    .map(|i| i.name.clone())
            }),
            title: m.title().map(str::to_owned),
            signer: m.signature_info().map(|s| Signer {
                issuer: s.issuer.clone(),
                common_name: s.common_name.clone(),
                time: s.time.clone(),
                alg: s.alg.map(|a| a.to_string()),
            }),
            actions,
            ingredients: m.ingredients().iter().map(Ingredient::of).collect(),
            digital_source_type,
            ai_generated,
            training_mining: training_mining(m),
        }
    }
}

impl Action {
    fn of(v: &Value) -> Self {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        Self {
            action: v["action"].as_str().unwrap_or_default().to_owned(),
            // A plain string in claims v1, `{ "name": … }` in v2.
            software_agent: text(&v["softwareAgent"]).or_else(|| text(&v["softwareAgent"]["name"])),
            digital_source_type: text(&v["digitalSourceType"]),
            when: text(&v["when"]),
        }
    }
}

impl Ingredient {
    fn of(i: &c2pa::Ingredient) -> Self {
        Self {
            title: i.title().map(str::to_owned),
            format: i.format().map(str::to_owned),
            relationship: serde_json::to_value(i.relationship())
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            status_codes: i.validation_status().map(codes).unwrap_or_default(),
        }
    }
}

fn is_success(code: &str) -> bool {
    c2pa::validation_results::validation_codes::is_success(code)
}

/// `c2pa.training-mining` (claims v1) and `cawg.training-mining` entries.
fn training_mining(m: &Manifest) -> std::collections::BTreeMap<String, String> {
    m.assertions()
        .iter()
        .filter(|a| a.label().ends_with("training-mining"))
        .filter_map(|a| a.value().ok())
        .filter_map(|v| v["entries"].as_object().cloned())
        .flatten()
        .filter_map(|(use_, e)| Some((use_, e["use"].as_str()?.to_owned())))
        .collect()
}
