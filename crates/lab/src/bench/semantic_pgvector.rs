//! The PostgreSQL side of `bench semantic`: the same vectors in a pgvector
//! `halfvec(512)` column under an HNSW index (`halfvec_cosine_ops`, `<=>`),
//! as the PostgreSQL store keeps image embeddings, queried as it queries.

use std::time::Instant;

use anyhow::Context;
use bonafide_core::Embedding;
use serde_json::{Value, json};
use sqlx::postgres::PgPoolOptions;

/// pgvector's text form of a vector.
fn text(v: &Embedding) -> String {
    let parts: Vec<String> = v.values().iter().map(|x| x.to_string()).collect();
    format!("[{}]", parts.join(","))
}

/// Loads `vectors` (id = position), builds the index, and runs `queries`
/// for their `k` nearest; recall against `exact` (per query, the true ids).
pub async fn compare(
    url: &str,
    vectors: &[Embedding],
    queries: &[Embedding],
    exact: &[Vec<u64>],
    k: usize,
) -> anyhow::Result<Value> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS vector")
        .execute(&pool)
        .await
        .context("pgvector is not installed (scripts/pgvector)")?;
    sqlx::query("DROP TABLE IF EXISTS bench_embeddings")
        .execute(&pool)
        .await?;
    sqlx::query(
        "CREATE TABLE bench_embeddings (id BIGINT PRIMARY KEY, embedding halfvec(512) NOT NULL)",
    )
    .execute(&pool)
    .await?;
    for (chunk_no, chunk) in vectors.chunks(500).enumerate() {
        let mut insert = sqlx::QueryBuilder::new("INSERT INTO bench_embeddings (id, embedding) ");
        insert.push_values(chunk.iter().enumerate(), |mut row, (i, v)| {
            row.push_bind((chunk_no * 500 + i) as i64)
                .push_bind(text(v))
                .push_unseparated("::halfvec");
        });
        insert.build().execute(&pool).await?;
    }
    let started = Instant::now();
    sqlx::query("SET maintenance_work_mem = '1GB'")
        .execute(&pool)
        .await?;
    sqlx::query("CREATE INDEX bench_embeddings_hnsw ON bench_embeddings USING hnsw (embedding halfvec_cosine_ops)")
        .execute(&pool)
        .await?;
    let build_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut found = 0;
    for (q, truth) in queries.iter().zip(exact) {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM bench_embeddings ORDER BY embedding <=> $1::halfvec LIMIT $2",
        )
        .bind(text(q))
        .bind(k as i64)
        .fetch_all(&pool)
        .await?;
        found += ids
            .iter()
            .filter(|&&id| truth.contains(&(id as u64)))
            .count();
    }
    let query_s = started.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE bench_embeddings")
        .execute(&pool)
        .await?;
    Ok(json!({
        "build_s": build_s,
        "recall_at_10": found as f64 / (queries.len() * k).max(1) as f64,
        "ms_per_query": query_s * 1000.0 / queries.len().max(1) as f64,
    }))
}
