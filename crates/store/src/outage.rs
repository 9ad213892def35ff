//! Which storage failures are outages — the database or the object store
//! unreachable, or a disk full — rather than a bad request or a bug. The API
//! answers an outage 503 (507 when full) so clients retry, and a job hit by
//! one goes back to the queue without spending an attempt: nothing is wrong
//! with the upload, so it must not be dead-lettered while the store is down.

use crate::{BlobError, StoreError};

/// Why the store cannot take work right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The database or the object store cannot be reached (down,
    /// restarting, timing out).
    Unreachable,
    /// A disk the store writes to is full.
    StorageFull,
}

impl StoreError {
    /// The outage behind this error, if it is one.
    pub fn outage(&self) -> Option<Outage> {
        if full_disk_in_chain(self) {
            return Some(Outage::StorageFull);
        }
        match self {
            Self::Db(e) => db_outage(e),
            Self::Blob(BlobError::Backend(e)) => blob_outage(e),
            _ => None,
        }
    }
}

/// An `ENOSPC` anywhere in the chain of causes (the local blob folder's
/// writes wrap it a few levels deep).
fn full_disk_in_chain(e: &StoreError) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull)
        {
            return true;
        }
        cause = c.source();
    }
    false
}

fn db_outage(e: &sqlx::Error) -> Option<Outage> {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(Outage::Unreachable),
        sqlx::Error::Database(d) => {
            let code = d.code()?;
            sqlstate_outage(&code).or_else(|| sqlite_outage(&code))
        }
        _ => None,
    }
}

/// PostgreSQL: disk full (53100), out of memory or too many connections
/// (class 53), connection exceptions (class 08), and a server shutting
/// down or starting up (57P01–57P03).
fn sqlstate_outage(code: &str) -> Option<Outage> {
    if code == "53100" {
        return Some(Outage::StorageFull);
    }
    (code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03"))
    .then_some(Outage::Unreachable)
}

/// SQLite reports (extended) result codes as numbers: the primary code is
/// the low byte. SQLITE_FULL (13) is a full disk; SQLITE_IOERR (10) and
/// SQLITE_CANTOPEN (14) mean the file cannot be read or written.
fn sqlite_outage(code: &str) -> Option<Outage> {
    match code.parse::<u32>().ok()? & 0xff {
        13 => Some(Outage::StorageFull),
        10 | 14 => Some(Outage::Unreachable),
        _ => None,
    }
}

/// Everything but an answer about the object itself (missing, exists,
/// bad path, precondition) or about our credentials is the backend failing
/// to answer.
fn blob_outage(e: &object_store::Error) -> Option<Outage> {
    use object_store::Error as E;
    match e {
        E::NotFound { .. }
        | E::AlreadyExists { .. }
        | E::InvalidPath { .. }
        | E::Precondition { .. }
        | E::NotModified { .. }
        | E::NotSupported { .. }
        | E::NotImplemented { .. }
        | E::PermissionDenied { .. }
        | E::Unauthenticated { .. }
        | E::UnknownConfigurationKey { .. } => None,
        _ => Some(Outage::Unreachable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_codes() {
        assert_eq!(sqlstate_outage("53100"), Some(Outage::StorageFull));
        assert_eq!(sqlstate_outage("08006"), Some(Outage::Unreachable));
        assert_eq!(sqlstate_outage("57P01"), Some(Outage::Unreachable));
        // A unique violation is the request's problem, not an outage.
        assert_eq!(sqlstate_outage("23505"), None);
    }

    #[test]
    fn sqlite_codes() {
        assert_eq!(sqlite_outage("13"), Some(Outage::StorageFull));
        // SQLITE_IOERR_WRITE (10 | 3 << 8).
        assert_eq!(sqlite_outage("778"), Some(Outage::Unreachable));
        // SQLITE_CONSTRAINT_UNIQUE (19 | 8 << 8).
        assert_eq!(sqlite_outage("2067"), None);
        assert_eq!(sqlite_outage("23505"), None);
    }

    #[test]
    fn a_full_disk_deep_in_the_causes_is_found() {
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = StoreError::Blob(BlobError::Backend(object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(io),
        }));
        assert_eq!(e.outage(), Some(Outage::StorageFull));
        assert_eq!(StoreError::Malformed("x".into()).outage(), None);
    }
}
