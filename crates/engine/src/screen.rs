//! Screening one upload: decode once, run every detector concurrently,
//! decide, record.

use std::{panic::AssertUnwindSafe, time::Instant};

use bonafide_core::{
    ALLOWLIST_BANK, Artefacts, BankHit, Context, Detector, Finding, FrameHash, PerceptualHash,
    codes,
};
use bonafide_decode::{DecodeError, decode};
use bonafide_ingest::sniff;
use bonafide_models::CopySpace;
use bonafide_store::{ClaimedJob, MediaSummary, StoreError, UploadRecord, VectorTable};
use futures::FutureExt;

use crate::{
    Engine, EngineError,
    copy_match::CopySubject,
    metrics::{CodeLabel, DetectorLabel, Stage},
    rejected_bank::Rejected,
};

impl Engine {
    /// Screens `upload_id` (a `screen` job) and records its verdict.
    /// Errors are ours (storage, tools) and mean "retry"; anything wrong with
    /// the file itself becomes a finding.
    pub(crate) async fn screen_job(
        &self,
        job: &ClaimedJob,
        upload_id: &str,
    ) -> Result<(), EngineError> {
        let started = Instant::now();
        let store = &self.inner.store;
        let Some(rec) = store.upload(upload_id).await? else {
            // The upload row is written in the same transaction as its job,
            // so this only happens after manual deletion: nothing to screen.
            store.complete_job(job).await?;
            return Ok(());
        };
        store.mark_processing(&rec.meta.id).await?;
        let fetch = Instant::now();
        let bytes = store
            .blobs
            .get(&rec.blob_key)
            .await
            .map_err(StoreError::from)?;
        self.inner.metrics.observe_stage(Stage::Fetch, fetch);
        let (mut findings, media, pdq) = self.findings_for(&rec, bytes).await?;
        let record = Instant::now();
        let fraud = self.inner.fraud.observe_upload(&rec, &findings).await?;
        findings.extend(fraud);
        let verdict = self.inner.policy.decide(&findings);
        let review = self.review_item_for(&rec, &verdict);
        match store
            .record_verdict(
                job,
                &rec.meta.id,
                &media,
                &findings,
                &verdict,
                review.as_ref(),
            )
            .await
        {
            Ok(decided_at) => {
                let rejected = verdict.decision == bonafide_core::Decision::Reject;
                if let Err(error) = self.inner.fraud.observe_verdict(&rec.meta, rejected).await {
                    // The verdict stands; the cluster's reject share misses one.
                    tracing::error!(upload = %rec.meta.id, %error, "could not log the verdict in the fraud graph");
                }
                // After the verdict, not in its transaction: a crash in
                // between loses this entry (the verdict stands).
                if let (Some(finding), Some(pdq)) =
                    (self.inner.policy.remembered(&verdict, &findings), &pdq)
                    && let Some((_, original)) = pdq.variants.first()
                    && let Err(error) = self
                        .remember_rejected(Rejected {
                            upload_id: &rec.meta.id,
                            tenant: &rec.meta.tenant,
                            pdq: (*original, pdq.quality),
                            why: format!("rejected: {}", finding.code),
                        })
                        .await
                {
                    // The verdict is recorded and the job done; only the
                    // bank entry is missing.
                    tracing::error!(upload = %rec.meta.id, %error, "could not add to the rejected bank");
                }
                let m = &self.inner.metrics;
                m.observe_stage(Stage::Record, record);
                m.verdicts
                    .get_or_create(&crate::metrics::DecisionLabel {
                        decision: verdict.decision.as_str().into(),
                    })
                    .inc();
                for f in &findings {
                    m.findings
                        .get_or_create(&CodeLabel {
                            code: f.code.clone(),
                        })
                        .inc();
                }
                m.screen_seconds.observe(started.elapsed().as_secs_f64());
                tracing::info!(
                    decision = verdict.decision.as_str(),
                    findings = findings.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "screened"
                );
                m.verdict_latency_seconds
                    .observe((decided_at - rec.meta.created_at).max(0) as f64 / 1000.0);
                self.inner.work.notify_one();
                Ok(())
            }
            // Another worker took over after our lease lapsed; its verdict stands.
            Err(StoreError::LeaseLost) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Decodes and runs the detectors. A file that fails to decode yields the
    /// decoder's finding and no detector runs on it. Also gives the media
    /// summary and, for images, the PDQ hash.
    pub(crate) async fn findings_for(
        &self,
        rec: &UploadRecord,
        bytes: bytes::Bytes,
    ) -> Result<(Vec<Finding>, MediaSummary, Option<PerceptualHash>), EngineError> {
        let media_type = sniff(&bytes);
        let mut media = MediaSummary {
            media_type: media_type.kind().map(|_| media_type.mime().to_owned()),
            ..Default::default()
        };
        let metrics = &self.inner.metrics;
        let stage = Instant::now();
        let decoded = decode(bytes, media_type, &self.inner.config.decode).await;
        metrics.observe_stage(Stage::Decode, stage);
        let mut art = match decoded {
            Ok(art) => art,
            Err(DecodeError::Tool(e)) => return Err(EngineError::Tool(e)),
            Err(e) => {
                let code = e.code().unwrap_or(codes::MEDIA_CORRUPT);
                let finding = Finding::new("decode", code, 1.0, decode_message(&e)).with_evidence(
                    serde_json::json!({"media_type": media_type.mime(), "error": e.to_string()}),
                );
                return Ok((vec![finding], media, None));
            }
        };
        if let Some((w, h)) = art.dimensions() {
            media.width = Some(w);
            media.height = Some(h);
        }
        media.duration_ms = art.video.as_ref().map(|v| v.duration_ms);
        media.pages = art.document.as_ref().map(|d| d.pages);
        let stage = Instant::now();
        art.pdq = perceptual_hash(&art).await?;
        art.frame_hashes = frame_hashes(&art).await?;
        metrics.observe_stage(Stage::Hash, stage);
        let stage = Instant::now();
        art.c2pa = self.content_credentials(&art).await?;
        metrics.observe_stage(Stage::Credentials, stage);
        // Banks are matched once here; the bank and near-duplicate detectors
        // (allowlist) both read the hits.
        let stage = Instant::now();
        let banks = &self.inner.banks;
        let tenant = rec.meta.tenant.as_str();
        if art.image.is_some() || !art.frame_hashes.is_empty() {
            banks.catch_up().await?;
        }
        let mut bank_hits = match &art.pdq {
            Some(hash) if hash.quality >= bonafide_pdq::MIN_QUALITY => {
                banks
                    .match_image(tenant, hash, bonafide_pdq::MATCH_DISTANCE)
                    .await
            }
            // A photo too featureless to match on.
            Some(_) => Vec::new(),
            // A video (no frames for other media: nothing to match).
            None => {
                banks
                    .match_video(tenant, &art.frame_hashes, bonafide_pdq::MATCH_DISTANCE)
                    .await
            }
        };
        metrics.observe_stage(Stage::Banks, stage);
        let task = match &rec.meta.task_id {
            Some(id) => self.inner.store.task(id).await?,
            None => None,
        };
        // Only task matching reads the classifier's classes, the objects
        // and the poses.
        let stage = Instant::now();
        let outputs = self.inner.models.run(&art, task.is_some()).await?;
        metrics.observe_stage(Stage::Models, stage);
        (
            art.embeddings,
            art.copy_descriptors,
            art.concepts,
            art.body_parts,
            art.objects,
            art.poses,
        ) = (
            outputs.embeddings,
            outputs.copy_descriptors,
            outputs.concepts,
            outputs.body_parts,
            outputs.objects,
            outputs.poses,
        );
        // Allowlisted content is never matched, so never indexed.
        let allowlisted = bank_hits.iter().any(|h| h.bank == ALLOWLIST_BANK);
        let mut copies = Vec::new();
        // A picture too featureless for PDQ (a black frame) is no one's
        // copy, whatever its descriptor says.
        let featured = art
            .pdq
            .as_ref()
            .is_some_and(|p| p.quality >= bonafide_pdq::MIN_QUALITY);
        if let (Some(image), Some(descriptor), false, true) = (
            &art.image,
            art.copy_descriptors.first(),
            allowlisted,
            featured,
        ) {
            // Stored before any detector runs, so later uploads waiting on
            // this one find it (see `EarlierUploads`).
            crate::semantic_index::store_embedding(
                &self.inner.store,
                VectorTable::CopyDescriptors,
                CopySpace::shipped().model(),
                &rec.meta,
                descriptor,
            )
            .await?;
            let stage = Instant::now();
            let found = self
                .match_copies(CopySubject {
                    tenant,
                    descriptor,
                    working: outputs.copy_working.map(|w| (w, image.width, image.height)),
                    upload: Some(&rec.meta),
                })
                .await?;
            metrics.observe_stage(Stage::Copies, stage);
            if found.regions {
                metrics.copy_regions.inc();
            }
            merge_hits(&mut bank_hits, found.banks);
            copies = found.uploads;
        }
        if art.video.is_some() && !allowlisted && !art.copy_descriptors.is_empty() {
            let stage = Instant::now();
            let found = self.match_frame_copies(tenant, &art.copy_descriptors).await;
            metrics.observe_stage(Stage::Copies, stage);
            merge_hits(&mut bank_hits, found);
        }
        if art.image.is_some()
            && !allowlisted
            && let Some(embedding) = art.embeddings.first()
        {
            // Reference entries too changed for PDQ that the copy
            // descriptor missed.
            let similar = banks
                .match_embedding(
                    tenant,
                    embedding.values(),
                    bonafide_matching::REFERENCE_COSINE,
                )
                .await;
            merge_hits(&mut bank_hits, similar);
            crate::semantic_index::store_embedding(
                &self.inner.store,
                VectorTable::ImageEmbeddings,
                bonafide_models::ClipImageEncoder::FILE,
                &rec.meta,
                embedding,
            )
            .await?;
        }
        let exemplars = match &task {
            Some(t) => {
                self.inner
                    .store
                    .exemplars(&t.id, bonafide_models::ClipImageEncoder::FILE)
                    .await?
            }
            None => Vec::new(),
        };
        let ctx = Context {
            upload: &rec.meta,
            task: task.as_ref(),
            exemplars: &exemplars,
            exact: &self.inner.store,
            near: &self.inner.near,
            semantic: self.inner.semantic.as_ref(),
            bank_hits: &bank_hits,
            copies: &copies,
        };
        let stage = Instant::now();
        let findings = self.run_detectors(&art, &ctx).await;
        metrics.observe_stage(Stage::Detectors, stage);
        Ok((findings, media, art.pdq.clone()))
    }

    /// Reads and validates the file's C2PA credentials (off the async
    /// threads: validation hashes the whole file).
    async fn content_credentials(
        &self,
        art: &Artefacts,
    ) -> Result<bonafide_metadata::C2paReport, EngineError> {
        let (reader, bytes, mime) = (
            self.inner.credentials.clone(),
            art.bytes.clone(),
            art.media_type.mime(),
        );
        tokio::task::spawn_blocking(move || reader.read(&bytes, mime))
            .await
            .map_err(|e| EngineError::Tool(format!("C2PA validation failed: {e}")))
    }

    /// Runs every detector that takes this media kind, concurrently. A
    /// detector that errors or panics becomes a `detector.error` finding;
    /// the others' findings stand.
    async fn run_detectors(&self, art: &Artefacts, ctx: &Context<'_>) -> Vec<Finding> {
        let Some(kind) = art.kind() else {
            return vec![];
        };
        let runs = self.inner.registry.iter().filter(|d| d.accepts(kind)).map(|d| async move {
            if let Some(finding) = self.skipped(d) {
                return vec![finding];
            }
            let started = Instant::now();
            let result = AssertUnwindSafe(d.analyze(art, ctx)).catch_unwind().await;
            self.inner
                .metrics
                .detector_seconds
                .get_or_create(&DetectorLabel { detector: d.name() })
                .observe(started.elapsed().as_secs_f64());
            let error = match result {
                Ok(Ok(findings)) => return findings,
                Ok(Err(e)) => e.to_string(),
                Err(_) => "the detector panicked".to_owned(),
            };
            tracing::error!(detector = d.name(), upload = %ctx.upload.id, %error, "detector failed");
            vec![
                Finding::new(d.name(), codes::DETECTOR_ERROR, 0.5, format!("Detector {} could not run.", d.name()))
                    .with_evidence(serde_json::json!({"error": error})),
            ]
        });
        futures::future::join_all(runs)
            .await
            .into_iter()
            .flatten()
            .collect()
    }
}

impl Engine {
    /// A `detector.skipped` finding when a model `detector` needs is not
    /// installed.
    fn skipped(&self, detector: &dyn Detector) -> Option<Finding> {
        let models = &self.inner.models;
        let (file, why) = detector
            .models()
            .iter()
            .find_map(|f| models.unavailable(f).map(|why| (*f, why)))?;
        Some(
            Finding::new(
                detector.name(),
                codes::DETECTOR_SKIPPED,
                0.0,
                format!(
                    "Detector {} did not run: model {file} is not installed (run `{}`).",
                    detector.name(),
                    bonafide_models::INSTALL_COMMAND
                ),
            )
            .with_evidence(serde_json::json!({"model": file, "error": why})),
        )
    }
}

/// Adds the hits of `more` to `hits`: an entry found both ways is named by
/// the surer match (a PDQ match near its threshold is less sure than a
/// strong copy-descriptor match).
pub(crate) fn merge_hits(hits: &mut Vec<BankHit>, more: Vec<BankHit>) {
    for hit in more {
        match hits.iter_mut().find(|h| h.entry == hit.entry) {
            Some(h) => {
                if bonafide_matching::match_strength(hit.matched)
                    > bonafide_matching::match_strength(h.matched)
                {
                    h.matched = hit.matched;
                }
            }
            None => hits.push(hit),
        }
    }
}

/// PDQ hashes of a video's sampled frames (empty for other media), once
/// for the bank lookup and the near-duplicate detector.
pub(crate) async fn frame_hashes(art: &Artefacts) -> Result<Vec<FrameHash>, EngineError> {
    let Some(video) = &art.video else {
        return Ok(Vec::new());
    };
    let frames = video.frames.clone();
    tokio::task::spawn_blocking(move || bonafide_matching::frame_hashes(&frames))
        .await
        .map_err(|e| EngineError::Tool(format!("PDQ hashing failed: {e}")))
}

/// The image's PDQ hash in all eight orientations and its centre hash
/// (for turned copies), computed once for every
/// detector that matches on it (signals stage, between decode and match).
pub(crate) async fn perceptual_hash(
    art: &Artefacts,
) -> Result<Option<PerceptualHash>, EngineError> {
    let Some(luma) = art.image.as_ref().map(|i| i.luma.clone()) else {
        return Ok(None);
    };
    let (variants, centre) = tokio::task::spawn_blocking(move || {
        (
            bonafide_pdq::hash_image_dihedral(luma.as_ref()),
            bonafide_matching::rotation::centre_hash(&luma),
        )
    })
    .await
    .map_err(|e| EngineError::Tool(format!("PDQ hashing failed: {e}")))?;
    Ok(Some(PerceptualHash {
        quality: variants[0].1.quality,
        variants: variants
            .iter()
            .map(|(d, h)| (d.as_str(), h.hash.to_bytes()))
            .collect(),
        centre: (centre.hash.to_bytes(), centre.quality),
    }))
}

fn decode_message(e: &DecodeError) -> String {
    match e {
        DecodeError::Empty => "The file is empty.".into(),
        DecodeError::Unsupported(why) => {
            format!("Not a photo, video or document format Bonafide screens ({why}).")
        }
        DecodeError::Corrupt(why) => {
            format!("The file is damaged and could not be decoded: {why}.")
        }
        DecodeError::TooLarge(why) => format!("The file is over a size limit: {why}."),
        DecodeError::TooLong(why) => format!("The video is over the length limit: {why}."),
        DecodeError::Encrypted => {
            "The document is password-protected and cannot be screened.".into()
        }
        other => other.to_string(),
    }
}
