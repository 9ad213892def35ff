//! Camera quantisation tables: the shipped file is what `bonafide cameras
//! learn` gives on exif-samples' camera originals, every original (no
//! editor named) fits its
//! camera, and the same pictures re-encoded by a standard encoder do not.

use std::path::PathBuf;

use bonafide_metadata::{CameraTables, Metadata, TableFit};

fn originals() -> Vec<(PathBuf, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/exif-samples-ianare/jpg");
    let mut files: Vec<PathBuf> = walk(&root);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn shipped_tables_are_learned_from_exif_samples() {
    let metas: Vec<Metadata> = originals()
        .iter()
        .map(|(_, b)| bonafide_metadata::read(b))
        .collect();
    let learned = CameraTables::learn("", &metas);
    let shipped = CameraTables::shipped();
    assert_eq!(learned.cameras, shipped.cameras);
    assert!(shipped.cameras.len() >= 20, "{}", shipped.cameras.len());
}

#[test]
fn originals_fit_and_reencoded_copies_do_not() {
    let tables = CameraTables::shipped();
    let (mut fits, mut caught, mut same) = (0, 0, 0);
    for (path, bytes) in originals() {
        let m = bonafide_metadata::read(&bytes);
        if bonafide_metadata::names_an_editor(&m) {
            // Not an original: its tables are the editor's.
            continue;
        }
        let fit = tables.fit(&m);
        assert!(
            !matches!(fit, TableFit::Mismatch { .. }),
            "{}: {fit:?}",
            path.display()
        );
        if fit != TableFit::Fits {
            continue;
        }
        fits += 1;
        // The same picture through a standard encoder, EXIF kept.
        let Ok(img) = image::load_from_memory(&bytes) else {
            continue;
        };
        let mut reencoded = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut reencoded, 90)
            .encode_image(&img)
            .unwrap();
        let mut again = m.clone();
        again.jpeg = bonafide_metadata::read_jpeg_tables(&reencoded);
        if again.jpeg == m.jpeg {
            // This camera writes libjpeg's own quality-90 tables: a
            // re-encode at 90 leaves no trace in them.
            same += 1;
        } else if matches!(tables.fit(&again), TableFit::Mismatch { .. }) {
            caught += 1;
        }
    }
    assert!(fits >= 20, "{fits}");
    assert!(same <= 3, "{same}");
    assert_eq!(
        caught + same,
        fits,
        "every re-encoded copy with new tables is caught"
    );
}
