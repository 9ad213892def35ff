//! Horizontal scale: processes share nothing but the store, so what one
//! process screened is what the next lookup in any other sees. Two engines
//! opened on one store stand for two processes (each has its own indexes,
//! fraud graph and workers, built from the store alone).

use bonafide_engine::Engine;
use bonafide_ingest::UploadRequest;
use bonafide_store::Store;

use crate::common::*;

fn from(contributor: &str) -> UploadRequest {
    UploadRequest {
        contributor_id: contributor.into(),
        ..Default::default()
    }
}

both!(
    an_upload_screened_by_one_process_is_matched_by_another,
    |env: TestEnv| async move {
        // The other "process", started before anything was uploaded: its
        // indexes begin empty and must catch up from the store.
        let other =
            Engine::new(Store::open(&env.store_config).await.unwrap(), fast_config()).unwrap();
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        let first = env
            .engine
            .ingest(
                from("alice"),
                read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")).into(),
                None,
            )
            .await
            .unwrap();
        assert_eq!(env.engine.drain().await.unwrap(), 1);

        // A rotated re-encode of it, screened by the other process.
        let copy = other
            .ingest(
                from("mallory"),
                read(&format!("{pdq}/reg-test-input/dih/bridge-2-rotate-90.jpg")).into(),
                None,
            )
            .await
            .unwrap();
        assert_eq!(other.drain().await.unwrap(), 1);
        let rec = other
            .store()
            .upload(&copy.upload_id)
            .await
            .unwrap()
            .unwrap();
        let near = rec
            .findings
            .iter()
            .find(|f| f.code == "duplicate.near")
            .unwrap_or_else(|| panic!("duplicate.near in {:?}", rec.findings));
        assert_eq!(near.evidence["matched_upload_id"], first.upload_id.as_str());

        // And the same bytes again, back on the first process: an exact
        // duplicate of the other's upload.
        let again = env
            .engine
            .ingest(
                from("trudy"),
                read(&format!("{pdq}/reg-test-input/dih/bridge-2-rotate-90.jpg")).into(),
                None,
            )
            .await
            .unwrap();
        assert_eq!(env.engine.drain().await.unwrap(), 1);
        let rec = env.store().upload(&again.upload_id).await.unwrap().unwrap();
        assert!(
            rec.findings.iter().any(|f| f.code == "duplicate.exact"),
            "{:?}",
            rec.findings
        );
    }
);
