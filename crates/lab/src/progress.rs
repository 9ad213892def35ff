//! The progress bar long commands draw on stderr.

use std::sync::OnceLock;

use bonafide_engine::{ImportProgress, ProgressUnit};
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

/// A bank import's progress as a bar: bytes of precomputed input, or media
/// files hashed.
#[derive(Debug, Default)]
pub struct ImportBar(OnceLock<ProgressBar>);

impl ImportProgress for ImportBar {
    fn start(&self, unit: ProgressUnit, total: u64, done: u64) {
        let bar = match unit {
            ProgressUnit::Bytes => bytes(total),
            ProgressUnit::Files => bar(total),
        };
        bar.set_message(match unit {
            ProgressUnit::Bytes => "importing",
            ProgressUnit::Files => "hashing",
        });
        bar.set_position(done);
        // An import starts once; a second start keeps the first bar.
        let _ = self.0.set(bar);
    }

    fn advance(&self, done: u64) {
        if let Some(bar) = self.0.get() {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}
