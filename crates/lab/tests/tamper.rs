//! `bonafide-lab bench tamper` end to end: the forgeries it makes of real
//! camera originals are caught at the rates docs/BENCHMARKS.md records.

use std::{path::PathBuf, process::Command};

use serde_json::Value;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

/// The models `scripts/models` installed (the test command runs it).
fn models_dir() -> PathBuf {
    std::env::var_os("BONAFIDE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

/// The tampered set: every camera original of exif-samples forged each
/// way `bench tamper` knows; each tamper kind is caught at the rate
/// docs/BENCHMARKS.md records, and the checks that only forgeries should
/// trip stay silent on the originals.
#[test]
fn tampered_camera_originals_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bonafide-lab"))
        .env("BONAFIDE_DATA_DIR", dir.path())
        .env("BONAFIDE_MODELS", models_dir())
        .env_remove("BONAFIDE_DATABASE_URL")
        .env_remove("BONAFIDE_BLOB_URL")
        .args(["bench", "tamper", "--json"])
        .arg(data("exif-samples-ianare/jpg"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["originals"].as_u64().unwrap() >= 30, "{report}");
    let rows = report["kinds"].as_array().unwrap();
    let row = |finding: &str, tamper: &str| {
        rows.iter()
            .find(|r| {
                r["finding"].as_str().unwrap().starts_with(finding)
                    && r["tamper"].as_str().unwrap().starts_with(tamper)
            })
            .unwrap_or_else(|| panic!("{tamper}: {report}"))
    };
    for (finding, tamper, min_rate) in [
        ("metadata.date_in_future", "dates shifted", 0.95),
        ("metadata.dates_disagree", "DateTimeOriginal shifted", 0.85),
        ("metadata.quantization_mismatch", "make and model", 0.95),
        ("metadata.camera_stripped", "EXIF stripped", 1.0),
        ("metadata.thumbnail_mismatch", "thumbnail replaced", 0.9),
        // Tables or double compression; neither sees a re-save of a
        // quality-100 original by an adaptive-table camera.
        ("metadata.quantization_mismatch", "re-encoded", 0.7),
    ] {
        let r = row(finding, tamper);
        assert!(r["forged"].as_u64().unwrap() >= 25, "{r}");
        assert!(r["rate"].as_f64().unwrap() >= min_rate, "{r}");
    }
    for (finding, tamper) in [
        ("metadata.quantization_mismatch", "make and model"),
        ("metadata.camera_stripped", "EXIF stripped"),
        ("metadata.date_in_future", "dates shifted"),
    ] {
        assert_eq!(row(finding, tamper)["originals_flagged"], 0, "{report}");
    }
    // One "original" is a Gran Turismo 5 render sent through Sony's
    // uploader (exif-samples' README): compressed twice, rightly flagged.
    let reencoded = row("metadata.quantization_mismatch", "re-encoded");
    assert!(
        reencoded["originals_flagged"].as_u64().unwrap() <= 1,
        "{report}"
    );
}
