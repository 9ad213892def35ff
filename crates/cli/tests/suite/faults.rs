//! Infrastructure faults: the database restarted mid-run, the object store
//! down, the embedded store's disk full. Each runs on its own server (a
//! private PostgreSQL cluster, a private SeaweedFS, a small tmpfs) so the
//! fault touches no other test. The promise in every case: while the store
//! is out, uploads are refused with 503/507 and Retry-After (never a 500,
//! never a 202 that is later lost), and once it is back every accepted
//! upload reaches exactly one verdict — none dead-lettered for the outage.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use bonafide_store::{Scope, StoreConfig};
use serde_json::json;

use crate::common::*;

const PHOTOS: [&str; 6] = [
    "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
    "near-duplicates/imagededup-ukbench/base_images/ukbench01380.jpg",
    "near-duplicates/imagededup-ukbench/base_images/ukbench08976.jpg",
    "near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg",
    "near-duplicates/imagededup-ukbench/base_images/ukbench09040.jpg",
    "near-duplicates/imagededup-ukbench/base_images/ukbench09268.jpg",
];

/// Runs `cmd` as the `postgres` user when we are root (initdb refuses root).
fn as_postgres(program: &Path) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL cluster of this test's own (Debian's server binaries), on
/// a free port, stopped when dropped.
struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivatePostgres {
    fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL's server binaries (scripts/setup --test)")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()
            .expect("an initdb under /usr/lib/postgresql");
        let dir = tempfile::tempdir().unwrap();
        ok(
            Command::new("chown").arg("postgres").arg(dir.path()),
            "chown the cluster's folder",
        );
        ok(
            as_postgres(&bin.join("initdb"))
                .arg("-D")
                .arg(dir.path().join("data"))
                .args([
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "--no-instructions",
                ]),
            "initdb",
        );
        let pg = Self {
            bin,
            dir,
            port: free_port(),
        };
        pg.ctl("start");
        pg
    }

    /// `pg_ctl ACTION`, waiting for it to finish; `stop` is immediate (a crash).
    fn ctl(&self, action: &str) {
        let d = self.dir.path();
        ok(
            as_postgres(&self.bin.join("pg_ctl"))
                .arg("-D")
                .arg(d.join("data"))
                .args(["-w", "-m", "immediate", "-l"])
                .arg(d.join("log"))
                .arg("-o")
                .arg(format!(
                    "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                    self.port,
                    d.display()
                ))
                .arg(action),
            &format!("pg_ctl {action}"),
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

/// A SeaweedFS S3 server of this test's own, with its data in a folder that
/// outlives a kill, so a restart finds the objects again.
struct PrivateS3 {
    data: tempfile::TempDir,
    log: tempfile::NamedTempFile,
    ports: [u16; 8],
    process: Option<Child>,
}

impl PrivateS3 {
    fn start() -> Self {
        let mut s3 = Self {
            data: tempfile::tempdir().unwrap(),
            log: tempfile::NamedTempFile::new().unwrap(),
            ports: std::array::from_fn(|_| 0),
            process: None,
        };
        // Eight distinct free ports, held until all are picked.
        let held: Vec<_> = (0..8)
            .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        for (p, l) in s3.ports.iter_mut().zip(&held) {
            *p = l.local_addr().unwrap().port();
        }
        drop(held);
        s3.run();
        s3
    }

    fn run(&mut self) {
        let weed =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools/seaweedfs/bin/weed");
        let [
            master,
            master_grpc,
            volume,
            volume_grpc,
            filer,
            filer_grpc,
            s3,
            s3_grpc,
        ] = self.ports;
        let child = Command::new(&weed)
            .arg("server")
            .arg(format!("-dir={}", self.data.path().display()))
            .args([
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-volume.max=5",
                "-s3",
            ])
            .arg(format!("-master.port={master}"))
            .arg(format!("-master.port.grpc={master_grpc}"))
            .arg(format!("-volume.port={volume}"))
            .arg(format!("-volume.port.grpc={volume_grpc}"))
            .arg(format!("-filer.port={filer}"))
            .arg(format!("-filer.port.grpc={filer_grpc}"))
            .arg(format!("-s3.port={s3}"))
            .arg(format!("-s3.port.grpc={s3_grpc}"))
            // Extra listeners on fixed ports would clash with scripts/services' server.
            .args(["-s3.port.iceberg=0", "-s3.port.lance=0"])
            // SeaweedFS turns AWS_* variables into an identity and then
            // refuses anonymous requests; this one runs without identities.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(self.log.reopen().unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("{} (scripts/setup --test): {e}", weed.display()));
        self.process = Some(child);
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports[6])
    }

    fn url(&self) -> String {
        format!("s3://faults?endpoint={}&region=us-east-1", self.endpoint())
    }

    /// Waits until the bucket answers (creating it: with no identities
    /// configured, SeaweedFS takes any request).
    async fn wait_ready(&self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let put = http.put(format!("{}/faults", self.endpoint())).send().await;
            if put.is_ok_and(|r| r.status().is_success() || r.status() == 409) {
                return;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(self.log.path()).unwrap_or_default();
                let lines: Vec<&str> = log.lines().collect();
                let tail = &lines[lines.len().saturating_sub(30)..];
                panic!(
                    "SeaweedFS did not come up; its log ends:\n{}",
                    tail.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    fn kill(&mut self) {
        if let Some(mut p) = self.process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

impl Drop for PrivateS3 {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A small tmpfs: the embedded store's disk, which a test can fill.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn mount(mib: u32) -> Self {
        let dir = tempfile::tempdir().unwrap();
        ok(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"])
                .arg(dir.path()),
            "mount a tmpfs (the disk-full test runs as root, as CI does)",
        );
        Self(dir)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazy: the engine may still hold files there when a test fails.
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).output();
    }
}

/// Uploads photo `i` from its own contributor: the status and body.
async fn offer(srv: &Server, key: &str, i: usize) -> (u16, serde_json::Value) {
    let photo = PHOTOS[i % PHOTOS.len()];
    srv.upload(
        key,
        &format!("photo-{i}.jpg"),
        read(photo),
        json!({"contributor_id": format!("faults-{i}")}),
    )
    .await
}

/// Uploads until one is accepted (the store coming back), allowing only
/// outage answers before it; the accepted id.
async fn offer_until_accepted(srv: &Server, key: &str, i: usize, secs: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let (status, body) = offer(srv, key, i).await;
        if status == 202 {
            return body["id"].as_str().unwrap().to_owned();
        }
        assert_outage(status, &body, 503);
        assert!(
            Instant::now() < deadline,
            "the store did not come back: {body}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn assert_outage(status: u16, body: &serde_json::Value, expected: u16) {
    assert_eq!(
        status, expected,
        "an outage is {expected}, not a failure: {body}"
    );
    let code = if expected == 507 {
        "storage_full"
    } else {
        "store_unavailable"
    };
    assert_eq!(body["code"], code, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_down_mid_run_refuses_then_recovers_losing_nothing() {
    let pg = PrivatePostgres::start();
    let dir = tempfile::tempdir().unwrap();
    let store_config = StoreConfig {
        database_url: pg.url(),
        blob_url: dir.path().join("blobs").display().to_string(),
    };
    let env = TestEnv::with_store(Backend::Postgres, dir, store_config, fast_config()).await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let srv = env.serve().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let (status, body) = offer(&srv, &key, i).await;
        assert_eq!(status, 202, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    // Down (a crash, no checkpoint) while those are being screened.
    pg.ctl("stop");
    let (status, body) = offer(&srv, &key, 4).await;
    assert_outage(status, &body, 503);
    let (status, _) = srv.get(None, "/healthz").await;
    assert_eq!(status, 503, "health says the store is out");
    tokio::time::sleep(Duration::from_secs(3)).await;
    pg.ctl("start");
    ids.push(offer_until_accepted(&srv, &key, 5, 60).await);
    each_decided_once(env.store(), &ids, 180).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn object_store_down_refuses_then_recovers_losing_nothing() {
    set_s3_credentials();
    let mut s3 = PrivateS3::start();
    s3.wait_ready().await;
    let dir = tempfile::tempdir().unwrap();
    let store_config = StoreConfig {
        database_url: format!("sqlite://{}?mode=rwc", dir.path().join("db").display()),
        blob_url: s3.url(),
    };
    let env = TestEnv::with_store(Backend::Sqlite, dir, store_config, fast_config()).await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let srv = env.serve().await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let (status, body) = offer(&srv, &key, i).await;
        assert_eq!(status, 202, "{body}");
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    s3.kill();
    let (status, body) = offer(&srv, &key, 3).await;
    assert_outage(status, &body, 503);
    s3.run();
    s3.wait_ready().await;
    ids.push(offer_until_accepted(&srv, &key, 4, 90).await);
    each_decided_once(env.store(), &ids, 180).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_a_clear_507_and_room_made_recovers() {
    let disk = SmallDisk::mount(24);
    let root = disk.0.path();
    let env = TestEnv::with_store(
        Backend::Sqlite,
        tempfile::tempdir().unwrap(),
        StoreConfig::embedded(root),
        fast_config(),
    )
    .await;
    let (key, _) = env.key(&[Scope::Ingest], None).await;
    let srv = env.serve().await;
    let (status, body) = offer(&srv, &key, 0).await;
    assert_eq!(status, 202, "{body}");
    let mut ids = vec![body["id"].as_str().unwrap().to_owned()];
    // Ballast takes all but a little of the rest: a few photos later the
    // disk is full.
    let ballast = root.join("ballast");
    let free = fs_free_bytes(root);
    std::fs::write(&ballast, vec![0u8; free.saturating_sub(600 << 10) as usize]).unwrap();
    let mut refused = None;
    for i in 1..40 {
        let (status, body) = offer(&srv, &key, i).await;
        if status == 202 {
            ids.push(body["id"].as_str().unwrap().to_owned());
        } else {
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.expect("a full disk refuses uploads");
    assert_outage(status, &body, 507);
    assert!(
        body["message"].as_str().unwrap().contains("disk is full"),
        "{body}"
    );
    std::fs::remove_file(&ballast).unwrap();
    ids.push(offer_until_accepted(&srv, &key, 50, 30).await);
    each_decided_once(env.store(), &ids, 180).await;
}

/// Bytes free on the filesystem holding `path` (`df`, in 1K blocks).
fn fs_free_bytes(path: &Path) -> u64 {
    let out = Command::new("df")
        .args(["-k", "--output=avail"])
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .nth(1)
        .and_then(|l| l.trim().parse::<u64>().ok())
        .expect("df's answer")
        * 1024
}
