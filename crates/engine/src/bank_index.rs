//! Banks of known PDQ hashes, mirrored from the store into one in-process
//! [`MultiIndex`] that catches up before each query (entries imported by
//! `bonafide bank import`, by any process, are matched within one upload).

use std::collections::HashMap;

use bonafide_core::{BankHit, PerceptualHash};
use bonafide_matching::{MultiIndex, pack};
use bonafide_store::{BankEntry, Store, StoreError};
use tokio::sync::RwLock;

use crate::cursor::Cursor;

#[derive(Debug, Default)]
struct Loaded {
    index: MultiIndex<BankEntry>,
    cursor: Cursor,
    /// Banks that are reference corpora.
    reference: std::collections::HashSet<String>,
}

/// Every bank's entries, matched read-only.
#[derive(Debug)]
pub(crate) struct Banks {
    store: Store,
    loaded: RwLock<Loaded>,
}

impl Banks {
    pub(crate) fn new(store: Store) -> Self {
        Self {
            store,
            loaded: RwLock::default(),
        }
    }

    /// Loads entries added since the last look, by any process.
    async fn catch_up(&self) -> Result<(), StoreError> {
        let after = self.loaded.read().await.cursor.after();
        let fresh = self.store.bank_entries_after(after).await?;
        // A bank's kind is set when it is created, before its entries.
        let reference = if fresh.is_empty() {
            None
        } else {
            // Not `banks()`: that counts every bank's entries.
            Some(self.store.reference_banks().await?.into_iter().collect())
        };
        let mut loaded = self.loaded.write().await;
        if let Some(reference) = reference {
            loaded.reference = reference;
        }
        for entry in fresh {
            if loaded.cursor.admit(entry.seq) {
                loaded.index.insert(pack(&entry.pdq), entry);
            }
        }
        loaded.cursor.prune();
        Ok(())
    }
}

impl Banks {
    /// Entries of any bank within `max_distance` of any orientation of
    /// `hash`, closest first (at most one per entry).
    pub(crate) async fn match_image(
        &self,
        hash: &PerceptualHash,
        max_distance: u32,
    ) -> Result<Vec<BankHit>, StoreError> {
        self.catch_up().await?;
        let loaded = self.loaded.read().await;
        let mut best: HashMap<i64, BankHit> = HashMap::new();
        for (orientation, bytes) in &hash.variants {
            for (distance, e) in loaded.index.within(&pack(bytes), max_distance) {
                let hit = best.entry(e.seq).or_insert_with(|| BankHit {
                    bank: e.bank.clone(),
                    entry: e.seq,
                    distance,
                    orientation,
                    source: e.source.clone(),
                    licence: e.licence.clone(),
                    rights_holder: e.rights_holder.clone(),
                    reference: loaded.reference.contains(&e.bank),
                });
                if distance < hit.distance {
                    hit.distance = distance;
                    hit.orientation = orientation;
                }
            }
        }
        let mut hits: Vec<BankHit> = best.into_values().collect();
        hits.sort_by(|a, b| (a.distance, &a.bank, a.entry).cmp(&(b.distance, &b.bank, b.entry)));
        Ok(hits)
    }
}
