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

use crate::{Result, Store, StoreError, now_ms};

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
    /// exists (and re-enables it).
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
        sqlx::query(
            "INSERT INTO reviewers (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, \
             disabled_at = NULL",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(now_ms())
        .execute(&self.db.pool)
        .await?;
        Ok(())
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
