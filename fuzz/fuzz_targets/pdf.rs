//! The PDF path: the bytes behind a `%PDF-` header, so every input reaches
//! lopdf's parser and our page, text and /Info reading (Poppler, the
//! fallback for damaged files, is a separate process and pointed nowhere).
#![no_main]

use std::sync::OnceLock;

use bonafide_decode::{DecodeConfig, decode};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static DecodeConfig {
    static CONFIG: OnceLock<DecodeConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut cfg = DecodeConfig::default();
        for tool in [
            &mut cfg.ffmpeg,
            &mut cfg.ffprobe,
            &mut cfg.heif_convert,
            &mut cfg.pdfinfo,
            &mut cfg.pdftotext,
        ] {
            *tool = "/nonexistent/fuzzing".into();
        }
        // Big enough for every seed, small enough to keep each run fast.
        cfg.limits.max_pixels = 16_000_000;
        cfg
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        // Timers (the tools' timeout) and process I/O, as in the service.
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-".to_vec();
    pdf.extend_from_slice(data.strip_prefix(b"%PDF-").unwrap_or(data));
    let bytes = bytes::Bytes::from(pdf);
    let media_type = bonafide_ingest::sniff(&bytes);
    let _ = runtime().block_on(decode(bytes, media_type, config()));
});
