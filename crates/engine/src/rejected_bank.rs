//! Remembering rejected content: a photo rejected by a policy rule with
//! `remember`, or by a reviewer, joins its tenant's rejected bank (its PDQ
//! hash and copy descriptor), so later copies are caught by hash alone.

use bonafide_store::{BankEntry, Store, StoreError, VectorTable};

use crate::{Engine, EngineError};

/// A photo to remember as rejected.
pub(crate) struct Rejected<'a> {
    /// Its upload.
    pub(crate) upload_id: &'a str,
    /// The upload's tenant: only its uploads are matched against the entry.
    pub(crate) tenant: &'a str,
    /// Its PDQ hash as uploaded and the hash's quality.
    pub(crate) pdq: ([u8; 32], u8),
    /// Why, as the entry's licence text (it reaches ingest clients in a
    /// later match's evidence: no reviewer's name).
    pub(crate) why: String,
}

/// Creates `tenant`'s rejected bank if it does not exist; returns its
/// name ([`bonafide_core::rejected_bank`]).
async fn ensure_rejected_bank(store: &Store, tenant: &str) -> Result<String, StoreError> {
    let bank = bonafide_core::rejected_bank(tenant);
    store
        .ensure_tenant_bank(
            &bank,
            "Content already rejected (policy rules with `remember`, reviewers)",
            tenant,
        )
        .await?;
    Ok(bank)
}

impl Engine {
    /// Adds `rejected` to its tenant's rejected bank, unless its hash is
    /// too featureless to match on. Returns the entry when it is new (the
    /// bank skips a hash it holds, so a retried job adds nothing).
    pub(crate) async fn remember_rejected(
        &self,
        rejected: Rejected<'_>,
    ) -> Result<Option<BankEntry>, EngineError> {
        let (pdq, quality) = rejected.pdq;
        if quality < bonafide_pdq::MIN_QUALITY {
            return Ok(None);
        }
        let store = &self.inner.store;
        let entry = BankEntry {
            seq: 0,
            bank: ensure_rejected_bank(store, rejected.tenant).await?,
            pdq,
            quality,
            source: format!("upload {}", rejected.upload_id),
            licence: rejected.why,
            rights_holder: String::new(),
            embedding: None,
            // Its edited copies are caught too.
            descriptor: store
                .vector_of(VectorTable::CopyDescriptors, rejected.upload_id)
                .await?,
            frame_ms: None,
        };
        let added = store.add_bank_entries(std::slice::from_ref(&entry)).await?;
        Ok((added > 0).then_some(entry))
    }
}
