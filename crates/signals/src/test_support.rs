//! What the detectors' unit tests share: indexes that hold nothing, an
//! upload to screen, and the codes a detector finds for it.

use async_trait::async_trait;
use bonafide_core::{
    Artefacts, Context, Detector, DetectorError, DocumentMatch, Embedding, ExactIndex, FirstSeen,
    NearIndex, NearMatch, PerceptualHash, SemanticIndex, SemanticMatch, Task, TurnedHash,
    UploadMeta, VideoFingerprints, VideoMatches,
};

/// Indexes that hold nothing: the task detectors never consult them.
#[derive(Debug)]
pub(crate) struct NoIndex;

#[async_trait]
impl ExactIndex for NoIndex {
    async fn first_seen(&self, _: &str, _: &str) -> Result<Option<FirstSeen>, DetectorError> {
        Ok(None)
    }
}

#[async_trait]
impl NearIndex for NoIndex {
    async fn add_and_match(
        &self,
        _: &UploadMeta,
        _: &PerceptualHash,
        _: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        Ok(vec![])
    }

    async fn match_turned(
        &self,
        _: &UploadMeta,
        _: &[TurnedHash],
        _: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        Ok(vec![])
    }

    async fn add_and_match_video(
        &self,
        _: &UploadMeta,
        _: &VideoFingerprints<'_>,
        _: u32,
        _: u8,
        _: f32,
    ) -> Result<VideoMatches, DetectorError> {
        Ok(VideoMatches::default())
    }

    async fn add_and_match_document(
        &self,
        _: &UploadMeta,
        _: &[u32],
        _: f32,
    ) -> Result<Vec<DocumentMatch>, DetectorError> {
        Ok(vec![])
    }
}

#[async_trait]
impl SemanticIndex for NoIndex {
    async fn earlier_matches(
        &self,
        _: &UploadMeta,
        _: &Embedding,
        _: f32,
    ) -> Result<Vec<SemanticMatch>, DetectorError> {
        Ok(vec![])
    }
}

/// An upload answering task `t`.
pub(crate) fn upload() -> UploadMeta {
    UploadMeta {
        id: "u".into(),
        tenant: bonafide_core::DEFAULT_TENANT.into(),
        contributor_id: "c".into(),
        device_id: None,
        device_make: None,
        device_model: None,
        client_ip: None,
        payout_hash: None,
        contributor_name: None,
        task_id: Some("t".into()),
        declared_capture_at: None,
        file_name: None,
        claimed_type: None,
        sha256: String::new(),
        size_bytes: 0,
        created_at: 0,
    }
}

/// The context of `up` answering `task`, with empty indexes and no matches.
pub(crate) fn context<'a>(up: &'a UploadMeta, task: &'a Task) -> Context<'a> {
    Context {
        upload: up,
        task: Some(task),
        exemplars: &[],
        exact: &NoIndex,
        near: &NoIndex,
        semantic: &NoIndex,
        bank_hits: &[],
        copies: &[],
    }
}

/// The codes `detector` finds in `art` uploaded for `task`.
pub(crate) async fn codes(detector: &dyn Detector, art: &Artefacts, task: &Task) -> Vec<String> {
    let up = upload();
    detector
        .analyze(art, &context(&up, task))
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.code)
        .collect()
}
