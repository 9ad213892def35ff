//! Workers: claim jobs from the queue and run them, renewing their lease
//! while they work; failures are retried with backoff, then dead-lettered.

use std::{panic::AssertUnwindSafe, time::Duration};

use bonafide_store::{ClaimedJob, Job};
use futures::FutureExt;
use tokio::{sync::watch, task::JoinHandle};
use tracing::Instrument;

use crate::{Engine, EngineError, UploadView, metrics::KindLabel};

/// How long a job that met a storage outage waits before it is tried again.
const OUTAGE_RETRY: Duration = Duration::from_secs(2);

/// Running workers; [`Workers::shutdown`] stops them after their current job.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Asks every worker to stop and waits for them to finish their job.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

/// What a panic said, when it said it with a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

impl Engine {
    /// Starts the configured number of workers on the tokio runtime. Zero
    /// starts none: an accept-only `serve` leaves jobs to worker processes.
    pub fn spawn_workers(&self) -> Workers {
        let (stop, rx) = watch::channel(false);
        let handles = (0..self.inner.config.workers)
            .map(|_| {
                let engine = self.clone();
                let mut rx = rx.clone();
                tokio::spawn(async move { engine.worker_loop(&mut rx).await })
            })
            .collect();
        Workers { stop, handles }
    }

    async fn worker_loop(&self, stop: &mut watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.inner.config.poll_ms.max(10));
        while !*stop.borrow() {
            let idle = match self.run_one().await {
                Ok(worked) => !worked,
                Err(e) => {
                    tracing::error!(error = %e, "worker could not reach the job queue");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = self.inner.work.notified() => {}
                    _ = tokio::time::sleep(poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    /// Claims and runs one job. Returns `false` when no job was runnable.
    /// Only a failure to reach the queue is an error; a failed job is
    /// recorded on the job (retry or dead letter).
    pub async fn run_one(&self) -> Result<bool, EngineError> {
        let lease = self.inner.config.lease();
        let Some(job) = self.inner.store.claim_job(lease).await? else {
            return Ok(false);
        };
        let heartbeat = self.heartbeat(&job, lease);
        // One span per job: every log line of a screening carries its upload.
        let span = tracing::info_span!(
            "job",
            id = job.id,
            kind = job.kind.as_str(),
            attempt = job.attempts,
            upload = tracing::field::Empty,
        );
        let work = job.job();
        if let Ok(Job::Screen { upload_id }) = &work {
            span.record("upload", upload_id.as_str());
        }
        let run = async {
            match work? {
                Job::Screen { upload_id } => self.screen_job(&job, &upload_id).await,
                Job::Webhook {
                    client_id,
                    upload_id,
                } => self.deliver_webhook(&job, &client_id, &upload_id).await,
                Job::ReviewFeedback { decision_id } => {
                    self.review_feedback_job(&job, decision_id).await
                }
            }
        };
        // A panic (a parser bug on a hostile file) fails this job like any
        // error; unwinding further would end this worker for good, and the
        // job, retried, would end the others one by one.
        let deadline = Duration::from_secs(self.inner.config.job_deadline_secs.max(1));
        let caught = AssertUnwindSafe(run.instrument(span)).catch_unwind();
        let result = match tokio::time::timeout(deadline, caught).await {
            Ok(finished) => finished
                .unwrap_or_else(|panic| Err(EngineError::Panicked(panic_message(panic.as_ref())))),
            Err(_) => Err(EngineError::Deadline(deadline)),
        };
        heartbeat.abort();
        self.inner.earlier.progressed();
        if let Err(e) = result {
            let kind = KindLabel {
                kind: job.kind.as_str().into(),
            };
            if let Some(outage) = e.outage() {
                tracing::warn!(job = job.id, kind = job.kind.as_str(), ?outage, error = %e, "store unavailable; job put back");
                self.inner.metrics.job_outages.get_or_create(&kind).inc();
                self.inner
                    .store
                    .release_job(&job, &e.to_string(), OUTAGE_RETRY)
                    .await?;
                return Ok(true);
            }
            self.inner.metrics.job_failures.get_or_create(&kind).inc();
            tracing::warn!(job = job.id, kind = job.kind.as_str(), attempt = job.attempts, error = %e, "job failed");
            if self.inner.store.fail_job(&job, &e.to_string()).await? {
                self.inner.metrics.dead_jobs.get_or_create(&kind).inc();
            }
        }
        Ok(true)
    }

    /// Runs jobs until none is runnable; returns how many ran. Used by the
    /// CLI and tests to finish the queue without background workers.
    pub async fn drain(&self) -> Result<usize, EngineError> {
        let mut n = 0;
        while self.run_one().await? {
            n += 1;
        }
        Ok(n)
    }

    fn heartbeat(&self, job: &ClaimedJob, lease: Duration) -> JoinHandle<()> {
        let store = self.inner.store.clone();
        let job = job.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                match store.extend_lease(&job, lease).await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => tracing::warn!(job = job.id, error = %e, "lease renewal failed"),
                }
            }
        })
    }

    async fn deliver_webhook(
        &self,
        job: &ClaimedJob,
        client_id: &str,
        upload_id: &str,
    ) -> Result<(), EngineError> {
        let store = &self.inner.store;
        let client = store.api_client(client_id).await?;
        let upload = store.upload(upload_id).await?;
        let (Some(client), Some(upload)) = (client, upload) else {
            store.complete_job(job).await?;
            return Ok(());
        };
        let (Some(url), Some(secret)) = (&client.webhook_url, &client.webhook_secret) else {
            store.complete_job(job).await?;
            return Ok(());
        };
        // The receiver is an ingest client: no reviewer's name.
        let view = self.client_view(UploadView::from(upload)).await?;
        let body = serde_json::to_vec(&view).map_err(bonafide_store::StoreError::from)?;
        self.inner.webhooks.deliver(url, secret, body).await?;
        store.complete_job(job).await?;
        Ok(())
    }
}
