//! The identity graph's event log (see `bonafide-fraud`): appended once per
//! upload and verdict, each under its upload's tenant, read back in order
//! by every process.

use sqlx::Row;

use crate::{Result, Store, now_ms};

/// One event of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    /// Its place in the log.
    pub seq: i64,
    /// The tenant whose graph it belongs to.
    pub tenant: String,
    /// The event (a `bonafide_fraud::GraphEvent`).
    pub event: serde_json::Value,
}

impl Store {
    /// Appends an event of `tenant`'s graph under a unique key; a second
    /// append under the same key (a retried job) is ignored. Returns
    /// whether it was new.
    pub async fn add_graph_event(
        &self,
        key: &str,
        tenant: &str,
        event: &serde_json::Value,
    ) -> Result<bool> {
        let added = sqlx::query(
            "INSERT INTO graph_events (key, tenant, event, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(tenant)
        .bind(event.to_string())
        .bind(now_ms())
        .execute(&self.db.pool)
        .await?
        .rows_affected();
        Ok(added == 1)
    }

    /// Events with `seq` above `after`, in order, at most `limit`.
    pub async fn graph_events_after(&self, after: i64, limit: i64) -> Result<Vec<LoggedEvent>> {
        let rows = sqlx::query(
            "SELECT seq, tenant, event FROM graph_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("event")?;
                Ok(LoggedEvent {
                    seq: r.try_get("seq")?,
                    tenant: r.try_get("tenant")?,
                    event: serde_json::from_str(&text)?,
                })
            })
            .collect()
    }
}
