//! Tenants on both stores: two companies screened by one deployment share
//! a photo, a phone and a payout account, and neither sees the other —
//! no duplicate, no fraud link, no id of the other's in findings or
//! webhooks — while each still matches within itself, and the review team
//! reads either by naming it.

use bonafide_store::{NewApiClient, Scope};
use serde_json::json;

use crate::common::*;

const PDQ: &str = "pdq-tmk-vpdq-threatexchange/pdq/data";

fn original() -> Vec<u8> {
    read(&format!("{PDQ}/bridge-mods/aaa-orig.jpg"))
}

fn rotated() -> Vec<u8> {
    read(&format!("{PDQ}/reg-test-input/dih/bridge-2-rotate-90.jpg"))
}

/// The same phone and payout account for everyone.
fn meta(contributor: &str) -> serde_json::Value {
    json!({
        "contributor_id": contributor,
        "device_id": "phone-1",
        "payout_account": "DE89 3704 0044 0532 0130 00",
    })
}

/// Codes of the findings that say the upload is linked to another.
fn linking_codes(v: &UploadViewJson) -> Vec<String> {
    v.0["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .filter(|c| c.starts_with("duplicate.") || c.starts_with("fraud.") || *c == "bank.match")
        .map(str::to_owned)
        .collect()
}

both!(
    tenants_share_no_duplicates_identities_or_ids,
    config = {
        let mut c = fast_config();
        c.egress.allow_private_networks = true;
        c.egress.allow_http = true;
        c
    },
    |env: TestEnv| async move {
        let sink = WebhookSink::start().await;
        let srv = env.serve().await;
        let (acme, _) = env.tenant_key(&[Scope::Ingest], Some("acme"), None).await;
        let (globex, _) = env
            .tenant_key(&[Scope::Ingest], Some("globex"), Some(sink.url.clone()))
            .await;
        let (team, _) = env.key(&[Scope::Review], None).await;

        // Acme: alice's photo, then mallory's turned copy on alice's phone.
        let alice = srv.screen(&acme, "a.jpg", original(), meta("alice")).await;
        let alice_id = alice.0["id"].as_str().unwrap().to_owned();
        assert_eq!(alice.0["tenant"], "acme");
        let mallory = srv.screen(&acme, "m.jpg", rotated(), meta("mallory")).await;
        let mallory_id = mallory.0["id"].as_str().unwrap().to_owned();
        let near = mallory.finding("duplicate.near").expect("within acme");
        assert_eq!(near["evidence"]["matched_upload_id"], alice_id.as_str());
        let paid = mallory.finding("fraud.shared_payout").expect("within acme");
        assert_eq!(paid["evidence"]["accounts"], json!(["alice", "mallory"]));

        // Globex: the same bytes, phone and payout account link nothing
        // (across tenants, bob would be the phone's third account and the
        // payout account's third).
        let bob = srv.screen(&globex, "b.jpg", original(), meta("bob")).await;
        let bob_id = bob.0["id"].as_str().unwrap().to_owned();
        assert_eq!(bob.0["tenant"], "globex");
        assert!(linking_codes(&bob).is_empty(), "{bob:?}");
        assert_eq!(bob.decision(), alice.decision(), "{bob:?}");
        // Carol's turned copy matches bob's photo, never acme's.
        let carol = srv.screen(&globex, "c.jpg", rotated(), meta("carol")).await;
        let near = carol.finding("duplicate.near").expect("within globex");
        assert_eq!(near["evidence"]["matched_upload_id"], bob_id.as_str());
        let paid = carol.finding("fraud.shared_payout").expect("bob and carol");
        assert_eq!(paid["evidence"]["accounts"], json!(["bob", "carol"]));
        for v in [&bob, &carol] {
            let text = v.0.to_string();
            for other in [&alice_id, &mallory_id, "alice", "mallory"] {
                assert!(!text.contains(other), "{other} in {text}");
            }
        }
        // Globex's webhooks carry globex's ids only.
        let carol_id = carol.0["id"].as_str().unwrap();
        sink.wait_for(|b| b["id"] == carol_id)
            .await
            .expect("carol's webhook");
        for body in sink.bodies() {
            let text = body.to_string();
            assert!(
                !text.contains(&alice_id) && !text.contains("mallory"),
                "{text}"
            );
        }

        // Within acme, an exact copy still names alice's upload first.
        let dave = srv.screen(&acme, "d.jpg", original(), meta("dave")).await;
        let exact = dave.finding("duplicate.exact").expect("within acme");
        assert_eq!(exact["evidence"]["first_upload_id"], alice_id.as_str());

        // The review team reads each tenant by naming it; a contributor
        // id means nothing in another tenant.
        let (status, bob_seen) = srv
            .get(Some(&team), "/v1/contributors/bob?tenant=globex")
            .await;
        assert_eq!(status, 200, "{bob_seen}");
        assert_eq!(bob_seen["devices"][0]["device_id"], "phone-1");
        assert_eq!(
            bob_seen["devices"][0]["other_contributors"], 1,
            "carol, not acme's three: {bob_seen}"
        );
        assert_eq!(bob_seen["risk"]["members"], 2, "{bob_seen}");
        let (_, alice_seen) = srv
            .get(Some(&team), "/v1/contributors/alice?tenant=acme")
            .await;
        assert_eq!(alice_seen["devices"][0]["other_contributors"], 2);
        assert_eq!(srv.get(Some(&team), "/v1/contributors/alice").await.0, 404);
        assert_eq!(
            srv.get(Some(&team), "/v1/contributors/alice?tenant=Acme!")
                .await
                .0,
            422
        );
        let (_, clusters) = srv
            .get(Some(&team), "/v1/clusters?min_risk=0&tenant=globex")
            .await;
        assert_eq!(clusters.as_array().map(Vec::len), Some(1), "{clusters}");
        assert_eq!(clusters[0]["members"], 2);

        // A tenant name is checked when the client is made.
        let bad = env
            .store()
            .create_api_client(NewApiClient {
                name: "x".into(),
                scopes: vec![Scope::Ingest],
                webhook_url: None,
                tenant: Some("Not A Tenant".into()),
            })
            .await;
        assert!(bad.is_err());
    }
);
