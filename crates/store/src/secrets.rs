//! Secrets a deployment makes for itself: random on first use, stored in
//! the database so every process of the deployment shares them.

use rand::RngCore;
use sqlx::Row;

use crate::{Result, Store, StoreError, now_ms};

impl Store {
    /// The secret named `name` (32 random bytes), made on first use. Two
    /// processes asking at once get the same one: the first insert wins.
    pub async fn server_secret(&self, name: &str) -> Result<Vec<u8>> {
        let mut fresh = [0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        sqlx::query(
            "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(hex::encode(fresh))
        .bind(now_ms())
        .execute(&self.db.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.db.pool)
            .await?;
        let value: String = row.try_get("value")?;
        hex::decode(&value).map_err(|e| StoreError::Malformed(format!("secret {name}: {e}")))
    }
}
