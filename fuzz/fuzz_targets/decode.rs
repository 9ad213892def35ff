//! The whole decode path for whatever the bytes sniff as: metadata first,
//! then the image decoders (JPEG, PNG, WebP, GIF, TIFF…) or the PDF parser.
//! External tools (ffmpeg, heif-convert, Poppler) are pointed nowhere: they
//! are separate processes, and a crash there is not ours to find here.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| bonafide_fuzz::decode(data.to_vec()));
