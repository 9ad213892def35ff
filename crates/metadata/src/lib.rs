//! What a file says about itself: EXIF (camera, lens, dates with their
//! offsets, GPS, software, exposure, orientation), XMP (creator tool, edit
//! history, IPTC digital source type), JPEG quantisation tables with an
//! estimated quality, PNG text chunks, and C2PA content credentials
//! validated with c2pa-rs ([`C2paReader`]) — read once per upload and shared
//! by the metadata detectors and `bonafide inspect`.
#![deny(missing_docs)]

pub use crate::{
    camera_tables::{CameraTables, TableFit, camera_key},
    container::Container,
    credentials::{
        Action, C2paConfig, C2paConfigError, C2paReader, C2paReport, Ingredient, ManifestSummary,
        Signer, State, is_ai_source_type,
    },
    editors::{editor_named, names_an_editor},
    error::MetadataError,
    exif::{Exif, Gps, read_exif},
    generators::{GeneratorTrace, generator_named, generator_traces},
    icc::read_icc_description,
    iptc::{Iptc, read_iptc},
    jpeg_tables::{JpegTables, QuantTable, read_jpeg_tables},
    png_text::read_png_text,
    segments::{Segment, Segments, jpeg_segments},
    xmp::{Xmp, read_xmp},
};

mod camera_tables;
mod container;
mod credentials;
mod editors;
mod error;
mod exif;
mod generators;
mod icc;
mod iptc;
mod jpeg_tables;
mod png_text;
mod segments;
mod xmp;

/// Everything read from a file's metadata, and what could not be read.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Metadata {
    /// The EXIF block, if the file has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exif: Option<Exif>,
    /// The XMP packet, if the file has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xmp: Option<Xmp>,
    /// A JPEG's quantisation tables and estimated quality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jpeg: Option<JpegTables>,
    /// IPTC-IIM press fields (by-line, credit, copyright, source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iptc: Option<Iptc>,
    /// The embedded ICC profile's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icc_profile: Option<String>,
    /// A PNG's text chunks, keyword → text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub png_text: Option<std::collections::BTreeMap<String, String>>,
    /// Blocks present but unreadable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// Reads every metadata block Bonafide knows from a file's bytes. Never
/// fails: what cannot be read is listed in [`Metadata::errors`].
pub fn read(bytes: &[u8]) -> Metadata {
    let mut m = Metadata::default();
    match read_exif(bytes) {
        Ok(exif) => m.exif = exif,
        Err(e) => m.errors.push(e.to_string()),
    }
    match read_xmp(bytes) {
        Ok(xmp) => m.xmp = xmp,
        Err(e) => m.errors.push(e.to_string()),
    }
    m.jpeg = read_jpeg_tables(bytes);
    m.iptc = read_iptc(bytes);
    m.icc_profile = read_icc_description(bytes);
    m.png_text = read_png_text(bytes);
    m
}
