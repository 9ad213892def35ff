//! The Postgres side of `bench index`: the same codes in a pgvector
//! `bit(256)` column with an HNSW index (`bit_hamming_ops`, `<~>`), against
//! a sequential scan in Postgres and our multi-index hashing index loaded
//! from the same table — what the service would do on Postgres.

use std::time::{Duration, Instant};

use anyhow::Context;
use bonafide_matching::MultiIndex;
use serde_json::{Value, json};
use sqlx::{PgPool, Row, postgres::PgPoolOptions};

use super::index::percentile;

/// What to compare, on which codes.
pub struct Comparison<'a> {
    /// Postgres URL (pgvector installed: `scripts/pgvector`).
    pub url: &'a str,
    /// The indexed codes; a code's id is its position.
    pub codes: &'a [[u64; 4]],
    /// The queries.
    pub queries: &'a [[u64; 4]],
    /// Per query, the ids within `radius` (from the brute-force scan).
    pub truth: &'a [Vec<u32>],
    /// Match radius.
    pub radius: u32,
    /// Neighbours asked of HNSW per query (`LIMIT`).
    pub k: u32,
    /// `hnsw.ef_search`.
    pub ef_search: u32,
    /// Queries timed on the sequential scan (slow).
    pub scan_queries: usize,
}

/// Loads the table, builds the HNSW index, and times the three ways in.
pub async fn compare(c: Comparison<'_>) -> anyhow::Result<Value> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(c.url)
        .await
        .with_context(|| format!("connecting to {}", c.url))?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS vector")
        .execute(&pool)
        .await
        .context("pgvector is not installed (scripts/pgvector)")?;
    load(&pool, c.codes).await?;

    let started = Instant::now();
    sqlx::query("SET maintenance_work_mem = '1GB'")
        .execute(&pool)
        .await?;
    sqlx::query(
        "CREATE INDEX bench_pdq_codes_hnsw ON bench_pdq_codes USING hnsw (code bit_hamming_ops)",
    )
    .execute(&pool)
    .await?;
    let hnsw_build = started.elapsed();
    let index_bytes: i64 = sqlx::query_scalar("SELECT pg_relation_size('bench_pdq_codes_hnsw')")
        .fetch_one(&pool)
        .await?;

    sqlx::query("SELECT set_config('hnsw.ef_search', $1, false)")
        .bind(c.ef_search.to_string())
        .execute(&pool)
        .await?;
    let knn = "SELECT id FROM bench_pdq_codes WHERE (code <~> $1::text::bit(256)) <= $2 \
               ORDER BY code <~> $1::text::bit(256) LIMIT $3";
    let (hnsw_times, hnsw_recall) = timed(c.queries, c.truth, |q| {
        let pool = &pool;
        async move {
            Ok(sqlx::query_scalar::<_, i32>(knn)
                .bind(bits(q))
                .bind(f64::from(c.radius))
                .bind(i64::from(c.k))
                .fetch_all(pool)
                .await?)
        }
    })
    .await?;
    // The planner would pick HNSW for the ORDER BY; a plain radius filter
    // scans every row.
    let scan = "SELECT id FROM bench_pdq_codes WHERE (code <~> $1::text::bit(256)) <= $2";
    let n = c.scan_queries.min(c.queries.len());
    let (scan_times, scan_recall) = timed(&c.queries[..n], &c.truth[..n], |q| {
        let pool = &pool;
        async move {
            Ok(sqlx::query_scalar::<_, i32>(scan)
                .bind(bits(q))
                .bind(f64::from(c.radius))
                .fetch_all(pool)
                .await?)
        }
    })
    .await?;

    // Ours, fed from the table as the service is at start.
    let started = Instant::now();
    let rows = sqlx::query("SELECT id, code::text AS code FROM bench_pdq_codes")
        .fetch_all(&pool)
        .await?;
    let mut mih = MultiIndex::default();
    for row in &rows {
        let code: String = row.try_get("code")?;
        mih.insert(parse_bits(&code)?, row.try_get::<i32, _>("id")?);
    }
    let mih_load = started.elapsed();
    let (mih_times, mih_recall) = timed(c.queries, c.truth, |q| {
        let found: Vec<i32> = mih
            .within(q, c.radius)
            .into_iter()
            .map(|(_, id)| *id)
            .collect();
        async move { Ok(found) }
    })
    .await?;
    sqlx::query("DROP TABLE bench_pdq_codes")
        .execute(&pool)
        .await?;

    let us = |v: &[Duration]| json!({"p50": percentile(v, 0.5).round(), "p99": percentile(v, 0.99).round()});
    Ok(json!({
        "hnsw": {
            "build_s": round2(hnsw_build.as_secs_f64()),
            "index_bytes_per_code": index_bytes / c.codes.len() as i64,
            "ef_search": c.ef_search,
            "limit": c.k,
            "recall": hnsw_recall,
            "query_us": us(&hnsw_times),
        },
        "postgres_scan": {"queries": n, "recall": scan_recall, "query_us": us(&scan_times)},
        "mih_from_postgres": {
            "load_and_build_s": round2(mih_load.as_secs_f64()),
            "bytes_per_code": mih.bytes_per_code(),
            "recall": mih_recall,
            "query_us": us(&mih_times),
        },
    }))
}

/// Creates the table and inserts the codes in batches.
async fn load(pool: &PgPool, codes: &[[u64; 4]]) -> anyhow::Result<()> {
    sqlx::query("DROP TABLE IF EXISTS bench_pdq_codes")
        .execute(pool)
        .await?;
    sqlx::query("CREATE TABLE bench_pdq_codes (id int4 PRIMARY KEY, code bit(256) NOT NULL)")
        .execute(pool)
        .await?;
    for (n, chunk) in codes.chunks(10_000).enumerate() {
        let ids: Vec<i32> = (0..chunk.len()).map(|i| (n * 10_000 + i) as i32).collect();
        let texts: Vec<String> = chunk.iter().map(bits).collect();
        sqlx::query(
            "INSERT INTO bench_pdq_codes \
             SELECT id, code::bit(256) FROM UNNEST($1::int4[], $2::text[]) AS u(id, code)",
        )
        .bind(ids)
        .bind(texts)
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Runs every query, timing each, and measures recall against the truth.
async fn timed<'q, F, Fut>(
    queries: &'q [[u64; 4]],
    truth: &[Vec<u32>],
    mut run: F,
) -> anyhow::Result<(Vec<Duration>, f64)>
where
    F: FnMut(&'q [u64; 4]) -> Fut,
    Fut: Future<Output = anyhow::Result<Vec<i32>>>,
{
    let mut times = Vec::with_capacity(queries.len());
    let (mut expected, mut found) = (0usize, 0usize);
    for (q, want) in queries.iter().zip(truth) {
        let t = Instant::now();
        let got = run(q).await?;
        times.push(t.elapsed());
        expected += want.len();
        found += want
            .iter()
            .filter(|id| got.contains(&(**id as i32)))
            .count();
    }
    times.sort();
    let recall = if expected == 0 {
        1.0
    } else {
        found as f64 / expected as f64
    };
    Ok((times, recall))
}

/// A code as Postgres bit-string text (any fixed bit order keeps distances).
fn bits(code: &[u64; 4]) -> String {
    code.iter().map(|w| format!("{w:064b}")).collect()
}

fn parse_bits(text: &str) -> anyhow::Result<[u64; 4]> {
    anyhow::ensure!(text.len() == 256, "a bit(256) value has 256 digits");
    let mut code = [0u64; 4];
    for (word, chunk) in code.iter_mut().zip(text.as_bytes().chunks(64)) {
        *word = u64::from_str_radix(std::str::from_utf8(chunk)?, 2)?;
    }
    Ok(code)
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
