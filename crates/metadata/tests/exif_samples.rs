//! EXIF against the upstream `dump` (exif-py's reading) of
//! `exif-samples-ianare`: make, model, DateTimeOriginal, GPS and
//! orientation agree for every file it read; broken files give an error or
//! nothing, never a panic.

use std::{collections::HashMap, path::PathBuf};

use bonafide_metadata::read_exif;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/exif-samples-ianare")
}

/// `path → (tag → value)` from the dump.
fn dump() -> HashMap<String, HashMap<String, String>> {
    let text = std::fs::read_to_string(corpus().join("dump")).unwrap();
    let mut files = HashMap::new();
    let mut current: Option<(String, HashMap<String, String>)> = None;
    for line in text.lines() {
        if let Some(path) = line.strip_prefix("Opening: exif-samples-master/") {
            files.extend(current.take());
            current = Some((path.trim().to_owned(), HashMap::new()));
        } else if let (Some((_, tags)), Some((key, value))) = (&mut current, line.split_once("): "))
        {
            // "IFD Tag (Type): value" → "IFD Tag".
            if let Some((tag, _)) = key.rsplit_once(" (") {
                tags.insert(tag.to_owned(), value.trim().to_owned());
            }
        }
    }
    files.extend(current);
    files
}

/// exif-py's orientation names, in EXIF order 1–8.
const ORIENTATIONS: [&str; 8] = [
    "Horizontal (normal)",
    "Mirrored horizontal",
    "Rotated 180",
    "Mirrored vertical",
    "Mirrored horizontal then rotated 90 CCW",
    "Rotated 90 CW",
    "Mirrored horizontal then rotated 90 CW",
    "Rotated 90 CCW",
];

/// `[40, 39, 233883/5000]` with reference `S`/`W` → signed degrees.
fn degrees(dms: &str, reference: Option<&String>) -> f64 {
    let parts: Vec<f64> = dms
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|p| match p.trim().split_once('/') {
            Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
            None => p.trim().parse().unwrap(),
        })
        .collect();
    let value = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
    match reference.map(String::as_str) {
        Some("S" | "W") => -value,
        _ => value,
    }
}

#[test]
fn agrees_with_the_upstream_dump() {
    let dump = dump();
    let mut compared = 0;
    let mut failures = Vec::new();
    for (path, tags) in &dump {
        let file = corpus().join(path);
        if !file.exists() || !tags.contains_key("Image Make") {
            continue;
        }
        let bytes = std::fs::read(&file).unwrap();
        let exif = match read_exif(&bytes) {
            Ok(Some(exif)) => exif,
            other => {
                failures.push(format!("{path}: {other:?}"));
                continue;
            }
        };
        compared += 1;
        let mut check = |what: &str, ours: Option<String>, theirs: Option<&String>| {
            if ours.as_ref() != theirs {
                failures.push(format!("{path}: {what} {ours:?} vs {theirs:?}"));
            }
        };
        check("make", exif.make.clone(), tags.get("Image Make"));
        check("model", exif.model.clone(), tags.get("Image Model"));
        check(
            "DateTimeOriginal",
            exif.date_time_original.clone(),
            tags.get("EXIF DateTimeOriginal"),
        );
        let orientation = exif
            .orientation
            .and_then(|o| ORIENTATIONS.get(usize::from(o).checked_sub(1)?))
            .map(|s| s.to_string());
        check("orientation", orientation, tags.get("Image Orientation"));
        if let (Some(lat), Some(lon)) = (tags.get("GPS GPSLatitude"), tags.get("GPS GPSLongitude"))
        {
            let want = (
                degrees(lat, tags.get("GPS GPSLatitudeRef")),
                degrees(lon, tags.get("GPS GPSLongitudeRef")),
            );
            match exif.gps {
                Some(g)
                    if (g.latitude - want.0).abs() < 1e-6
                        && (g.longitude - want.1).abs() < 1e-6 => {}
                other => failures.push(format!("{path}: GPS {other:?} vs {want:?}")),
            }
        }
    }
    assert!(compared >= 40, "only {compared} files compared");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every file in the corpus, broken ones included, reads to a value or a
/// clean error.
#[test]
fn every_file_reads_or_errors_cleanly() {
    let mut stack = vec![corpus()];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let _ = read_exif(&bytes);
                files += 1;
            }
        }
    }
    assert!(files > 90);
}
