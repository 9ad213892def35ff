//! In-process mirrors of store tables: every index the engine matches
//! against (PDQ hashes, document and video signatures, vectors, bank
//! entries) and the fraud graph is a mirror — state folded from a table's
//! rows in insertion order, caught up before it is read, so several
//! processes sharing one database see each other's writes.

use tokio::sync::{RwLock, RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard};

use crate::cursor::Cursor;

/// State built from a table's rows, each folded in once.
pub(crate) trait Mirrored: Send + Sync {
    /// One row as fetched.
    type Row: Send;
    /// Why a row could not be folded in.
    type Error;

    /// The row's insertion sequence.
    fn seq(row: &Self::Row) -> i64;

    /// Folds a new row in.
    fn apply(&mut self, row: Self::Row) -> Result<(), Self::Error>;
}

/// A table's rows mirrored into `S`.
#[derive(Debug, Default)]
pub(crate) struct Mirror<S> {
    loaded: RwLock<Loaded<S>>,
}

#[derive(Debug, Default)]
struct Loaded<S> {
    state: S,
    cursor: Cursor,
}

impl<S: Mirrored> Mirror<S> {
    /// A mirror that has loaded nothing yet.
    pub(crate) fn new(state: S) -> Self {
        Self {
            loaded: RwLock::new(Loaded {
                state,
                cursor: Cursor::default(),
            }),
        }
    }

    /// Fetches the rows after what is loaded (`fetch` is given the `seq`
    /// to read after) and folds in the new ones; returns how many rows were
    /// fetched (a full page means there may be more).
    pub(crate) async fn catch_up<F, Fut, E>(&self, fetch: F) -> Result<usize, E>
    where
        F: FnOnce(i64) -> Fut,
        Fut: Future<Output = Result<Vec<S::Row>, E>>,
        E: From<S::Error>,
    {
        let after = self.loaded.read().await.cursor.after();
        let fresh = fetch(after).await?;
        let fetched = fresh.len();
        let mut loaded = self.loaded.write().await;
        let Loaded { state, cursor } = &mut *loaded;
        let mut failed = None;
        for row in fresh {
            if cursor.admit(S::seq(&row))
                && let Err(e) = state.apply(row)
            {
                failed.get_or_insert(e);
            }
        }
        cursor.prune();
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(fetched),
        }
    }

    /// The state as loaded.
    pub(crate) async fn read(&self) -> RwLockReadGuard<'_, S> {
        RwLockReadGuard::map(self.loaded.read().await, |l| &l.state)
    }

    /// The state, to change what rows do not carry (a bank's kind).
    pub(crate) async fn write(&self) -> RwLockMappedWriteGuard<'_, S> {
        RwLockWriteGuard::map(self.loaded.write().await, |l| &mut l.state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums the rows it is given.
    #[derive(Default)]
    struct Sum(i64);

    impl Mirrored for Sum {
        type Row = i64;
        type Error = String;
        fn seq(row: &i64) -> i64 {
            *row
        }
        fn apply(&mut self, row: i64) -> Result<(), String> {
            if row < 0 {
                return Err(format!("row {row}"));
            }
            self.0 += row;
            Ok(())
        }
    }

    #[tokio::test]
    async fn rows_are_folded_once_and_a_bad_row_is_reported() {
        let m = Mirror::new(Sum::default());
        let fetched = m.catch_up(|_| async { Ok::<_, String>(vec![1, 2]) }).await;
        assert_eq!(fetched, Ok(2));
        // Re-read inside the window: only the new row counts.
        m.catch_up(|after| async move {
            assert!(after < 2);
            Ok::<_, String>(vec![1, 2, 3])
        })
        .await
        .unwrap();
        assert_eq!(m.read().await.0, 6);
        let failed = m.catch_up(|_| async { Ok::<_, String>(vec![4, -5]) }).await;
        assert_eq!(failed, Err("row -5".to_owned()));
        assert_eq!(m.read().await.0, 10, "the good row of that fetch is in");
    }
}
