//! The progress bar long commands draw on stderr.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting to `len` items. indicatif draws only when stderr is a
/// terminal, so pipes and CI stay clean.
pub fn bar(len: u64) -> ProgressBar {
    styled(
        len,
        "{spinner} {msg:10} [{bar:30}] {pos}/{len} {elapsed} (eta {eta})",
    )
}

/// A bar counting bytes of an input file read.
pub fn bytes(len: u64) -> ProgressBar {
    styled(
        len,
        "{spinner} {msg:10} [{bar:30}] {bytes}/{total_bytes} {elapsed} (eta {eta})",
    )
}

fn styled(len: u64, template: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(template)
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}
