//! `bonafide-lab bench fraud`: the identity graph on a synthetic population
//! with planted rings (`crate::simulate`) — rings found and the
//! precision of the accounts flagged, graph updates per second and the
//! memory the graph takes — then the per-upload cost with the event log in
//! a store (the embedded SQLite store, and Postgres with `--postgres`),
//! against the log append alone as the peer.

use std::time::Instant;

use anyhow::Context;
use bonafide_core::DEFAULT_TENANT;
use bonafide_fraud::{GraphConfig, GraphEvent, IdentityGraph, findings};
use bonafide_store::{Store, StoreConfig};
use serde_json::json;

use crate::simulate::{Population, detection, generate};

/// Arguments of `bench fraud`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Contributors, rings included (one in a hundred is in a ring).
    #[arg(long, default_value_t = 200_000)]
    contributors: usize,
    /// Uploads over the period.
    #[arg(long, default_value_t = 5_000_000)]
    uploads: usize,
    /// Days the uploads span.
    #[arg(long, default_value_t = 30)]
    days: u32,
    /// Seed of the population.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Uploads replayed through a store's event log (the first ones).
    #[arg(long, default_value_t = 20_000)]
    store_uploads: usize,
    /// Also replay them through this Postgres database (use a scratch one).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
}

/// Resident memory of this process, in MiB (Linux).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The last `seq` in the store's event log.
async fn last_seq(store: &Store) -> anyhow::Result<i64> {
    let mut after = 0;
    loop {
        let page = store.graph_events_after(after, 10_000).await?;
        match page.last() {
            Some(logged) => after = logged.seq,
            None => return Ok(after),
        }
    }
}

/// Replays the first `uploads` uploads as the engine does per upload —
/// append the event, catch up from the log, read the findings — after, as
/// the peer, appending the same events alone to the same log.
async fn through_store(
    events: &[GraphEvent],
    uploads: usize,
    store: &Store,
) -> anyhow::Result<serde_json::Value> {
    let chosen: Vec<&GraphEvent> = {
        let mut n = 0;
        events
            .iter()
            .take_while(|e| {
                n += usize::from(matches!(e, GraphEvent::Upload(_)));
                n <= uploads
            })
            .collect()
    };
    // Keys unique to this run: a Postgres database may hold earlier runs.
    let run = uuid::Uuid::now_v7().simple().to_string();
    let started = Instant::now();
    for (i, e) in chosen.iter().enumerate() {
        store
            .add_graph_event(
                &format!("peer-{run}-{i}"),
                DEFAULT_TENANT,
                &serde_json::to_value(e)?,
            )
            .await?;
    }
    let peer = started.elapsed();

    let mut graph = IdentityGraph::new(GraphConfig::default());
    let mut after = last_seq(store).await?;
    let started = Instant::now();
    for (i, e) in chosen.iter().enumerate() {
        store
            .add_graph_event(
                &format!("graph-{run}-{i}"),
                DEFAULT_TENANT,
                &serde_json::to_value(e)?,
            )
            .await?;
        for logged in store.graph_events_after(after, 10_000).await? {
            after = logged.seq;
            graph.apply(&serde_json::from_value(logged.event)?);
        }
        if let GraphEvent::Upload(u) = e {
            std::hint::black_box(findings::for_upload(&graph, u));
        }
    }
    let full = started.elapsed();
    let n = chosen
        .iter()
        .filter(|e| matches!(e, GraphEvent::Upload(_)))
        .count();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / n.max(1) as f64;
    Ok(json!({
        "uploads": n,
        "events": chosen.len(),
        "ms_per_upload": per(full),
        "peer_log_append_ms_per_upload": per(peer),
        "ratio_to_peer": full.as_secs_f64() / peer.as_secs_f64(),
    }))
}

/// Runs the benchmark and prints one JSON report.
pub async fn run(args: Args) -> anyhow::Result<()> {
    let population = Population {
        contributors: args.contributors,
        uploads: args.uploads,
        days: args.days,
        seed: args.seed,
    };
    let started = Instant::now();
    let sim = generate(&population);
    let generated = started.elapsed();
    let uploads = sim
        .events
        .iter()
        .filter(|e| matches!(e, GraphEvent::Upload(_)))
        .count();

    let before = rss_mib();
    let mut graph = IdentityGraph::new(GraphConfig::default());
    let started = Instant::now();
    for e in &sim.events {
        graph.apply(e);
    }
    let applied = started.elapsed();
    let graph_mib = rss_mib() - before;
    // The findings read for every upload (what screening adds), timed on
    // a sample of uploads against the finished graph.
    let sample: Vec<_> = sim
        .events
        .iter()
        .filter_map(|e| match e {
            GraphEvent::Upload(u) => Some(u),
            GraphEvent::Verdict { .. } => None,
        })
        .step_by((uploads / 20_000).max(1))
        .collect();
    let started = Instant::now();
    for u in &sample {
        std::hint::black_box(findings::for_upload(&graph, u));
    }
    let findings_us = started.elapsed().as_secs_f64() * 1e6 / sample.len().max(1) as f64;
    let started = Instant::now();
    let found = detection(&graph, &sim);
    let scored = started.elapsed();

    let dir = tempfile::tempdir()?;
    let embedded = Store::open(&StoreConfig::embedded(dir.path())).await?;
    let embedded = through_store(&sim.events, args.store_uploads, &embedded).await?;
    let mut report = json!({
        "population": {
            "contributors": args.contributors,
            "uploads": uploads,
            "days": args.days,
            "rings": sim.rings.len(),
            "generated_s": generated.as_secs_f64(),
        },
        "detection": found,
        "in_memory": {
            "events": sim.events.len(),
            "uploads_per_s": uploads as f64 / applied.as_secs_f64(),
            "us_per_upload": applied.as_secs_f64() * 1e6 / uploads as f64,
            "findings_us_per_upload": findings_us,
            "graph_rss_mib": graph_mib,
            "scoring_s": scored.as_secs_f64(),
        },
        "embedded_store": embedded,
    });
    if let Some(url) = &args.postgres {
        let store = Store::open(&StoreConfig {
            database_url: url.to_owned(),
            blob_url: dir.path().join("blobs").display().to_string(),
        })
        .await
        .context("opening Postgres")?;
        report["postgres"] = through_store(&sim.events, args.store_uploads, &store).await?;
    }
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
