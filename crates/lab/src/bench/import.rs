//! `bonafide-lab bench import`: how fast `bank import` fills a bank. From
//! precomputed hashes (JSON Lines), against the peer of one INSERT per row
//! in one transaction; from media, against the hasher alone (decode + PDQ
//! of the same files, one after another) — import runs one file per core,
//! so it should keep up with the hasher at least.

use std::{io::Write, path::PathBuf, time::Instant};

use bonafide_engine::{BankImport, Engine};
use bonafide_server::Config;
use bonafide_store::{Store, StoreConfig};
use serde_json::json;

/// Arguments of `bench import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Precomputed entries to import.
    #[arg(long, default_value_t = 200_000)]
    entries: usize,
    /// Also on this PostgreSQL database (a scratch schema is created and
    /// dropped).
    #[arg(long)]
    postgres: Option<String>,
    /// A folder of photos to import as media too.
    dir: Option<PathBuf>,
}

/// Runs the benchmark.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let jsonl = scratch.path().join("hashes.jsonl");
    write_hashes(&jsonl, args.entries)?;
    let mut stores = vec![("sqlite", StoreConfig::embedded(&scratch.path().join("db")))];
    let schema = format!("bench_import_{}", std::process::id());
    if let Some(url) = &args.postgres {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await?;
        let sep = if url.contains('?') { '&' } else { '?' };
        stores.push((
            "postgres",
            StoreConfig {
                database_url: format!("{url}{sep}options=-c%20search_path%3D{schema}%2Cpublic"),
                blob_url: scratch.path().join("pg-blobs").display().to_string(),
            },
        ));
    }
    for (name, store_cfg) in &stores {
        let engine = Engine::new(Store::open(store_cfg).await?, config.engine.clone())?;
        engine
            .store()
            .ensure_bank_of("bench", "", bonafide_store::BankKind::Reference)
            .await?;
        let started = Instant::now();
        let report = import("bench", jsonl.clone(), false)
            .run(&engine, &())
            .await?;
        let ours = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let peer_rows = row_at_a_time(
            &engine,
            &store_cfg.database_url,
            &jsonl,
            args.entries.min(50_000),
        )
        .await?;
        let peer = started.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({
                "store": name,
                "precomputed_entries": report.added,
                "import_entries_per_s": (report.added as f64 / ours).round(),
                "peer_one_insert_per_row_entries_per_s": (peer_rows as f64 / peer).round(),
                "ratio": ((report.added as f64 / ours) / (peer_rows as f64 / peer) * 100.0).round() / 100.0,
            })
        );
    }
    if let Some(url) = &args.postgres {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&mut conn)
            .await?;
    }
    if let Some(dir) = args.dir {
        media(&config, &dir, scratch.path()).await?;
    }
    Ok(())
}

fn import(bank: &str, path: PathBuf, embed: bool) -> BankImport {
    BankImport {
        bank: bank.into(),
        path,
        source: None,
        licence: "unknown".into(),
        rights_holder: String::new(),
        embed,
    }
}

/// The media import against the hasher on the same files.
async fn media(
    config: &Config,
    dir: &std::path::Path,
    scratch: &std::path::Path,
) -> anyhow::Result<()> {
    let files = super::files_under(&[dir], &["jpg", "jpeg", "png", "webp", "heic"]);
    let store = Store::open(&StoreConfig::embedded(&scratch.join("media"))).await?;
    let engine = Engine::new(store, config.engine.clone())?;
    let started = Instant::now();
    for f in &files {
        // Not-a-photo files cost what they cost; the import reads them too.
        let _ = engine.fingerprint(std::fs::read(f)?.into(), false).await;
    }
    let hasher = files.len() as f64 / started.elapsed().as_secs_f64();
    let mut rows = Vec::new();
    for (bank, embed) in [("pdq_only", false), ("with_embeddings", true)] {
        engine
            .store()
            .ensure_bank_of(bank, "", bonafide_store::BankKind::Reference)
            .await?;
        let started = Instant::now();
        let report = import(bank, dir.to_owned(), embed)
            .run(&engine, &())
            .await?;
        let rate = report.read as f64 / started.elapsed().as_secs_f64();
        rows.push(json!({
            "import": bank,
            "files": report.read,
            "files_per_s": (rate * 10.0).round() / 10.0,
            "ratio_to_hasher": (rate / hasher * 100.0).round() / 100.0,
        }));
    }
    println!(
        "{}",
        json!({"media_files": files.len(), "hasher_files_per_s": (hasher * 10.0).round() / 10.0, "imports": rows})
    );
    Ok(())
}

/// The peer: the first `n` rows, one INSERT each, in one transaction,
/// into a table of the lab's own with `bank_entries`' columns and
/// uniqueness (created beside the store's tables, dropped after): only the
/// statement per row differs from the import's batches.
async fn row_at_a_time(
    engine: &Engine,
    database_url: &str,
    jsonl: &std::path::Path,
    n: usize,
) -> anyhow::Result<usize> {
    let text = std::fs::read_to_string(jsonl)?;
    let mut rows = Vec::with_capacity(n);
    for line in text.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let hash: bonafide_pdq::Hash256 = v["pdq"].as_str().unwrap_or_default().parse()?;
        rows.push((
            hash.to_bytes(),
            v["source"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    let (key, blob) = match engine.store().db.backend() {
        bonafide_store::Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA"),
        bonafide_store::Backend::Sqlite => ("INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"),
    };
    let pool = sqlx::AnyPool::connect(database_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE lab_import_peer (seq {key}, bank TEXT NOT NULL, pdq {blob} NOT NULL, \
         quality BIGINT NOT NULL, source TEXT NOT NULL, licence TEXT NOT NULL, \
         created_at BIGINT NOT NULL, rights_holder TEXT NOT NULL, UNIQUE (bank, pdq))"
    )))
    .execute(&pool)
    .await?;
    let mut tx = pool.begin().await?;
    for (pdq, source) in &rows {
        sqlx::query(
            "INSERT INTO lab_import_peer (bank, pdq, quality, source, licence, created_at, rights_holder) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (bank, pdq) DO NOTHING",
        )
        .bind("peer")
        .bind(pdq.to_vec())
        .bind(100i64)
        .bind(source)
        .bind("unknown")
        .bind(0i64)
        .bind("")
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    sqlx::query("DROP TABLE lab_import_peer")
        .execute(&pool)
        .await?;
    Ok(rows.len())
}

/// `n` distinct pseudo-random PDQ hashes as JSON Lines (speed only: what
/// the hashes are does not matter to an import).
fn write_hashes(path: &std::path::Path, n: usize) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..n {
        let mut hex = String::with_capacity(64);
        for _ in 0..4 {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            hex.push_str(&format!("{:016x}", x.wrapping_mul(0x2545_F491_4F6C_DD1D)));
        }
        writeln!(
            out,
            r#"{{"pdq":"{hex}","source":"https://crawl.example/{i}.jpg","licence":"all rights reserved"}}"#
        )?;
    }
    Ok(())
}
