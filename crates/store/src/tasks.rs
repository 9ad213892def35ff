//! Tasks contributors answer.

use bonafide_core::{MediaKind, Task};
use sqlx::Row;

use crate::{Result, Store, StoreError, now_ms};

/// Longest task title (shown in every review item and message).
const TITLE_MAX: usize = 200;
/// Longest task instructions (matched against every answer).
const INSTRUCTIONS_MAX: usize = 8000;

impl Store {
    /// Creates or replaces a task.
    pub async fn put_task(&self, task: &Task) -> Result<()> {
        if task.id.is_empty() || task.id.len() > 128 || task.title.trim().is_empty() {
            return Err(StoreError::Config(
                "a task needs an id (1-128 chars) and a title".into(),
            ));
        }
        if task.title.len() > TITLE_MAX || task.instructions.len() > INSTRUCTIONS_MAX {
            return Err(StoreError::Config(format!(
                "a task's title may hold {TITLE_MAX} bytes and its instructions {INSTRUCTIONS_MAX}"
            )));
        }
        let now = now_ms();
        sqlx::query(
            "INSERT INTO tasks (id, title, instructions, allowed_kinds, requirements, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, instructions = excluded.instructions, \
             allowed_kinds = excluded.allowed_kinds, requirements = excluded.requirements, \
             updated_at = excluded.updated_at",
        )
        .bind(&task.id)
        .bind(&task.title)
        .bind(&task.instructions)
        .bind(serde_json::to_string(&task.allowed_kinds)?)
        .bind(serde_json::to_string(&task.requirements)?)
        .bind(now)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// A task by id.
    pub async fn task(&self, id: &str) -> Result<Option<Task>> {
        let Some(r) = sqlx::query(
            "SELECT id, title, instructions, allowed_kinds, requirements FROM tasks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await?
        else {
            return Ok(None);
        };
        let kinds: String = r.try_get("allowed_kinds")?;
        let req: String = r.try_get("requirements")?;
        Ok(Some(Task {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            instructions: r.try_get("instructions")?,
            allowed_kinds: serde_json::from_str::<Vec<MediaKind>>(&kinds)?,
            requirements: serde_json::from_str(&req)?,
        }))
    }
}
