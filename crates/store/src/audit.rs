//! The audit log: who did what to which subject, with the state before and
//! after. Rows are only ever inserted; nothing updates or deletes them.

use sqlx::Row;

use crate::{Result, Store, now_ms};

/// One thing someone did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    /// A reviewer, an API client (`client:{id}`), `system`, or `anonymous`
    /// (a failed login).
    pub actor: String,
    /// Dotted name: `review.decide`, `review.undo`, `bank.add`, …
    pub action: String,
    /// What it was done to (`upload {id}`, `bank rejected`, …).
    pub subject: String,
    /// The state before (JSON null when there was none).
    pub before: serde_json::Value,
    /// The state after.
    pub after: serde_json::Value,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditRecord {
    /// Position in the log.
    pub seq: i64,
    /// When (Unix ms).
    pub at: i64,
    /// What.
    #[serde(flatten)]
    pub entry: AuditEntry,
}

impl Store {
    /// Appends inside an open transaction, so the entry commits with the
    /// change it describes.
    pub(crate) async fn audit_in(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        entry: &AuditEntry,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.subject)
        .bind(entry.before.to_string())
        .bind(entry.after.to_string())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Appends one entry on its own.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<()> {
        let mut tx = self.db.pool.begin().await?;
        Self::audit_in(&mut tx, entry, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest entry with this action, if any.
    pub async fn latest_audit(&self, action: &str) -> Result<Option<AuditRecord>> {
        let row = sqlx::query(
            "SELECT seq, at, actor, action, subject, before, after FROM audit_log WHERE action = $1 \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(action)
        .fetch_optional(&self.db.pool)
        .await?;
        row.as_ref().map(record).transpose()
    }

    /// The latest `limit` entries, newest first.
    pub async fn audit_log_latest(&self, limit: i64) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, before, after FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// Entries after `after`, oldest first, at most `limit`; optionally only
    /// those about `subject`.
    pub async fn audit_log(
        &self,
        after: i64,
        limit: i64,
        subject: Option<&str>,
    ) -> Result<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, before, after FROM audit_log \
             WHERE seq > $1 AND ($2 = '' OR subject = $2) ORDER BY seq LIMIT $3",
        )
        .bind(after)
        .bind(subject.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(record).collect()
    }
}

fn record(r: &sqlx::any::AnyRow) -> Result<AuditRecord> {
    let json = |col: &str| -> Result<serde_json::Value> {
        Ok(serde_json::from_str(&r.try_get::<String, _>(col)?)?)
    };
    Ok(AuditRecord {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        entry: AuditEntry {
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            subject: r.try_get("subject")?,
            before: json("before")?,
            after: json("after")?,
        },
    })
}
