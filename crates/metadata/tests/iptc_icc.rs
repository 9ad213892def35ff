//! IPTC and ICC against exiftool (the reference; `scripts/setup --test`
//! installs it): for every JPEG under `../shared/data`, the by-line,
//! credit, copyright notice, source, object name, keywords and ICC profile
//! description agree.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn jpegs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            jpegs(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
        {
            out.push(path);
        }
    }
}

/// exiftool's value as a list of strings (it gives one value bare).
fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Null => vec![],
        Value::Array(items) => items.iter().flat_map(list).collect(),
        Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    }
}

#[test]
fn iptc_and_icc_agree_with_exiftool() {
    let mut files = Vec::new();
    jpegs(&data(), &mut files);
    files.sort();
    let out = Command::new("exiftool")
        .args(["-j", "-charset", "iptc=utf8"])
        .args([
            "-IPTC:By-line",
            "-IPTC:Credit",
            "-IPTC:CopyrightNotice",
            "-IPTC:Source",
        ])
        .args([
            "-IPTC:ObjectName",
            "-IPTC:Keywords",
            "-ICC_Profile:ProfileDescription",
        ])
        .args(&files)
        .output()
        .expect("exiftool (scripts/setup --test installs it)");
    let reference: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reference.len(), files.len());
    let (mut with_iptc, mut with_icc) = (0, 0);
    let mut disagreements = Vec::new();
    for (path, want) in files.iter().zip(&reference) {
        let bytes = std::fs::read(path).unwrap();
        let iptc = bonafide_metadata::read_iptc(&bytes).unwrap_or_default();
        let icc = bonafide_metadata::read_icc_description(&bytes);
        let one = |o: &Option<String>| o.iter().cloned().collect::<Vec<_>>();
        let pairs = [
            ("By-line", iptc.by_line.clone()),
            ("Credit", one(&iptc.credit)),
            ("CopyrightNotice", one(&iptc.copyright)),
            ("Source", one(&iptc.source)),
            ("ObjectName", one(&iptc.object_name)),
            ("Keywords", iptc.keywords.clone()),
            ("ProfileDescription", one(&icc)),
        ];
        for (key, ours) in pairs {
            let theirs = list(&want[key]);
            if ours != theirs {
                disagreements.push(format!(
                    "{}: {key}: ours {ours:?}, exiftool {theirs:?}",
                    path.display()
                ));
            }
        }
        with_iptc += usize::from(iptc != Default::default());
        with_icc += usize::from(icc.is_some());
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        with_iptc >= 10 && with_icc >= 20,
        "{with_iptc} with IPTC, {with_icc} with ICC"
    );
}
