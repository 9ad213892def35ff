//! A task's example uploads, positive or negative, with their embeddings.

use bonafide_core::{ExemplarLabel, TaskExemplar};
use sqlx::Row;

use crate::{Result, Store, StoreError, now_ms};

impl Store {
    /// Marks an upload as an example of what answers to `task_id` should
    /// (`Positive`) or must not (`Negative`) look like. The upload must be a
    /// screened photo with an embedding of `model`.
    pub async fn put_exemplar(
        &self,
        task_id: &str,
        upload_id: &str,
        label: ExemplarLabel,
        model: &str,
    ) -> Result<()> {
        let embedded: Option<(i64,)> =
            sqlx::query_as("SELECT seq FROM image_embeddings WHERE upload_id = $1 AND model = $2")
                .bind(upload_id)
                .bind(model)
                .fetch_optional(&self.db.pool)
                .await?;
        if embedded.is_none() {
            return Err(StoreError::NotEmbedded(upload_id.to_owned()));
        }
        sqlx::query(
            "INSERT INTO task_exemplars (task_id, upload_id, label, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (task_id, upload_id) DO UPDATE SET label = excluded.label",
        )
        .bind(task_id)
        .bind(upload_id)
        .bind(label.as_str())
        .bind(now_ms())
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// Removes an exemplar; whether there was one.
    pub async fn delete_exemplar(&self, task_id: &str, upload_id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM task_exemplars WHERE task_id = $1 AND upload_id = $2")
            .bind(task_id)
            .bind(upload_id)
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A task's exemplars with their embeddings of `model`, oldest first.
    pub async fn exemplars(&self, task_id: &str, model: &str) -> Result<Vec<TaskExemplar>> {
        let sql = format!(
            "SELECT x.upload_id, x.label, {} AS embedding FROM task_exemplars x \
             JOIN image_embeddings e ON e.upload_id = x.upload_id AND e.model = $2 \
             WHERE x.task_id = $1 ORDER BY x.created_at, x.upload_id",
            self.vector_column()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(task_id)
            .bind(model)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let label: String = r.try_get("label")?;
                Ok(TaskExemplar {
                    upload_id: r.try_get("upload_id")?,
                    label: ExemplarLabel::parse(&label).ok_or_else(|| {
                        StoreError::Malformed(format!("exemplar label {label:?}"))
                    })?,
                    embedding: bonafide_core::Embedding::normalized(self.vector_values(r)?),
                })
            })
            .collect()
    }
}
