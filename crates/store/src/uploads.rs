//! Uploads, their findings and verdicts.

use bonafide_core::{DEFAULT_TENANT, Decision, Finding, Reason, UploadMeta, UploadState, Verdict};
use bytes::Bytes;
use sqlx::{Row, any::AnyRow};

use crate::{
    ClaimedJob, Job, NewReviewItem, Result, Store, StoreError, blobs::content_key, now_ms,
};

/// An upload about to be accepted.
#[derive(Debug, Clone)]
pub struct NewUpload {
    /// Everything known about it; `id`, `sha256`, `size_bytes` and
    /// `created_at` are filled in by [`Store::accept_upload`].
    pub meta: UploadMeta,
    /// The API client that sent it (its webhook gets the verdict).
    pub api_client_id: Option<String>,
}

/// What decoding learned about the media, stored with the verdict.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MediaSummary {
    /// Sniffed MIME type.
    pub media_type: Option<String>,
    /// Pixel width.
    pub width: Option<u32>,
    /// Pixel height.
    pub height: Option<u32>,
    /// Video duration.
    pub duration_ms: Option<u64>,
    /// Document pages.
    pub pages: Option<u32>,
}

/// A verdict with its time.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VerdictRecord {
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// When it was decided (Unix ms).
    pub decided_at: i64,
}

/// An upload as stored, with its outcome once decided.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UploadRecord {
    /// Metadata.
    pub meta: UploadMeta,
    /// Where the bytes are.
    pub blob_key: String,
    /// Sent by this API client.
    pub api_client_id: Option<String>,
    /// Life-cycle state.
    pub state: UploadState,
    /// Media facts, once decoded.
    pub media: MediaSummary,
    /// The verdict, once decided.
    pub verdict: Option<VerdictRecord>,
    /// Every finding, once decided.
    pub findings: Vec<Finding>,
    /// A reviewer's standing decision on it (not a second opinion), once
    /// a person has looked.
    pub review: Option<crate::ReviewDecision>,
}

impl Store {
    /// Accepts an upload: writes the bytes (content-addressed), then in one
    /// transaction the upload row, its content-hash entry and its screening
    /// job. Once this returns, the upload survives any crash and will reach
    /// exactly one verdict.
    pub async fn accept_upload(&self, mut new: NewUpload, bytes: Bytes) -> Result<UploadMeta> {
        new.meta.sha256 = bonafide_ingest::ContentHash::of(&bytes).0;
        new.meta.size_bytes = bytes.len() as u64;
        let key = content_key(&new.meta.sha256);
        self.blobs.put(&key, bytes).await?;
        self.insert_upload(new, &key).await
    }

    pub(crate) async fn insert_upload(&self, mut new: NewUpload, key: &str) -> Result<UploadMeta> {
        let now = now_ms();
        new.meta.id = uuid::Uuid::now_v7().to_string();
        new.meta.created_at = now;
        let mut tx = self.db.pool.begin().await?;
        // The upload is its client's tenant's (read in the transaction, so
        // it is the tenant the client had when the upload was accepted).
        new.meta.tenant = match &new.api_client_id {
            Some(client) => {
                sqlx::query_as::<_, (String,)>("SELECT tenant FROM api_clients WHERE id = $1")
                    .bind(client)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|(t,)| t)
            }
            None => None,
        }
        .unwrap_or_else(|| DEFAULT_TENANT.to_owned());
        let m = &new.meta;
        sqlx::query(
            "INSERT INTO uploads (id, contributor_id, device_id, client_ip, task_id, api_client_id, \
             declared_capture_at, file_name, claimed_type, blob_key, sha256, size_bytes, state, created_at, updated_at, \
             device_make, device_model, payout_hash, contributor_name, tenant) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'received', $13, $13, $14, $15, $16, $17, $18)",
        )
        .bind(&m.id)
        .bind(&m.contributor_id)
        .bind(&m.device_id)
        .bind(&m.client_ip)
        .bind(&m.task_id)
        .bind(&new.api_client_id)
        .bind(m.declared_capture_at)
        .bind(&m.file_name)
        .bind(&m.claimed_type)
        .bind(key)
        .bind(&m.sha256)
        .bind(m.size_bytes as i64)
        .bind(now)
        .bind(&m.device_make)
        .bind(&m.device_model)
        .bind(&m.payout_hash)
        .bind(&m.contributor_name)
        .bind(&m.tenant)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO content_hashes (tenant, sha256, first_upload_id, contributor_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, sha256) DO NOTHING",
        )
        .bind(&m.tenant)
        .bind(&m.sha256)
        .bind(&m.id)
        .bind(&m.contributor_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        Self::record_sighting_in(&mut tx, m, now).await?;
        Self::enqueue_in(
            &mut tx,
            &Job::Screen {
                upload_id: m.id.clone(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(new.meta)
    }

    /// Marks an upload as being screened (informational; the job lease is
    /// what guards the work).
    pub async fn mark_processing(&self, upload_id: &str) -> Result<()> {
        sqlx::query("UPDATE uploads SET state = 'processing', updated_at = $1 WHERE id = $2 AND state = 'received'")
            .bind(now_ms())
            .bind(upload_id)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Records the outcome of a screening job in one transaction: finishes
    /// the job (under its lease), stores findings, verdict and media facts,
    /// and queues the client's webhook. Returns [`StoreError::LeaseLost`]
    /// (and writes nothing) if another worker took the job over.
    pub async fn record_verdict(
        &self,
        job: &ClaimedJob,
        upload_id: &str,
        media: &MediaSummary,
        findings: &[Finding],
        verdict: &Verdict,
        review: Option<&NewReviewItem>,
    ) -> Result<i64> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        Self::delete_job_in(&mut tx, job).await?;
        let inserted = sqlx::query(
            "INSERT INTO verdicts (upload_id, decision, reasons, policy_version, decided_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (upload_id) DO NOTHING",
        )
        .bind(upload_id)
        .bind(verdict.decision.as_str())
        .bind(serde_json::to_string(&verdict.reasons)?)
        .bind(&verdict.policy_version)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            // Already decided by an earlier job for the same upload: keep the
            // first verdict, just retire this job.
            tx.commit().await?;
            return Ok(now);
        }
        for (seq, f) in findings.iter().enumerate() {
            sqlx::query(
                "INSERT INTO findings (upload_id, seq, detector, code, score, message, evidence) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(upload_id)
            .bind(seq as i64)
            .bind(&f.detector)
            .bind(&f.code)
            .bind(f64::from(f.score))
            .bind(&f.message)
            .bind(f.evidence.to_string())
            .execute(&mut *tx)
            .await?;
        }
        if let Some(review) = review {
            Self::queue_review_in(&mut tx, upload_id, review, now).await?;
        }
        let client: Option<(Option<String>,)> = sqlx::query_as(
            "UPDATE uploads SET state = 'decided', media_type = $1, width = $2, height = $3, duration_ms = $4, \
             pages = $5, updated_at = $6 WHERE id = $7 RETURNING api_client_id",
        )
        .bind(&media.media_type)
        .bind(media.width.map(i64::from))
        .bind(media.height.map(i64::from))
        .bind(media.duration_ms.map(|d| d as i64))
        .bind(media.pages.map(i64::from))
        .bind(now)
        .bind(upload_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((Some(client_id),)) = client {
            Self::notify_client_in(&mut tx, &client_id, upload_id, now).await?;
        }
        tx.commit().await?;
        Ok(now)
    }

    /// Queues a webhook delivery of the upload to its client, if the
    /// client has a webhook.
    pub(crate) async fn notify_client_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        client_id: &str,
        upload_id: &str,
        now: i64,
    ) -> Result<()> {
        let has_hook: Option<(String,)> =
            sqlx::query_as("SELECT id FROM api_clients WHERE id = $1 AND webhook_url IS NOT NULL")
                .bind(client_id)
                .fetch_optional(&mut **tx)
                .await?;
        if has_hook.is_some() {
            let job = Job::Webhook {
                client_id: client_id.to_owned(),
                upload_id: upload_id.to_owned(),
            };
            Self::enqueue_in(tx, &job, now).await?;
        }
        Ok(())
    }

    /// An upload with its verdict and findings.
    pub async fn upload(&self, id: &str) -> Result<Option<UploadRecord>> {
        let Some(r) = sqlx::query("SELECT * FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.db.pool)
            .await?
        else {
            return Ok(None);
        };
        let mut rec = upload_from_row(&r)?;
        if rec.state == UploadState::Decided {
            if let Some(v) = sqlx::query("SELECT decision, reasons, policy_version, decided_at FROM verdicts WHERE upload_id = $1")
                .bind(id)
                .fetch_optional(&self.db.pool)
                .await?
            {
                let decision: String = v.try_get("decision")?;
                let reasons: String = v.try_get("reasons")?;
                rec.verdict = Some(VerdictRecord {
                    verdict: Verdict {
                        decision: Decision::parse(&decision)
                            .ok_or_else(|| StoreError::Malformed(format!("decision {decision:?}")))?,
                        reasons: serde_json::from_str::<Vec<Reason>>(&reasons)?,
                        policy_version: v.try_get("policy_version")?,
                    },
                    decided_at: v.try_get("decided_at")?,
                });
            }
            let rows = sqlx::query(
                "SELECT detector, code, score, message, evidence FROM findings WHERE upload_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(&self.db.pool)
            .await?;
            rec.findings = rows
                .iter()
                .map(|f| {
                    let evidence: String = f.try_get("evidence")?;
                    let score: f64 = f.try_get("score")?;
                    Ok(Finding {
                        detector: f.try_get("detector")?,
                        code: f.try_get("code")?,
                        score: score as f32,
                        message: f.try_get("message")?,
                        evidence: serde_json::from_str(&evidence)?,
                    })
                })
                .collect::<Result<_>>()?;
            rec.review = self.human_decision(id).await?;
        }
        Ok(Some(rec))
    }

    /// Number of verdicts recorded for an upload (exactly-once checks).
    pub async fn verdict_count(&self, upload_id: &str) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM verdicts WHERE upload_id = $1")
            .bind(upload_id)
            .fetch_one(&self.db.pool)
            .await?;
        Ok(n)
    }

    /// Uploads by state, for the operator's view.
    pub async fn upload_counts(&self) -> Result<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM uploads GROUP BY state ORDER BY state")
                .fetch_all(&self.db.pool)
                .await?;
        Ok(rows)
    }
}

fn upload_from_row(r: &AnyRow) -> Result<UploadRecord> {
    let state: String = r.try_get("state")?;
    let opt_u32 = |col: &str| -> Result<Option<u32>> {
        Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v as u32))
    };
    Ok(UploadRecord {
        meta: UploadMeta {
            id: r.try_get("id")?,
            tenant: r.try_get("tenant")?,
            contributor_id: r.try_get("contributor_id")?,
            contributor_name: r.try_get("contributor_name")?,
            device_id: r.try_get("device_id")?,
            device_make: r.try_get("device_make")?,
            device_model: r.try_get("device_model")?,
            client_ip: r.try_get("client_ip")?,
            payout_hash: r.try_get("payout_hash")?,
            task_id: r.try_get("task_id")?,
            declared_capture_at: r.try_get("declared_capture_at")?,
            file_name: r.try_get("file_name")?,
            claimed_type: r.try_get("claimed_type")?,
            sha256: r.try_get("sha256")?,
            size_bytes: r.try_get::<i64, _>("size_bytes")? as u64,
            created_at: r.try_get("created_at")?,
        },
        blob_key: r.try_get("blob_key")?,
        api_client_id: r.try_get("api_client_id")?,
        state: UploadState::parse(&state)
            .ok_or_else(|| StoreError::Malformed(format!("state {state:?}")))?,
        media: MediaSummary {
            media_type: r.try_get("media_type")?,
            width: opt_u32("width")?,
            height: opt_u32("height")?,
            duration_ms: r
                .try_get::<Option<i64>, _>("duration_ms")?
                .map(|v| v as u64),
            pages: opt_u32("pages")?,
        },
        verdict: None,
        findings: Vec::new(),
        review: None,
    })
}
