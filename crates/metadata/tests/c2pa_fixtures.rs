//! C2PA against c2pa-python's reading of c2pa-rs's own test fixtures
//! (`c2pa-rs-fixtures/c2pa-python-0.38.1-validation.csv`): for every file
//! of the folder (each has a CSV row, but for a sidecar manifest), whether
//! a manifest is present, the validation state and the failure codes
//! agree. `signingCredential.untrusted` is ignored, as that README
//! explains (neither side configured a trust list).

use std::path::{Path, PathBuf};

use bonafide_metadata::{C2paReader, State};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/c2pa-rs-fixtures")
}

/// The MIME type an upload of this file would be sniffed as.
fn mime(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "heif" => "image/heif",
        "jxl" => "image/jxl",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "tif" | "tiff" | "TIF" => "image/tiff",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Codes that depend on the trust configuration, not on the file.
fn untrusted(code: &str) -> bool {
    code == "signingCredential.untrusted" || code == "cawg.x509.credential.untrusted"
}

#[test]
fn manifests_and_validation_states_agree_with_c2pa_python() {
    let reader = C2paReader::from_pem(None, None).unwrap();
    let mut rows =
        csv::Reader::from_path(corpus().join("c2pa-python-0.38.1-validation.csv")).unwrap();
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for row in rows.records() {
        let row = row.unwrap();
        let (file, has_manifest, state, errors) = (&row[0], &row[1], &row[2], &row[3]);
        let path = corpus().join(file);
        if !path.exists() {
            // The CAWG identity fixtures are not in the snapshot (README).
            assert!(file.starts_with("identity-fixtures/"), "{file} missing");
            continue;
        }
        let report = reader.read(&std::fs::read(&path).unwrap(), mime(&path));
        let ours_state = report
            .validation_state
            .map(|s| format!("{s:?}"))
            .unwrap_or_default();
        let (want_present, want_error) = match has_manifest {
            "yes" => (true, false),
            "no" => (false, false),
            // Remote manifests and the two deliberately unreadable ones.
            "error" => (true, true),
            other => panic!("{file}: has_manifest {other}"),
        };
        let want_codes: Vec<&str> = errors
            .split(';')
            .filter(|c| !c.is_empty() && !untrusted(c))
            .collect();
        let ours_codes: Vec<&str> = report
            .status_codes
            .iter()
            .map(String::as_str)
            .filter(|c| !untrusted(c))
            .collect();
        let agrees = report.present == want_present
            && report.error.is_some() == want_error
            && ours_state == state
            && want_codes.iter().all(|c| ours_codes.contains(c));
        if !agrees {
            disagreements.push(format!(
                "{file}: want present={want_present} error={want_error} state={state:?} codes={want_codes:?}; \
                 got present={} error={:?} state={ours_state:?} codes={ours_codes:?}",
                report.present, report.error
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 51);
    // Every file of the folder was among them, but the sidecar manifest
    // `cloud_manifest.c2pa` (a manifest store, not an asset; no CSV row).
    let listed =
        std::fs::read_to_string(corpus().join("c2pa-python-0.38.1-validation.csv")).unwrap();
    for entry in std::fs::read_dir(corpus().join("fixtures")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "cloud_manifest.c2pa" || listed.contains(&format!("fixtures/{name},")),
            "{name} has no CSV row"
        );
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn the_tampered_fixtures_say_why() {
    let reader = C2paReader::from_pem(None, None).unwrap();
    let read = |name: &str| {
        let path = corpus().join("fixtures").join(name);
        reader.read(&std::fs::read(&path).unwrap(), mime(&path))
    };
    let xca = read("XCA.jpg");
    assert_eq!(xca.validation_state, Some(State::Invalid));
    assert!(
        xca.status_codes
            .iter()
            .any(|c| c == "assertion.dataHash.mismatch"),
        "{xca:?}"
    );
    let esig = read("E-sig-CA.jpg");
    assert_eq!(esig.validation_state, Some(State::Invalid));
    assert!(
        esig.status_codes
            .iter()
            .any(|c| c == "claimSignature.mismatch"),
        "{esig:?}"
    );
    // A valid one, summarised for a reviewer.
    let ca = read("CA.jpg");
    let manifest = ca.manifest.expect("CA.jpg has an active manifest");
    assert!(manifest.claim_generator.is_some(), "{manifest:?}");
    assert!(
        manifest
            .signer
            .as_ref()
            .and_then(|s| s.issuer.as_ref())
            .is_some(),
        "{manifest:?}"
    );
    assert!(
        !manifest.ingredients.is_empty(),
        "CA has an ingredient (A): {manifest:?}"
    );
    assert!(!manifest.actions.is_empty(), "{manifest:?}");
}
