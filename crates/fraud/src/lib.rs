//! Fraud networks: who shares what with whom.
//!
//! An [`IdentityGraph`] links contributors through what they share — a
//! device, a payout account, an IP block they use at the same times, copies
//! of the same content — and keeps deterministic clusters over those links
//! (union-find whose representative is the earliest-seen member, so a
//! cluster's id is the same in every process and after every restart that
//! replays the same events). [`risk`] turns a cluster's shape into a score
//! with the factors that drive it, and [`findings`] into `fraud.*` findings.
//! (The synthetic population with planted rings that measures it is
//! `bonafide_lab::simulate`.)
#![deny(missing_docs)]

pub use crate::{
    event::{ContentLink, GraphEvent, UploadEvent, ip_block, payout_hash},
    graph::{ClusterView, GraphConfig, IdentityGraph, LinkKind, MemberView},
    risk::{Factor, Risk},
};

mod event;
pub mod findings;
mod graph;
pub mod risk;
