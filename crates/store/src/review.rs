//! The human-review queue: items leased to one reviewer at a time, their
//! decisions (undoable for a short window), and second opinions.
//!
//! Items are created in the verdict's own transaction (see
//! [`Store::record_verdict`]), so a `review` verdict never lacks its item.
//! Fetching the next item leases it exactly as jobs are leased: one
//! statement, `FOR UPDATE SKIP LOCKED` on Postgres, serialised on SQLite;
//! two reviewers asking at once get different items.

use std::time::Duration;

use sqlx::Row;

use bonafide_core::Decision;

use crate::{
    Backend, HumanDecision, ItemState, Job, Result, ReviewOrigin, Store, StoreError,
    audit::AuditEntry, now_ms,
};

/// What the engine asks to queue with a verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReviewItem {
    /// Why.
    pub origin: ReviewOrigin,
    /// The verdict's leading reason code.
    pub reason: String,
    /// The upload's task, if any.
    pub task_id: Option<String>,
    /// The machine's decision (`review`, or the sampled accept/reject).
    pub machine_decision: Decision,
    /// 0–1: higher is looked at sooner.
    pub risk: f64,
    /// How long until the item is overdue.
    pub sla: Duration,
}

/// An item in the queue.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewItem {
    /// Item id.
    pub id: i64,
    /// The upload to look at.
    pub upload_id: String,
    /// Why it is queued.
    pub origin: ReviewOrigin,
    /// The verdict's leading reason code.
    pub reason: String,
    /// The upload's task.
    pub task_id: Option<String>,
    /// What the machine decided.
    pub machine_decision: Decision,
    /// 0–1.
    pub risk: f64,
    /// Open or decided.
    pub state: ItemState,
    /// Who holds it, while leased.
    pub lease_owner: Option<String>,
    /// Until when (Unix ms).
    pub lease_until: Option<i64>,
    /// For a second opinion, the first item.
    pub first_item: Option<i64>,
    /// Queued at (Unix ms).
    pub created_at: i64,
    /// Overdue from (Unix ms).
    pub due_at: i64,
    /// Decided at (Unix ms).
    pub decided_at: Option<i64>,
}

/// A reviewer's decision on an item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReviewDecision {
    /// Decision id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// Its upload.
    pub upload_id: String,
    /// Who decided.
    pub reviewer: String,
    /// Accept or reject.
    pub decision: HumanDecision,
    /// For a reject, the reason picked (a finding code or a reviewer's
    /// reason such as `off_task`).
    pub reason_code: Option<String>,
    /// Free text.
    pub note: String,
    /// When (Unix ms).
    pub created_at: i64,
    /// When it was undone, if it was.
    pub undone_at: Option<i64>,
    /// When its feedback (banks, exemplars) was applied.
    pub applied_at: Option<i64>,
}

/// Which open items a reviewer wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only items with this leading reason.
    pub reason: Option<String>,
    /// Only items of this task.
    pub task_id: Option<String>,
}

/// How a decision is made and followed up.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionPolicy {
    /// How long the reviewer may undo it; feedback waits this long.
    pub undo_window: Duration,
    /// Whether this decision also gets a second reviewer.
    pub second_opinion: bool,
    /// The second opinion's SLA.
    pub sla: Duration,
}

/// Why a reviewer's action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefusal {
    /// No such item or decision.
    #[error("no such item")]
    NotFound,
    /// The item is decided, or leased to someone else.
    #[error("the item is not leased to you (decided, or another reviewer holds it)")]
    NotHeld,
    /// The undo window has passed, or the decision is not the caller's.
    #[error("the decision can no longer be undone")]
    TooLate,
}

const COLUMNS: &str = "id, upload_id, origin, reason, task_id, machine_decision, risk, state, \
    lease_owner, lease_until, first_item, created_at, due_at, decided_at";

const DECISION_COLUMNS: &str = "id, item_id, upload_id, reviewer, decision, reason_code, note, created_at, undone_at, applied_at";

/// One point of risk per day waited: an old low-risk item eventually
/// overtakes a fresh high-risk one.
const AGE_MS_PER_RISK: f64 = 86_400_000.0;

fn claim_sql(backend: Backend) -> String {
    let lock = match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    format!(
        "UPDATE review_items SET lease_owner = $1, lease_until = $2 WHERE id = (\
         SELECT id FROM review_items i WHERE state = 'open' \
         AND (lease_until IS NULL OR lease_until < $3 OR lease_owner = $1) \
         AND (not_reviewer IS NULL OR not_reviewer <> $1) \
         AND NOT EXISTS (SELECT 1 FROM review_skips s WHERE s.item_id = i.id AND s.reviewer = $1) \
         AND ($4 = '' OR reason = $4) AND ($5 = '' OR task_id = $5) \
         ORDER BY CASE WHEN lease_owner = $1 AND lease_until >= $3 THEN 0 ELSE 1 END, \
         risk + ($3 - created_at) / {AGE_MS_PER_RISK:.1} DESC, id LIMIT 1{lock}) \
         RETURNING {COLUMNS}"
    )
}

fn item(r: &sqlx::any::AnyRow) -> Result<ReviewItem> {
    let origin: String = r.try_get("origin")?;
    let machine: String = r.try_get("machine_decision")?;
    let state: String = r.try_get("state")?;
    Ok(ReviewItem {
        id: r.try_get("id")?,
        upload_id: r.try_get("upload_id")?,
        origin: ReviewOrigin::parse(&origin)
            .ok_or_else(|| StoreError::Malformed(format!("review origin {origin:?}")))?,
        reason: r.try_get("reason")?,
        task_id: r.try_get("task_id")?,
        machine_decision: Decision::parse(&machine)
            .ok_or_else(|| StoreError::Malformed(format!("machine decision {machine:?}")))?,
        risk: r.try_get("risk")?,
        state: ItemState::parse(&state)
            .ok_or_else(|| StoreError::Malformed(format!("review item state {state:?}")))?,
        lease_owner: r.try_get("lease_owner")?,
        lease_until: r.try_get("lease_until")?,
        first_item: r.try_get("first_item")?,
        created_at: r.try_get("created_at")?,
        due_at: r.try_get("due_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

fn decision(r: &sqlx::any::AnyRow) -> Result<ReviewDecision> {
    let decision: String = r.try_get("decision")?;
    Ok(ReviewDecision {
        id: r.try_get("id")?,
        item_id: r.try_get("item_id")?,
        upload_id: r.try_get("upload_id")?,
        reviewer: r.try_get("reviewer")?,
        decision: HumanDecision::parse(&decision)
            .ok_or_else(|| StoreError::Malformed(format!("review decision {decision:?}")))?,
        reason_code: r.try_get("reason_code")?,
        note: r.try_get("note")?,
        created_at: r.try_get("created_at")?,
        undone_at: r.try_get("undone_at")?,
        applied_at: r.try_get("applied_at")?,
    })
}

impl Store {
    /// Queues an item inside the verdict's transaction; an upload is queued
    /// once per origin.
    pub(crate) async fn queue_review_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        upload_id: &str,
        new: &NewReviewItem,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO review_items (upload_id, origin, reason, task_id, machine_decision, risk, state, \
             created_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) \
             ON CONFLICT (upload_id, origin) DO NOTHING",
        )
        .bind(upload_id)
        .bind(new.origin.as_str())
        .bind(&new.reason)
        .bind(&new.task_id)
        .bind(new.machine_decision.as_str())
        .bind(new.risk)
        .bind(now)
        .bind(now + new.sla.as_millis() as i64)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Leases the most urgent open item `reviewer` may take (the one they
    /// already hold first), or `None` when the queue is empty for them.
    pub async fn next_review_item(
        &self,
        reviewer: &str,
        filter: &QueueFilter,
        lease: Duration,
    ) -> Result<Option<ReviewItem>> {
        let now = now_ms();
        let row = sqlx::query(sqlx::AssertSqlSafe(claim_sql(self.db.backend)))
            .bind(reviewer)
            .bind(now + lease.as_millis() as i64)
            .bind(now)
            .bind(filter.reason.as_deref().unwrap_or(""))
            .bind(filter.task_id.as_deref().unwrap_or(""))
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(item).transpose()
    }

    /// One item.
    pub async fn review_item(&self, id: i64) -> Result<Option<ReviewItem>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM review_items WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?;
        row.as_ref().map(item).transpose()
    }

    /// Items in `state` (`open` or `decided`), most urgent (open) or most
    /// recent (decided) first.
    pub async fn review_items(
        &self,
        state: &str,
        filter: &QueueFilter,
        limit: i64,
    ) -> Result<Vec<ReviewItem>> {
        let order = if state == "open" {
            format!(
                "risk + ({} - created_at) / {AGE_MS_PER_RISK:.1} DESC, id",
                now_ms()
            )
        } else {
            "decided_at DESC, id DESC".to_owned()
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM review_items WHERE state = $1 \
             AND ($2 = '' OR reason = $2) AND ($3 = '' OR task_id = $3) ORDER BY {order} LIMIT $4"
        )))
        .bind(state)
        .bind(filter.reason.as_deref().unwrap_or(""))
        .bind(filter.task_id.as_deref().unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(item).collect()
    }

    /// Open items per queue: `(reason, task, count, overdue)`.
    pub async fn review_queues(&self) -> Result<Vec<(String, Option<String>, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT reason, task_id, COUNT(*) AS n, \
             SUM(CASE WHEN due_at < $1 THEN 1 ELSE 0 END) AS overdue \
             FROM review_items WHERE state = 'open' GROUP BY reason, task_id ORDER BY n DESC, reason",
        )
        .bind(now_ms())
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("reason")?,
                    r.try_get("task_id")?,
                    r.try_get("n")?,
                    r.try_get::<Option<i64>, _>("overdue")?.unwrap_or(0),
                ))
            })
            .collect()
    }

    /// Records `reviewer`'s decision on an item they hold: the item is
    /// closed, the decision audited, its feedback queued to run after the
    /// undo window, and — when asked — a second opinion queued.
    pub async fn decide_review_item(
        &self,
        item_id: i64,
        reviewer: &str,
        call: HumanDecision,
        reason_code: Option<&str>,
        note: &str,
        policy: &DecisionPolicy,
    ) -> Result<Result<ReviewDecision, ReviewRefusal>> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        let held = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE review_items SET state = 'decided', decided_at = $1 WHERE id = $2 AND state = 'open' \
             AND lease_owner = $3 AND lease_until >= $1 RETURNING {COLUMNS}"
        )))
        .bind(now)
        .bind(item_id)
        .bind(reviewer)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(held) = held else {
            let exists = sqlx::query("SELECT id FROM review_items WHERE id = $1")
                .bind(item_id)
                .fetch_optional(&mut *tx)
                .await?;
            return Ok(Err(if exists.is_some() {
                ReviewRefusal::NotHeld
            } else {
                ReviewRefusal::NotFound
            }));
        };
        let held = item(&held)?;
        let verdict = call.as_str();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO review_decisions (item_id, upload_id, reviewer, decision, reason_code, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {DECISION_COLUMNS}"
        )))
        .bind(item_id)
        .bind(&held.upload_id)
        .bind(reviewer)
        .bind(verdict)
        .bind(reason_code)
        .bind(note)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let decided = decision(&row)?;
        Self::audit_in(
            &mut tx,
            &AuditEntry {
                actor: reviewer.to_owned(),
                action: "review.decide".into(),
                subject: format!("upload {}", held.upload_id),
                before: serde_json::json!({"item": item_id, "origin": held.origin, "machine_decision": held.machine_decision}),
                after: serde_json::json!({"decision": verdict, "reason_code": reason_code, "note": note}),
            },
            now,
        )
        .await?;
        Self::enqueue_at_in(
            &mut tx,
            &Job::ReviewFeedback {
                decision_id: decided.id,
            },
            now + policy.undo_window.as_millis() as i64,
            now,
        )
        .await?;
        if policy.second_opinion && held.origin != ReviewOrigin::Second {
            sqlx::query(
                "INSERT INTO review_items (upload_id, origin, reason, task_id, machine_decision, risk, state, \
                 not_reviewer, first_item, created_at, due_at) \
                 VALUES ($1, 'second', $2, $3, $4, $5, 'open', $6, $7, $8, $9) \
                 ON CONFLICT (upload_id, origin) DO NOTHING",
            )
            .bind(&held.upload_id)
            .bind(&held.reason)
            .bind(&held.task_id)
            .bind(held.machine_decision.as_str())
            .bind(held.risk)
            .bind(reviewer)
            .bind(item_id)
            .bind(now)
            .bind(now + policy.sla.as_millis() as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Ok(decided))
    }

    /// Undoes `reviewer`'s own decision within `window`: the item is open
    /// and leased to them again, an untaken second opinion is withdrawn,
    /// and the queued feedback finds the decision undone.
    pub async fn undo_review_decision(
        &self,
        decision_id: i64,
        reviewer: &str,
        window: Duration,
        lease: Duration,
    ) -> Result<Result<ReviewItem, ReviewRefusal>> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        let undone = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE review_decisions SET undone_at = $1 WHERE id = $2 AND reviewer = $3 \
             AND undone_at IS NULL AND applied_at IS NULL AND created_at >= $4 RETURNING {DECISION_COLUMNS}"
        )))
        .bind(now)
        .bind(decision_id)
        .bind(reviewer)
        .bind(now - window.as_millis() as i64)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(undone) = undone else {
            let exists = sqlx::query("SELECT id FROM review_decisions WHERE id = $1")
                .bind(decision_id)
                .fetch_optional(&mut *tx)
                .await?;
            return Ok(Err(if exists.is_some() {
                ReviewRefusal::TooLate
            } else {
                ReviewRefusal::NotFound
            }));
        };
        let undone = decision(&undone)?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE review_items SET state = 'open', decided_at = NULL, lease_owner = $1, lease_until = $2 \
             WHERE id = $3 RETURNING {COLUMNS}"
        )))
        .bind(reviewer)
        .bind(now + lease.as_millis() as i64)
        .bind(undone.item_id)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM review_items WHERE first_item = $1 AND state = 'open' \
             AND (lease_until IS NULL OR lease_until < $2)",
        )
        .bind(undone.item_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        Self::audit_in(
            &mut tx,
            &AuditEntry {
                actor: reviewer.to_owned(),
                action: "review.undo".into(),
                subject: format!("upload {}", undone.upload_id),
                before: serde_json::json!({"decision": undone.decision, "reason_code": undone.reason_code}),
                after: serde_json::Value::Null,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(item(&row)?))
    }

    /// Skips an item: the lease is released and the item is not offered to
    /// `reviewer` again.
    pub async fn skip_review_item(
        &self,
        item_id: i64,
        reviewer: &str,
    ) -> Result<Result<(), ReviewRefusal>> {
        let mut tx = self.db.pool.begin().await?;
        let released = sqlx::query(
            "UPDATE review_items SET lease_owner = NULL, lease_until = NULL \
             WHERE id = $1 AND state = 'open' AND lease_owner = $2",
        )
        .bind(item_id)
        .bind(reviewer)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if released == 0 {
            return Ok(Err(ReviewRefusal::NotHeld));
        }
        sqlx::query(
            "INSERT INTO review_skips (item_id, reviewer) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(item_id)
        .bind(reviewer)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// One decision.
    pub async fn review_decision(&self, id: i64) -> Result<Option<ReviewDecision>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DECISION_COLUMNS} FROM review_decisions WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?;
        row.as_ref().map(decision).transpose()
    }

    /// The standing (not undone) decisions on an upload, oldest first.
    pub async fn review_decisions_of(&self, upload_id: &str) -> Result<Vec<ReviewDecision>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DECISION_COLUMNS} FROM review_decisions WHERE upload_id = $1 AND undone_at IS NULL ORDER BY id"
        )))
        .bind(upload_id)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(decision).collect()
    }

    /// The standing decision of the upload's first reviewer (review or QA
    /// item, not a second opinion), once its undo window has passed.
    pub(crate) async fn human_decision(&self, upload_id: &str) -> Result<Option<ReviewDecision>> {
        let row = sqlx::query(
            "SELECT d.id, d.item_id, d.upload_id, d.reviewer, d.decision, d.reason_code, d.note, d.created_at, \
             d.undone_at, d.applied_at FROM review_decisions d JOIN review_items i ON i.id = d.item_id \
             WHERE d.upload_id = $1 AND d.undone_at IS NULL AND d.applied_at IS NOT NULL \
             AND i.origin <> 'second' ORDER BY d.id DESC LIMIT 1",
        )
        .bind(upload_id)
        .fetch_optional(&self.db.pool)
        .await?;
        row.as_ref().map(decision).transpose()
    }

    /// Marks a decision's feedback applied (the feedback job, after the
    /// undo window): from now on it is final and shown with the upload,
    /// and the upload's client is told by webhook. `false` if it was
    /// undone meanwhile.
    pub async fn mark_feedback_applied(&self, decision_id: i64) -> Result<bool> {
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        let applied = sqlx::query(
            "UPDATE review_decisions SET applied_at = $1 WHERE id = $2 AND undone_at IS NULL \
             AND applied_at IS NULL RETURNING upload_id",
        )
        .bind(now)
        .bind(decision_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(applied) = applied else {
            let standing: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM review_decisions WHERE id = $1 AND undone_at IS NULL",
            )
            .bind(decision_id)
            .fetch_optional(&mut *tx)
            .await?;
            // Applied by an earlier attempt of the same job: carry on.
            return Ok(standing.is_some());
        };
        let upload_id: String = applied.try_get("upload_id")?;
        let client: Option<(Option<String>, String)> = sqlx::query_as(
            "SELECT u.api_client_id, i.origin FROM uploads u \
             JOIN review_decisions d ON d.upload_id = u.id JOIN review_items i ON i.id = d.item_id \
             WHERE d.id = $1",
        )
        .bind(decision_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((Some(client_id), origin)) = client
            && origin != ReviewOrigin::Second.as_str()
        {
            Self::notify_client_in(&mut tx, &client_id, &upload_id, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
