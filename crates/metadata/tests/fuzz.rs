//! Hostile input: real camera files with bytes flipped, spliced and cut
//! short, and pure noise behind image magic bytes. The metadata readers
//! must return a value or an error for every one, never panic or hang.
//! The C2PA reader (c2pa-rs behind our catch-all) gets mutated signed
//! files too. (A bounded run: proptest's default 256 cases per property,
//! 64 for C2PA, whose validation hashes the file.)

use std::path::PathBuf;

use proptest::prelude::*;

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    std::fs::read(path).unwrap()
}

/// Only the start matters: EXIF lives in the first segments.
fn head(name: &str) -> Vec<u8> {
    let mut bytes = sample(name);
    bytes.truncate(64 * 1024);
    bytes
}

proptest! {
    #[test]
    fn mutated_camera_files(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..64),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = [
            "exif-samples-ianare/jpg/gps/DSCN0010.jpg",
            "exif-samples-ianare/jpg/Canon_40D.jpg",
            "exif-samples-ianare/jpg/Nikon_D70.jpg",
            // IPTC (APP13) and an ICC profile (APP2).
            "pdq-tmk-vpdq-threatexchange/pdq/data/reg-test-input/dih/bridge-2-rotate-90.jpg",
        ][which];
        let mut bytes = head(name);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len()) + 1);
        let _ = bonafide_metadata::read(&bytes);
    }

    #[test]
    fn noise_behind_magic_bytes(
        magic in prop::sample::select(vec![
            &b"\xFF\xD8\xFF\xE1"[..],
            &b"\xFF\xD8\xFF\xED\x10\x00Photoshop 3.0\x008BIM\x04\x04"[..],
            &b"\xFF\xD8\xFF\xE2\x10\x00ICC_PROFILE\x00\x01\x01"[..],
            &b"II*\x00"[..],
            &b"MM\x00*"[..],
            &b"\x89PNG\r\n\x1a\n"[..],
            &b"RIFF\x00\x00\x00\x00WEBP"[..],
        ]),
        noise in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(noise);
        let _ = bonafide_metadata::read(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mutated_c2pa_files(
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..32),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = ["CA.jpg", "video1.mp4", "boxhash.jpg"][which];
        let mut bytes = sample(&format!("c2pa-rs-fixtures/fixtures/{name}"));
        // Most of a manifest sits in the first 64 KiB; flip there.
        let span = bytes.len().min(64 * 1024);
        for (at, value) in flips {
            let i = at.index(span);
            bytes[i] = value;
        }
        bytes.truncate(cut.index(bytes.len()) + 1);
        let mime = if name.ends_with(".mp4") { "video/mp4" } else { "image/jpeg" };
        let _ = reader().read(&bytes, mime);
    }
}

fn reader() -> &'static bonafide_metadata::C2paReader {
    static READER: std::sync::OnceLock<bonafide_metadata::C2paReader> = std::sync::OnceLock::new();
    READER.get_or_init(|| bonafide_metadata::C2paReader::from_pem(None, None).unwrap())
}
