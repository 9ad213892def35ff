//! The multipart upload form (multer framing, part headers, the metadata
//! JSON and its validation), fed in one or several chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte splits the body into chunks, as a network would.
    let Some((&split, body)) = data.split_first() else {
        return;
    };
    let size = usize::from(split).max(1);
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = body
        .chunks(size)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let form = bonafide_ingest::read_form(
        futures_util::stream::iter(chunks),
        "multipart/form-data; boundary=bonafide-fuzz",
        1 << 20,
    );
    let _ = futures_util::FutureExt::now_or_never(form);
});
