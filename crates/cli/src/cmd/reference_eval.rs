//! `bonafide eval reference`: how well reverse search finds copies. The
//! photos given are grouped (near-identical files — one photo at several
//! sizes — form one group), every other group goes into a reference bank
//! in a scratch store, and every photo of both halves is searched after
//! each [`Transform`]. A copy of a banked photo should find its own entry;
//! a photo that was never banked should find nothing. Reported per
//! transform and per way of matching (PDQ, the image embedding, both as
//! screening uses them), at the default thresholds. The OCR check is run
//! on every photo as it is, with a rendered stock watermark and with a
//! copyright notice, and the
//! screenshot check's letterbox cue on every photo and its screenshot.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use anyhow::Context;
use bonafide_core::BankMatch;
use bonafide_decode::decode;
use bonafide_engine::{Engine, SearchMatch, SearchOptions, SearchResult};
use bonafide_ingest::sniff;
use bonafide_store::{BankKind, Store, StoreConfig};
use image::RgbImage;
use serde_json::{Value, json};

use crate::config::Config;
use bonafide_transforms::{DEFAULT_FONT, Painter, Transform, jpeg};

/// Arguments of `eval reference`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders of photos, or CSVs whose first column names photo files
    /// (relative to the CSV).
    #[arg(required = true)]
    sets: Vec<PathBuf>,
    /// The font text overlays are drawn with.
    #[arg(long, default_value = DEFAULT_FONT)]
    font: PathBuf,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

/// One photo of the set.
struct Photo {
    path: PathBuf,
    picture: RgbImage,
    pdq: [u8; 32],
    group: usize,
}

/// How each way of matching did on one transform.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// Copies of banked photos that found their own entry.
    found: u32,
    /// Copies of banked photos.
    banked: u32,
    /// Searches whose best match was a wrong entry (any entry, for a photo
    /// never banked).
    wrong: u32,
}

impl Tally {
    fn json(self) -> Value {
        let right = f64::from(self.found);
        let precision = if self.found + self.wrong == 0 {
            1.0
        } else {
            right / f64::from(self.found + self.wrong)
        };
        json!({
            "recall": right / f64::from(self.banked.max(1)),
            "precision": precision,
            "found": self.found,
            "banked": self.banked,
            "false_matches": self.wrong,
        })
    }
}

/// Runs the evaluation.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let painter = Painter::load(&args.font)?;
    let scratch = tempfile::tempdir()?;
    let store = Store::open(&StoreConfig::embedded(scratch.path())).await?;
    let engine = Engine::new(store, config.engine.clone())?;
    anyhow::ensure!(
        engine.embeds_images(),
        "the CLIP model is not installed (scripts/models)"
    );
    let photos = load(&engine, &args.sets).await?;
    let groups = photos.iter().map(|p| p.group).max().map_or(0, |g| g + 1);
    eprintln!("{} photos in {groups} groups", photos.len());

    // Every other group is banked, with its first photo as the entry.
    engine
        .store()
        .ensure_bank_of("eval", "reverse-search evaluation", BankKind::Reference)
        .await?;
    let mut entry_group = BTreeMap::new();
    for p in photos.iter().filter(|p| p.group % 2 == 0) {
        if entry_group.values().any(|&g| g == p.group) {
            continue;
        }
        let print = engine
            .fingerprint(jpeg(&p.picture, 95).into(), true)
            .await?;
        let source = p.path.display().to_string();
        let entry = print.entry("eval", source.clone(), String::new(), String::new());
        engine.store().add_bank_entries(&[entry]).await?;
        entry_group.insert(source, p.group);
    }

    let ocr = ocr(&config)?;
    // Photos flagged by OCR: with a stock watermark (copyright.stock_watermark),
    // with a copyright notice (copyright.notice_in_image), and as they are
    // (either finding).
    let (mut marked_flagged, mut notice_flagged, mut clean_flagged) = (0u32, 0u32, 0u32);
    let (mut shot_framed, mut clean_framed) = (0u32, 0u32);
    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    // Cosines of the right entry (banked) and of the best entry (never banked).
    let mut cosines: BTreeMap<&str, (Vec<f32>, Vec<f32>)> = BTreeMap::new();
    let bar = super::progress::bar((photos.len() * Transform::ALL.len()) as u64);
    bar.set_message("searching");
    for p in &photos {
        let banked = p.group % 2 == 0;
        use bonafide_signals::rights_codes::{NOTICE_IN_IMAGE, STOCK_WATERMARK};
        let flagged = |bytes: &[u8], codes: &[&str]| -> anyhow::Result<bool> {
            let picture = image::load_from_memory(bytes)?.to_rgb8();
            let findings = ocr.inspect(&picture).map_err(anyhow::Error::msg)?;
            Ok(findings.iter().any(|f| codes.contains(&f.code.as_str())))
        };
        let clean = jpeg(&p.picture, 90);
        clean_flagged += u32::from(flagged(&clean, &[STOCK_WATERMARK, NOTICE_IN_IMAGE])?);
        clean_framed += u32::from(framed(&engine, clean).await?);
        for t in Transform::ALL {
            let bytes = painter.apply(t, &p.picture);
            if t == Transform::StockWatermark {
                marked_flagged += u32::from(flagged(&bytes, &[STOCK_WATERMARK])?);
            }
            if t == Transform::CopyrightNotice {
                notice_flagged += u32::from(flagged(&bytes, &[NOTICE_IN_IMAGE])?);
            }
            if t == Transform::Screenshot {
                shot_framed += u32::from(framed(&engine, bytes.clone()).await?);
            }
            // Each way of matching on its own, then both as screening
            // uses them (an entry PDQ matches is named by PDQ); the copy is
            // fingerprinted once.
            let print = engine.fingerprint(bytes.into(), true).await?;
            let search = |by_pdq, by_embedding| {
                engine.search_fingerprint(
                    &print,
                    SearchOptions {
                        min_cosine: 0.5,
                        by_pdq,
                        by_embedding,
                        ..SearchOptions::default()
                    },
                )
            };
            let runs = [
                ("pdq", search(true, false).await?),
                ("embedding", search(false, true).await?),
                ("screening", search(true, true).await?),
            ];
            for (by, found) in &runs {
                let tally = tallies.entry((t.name(), *by)).or_default();
                tally.banked += u32::from(banked);
                match best_entry(found, &entry_group) {
                    Some(Some(g)) if banked && g == p.group => tally.found += 1,
                    Some(_) => tally.wrong += 1,
                    None => {}
                }
            }
            let own = runs[1].1.matches.iter().find_map(|m| match m {
                SearchMatch::Bank {
                    source,
                    matched: BankMatch::Embedding { cosine },
                    ..
                } if !banked || entry_group.get(source) == Some(&p.group) => Some(*cosine),
                _ => None,
            });
            let c = cosines.entry(t.name()).or_default();
            if let Some(cos) = own {
                if banked { c.0.push(cos) } else { c.1.push(cos) }
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    let report = json!({
        "photos": photos.len(),
        "groups": groups,
        "banked_groups": entry_group.len(),
        "screenshot_letterbox": {
            "screenshots_framed": shot_framed,
            "photos_framed": clean_framed,
            "photos": photos.len(),
        },
        "ocr": {
            "watermarked_flagged": marked_flagged,
            "notice_flagged": notice_flagged,
            "clean_flagged": clean_flagged,
            "photos": photos.len(),
        },
        "thresholds": {"pdq_distance": bonafide_pdq::MATCH_DISTANCE, "embedding_cosine": bonafide_matching::REFERENCE_COSINE},
        "transforms": Transform::ALL.iter().map(|t| {
            let (own, other) = cosines.get(t.name()).cloned().unwrap_or_default();
            json!({
                "transform": t.name(),
                "pdq": tallies[&(t.name(), "pdq")].json(),
                "embedding": tallies[&(t.name(), "embedding")].json(),
                "screening": tallies[&(t.name(), "screening")].json(),
                "embedding_cosine_own_min": own.iter().copied().reduce(f32::min),
                "embedding_cosine_unbanked_max": other.iter().copied().reduce(f32::max),
            })
        }).collect::<Vec<_>>(),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

fn print_table(r: &Value) {
    println!(
        "{} photos, {} groups, {} banked; PDQ ≤ {}, cosine ≥ {:.2}",
        r["photos"],
        r["groups"],
        r["banked_groups"],
        r["thresholds"]["pdq_distance"],
        r["thresholds"]["embedding_cosine"].as_f64().unwrap_or(0.0)
    );
    println!(
        "{:<18} {:>14} {:>14} {:>14}   {:>9} {:>9}",
        "transform", "PDQ R/P", "embedding R/P", "screening R/P", "cos own≥", "cos else≤"
    );
    let rp = |v: &Value| {
        format!(
            "{:.2}/{:.2}",
            v["recall"].as_f64().unwrap_or(0.0),
            v["precision"].as_f64().unwrap_or(0.0)
        )
    };
    let cos = |v: &Value| v.as_f64().map_or("-".into(), |c| format!("{c:.3}"));
    let frame = &r["screenshot_letterbox"];
    println!(
        "metadata.screenshot letterbox cue: {}/{} phone screenshots framed, {}/{} photos",
        frame["screenshots_framed"], frame["photos"], frame["photos_framed"], frame["photos"]
    );
    let ocr = &r["ocr"];
    println!(
        "OCR: copyright.stock_watermark on {}/{} watermarked photos, copyright.notice_in_image on {}/{} with a notice, either on {}/{} as they are",
        ocr["watermarked_flagged"],
        ocr["photos"],
        ocr["notice_flagged"],
        ocr["photos"],
        ocr["clean_flagged"],
        ocr["photos"]
    );
    for t in r["transforms"].as_array().into_iter().flatten() {
        println!(
            "{:<18} {:>14} {:>14} {:>14}   {:>9} {:>9}",
            t["transform"].as_str().unwrap_or(""),
            rp(&t["pdq"]),
            rp(&t["embedding"]),
            rp(&t["screening"]),
            cos(&t["embedding_cosine_own_min"]),
            cos(&t["embedding_cosine_unbanked_max"]),
        );
    }
}

/// The group of the best bank entry a search found at the screening
/// thresholds: `None` for no match, `Some(None)` for an entry outside the
/// evaluation's bank.
fn best_entry(
    found: &SearchResult,
    entry_group: &BTreeMap<String, usize>,
) -> Option<Option<usize>> {
    found.matches.iter().find_map(|m| match m {
        SearchMatch::Bank {
            source, matched, ..
        } => {
            let counts = match matched {
                BankMatch::Pdq { .. } => true,
                BankMatch::Embedding { cosine } => *cosine >= bonafide_matching::REFERENCE_COSINE,
                // Pictures are searched, not videos.
                BankMatch::Frames { .. } => false,
            };
            counts.then(|| entry_group.get(source).copied())
        }
        SearchMatch::Upload { .. } => None,
    })
}

/// Whether the screenshot check's letterbox cue fires on a file, decoded
/// as an upload is.
async fn framed(engine: &Engine, bytes: Vec<u8>) -> anyhow::Result<bool> {
    let art = decode(
        bytes.into(),
        bonafide_core::MediaType::Jpeg,
        &engine.config().decode,
    )
    .await?;
    Ok(art
        .image
        .is_some_and(|i| bonafide_signals::letterbox(&i.luma).is_some()))
}

/// The OCR check the screening runs, on its own.
fn ocr(config: &Config) -> anyhow::Result<bonafide_signals::TextInImage> {
    use bonafide_models::{ModelDir, Runtime, TextLineDetector, TextReader};
    let models = &config.engine.models;
    let runtime = Runtime::load(&ModelDir::new(&models.dir), models.threads)?;
    Ok(bonafide_signals::TextInImage::new(Some((
        std::sync::Arc::new(TextLineDetector::load(&runtime)?),
        std::sync::Arc::new(TextReader::load(&runtime)?),
    ))))
}

/// Every still photo of the sets, decoded as an upload would be, grouped
/// by PDQ (a photo within the match distance of another joins its group).
async fn load(engine: &Engine, sets: &[PathBuf]) -> anyhow::Result<Vec<Photo>> {
    let mut files = Vec::new();
    for set in sets {
        if set
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            let dir = set.parent().unwrap_or(Path::new("."));
            let mut reader =
                csv::Reader::from_path(set).with_context(|| set.display().to_string())?;
            for row in reader.records() {
                files.push(dir.join(&row?[0]));
            }
        } else {
            for e in walkdir::WalkDir::new(set).sort_by_file_name() {
                let e = e?;
                if e.file_type().is_file() {
                    files.push(e.into_path());
                }
            }
        }
    }
    let mut photos: Vec<Photo> = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path)?;
        let media_type = sniff(&bytes);
        let Some(picture) = decode(bytes.into(), media_type, &engine.config().decode)
            .await
            .ok()
            .and_then(|a| a.image?.colour)
        else {
            continue;
        };
        let picture = picture.as_ref().clone();
        let print = engine.fingerprint(jpeg(&picture, 95).into(), false).await?;
        if print.pdq.quality < bonafide_pdq::MIN_QUALITY {
            continue;
        }
        let pdq = print.pdq.variants[0].1;
        let near = photos.iter().find(|p| {
            bonafide_matching::distance(
                &bonafide_matching::pack(&p.pdq),
                &bonafide_matching::pack(&pdq),
            ) <= bonafide_pdq::MATCH_DISTANCE
        });
        let group = near.map_or_else(
            || photos.iter().map(|p| p.group + 1).max().unwrap_or(0),
            |p| p.group,
        );
        photos.push(Photo {
            path,
            picture,
            pdq,
            group,
        });
    }
    Ok(photos)
}
