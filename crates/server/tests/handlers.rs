//! The API's handlers in process, through `app(state).oneshot(request)`:
//! authentication, scopes, ownership and each route's refusals with their
//! JSON error bodies. No socket, no workers: the engine over an embedded
//! store in a scratch folder. End-to-end screening, crash and fault tests
//! are the CLI suite's.

use axum::{
    Router,
    body::{Body, to_bytes},
    http::{Method, Request, StatusCode, header},
};
use bonafide_engine::{Engine, EngineConfig};
use bonafide_server::{ApiConfig, app};
use bonafide_store::{NewApiClient, Scope, Store, StoreConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The app over a fresh embedded store.
struct Api {
    app: Router,
    engine: Engine,
    _dir: tempfile::TempDir,
}

impl Api {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&StoreConfig::embedded(dir.path()))
            .await
            .unwrap();
        let engine = Engine::new(store, EngineConfig::default()).unwrap();
        Self {
            app: app(engine.clone(), &ApiConfig::default()),
            engine,
            _dir: dir,
        }
    }

    /// A new client's id and key.
    async fn client(&self, scopes: &[Scope]) -> (String, String) {
        let (client, key) = self
            .engine
            .store()
            .create_api_client(NewApiClient {
                name: "test".into(),
                scopes: scopes.to_vec(),
                ..Default::default()
            })
            .await
            .unwrap();
        (client.id, key)
    }

    /// Sends one request; returns the status and the body as JSON (`Null`
    /// when it is not JSON).
    async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(key) = key {
            req = req.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let resp = self
            .app
            .clone()
            .oneshot(req.body(body.into()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = to_bytes(resp.into_body(), 1 << 20).await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn get(&self, path: &str, key: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, key, None, Body::empty()).await
    }

    async fn send_json(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.call(
            method,
            path,
            Some(key),
            Some("application/json"),
            body.to_string(),
        )
        .await
    }
}

/// A refusal's body: `{code, message}` with this code and some message.
fn refused(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

fn photo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg"
    ))
    .unwrap()
}

#[tokio::test]
async fn health_and_the_openapi_document_need_no_key() {
    let api = Api::new().await;
    assert_eq!(api.get("/healthz", None).await.0, StatusCode::OK);
    let (status, doc) = api.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["paths"]["/v1/uploads"].is_object(), "{doc}");
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401() {
    let api = Api::new().await;
    let (status, body) = api.get("/v1/uploads/u1", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    refused(&body, "unauthorized");
    let (status, body) = api.get("/v1/uploads/u1", Some("bfk_wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    refused(&body, "unauthorized");
}

#[tokio::test]
async fn a_revoked_key_is_401() {
    let api = Api::new().await;
    let (id, key) = api.client(&[Scope::Ingest]).await;
    assert_eq!(
        api.get("/v1/uploads/u1", Some(&key)).await.0,
        StatusCode::NOT_FOUND
    );
    api.engine.store().revoke_api_client(&id).await.unwrap();
    let (status, body) = api.get("/v1/uploads/u1", Some(&key)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    refused(&body, "unauthorized");
}

#[tokio::test]
async fn each_scope_opens_its_routes_only() {
    let api = Api::new().await;
    let (_, ingest) = api.client(&[Scope::Ingest]).await;
    let (_, review) = api.client(&[Scope::Review]).await;
    for (method, path) in [
        (Method::POST, "/v1/review/next"),
        (Method::GET, "/v1/clusters"),
        (Method::GET, "/v1/contributors/alice"),
        (Method::GET, "/v1/admin/queue"),
    ] {
        let (status, body) = api
            .send_json(method.clone(), path, &ingest, &json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        refused(&body, "forbidden");
    }
    let (status, body) = api
        .send_json(
            Method::PUT,
            "/v1/tasks/t1",
            &review,
            &json!({"title": "t", "instructions": "a photo of a tree"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    refused(&body, "forbidden");
}

#[tokio::test]
async fn an_ingest_client_sees_only_its_own_uploads() {
    let api = Api::new().await;
    let (owner_id, owner) = api.client(&[Scope::Ingest]).await;
    let (_, other) = api.client(&[Scope::Ingest]).await;
    let (_, review) = api.client(&[Scope::Review]).await;
    let request = serde_json::from_value(json!({"contributor_id": "alice"})).unwrap();
    let ingested = api
        .engine
        .ingest(request, photo().into(), Some(owner_id))
        .await
        .unwrap();
    let path = format!("/v1/uploads/{}", ingested.upload_id);
    let (status, mine) = api.get(&path, Some(&owner)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine["state"], "received", "no worker runs here");
    assert_eq!(mine["tenant"], "default");
    let (status, body) = api.get(&path, Some(&other)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another client's upload");
    refused(&body, "not_found");
    assert_eq!(api.get(&path, Some(&review)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_upload_is_multipart_or_json() {
    let api = Api::new().await;
    let (_, key) = api.client(&[Scope::Ingest]).await;
    let (status, body) = api
        .call(
            Method::POST,
            "/v1/uploads",
            Some(&key),
            Some("text/plain"),
            "hello",
        )
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    refused(&body, "unsupported_media_type");
    let (status, body) = api
        .call(
            Method::POST,
            "/v1/uploads",
            Some(&key),
            Some("application/json"),
            "{not json",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "invalid_metadata");
}

#[tokio::test]
async fn a_blob_key_outside_the_clients_folder_is_refused() {
    let api = Api::new().await;
    let (_, key) = api.client(&[Scope::Ingest]).await;
    let (status, body) = api
        .send_json(
            Method::POST,
            "/v1/uploads",
            &key,
            &json!({"blob_key": "sha256/ab/abcdef", "metadata": {"contributor_id": "c"}}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "blob_key_forbidden");
}

#[tokio::test]
async fn a_task_is_checked_before_it_is_saved() {
    let api = Api::new().await;
    let (_, admin) = api.client(&[Scope::Admin]).await;
    for bad in [
        json!({"title": "t".repeat(201)}),
        json!({"title": "t", "requirements": {"must_show": ["xyzzyx"]}}),
        json!({"title": "t", "colour": "blue"}),
    ] {
        let (status, body) = api
            .send_json(Method::PUT, "/v1/tasks/t1", &admin, &bad)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    let (status, saved) = api
        .send_json(
            Method::PUT,
            "/v1/tasks/t1",
            &admin,
            &json!({"title": "Trees", "instructions": "A photo of a tree in your street"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, read) = api.get("/v1/tasks/t1", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["title"], "Trees");
    let (status, body) = api.get("/v1/tasks/nope", Some(&admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    refused(&body, "not_found");
}

#[tokio::test]
async fn a_json_body_over_a_mebibyte_is_413() {
    let api = Api::new().await;
    let (_, admin) = api.client(&[Scope::Admin]).await;
    let huge = json!({"title": "t", "instructions": "x".repeat(2 << 20)});
    let (status, body) = api
        .send_json(Method::PUT, "/v1/tasks/t1", &admin, &huge)
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    refused(&body, "payload_too_large");
}

#[tokio::test]
async fn review_routes_refuse_what_they_cannot_do() {
    let api = Api::new().await;
    let (_, review) = api.client(&[Scope::Review]).await;
    let (status, _) = api
        .send_json(Method::POST, "/v1/review/next", &review, &json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "an empty queue");
    let (status, body) = api
        .send_json(
            Method::POST,
            "/v1/review/items/1/decision",
            &review,
            &json!({"decision": "maybe"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "invalid_decision");
    let (status, body) = api
        .send_json(
            Method::POST,
            "/v1/review/items/1/decision",
            &review,
            &json!({"decision": "reject"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "reason_required");
    let (status, body) = api.get("/v1/review/items/99", Some(&review)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    refused(&body, "not_found");
}

#[tokio::test]
async fn review_reads_check_their_parameters() {
    let api = Api::new().await;
    let (_, review) = api.client(&[Scope::Review]).await;
    let (status, body) = api
        .get("/v1/clusters?tenant=Not%20A%20Tenant", Some(&review))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "invalid_parameter");
    let (status, body) = api.get("/v1/contributors/nobody", Some(&review)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    refused(&body, "not_found");
    let (status, body) = api
        .call(
            Method::POST,
            "/v1/search",
            Some(&review),
            Some("image/jpeg"),
            Body::empty(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "invalid_parameter");
    let (status, body) = api
        .call(
            Method::POST,
            "/v1/search?max_distance=99",
            Some(&review),
            Some("image/jpeg"),
            photo(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&body, "invalid_parameter");
}
