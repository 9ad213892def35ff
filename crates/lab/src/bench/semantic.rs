//! `bonafide-lab bench semantic DIR…`: what image embeddings (CLIP) catch that
//! PDQ misses, and the other way round. Every real photo in DIR gets the
//! copies fraudsters make — crops, borders, small rotations, a caption
//! band, a screenshot frame — re-encoded as JPEG and decoded as uploads
//! are; each copy is compared with its original (positives) and with every
//! other original (negatives). Reported per copy kind: recall of each
//! method at its operating point (PDQ distance ≤ 31, cosine ≥
//! `MIN_COSINE`) and at zero false positives on this set, and which
//! copies only one of them catches. Then the HNSW index against an exact
//! scan: recall@10 and query time.

use std::{path::PathBuf, time::Instant};

use anyhow::Context;
use bonafide_core::Embedding;
use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::sniff;
use bonafide_matching::{HnswGraph, MIN_COSINE, distance, pack};
use bonafide_models::{ClipImageEncoder, ModelDir, Runtime};
use bonafide_pdq::MATCH_DISTANCE;
use image::{Rgb, RgbImage};
use serde_json::json;

use bonafide_server::Config;

/// Arguments of `bench semantic`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders of real photos (JPEG or PNG, searched recursively).
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Vectors in the index comparison (real embeddings and jittered copies).
    #[arg(long, default_value_t = 20_000)]
    index_size: usize,
    /// Also load the index comparison's vectors into pgvector (HNSW,
    /// halfvec) at this PostgreSQL URL and time the same queries there.
    #[arg(long)]
    pgvector: Option<String>,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
}

/// A kind of copy.
#[derive(Debug, Clone, Copy)]
enum Copy {
    Crop(u32),
    Pad(u32),
    Rotate(f32),
    Caption,
    Screenshot,
}

const COPIES: [Copy; 9] = [
    Copy::Crop(5),
    Copy::Crop(15),
    Copy::Crop(30),
    Copy::Pad(10),
    Copy::Pad(25),
    Copy::Rotate(3.0),
    Copy::Rotate(8.0),
    Copy::Caption,
    Copy::Screenshot,
];

impl Copy {
    fn name(self) -> String {
        match self {
            Copy::Crop(p) => format!("crop {p}%"),
            Copy::Pad(p) => format!("white border {p}%"),
            Copy::Rotate(d) => format!("rotated {d}°"),
            Copy::Caption => "caption band".into(),
            Copy::Screenshot => "screenshot frame".into(),
        }
    }

    fn apply(self, img: &RgbImage) -> RgbImage {
        let (w, h) = img.dimensions();
        match self {
            // p % of the width and of the height cut away, centred.
            Copy::Crop(p) => {
                let (dx, dy) = (w * p / 200, h * p / 200);
                image::imageops::crop_imm(img, dx, dy, w - 2 * dx, h - 2 * dy).to_image()
            }
            Copy::Pad(p) => {
                let b = w.max(h) * p / 100;
                let mut out = RgbImage::from_pixel(w + 2 * b, h + 2 * b, Rgb([255, 255, 255]));
                image::imageops::overlay(&mut out, img, i64::from(b), i64::from(b));
                out
            }
            Copy::Rotate(degrees) => rotate(img, degrees),
            Copy::Caption => caption(img),
            Copy::Screenshot => {
                let inner = Copy::Crop(10).apply(img);
                let (iw, ih) = inner.dimensions();
                let (pad, bar) = (iw / 12, ih / 9);
                let mut out =
                    RgbImage::from_pixel(iw + 2 * pad, ih + 2 * pad + bar, Rgb([248, 248, 248]));
                for y in 0..bar {
                    for x in 0..out.width() {
                        out.put_pixel(x, y, Rgb([28, 28, 32]));
                    }
                }
                image::imageops::overlay(&mut out, &inner, i64::from(pad), i64::from(pad + bar));
                out
            }
        }
    }
}

/// Turned about the centre on the same canvas (bilinear; corners black).
fn rotate(img: &RgbImage, degrees: f32) -> RgbImage {
    let (w, h) = img.dimensions();
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    RgbImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (sx, sy) = (cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy);
        if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
            return Rgb([0, 0, 0]);
        }
        let (x0, y0) = (sx as u32, sy as u32);
        let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
        let p = |x, y| img.get_pixel(x, y).0.map(f32::from);
        let (a, b, c, d) = (p(x0, y0), p(x0 + 1, y0), p(x0, y0 + 1), p(x0 + 1, y0 + 1));
        Rgb(std::array::from_fn(|i| {
            let top = a[i] + (b[i] - a[i]) * fx;
            let bottom = c[i] + (d[i] - c[i]) * fx;
            (top + (bottom - top) * fy).round() as u8
        }))
    })
}

/// A dark band over the bottom fifth with white word-like marks: a
/// stand-in for a text overlay (no font is rendered).
fn caption(img: &RgbImage) -> RgbImage {
    let mut out = img.clone();
    let (w, h) = out.dimensions();
    let top = h * 4 / 5;
    for y in top..h {
        for x in 0..w {
            let p = out.get_pixel_mut(x, y);
            p.0 = p.0.map(|v| v / 5);
        }
    }
    let glyph = (h / 20).max(4);
    let (y0, y1) = (
        top + (h - top) / 2 - glyph / 2,
        top + (h - top) / 2 + glyph / 2,
    );
    let mut x = w / 20;
    let mut n = 0u32;
    while x + glyph < w * 19 / 20 {
        // Letters of a few widths, a gap every few letters.
        let width = glyph / 2 + (n * 7 % 5) * glyph / 8;
        if n % 6 != 5 {
            for yy in y0..y1 {
                for xx in x..(x + width).min(w) {
                    if (xx - x) % (glyph / 3).max(2) != 0 {
                        out.put_pixel(xx, yy, Rgb([250, 250, 250]));
                    }
                }
            }
        }
        x += width + glyph / 4;
        n += 1;
    }
    out
}

/// What one picture is to both methods.
struct Signature {
    /// PDQ in all eight orientations (original first).
    pdq: Vec<[u64; 4]>,
    quality: u8,
    clip: Embedding,
}

/// Decodes as an upload would be and computes both signatures.
async fn signature(bytes: Vec<u8>, clip: &ClipImageEncoder) -> anyhow::Result<Option<Signature>> {
    let media_type = sniff(&bytes);
    let Ok(art) = decode(bytes.into(), media_type, &DecodeConfig::default()).await else {
        return Ok(None);
    };
    let Some((image, colour)) = art.image.and_then(|i| i.colour.clone().map(|c| (i, c))) else {
        return Ok(None);
    };
    let variants = bonafide_pdq::hash_image_dihedral(image.luma.as_ref());
    let embedding = clip.embed(&[colour.as_ref()])?.remove(0);
    Ok(Some(Signature {
        pdq: variants
            .iter()
            .map(|(_, h)| pack(&h.hash.to_bytes()))
            .collect(),
        quality: variants[0].1.quality,
        clip: embedding,
    }))
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(img)
        .expect("encoding to memory");
    out
}

/// PDQ distance of a copy to an original: the copy's hash against the
/// original's in any orientation, as the near-duplicate index matches.
fn pdq_distance(copy: &Signature, original: &Signature) -> u32 {
    original
        .pdq
        .iter()
        .map(|o| distance(&copy.pdq[0], o))
        .min()
        .unwrap_or(256)
}

/// Runs the comparison and prints it.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let runtime = Runtime::load(&ModelDir::new(&config.engine.models.dir), 0)?;
    let clip = ClipImageEncoder::load(&runtime)?;
    let dirs: Vec<&std::path::Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let files = super::files_under(&dirs, &["jpg", "jpeg", "png"]);

    // Originals: decodable, at least 256 px on the short side, PDQ of good
    // quality, and not a near-copy of an earlier one (corpora repeat
    // pictures, which would count as false positives).
    let mut originals: Vec<(PathBuf, RgbImage, Signature)> = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let Ok(img) = image::load_from_memory(&bytes) else {
            continue;
        };
        let img = img.to_rgb8();
        if img.width().min(img.height()) < 256 {
            continue;
        }
        let Some(sig) = signature(bytes, &clip).await? else {
            continue;
        };
        let repeat = originals.iter().any(|(_, _, o)| {
            pdq_distance(&sig, o) <= MATCH_DISTANCE || sig.clip.cosine(&o.clip) > 0.97
        });
        if sig.quality >= bonafide_pdq::MIN_QUALITY && !repeat {
            originals.push((path, img, sig));
        }
    }
    anyhow::ensure!(originals.len() >= 2, "need at least two distinct photos");

    let mut rows = Vec::new();
    let mut copies_clip = Vec::new();
    for kind in COPIES {
        let mut pos: Vec<(u32, f32)> = Vec::new();
        // Per negative pair: (PDQ distance, cosine).
        let mut neg: Vec<(u32, f32)> = Vec::new();
        for (i, (_, img, _)) in originals.iter().enumerate() {
            let Some(copy) = signature(jpeg(&kind.apply(img)), &clip).await? else {
                continue;
            };
            for (j, (_, _, o)) in originals.iter().enumerate() {
                let pair = (pdq_distance(&copy, o), copy.clip.cosine(&o.clip));
                if i == j {
                    pos.push(pair)
                } else {
                    neg.push(pair)
                }
            }
            copies_clip.push(copy.clip);
        }
        rows.push(compare(kind, &pos, &neg));
    }
    let index = index_comparison(
        &originals,
        &copies_clip,
        args.index_size,
        args.pgvector.as_deref(),
    )
    .await?;
    if args.json {
        println!(
            "{}",
            json!({"originals": originals.len(), "copies": rows, "index": index})
        );
        return Ok(());
    }
    print_tables(originals.len(), &rows, &index);
    Ok(())
}

/// Recall of both methods on one kind of copy.
fn compare(kind: Copy, pos: &[(u32, f32)], neg: &[(u32, f32)]) -> serde_json::Value {
    let n = pos.len().max(1) as f64;
    let pdq_hit = |d: u32| d <= MATCH_DISTANCE;
    let clip_hit = |c: f32| c >= MIN_COSINE;
    let count = |f: &dyn Fn(&(u32, f32)) -> bool| pos.iter().filter(|p| f(p)).count();
    // Zero false positives on this set: just inside the closest negative.
    let pdq_strict = neg
        .iter()
        .map(|p| p.0)
        .min()
        .unwrap_or(257)
        .saturating_sub(1);
    let clip_strict = neg.iter().map(|p| p.1).fold(f32::MIN, f32::max);
    json!({
        "copy": kind.name(),
        "pairs": pos.len(),
        "pdq_recall": count(&|p| pdq_hit(p.0)) as f64 / n,
        "clip_recall": count(&|p| clip_hit(p.1)) as f64 / n,
        "either_recall": count(&|p| pdq_hit(p.0) || clip_hit(p.1)) as f64 / n,
        "pdq_only": count(&|p| pdq_hit(p.0) && !clip_hit(p.1)),
        "clip_only": count(&|p| clip_hit(p.1) && !pdq_hit(p.0)),
        "neither": count(&|p| !pdq_hit(p.0) && !clip_hit(p.1)),
        "pdq_false_positives": neg.iter().filter(|p| pdq_hit(p.0)).count(),
        "clip_false_positives": neg.iter().filter(|p| clip_hit(p.1)).count(),
        "negative_pairs": neg.len(),
        "pdq_recall_at_zero_fp": count(&|p| p.0 <= pdq_strict) as f64 / n,
        "clip_recall_at_zero_fp": count(&|p| p.1 > clip_strict) as f64 / n,
        "clip_strict_threshold": clip_strict,
        "pdq_strict_threshold": pdq_strict,
    })
}

/// HNSW (usearch) against an exact scan over real embeddings and jittered
/// copies of them (each a unit vector at cosine ≈ 0.9 to its source).
async fn index_comparison(
    originals: &[(PathBuf, RgbImage, Signature)],
    queries: &[Embedding],
    size: usize,
    pgvector: Option<&str>,
) -> anyhow::Result<serde_json::Value> {
    let real: Vec<&[f32]> = originals.iter().map(|o| o.2.clip.values()).collect();
    let mut rng_state = 0x9E37_79B9_7F4A_7C15u64;
    let mut gauss = move || {
        // Box–Muller over a xorshift generator: deterministic noise.
        let mut uniform = || {
            rng_state ^= rng_state << 13;
            rng_state ^= rng_state >> 7;
            rng_state ^= rng_state << 17;
            (rng_state >> 11) as f64 / (1u64 << 53) as f64
        };
        let (u, v) = (uniform().max(1e-12), uniform());
        ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
    };
    let dim = real[0].len();
    let vectors: Vec<Embedding> = (0..size)
        .map(|i| {
            let base = real[i % real.len()];
            // σ per component so that the noise's norm is ~0.48: cosine ≈ 0.9.
            let sigma = 0.48 / (dim as f32).sqrt();
            Embedding::normalized(base.iter().map(|v| v + sigma * gauss()).collect())
        })
        .collect();
    let started = Instant::now();
    let mut graph = HnswGraph::new(dim).map_err(anyhow::Error::msg)?;
    for (i, v) in vectors.iter().enumerate() {
        graph
            .add(i as u64, v.values())
            .map_err(anyhow::Error::msg)?;
    }
    let build_s = started.elapsed().as_secs_f64();
    let k = 10;
    let started = Instant::now();
    let approximate: Vec<Vec<u64>> = queries
        .iter()
        .map(|q| {
            graph
                .search(q.values(), k)
                .map(|found| found.into_iter().map(|(key, _)| key).collect())
        })
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let hnsw_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let exact: Vec<Vec<u64>> = queries
        .iter()
        .map(|q| {
            let mut scored: Vec<(f32, u64)> = vectors
                .iter()
                .enumerate()
                .map(|(i, v)| (v.cosine(q), i as u64))
                .collect();
            scored.select_nth_unstable_by(k, |a, b| b.0.total_cmp(&a.0));
            scored.truncate(k);
            scored.into_iter().map(|(_, i)| i).collect()
        })
        .collect();
    let exact_s = started.elapsed().as_secs_f64();
    let found: usize = approximate
        .iter()
        .zip(&exact)
        .map(|(a, e)| a.iter().filter(|k| e.contains(k)).count())
        .sum();
    let pgvector = match pgvector {
        Some(url) => super::semantic_pgvector::compare(url, &vectors, queries, &exact, k).await?,
        None => serde_json::Value::Null,
    };
    Ok(json!({
        "pgvector": pgvector,
        "vectors": size,
        "queries": queries.len(),
        "build_s": build_s,
        "recall_at_10": found as f64 / (exact.len() * k).max(1) as f64,
        "hnsw_ms_per_query": hnsw_s * 1000.0 / queries.len().max(1) as f64,
        "exact_ms_per_query": exact_s * 1000.0 / queries.len().max(1) as f64,
        "speedup": exact_s / hnsw_s.max(1e-9),
    }))
}

fn print_tables(originals: usize, rows: &[serde_json::Value], index: &serde_json::Value) {
    let pct = |v: &serde_json::Value| format!("{:.0}%", v.as_f64().unwrap_or(0.0) * 100.0);
    println!(
        "{originals} distinct real photos; each copy re-encoded (JPEG q85) and compared with its original and every other original"
    );
    println!(
        "operating points: PDQ distance ≤ {MATCH_DISTANCE} (any orientation), CLIP cosine ≥ {MIN_COSINE}"
    );
    println!(
        "{:<18} {:>6} {:>6} {:>7} {:>9} {:>10} {:>8} {:>8} {:>12} {:>13}",
        "COPY",
        "PDQ",
        "CLIP",
        "EITHER",
        "PDQ ONLY",
        "CLIP ONLY",
        "PDQ FP",
        "CLIP FP",
        "PDQ @0FP",
        "CLIP @0FP"
    );
    for r in rows {
        println!(
            "{:<18} {:>6} {:>6} {:>7} {:>9} {:>10} {:>8} {:>8} {:>12} {:>13}",
            r["copy"].as_str().unwrap_or(""),
            pct(&r["pdq_recall"]),
            pct(&r["clip_recall"]),
            pct(&r["either_recall"]),
            r["pdq_only"],
            r["clip_only"],
            r["pdq_false_positives"],
            r["clip_false_positives"],
            pct(&r["pdq_recall_at_zero_fp"]),
            pct(&r["clip_recall_at_zero_fp"]),
        );
    }
    println!(
        "FP: false positives among {} negative pairs per row; @0FP: recall at the strictest threshold with no false positive on this set",
        rows.first()
            .map_or(0, |r| r["negative_pairs"].as_u64().unwrap_or(0))
    );
    println!(
        "\nHNSW (usearch, f16) vs exact scan: {} vectors, {} queries: recall@10 {:.3}, {:.3} ms vs {:.3} ms per query ({:.1}x), built in {:.1} s",
        index["vectors"],
        index["queries"],
        index["recall_at_10"].as_f64().unwrap_or(0.0),
        index["hnsw_ms_per_query"].as_f64().unwrap_or(0.0),
        index["exact_ms_per_query"].as_f64().unwrap_or(0.0),
        index["speedup"].as_f64().unwrap_or(0.0),
        index["build_s"].as_f64().unwrap_or(0.0),
    );
    let pg = &index["pgvector"];
    if !pg.is_null() {
        println!(
            "pgvector HNSW (halfvec, cosine), same vectors and queries: recall@10 {:.3}, {:.3} ms per query (over SQL), built in {:.1} s",
            pg["recall_at_10"].as_f64().unwrap_or(0.0),
            pg["ms_per_query"].as_f64().unwrap_or(0.0),
            pg["build_s"].as_f64().unwrap_or(0.0),
        );
    }
}
