//! Metadata reading: container walking (JPEG segments, PNG chunks, ISO-BMFF
//! boxes), EXIF, XMP, IPTC, ICC and PNG text — all on the uploader's bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = bonafide_metadata::read(data);
});
