//! Finding edited copies by copy descriptor (SSCD), in the banks and among
//! earlier uploads, in two steps. First the whole photo's descriptor; only
//! when that finds nothing, the regions a copy may sit in (the picture
//! inside flat borders, a grid of half-size windows: at most
//! [`bonafide_matching::regions::MAX_REGIONS`], described in one batch) —
//! so an original photo, the common case, pays for the regions' lookup
//! but a copy found whole does not pay for their descriptors either.
//!
//! Every query is score-normalised: its offset (its likeness to the
//! shipped background of real photos) is added to the threshold its
//! cosines must reach, and subtracted from the scores reported.

use std::{collections::HashMap, sync::Arc};

use bonafide_core::{BankHit, CopyMatch, Embedding, Region, UploadMeta};
use bonafide_matching::{COPY_REGION_SCORE, COPY_SCORE};
use bonafide_models::CopySpace;
use image::RgbImage;

use crate::{Engine, EngineError};

/// One descriptor to look up: the whole photo's or a region's.
#[derive(Debug, Clone)]
pub(crate) struct CopyQuery {
    /// The (centred) descriptor.
    pub(crate) descriptor: Embedding,
    /// Its background offset: its cosines are lowered by this.
    pub(crate) offset: f32,
    /// The part of the upload it describes; `None` for the whole.
    pub(crate) region: Option<Region>,
}

impl CopyQuery {
    fn new(descriptor: Embedding, region: Option<Region>) -> Self {
        Self {
            offset: CopySpace::shipped().offset(&descriptor),
            descriptor,
            region,
        }
    }

    /// The score this query's matches must reach.
    pub(crate) fn min_score(&self) -> f32 {
        if self.region.is_some() {
            COPY_REGION_SCORE
        } else {
            COPY_SCORE
        }
    }
}

/// What a photo's copy descriptors found.
#[derive(Debug, Default)]
pub(crate) struct CopyHits {
    /// Bank entries, best first.
    pub(crate) banks: Vec<BankHit>,
    /// Earlier uploads, best first.
    pub(crate) uploads: Vec<CopyMatch>,
    /// Whether the regions were looked up (the whole found nothing).
    pub(crate) regions: bool,
}

/// A photo to look up by copy descriptor.
pub(crate) struct CopySubject<'a> {
    /// Whose banks and uploads are searched.
    pub(crate) tenant: &'a str,
    /// The whole photo's descriptor.
    pub(crate) descriptor: &'a Embedding,
    /// The picture its regions are cut from, at the descriptor's working
    /// scale, and the photo's size (regions are reported in its pixels).
    pub(crate) working: Option<(Arc<RgbImage>, u32, u32)>,
    /// The upload, when earlier uploads are to be searched too (screening;
    /// not a reverse search).
    pub(crate) upload: Option<&'a UploadMeta>,
}

impl Engine {
    /// Looks `subject` up: the whole photo, then its regions if the whole
    /// found nothing.
    pub(crate) async fn match_copies(
        &self,
        subject: CopySubject<'_>,
    ) -> Result<CopyHits, EngineError> {
        let whole = [CopyQuery::new(subject.descriptor.clone(), None)];
        let mut hits = self
            .look_up_copies(subject.tenant, &whole, subject.upload)
            .await?;
        if hits.banks.is_empty()
            && hits.uploads.is_empty()
            && let Some((working, w, h)) = subject.working
        {
            let regions: Vec<CopyQuery> = self
                .inner
                .models
                .describe_regions(working, w, h)
                .await?
                .into_iter()
                .map(|(region, d)| CopyQuery::new(d, Some(region)))
                .collect();
            hits = self
                .look_up_copies(subject.tenant, &regions, subject.upload)
                .await?;
            hits.regions = true;
        }
        Ok(hits)
    }

    /// The entries of banks `tenant` sees that a video's embedded frames
    /// copy, by each frame's whole descriptor (a clip filming a banked
    /// photo, or cut from a banked one): one hit per entry, its best
    /// frame's.
    pub(crate) async fn match_frame_copies(
        &self,
        tenant: &str,
        frames: &[Embedding],
    ) -> Vec<BankHit> {
        let queries: Vec<CopyQuery> = frames
            .iter()
            .map(|d| CopyQuery::new(d.clone(), None))
            .collect();
        self.inner.banks.match_descriptors(tenant, &queries).await
    }

    /// The bank entries and earlier uploads `queries` reach their score
    /// with ([`COPY_SCORE`], [`COPY_REGION_SCORE`] for regions), one hit
    /// per entry and upload (its best).
    async fn look_up_copies(
        &self,
        tenant: &str,
        queries: &[CopyQuery],
        upload: Option<&UploadMeta>,
    ) -> Result<CopyHits, EngineError> {
        let banks = self.inner.banks.match_descriptors(tenant, queries).await;
        let Some(upload) = upload else {
            return Ok(CopyHits {
                banks,
                ..CopyHits::default()
            });
        };
        let asked: Vec<(Embedding, f32)> = queries
            .iter()
            .map(|q| (q.descriptor.clone(), q.min_score() + q.offset))
            .collect();
        let found = self
            .inner
            .copies
            .earlier_matches_each(upload, &asked)
            .await
            .map_err(|e| EngineError::Tool(e.to_string()))?;
        let mut best: HashMap<String, CopyMatch> = HashMap::new();
        for (q, matches) in queries.iter().zip(found) {
            for m in matches {
                let score = m.cosine - q.offset;
                if best.get(&m.upload_id).is_some_and(|b| b.score >= score) {
                    continue;
                }
                best.insert(
                    m.upload_id.clone(),
                    CopyMatch {
                        upload_id: m.upload_id,
                        contributor_id: m.contributor_id,
                        at: m.at,
                        cosine: m.cosine,
                        score,
                        region: q.region,
                    },
                );
            }
        }
        let mut uploads: Vec<CopyMatch> = best.into_values().collect();
        uploads.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.upload_id.cmp(&b.upload_id))
        });
        Ok(CopyHits {
            banks,
            uploads,
            regions: false,
        })
    }
}
