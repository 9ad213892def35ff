//! A short, bounded fuzz run in every test run: the entry points the
//! cargo-fuzz targets in `fuzz/` drive (decode, PDF, metadata, C2PA
//! credentials, the multipart form), fed deterministic mutants of real
//! files from `../shared/data` — bit flips, overwritten runs, truncations,
//! splices of two files. Each must return (a value or an error) without
//! panicking. `scripts/fuzz` is the coverage-guided run of minutes per
//! target; this catches a regression on the way to it at no build cost.

use std::path::{Path, PathBuf};

use bonafide_decode::{DecodeConfig, decode};
use bonafide_metadata::{C2paConfig, C2paReader};

/// Mutants per seed and seeds per run: a few thousand inputs in all.
const MUTANTS: usize = 40;
const SEEDS: usize = 48;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// Small files of the kinds uploads are, sorted by path so every run feeds
/// the same inputs; every `n`-th, at most `SEEDS`.
fn seeds() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut dirs = vec![data()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if is_media(&path) && entry.metadata().is_ok_and(|m| m.len() < 200_000) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= SEEDS,
        "too few seed files under {}",
        data().display()
    );
    let step = files.len() / SEEDS;
    files
        .into_iter()
        .step_by(step)
        .take(SEEDS)
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn is_media(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg"
            | "jpeg"
            | "png"
            | "webp"
            | "gif"
            | "tif"
            | "tiff"
            | "heic"
            | "heif"
            | "avif"
            | "pdf"
            | "mp4"
    )
}

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutant of `seed`; `other` is spliced in by one of the mutations.
fn mutate(seed: &[u8], other: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    if out.is_empty() {
        return out;
    }
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(16) {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let start = rng.below(out.len());
            let len = (1 + rng.below(64)).min(out.len() - start);
            let fill = [0x00, 0xff, 0x7f, 0x80][rng.below(4)];
            out[start..start + len].fill(fill);
        }
        2 => out.truncate(rng.below(out.len())),
        _ => {
            let cut = rng.below(out.len());
            let from = rng.below(other.len().max(1));
            out.truncate(cut);
            out.extend_from_slice(other.get(from..).unwrap_or_default());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutants_of_real_files_never_panic() {
    let seeds = seeds();
    let cfg = DecodeConfig::in_process();
    let credentials = C2paReader::new(&C2paConfig::default()).unwrap();
    let mut rng = Rng(0x0b0f_1dea_5eed);
    let mut inputs = 0;
    // The inputs are the same every run: a panic here reproduces, and the
    // captured output names the seed it was on.
    for (i, (path, seed)) in seeds.iter().enumerate() {
        println!("seed {}", path.display());
        let other = &seeds[(i + 1) % seeds.len()].1;
        for _ in 0..MUTANTS {
            let bytes = mutate(seed, other, &mut rng);
            // Metadata and credentials run on the caller's thread in the
            // engine: a panic there would take a worker down.
            let _ = bonafide_metadata::read(&bytes);
            let media_type = bonafide_ingest::sniff(&bytes);
            let _ = credentials.read(&bytes, media_type.mime());
            let _ = decode(bytes.clone().into(), media_type, &cfg).await;
            // The PDF path whatever the bytes are.
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.extend_from_slice(&bytes);
            let _ = decode(pdf.into(), bonafide_ingest::sniff(b"%PDF-1.7\n"), &cfg).await;
            // The upload form around the mutant, in odd-sized chunks.
            let mut form = b"--XX\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n\
                {\"contributor_id\":\"c1\"}\r\n--XX\r\nContent-Disposition: form-data; \
                name=\"file\"; filename=\"f\"\r\n\r\n"
                .to_vec();
            form.extend_from_slice(&bytes);
            form.extend_from_slice(b"\r\n--XX--\r\n");
            let form = mutate(&form, &bytes, &mut rng);
            let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = form
                .chunks(1 + rng.below(4096))
                .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
                .collect();
            let _ = bonafide_ingest::read_form(
                futures_util::stream::iter(chunks),
                "multipart/form-data; boundary=XX",
                1 << 20,
            )
            .await;
            inputs += 1;
        }
    }
    assert_eq!(inputs, SEEDS * MUTANTS);
}
