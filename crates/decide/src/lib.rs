//! Decide: the versioned policy that turns findings into a [`Verdict`].
//!
//! A policy is a TOML file (the default ships in `default_policy.toml`):
//! rules map finding codes and scores to accept / review / reject, and the
//! most severe action wins. The verdict keeps the deciding findings' plain
//! words, so every reject or review says why.
#![deny(missing_docs)]

pub use crate::policy::{Policy, PolicyError, Rule};

mod policy;
