//! Incremental loading of rows ordered by an insertion sequence.

use std::collections::HashSet;

/// Rows re-read behind the highest `seq` seen: Postgres sequences can
/// commit out of order, so a lower `seq` may appear after a higher one (at
/// most as many as inserts in flight at once, one per worker).
const REREAD: i64 = 64;

/// Where an in-process mirror of a table stands: which rows it has loaded.
#[derive(Debug, Default)]
pub(crate) struct Cursor {
    max_seq: i64,
    /// `seq`s loaded within the re-read window (older ones are never re-read).
    seen: HashSet<i64>,
}

impl Cursor {
    /// Fetch rows with `seq` above this.
    pub(crate) fn after(&self) -> i64 {
        self.max_seq - REREAD
    }

    /// Whether a fetched row is new (and marks it loaded).
    pub(crate) fn admit(&mut self, seq: i64) -> bool {
        if seq <= self.after() || !self.seen.insert(seq) {
            return false;
        }
        self.max_seq = self.max_seq.max(seq);
        true
    }

    /// Forgets `seq`s that can no longer be re-read.
    pub(crate) fn prune(&mut self) {
        let floor = self.after();
        self.seen.retain(|&seq| seq > floor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_commits_inside_the_window_are_admitted_once() {
        let mut c = Cursor::default();
        assert!(c.admit(1) && c.admit(3));
        assert!(!c.admit(3), "already loaded");
        assert!(c.admit(2), "committed late, still in the window");
        c.prune();
        assert!(!c.admit(2));
        assert_eq!(c.after(), 3 - REREAD);
    }
}
