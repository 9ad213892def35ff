//! Hostile input: real camera files with bytes flipped, spliced and cut
//! short, and pure noise behind image magic bytes. The metadata readers
//! must return a value or an error for every one, never panic or hang.
//! (A bounded run: proptest's default 256 cases per property.)

use std::path::PathBuf;

use proptest::prelude::*;

fn sample(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/exif-samples-ianare/jpg")
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
        which in 0usize..3,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..64),
        cut in any::<prop::sample::Index>(),
    ) {
        let name = ["gps/DSCN0010.jpg", "Canon_40D.jpg", "Nikon_D70.jpg"][which];
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
