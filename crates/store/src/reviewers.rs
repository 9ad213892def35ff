//! People who work the review queue in the web UI: accounts with a role,
//! Argon2id password hashes, and login sessions. A session's cookie token
//! is stored only as its SHA-256; its CSRF token guards every form.

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{CredentialChange, Result, Store, StoreError, now_ms};

/// What a reviewer may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewerRole {
    /// Works the queue.
    Reviewer,
    /// Also reads the audit log and the statistics of everyone.
    Admin,
}

impl ReviewerRole {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reviewer => "reviewer",
            Self::Admin => "admin",
        }
    }

    /// Parses [`ReviewerRole::as_str`] output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reviewer" => Some(Self::Reviewer),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A reviewer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    /// Login name.
    pub name: String,
    /// Role.
    pub role: ReviewerRole,
}

/// A reviewer account as an operator lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerEntry {
    /// The account.
    pub reviewer: Reviewer,
    /// When it was created (ms since the epoch).
    pub created_at: i64,
    /// When it was disabled, if it is.
    pub disabled_at: Option<i64>,
    /// Sessions open now.
    pub sessions: i64,
}

/// A logged-in reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerSession {
    /// Who.
    pub reviewer: Reviewer,
    /// The token every form must carry.
    pub csrf_token: String,
}

/// The hash an unknown login name is checked against: of a random
/// password no one knows, made once per process with the same parameters
/// as real ones.
static UNKNOWN_NAME_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes encode");
    Argon2::default()
        .hash_password(random_token().as_bytes(), &salt)
        .expect("Argon2 hashes a 64-byte password")
        .to_string()
});

/// Password checks running at once: half the cores, so a burst of logins
/// (each tens of milliseconds of CPU and 19 MiB) queues here instead of
/// taking every blocking thread and core from screening.
static PASSWORD_CHECKS: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new((cores / 2).max(1))
    });

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

async fn end_sessions_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, name: &str) -> Result<()> {
    sqlx::query("DELETE FROM reviewer_sessions WHERE reviewer = $1")
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn reviewer(r: &sqlx::any::AnyRow) -> Result<Reviewer> {
    let role: String = r.try_get("role")?;
    Ok(Reviewer {
        name: r.try_get("name")?,
        role: ReviewerRole::parse(&role)
            .ok_or_else(|| StoreError::Malformed(format!("reviewer role {role:?}")))?,
    })
}

impl Store {
    /// Creates a reviewer, or resets the role and password of one that
    /// exists (and re-enables it). A reset ends the reviewer's sessions:
    /// whoever held the old password is logged out.
    pub async fn put_reviewer(&self, name: &str, role: ReviewerRole, password: &str) -> Result<()> {
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control() || c == ':') {
            return Err(StoreError::Config(format!(
                "reviewer name {name:?}: 1-64 characters, no ':' or control characters"
            )));
        }
        if password.chars().count() < 8 {
            return Err(StoreError::Config(
                "a password needs at least 8 characters".into(),
            ));
        }
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| StoreError::Config(e.to_string()))?;
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| StoreError::Config(e.to_string()))?
            .to_string();
        let mut tx = self.db.pool.begin().await?;
        sqlx::query(
            "INSERT INTO reviewers (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, \
             disabled_at = NULL",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        end_sessions_in(&mut tx, name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables reviewer `name` and ends its sessions: it can no longer log
    /// in or act. `put_reviewer` re-enables it with a new password.
    pub async fn disable_reviewer(&self, name: &str) -> Result<CredentialChange> {
        let mut tx = self.db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE reviewers SET disabled_at = $1 WHERE name = $2 AND disabled_at IS NULL",
        )
        .bind(now_ms())
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // Sessions go whatever the state: a disabled account holds none.
        end_sessions_in(&mut tx, name).await?;
        let exists = sqlx::query("SELECT 1 FROM reviewers WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        tx.commit().await?;
        Ok(match (done > 0, exists) {
            (true, _) => CredentialChange::Changed,
            (false, true) => CredentialChange::Unchanged,
            (false, false) => CredentialChange::Unknown,
        })
    }

    /// Every reviewer account, by name, with its open sessions.
    pub async fn reviewers(&self) -> Result<Vec<ReviewerEntry>> {
        let rows = sqlx::query(
            "SELECT r.name, r.role, r.created_at, r.disabled_at, \
             (SELECT COUNT(*) FROM reviewer_sessions s WHERE s.reviewer = r.name AND s.expires_at > $1) AS sessions \
             FROM reviewers r ORDER BY r.name",
        )
        .bind(now_ms())
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewerEntry {
                    reviewer: reviewer(r)?,
                    created_at: r.try_get("created_at")?,
                    disabled_at: r.try_get("disabled_at")?,
                    sessions: r.try_get("sessions")?,
                })
            })
            .collect()
    }

    /// Checks a login; on success opens a session lasting `ttl` and returns
    /// its cookie token and the session.
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        ttl: std::time::Duration,
    ) -> Result<Option<(String, ReviewerSession)>> {
        let row = sqlx::query(
            "SELECT name, role, password_hash FROM reviewers WHERE name = $1 AND disabled_at IS NULL",
        )
        .bind(name)
        .fetch_optional(&self.db.pool)
        .await?;
        // An unknown name is checked against a stand-in hash, so it costs
        // as long as a known one and its answer's timing says nothing.
        let stored: Option<String> = row
            .as_ref()
            .map(|r| r.try_get("password_hash"))
            .transpose()?;
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| UNKNOWN_NAME_HASH.clone());
        let password = password.to_owned();
        // Argon2 takes tens of milliseconds of CPU: off the async threads,
        // so logins do not stall the API and in-process workers.
        let _permit = PASSWORD_CHECKS
            .acquire()
            .await
            .map_err(|e| StoreError::Malformed(format!("password check failed: {e}")))?;
        let matches = tokio::task::spawn_blocking(move || {
            let parsed =
                PasswordHash::new(&stored).map_err(|e| StoreError::Malformed(e.to_string()))?;
            Ok::<_, StoreError>(
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await
        .map_err(|e| StoreError::Malformed(format!("password check failed: {e}")))??;
        let Some(row) = row.filter(|_| known && matches) else {
            return Ok(None);
        };
        let (token, csrf_token, now) = (random_token(), random_token(), now_ms());
        // Expired sessions are purged as new ones open, so the table holds
        // about the live ones (by the expiry index).
        sqlx::query("DELETE FROM reviewer_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.db.pool)
            .await?;
        sqlx::query(
            "INSERT INTO reviewer_sessions (token_hash, reviewer, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(name)
        .bind(&csrf_token)
        .bind(now)
        .bind(now + ttl.as_millis() as i64)
        .execute(&self.db.pool)
        .await?;
        Ok(Some((
            token,
            ReviewerSession {
                reviewer: reviewer(&row)?,
                csrf_token,
            },
        )))
    }

    /// The live session a cookie token opens, if any.
    pub async fn reviewer_session(&self, token: &str) -> Result<Option<ReviewerSession>> {
        let row = sqlx::query(
            "SELECT r.name, r.role, s.csrf_token FROM reviewer_sessions s \
             JOIN reviewers r ON r.name = s.reviewer \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND r.disabled_at IS NULL",
        )
        .bind(token_hash(token))
        .bind(now_ms())
        .fetch_optional(&self.db.pool)
        .await?;
        row.map(|r| {
            Ok(ReviewerSession {
                reviewer: reviewer(&r)?,
                csrf_token: r.try_get("csrf_token")?,
            })
        })
        .transpose()
    }

    /// Ends a session (logout).
    pub async fn end_reviewer_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM reviewer_sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }
}
