//! The whole decode path for whatever the bytes sniff as: metadata first,
//! then the image decoders (JPEG, PNG, WebP, GIF, TIFF…) or the PDF parser.
//! External tools (ffmpeg, heif-convert, Poppler) are pointed nowhere: they
//! are separate processes, and a crash there is not ours to find here.
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
    let bytes = bytes::Bytes::copy_from_slice(data);
    let media_type = bonafide_ingest::sniff(&bytes);
    let _ = runtime().block_on(decode(bytes, media_type, config()));
});
