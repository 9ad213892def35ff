//! Uploads named by `blob_key` (a client that put its object in the bucket
//! itself): only under the client's own folder, and screened as the bytes
//! read when the upload was accepted, whatever the object holds later.

use bonafide_store::Scope;
use serde_json::{Value, json};

use crate::common::*;

const PHOTO: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg";
const OTHER: &str = "near-duplicates/imagededup-ukbench/base_images/ukbench01380.jpg";

async fn post_key(srv: &Server, key: &str, blob_key: &str) -> (u16, Value) {
    let body = json!({"blob_key": blob_key, "metadata": {"contributor_id": "direct"}});
    let resp = srv
        .http
        .post(srv.url("/v1/uploads"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

both!(
    uploads_named_by_blob_key_are_screened,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (client, key) = env.client(&[Scope::Ingest]).await;
        let obj = format!("incoming/{client}/{}.jpg", uuid::Uuid::now_v7());
        env.store()
            .blobs
            .put(&obj, read(PHOTO).into())
            .await
            .unwrap();
        let (status, up) = post_key(&srv, &key, &obj).await;
        assert_eq!(status, 202, "{up}");
        let id = up["id"].as_str().unwrap();
        assert_eq!(srv.verdict(&key, id).await.decision(), "accept");

        let (status, body) = post_key(&srv, &key, &format!("incoming/{client}/nope.jpg")).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("blob_not_found"))
        );
    }
);

both!(
    a_blob_key_outside_the_clients_folder_is_refused_unread,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (client, key) = env.client(&[Scope::Ingest]).await;
        let (other, _) = env.client(&[Scope::Ingest]).await;
        // Another upload's content-addressed bytes, another client's
        // object, and a made-up key: all the same refusal, whether or not
        // the object exists.
        let (status, first) = srv
            .upload(&key, "a.jpg", read(PHOTO), json!({"contributor_id": "c"}))
            .await;
        assert_eq!(status, 202, "{first}");
        let sha = first["sha256"].as_str().unwrap();
        let theirs = format!("incoming/{other}/x.jpg");
        env.store()
            .blobs
            .put(&theirs, read(OTHER).into())
            .await
            .unwrap();
        for blob_key in [
            format!("sha256/{}/{sha}", &sha[..2]),
            theirs,
            format!("tmk/{client}.tmk"),
            format!("incoming/{client}"),
            format!("incoming/{client}x/a.jpg"),
            "elsewhere/a.jpg".to_owned(),
        ] {
            let (status, body) = post_key(&srv, &key, &blob_key).await;
            assert_eq!(status, 422, "{blob_key}: {body}");
            assert_eq!(body["code"], "blob_key_forbidden", "{blob_key}: {body}");
        }
    }
);

both!(
    an_object_overwritten_after_acceptance_does_not_change_the_verdict,
    config = accept_only_config(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (client, key) = env.client(&[Scope::Ingest]).await;
        let obj = format!("incoming/{client}/swap.jpg");
        let photo = read(PHOTO);
        env.store()
            .blobs
            .put(&obj, photo.clone().into())
            .await
            .unwrap();
        let (status, up) = post_key(&srv, &key, &obj).await;
        assert_eq!(status, 202, "{up}");
        let id = up["id"].as_str().unwrap().to_owned();
        // The client swaps its object before any worker has run.
        env.store()
            .blobs
            .put(&obj, read(OTHER).into())
            .await
            .unwrap();
        assert_eq!(env.engine.drain().await.unwrap(), 1);
        let view = srv.verdict(&key, &id).await;
        let accepted = bonafide_ingest::ContentHash::of(&photo).0;
        assert_eq!(view.0["sha256"], accepted.as_str(), "{view:?}");
        // The screened bytes are the accepted ones, kept under their hash.
        let rec = env.store().upload(&id).await.unwrap().unwrap();
        assert!(rec.blob_key.ends_with(&accepted), "{}", rec.blob_key);
        assert_eq!(env.store().blobs.get(&rec.blob_key).await.unwrap(), photo);
    }
);
