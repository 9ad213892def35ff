//! The fraud graph through the service, on both stores: accounts on one
//! phone and on one payout account are clustered and flagged with their
//! factors, the clusters are served by the API, and a restarted engine
//! replays the log into the same cluster ids.

use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

const PHOTOS: [&str; 4] = ["00120", "01380", "08976", "08996"];

fn ukbench(n: &str) -> Vec<u8> {
    read(&format!(
        "near-duplicates/imagededup-ukbench/base_images/ukbench{n}.jpg"
    ))
}

both!(
    accounts_sharing_a_phone_or_a_payout_account_are_flagged,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest, Scope::Review], None).await;
        // Three accounts on one phone, each with a photo of its own.
        let mut last = None;
        for (i, n) in PHOTOS.iter().take(3).enumerate() {
            let meta = json!({
                "contributor_id": format!("farm{i}"),
                "device_id": "phone-1",
                "device_make": "samsung",
                "device_model": "SM-A146B",
                "payout_account": format!("DE00 {i}"),
            });
            last = Some(srv.screen(&key, "p.jpg", ukbench(n), meta).await);
        }
        let third = last.take().unwrap();
        let shared = third
            .finding("fraud.shared_device")
            .unwrap_or_else(|| panic!("{third:?}"));
        assert_eq!(
            shared["evidence"]["accounts"],
            json!(["farm0", "farm1", "farm2"])
        );
        assert_eq!(third.decision(), "review", "{third:?}");

        // Two more accounts paid into one account.
        for (i, n) in ["09012", "09040"].iter().enumerate() {
            let meta = json!({"contributor_id": format!("payee{i}"), "payout_account": "NL91 ABNA 0417 1643 00"});
            last = Some(srv.screen(&key, "p.jpg", ukbench(n), meta).await);
        }
        let payee = last.take().unwrap();
        let paid = payee
            .finding("fraud.shared_payout")
            .unwrap_or_else(|| panic!("{payee:?}"));
        assert_eq!(paid["evidence"]["accounts"], json!(["payee0", "payee1"]));
        // The account itself is never stored or shown, only its hash.
        assert!(!payee.0.to_string().contains("ABNA"));

        let (_, farm) = srv.get(Some(&key), "/v1/contributors/farm1").await;
        let cluster = farm["risk"]["cluster"].as_str().unwrap().to_owned();
        assert_eq!(farm["risk"]["members"], 3);
        assert_eq!(farm["risk"]["factors"][0]["name"], "accounts_per_device");
        let (_, detail) = srv
            .get(Some(&key), &format!("/v1/clusters/{cluster}"))
            .await;
        assert_eq!(detail["members"].as_array().unwrap().len(), 3);
        assert_eq!(detail["links"][0][2], "device");
        assert_eq!(detail["links"][0][3], "phone-1 (samsung SM-A146B)");
        let (_, listed) = srv.get(Some(&key), "/v1/clusters?min_risk=0").await;
        let ids: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cluster"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&cluster.as_str()), "{listed}");
        assert_eq!(ids.len(), 2, "the farm and the payees: {listed}");
        assert_eq!(srv.get(Some(&key), "/v1/clusters/cl_nope").await.0, 404);

        // A new engine on the same store replays the log into the same ids.
        let again = bonafide_engine::Engine::new(
            bonafide_store::Store::open(&env.store_config)
                .await
                .unwrap(),
            fast_config(),
        )
        .unwrap();
        let risk = again
            .contributor_risk("default", "farm2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(risk.cluster, cluster);
        assert_eq!(
            again
                .contributor_risk("default", "payee1")
                .await
                .unwrap()
                .unwrap()
                .cluster,
            env.engine
                .contributor_risk("default", "payee0")
                .await
                .unwrap()
                .unwrap()
                .cluster
        );
    }
);
