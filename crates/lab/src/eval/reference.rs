//! `bonafide eval reference`: how well reverse search finds copies. The
//! photos given are grouped (near-identical files — one photo at several
//! sizes — form one group), every other group goes into a reference bank
//! in a scratch store, and every photo of both halves is searched after
//! each edit: the ten copiers' [`Edit`]s of issue #21 (saved as JPEG q75;
//! a pasted copy goes onto a never-banked photo) and the seven older
//! [`Transform`]s. A copy of a banked photo should find its own entry; a
//! photo that was never banked should find nothing. Reported per edit and
//! per way of matching (PDQ, the copy descriptor with its regions, the
//! CLIP embedding, all three as screening uses them), at the shipped
//! thresholds; then the copy descriptor's post-processing measured on the
//! ten edits — raw, centred, centred and score-normalised — each at the
//! threshold that keeps never-banked photos' false matches at 1 %. The OCR
//! check is run on every photo as it is, with a rendered stock watermark
//! and with a copyright notice, and the screenshot check's letterbox cue on
//! every photo and its screenshot.
//!
//! Over 600 lines: the cases, the tallies and the report of one evaluation
//! in one place, until the evaluations move to their own crate (issue #22,
//! step 5).

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use anyhow::Context;
use bonafide_core::{BankMatch, Embedding};
use bonafide_decode::decode;
use bonafide_engine::{Engine, SearchMatch, SearchOptions, SearchResult};
use bonafide_ingest::sniff;
use bonafide_models::{CopyDescriptor, CopySpace};
use bonafide_store::{BankKind, Store, StoreConfig};
use image::RgbImage;
use serde_json::{Value, json};

use crate::transforms::{DEFAULT_FONT, Edit, Painter, Transform, jpeg};
use bonafide_server::Config;

/// JPEG quality the ten edits are saved at (issue #21's measurement).
const EDIT_QUALITY: u8 = 75;

/// Share of never-banked photos' edits allowed to match something when the
/// post-processing variants' thresholds are chosen.
const FALSE_RATE: f64 = 0.01;

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
    /// Only the ten copier edits: skip the older transforms and the OCR and
    /// letterbox checks.
    #[arg(long)]
    edits_only: bool,
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

/// An edit a photo is searched after.
#[derive(Clone, Copy)]
enum Case {
    Edit(Edit),
    Transform(Transform),
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Self::Edit(e) => e.name(),
            Self::Transform(t) => t.name(),
        }
    }
}

/// The ways of matching reported, as search options.
const WAYS: [(&str, bool, bool, bool); 4] = [
    ("pdq", true, false, false),
    ("descriptor", false, true, false),
    ("embedding", false, false, true),
    ("screening", true, true, true),
];

/// How each way of matching did on one edit.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// Copies of banked photos that found their own entry.
    found: u32,
    /// Copies of banked photos.
    banked: u32,
    /// Copies of never-banked photos.
    unbanked: u32,
    /// Searches whose best match was a wrong entry (any entry, for a photo
    /// never banked).
    wrong: u32,
    /// Never-banked photos' copies that matched anything.
    false_matches: u32,
    /// Copies found through a region of the upload (not the whole).
    by_region: u32,
}

impl Tally {
    fn json(self) -> Value {
        let precision = if self.found + self.wrong == 0 {
            1.0
        } else {
            f64::from(self.found) / f64::from(self.found + self.wrong)
        };
        json!({
            "recall": f64::from(self.found) / f64::from(self.banked.max(1)),
            "precision": precision,
            "found": self.found,
            "banked": self.banked,
            "wrong_matches": self.wrong,
            "unbanked": self.unbanked,
            "unbanked_matched": self.false_matches,
            "false_match_rate": f64::from(self.false_matches) / f64::from(self.unbanked.max(1)),
            "found_by_region": self.by_region,
        })
    }
}

/// Raw copy descriptors of one edited copy: the whole, then its regions.
struct Described {
    banked_group: Option<usize>,
    edit: usize,
    whole: Vec<f32>,
    regions: Vec<Vec<f32>>,
}

/// Runs the evaluation.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let painter = Painter::load(&args.font)?;
    let scratch = tempfile::tempdir()?;
    let store = Store::open(&StoreConfig::embedded(scratch.path())).await?;
    let engine = Engine::new(store, config.engine.clone())?;
    anyhow::ensure!(
        engine.embeds_images() && engine.describes_copies(),
        "the CLIP and SSCD models are not installed (scripts/models)"
    );
    let photos = load(&engine, &args.sets).await?;
    let groups = photos.iter().map(|p| p.group).max().map_or(0, |g| g + 1);
    eprintln!("{} photos in {groups} groups", photos.len());
    let descriptor = descriptor_model(&config)?;

    // Every other group is banked, with its first photo as the entry.
    engine
        .store()
        .ensure_bank_of("eval", "reverse-search evaluation", BankKind::Reference)
        .await?;
    let mut entry_group = BTreeMap::new();
    let mut bank_raw: Vec<(usize, Vec<f32>)> = Vec::new();
    for p in photos.iter().filter(|p| p.group % 2 == 0) {
        if entry_group.values().any(|&g| g == p.group) {
            continue;
        }
        let bytes = jpeg(&p.picture, 95);
        let print = engine.fingerprint(bytes.clone().into(), true).await?;
        let source = p.path.display().to_string();
        let entry = print.entry("eval", source.clone(), String::new(), String::new());
        engine.store().add_bank_entries(&[entry]).await?;
        entry_group.insert(source, p.group);
        bank_raw.push((
            p.group,
            describe(&engine, &descriptor, bytes, false).await?.0,
        ));
    }
    // Pasted copies go onto photos that were never banked.
    let backdrops: Vec<&Photo> = photos.iter().filter(|p| p.group % 2 == 1).collect();
    anyhow::ensure!(!backdrops.is_empty(), "no never-banked photo to paste onto");

    let cases: Vec<Case> = Edit::ALL
        .into_iter()
        .map(Case::Edit)
        .chain(
            Transform::ALL
                .into_iter()
                .map(Case::Transform)
                .filter(|_| !args.edits_only),
        )
        .collect();
    let ocr = (!args.edits_only).then(|| ocr(&config)).transpose()?;
    // Photos flagged by OCR: with a stock watermark (copyright.stock_watermark),
    // with a copyright notice (copyright.notice_in_image), and as they are
    // (either finding).
    let (mut marked_flagged, mut notice_flagged, mut clean_flagged) = (0u32, 0u32, 0u32);
    let (mut shot_framed, mut clean_framed) = (0u32, 0u32);
    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    // Never-banked copies that screening matched to an entry: what to look at.
    let mut false_matches: Vec<Value> = Vec::new();
    let mut described: Vec<Described> = Vec::new();
    let bar = crate::progress::bar((photos.len() * cases.len()) as u64);
    bar.set_message("searching");
    for (i, p) in photos.iter().enumerate() {
        let banked = p.group % 2 == 0;
        if let Some(ocr) = &ocr {
            use bonafide_signals::rights_codes::{NOTICE_IN_IMAGE, STOCK_WATERMARK};
            let flagged = |t: Transform, codes: &[&str]| -> anyhow::Result<bool> {
                let picture = image::load_from_memory(&painter.apply(t, &p.picture))?.to_rgb8();
                let findings = ocr.inspect(&picture).map_err(anyhow::Error::msg)?;
                Ok(findings.iter().any(|f| codes.contains(&f.code.as_str())))
            };
            let clean = jpeg(&p.picture, 90);
            let picture = image::load_from_memory(&clean)?.to_rgb8();
            let findings = ocr.inspect(&picture).map_err(anyhow::Error::msg)?;
            clean_flagged += u32::from(
                findings
                    .iter()
                    .any(|f| [STOCK_WATERMARK, NOTICE_IN_IMAGE].contains(&f.code.as_str())),
            );
            marked_flagged += u32::from(flagged(Transform::StockWatermark, &[STOCK_WATERMARK])?);
            notice_flagged += u32::from(flagged(Transform::CopyrightNotice, &[NOTICE_IN_IMAGE])?);
            clean_framed += u32::from(framed(&engine, clean).await?);
            shot_framed +=
                u32::from(framed(&engine, painter.apply(Transform::Screenshot, &p.picture)).await?);
        }
        for (c, &case) in cases.iter().enumerate() {
            let bytes = match case {
                Case::Edit(e) => {
                    // Never its own backdrop: the next never-banked photo.
                    let backdrop = backdrops
                        .iter()
                        .cycle()
                        .skip(i % backdrops.len())
                        .find(|b| b.path != p.path)
                        .unwrap_or(&backdrops[0]);
                    let seed = (i * 31 + c) as u64;
                    jpeg(
                        &painter.edit(e, &p.picture, &backdrop.picture, seed),
                        EDIT_QUALITY,
                    )
                }
                Case::Transform(t) => painter.apply(t, &p.picture),
            };
            if let Case::Edit(_) = case {
                let (whole, regions) = describe(&engine, &descriptor, bytes.clone(), true).await?;
                described.push(Described {
                    banked_group: banked.then_some(p.group),
                    edit: c,
                    whole,
                    regions,
                });
            }
            // Each way of matching on its own, then all as screening uses
            // them (an entry PDQ matches is named by PDQ); the copy is
            // fingerprinted once.
            let print = engine.fingerprint(bytes.into(), true).await?;
            for (by, by_pdq, by_descriptor, by_embedding) in WAYS {
                let found = engine
                    .search_fingerprint(
                        bonafide_core::DEFAULT_TENANT,
                        &print,
                        SearchOptions {
                            min_cosine: bonafide_matching::REFERENCE_COSINE,
                            by_pdq,
                            by_descriptor,
                            by_embedding,
                            ..SearchOptions::default()
                        },
                    )
                    .await?;
                let tally = tallies.entry((case.name(), by)).or_default();
                if banked {
                    tally.banked += 1;
                } else {
                    tally.unbanked += 1;
                }
                match best_entry(&found, &entry_group) {
                    Some(Some(g)) if banked && g == p.group => {
                        tally.found += 1;
                        tally.by_region += u32::from(by_region(&found));
                    }
                    Some(_) => {
                        tally.wrong += 1;
                        tally.false_matches += u32::from(!banked);
                        if by == "screening" {
                            false_matches.push(json!({
                                "photo": p.path.display().to_string(),
                                "banked": banked,
                                "edit": case.name(),
                                "matched": found.matches.first(),
                            }));
                        }
                    }
                    None => {}
                }
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    let edits: Vec<Value> = cases
        .iter()
        .map(|c| {
            let mut row = json!({"edit": c.name()});
            for (by, ..) in WAYS {
                row[by] = tallies[&(c.name(), by)].json();
            }
            row
        })
        .collect();
    // The ten edits together.
    let total = |by: &str| {
        let mut t = Tally::default();
        for c in cases.iter().filter(|c| matches!(c, Case::Edit(_))) {
            let one = tallies[&(c.name(), by)];
            t.found += one.found;
            t.banked += one.banked;
            t.unbanked += one.unbanked;
            t.wrong += one.wrong;
            t.false_matches += one.false_matches;
            t.by_region += one.by_region;
        }
        t.json()
    };
    let report = json!({
        "photos": photos.len(),
        "groups": groups,
        "banked_groups": entry_group.len(),
        "edit_quality": EDIT_QUALITY,
        "thresholds": {
            "pdq_distance": bonafide_pdq::MATCH_DISTANCE,
            "descriptor_score": bonafide_matching::COPY_SCORE,
            "descriptor_region_score": bonafide_matching::COPY_REGION_SCORE,
            "embedding_cosine": bonafide_matching::REFERENCE_COSINE,
        },
        "ten_edits": WAYS.iter().map(|(by, ..)| (by.to_string(), total(by))).collect::<serde_json::Map<_, _>>(),
        "edits": edits,
        "post_processing": post_processing(&bank_raw, &described, Edit::ALL.len()),
        "wrong_matches": false_matches,
        "screenshot_letterbox": ocr.as_ref().map(|_| json!({
            "screenshots_framed": shot_framed,
            "photos_framed": clean_framed,
            "photos": photos.len(),
        })),
        "ocr": ocr.as_ref().map(|_| json!({
            "watermarked_flagged": marked_flagged,
            "notice_flagged": notice_flagged,
            "clean_flagged": clean_flagged,
            "photos": photos.len(),
        })),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

/// A raw descriptor made comparable: the unit vector and its offset.
type PostProcess<'a> = dyn Fn(&[f32]) -> (Embedding, f32) + 'a;

/// The descriptor post-processing compared on the ten edits: for raw
/// descriptors, centred ones, and centred and score-normalised ones (what
/// screening ships), the threshold at which 1 % of never-banked copies
/// match an entry, and the recall there (a copy counts when its own entry
/// scores highest and reaches the threshold); whole and regions together.
fn post_processing(bank: &[(usize, Vec<f32>)], copies: &[Described], edits: usize) -> Value {
    let space = CopySpace::shipped();
    let variants: [(&str, &PostProcess); 3] = [
        ("raw", &|v: &[f32]| (Embedding::normalized(v.to_vec()), 0.0)),
        ("centred", &|v: &[f32]| (space.project(v), 0.0)),
        ("centred + score normalisation", &|v: &[f32]| {
            let e = space.project(v);
            let offset = space.offset(&e);
            (e, offset)
        }),
    ];
    let rows: Vec<Value> = variants
        .iter()
        .map(|(name, post)| {
            let entries: Vec<(usize, Embedding)> =
                bank.iter().map(|(g, v)| (*g, post(v).0)).collect();
            // Per copy: the best score of its own entry and of any other.
            let scored: Vec<(Option<usize>, usize, f32, f32)> = copies
                .iter()
                .map(|d| {
                    let (mut own, mut other) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
                    for v in std::iter::once(&d.whole).chain(&d.regions) {
                        let (q, offset) = post(v);
                        for (g, e) in &entries {
                            let s = q.cosine(e) - offset;
                            if Some(*g) == d.banked_group {
                                own = own.max(s);
                            } else {
                                other = other.max(s);
                            }
                        }
                    }
                    (d.banked_group, d.edit, own, other)
                })
                .collect();
            let mut negatives: Vec<f32> = scored
                .iter()
                .filter(|s| s.0.is_none())
                .map(|s| s.3)
                .collect();
            negatives.sort_by(|a, b| b.total_cmp(a));
            // Above the highest negative beyond the allowed share.
            let allowed = (negatives.len() as f64 * FALSE_RATE).floor() as usize;
            let threshold = negatives.get(allowed).map_or(0.0, |n| n + 1e-4);
            let mut per_edit = vec![(0u32, 0u32); edits];
            for s in scored.iter().filter(|s| s.0.is_some()) {
                per_edit[s.1].1 += 1;
                if s.2 >= threshold && s.2 > s.3 {
                    per_edit[s.1].0 += 1;
                }
            }
            let (found, banked) = per_edit
                .iter()
                .fold((0, 0), |(f, b), (ef, eb)| (f + ef, b + eb));
            json!({
                "variant": name,
                "threshold_at_1pct_false": threshold,
                "recall": f64::from(found) / f64::from(banked.max(1)),
                "per_edit": Edit::ALL.iter().zip(&per_edit)
                    .map(|(e, (f, b))| json!({"edit": e.name(), "found": f, "banked": b}))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!(rows)
}

fn print_table(r: &Value) {
    println!(
        "{} photos, {} groups, {} banked; PDQ ≤ {}, descriptor score ≥ {:.2}, CLIP cosine ≥ {:.2}",
        r["photos"],
        r["groups"],
        r["banked_groups"],
        r["thresholds"]["pdq_distance"],
        r["thresholds"]["descriptor_score"].as_f64().unwrap_or(0.0),
        r["thresholds"]["embedding_cosine"].as_f64().unwrap_or(0.0)
    );
    let cell = |v: &Value| {
        format!(
            "{}/{} {}",
            v["found"],
            v["banked"],
            v["unbanked_matched"]
                .as_u64()
                .map_or(String::new(), |n| format!("({n}✗)"))
        )
    };
    println!(
        "{:<20} {:>16} {:>16} {:>16} {:>16}",
        "edit", "PDQ", "descriptor", "CLIP", "screening"
    );
    let row = |name: &str, t: &Value| {
        println!(
            "{:<20} {:>16} {:>16} {:>16} {:>16}",
            name,
            cell(&t["pdq"]),
            cell(&t["descriptor"]),
            cell(&t["embedding"]),
            cell(&t["screening"]),
        );
    };
    for t in r["edits"].as_array().into_iter().flatten() {
        row(t["edit"].as_str().unwrap_or(""), t);
    }
    row("ten edits", &r["ten_edits"]);
    println!("found/banked (never-banked copies that matched ✗)");
    for v in r["post_processing"].as_array().into_iter().flatten() {
        println!(
            "descriptor {:<30} threshold {:.3} at 1% false: recall {:.3}",
            v["variant"].as_str().unwrap_or(""),
            v["threshold_at_1pct_false"].as_f64().unwrap_or(0.0),
            v["recall"].as_f64().unwrap_or(0.0)
        );
    }
    if let Some(frame) = r["screenshot_letterbox"].as_object() {
        println!(
            "metadata.screenshot letterbox cue: {}/{} phone screenshots framed, {}/{} photos",
            frame["screenshots_framed"], frame["photos"], frame["photos_framed"], frame["photos"]
        );
    }
    if let Some(ocr) = r["ocr"].as_object() {
        println!(
            "OCR: copyright.stock_watermark on {}/{} watermarked photos, copyright.notice_in_image on {}/{} with a notice, either on {}/{} as they are",
            ocr["watermarked_flagged"],
            ocr["photos"],
            ocr["notice_flagged"],
            ocr["photos"],
            ocr["clean_flagged"],
            ocr["photos"]
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
                BankMatch::Pdq { .. } | BankMatch::Descriptor { .. } => true,
                BankMatch::Embedding { cosine } => *cosine >= bonafide_matching::REFERENCE_COSINE,
                // Pictures are searched, not videos.
                BankMatch::Frames { .. } => false,
            };
            counts.then(|| entry_group.get(source).copied())
        }
        SearchMatch::Upload { .. } => None,
    })
}

/// Whether a search's best match is a region's copy descriptor.
fn by_region(found: &SearchResult) -> bool {
    matches!(
        found.matches.first(),
        Some(SearchMatch::Bank {
            matched: BankMatch::Descriptor {
                region: Some(_),
                ..
            },
            ..
        })
    )
}

/// The copy-descriptor model, loaded on its own for the raw descriptors.
fn descriptor_model(config: &Config) -> anyhow::Result<CopyDescriptor> {
    use bonafide_models::{ModelDir, Runtime};
    let models = &config.engine.models;
    let runtime = Runtime::load(&ModelDir::new(&models.dir), models.threads)?;
    Ok(CopyDescriptor::load(&runtime)?)
}

/// The raw copy descriptor of a JPEG, decoded as an upload is, and (when
/// `regions`) those of the regions screening would describe.
async fn describe(
    engine: &Engine,
    model: &CopyDescriptor,
    bytes: Vec<u8>,
    regions: bool,
) -> anyhow::Result<(Vec<f32>, Vec<Vec<f32>>)> {
    let art = decode(
        bytes.into(),
        bonafide_core::MediaType::Jpeg,
        &engine.config().decode,
    )
    .await?;
    let colour = art
        .image
        .and_then(|i| i.colour)
        .context("a JPEG without colour")?;
    let working = CopyDescriptor::working(&colour);
    let whole = model.describe(&working)?;
    let parts = if regions {
        model.describe_regions(&working, &bonafide_matching::regions::proposals(&working))?
    } else {
        Vec::new()
    };
    Ok((whole, parts))
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
