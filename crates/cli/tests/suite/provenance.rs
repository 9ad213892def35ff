//! C2PA content credentials through `bonafide inspect` and `scan`: c2pa-rs's
//! own tampered fixtures, and credentials we sign ourselves (c2pa-rs's
//! builder with a throwaway CA) on a real camera photo — untrusted until the
//! CA is on the trust list, trusted after, tampered once a byte of the
//! picture changes, rejected when they declare the photo AI-generated.

use std::io::Cursor;

use base64::Engine as _;
use c2pa::{Builder, Context, EphemeralSigner, Signer};
use serde_json::Value;

use super::cli::{bonafide, finding, inspect, scan};
use crate::common::*;

const AI: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
const CAMERA: &str = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture";

/// A camera original signed as created with `source_type`, and the signing
/// CA as PEM.
fn signed_photo(source_type: &str) -> (Vec<u8>, String) {
    signed_photo_with(serde_json::json!([
        {"action": "c2pa.created", "digitalSourceType": source_type}
    ]))
}

/// A camera original signed with the given C2PA `actions`, and the CA.
fn signed_photo_with(actions: Value) -> (Vec<u8>, String) {
    signed_photo_with_assertions(serde_json::json!([
        {"label": "c2pa.actions", "data": {"actions": actions}}
    ]))
}

/// A camera original signed with the given C2PA assertions, and the CA.
fn signed_photo_with_assertions(assertions: Value) -> (Vec<u8>, String) {
    let photo = std::fs::read(data("exif-samples-ianare/jpg/Canon_PowerShot_S40.jpg")).unwrap();
    let signer = EphemeralSigner::new("bonafide-test.local").unwrap();
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "bonafide-test", "version": "1"}],
        "title": "photo.jpg",
        "assertions": assertions
    });
    let mut out = Cursor::new(Vec::new());
    Builder::from_context(Context::new())
        .with_definition(definition.to_string())
        .unwrap()
        .sign(&signer, "image/jpeg", &mut Cursor::new(photo), &mut out)
        .unwrap();
    let ca = signer.certs().unwrap().pop().unwrap();
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64::engine::general_purpose::STANDARD.encode(ca)
    );
    (out.into_inner(), pem)
}

#[test]
fn inspect_reports_c2pa_in_c2pa_rs_names() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = data("c2pa-rs-fixtures/fixtures");
    let xca = inspect(dir.path(), &fixtures.join("XCA.jpg"), None);
    assert_eq!(xca["c2pa"]["present"], true);
    assert_eq!(xca["c2pa"]["validation_state"], "Invalid");
    let codes = xca["c2pa"]["status_codes"].as_array().unwrap();
    assert!(
        codes.iter().any(|c| c == "assertion.dataHash.mismatch"),
        "{xca}"
    );

    let plain = inspect(dir.path(), &fixtures.join("no_manifest.jpg"), None);
    assert_eq!(plain["c2pa"]["present"], false);
    assert_eq!(plain["c2pa"]["validation_state"], Value::Null);
    assert_eq!(plain["c2pa"]["status_codes"], serde_json::json!([]));

    let video = inspect(dir.path(), &fixtures.join("video1.mp4"), None);
    assert_eq!(video["c2pa"]["validation_state"], "Valid", "{video}");
    assert!(
        video["c2pa"]["manifest"]["claim_generator"].is_string(),
        "{video}"
    );

    let remote = inspect(dir.path(), &fixtures.join("cloud.jpg"), None);
    assert_eq!(remote["c2pa"]["present"], true);
    assert_eq!(remote["c2pa"]["validation_state"], Value::Null);
    assert!(remote["c2pa"]["remote_url"].is_string(), "{remote}");
}

#[test]
fn signed_photos_are_untrusted_then_trusted_then_tampered() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, ca) = signed_photo(CAMERA);
    let photo = dir.path().join("signed.jpg");
    std::fs::write(&photo, &signed).unwrap();
    let anchors = dir.path().join("anchors.pem");
    std::fs::write(&anchors, ca).unwrap();

    let untrusted = inspect(dir.path(), &photo, None);
    assert_eq!(
        untrusted["c2pa"]["validation_state"], "Valid",
        "{untrusted}"
    );
    let manifest = &untrusted["c2pa"]["manifest"];
    assert_eq!(manifest["digital_source_type"], CAMERA);
    assert_eq!(manifest["ai_generated"], false);
    assert_eq!(manifest["signer"]["common_name"], "bonafide-test.local");
    assert_eq!(manifest["actions"][0]["action"], "c2pa.created");
    let trusted = inspect(dir.path(), &photo, Some(&anchors));
    assert_eq!(trusted["c2pa"]["validation_state"], "Trusted", "{trusted}");

    // One byte of the entropy-coded picture changed after signing.
    let mut edited = signed.clone();
    let at = edited.len() - 100;
    edited[at] ^= 0x55;
    let tampered = dir.path().join("tampered.jpg");
    std::fs::write(&tampered, edited).unwrap();

    // Screened with the CA trusted: the intact photo is accepted with a
    // note, the edited one rejected with the reason.
    let out = bonafide(&dir.path().join("store"))
        .env("BONAFIDE_C2PA_TRUST_ANCHORS", &anchors)
        .args(["scan", "--json"])
        .args([&photo, &tampered])
        .output()
        .unwrap();
    let lines = super::cli::json_lines(&out.stdout);
    assert_eq!(lines.len(), 2, "{}", String::from_utf8_lossy(&out.stderr));
    let note = finding(&lines[0], "c2pa.trusted").unwrap_or_else(|| panic!("{}", lines[0]));
    assert_eq!(
        note["evidence"]["signer"]["common_name"],
        "bonafide-test.local"
    );
    assert_eq!(lines[0]["verdict"], "accept", "{}", lines[0]);
    assert_eq!(lines[1]["verdict"], "reject", "{}", lines[1]);
    let reason = finding(&lines[1], "c2pa.tampered").unwrap_or_else(|| panic!("{}", lines[1]));
    let codes = reason["evidence"]["status_codes"].as_array().unwrap();
    assert!(
        codes.iter().any(|c| c == "assertion.dataHash.mismatch"),
        "{reason}"
    );
}

/// Credentials that say an editor acted on the photo name it as editing
/// software: signed evidence, still a person's call.
#[test]
fn an_editor_in_the_c2pa_actions_is_editing_software() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_photo_with(serde_json::json!([
        {"action": "c2pa.created", "digitalSourceType": CAMERA},
        {"action": "c2pa.edited", "softwareAgent": "Adobe Photoshop 25.0"}
    ]));
    let photo = dir.path().join("edited.jpg");
    std::fs::write(&photo, signed).unwrap();
    let line = &scan(&dir.path().join("store"), &[&photo])[0];
    let editor = finding(line, "metadata.editing_software").unwrap_or_else(|| panic!("{line}"));
    assert_eq!(
        editor["evidence"]["editors"][0]["field"],
        "C2PA action softwareAgent"
    );
    assert_eq!(
        editor["evidence"]["editors"][0]["value"],
        "Adobe Photoshop 25.0"
    );
    assert_eq!(line["verdict"], "review", "{line}");
}

#[test]
fn credentials_declaring_ai_reject_and_c2pa_rs_tampered_fixtures_reject() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_photo(AI);
    let ai = dir.path().join("generated.jpg");
    std::fs::write(&ai, signed).unwrap();
    let fixtures = data("c2pa-rs-fixtures/fixtures");
    let (xca, esig, cloud) = (
        fixtures.join("XCA.jpg"),
        fixtures.join("E-sig-CA.jpg"),
        fixtures.join("cloud.jpg"),
    );
    let lines = scan(&dir.path().join("store"), &[&ai, &xca, &esig, &cloud]);
    assert_eq!(lines.len(), 4);
    let by = |name: &str| {
        lines
            .iter()
            .find(|l| l["file"].as_str().unwrap().ends_with(name))
            .unwrap()
    };
    let generated = by("generated.jpg");
    assert_eq!(generated["verdict"], "reject", "{generated}");
    assert_eq!(
        finding(generated, "c2pa.ai_generated").unwrap()["evidence"]["digital_source_type"],
        AI
    );
    for name in ["XCA.jpg", "E-sig-CA.jpg"] {
        assert_eq!(by(name)["verdict"], "reject", "{}", by(name));
        assert!(finding(by(name), "c2pa.tampered").is_some(), "{}", by(name));
    }
    // A remote manifest cannot be checked offline: a person looks.
    assert_eq!(by("cloud.jpg")["verdict"], "review", "{}", by("cloud.jpg"));
    assert!(finding(by("cloud.jpg"), "c2pa.unreadable").is_some());
}

#[test]
fn credentials_forbidding_ai_training_reject() {
    let (photo, _) = signed_photo_with_assertions(serde_json::json!([
        {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": CAMERA}]}},
        {"label": "cawg.training-mining", "data": {"entries": {
            "cawg.ai_generative_training": {"use": "notAllowed"},
            "cawg.ai_training": {"use": "notAllowed"},
            "cawg.data_mining": {"use": "allowed"}
        }}}
    ]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("signed.jpg");
    std::fs::write(&file, photo).unwrap();
    let lines = scan(dir.path(), &[file.as_path()]);
    let found = finding(&lines[0], "copyright.training_not_allowed")
        .unwrap_or_else(|| panic!("{}", lines[0]));
    assert_eq!(
        found["evidence"]["not_allowed"],
        serde_json::json!(["cawg.ai_generative_training", "cawg.ai_training"])
    );
    assert_eq!(lines[0]["verdict"], "reject", "{}", lines[0]);
}
