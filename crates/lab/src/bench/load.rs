//! `bonafide-lab bench load`: drives the real HTTP API over loopback with real
//! photos at a set rate for a bounded time, and reports sustained uploads/s,
//! verdict latency (p50/p99) and errors. The screening runs in this process
//! or, with `--worker-processes N`, in N `bonafide worker` processes on the
//! same store (PostgreSQL + S3 in production), the API process only
//! accepting. The in-run peer: the same requests, unpaced, against a bare
//! axum endpoint that only reads the multipart body (the transport ceiling
//! on this machine, measured seconds apart).

use std::{
    collections::BTreeMap,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use axum::{extract::Multipart, http::StatusCode, routing::post};
use bonafide_store::{NewApiClient, Scope};
use futures::{StreamExt, stream};
use serde_json::json;

use bonafide_server::Config;

/// Arguments of `bench load`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Uploads offered per second.
    #[arg(long, default_value_t = 35.0)]
    rate: f64,
    /// How long uploads are offered, in seconds.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Requests in flight at once (a cap; paced requests rarely reach it).
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Screening workers (per process with `--worker-processes`).
    #[arg(long, default_value_t = 4)]
    workers: usize,
    /// Screen in this many `bonafide worker` processes instead of in this
    /// process (which then only accepts). Needs a store every process can
    /// open: the configured PostgreSQL + object store, or the embedded one.
    #[arg(long, default_value_t = 0)]
    worker_processes: usize,
    /// Screen without the ONNX models: the hash + metadata path (exact and
    /// perceptual duplicates, banks, EXIF/C2PA forensics, policy).
    #[arg(long)]
    without_models: bool,
    /// How long to wait, after the last upload, for the queue to drain.
    #[arg(long, default_value_t = 120)]
    drain_seconds: u64,
    /// Folders of photos (JPEG/PNG/WebP, searched recursively). Upload i
    /// sends photo i mod n with a unique comment segment, so every upload is
    /// new bytes (exact-duplicate lookups miss) while its pixels repeat every
    /// n uploads (perceptual matches, as when one photo comes from many
    /// accounts).
    #[arg(long = "images", default_values = [
        "../shared/data/near-duplicates/imagededup-ukbench",
        "../shared/data/pdq-tmk-vpdq-threatexchange",
        "../shared/data/exif-samples-ianare",
        "../shared/data/ai-generated",
    ])]
    images: Vec<PathBuf>,
}

/// Runs the benchmark on the configured store; what is not configured is
/// embedded in a temporary folder.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    let dirs: Vec<&std::path::Path> = args.images.iter().map(PathBuf::as_path).collect();
    let photos: Vec<Vec<u8>> = super::files_under(&dirs, &["jpg", "jpeg", "png", "webp"])
        .iter()
        .map(std::fs::read)
        .collect::<Result<_, _>>()
        .context("reading the photos")?;
    if photos.is_empty() {
        bail!("no photos under {:?}", args.images);
    }
    let scratch = tempfile::tempdir()?;
    // Embedded parts (the SQLite file, the blob folder) go to a scratch
    // folder; a configured database or blob URL is used as it is.
    config.data_dir = scratch.path().join("data");
    config.engine.workers = args.workers;
    config.engine.poll_ms = 20;
    // The API key's and contributors' limits would refuse a load test.
    config.api.key_per_second = 0;
    config.api.contributor_per_minute = 0;
    if args.without_models {
        config.engine.models.dir = scratch.path().join("no-models");
    }
    let engine = config.engine().await?;
    let store = engine.store().clone();
    let backend = format!("{:?}", store.db.backend());
    let (_, key) = store
        .create_api_client(NewApiClient {
            name: "bench".into(),
            scopes: vec![Scope::Ingest],
            webhook_url: None,
            tenant: None,
        })
        .await?;
    let uploads = (args.rate * args.seconds as f64).round().max(1.0) as usize;
    let requests: Vec<Vec<u8>> = (0..uploads)
        .map(|i| with_comment(&photos[i % photos.len()], i))
        .collect();

    let peer = serve(axum::Router::new().route("/v1/uploads", post(read_only))).await?;
    let peer_rate = {
        let t = Instant::now();
        let sent = send_all(&peer, &key, &requests, args.concurrency, 0.0).await;
        sent.accepted.len() as f64 / t.elapsed().as_secs_f64()
    };

    let _children = if args.worker_processes > 0 {
        spawn_workers(&config, scratch.path(), &args)?
    } else {
        Vec::new()
    };
    let workers = (args.worker_processes == 0).then(|| engine.spawn_workers());
    let base = serve(bonafide_server::app(engine.clone(), &config.api)).await?;
    let started = Instant::now();
    let sent = send_all(&base, &key, &requests, args.concurrency, args.rate).await;
    let offered_in = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(args.drain_seconds);
    loop {
        let q = store.queue_stats().await?;
        if q.queued + q.running == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let decided_in = started.elapsed();
    if let Some(w) = workers {
        w.shutdown().await;
    }

    let mut latencies = Vec::with_capacity(sent.accepted.len());
    let mut decisions: BTreeMap<String, usize> = BTreeMap::new();
    for id in &sent.accepted {
        let rec = store
            .upload(id)
            .await?
            .context("an accepted upload is missing")?;
        if let Some(v) = rec.verdict {
            latencies.push(v.decided_at - rec.meta.created_at);
            *decisions
                .entry(v.verdict.decision.as_str().to_owned())
                .or_default() += 1;
        }
    }
    latencies.sort_unstable();
    let pct = |p: f64| {
        (!latencies.is_empty())
            .then(|| latencies[((latencies.len() - 1) as f64 * p).round() as usize])
    };
    let decided = latencies.len();
    let sustained = decided as f64 / decided_in.as_secs_f64();
    let report = json!({
        "backend": backend,
        "screening": if args.worker_processes > 0 {
            format!("{} worker processes x {} workers", args.worker_processes, args.workers)
        } else {
            format!("in process, {} workers", args.workers)
        },
        "models": !args.without_models,
        "photos": photos.len(),
        "offered_per_s": args.rate,
        "seconds": args.seconds,
        "offered": uploads,
        "accepted": sent.accepted.len(),
        "errors": sent.errors,
        "decided": decided,
        "undecided_after_drain": sent.accepted.len() - decided,
        "decisions": decisions,
        "offer_took_s": round(offered_in.as_secs_f64()),
        "sustained_per_s": round(sustained),
        "verdict_latency_ms": {"p50": pct(0.5), "p99": pct(0.99), "max": latencies.last()},
        "peer_read_only_per_s": round(peer_rate),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// `photo` with a JPEG comment segment naming upload `i` after the SOI
/// marker, so each upload's bytes (and SHA-256) are new; other formats are
/// sent as they are.
fn with_comment(photo: &[u8], i: usize) -> Vec<u8> {
    if !photo.starts_with(&[0xff, 0xd8]) {
        return photo.to_vec();
    }
    let text = format!("bonafide-lab bench load {i}");
    let len = (text.len() + 2) as u16;
    let mut out = Vec::with_capacity(photo.len() + text.len() + 4);
    out.extend_from_slice(&photo[..2]);
    out.extend_from_slice(&[0xff, 0xfe]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&photo[2..]);
    out
}

/// Worker processes killed when the benchmark ends.
struct Children(Child);

impl Drop for Children {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `args.worker_processes` `bonafide worker` processes on this run's
/// configuration (written to `scratch`).
fn spawn_workers(
    config: &Config,
    scratch: &std::path::Path,
    args: &Args,
) -> anyhow::Result<Vec<Children>> {
    let path = scratch.join("bonafide.toml");
    std::fs::write(&path, toml::to_string(config)?)?;
    let exe = std::env::current_exe()?;
    (0..args.worker_processes)
        .map(|_| {
            let child = Command::new(&exe)
                .arg("--config")
                .arg(&path)
                .args(["worker", "--workers", &args.workers.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .spawn()
                .context("starting a worker process")?;
            Ok(Children(child))
        })
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The peer: reads the whole multipart body and answers 202, nothing else.
async fn read_only(mut mp: Multipart) -> (StatusCode, axum::Json<serde_json::Value>) {
    while let Ok(Some(field)) = mp.next_field().await {
        if field.bytes().await.is_err() {
            return (StatusCode::BAD_REQUEST, axum::Json(json!({})));
        }
    }
    (StatusCode::ACCEPTED, axum::Json(json!({"id": "peer"})))
}

async fn serve(app: axum::Router) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        bonafide_server::serve_on(
            listener,
            app,
            &bonafide_server::ServerLimits::default(),
            std::future::pending(),
        )
        .await
    });
    Ok(base)
}

/// What sending produced: the accepted uploads' ids and the refusals,
/// counted by status (or `transport` when no answer came).
struct Sent {
    accepted: Vec<String>,
    errors: BTreeMap<String, usize>,
}

/// POSTs each of `requests` as a multipart upload from its own contributor,
/// at most `concurrency` at a time and paced to `rate` (0: unpaced).
async fn send_all(
    base: &str,
    key: &str,
    requests: &[Vec<u8>],
    concurrency: usize,
    rate: f64,
) -> Sent {
    let http = reqwest::Client::new();
    let url = format!("{base}/v1/uploads");
    let start = tokio::time::Instant::now();
    let results: Vec<Result<String, String>> = stream::iter(requests.iter().enumerate())
        .map(|(i, bytes)| {
            let (http, url) = (http.clone(), url.clone());
            let form = reqwest::multipart::Form::new()
                .text(
                    "metadata",
                    json!({"contributor_id": format!("bench-{i}")}).to_string(),
                )
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes.clone()).file_name("photo.jpg"),
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
                    .await
                    .map_err(|_| "transport".to_owned())?;
                if resp.status() != StatusCode::ACCEPTED.as_u16() {
                    return Err(resp.status().as_u16().to_string());
                }
                let body: serde_json::Value = resp.json().await.unwrap_or_default();
                Ok(body["id"].as_str().unwrap_or_default().to_owned())
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut sent = Sent {
        accepted: Vec::new(),
        errors: BTreeMap::new(),
    };
    for r in results {
        match r {
            Ok(id) => sent.accepted.push(id),
            Err(e) => *sent.errors.entry(e).or_default() += 1,
        }
    }
    sent
}
