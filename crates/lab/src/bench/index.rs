//! `bonafide-lab bench index`: the multi-index Hamming index against a
//! brute-force popcount scan over the same codes, in the same run — and,
//! with `--pgvector`, against pgvector's HNSW on Postgres.

use std::time::{Duration, Instant};

use bonafide_matching::{LinearIndex, MultiIndex};
use serde_json::json;

/// Arguments of `bench index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Codes in the index.
    #[arg(long, default_value_t = 1_000_000)]
    size: usize,
    /// Queries, each with one planted neighbour at distance `i % 41`.
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    /// Match radius.
    #[arg(long, default_value_t = 31)]
    radius: u32,
    /// Seed of the random codes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also load the codes into this Postgres (pgvector installed:
    /// `scripts/pgvector`) and compare its HNSW index, a sequential scan
    /// there, and our index loaded from that table.
    #[arg(long, value_name = "URL")]
    pgvector: Option<String>,
    /// `hnsw.ef_search` for the pgvector queries.
    #[arg(long, default_value_t = 100)]
    ef_search: u32,
    /// Neighbours asked of HNSW per query.
    #[arg(long, default_value_t = 10)]
    limit: u32,
}

/// xorshift64: a reproducible stream of random codes.
struct Codes(u64);

impl Codes {
    fn next(&mut self) -> [u64; 4] {
        [0; 4].map(|_| {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        })
    }
}

/// `code` with `n` distinct bits flipped.
fn flip(mut code: [u64; 4], n: u32, rng: &mut Codes) -> [u64; 4] {
    let mut bits: Vec<u64> = Vec::new();
    while bits.len() < n as usize {
        let bit = rng.next()[0] % 256;
        if !bits.contains(&bit) {
            bits.push(bit);
            code[(bit / 64) as usize] ^= 1 << (bit % 64);
        }
    }
    code
}

/// The `p` quantile of sorted durations, in microseconds.
pub(super) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e6
}

/// Builds both indexes over the same random codes plus planted neighbours,
/// then times every query on both and checks the results agree.
pub async fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.queries > 0 && args.size >= args.queries,
        "need size >= queries > 0"
    );
    let mut rng = Codes(args.seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut codes: Vec<[u64; 4]> = (0..args.size).map(|_| rng.next()).collect();
    let queries: Vec<[u64; 4]> = (0..args.queries).map(|_| rng.next()).collect();
    // Plant one neighbour per query, at distances 0..=40 in turn.
    let stride = args.size / args.queries;
    for (i, q) in queries.iter().enumerate() {
        codes[i * stride] = flip(*q, (i % 41) as u32, &mut rng);
    }

    let started = Instant::now();
    let mut mih = MultiIndex::default();
    for (i, c) in codes.iter().enumerate() {
        mih.insert(*c, i as u32);
    }
    let build = started.elapsed();
    let mut linear = LinearIndex::default();
    for (i, c) in codes.iter().enumerate() {
        linear.insert(*c, i as u32);
    }

    let (mut mih_times, mut scan_times) = (Vec::new(), Vec::new());
    let (mut expected, mut found, mut planted_found) = (0usize, 0usize, 0usize);
    let mut truths = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let fast: Vec<u32> = mih
            .within(q, args.radius)
            .into_iter()
            .map(|(_, id)| *id)
            .collect();
        mih_times.push(t.elapsed());
        let t = Instant::now();
        let truth: Vec<u32> = linear.within(q, args.radius).map(|(_, id)| *id).collect();
        scan_times.push(t.elapsed());
        expected += truth.len();
        found += truth.iter().filter(|id| fast.contains(id)).count();
        planted_found += usize::from(fast.contains(&((i * stride) as u32)));
        truths.push(truth);
    }
    mih_times.sort();
    scan_times.sort();
    let mean = |v: &[Duration]| v.iter().sum::<Duration>().as_secs_f64() / v.len() as f64;
    let planted_within = (0..args.queries)
        .filter(|i| (*i % 41) as u32 <= args.radius)
        .count();
    let mut report = json!({
        "size": args.size,
        "queries": args.queries,
        "radius": args.radius,
        "build_s": (build.as_secs_f64() * 100.0).round() / 100.0,
        "bytes_per_code": mih.bytes_per_code(),
        "recall": if expected == 0 { 1.0 } else { found as f64 / expected as f64 },
        "planted_found": planted_found,
        "planted_within_radius": planted_within,
        "mih_us": {"p50": percentile(&mih_times, 0.5).round(), "p99": percentile(&mih_times, 0.99).round()},
        "scan_us": {"p50": percentile(&scan_times, 0.5).round(), "p99": percentile(&scan_times, 0.99).round()},
        "speedup": (mean(&scan_times) / mean(&mih_times) * 10.0).round() / 10.0,
    });
    if let Some(url) = &args.pgvector {
        report["postgres"] = super::pgvector::compare(super::pgvector::Comparison {
            url,
            codes: &codes,
            queries: &queries,
            truth: &truths,
            radius: args.radius,
            k: args.limit,
            ef_search: args.ef_search,
            scan_queries: 50,
        })
        .await?;
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
