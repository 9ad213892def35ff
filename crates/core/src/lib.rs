//! The domain of Bonafide, free of I/O: what an upload is, what a detector
//! sees ([`Artefacts`]) and says ([`Finding`]), and what the policy decides
//! ([`Verdict`]).
//!
//! Every other crate depends on this one; this one depends on nothing of ours.
//! The pipeline is ingest → decode → signals → match → decide → act, and the
//! types here are the hand-offs between those stages.
#![deny(missing_docs)]

pub use crate::{
    artefacts::{
        Artefacts, BodyParts, COLOUR_MAX_PIXELS, DocumentArtefact, Frame, LumaImage, StillImage,
        VideoArtefact, WORKING_SIDE,
    },
    detector::{Context, Detector, DetectorError},
    embedding::Embedding,
    finding::{Finding, codes},
    indexes::{
        ALLOWLIST_BANK, BankHit, BankMatch, CopyMatch, DocumentMatch, ExactIndex, FirstSeen,
        FrameHash, NearIndex, NearMatch, PerceptualHash, REJECTED_BANK, SemanticIndex,
        SemanticMatch, TimelineMatch, TurnedHash, VideoFingerprints, VideoMatch, VideoMatches,
    },
    media::{MediaKind, MediaType},
    objects::{SeenObject, SeenObjects},
    pose::{KEYPOINT_SEEN_FROM, KEYPOINTS, Keypoint, Pose, Poses},
    region::Region,
    tenant::{DEFAULT_TENANT, MAX_TENANT_LEN, is_rejected_bank, rejected_bank, valid_tenant},
    upload::{
        ExemplarLabel, Orientation, PersonCount, Task, TaskExemplar, TaskRequirements, UploadMeta,
        UploadState,
    },
    verdict::{Decision, Reason, Verdict},
};

mod artefacts;
mod detector;
mod embedding;
mod finding;
mod indexes;
mod media;
mod objects;
mod pose;
mod region;
mod tenant;
mod upload;
mod verdict;
