//! What the decode and PDF targets share: one runtime and one decoding
//! configuration for the whole run.

use std::sync::OnceLock;

use bonafide_decode::DecodeConfig;

/// Decodes `bytes` as what they sniff as, in this process only
/// ([`DecodeConfig::in_process`]), with a pixel limit that keeps each run
/// fast (still above every seed's size).
pub fn decode(bytes: Vec<u8>) {
    static CONFIG: OnceLock<DecodeConfig> = OnceLock::new();
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let cfg = CONFIG.get_or_init(|| {
        let mut cfg = DecodeConfig::in_process();
        cfg.limits.max_pixels = 16_000_000;
        cfg
    });
    // Timers (the tools' timeout) and process I/O, as in the service.
    let rt = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    });
    let bytes = bytes::Bytes::from(bytes);
    let media_type = bonafide_ingest::sniff(&bytes);
    let _ = rt.block_on(bonafide_decode::decode(bytes, media_type, cfg));
}
