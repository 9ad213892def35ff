//! Which JPEG quantisation tables each camera model writes, learned from
//! camera originals. Cameras use their own fixed tables (a few, one per
//! quality setting); a file that declares a known camera but carries other
//! tables was re-saved by something else — or its make and model were
//! edited. An unknown camera says nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{JpegTables, Metadata};

/// The tables learned from camera originals shipped with Bonafide
/// (`bonafide cameras learn ../shared/data/exif-samples-ianare/jpg`).
const SHIPPED: &str = include_str!("camera_tables.json");

/// Camera model → the table sets it was seen writing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CameraTables {
    /// Where the tables were learned from, for people.
    pub source: String,
    /// `"make / model"` (lower case) → what was seen from it.
    pub cameras: BTreeMap<String, Camera>,
}

/// What one camera model was seen writing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    /// Original files seen.
    pub files: usize,
    /// Signatures of the distinct table sets in them.
    pub tables: BTreeSet<String>,
}

impl Camera {
    /// Some cameras compute tables per picture (Nikon's Coolpix P6000
    /// wrote 7 different sets in 10 originals of exif-samples): when most
    /// files brought a new set, a new set proves nothing.
    fn adaptive(&self) -> bool {
        self.tables.len() > 1 && self.tables.len() * 2 > self.files
    }
}

/// How a file's tables fit its declared camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableFit {
    /// No camera declared, no tables, a camera never learned, or one that
    /// computes its tables per picture.
    Unknown,
    /// One of the table sets the camera was seen writing.
    Fits,
    /// The camera is known and never wrote these tables.
    Mismatch {
        /// The declared camera, as keyed.
        camera: String,
        /// The file's table signature.
        signature: String,
        /// How many table sets the camera is known to write.
        known: usize,
    },
}

impl CameraTables {
    /// The shipped tables.
    pub fn shipped() -> Self {
        serde_json::from_str(SHIPPED).expect("the shipped camera tables are valid JSON")
    }

    /// Reads tables `bonafide cameras learn` wrote.
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        serde_json::from_str(&text).map_err(|e| e.to_string())
    }

    /// Learns from files' metadata, skipping any that name an editor (their
    /// tables are the editor's) or lack a camera make and model.
    pub fn learn<'a>(source: &str, files: impl IntoIterator<Item = &'a Metadata>) -> Self {
        let mut cameras: BTreeMap<String, Camera> = BTreeMap::new();
        for m in files {
            if crate::names_an_editor(m) {
                continue;
            }
            if let (Some(camera), Some(tables)) = (camera_key(m), &m.jpeg) {
                let seen = cameras.entry(camera).or_default();
                seen.files += 1;
                seen.tables.insert(signature(tables));
            }
        }
        Self {
            source: source.to_owned(),
            cameras,
        }
    }

    /// How `m`'s tables fit the camera it declares.
    pub fn fit(&self, m: &Metadata) -> TableFit {
        let (Some(camera), Some(tables)) = (camera_key(m), &m.jpeg) else {
            return TableFit::Unknown;
        };
        let Some(seen) = self.cameras.get(&camera).filter(|c| !c.adaptive()) else {
            return TableFit::Unknown;
        };
        let signature = signature(tables);
        if seen.tables.contains(&signature) {
            TableFit::Fits
        } else {
            TableFit::Mismatch {
                camera,
                signature,
                known: seen.tables.len(),
            }
        }
    }
}

/// `"make / model"`, trimmed and lower-cased; `None` without both.
pub fn camera_key(m: &Metadata) -> Option<String> {
    let exif = m.exif.as_ref()?;
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(|v| {
                v.trim_matches(|c: char| c == '\0' || c.is_whitespace())
                    .to_lowercase()
            })
            .filter(|v| !v.is_empty())
    };
    Some(format!("{} / {}", clean(&exif.make)?, clean(&exif.model)?))
}

/// A short fingerprint of every table's slot and values, in file order.
fn signature(tables: &JpegTables) -> String {
    let mut h = Sha256::new();
    for t in &tables.tables {
        h.update([t.id]);
        for v in &t.values {
            h.update(v.to_be_bytes());
        }
    }
    hex::encode(&h.finalize()[..8])
}
