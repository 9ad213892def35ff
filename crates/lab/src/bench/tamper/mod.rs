//! `bonafide-lab bench tamper DIR`: forge each camera original in DIR the ways
//! fraudsters do (dates shifted, camera swapped, EXIF stripped, thumbnail
//! replaced, re-encoded), screen originals and forgeries through the full
//! pipeline under a camera-capture task, and report per tamper kind how
//! often the finding meant to catch it was raised — and how often the
//! untouched originals raised it (false positives).

mod forge;

use std::{collections::BTreeMap, path::PathBuf};

use anyhow::Context;
use bonafide_core::{Task, TaskRequirements};
use bonafide_ingest::UploadRequest;
use bonafide_metadata::CameraTables;
use serde_json::json;

use bonafide_server::Config;
use forge::tag;

/// Arguments of `bench tamper`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of camera-original JPEGs (searched recursively); files that
    /// name an editor or no camera are left out.
    dir: PathBuf,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

/// A way to tamper with a camera original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    DateFuture,
    DateOriginalShifted,
    ModelSwapped,
    ExifStripped,
    ThumbnailReplaced,
    Reencoded,
}

const KINDS: [Kind; 6] = [
    Kind::DateFuture,
    Kind::DateOriginalShifted,
    Kind::ModelSwapped,
    Kind::ExifStripped,
    Kind::ThumbnailReplaced,
    Kind::Reencoded,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::DateFuture => "dates shifted into the future",
            Kind::DateOriginalShifted => "DateTimeOriginal shifted back 3 years",
            Kind::ModelSwapped => "make and model swapped",
            Kind::ExifStripped => "EXIF stripped",
            Kind::ThumbnailReplaced => "thumbnail replaced",
            Kind::Reencoded => "re-encoded (quality 90, EXIF kept)",
        }
    }

    /// The findings meant to catch it (any one will do).
    fn expects(self) -> &'static [&'static str] {
        use bonafide_core::codes::*;
        match self {
            Kind::DateFuture => &[METADATA_DATE_IN_FUTURE],
            Kind::DateOriginalShifted => &[METADATA_DATES_DISAGREE],
            Kind::ModelSwapped => &[METADATA_QUANTIZATION_MISMATCH],
            Kind::Reencoded => &[METADATA_QUANTIZATION_MISMATCH, METADATA_DOUBLE_COMPRESSED],
            Kind::ExifStripped => &[METADATA_CAMERA_STRIPPED],
            Kind::ThumbnailReplaced => &[METADATA_THUMBNAIL_MISMATCH],
        }
    }

    /// The forgery of `original`; `None` where it does not apply (no such
    /// tag, no thumbnail, no donor that fits). `other` is another
    /// original, whose picture a replaced thumbnail shows.
    fn forge(self, original: &[u8], other: &[u8], donors: &[(String, String)]) -> Option<Vec<u8>> {
        let mut out = original.to_vec();
        match self {
            Kind::DateFuture => {
                let mut shifted = 0;
                for t in [
                    tag::DATE_TIME,
                    tag::DATE_TIME_ORIGINAL,
                    tag::DATE_TIME_DIGITIZED,
                ] {
                    shifted += usize::from(shift_year(&mut out, t, 100).is_some());
                }
                (shifted > 0).then_some(out)
            }
            Kind::DateOriginalShifted => {
                shift_year(&mut out, tag::DATE_TIME_ORIGINAL, -3)?;
                Some(out)
            }
            Kind::ModelSwapped => {
                let own = (
                    text(original, tag::MAKE)?.to_lowercase(),
                    text(original, tag::MODEL)?.to_lowercase(),
                );
                let (make, model) = donors.iter().find(|(make, model)| {
                    (make, model) != (&own.0, &own.1)
                        && forge::ascii(original, tag::MAKE).is_some_and(|r| make.len() < r.len())
                        && forge::ascii(original, tag::MODEL).is_some_and(|r| model.len() < r.len())
                })?;
                forge::set_ascii(&mut out, tag::MAKE, make)?;
                forge::set_ascii(&mut out, tag::MODEL, model)?;
                Some(out)
            }
            Kind::ExifStripped => forge::strip_exif(original),
            Kind::ThumbnailReplaced => {
                let range = forge::thumbnail(original)?;
                let picture = image::load_from_memory(other).ok()?.thumbnail(160, 160);
                // The other picture, as small as it takes to fit; what is
                // left of the old thumbnail's room is zeroed after its EOI.
                let fitted = (10..=90).rev().step_by(10).find_map(|q| {
                    let mut bytes = Vec::new();
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, q)
                        .encode_image(&picture)
                        .ok()?;
                    (bytes.len() <= range.len()).then_some(bytes)
                })?;
                out[range.clone()].fill(0);
                out[range.start..range.start + fitted.len()].copy_from_slice(&fitted);
                Some(out)
            }
            Kind::Reencoded => {
                let picture = image::load_from_memory(original).ok()?;
                let mut bytes = Vec::new();
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
                    .encode_image(&picture)
                    .ok()?;
                forge::with_exif_of(&bytes, original)
            }
        }
    }
}

/// An ASCII tag's text, NULs trimmed.
fn text(jpeg: &[u8], t: u16) -> Option<String> {
    let raw = &jpeg[forge::ascii(jpeg, t)?];
    let s = String::from_utf8_lossy(raw);
    Some(
        s.trim_matches(|c: char| c == '\0' || c.is_whitespace())
            .to_owned(),
    )
}

/// Adds `years` to the year of an EXIF date tag (`YYYY:MM:DD …`).
fn shift_year(jpeg: &mut [u8], t: u16, years: i32) -> Option<()> {
    let range = forge::ascii(jpeg, t)?;
    let year: i32 = std::str::from_utf8(jpeg.get(range.start..range.start + 4)?)
        .ok()?
        .parse()
        .ok()?;
    let shifted = format!("{:04}", year + years);
    (shifted.len() == 4 && year > 0).then_some(())?;
    jpeg[range.start..range.start + 4].copy_from_slice(shifted.as_bytes());
    Some(())
}

/// One screened file.
struct Screened {
    kind: Option<Kind>,
    codes: Vec<String>,
}

/// Forges, screens, and prints the detection rates.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    config.ensure_workers()?;
    let originals = camera_originals(&args.dir)?;
    anyhow::ensure!(
        !originals.is_empty(),
        "no camera-original JPEGs under {}",
        args.dir.display()
    );
    // Cameras to swap in: ones whose tables are known (and fixed).
    let donors: Vec<(String, String)> = CameraTables::shipped()
        .cameras
        .iter()
        .filter(|(_, c)| c.tables.len() == 1)
        .filter_map(|(key, _)| {
            let (make, model) = key.split_once(" / ")?;
            Some((make.to_owned(), model.to_owned()))
        })
        .collect();

    let scratch = tempfile::tempdir()?;
    config.data_dir = scratch.path().to_owned();
    let engine = config.engine().await?;
    let task = Task {
        id: "camera-capture".into(),
        title: "A photo taken with your camera".into(),
        instructions: String::new(),
        allowed_kinds: vec![],
        requirements: TaskRequirements {
            camera_capture: true,
            ..Default::default()
        },
    };
    engine.store().put_task(&task).await?;

    let mut uploads: Vec<(Option<Kind>, String)> = Vec::new();
    for (i, original) in originals.iter().enumerate() {
        let other = &originals[(i + 1) % originals.len()];
        let variants = std::iter::once((None, Some(original.clone()))).chain(
            KINDS
                .iter()
                .map(|&k| (Some(k), k.forge(original, other, &donors))),
        );
        for (kind, bytes) in variants {
            let Some(bytes) = bytes else { continue };
            let req = UploadRequest {
                // One contributor per file: its forgeries are not this
                // contributor's own re-uploads.
                contributor_id: format!("contributor-{i}"),
                task_id: Some(task.id.clone()),
                ..Default::default()
            };
            let id = engine.ingest(req, bytes.into(), None).await?.upload_id;
            uploads.push((kind, id));
        }
    }
    let workers = engine.spawn_workers();
    let mut screened = Vec::with_capacity(uploads.len());
    for (kind, id) in uploads {
        let view = engine
            .wait_for_verdict(&id)
            .await?
            .context("upload vanished")?;
        let codes = view.findings.iter().map(|f| f.code.clone()).collect();
        screened.push(Screened { kind, codes });
    }
    workers.shutdown().await;
    report(&screened, originals.len(), args.json);
    Ok(())
}

/// JPEGs with a camera make and model and no editor named.
fn camera_originals(dir: &std::path::Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        let m = bonafide_metadata::read(&bytes);
        let jpeg = bytes.starts_with(&[0xFF, 0xD8]);
        if jpeg
            && bonafide_metadata::camera_key(&m).is_some()
            && !bonafide_metadata::names_an_editor(&m)
        {
            out.push(bytes);
        }
    }
    Ok(out)
}

fn report(screened: &[Screened], originals: usize, as_json: bool) {
    let has = |s: &Screened, codes: &[&str]| s.codes.iter().any(|c| codes.contains(&c.as_str()));
    let clean: Vec<&Screened> = screened.iter().filter(|s| s.kind.is_none()).collect();
    let rows: Vec<serde_json::Value> = KINDS
        .iter()
        .map(|&k| {
            let forged: Vec<&Screened> = screened.iter().filter(|s| s.kind == Some(k)).collect();
            let caught = forged.iter().filter(|s| has(s, k.expects())).count();
            let false_positives = clean.iter().filter(|s| has(s, k.expects())).count();
            json!({
                "tamper": k.name(),
                "finding": k.expects().join(" or "),
                "forged": forged.len(),
                "detected": caught,
                "rate": if forged.is_empty() { 0.0 } else { caught as f64 / forged.len() as f64 },
                "originals_flagged": false_positives,
            })
        })
        .collect();
    let mut flagged: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &clean {
        for c in s.codes.iter().filter(|c| c.starts_with("metadata.")) {
            *flagged.entry(c).or_default() += 1;
        }
    }
    if as_json {
        println!(
            "{}",
            json!({"originals": originals, "kinds": rows, "original_metadata_findings": flagged})
        );
        return;
    }
    println!("{originals} camera originals; each tamper applied where it can be");
    println!(
        "{:<40} {:<64} {:>6} {:>8} {:>6} {:>10}",
        "tamper", "finding", "forged", "detected", "rate", "originals"
    );
    for r in &rows {
        println!(
            "{:<40} {:<64} {:>6} {:>8} {:>5.0}% {:>10}",
            r["tamper"].as_str().unwrap_or_default(),
            r["finding"].as_str().unwrap_or_default(),
            r["forged"].as_u64().unwrap_or_default(),
            r["detected"].as_u64().unwrap_or_default(),
            r["rate"].as_f64().unwrap_or_default() * 100.0,
            r["originals_flagged"].as_u64().unwrap_or_default(),
        );
    }
    println!("metadata findings on the untouched originals: {flagged:?}");
}
