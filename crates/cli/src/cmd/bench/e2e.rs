//! `bonafide bench e2e`: end-to-end uploads/s and verdict latency through the
//! real HTTP API, workers and store, with an in-run peer: the same requests,
//! unpaced, against a bare axum endpoint that only reads the multipart body
//! (the transport ceiling on this machine, measured seconds apart).

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use axum::{extract::Multipart, http::StatusCode, routing::post};
use bonafide_store::{NewApiClient, Scope};
use futures::{StreamExt, stream};
use serde_json::json;

use crate::config::Config;

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Uploads to send.
    #[arg(long, default_value_t = 2000)]
    uploads: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Uploads sent per second (0: as fast as the clients go). Below
    /// capacity, latency is service time; above it, queueing time.
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Screening workers.
    #[arg(long, default_value_t = 4)]
    workers: usize,
    /// The photo sent every time (the exact-duplicate path: one original,
    /// then byte-identical copies from other contributors).
    #[arg(
        long,
        default_value = "../shared/data/near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg"
    )]
    image: PathBuf,
}

/// Runs the benchmark on the configured store; what is not configured is
/// embedded in a temporary folder.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    let photo =
        std::fs::read(&args.image).with_context(|| format!("reading {}", args.image.display()))?;
    let scratch = tempfile::tempdir()?;
    // Embedded parts (the SQLite file, the blob folder) go to a scratch
    // folder; a configured database or blob URL is used as it is.
    config.data_dir = scratch.path().to_owned();
    config.engine.workers = args.workers;
    config.engine.poll_ms = 20;
    let engine = crate::cmd::engine(&config).await?;
    let store = engine.store().clone();
    let backend = format!("{:?}", store.db.backend());
    let (_, key) = store
        .create_api_client(NewApiClient {
            name: "bench".into(),
            scopes: vec![Scope::Ingest],
            webhook_url: None,
        })
        .await?;

    let peer = serve(axum::Router::new().route("/v1/uploads", post(read_only))).await?;
    let peer_rate = {
        let t = Instant::now();
        send_all(&peer, &key, &photo, &args, 0.0).await?;
        args.uploads as f64 / t.elapsed().as_secs_f64()
    };

    let workers = engine.spawn_workers();
    let base = serve(bonafide_server::app(engine.clone())).await?;
    let started = Instant::now();
    let ids = send_all(&base, &key, &photo, &args, args.rate).await?;
    let accepted_in = started.elapsed();
    loop {
        let q = store.queue_stats().await?;
        if q.queued + q.running == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let decided_in = started.elapsed();
    workers.shutdown().await;

    let mut latencies = Vec::with_capacity(ids.len());
    for id in &ids {
        let rec = store.upload(id).await?.context("upload missing")?;
        let v = rec
            .verdict
            .with_context(|| format!("{id} has no verdict"))?;
        latencies.push(v.decided_at - rec.meta.created_at);
    }
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let n = args.uploads as f64;
    let e2e = n / decided_in.as_secs_f64();
    let report = json!({
        "backend": backend,
        "uploads": args.uploads,
        "concurrency": args.concurrency,
        "workers": args.workers,
        "rate_per_s": args.rate,
        "image_bytes": photo.len(),
        "accepted_per_s": round(n / accepted_in.as_secs_f64()),
        "end_to_end_per_s": round(e2e),
        "verdict_latency_ms": {"p50": pct(0.5), "p99": pct(0.99), "max": latencies.last()},
        "peer_read_only_per_s": round(peer_rate),
        "ratio_to_peer": (e2e / peer_rate * 1000.0).round() / 1000.0,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The peer: reads the whole multipart body and answers 202, nothing else.
async fn read_only(mut mp: Multipart) -> StatusCode {
    while let Ok(Some(field)) = mp.next_field().await {
        if field.bytes().await.is_err() {
            return StatusCode::BAD_REQUEST;
        }
    }
    StatusCode::ACCEPTED
}

async fn serve(app: axum::Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}

/// POSTs `args.uploads` multipart uploads, `args.concurrency` at a time
/// and paced to `rate` (0: unpaced), each from its own contributor; returns the
/// upload ids.
async fn send_all(
    base: &str,
    key: &str,
    photo: &[u8],
    args: &Args,
    rate: f64,
) -> anyhow::Result<Vec<String>> {
    let http = reqwest::Client::new();
    let url = format!("{base}/v1/uploads");
    let start = tokio::time::Instant::now();
    let results: Vec<anyhow::Result<String>> = stream::iter(0..args.uploads)
        .map(|i| {
            let (http, url) = (http.clone(), url.clone());
            let form = reqwest::multipart::Form::new()
                .text(
                    "metadata",
                    json!({"contributor_id": format!("bench-{i}")}).to_string(),
                )
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(photo.to_vec()).file_name("photo.jpg"),
                );
            let due = (rate > 0.0).then(|| start + Duration::from_secs_f64(i as f64 / rate));
            async move {
                if let Some(due) = due {
                    tokio::time::sleep_until(due).await;
                }
                let resp = http
                    .post(url)
                    .bearer_auth(key)
                    .multipart(form)
                    .send()
                    .await?;
                if resp.status() != StatusCode::ACCEPTED.as_u16() {
                    bail!("upload {i}: HTTP {}", resp.status());
                }
                let body: serde_json::Value = resp.json().await.unwrap_or_default();
                Ok(body["id"].as_str().unwrap_or_default().to_owned())
            }
        })
        .buffer_unordered(args.concurrency.max(1))
        .collect()
        .await;
    results.into_iter().collect()
}
