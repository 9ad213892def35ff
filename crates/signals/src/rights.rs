//! Who the file says owns it. EXIF `Artist` and `Copyright`, XMP
//! `dc:creator`, `dc:rights` and `photoshop:Credit`, IPTC by-line, credit
//! and copyright notice are gathered and cleaned of boilerplate ("©",
//! years, "all rights reserved", the camera's own name); then
//!
//! * `copyright.stock_credit` — a stock agency or wire service is named
//!   (Getty Images, Shutterstock, …): the file came from a catalogue;
//! * `copyright.rights_holder` — a person or company is named and the
//!   upload's `contributor_name` is not among them (without a name to
//!   compare, a note for reviewers);
//! * `copyright.training_not_allowed` — the file's C2PA credentials say
//!   its owner does not allow AI training: it cannot be licensed for that.

use async_trait::async_trait;
use bonafide_core::{Artefacts, Context, Detector, DetectorError, Finding, MediaKind};
use serde_json::json;

/// Finding codes.
pub mod codes {
    /// A stock agency or wire service is credited.
    pub const STOCK_CREDIT: &str = "copyright.stock_credit";
    /// Someone other than the contributor is named as author or owner.
    pub const RIGHTS_HOLDER: &str = "copyright.rights_holder";
    /// C2PA credentials forbid AI training.
    pub const TRAINING_NOT_ALLOWED: &str = "copyright.training_not_allowed";
    /// A stock agency's watermark or credit line is written on the picture
    /// (read by OCR).
    pub const STOCK_WATERMARK: &str = "copyright.stock_watermark";
    /// A copyright notice is written on the picture (read by OCR).
    pub const NOTICE_IN_IMAGE: &str = "copyright.notice_in_image";
}

/// The detector's name, on its findings.
const DETECTOR: &str = "rights";

/// Agencies and wire services whose credit means a catalogue photo.
pub(crate) const AGENCIES: &[&str] = &[
    "getty images",
    "gettyimages",
    "istock",
    "shutterstock",
    "adobe stock",
    "alamy",
    "dreamstime",
    "depositphotos",
    "123rf",
    "pond5",
    "stocksy",
    "associated press",
    "reuters",
    "agence france-presse",
    "afp",
    "epa",
    "corbis",
    "bigstock",
];

/// Words of a notice that name no one.
const BOILERPLATE: &[&str] = &[
    "copyright",
    "(c)",
    "©",
    "all",
    "rights",
    "reserved",
    "by",
    "photo",
    "photographer",
    "image",
    "foto",
    "tm",
    "&",
    "and",
    "user",
    "owner",
    "unknown",
    "none",
    "-",
    "the",
];

/// The named parties of a notice: boilerplate, years and the camera's own
/// make and model removed; `None` when nothing is left to name anyone, or
/// when the "author" is an editor that wrote its own name (Picasa does).
fn named(notice: &str, camera: &[&str]) -> Option<String> {
    let lower = notice.to_lowercase();
    if lower.contains("public domain") || bonafide_metadata::editor_named(notice).is_some() {
        return None;
    }
    let words: Vec<&str> = notice
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .filter(|w| {
            let l = w.to_lowercase();
            let l = l.trim_matches(|c: char| c == '.' || c == ':');
            !BOILERPLATE.contains(&l)
                && !l
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == '/')
                && !l.starts_with("copyright")
                && !camera
                    .iter()
                    .any(|c| c.split_whitespace().any(|cw| cw.eq_ignore_ascii_case(l)))
        })
        .collect();
    let name = words.join(" ");
    name.chars()
        .filter(|c| c.is_alphabetic())
        .nth(1)
        .map(|_| name.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
}

/// Whether `holder` names the contributor: every word of the shorter of
/// the two appears in the other (case and accents aside).
fn is_contributor(holder: &str, contributor: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() > 1)
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (words(holder), words(contributor));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    !short.is_empty() && short.iter().all(|w| long.contains(w))
}

/// Reads rights statements from the metadata and C2PA credentials.
#[derive(Debug, Default)]
pub struct Rights;

#[async_trait]
impl Detector for Rights {
    fn name(&self) -> &'static str {
        DETECTOR
    }

    fn accepts(&self, _kind: MediaKind) -> bool {
        true
    }

    fn codes(&self) -> &'static [&'static str] {
        &[
            codes::RIGHTS_HOLDER,
            codes::STOCK_CREDIT,
            codes::TRAINING_NOT_ALLOWED,
        ]
    }

    async fn analyze(
        &self,
        art: &Artefacts,
        ctx: &Context<'_>,
    ) -> Result<Vec<Finding>, DetectorError> {
        let (statements, camera) = statements(&art.metadata);
        let mut out: Vec<Finding> = stock_credit(&statements).into_iter().collect();
        if out.is_empty() {
            out.extend(rights_holder(
                &statements,
                &camera,
                ctx.upload.contributor_name.as_deref(),
            ));
        }
        if let Some(manifest) = &art.c2pa.manifest {
            out.extend(training_not_allowed(&manifest.training_mining));
        }
        Ok(out)
    }
}

/// Every rights statement of the file as (field, text), and the camera's
/// own make and model (which some cameras write as the "copyright").
fn statements(m: &bonafide_metadata::Metadata) -> (Vec<(&'static str, &str)>, Vec<&str>) {
    let mut statements: Vec<(&'static str, &str)> = Vec::new();
    let mut camera: Vec<&str> = Vec::new();
    if let Some(e) = &m.exif {
        camera.extend(e.make.as_deref());
        camera.extend(e.model.as_deref());
        statements.extend(e.artist.as_deref().map(|a| ("EXIF Artist", a)));
        statements.extend(e.copyright.as_deref().map(|c| ("EXIF Copyright", c)));
    }
    if let Some(x) = &m.xmp {
        statements.extend(x.creators.iter().map(|c| ("XMP dc:creator", c.as_str())));
        statements.extend(x.rights.iter().map(|r| ("XMP dc:rights", r.as_str())));
        statements.extend(x.credit.as_deref().map(|c| ("XMP photoshop:Credit", c)));
    }
    if let Some(i) = &m.iptc {
        statements.extend(i.by_line.iter().map(|b| ("IPTC By-line", b.as_str())));
        statements.extend(i.credit.as_deref().map(|c| ("IPTC Credit", c)));
        statements.extend(i.copyright.as_deref().map(|c| ("IPTC CopyrightNotice", c)));
    }
    (statements, camera)
}

/// `copyright.stock_credit` for the first statement naming an agency.
fn stock_credit(statements: &[(&'static str, &str)]) -> Option<Finding> {
    let (field, text, agency) = statements.iter().find_map(|(field, text)| {
        let lower = text.to_lowercase();
        AGENCIES
            .iter()
            .find(|a| {
                lower
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .any(|w| w == **a)
                    || (a.contains(' ') && lower.contains(**a))
            })
            .map(|a| (*field, *text, *a))
    })?;
    Some(
        Finding::new(
            DETECTOR,
            codes::STOCK_CREDIT,
            0.9,
            format!("The file's {field} credits {text:?}: a stock or agency photo ({agency})."),
        )
        .with_evidence(json!({"field": field, "text": text, "agency": agency})),
    )
}

/// `copyright.rights_holder` when the file names someone who is not the
/// contributor (a note when there is no contributor name to compare).
fn rights_holder(
    statements: &[(&'static str, &str)],
    camera: &[&str],
    contributor: Option<&str>,
) -> Option<Finding> {
    let others: Vec<(String, &str)> = statements
        .iter()
        .filter_map(|(field, text)| named(text, camera).map(|n| (n, *field)))
        .filter(|(holder, _)| contributor.is_none_or(|c| !is_contributor(holder, c)))
        .collect();
    let (holder, field) = others.first()?;
    let names: Vec<&str> = others.iter().map(|(h, _)| h.as_str()).collect();
    let (score, message) = match contributor {
        Some(c) => (
            0.7,
            format!(
                "The file's {field} names {holder:?} as its author or owner, not the contributor ({c})."
            ),
        ),
        None => (
            0.3,
            format!(
                "The file's {field} names {holder:?} as its author or owner (no contributor name to compare)."
            ),
        ),
    };
    Some(
        Finding::new(DETECTOR, codes::RIGHTS_HOLDER, score, message)
            .with_evidence(json!({"named": names, "contributor_name": contributor})),
    )
}

/// `copyright.training_not_allowed` when C2PA training-mining entries
/// forbid AI training.
fn training_not_allowed(
    training_mining: &std::collections::BTreeMap<String, String>,
) -> Option<Finding> {
    let forbidden: Vec<&String> = training_mining
        .iter()
        .filter(|(use_, rule)| use_.contains("training") && rule.as_str() == "notAllowed")
        .map(|(use_, _)| use_)
        .collect();
    (!forbidden.is_empty()).then(|| {
        Finding::new(
            DETECTOR,
            codes::TRAINING_NOT_ALLOWED,
            0.9,
            "The file's content credentials say its owner does not allow AI training on it.",
        )
        .with_evidence(json!({"not_allowed": forbidden, "training_mining": training_mining}))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_reduce_to_who_they_name() {
        let cam = ["KODAK", "DC240 ZOOM DIGITAL CAMERA"];
        assert_eq!(
            named("Copyright © 2012 Robert Muckley", &cam).as_deref(),
            Some("Robert Muckley")
        );
        assert_eq!(named("COPYRIGHT, 2005", &cam), None);
        assert_eq!(named("KODAK DC240 ZOOM DIGITAL CAMERA", &cam), None);
        assert_eq!(
            named("Laitche (This file is in the public domain.)", &cam),
            None
        );
        assert_eq!(named("J P Bowen", &cam).as_deref(), Some("J P Bowen"));
        assert_eq!(named("Picasa 3.0", &cam), None, "software, not an author");
        assert_eq!(named("(C) by RDC-5300 User", &["RICOH", "RDC-5300"]), None);
    }

    #[test]
    fn the_contributor_is_recognised_by_name() {
        assert!(is_contributor("Robert Muckley", "robert muckley"));
        assert!(is_contributor("Muckley", "Robert Muckley"));
        assert!(!is_contributor("Jean Cornillon", "Robert Muckley"));
    }
}
