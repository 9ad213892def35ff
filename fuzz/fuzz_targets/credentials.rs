//! C2PA content credentials: the manifest store (JUMBF, CBOR, COSE
//! signatures) read and validated from the uploader's bytes, for each
//! container type that can carry one.
#![no_main]

use std::sync::OnceLock;

use bonafide_metadata::{C2paConfig, C2paReader};
use libfuzzer_sys::fuzz_target;

fn reader() -> &'static C2paReader {
    static READER: OnceLock<C2paReader> = OnceLock::new();
    READER.get_or_init(|| C2paReader::new(&C2paConfig::default()).expect("the default trust list"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the container, as the sniffed type would.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let mime = [
        "image/jpeg",
        "image/png",
        "video/mp4",
        "image/heic",
        "application/pdf",
    ][usize::from(pick) % 5];
    let _ = reader().read(bytes, mime);
});
