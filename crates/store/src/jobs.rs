//! The durable job queue: a table, leases and retries.
//!
//! A worker *claims* the oldest runnable job — queued and due, or running
//! with a lapsed lease — by setting a fresh lease and token in one
//! statement. Postgres adds `FOR UPDATE SKIP LOCKED` so concurrent workers
//! never wait on each other; SQLite serialises writers, so the plain
//! statement is already atomic. A job is finished by deleting it under its
//! token in the same transaction as its effect; a worker that was killed
//! simply lets its lease lapse.

use std::time::Duration;

use sqlx::Row;

use crate::{Backend, Result, Store, StoreError, now_ms};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Screen an upload (payload: upload id).
    Screen,
    /// Deliver a verdict to a client's webhook (payload: JSON).
    Webhook,
    /// Apply a reviewer's decision to banks and tasks once its undo window
    /// has passed (payload: decision id).
    ReviewFeedback,
}

impl JobKind {
    /// Stable name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Screen => "screen",
            Self::Webhook => "webhook",
            Self::ReviewFeedback => "review_feedback",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "screen" => Some(Self::Screen),
            "webhook" => Some(Self::Webhook),
            "review_feedback" => Some(Self::ReviewFeedback),
            _ => None,
        }
    }

    /// How many times a job of this kind is tried before it is dead-lettered.
    pub fn max_attempts(self) -> i64 {
        match self {
            Self::Screen => 5,
            Self::Webhook => 8,
            Self::ReviewFeedback => 5,
        }
    }
}

/// What a job does, with what it needs: each kind's payload, typed.
///
/// Stored as its [`JobKind`] and a text payload: a screening's is the
/// bare upload id (queries join it to `uploads`), a webhook's a small JSON
/// object, a review feedback's the decision id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Screen an upload.
    Screen {
        /// The upload.
        upload_id: String,
    },
    /// Deliver an upload's state to its client's webhook.
    Webhook {
        /// The client whose webhook gets it.
        client_id: String,
        /// The upload.
        upload_id: String,
    },
    /// Apply a reviewer's decision to banks and tasks.
    ReviewFeedback {
        /// The decision.
        decision_id: i64,
    },
}

/// A webhook job's payload as stored.
#[derive(serde::Serialize, serde::Deserialize)]
struct WebhookPayload {
    client_id: String,
    upload_id: String,
}

impl Job {
    /// Its kind.
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Screen { .. } => JobKind::Screen,
            Self::Webhook { .. } => JobKind::Webhook,
            Self::ReviewFeedback { .. } => JobKind::ReviewFeedback,
        }
    }

    /// The payload as stored.
    fn payload(&self) -> Result<String> {
        Ok(match self {
            Self::Screen { upload_id } => upload_id.clone(),
            Self::Webhook {
                client_id,
                upload_id,
            } => serde_json::to_string(&WebhookPayload {
                client_id: client_id.clone(),
                upload_id: upload_id.clone(),
            })?,
            Self::ReviewFeedback { decision_id } => decision_id.to_string(),
        })
    }

    /// Reads a stored payload of `kind`.
    fn parse(kind: JobKind, payload: &str) -> Result<Self> {
        Ok(match kind {
            JobKind::Screen => Self::Screen {
                upload_id: payload.to_owned(),
            },
            JobKind::Webhook => {
                let p: WebhookPayload = serde_json::from_str(payload)?;
                Self::Webhook {
                    client_id: p.client_id,
                    upload_id: p.upload_id,
                }
            }
            JobKind::ReviewFeedback => Self::ReviewFeedback {
                decision_id: payload.parse().map_err(|_| {
                    StoreError::Malformed(format!("review feedback payload {payload:?}"))
                })?,
            },
        })
    }
}

/// A job this worker holds until `lease_until`.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    /// Job id.
    pub id: i64,
    /// What to do.
    pub kind: JobKind,
    /// Kind-specific payload as stored ([`ClaimedJob::job`] reads it).
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// Proves this worker still holds the lease.
    pub token: String,
}

impl ClaimedJob {
    /// What the job does. A payload that does not read is this job's
    /// error (retried, then dead-lettered), never the queue's.
    pub fn job(&self) -> Result<Job> {
        Job::parse(self.kind, &self.payload)
    }
}

/// A job whose last attempt failed: what an operator reads to see why
/// webhooks or screenings are failing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobError {
    /// Job id.
    pub id: i64,
    /// `screen`, `webhook`, `review_feedback`.
    pub kind: String,
    /// `queued` (to be retried), `running` (being retried) or `dead`.
    pub state: String,
    /// Attempts spent.
    pub attempts: i64,
    /// The last attempt's error.
    pub error: String,
    /// When it was recorded (Unix ms).
    pub at_ms: i64,
}

/// Queue depth by state, for metrics and the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueStats {
    /// Waiting to run (including retries not yet due).
    pub queued: i64,
    /// Held by a worker.
    pub running: i64,
    /// Gave up after the last retry.
    pub dead: i64,
}

const CLAIM_SQLITE: &str = "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, \
     lease_token = $2, updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE \
     ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND lease_until < $3)) \
     ORDER BY run_at, id LIMIT 1) \
     RETURNING id, kind, payload, attempts, max_attempts";

const CLAIM_POSTGRES: &str = "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $1, \
     lease_token = $2, updated_at = $3 WHERE id = (SELECT id FROM jobs WHERE \
     ((state = 'queued' AND run_at <= $3) OR (state = 'running' AND lease_until < $3)) \
     ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, payload, attempts, max_attempts";

/// Delay before retry `attempt` (1-based): 1 s, 2 s, 4 s … capped at 10 min.
pub fn backoff(attempt: i64) -> Duration {
    Duration::from_secs(1u64 << attempt.clamp(1, 20).saturating_sub(1))
        .min(Duration::from_secs(600))
}

impl Store {
    /// Enqueues a job inside an open transaction.
    pub(crate) async fn enqueue_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &Job,
        now: i64,
    ) -> Result<()> {
        Self::enqueue_at_in(tx, job, now, now).await
    }

    /// Enqueues a job due at `run_at` inside an open transaction.
    pub(crate) async fn enqueue_at_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &Job,
        run_at: i64,
        now: i64,
    ) -> Result<()> {
        let kind = job.kind();
        let payload = job.payload()?;
        sqlx::query(
            "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, created_at, updated_at) \
             VALUES ($1, $2, 'queued', 0, $3, $4, $5, $5)",
        )
        .bind(kind.as_str())
        .bind(payload)
        .bind(kind.max_attempts())
        .bind(run_at)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Claims the next runnable job for `lease`, or `None` if there is none.
    /// A job that has used up its attempts is dead-lettered instead of
    /// returned (it was claimed by workers that died each time).
    pub async fn claim_job(&self, lease: Duration) -> Result<Option<ClaimedJob>> {
        loop {
            let now = now_ms();
            let token = uuid::Uuid::now_v7().to_string();
            let sql = match self.db.backend {
                Backend::Sqlite => CLAIM_SQLITE,
                Backend::Postgres => CLAIM_POSTGRES,
            };
            let Some(r) = sqlx::query(sql)
                .bind(now + lease.as_millis() as i64)
                .bind(&token)
                .bind(now)
                .fetch_optional(&self.db.pool)
                .await?
            else {
                return Ok(None);
            };
            let kind: String = r.try_get("kind")?;
            let job = ClaimedJob {
                id: r.try_get("id")?,
                kind: JobKind::parse(&kind)
                    .ok_or_else(|| StoreError::Malformed(format!("job kind {kind:?}")))?,
                payload: r.try_get("payload")?,
                attempts: r.try_get("attempts")?,
                max_attempts: r.try_get("max_attempts")?,
                token,
            };
            if job.attempts <= job.max_attempts {
                return Ok(Some(job));
            }
            self.bury(
                &job,
                "lease expired on every attempt (worker crashed or timed out)",
            )
            .await?;
        }
    }

    /// Renews a held lease (a heartbeat for long jobs). Returns `false` if
    /// the lease was already lost to another worker.
    pub async fn extend_lease(&self, job: &ClaimedJob, lease: Duration) -> Result<bool> {
        let now = now_ms();
        let n = sqlx::query(
            "UPDATE jobs SET lease_until = $1, updated_at = $2 WHERE id = $3 AND lease_token = $4",
        )
        .bind(now + lease.as_millis() as i64)
        .bind(now)
        .bind(job.id)
        .bind(&job.token)
        .execute(&self.db.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Finishes a job with no other effect (webhook delivered).
    pub async fn complete_job(&self, job: &ClaimedJob) -> Result<()> {
        let mut tx = self.db.pool.begin().await?;
        Self::delete_job_in(&mut tx, job).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a job under its lease token, inside the transaction that
    /// records its effect. Fails with [`StoreError::LeaseLost`] if another
    /// worker took it over, so the effect is rolled back and never doubled.
    pub(crate) async fn delete_job_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        job: &ClaimedJob,
    ) -> Result<()> {
        let done = sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_token = $2")
            .bind(job.id)
            .bind(&job.token)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::LeaseLost);
        }
        Ok(())
    }

    /// Records a failed attempt: requeue with backoff, or dead-letter after
    /// the last attempt. Returns `true` if the job is now dead.
    pub async fn fail_job(&self, job: &ClaimedJob, error: &str) -> Result<bool> {
        if job.attempts >= job.max_attempts {
            self.bury(job, error).await?;
            return Ok(true);
        }
        self.requeue(job, error, backoff(job.attempts), 0).await?;
        Ok(false)
    }

    /// Puts a job back in the queue after `delay` without spending the
    /// attempt it was claimed with: the store was out (see [`crate::Outage`]),
    /// not the job at fault, so an outage longer than the backoff never
    /// dead-letters it.
    pub async fn release_job(&self, job: &ClaimedJob, error: &str, delay: Duration) -> Result<()> {
        self.requeue(job, error, delay, 1).await
    }

    /// Back to the queue, due after `delay`, under the holder's lease token;
    /// `refund` attempts are given back.
    async fn requeue(
        &self,
        job: &ClaimedJob,
        error: &str,
        delay: Duration,
        refund: i64,
    ) -> Result<()> {
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = attempts - $1, run_at = $2, lease_until = NULL, \
             lease_token = NULL, last_error = $3, updated_at = $4 WHERE id = $5 AND lease_token = $6",
        )
        .bind(refund)
        .bind(now + delay.as_millis() as i64)
        .bind(error)
        .bind(now)
        .bind(job.id)
        .bind(&job.token)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// Dead-letters a job; a dead screening job marks its upload `failed`.
    async fn bury(&self, job: &ClaimedJob, error: &str) -> Result<()> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        sqlx::query(
            "UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = $1, updated_at = $2 \
             WHERE id = $3 AND lease_token = $4",
        )
        .bind(error)
        .bind(now)
        .bind(job.id)
        .bind(&job.token)
        .execute(&mut *tx)
        .await?;
        if job.kind == JobKind::Screen {
            sqlx::query("UPDATE uploads SET state = 'failed', updated_at = $1 WHERE id = $2 AND state <> 'decided'")
                .bind(now)
                .bind(&job.payload)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        tracing::warn!(
            job = job.id,
            kind = job.kind.as_str(),
            error,
            "job dead-lettered"
        );
        Ok(())
    }

    /// Puts dead jobs back in the queue with fresh attempts (an operator's
    /// "retry the dead letters" after fixing the cause). Returns how many.
    pub async fn requeue_dead_jobs(&self) -> Result<u64> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, updated_at = $1 WHERE state = 'dead'",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE uploads SET state = 'received', updated_at = $1 WHERE state = 'failed' \
             AND id IN (SELECT payload FROM jobs WHERE kind = 'screen' AND state = 'queued')",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The `limit` most recent errors of jobs still in the queue (waiting
    /// for a retry, or dead), newest first.
    pub async fn recent_job_errors(&self, limit: i64) -> Result<Vec<JobError>> {
        let rows = sqlx::query(
            "SELECT id, kind, state, attempts, last_error, updated_at FROM jobs \
             WHERE last_error IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(JobError {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    state: r.try_get("state")?,
                    attempts: r.try_get("attempts")?,
                    error: r.try_get("last_error")?,
                    at_ms: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// Queue depth by state.
    pub async fn queue_stats(&self) -> Result<QueueStats> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state")
            .fetch_all(&self.db.pool)
            .await?;
        let mut s = QueueStats::default();
        for r in rows {
            let state: String = r.try_get("state")?;
            let n: i64 = r.try_get("n")?;
            match state.as_str() {
                "queued" => s.queued = n,
                "running" => s.running = n,
                "dead" => s.dead = n,
                _ => {}
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(4), Duration::from_secs(8));
        assert_eq!(backoff(30), Duration::from_secs(600));
    }

    #[test]
    fn payloads_read_back_as_written() {
        let jobs = [
            Job::Screen {
                upload_id: "u1".into(),
            },
            Job::Webhook {
                client_id: "c1".into(),
                upload_id: "u1".into(),
            },
            Job::ReviewFeedback { decision_id: 7 },
        ];
        for job in jobs {
            let payload = job.payload().unwrap();
            assert_eq!(Job::parse(job.kind(), &payload).unwrap(), job);
        }
        // A screening's payload is the bare id: the in-flight query joins it.
        let screen = Job::Screen {
            upload_id: "u1".into(),
        };
        assert_eq!(screen.payload().unwrap(), "u1");
        assert!(Job::parse(JobKind::ReviewFeedback, "seven").is_err());
        assert!(Job::parse(JobKind::Webhook, "{}").is_err());
    }
}
