//! Test helpers: isolated stores on both backends, an in-process server,
//! and paths to the shared third-party corpora.

#![allow(dead_code)] // each test module uses its own subset

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use bonafide_engine::{Engine, EngineConfig, Workers};
use bonafide_store::{NewApiClient, Scope, Store, StoreConfig};
use tokio::sync::OnceCell;

/// Runs an async test body once per backend: `both!(name, |env| async move { … })`.
macro_rules! both {
    ($name:ident, config = $config:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let env =
                    $crate::common::TestEnv::with_config($crate::common::Backend::Sqlite, $config)
                        .await;
                ($body)(env).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let env = $crate::common::TestEnv::with_config(
                    $crate::common::Backend::Postgres,
                    $config,
                )
                .await;
                ($body)(env).await;
            }
        }
    };
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let env = $crate::common::TestEnv::new($crate::common::Backend::Sqlite).await;
                ($body)(env).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let env = $crate::common::TestEnv::new($crate::common::Backend::Postgres).await;
                ($body)(env).await;
            }
        }
    };
}

/// Which store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `../shared/data` beside the checkout.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

/// The models `scripts/models` installed (the test command runs it).
pub fn models_dir() -> PathBuf {
    std::env::var_os("BONAFIDE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("reading shared data {rel}: {e}"))
}

pub fn pg_url() -> String {
    std::env::var("BONAFIDE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres:postgres@127.0.0.1:5432/test".into())
}

pub fn s3_url() -> String {
    std::env::var("BONAFIDE_TEST_S3_URL").unwrap_or_else(|_| {
        "s3://bonafide-test?endpoint=http://127.0.0.1:8333&region=us-east-1".into()
    })
}

/// SeaweedFS credentials that `scripts/services` configures.
pub fn set_s3_credentials() {
    if std::env::var("AWS_ACCESS_KEY_ID").is_err() {
        // SAFETY: every test sets the same values, before its S3 client is
        // built; no thread reads the environment while they change.
        unsafe {
            std::env::set_var("AWS_ACCESS_KEY_ID", "bonafide");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "bonafide-secret");
        }
    }
}

static PG_CLEAN: OnceCell<()> = OnceCell::const_new();

/// A loopback port nothing listens on (for a server the test starts).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Store URLs for a fresh, isolated store. Postgres tests each get their
/// own schema (dropped by a run an hour or more later) in the `test`
/// database, with `public` (where pgvector's types live) behind it.
pub async fn store_config(backend: Backend, dir: &std::path::Path) -> StoreConfig {
    match backend {
        Backend::Sqlite => StoreConfig::embedded(dir),
        Backend::Postgres => {
            set_s3_credentials();
            PG_CLEAN
                .get_or_init(|| async {
                    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&pg_url())
                        .await
                        .expect("PostgreSQL at BONAFIDE_TEST_PG_URL (run scripts/services)");
                    // Once, before any test migrates: concurrent CREATE
                    // EXTENSIONs race. Every schema reaches it through
                    // `public` on its search path, as in a deployment.
                    sqlx::query("CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public")
                        .execute(&mut conn)
                        .await
                        .expect("pgvector installed in PostgreSQL (scripts/setup --test)");
                    let stale: Vec<(String,)> = sqlx::query_as(
                        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'bt\\_%'",
                    )
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
                    // Only schemas over an hour old: another suite may be running.
                    let cutoff = bonafide_store::now_ms() - 3_600_000;
                    for (schema,) in stale
                        .into_iter()
                        .filter(|(s,)| schema_created_ms(s) < cutoff)
                    {
                        let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                        sqlx::query(sqlx::AssertSqlSafe(drop))
                            .execute(&mut conn)
                            .await
                            .unwrap();
                    }
                })
                .await;
            let schema = format!("bt_{}", uuid::Uuid::now_v7().simple());
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&pg_url())
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let sep = if pg_url().contains('?') { '&' } else { '?' };
            StoreConfig {
                database_url: format!(
                    "{}{sep}options=-c%20search_path%3D{schema}%2Cpublic",
                    pg_url()
                ),
                // Each test's objects under its own prefix of the shared
                // bucket, as its rows are in its own schema.
                blob_url: {
                    let url = s3_url();
                    let (location, query) = url.split_once('?').unwrap_or((&url, ""));
                    format!("{}/{schema}?{query}", location.trim_end_matches('/'))
                },
            }
        }
    }
}

/// Test schemas are named `bt_<uuid v7>`; its first 48 bits are the
/// creation time in Unix ms.
fn schema_created_ms(schema: &str) -> i64 {
    schema
        .get(3..15)
        .and_then(|hex| i64::from_str_radix(hex, 16).ok())
        .unwrap_or(0)
}

/// An engine on an isolated store, with an in-process HTTP server.
pub struct TestEnv {
    pub backend: Backend,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
    pub store_config: StoreConfig,
}

pub fn fast_config() -> EngineConfig {
    let mut config = EngineConfig {
        workers: 2,
        poll_ms: 20,
        lease_secs: 30,
        ..Default::default()
    };
    config.models.dir = models_dir();
    config
}

/// [`fast_config`] with no workers: `serve --workers 0`, an accept-only
/// process; tests run the jobs with `engine.drain()`.
pub fn accept_only_config() -> EngineConfig {
    EngineConfig {
        workers: 0,
        ..fast_config()
    }
}

/// A stand-in decoder that never finishes: a script that starts a `sleep`
/// of its own and sleeps. Returns the script and the needle that finds its
/// `sleep`s in `/proc` (see [`live_processes_running`]); the sleep's
/// fractional seconds are unique per script.
pub fn hanging_tool() -> (PathBuf, String) {
    let id = uuid::Uuid::now_v7().as_u128() % 1_000_000_000;
    let script = std::env::temp_dir().join(format!("bonafide-hang-{id}"));
    let secs = format!("3171.{id}");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nsleep {secs} &\nsleep {secs}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    (script, format!("sleep\u{0}{secs}"))
}

impl TestEnv {
    pub async fn new(backend: Backend) -> Self {
        Self::with_config(backend, fast_config()).await
    }

    pub async fn with_config(backend: Backend, config: EngineConfig) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store_config = store_config(backend, dir.path()).await;
        Self::with_store(backend, dir, store_config, config).await
    }

    /// An engine on the store `store_config` names (a test's own server).
    pub async fn with_store(
        backend: Backend,
        dir: tempfile::TempDir,
        store_config: StoreConfig,
        config: EngineConfig,
    ) -> Self {
        let store = Store::open(&store_config)
            .await
            .expect("opening the test store");
        let engine = Engine::new(store, config).unwrap();
        Self {
            backend,
            engine,
            dir,
            store_config,
        }
    }

    pub fn store(&self) -> &Store {
        self.engine.store()
    }

    /// Starts the HTTP API on a free loopback port and the workers.
    pub async fn serve(&self) -> Server {
        self.serve_with(&bonafide_server::ApiConfig::default())
            .await
    }

    /// [`Self::serve`] with `api`'s rate limits.
    pub async fn serve_with(&self, api: &bonafide_server::ApiConfig) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = bonafide_server::app(self.engine.clone(), api);
        let limits = api.server.clone();
        tokio::spawn(async move {
            bonafide_server::serve_on(listener, app, &limits, std::future::pending()).await
        });
        let workers = self.engine.spawn_workers();
        Server {
            addr,
            workers: Some(workers),
            http: reqwest::Client::new(),
            known_codes: self.engine.known_codes(),
        }
    }

    /// A new API client's id and key.
    pub async fn client(&self, scopes: &[Scope]) -> (String, String) {
        let (client, key) = self
            .store()
            .create_api_client(NewApiClient {
                name: "test".into(),
                scopes: scopes.to_vec(),
                webhook_url: None,
                tenant: None,
            })
            .await
            .unwrap();
        (client.id, key)
    }

    pub async fn key(
        &self,
        scopes: &[Scope],
        webhook_url: Option<String>,
    ) -> (String, Option<String>) {
        self.tenant_key(scopes, None, webhook_url).await
    }

    /// A new API client's key and webhook secret, in `tenant` (the default
    /// tenant when `None`).
    pub async fn tenant_key(
        &self,
        scopes: &[Scope],
        tenant: Option<&str>,
        webhook_url: Option<String>,
    ) -> (String, Option<String>) {
        let (client, key) = self
            .store()
            .create_api_client(NewApiClient {
                name: "test".into(),
                scopes: scopes.to_vec(),
                webhook_url,
                tenant: tenant.map(str::to_owned),
            })
            .await
            .unwrap();
        (key, client.webhook_secret)
    }
}

/// A webhook receiver on a local port that keeps every body it is sent
/// (egress must allow private networks and plain HTTP).
pub struct WebhookSink {
    /// Where to point a client's webhook.
    pub url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
}

impl WebhookSink {
    pub async fn start() -> Self {
        use axum::extract::State;
        type Seen = std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>;
        let seen: Seen = Seen::default();
        let app = axum::Router::new()
            .route(
                "/hook",
                axum::routing::post(
                    |State(seen): State<Seen>, body: axum::body::Bytes| async move {
                        seen.lock()
                            .unwrap()
                            .push(serde_json::from_slice(&body).unwrap());
                    },
                ),
            )
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, seen }
    }

    /// The first body `pick` accepts, waiting up to 10 s for it.
    pub async fn wait_for(
        &self,
        pick: impl Fn(&serde_json::Value) -> bool,
    ) -> Option<serde_json::Value> {
        for _ in 0..500 {
            if let Some(b) = self.seen.lock().unwrap().iter().find(|b| pick(b)) {
                return Some(b.clone());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// Every body received so far.
    pub fn bodies(&self) -> Vec<serde_json::Value> {
        self.seen.lock().unwrap().clone()
    }
}

pub struct Server {
    pub addr: SocketAddr,
    pub workers: Option<Workers>,
    pub http: reqwest::Client,
    /// The codes the engine's detectors declare: every decided upload's
    /// findings are checked against them, so the whole suite checks the
    /// declarations the policy check relies on.
    pub known_codes: std::collections::BTreeSet<&'static str>,
}

/// A client that does not follow redirects: to see a login's cookie, or a
/// page's redirect to the login.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A reviewers' login form POST with `body` (urlencoded), not sent.
    pub fn login_request(&self, http: &reqwest::Client, body: &str) -> reqwest::RequestBuilder {
        http.post(self.url("/ui/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
    }

    /// Logs `name` in; returns the `Cookie` header its session needs.
    /// (Names and passwords are letters and spaces: the form encoding is
    /// only spaces as `+`.)
    pub async fn log_in(&self, name: &str, password: &str) -> String {
        let body = format!("name={name}&password={}", password.replace(' ', "+"));
        let resp = self
            .login_request(&no_redirects(), &body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 303, "{resp:?}");
        let cookie = resp.headers()["set-cookie"].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    /// POSTs `form` to `/v1/uploads` with `key`.
    pub async fn post_form(&self, key: &str, form: reqwest::multipart::Form) -> reqwest::Response {
        self.http
            .post(self.url("/v1/uploads"))
            .bearer_auth(key)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// POSTs a multipart upload; returns status and JSON body.
    pub async fn upload(
        &self,
        key: &str,
        file_name: &str,
        bytes: Vec<u8>,
        metadata: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let form = reqwest::multipart::Form::new()
            .part(
                "metadata",
                reqwest::multipart::Part::text(metadata.to_string()),
            )
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
            );
        let resp = self
            .http
            .post(self.url("/v1/uploads"))
            .bearer_auth(key)
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {file_name}: {e:?}"));
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Uploads a file and waits for its verdict.
    pub async fn screen(
        &self,
        key: &str,
        file_name: &str,
        bytes: Vec<u8>,
        metadata: serde_json::Value,
    ) -> UploadViewJson {
        let (status, up) = self.upload(key, file_name, bytes, metadata).await;
        assert_eq!(status, 202, "{file_name}: {up}");
        self.verdict(key, up["id"].as_str().unwrap()).await
    }

    /// GETs `path`, with `key` if given; returns the status and the JSON
    /// body (`Null` when the body is not JSON).
    pub async fn get(&self, key: Option<&str>, path: &str) -> (u16, serde_json::Value) {
        let mut req = self.http.get(self.url(path));
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e:?}"));
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// The Prometheus text at `/metrics`.
    pub async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Waits until the upload is decided (or failed) and returns it.
    pub async fn verdict(&self, key: &str, id: &str) -> UploadViewJson {
        for _ in 0..1500 {
            let (_, v) = self.get(Some(key), &format!("/v1/uploads/{id}")).await;
            if v["state"] == "decided" || v["state"] == "failed" {
                for code in v["findings"].as_array().into_iter().flatten() {
                    let code = code["code"].as_str().unwrap_or_default();
                    assert!(
                        self.known_codes.contains(code),
                        "{code}: no detector declares it (Detector::codes)"
                    );
                }
                return UploadViewJson(v);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("upload {id} was not decided within 30 s");
    }
}

/// Waits up to `secs` for every upload in `ids` to be decided, and checks
/// each has exactly one verdict and the queue is empty (none dead).
pub async fn each_decided_once(store: &bonafide_store::Store, ids: &[String], secs: u64) {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    for id in ids {
        loop {
            let rec = store
                .upload(id)
                .await
                .unwrap()
                .expect("an accepted upload is kept");
            if rec.state == bonafide_core::UploadState::Decided {
                break;
            }
            assert_ne!(
                rec.state,
                bonafide_core::UploadState::Failed,
                "{id} was dead-lettered"
            );
            assert!(
                std::time::Instant::now() < deadline,
                "{id} not decided in {secs} s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(
            store.verdict_count(id).await.unwrap(),
            1,
            "{id}: exactly one verdict"
        );
    }
    let q = store.queue_stats().await.unwrap();
    assert_eq!((q.queued, q.running, q.dead), (0, 0, 0));
}

/// An upload as the API returns it, with helpers for assertions.
#[derive(Debug)]
pub struct UploadViewJson(pub serde_json::Value);

impl UploadViewJson {
    pub fn decision(&self) -> &str {
        self.0["verdict"]["decision"].as_str().unwrap_or("none")
    }

    pub fn finding(&self, code: &str) -> Option<&serde_json::Value> {
        self.0["findings"]
            .as_array()?
            .iter()
            .find(|f| f["code"] == code)
    }

    /// Passed every check but the weak "written by ffmpeg" one, which all
    /// the test corpora's videos carry (they were made with ffmpeg); a
    /// `task.match` note may stand beside it.
    pub fn clean_but_ffmpeg_written(&self) -> bool {
        let codes: Vec<String> = self
            .codes()
            .into_iter()
            .filter(|c| c != "task.match")
            .collect();
        self.decision() == "review" && codes == ["metadata.reencoded"]
    }

    pub fn codes(&self) -> Vec<String> {
        self.0["findings"].as_array().map_or(vec![], |a| {
            a.iter()
                .map(|f| f["code"].as_str().unwrap().to_owned())
                .collect()
        })
    }
}

/// A five-second video panning and zooming over a photo of the shared
/// data (the seed case: a contributor films their dog instead of the
/// task; a copier films a web photo).
pub fn video_of(photo: &str, dir: &std::path::Path) -> Vec<u8> {
    let out = dir.join("pan.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-loop", "1", "-i"])
        .arg(data(photo))
        .args([
            "-vf",
            "scale=960:-2,zoompan=z='min(zoom+0.002,1.3)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=125:s=640x480:fps=25",
            "-t",
            "5",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(out).unwrap()
}

/// Processes, not zombies, whose command line contains `needle` (its
/// arguments separated by NULs, as /proc keeps them).
pub fn live_processes_running(needle: &str) -> usize {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z'));
            String::from_utf8_lossy(&cmdline).contains(needle) && !zombie
        })
        .count()
}
