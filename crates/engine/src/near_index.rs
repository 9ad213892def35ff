//! The near-duplicate indexes, each a [`Mirror`] of its table that catches
//! up before each query (so several processes sharing one database see
//! each other's rows): PDQ hashes of photos, their turned centres and
//! video frames in [`MultiIndex`]es (`Hashes`), documents' text
//! signatures (`Documents`) and videos' TMK features (`Timelines`).

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use crate::{
    in_flight::EarlierUploads,
    mirror::{Mirror, Mirrored},
};
use async_trait::async_trait;
use bonafide_core::{
    DetectorError, DocumentMatch, NearIndex, NearMatch, PerceptualHash, TimelineMatch, TurnedHash,
    UploadMeta, VideoFingerprints, VideoMatch, VideoMatches,
};
use bonafide_matching::{
    MultiIndex,
    minhash::{self, Signature},
    pack,
};
use bonafide_pdq::tmk::{self, Tmk};
use bonafide_store::{HashKind, SignatureKind, Store, StoreError, StoredHash, StoredSignature};

/// An upload whose hashes are indexed.
#[derive(Debug, Clone)]
struct Owner {
    upload_id: String,
    tenant: String,
    contributor_id: String,
    sha256: String,
    created_at: i64,
    /// Images: the hash's quality. Videos: unused.
    quality: u8,
    /// Videos: frames of matchable quality.
    frames: u32,
}

impl Owner {
    /// An earlier upload of the same tenant with other bytes (exact
    /// copies are matched elsewhere).
    fn is_candidate_for(&self, upload: &UploadMeta) -> bool {
        upload.follows(self.created_at, &self.upload_id)
            && self.sha256 != upload.sha256
            && self.tenant == upload.tenant
    }
}

/// Photos', turned centres' and video frames' PDQ hashes, with the
/// uploads they belong to.
#[derive(Debug, Default)]
struct Hashes {
    owners: Vec<Owner>,
    by_upload: HashMap<(String, bool), usize>,
    /// Photos' hashes → owner index.
    images: MultiIndex<usize>,
    /// Photos' centre hashes → (owner index, quality).
    centres: MultiIndex<(usize, u8)>,
    /// Video frame hashes → (owner index, frame number within that video).
    frames: MultiIndex<(usize, u32)>,
}

/// Document text signatures with their owners (brute-force compared).
#[derive(Debug, Default)]
struct Documents(Vec<(Owner, Signature)>);

/// Videos' TMK level-1 features with their owners (brute-force compared;
/// level 2 is read from the blob store for candidates).
#[derive(Debug, Default)]
struct Timelines(Vec<(Owner, Vec<f32>)>);

impl Owner {
    fn of_signature(row: StoredSignature) -> (Self, Vec<u8>) {
        let owner = Owner {
            upload_id: row.upload_id,
            tenant: row.tenant,
            contributor_id: row.contributor_id,
            sha256: row.sha256,
            created_at: row.created_at,
            quality: 0,
            frames: 0,
        };
        (owner, row.signature)
    }
}

impl Mirrored for Documents {
    type Row = StoredSignature;
    type Error = DetectorError;

    fn seq(row: &StoredSignature) -> i64 {
        row.seq
    }

    fn apply(&mut self, row: StoredSignature) -> Result<(), DetectorError> {
        let (owner, bytes) = Owner::of_signature(row);
        if let Some(sig) = minhash::from_bytes(&bytes) {
            self.0.push((owner, sig));
        }
        Ok(())
    }
}

impl Mirrored for Timelines {
    type Row = StoredSignature;
    type Error = DetectorError;

    fn seq(row: &StoredSignature) -> i64 {
        row.seq
    }

    fn apply(&mut self, row: StoredSignature) -> Result<(), DetectorError> {
        let (owner, bytes) = Owner::of_signature(row);
        if bytes.len() == 4 * tmk::DIMENSION {
            let average = bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                .collect();
            self.0.push((owner, average));
        }
        Ok(())
    }
}

impl Hashes {
    fn owner(&mut self, row: &StoredHash) -> usize {
        let key = (row.upload_id.clone(), row.kind == HashKind::VideoFrame);
        if let Some(&i) = self.by_upload.get(&key) {
            return i;
        }
        self.owners.push(Owner {
            upload_id: row.upload_id.clone(),
            tenant: row.tenant.clone(),
            contributor_id: row.contributor_id.clone(),
            sha256: row.sha256.clone(),
            created_at: row.created_at,
            quality: row.quality,
            frames: 0,
        });
        self.by_upload.insert(key, self.owners.len() - 1);
        self.owners.len() - 1
    }
}

impl Mirrored for Hashes {
    type Row = StoredHash;
    type Error = DetectorError;

    fn seq(row: &StoredHash) -> i64 {
        row.seq
    }

    fn apply(&mut self, row: StoredHash) -> Result<(), DetectorError> {
        let owner = self.owner(&row);
        match row.kind {
            HashKind::Image => {
                self.images.insert(pack(&row.pdq), owner);
            }
            HashKind::ImageCentre => {
                self.centres.insert(pack(&row.pdq), (owner, row.quality));
            }
            HashKind::VideoFrame if row.quality >= bonafide_pdq::MIN_QUALITY => {
                let n = self.owners[owner].frames;
                self.owners[owner].frames += 1;
                self.frames.insert(pack(&row.pdq), (owner, n));
            }
            HashKind::VideoFrame => {}
        }
        Ok(())
    }
}

/// Near-duplicate lookups over every screened photo, video and document.
#[derive(Debug)]
pub(crate) struct PdqIndex {
    store: Store,
    hashes: Mirror<Hashes>,
    documents: Mirror<Documents>,
    timelines: Mirror<Timelines>,
    earlier: Arc<EarlierUploads>,
}

fn lookup(e: StoreError) -> DetectorError {
    DetectorError::Lookup(e.to_string())
}

impl PdqIndex {
    pub(crate) fn new(store: Store, earlier: Arc<EarlierUploads>) -> Self {
        Self {
            store,
            hashes: Mirror::default(),
            documents: Mirror::default(),
            timelines: Mirror::default(),
            earlier,
        }
    }

    /// Stores this upload's hashes (and a video's TMK feature with them),
    /// then [`PdqIndex::catch_up`].
    async fn add_and_catch_up(
        &self,
        upload: &UploadMeta,
        rows: &[StoredHash],
        timeline: Option<&StoredSignature>,
    ) -> Result<(), DetectorError> {
        self.store
            .add_hashes_and_signature(rows, timeline.map(|t| (SignatureKind::VideoTimeline, t)))
            .await
            .map_err(lookup)?;
        self.earlier.progressed();
        self.catch_up(upload).await
    }

    /// Waits (bounded) for earlier uploads that workers are hashing right
    /// now, then pulls in every hash and signature stored since the last
    /// look, by any process.
    async fn catch_up(&self, upload: &UploadMeta) -> Result<(), DetectorError> {
        self.earlier.wait(upload).await?;
        self.load_fresh().await
    }

    /// Pulls in every hash and signature stored since the last look.
    async fn load_fresh(&self) -> Result<(), DetectorError> {
        let store = &self.store;
        self.hashes
            .catch_up(|after| async move { store.hashes_after(after).await.map_err(lookup) })
            .await?;
        let signatures = |kind| {
            move |after| async move { store.signatures_after(kind, after).await.map_err(lookup) }
        };
        self.documents
            .catch_up(signatures(SignatureKind::DocumentText))
            .await?;
        self.timelines
            .catch_up(signatures(SignatureKind::VideoTimeline))
            .await?;
        Ok(())
    }

    /// Earlier videos whose TMK hash matches `ours` on both levels, best
    /// first. Level 1 is compared in memory; only videos passing it have
    /// their whole TMK file read from the blob store for level 2.
    async fn match_timelines(
        &self,
        upload: &UploadMeta,
        ours: &Tmk,
    ) -> Result<Vec<TimelineMatch>, DetectorError> {
        let candidates: Vec<(Owner, f32)> = {
            let timelines = self.timelines.read().await;
            timelines
                .0
                .iter()
                .filter(|(owner, _)| owner.is_candidate_for(upload))
                .map(|(owner, average)| (owner.clone(), tmk::level1(ours.average(), average)))
                .filter(|(_, level1)| *level1 >= tmk::LEVEL1_THRESHOLD)
                .collect()
        };
        let mut matches = Vec::new();
        for (owner, level1) in candidates {
            let key = SignatureKind::tmk_blob_key(&owner.upload_id);
            let bytes = self
                .store
                .blobs
                .get(&key)
                .await
                .map_err(|e| DetectorError::Lookup(e.to_string()))?;
            let theirs = Tmk::from_bytes(&bytes)
                .map_err(|e| DetectorError::Lookup(format!("{key}: {e}")))?;
            let level2 = ours.level2(&theirs);
            if level2 >= tmk::LEVEL2_THRESHOLD {
                matches.push(TimelineMatch {
                    upload_id: owner.upload_id,
                    contributor_id: owner.contributor_id,
                    at: owner.created_at,
                    level1,
                    level2,
                });
            }
        }
        matches.sort_by(|a, b| {
            b.level2
                .total_cmp(&a.level2)
                .then(a.upload_id.cmp(&b.upload_id))
        });
        Ok(matches)
    }
}

/// The closest match per earlier upload, over several query hashes.
#[derive(Default)]
struct ClosestPerUpload(HashMap<usize, NearMatch>);

impl ClosestPerUpload {
    fn offer(
        &mut self,
        i: usize,
        owner: &Owner,
        distance: u32,
        orientation: &'static str,
        turned_degrees: Option<f32>,
    ) {
        let m = self.0.entry(i).or_insert_with(|| NearMatch {
            upload_id: owner.upload_id.clone(),
            contributor_id: owner.contributor_id.clone(),
            at: owner.created_at,
            distance: u32::MAX,
            orientation,
            turned_degrees,
        });
        if distance < m.distance {
            m.distance = distance;
            m.orientation = orientation;
            m.turned_degrees = turned_degrees;
        }
    }

    /// Closest first.
    fn into_sorted(self) -> Vec<NearMatch> {
        let mut all: Vec<NearMatch> = self.0.into_values().collect();
        all.sort_by(|a, b| (a.distance, a.at, &a.upload_id).cmp(&(b.distance, b.at, &b.upload_id)));
        all
    }
}

fn row(
    upload: &UploadMeta,
    kind: HashKind,
    frame_ms: i64,
    pdq: [u8; 32],
    quality: u8,
) -> StoredHash {
    StoredHash {
        seq: 0,
        upload_id: upload.id.clone(),
        kind,
        frame_ms,
        tenant: upload.tenant.clone(),
        contributor_id: upload.contributor_id.clone(),
        sha256: upload.sha256.clone(),
        pdq,
        quality,
        created_at: upload.created_at,
    }
}

impl PdqIndex {
    /// Screened images of `tenant` within `max_distance` of any
    /// orientation of `hash`, closest first, one per upload: a query that
    /// is not an upload (reverse search), so nothing is stored and nothing
    /// waited for.
    pub(crate) async fn search(
        &self,
        tenant: &str,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        self.load_fresh().await?;
        let loaded = self.hashes.read().await;
        let mut closest = ClosestPerUpload::default();
        for (orientation, bytes) in &hash.variants {
            for (distance, &i) in loaded.images.within(&pack(bytes), max_distance) {
                let owner = &loaded.owners[i];
                if owner.tenant == tenant && owner.quality >= bonafide_pdq::MIN_QUALITY {
                    closest.offer(i, owner, distance, orientation, None);
                }
            }
        }
        Ok(closest.into_sorted())
    }
}

#[async_trait]
impl NearIndex for PdqIndex {
    async fn add_and_match(
        &self,
        upload: &UploadMeta,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        let (_, original) = hash
            .variants
            .first()
            .ok_or_else(|| DetectorError::Other("no hash".into()))?;
        let (centre, centre_quality) = hash.centre;
        self.add_and_catch_up(
            upload,
            &[
                row(upload, HashKind::Image, 0, *original, hash.quality),
                row(upload, HashKind::ImageCentre, 0, centre, centre_quality),
            ],
            None,
        )
        .await?;

        let loaded = self.hashes.read().await;
        let mut closest = ClosestPerUpload::default();
        for (orientation, bytes) in &hash.variants {
            for (distance, &i) in loaded.images.within(&pack(bytes), max_distance) {
                let owner = &loaded.owners[i];
                if owner.is_candidate_for(upload) && owner.quality >= bonafide_pdq::MIN_QUALITY {
                    closest.offer(i, owner, distance, orientation, None);
                }
            }
        }
        Ok(closest.into_sorted())
    }

    async fn match_turned(
        &self,
        upload: &UploadMeta,
        turned: &[TurnedHash],
        max_distance: u32,
    ) -> Result<Vec<NearMatch>, DetectorError> {
        let loaded = self.hashes.read().await;
        let mut closest = ClosestPerUpload::default();
        for t in turned {
            for (distance, &(i, quality)) in loaded.centres.within(&pack(&t.hash), max_distance) {
                let owner = &loaded.owners[i];
                if owner.is_candidate_for(upload) && quality >= bonafide_pdq::MIN_QUALITY {
                    closest.offer(i, owner, distance, t.orientation, Some(t.degrees));
                }
            }
        }
        Ok(closest.into_sorted())
    }

    async fn add_and_match_video(
        &self,
        upload: &UploadMeta,
        video: &VideoFingerprints<'_>,
        max_distance: u32,
        min_quality: u8,
        min_share: f32,
    ) -> Result<VideoMatches, DetectorError> {
        let frames = video.frames;
        let rows: Vec<StoredHash> = frames
            .iter()
            .map(|f| {
                row(
                    upload,
                    HashKind::VideoFrame,
                    f.at_ms as i64,
                    f.hash,
                    f.quality,
                )
            })
            .collect();
        // The whole TMK file goes to the blob store first, so a stored
        // level-1 row always has its file.
        let tmk = if video.tmk.is_empty() {
            None
        } else {
            Some(Tmk::from_bytes(video.tmk).map_err(|e| DetectorError::Other(e.to_string()))?)
        };
        let timeline = match &tmk {
            Some(t) if t.frames() > 0 => {
                self.store
                    .blobs
                    .put(
                        &SignatureKind::tmk_blob_key(&upload.id),
                        bytes::Bytes::copy_from_slice(video.tmk),
                    )
                    .await
                    .map_err(|e| DetectorError::Lookup(e.to_string()))?;
                Some(StoredSignature {
                    seq: 0,
                    upload_id: upload.id.clone(),
                    tenant: upload.tenant.clone(),
                    contributor_id: upload.contributor_id.clone(),
                    sha256: upload.sha256.clone(),
                    signature: t.average().iter().flat_map(|v| v.to_le_bytes()).collect(),
                    created_at: upload.created_at,
                })
            }
            _ => None,
        };
        self.add_and_catch_up(upload, &rows, timeline.as_ref())
            .await?;
        let timelines = match (&tmk, &timeline) {
            (Some(t), Some(_)) => self.match_timelines(upload, t).await?,
            _ => Vec::new(),
        };
        let frames = self
            .match_frames(upload, frames, max_distance, min_quality, min_share)
            .await;
        Ok(VideoMatches { frames, timelines })
    }

    async fn add_and_match_document(
        &self,
        upload: &UploadMeta,
        signature: &[u32],
        min_similarity: f32,
    ) -> Result<Vec<DocumentMatch>, DetectorError> {
        let sig: Signature = signature
            .try_into()
            .map_err(|_| DetectorError::Other("a signature has 128 slots".into()))?;
        let row = StoredSignature {
            seq: 0,
            upload_id: upload.id.clone(),
            tenant: upload.tenant.clone(),
            contributor_id: upload.contributor_id.clone(),
            sha256: upload.sha256.clone(),
            signature: minhash::to_bytes(&sig),
            created_at: upload.created_at,
        };
        self.store
            .add_signature(SignatureKind::DocumentText, &row)
            .await
            .map_err(lookup)?;
        self.earlier.progressed();
        self.catch_up(upload).await?;
        let documents = self.documents.read().await;
        let mut matches: Vec<DocumentMatch> = documents
            .0
            .iter()
            .filter(|(owner, _)| owner.is_candidate_for(upload))
            .map(|(owner, theirs)| (owner, minhash::similarity(&sig, theirs)))
            .filter(|(_, similarity)| *similarity >= min_similarity)
            .map(|(owner, similarity)| DocumentMatch {
                upload_id: owner.upload_id.clone(),
                contributor_id: owner.contributor_id.clone(),
                at: owner.created_at,
                similarity,
            })
            .collect();
        matches.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.upload_id.cmp(&b.upload_id))
        });
        Ok(matches)
    }
}

impl PdqIndex {
    /// Earlier videos sharing at least `min_share` of either side's
    /// distinct frames, best first.
    async fn match_frames(
        &self,
        upload: &UploadMeta,
        frames: &[bonafide_core::FrameHash],
        max_distance: u32,
        min_quality: u8,
        min_share: f32,
    ) -> Vec<VideoMatch> {
        // Distinct frames, each looked up with its neighbours: a frame
        // counts as found when it or a neighbour matches.
        let mut distinct: Vec<([u64; 4], Vec<[u64; 4]>)> = frames
            .iter()
            .filter(|f| f.quality >= min_quality)
            .map(|f| (pack(&f.hash), f.neighbours.iter().map(pack).collect()))
            .collect();
        distinct.sort_unstable_by_key(|(hash, _)| *hash);
        distinct.dedup_by_key(|(hash, _)| *hash);
        if distinct.is_empty() {
            return vec![];
        }
        let loaded = self.hashes.read().await;
        // Per earlier video: which of our frames, and which of its frames, found a match.
        let mut hits: HashMap<usize, (HashSet<usize>, HashSet<u32>)> = HashMap::new();
        for (qi, (hash, neighbours)) in distinct.iter().enumerate() {
            for query in std::iter::once(hash).chain(neighbours) {
                for (_, &(owner, frame)) in loaded.frames.within(query, max_distance) {
                    if loaded.owners[owner].is_candidate_for(upload) {
                        let (ours, theirs) = hits.entry(owner).or_default();
                        ours.insert(qi);
                        theirs.insert(frame);
                    }
                }
            }
        }
        let mut matches: Vec<VideoMatch> = hits
            .into_iter()
            .map(|(i, (ours, theirs))| {
                let owner = &loaded.owners[i];
                VideoMatch {
                    upload_id: owner.upload_id.clone(),
                    contributor_id: owner.contributor_id.clone(),
                    at: owner.created_at,
                    query_share: ours.len() as f32 / distinct.len() as f32,
                    target_share: theirs.len() as f32 / owner.frames.max(1) as f32,
                }
            })
            .filter(|m| m.query_share.max(m.target_share) >= min_share)
            .collect();
        let strength = |m: &VideoMatch| m.query_share + m.target_share;
        matches.sort_by(|a, b| {
            strength(b)
                .total_cmp(&strength(a))
                .then(a.upload_id.cmp(&b.upload_id))
        });
        matches
    }
}
