//! The `bonafide` binary as a user runs it.

use std::{collections::HashMap, process::Command};

use serde_json::Value;

use crate::common::*;

pub(crate) fn bonafide(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bonafide"));
    cmd.env("BONAFIDE_DATA_DIR", data_dir)
        .env("BONAFIDE_MODELS", models_dir())
        .env_remove("BONAFIDE_DATABASE_URL")
        .env_remove("BONAFIDE_BLOB_URL");
    cmd
}

pub(crate) fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// `bonafide scan --json` over `files` in a fresh data folder `dir`: one
/// result per file.
pub(crate) fn scan(dir: &std::path::Path, files: &[&std::path::Path]) -> Vec<Value> {
    let out = bonafide(dir)
        .args(["scan", "--json"])
        .args(files)
        .output()
        .unwrap();
    json_lines(&out.stdout)
}

/// `bonafide inspect FILE`, trusting the CA in `trust` if given.
pub(crate) fn inspect(
    dir: &std::path::Path,
    file: &std::path::Path,
    trust: Option<&std::path::Path>,
) -> Value {
    let mut cmd = bonafide(dir);
    if let Some(t) = trust {
        cmd.env("BONAFIDE_C2PA_TRUST_ANCHORS", t);
    }
    let out = cmd.arg("inspect").arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The finding with `code` in one scan result.
pub(crate) fn finding<'a>(line: &'a Value, code: &str) -> Option<&'a Value> {
    line["findings"]
        .as_array()?
        .iter()
        .find(|f| f["code"] == code)
}

#[test]
fn scan_flags_byte_identical_copies_and_rejects_non_images() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = data("near-duplicates/imagededup-ukbench");
    let out = bonafide(dir.path())
        .args(["scan", "--json"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "flagged files exit 1; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out.stdout);
    let files = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    assert_eq!(lines.len(), files, "one line per file");

    let by_name: HashMap<String, &Value> = lines
        .iter()
        .map(|l| {
            (
                l["file"]
                    .as_str()
                    .unwrap()
                    .split("imagededup-ukbench/")
                    .nth(1)
                    .unwrap()
                    .to_owned(),
                l,
            )
        })
        .collect();
    for line in &lines {
        for key in ["file", "upload_id", "verdict", "findings"] {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
    }
    let original = by_name["base_images/ukbench09380.jpg"];
    assert_eq!(original["verdict"], "accept");
    for copy in [
        "formats_images/ukbench09380.bmp",
        "formats_images/ukbench09380.png",
    ] {
        let dup = by_name[copy]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "duplicate.exact");
        let dup =
            dup.unwrap_or_else(|| panic!("{copy} must be an exact duplicate: {}", by_name[copy]));
        assert_eq!(
            dup["evidence"]["first_upload_id"], original["upload_id"],
            "{copy}"
        );
    }
    // The WebP is a real re-encode: not byte-identical.
    let webp = by_name["formats_images/ukbench09380.webp"];
    assert!(
        webp["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "duplicate.exact")
    );

    // Every transformed copy — other formats, resized, flipped, turned by
    // ~30°, greyscale — is flagged as a copy of an earlier file of the same
    // photo; distinct photos are never matched to each other.
    let photo = |name: &str| name.rsplit('/').next().unwrap()[..12].to_owned();
    let name_of: HashMap<&str, &str> = by_name
        .iter()
        .map(|(name, l)| (l["upload_id"].as_str().unwrap(), name.as_str()))
        .collect();
    for (name, line) in &by_name {
        let matched: Vec<&str> = line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| match f["code"].as_str() {
                Some("duplicate.near") => f["evidence"]["matched_upload_id"].as_str(),
                Some("duplicate.exact") => f["evidence"]["first_upload_id"].as_str(),
                _ => None,
            })
            .map(|id| name_of[id])
            .collect();
        for other in &matched {
            assert_eq!(photo(name), photo(other), "{name} matched {other}");
        }
        let is_copy = name.contains("ukbench")
            && !name.starts_with("base_images/")
            && !name.starts_with("evaluation_files/")
            && !name.ends_with("_corrupt.jpg");
        assert_eq!(!matched.is_empty(), is_copy, "{name}: {line}");
    }

    let corrupt = by_name["mixed_images/ukbench09268_corrupt.jpg"];
    assert_eq!(corrupt["verdict"], "reject");
    assert_eq!(corrupt["findings"][0]["code"], "media.unsupported");
    // The scan went on past it: the greyscale copy after it is screened
    // (and recognised as the same photo).
    let gray = by_name["ukbench00120_gray.jpg"]["findings"]
        .as_array()
        .unwrap();
    assert!(
        gray.iter().any(|f| f["code"] == "duplicate.near"),
        "{gray:?}"
    );
}

#[test]
fn scan_prints_a_table_without_json() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = data("near-duplicates/imagededup-ukbench/base_images");
    let out = bonafide(dir.path())
        .arg("scan")
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "anything flagged exits 1");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("FILE"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains("accept")).count(),
        9,
        "{text}"
    );
    // ukbench09060.jpg was saved twice as JPEG: its coefficients sit only at
    // multiples of 3 of its current step (an earlier step of 6).
    let resaved = text
        .lines()
        .find(|l| l.contains("ukbench09060.jpg"))
        .unwrap();
    assert!(
        resaved.contains("review") && resaved.contains("metadata.double_compressed"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("scanned 10 files: 9 accept, 1 review"));
}

#[test]
fn hash_and_inspect_describe_files() {
    let dir = tempfile::tempdir().unwrap();
    let base = data("near-duplicates/imagededup-ukbench");
    let out = bonafide(dir.path())
        .args(["hash", "--json"])
        .arg(base.join("base_images/ukbench09380.jpg"))
        .arg(base.join("formats_images/ukbench09380.png"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["sha256"], lines[1]["sha256"]);
    assert_eq!(lines[0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(lines[0]["pdq"].as_str().unwrap().len(), 64);
    assert_eq!(lines[0]["pdq"], lines[1]["pdq"]);
    assert!(lines[0]["pdq_quality"].as_u64().unwrap() >= 50);

    // PDQ matches Meta's reference output for the bridge photo (C++ CLI,
    // as listed in the shared expected-hash CSV) within upstream's tolerance.
    let bridge =
        data("pdq-tmk-vpdq-threatexchange/pdq/data/reg-test-input/dih/bridge-1-original.jpg");
    let out = bonafide(dir.path())
        .args(["hash", "--json"])
        .arg(&bridge)
        .output()
        .unwrap();
    let line = &json_lines(&out.stdout)[0];
    let ours: bonafide_pdq::Hash256 = line["pdq"].as_str().unwrap().parse().unwrap();
    let csv = std::fs::read_to_string(data("pdq-tmk-vpdq-threatexchange/expected_pdq_hashes.csv"))
        .unwrap();
    let reference = csv
        .lines()
        .find(|l| {
            l.starts_with("pdq/data/reg-test-input/dih/bridge-1-original.jpg") && l.contains("C++")
        })
        .unwrap();
    let expected: bonafide_pdq::Hash256 = reference.split(',').nth(1).unwrap().parse().unwrap();
    assert!(ours.distance(&expected) <= 10);

    let out = bonafide(dir.path())
        .args(["hash", "--json"])
        .arg(data("video/augly/small_input_1.mp4"))
        .output()
        .unwrap();
    assert_eq!(
        json_lines(&out.stdout)[0]["pdq"],
        serde_json::Value::Null,
        "videos have no single PDQ"
    );

    let out = bonafide(dir.path())
        .arg("inspect")
        .arg(data("video/augly/small_input_1.mp4"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["media_type"], "video/mp4");
    assert_eq!(doc["video"]["codec"], "h264");
    assert_eq!(doc["video"]["frames_sampled"], 5);

    let out = bonafide(dir.path())
        .arg("inspect")
        .arg(base.join("mixed_images/ukbench09268_corrupt.jpg"))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["code"], "media.unsupported");

    let out = bonafide(dir.path())
        .arg("inspect")
        .arg(dir.path().join("missing.jpg"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a missing file is an error, exit 2"
    );
}

/// `inspect` reads every block a file says about itself: IPTC and the ICC
/// profile of a JPEG, the container atoms of a phone's MOV, the XMP and
/// info dictionary of a PDF.
#[test]
fn inspect_reads_iptc_icc_containers_and_pdf_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let inspect = |file: std::path::PathBuf| inspect(dir.path(), &file, None);
    let bridge = inspect(data(
        "pdq-tmk-vpdq-threatexchange/pdq/data/reg-test-input/dih/bridge-2-rotate-90.jpg",
    ));
    assert_eq!(bridge["metadata"]["iptc"]["by_line"][0], "Picasa 3.0");
    let earth = inspect(data("c2pa-rs-fixtures/fixtures/earth_apollo17.jpg"));
    assert_eq!(earth["metadata"]["icc_profile"], "sRGB IEC61966-2.1");

    let mov = inspect(data("c2pa-rs-fixtures/fixtures/c.mov"));
    let container = &mov["metadata"]["container"];
    assert_eq!(container["make"], "Apple", "{}", mov["metadata"]);
    assert_eq!(container["creation_time"], "2025-08-23T04:39:57.000000Z");
    assert!(mov["metadata"]["errors"].is_null(), "{}", mov["metadata"]);

    let pdf = inspect(data("c2pa-rs-fixtures/fixtures/basic.pdf"));
    assert_eq!(
        pdf["metadata"]["xmp"]["creator_tool"],
        "Acrobat Pro 23.1.20143"
    );
    assert_eq!(
        pdf["document"]["info"]["Producer"],
        "Acrobat Pro 23.1.20143"
    );
}

#[test]
fn scan_with_tasks_and_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let photo = data("near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg");
    let out = bonafide(dir.path())
        .args(["scan", "--task", "no-such-task"])
        .arg(&photo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown task \"no-such-task\""));

    let out = bonafide(dir.path())
        .args([
            "scan",
            "--json",
            "--contributor",
            "alice",
            "--task-text",
            "A photo of your breakfast",
        ])
        .arg(&photo)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&out.stdout)[0]["verdict"], "accept");

    let out = bonafide(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("schema is current"));
}

/// A policy rule naming a code no detector emits (a typo) stops `scan`
/// and `serve` before they do anything, naming the rule.
#[test]
fn a_policy_naming_an_unknown_code_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "version = \"typo\"\nunmatched = \"review\"\n\n\
         [[rule]]\ncode = \"duplicate.*\"\naction = \"reject\"\n\n\
         [[rule]]\ncode = \"ai.generatd\"\naction = \"reject\"\n",
    )
    .unwrap();
    let photo = data("near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg");
    let scan = bonafide(dir.path())
        .env("BONAFIDE_POLICY", &policy)
        .arg("scan")
        .arg(&photo)
        .output()
        .unwrap();
    let serve = bonafide(dir.path())
        .env("BONAFIDE_POLICY", &policy)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    for out in [scan, serve] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("policy rule 2 (code = \"ai.generatd\")"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}
