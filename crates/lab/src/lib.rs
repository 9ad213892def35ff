//! Measuring and fitting Bonafide: accuracy on labelled sets
//! ([`eval`]), fitting the learned parts that ship ([`train`]), and
//! benchmarks with a peer measured in the same run ([`bench`]), with what
//! they share: the edits copiers make to pictures ([`transforms`]), a
//! synthetic population with planted fraud rings ([`simulate`]), labelled
//! AI/real picture sets ([`ai_set`]), pan/zoom clips made from photos
//! ([`pan_clip`]) and terminal progress bars ([`progress`]).
//!
//! Two binaries use it: `bonafide` for the operator's `eval` and `train`
//! (run in an installation's directory, on its [`bonafide_server::Config`]),
//! and `bonafide-lab` for `bench`. Everything here is a command reporting
//! to a person, so errors are `anyhow` (the binaries' edge), not typed.
//! Benchmarks read and write the store through its public API (or
//! schemas of their own, dropped afterwards), never its tables.
#![deny(missing_docs)]

pub mod ai;
pub mod ai_set;
pub mod bench;
pub mod copy_background;
pub mod eval;
pub mod pan_clip;
pub mod progress;
pub mod simulate;
pub mod train;
pub mod transforms;
