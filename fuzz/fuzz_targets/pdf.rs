//! The PDF path: the bytes behind a `%PDF-` header, so every input reaches
//! lopdf's parser and our page, text and /Info reading (Poppler, the
//! fallback for damaged files, is a separate process and pointed nowhere).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-".to_vec();
    pdf.extend_from_slice(data.strip_prefix(b"%PDF-").unwrap_or(data));
    bonafide_fuzz::decode(pdf);
});
