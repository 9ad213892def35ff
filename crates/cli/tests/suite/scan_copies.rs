//! `bonafide scan` and `bank import` finding copies: edited and rotated
//! photos, variants of one video, entries of banks.

use std::collections::HashMap;

use serde_json::Value;

use super::cli::{bonafide, json_lines, scan};
use crate::common::*;

/// Every edit and orientation of the bridge photo is recognised as a copy of
/// an earlier one, whatever order the workers finish in.
#[test]
fn scan_finds_edited_and_rotated_copies() {
    let dir = tempfile::tempdir().unwrap();
    let pdq = data("pdq-tmk-vpdq-threatexchange/pdq/data");
    let out = bonafide(dir.path())
        .args(["scan", "--json"])
        .arg(pdq.join("bridge-mods"))
        .arg(pdq.join("reg-test-input/dih"))
        .output()
        .unwrap();
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 20);
    let position: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l["upload_id"].as_str().unwrap(), i))
        .collect();
    for (i, line) in lines.iter().enumerate().skip(1) {
        let findings = line["findings"].as_array().unwrap();
        let dup = findings
            .iter()
            .find(|f| f["code"] == "duplicate.near" || f["code"] == "duplicate.exact")
            .unwrap_or_else(|| panic!("{} is not recognised: {line}", line["file"]));
        let matched = dup["evidence"]["matched_upload_id"]
            .as_str()
            .or(dup["evidence"]["first_upload_id"].as_str());
        assert!(
            position[matched.unwrap()] < i,
            "matches point at earlier uploads"
        );
    }
    let rotated = lines
        .iter()
        .find(|l| {
            l["file"]
                .as_str()
                .unwrap()
                .ends_with("bridge-2-rotate-90.jpg")
        })
        .unwrap();
    let near = rotated["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "duplicate.near")
        .unwrap();
    assert_ne!(
        near["evidence"]["orientation"], "original",
        "matched through a rotation"
    );
    assert!(near["evidence"]["distance"].as_u64().unwrap() <= 10);
}

/// Meta's TMK sample videos: re-encoded, recoloured, letterboxed,
/// small-logo and re-timed (`pattern-longer`, one frame off at every tick,
/// on fast-moving texture) variants of one source match an earlier variant
/// by their frames; `chair-20`, another take of the scene `chair-19` shows,
/// with no frame in common, matches it by the whole-video TMK hash (for a
/// person to confirm); different sources never match. Not matched: the large-logo
/// overlays, which cover too much of the picture for PDQ and which Meta's
/// own TMK clustering leaves out too.
#[test]
fn scan_matches_video_variants_of_one_source() {
    let dir = tempfile::tempdir().unwrap();
    let videos = data("pdq-tmk-vpdq-threatexchange/tmk/sample-videos");
    let out = bonafide(dir.path())
        .args(["scan", "--json"])
        .arg(&videos)
        .output()
        .unwrap();
    let lines = json_lines(&out.stdout);
    let name = |l: &Value| {
        l["file"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned()
    };
    let by_id: HashMap<&str, String> = lines
        .iter()
        .map(|l| (l["upload_id"].as_str().unwrap(), name(l)))
        .collect();
    let source = |file: &str| file.split('-').next().unwrap().to_owned();
    let mut matched = Vec::new();
    let mut methods = HashMap::new();
    for line in &lines {
        for f in line["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "duplicate.near")
        {
            for m in f["evidence"]["matches"].as_array().unwrap() {
                let other = &by_id[m["upload_id"].as_str().unwrap()];
                assert_eq!(
                    source(&name(line)),
                    source(other),
                    "{} matched {other}",
                    name(line)
                );
            }
            matched.push(name(line));
            methods.insert(
                name(line),
                f["evidence"]["method"].as_str().unwrap().to_owned(),
            );
        }
    }
    for variant in [
        "chair-20-sd-bar.mp4",
        "chair-22-sd-grey-bar.mp4",
        "chair-22-sd-sepia-bar.mp4",
        "chair-22-with-small-logo-bar.mp4",
        "chair-orig-22-sd-bar.mp4",
        "pattern-longer-no-bar.mp4",
        "pattern-sd-grey-bar.mp4",
        "pattern-sd-with-small-logo-bar.mp4",
    ] {
        assert!(
            matched.iter().any(|m| m == variant),
            "{variant} not matched; matched: {matched:?}"
        );
    }
    assert!(!matched.iter().any(|m| m.starts_with("doorknob")));
    assert_eq!(methods["chair-20-sd-bar.mp4"], "tmk");
    assert_eq!(methods["chair-22-sd-sepia-bar.mp4"], "frames");
}

/// Banks: a folder and a CSV of known images are imported, and uploads
/// matching them — rotated, too — are flagged with the bank and the source.
#[test]
fn banks_import_and_match() {
    let dir = tempfile::tempdir().unwrap();
    let pdq = data("pdq-tmk-vpdq-threatexchange/pdq/data");
    let stock = dir.path().join("stock");
    std::fs::create_dir(&stock).unwrap();
    std::fs::copy(
        pdq.join("bridge-mods/aaa-orig.jpg"),
        stock.join("bridge.jpg"),
    )
    .unwrap();
    let out = bonafide(dir.path())
        .args([
            "bank",
            "import",
            "stock",
            "--source",
            "https://stock.example/bridge",
            "--licence",
            "rights-managed",
        ])
        .arg(&stock)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&out.stdout)[0]["added"], 1);

    // A CSV of hashes, as a reference-set provider would ship it.
    let web_photo = data("near-duplicates/imagededup-ukbench/base_images/ukbench09060.jpg");
    let out = bonafide(dir.path())
        .args(["hash", "--json"])
        .arg(&web_photo)
        .output()
        .unwrap();
    let hash = json_lines(&out.stdout)[0]["pdq"]
        .as_str()
        .unwrap()
        .to_owned();
    let csv = dir.path().join("web.csv");
    std::fs::write(
        &csv,
        format!("pdq,source,licence\n{hash},https://example.org/p/9060,CC-BY-4.0\n"),
    )
    .unwrap();
    let out = bonafide(dir.path())
        .args(["bank", "import", "web"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(json_lines(&out.stdout)[0]["added"], 1);
    let out = bonafide(dir.path())
        .args(["bank", "import", "web"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(
        json_lines(&out.stdout)[0]["already_present"],
        1,
        "re-importing adds nothing"
    );

    let banks = json_lines(
        &bonafide(dir.path())
            .args(["bank", "list"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(banks.len(), 2);

    let out = bonafide(dir.path())
        .args(["scan", "--json"])
        .arg(pdq.join("reg-test-input/dih/bridge-2-rotate-90.jpg"))
        .arg(&web_photo)
        .arg(data(
            "near-duplicates/imagededup-ukbench/base_images/ukbench09348.jpg",
        ))
        .output()
        .unwrap();
    let lines = json_lines(&out.stdout);
    let bank_hit = |l: &Value| {
        l["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "bank.match")
            .cloned()
    };
    let rotated = bank_hit(&lines[0]).expect("the rotated stock photo matches the stock bank");
    assert_eq!(rotated["evidence"]["bank"], "stock");
    assert_eq!(
        rotated["evidence"]["source"],
        "https://stock.example/bridge"
    );
    assert_eq!(rotated["evidence"]["licence"], "rights-managed");
    assert_ne!(rotated["evidence"]["match"]["orientation"], "original");
    assert_eq!(rotated["evidence"]["match"]["by"], "pdq");
    assert_eq!(lines[0]["verdict"], "reject");
    let web = bank_hit(&lines[1]).expect("the web photo matches the web bank");
    assert_eq!(
        (
            web["evidence"]["bank"].as_str(),
            web["evidence"]["match"]["distance"].as_u64()
        ),
        (Some("web"), Some(0))
    );
    assert!(
        bank_hit(&lines[2]).is_none(),
        "an unrelated photo matches no bank"
    );

    // Both bank rejects were remembered (the default policy's `remember`):
    // the `rejected` bank now holds those uploads, and the next copy of the
    // bridge matches the rotated upload itself.
    let banks = json_lines(
        &bonafide(dir.path())
            .args(["bank", "list"])
            .output()
            .unwrap()
            .stdout,
    );
    let rejected = banks.iter().find(|b| b["bank"] == "rejected").unwrap();
    assert_eq!(rejected["entries"], 2, "{banks:?}");
    let again = &scan(dir.path(), &[&pdq.join("bridge-mods/aaa-orig.jpg")])[0];
    let remembered = again["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "bank.match" && f["evidence"]["bank"] == "rejected")
        .unwrap_or_else(|| panic!("no rejected-bank match: {again}"));
    assert_eq!(
        remembered["evidence"]["source"],
        format!("upload {}", lines[0]["upload_id"].as_str().unwrap())
    );
    assert_eq!(remembered["evidence"]["licence"], "rejected: bank.match");
    assert_eq!(again["verdict"], "reject");

    std::fs::write(&csv, "pdq,source\nnot-a-hash,x\n").unwrap();
    let out = bonafide(dir.path())
        .args(["bank", "import", "web"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a PDQ hash"));
}
