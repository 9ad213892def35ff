//! Human review, the engine's half: which verdicts are queued (every
//! `review`, a sample of automatic decisions), reviewers' actions with the
//! configured leases and windows, and the feedback a decision gives the
//! machine once its undo window has passed — a reject puts the photo in
//! the `rejected` bank, and a decision on a task teaches that task.

use std::time::Duration;

use bonafide_core::{Decision, ExemplarLabel, Verdict};
use bonafide_store::{
    AuditEntry, ClaimedJob, DecisionPolicy, HumanDecision, NewReviewItem, QueueFilter,
    ReviewDecision, ReviewItem, ReviewOrigin, ReviewRefusal, StoreError, UploadRecord,
};
use serde::{Deserialize, Serialize};

use bonafide_ingest::IngestError;

use crate::{Engine, EngineError, rejected_bank::Rejected};

/// How the review queue is fed and worked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewConfig {
    /// Share of automatic accepts and rejects also queued for a person
    /// (quality control of the machine).
    pub qa_rate: f64,
    /// Share of reviewers' decisions given to a second reviewer.
    pub second_opinion_rate: f64,
    /// How long an item stays with the reviewer who fetched it.
    pub lease_secs: u64,
    /// How long a reviewer may undo a decision; its feedback waits this long.
    pub undo_secs: u64,
    /// Hours until a queued item is overdue.
    pub sla_hours: u64,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        Self {
            qa_rate: 0.01,
            second_opinion_rate: 0.05,
            lease_secs: 300,
            undo_secs: 10,
            sla_hours: 24,
        }
    }
}

/// Reject reasons a reviewer picks that name no finding code: the task
/// exemplars learn from `off_task`.
pub const OFF_TASK: &str = "off_task";

/// The audit action recording the policy in force.
const POLICY_CHANGE: &str = "policy.change";

/// Whether `key` falls in the sampled `rate` (stable: the same upload is
/// always in or out).
fn sampled(key: &str, rate: f64) -> bool {
    let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (h % 1_000_000) as f64 / 1_000_000.0 < rate
}

impl Engine {
    /// The queue item a verdict calls for, if any.
    pub(crate) fn review_item_for(
        &self,
        rec: &UploadRecord,
        verdict: &Verdict,
    ) -> Option<NewReviewItem> {
        let config = &self.inner.config.review;
        let origin = match verdict.decision {
            Decision::Review => ReviewOrigin::Review,
            _ if sampled(&format!("qa/{}", rec.meta.id), config.qa_rate) => ReviewOrigin::Qa,
            _ => return None,
        };
        let lead = verdict.reasons.first();
        Some(NewReviewItem {
            origin,
            reason: lead.map_or_else(|| "no_findings".to_owned(), |r| r.code.clone()),
            task_id: rec.meta.task_id.clone(),
            machine_decision: verdict.decision,
            risk: lead.map_or(0.0, |r| f64::from(r.score)),
            sla: Duration::from_secs(config.sla_hours * 3600),
        })
    }

    /// Records the policy in force in the audit log when it differs from
    /// the last one recorded (a new default shipped, or an operator's file
    /// changed), with the rules before and after.
    pub async fn record_policy(&self, actor: &str) -> Result<(), EngineError> {
        let store = &self.inner.store;
        let now = serde_json::to_value(&self.inner.policy).map_err(StoreError::from)?;
        let last = store.latest_audit(POLICY_CHANGE).await?;
        if last.as_ref().is_some_and(|l| l.entry.after == now) {
            return Ok(());
        }
        store
            .audit(&AuditEntry {
                actor: actor.to_owned(),
                action: POLICY_CHANGE.into(),
                subject: "policy".into(),
                before: last.map_or(serde_json::Value::Null, |l| l.entry.after),
                after: now,
            })
            .await?;
        Ok(())
    }

    fn review_lease(&self) -> Duration {
        Duration::from_secs(self.inner.config.review.lease_secs.max(1))
    }

    /// Leases `reviewer` the most urgent item they may take.
    pub async fn next_review_item(
        &self,
        reviewer: &str,
        filter: &QueueFilter,
    ) -> Result<Option<ReviewItem>, EngineError> {
        Ok(self
            .inner
            .store
            .next_review_item(reviewer, filter, self.review_lease())
            .await?)
    }

    /// Records a reviewer's decision on an item they hold.
    pub async fn decide_review_item(
        &self,
        item_id: i64,
        reviewer: &str,
        decision: HumanDecision,
        reason_code: Option<&str>,
        note: &str,
    ) -> Result<Result<ReviewDecision, ReviewRefusal>, EngineError> {
        check_decision_text(reason_code, note)?;
        let config = &self.inner.config.review;
        let policy = DecisionPolicy {
            undo_window: Duration::from_secs(config.undo_secs),
            second_opinion: sampled(&format!("second/{item_id}"), config.second_opinion_rate),
            sla: Duration::from_secs(config.sla_hours * 3600),
        };
        let decided = self
            .inner
            .store
            .decide_review_item(item_id, reviewer, decision, reason_code, note, &policy)
            .await?;
        self.inner.work.notify_one();
        Ok(decided)
    }

    /// Undoes a reviewer's own decision within the window.
    pub async fn undo_review_decision(
        &self,
        decision_id: i64,
        reviewer: &str,
    ) -> Result<Result<ReviewItem, ReviewRefusal>, EngineError> {
        let window = Duration::from_secs(self.inner.config.review.undo_secs);
        Ok(self
            .inner
            .store
            .undo_review_decision(decision_id, reviewer, window, self.review_lease())
            .await?)
    }

    /// Applies decision `decision_id`'s feedback (the `review_feedback`
    /// job, due when the undo window closes). Every step is idempotent: a retried job
    /// repeats none of its effects.
    pub(crate) async fn review_feedback_job(
        &self,
        job: &ClaimedJob,
        decision_id: i64,
    ) -> Result<(), EngineError> {
        let store = &self.inner.store;
        let decision = store.review_decision(decision_id).await?;
        let Some(d) = decision.filter(|d| d.undone_at.is_none()) else {
            store.complete_job(job).await?;
            return Ok(());
        };
        if !store.mark_feedback_applied(d.id).await? {
            store.complete_job(job).await?;
            return Ok(());
        }
        if d.decision == HumanDecision::Reject {
            self.remember_reviewed_reject(&d).await?;
        }
        self.teach_task(&d).await?;
        store.complete_job(job).await?;
        Ok(())
    }

    /// A reviewer's reject puts the photo in its tenant's rejected bank,
    /// so its later copies are rejected without a person; the audit log
    /// says who.
    async fn remember_reviewed_reject(&self, d: &ReviewDecision) -> Result<(), EngineError> {
        let store = &self.inner.store;
        let Some(pdq) = store.image_hash_of(&d.upload_id).await? else {
            return Ok(());
        };
        let Some(upload) = store.upload(&d.upload_id).await? else {
            return Ok(());
        };
        let remembered = self
            .remember_rejected(Rejected {
                upload_id: &d.upload_id,
                tenant: &upload.meta.tenant,
                pdq,
                why: format!(
                    "rejected by a reviewer: {}",
                    d.reason_code.as_deref().unwrap_or("no reason given")
                ),
            })
            .await?;
        if let Some(entry) = remembered {
            store
                .audit(&AuditEntry {
                    actor: d.reviewer.clone(),
                    action: "bank.add".into(),
                    subject: format!("bank {}", entry.bank),
                    before: serde_json::Value::Null,
                    after: serde_json::json!({"pdq": hex::encode(entry.pdq), "source": entry.source, "licence": entry.licence, "decision": d.id}),
                })
                .await?;
        }
        Ok(())
    }

    /// A decision on a task's upload that corrects the task-content check
    /// becomes one of the task's exemplars: accepted despite a task
    /// finding → positive; rejected as off task → negative.
    async fn teach_task(&self, d: &ReviewDecision) -> Result<(), EngineError> {
        let store = &self.inner.store;
        let Some(item) = store.review_item(d.item_id).await? else {
            return Ok(());
        };
        let Some(task_id) = item.task_id else {
            return Ok(());
        };
        let label = if d.decision == HumanDecision::Accept && item.reason.starts_with("task.") {
            ExemplarLabel::Positive
        } else if d.decision == HumanDecision::Reject && d.reason_code.as_deref() == Some(OFF_TASK)
        {
            ExemplarLabel::Negative
        } else {
            return Ok(());
        };
        match store
            .put_exemplar(
                &task_id,
                &d.upload_id,
                label,
                bonafide_models::ClipImageEncoder::FILE,
            )
            .await
        {
            // Not a photo, or screened without the model: nothing to learn.
            Err(StoreError::NotEmbedded(_)) => return Ok(()),
            other => other?,
        }
        store
            .audit(&AuditEntry {
                actor: d.reviewer.clone(),
                action: "task.exemplar".into(),
                subject: format!("task {task_id}"),
                before: serde_json::Value::Null,
                after: serde_json::json!({"upload": d.upload_id, "label": label.as_str(), "decision": d.id}),
            })
            .await?;
        Ok(())
    }
}

/// Longest reason code a decision may carry (finding codes are short).
const REASON_CODE_MAX: usize = 64;
/// Longest note a decision may carry.
const NOTE_MAX: usize = 2000;

/// A decision's reason code is a code (`a-z`, `0-9`, `.`, `_`, `-`), its
/// note short text: both go into the audit log, the UI and webhooks.
fn check_decision_text(reason_code: Option<&str>, note: &str) -> Result<(), IngestError> {
    if let Some(code) = reason_code
        && (code.len() > REASON_CODE_MAX
            || !code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)))
    {
        return Err(IngestError::InvalidField {
            field: "reason_code",
            reason: format!("must be at most {REASON_CODE_MAX} of a-z, 0-9, `.`, `_`, `-`"),
        });
    }
    if note.len() > NOTE_MAX || note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(IngestError::InvalidField {
            field: "note",
            reason: format!("must be at most {NOTE_MAX} bytes without control characters"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_is_stable_and_near_its_rate() {
        let hits = (0..10_000)
            .filter(|i| sampled(&format!("qa/{i}"), 0.1))
            .count();
        assert!((900..1100).contains(&hits), "{hits}");
        assert_eq!(sampled("qa/x", 0.5), sampled("qa/x", 0.5));
        assert!(!sampled("qa/x", 0.0));
        assert!(sampled("qa/x", 1.0));
    }
}
