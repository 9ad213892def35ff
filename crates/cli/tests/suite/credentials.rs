//! Revoking credentials: a revoked API key authenticates nothing; a
//! disabled or reset reviewer's sessions end; expired sessions are purged.

use bonafide_store::{CredentialChange, ReviewerRole, Scope};

use crate::{common::*, suite::cli::bonafide};

/// Whether the queue page opens with `cookie` (else it sends to the login).
async fn session_works(srv: &Server, cookie: &str) -> bool {
    let resp = no_redirects()
        .get(srv.url("/ui/queue"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    match resp.status().as_u16() {
        200 => true,
        303 => {
            assert_eq!(resp.headers()["location"], "/ui/login");
            false
        }
        other => panic!("queue page answered {other}"),
    }
}

both!(a_revoked_key_gets_401, |env: TestEnv| async move {
    let srv = env.serve().await;
    let (id, key) = env.client(&[Scope::Ingest]).await;
    let (other_id, other_key) = env.client(&[Scope::Ingest]).await;
    let (status, _) = srv.get(Some(&key), "/v1/uploads/none").await;
    assert_eq!(status, 404, "a live key is let in");

    let store = env.store();
    assert_eq!(
        store.revoke_api_client(&id).await.unwrap(),
        CredentialChange::Changed
    );
    let (status, body) = srv.get(Some(&key), "/v1/uploads/none").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "unauthorized");
    let (status, _) = srv
        .upload(
            &key,
            "a.jpg",
            b"bytes".to_vec(),
            serde_json::json!({"contributor_id": "c"}),
        )
        .await;
    assert_eq!(status, 401, "uploads are refused too");
    // Only that key: another client is unaffected.
    let (status, _) = srv.get(Some(&other_key), "/v1/uploads/none").await;
    assert_eq!(status, 404);

    assert_eq!(
        store.revoke_api_client(&id).await.unwrap(),
        CredentialChange::Unchanged
    );
    assert_eq!(
        store.revoke_api_client("no-such-client").await.unwrap(),
        CredentialChange::Unknown
    );
    let listed = store.api_clients().await.unwrap();
    let revoked = |id: &str| {
        listed
            .iter()
            .find(|e| e.client.id == id)
            .unwrap()
            .revoked_at
            .is_some()
    };
    assert!(revoked(&id) && !revoked(&other_id));
});

both!(
    disabling_or_resetting_a_reviewer_ends_its_sessions,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let store = env.store();
        store
            .put_reviewer("ada", ReviewerRole::Reviewer, "first password")
            .await
            .unwrap();
        store
            .put_reviewer("grace", ReviewerRole::Reviewer, "graces password")
            .await
            .unwrap();
        let ada = srv.log_in("ada", "first password").await;
        let grace = srv.log_in("grace", "graces password").await;
        assert!(session_works(&srv, &ada).await);

        // Disabled: the open session ends and logging in fails.
        assert_eq!(
            store.disable_reviewer("ada").await.unwrap(),
            CredentialChange::Changed
        );
        assert!(!session_works(&srv, &ada).await);
        assert!(
            store
                .login("ada", "first password", HOUR)
                .await
                .unwrap()
                .is_none()
        );
        assert!(session_works(&srv, &grace).await, "others stay logged in");
        assert_eq!(
            store.disable_reviewer("ada").await.unwrap(),
            CredentialChange::Unchanged
        );
        assert_eq!(
            store.disable_reviewer("nobody").await.unwrap(),
            CredentialChange::Unknown
        );

        // Re-enabled with a password, then reset: the reset logs out
        // whoever held the old one.
        store
            .put_reviewer("ada", ReviewerRole::Reviewer, "second password")
            .await
            .unwrap();
        let ada = srv.log_in("ada", "second password").await;
        assert!(session_works(&srv, &ada).await);
        store
            .put_reviewer("ada", ReviewerRole::Reviewer, "third password")
            .await
            .unwrap();
        assert!(!session_works(&srv, &ada).await);

        let listed = store.reviewers().await.unwrap();
        let names: Vec<(&str, i64)> = listed
            .iter()
            .map(|e| (e.reviewer.name.as_str(), e.sessions))
            .collect();
        assert_eq!(names, [("ada", 0), ("grace", 1)]);
    }
);

const HOUR: std::time::Duration = std::time::Duration::from_secs(3600);

both!(expired_sessions_are_purged, |env: TestEnv| async move {
    let store = env.store();
    store
        .put_reviewer("ada", ReviewerRole::Reviewer, "a password")
        .await
        .unwrap();
    let short = std::time::Duration::from_millis(1);
    for _ in 0..3 {
        store
            .login("ada", "a password", short)
            .await
            .unwrap()
            .unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (token, _) = store
        .login("ada", "a password", HOUR)
        .await
        .unwrap()
        .unwrap();
    assert!(store.reviewer_session(&token).await.unwrap().is_some());
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&env.store_config.database_url)
        .await
        .unwrap();
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reviewer_sessions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "the three expired sessions were deleted");
});

/// The operator's commands, as run on the embedded store.
#[test]
fn keys_and_reviewers_are_listed_revoked_and_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = bonafide(dir.path())
            .args(args)
            .env("BONAFIDE_REVIEWER_PASSWORD", "a long password")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, out, err) = run(&["keys", "create", "--name", "app"]);
    assert_eq!(code, 0, "{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = created["client_id"].as_str().unwrap();
    let key = created["api_key"].as_str().unwrap();

    let (code, out, _) = run(&["keys", "list"]);
    assert_eq!(code, 0);
    let listed = crate::suite::cli::json_lines(out.as_bytes());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["client_id"], id);
    assert_eq!(listed[0]["scopes"], serde_json::json!(["ingest"]));
    assert!(listed[0]["revoked_at"].is_null());
    assert!(!out.contains(key), "a key is never shown again");

    let (code, out, err) = run(&["keys", "revoke", id]);
    assert_eq!(
        (code, out.as_str(), err.as_str()),
        (0, "", ""),
        "quiet on success"
    );
    let (_, out, _) = run(&["keys", "list"]);
    assert!(crate::suite::cli::json_lines(out.as_bytes())[0]["revoked_at"].is_i64());
    // Errors exit 2, as every command's do.
    let (code, _, err) = run(&["keys", "revoke", "no-such-client"]);
    assert_eq!(code, 2);
    assert!(err.contains("no API client \"no-such-client\""), "{err}");

    assert_eq!(run(&["reviewers", "add", "ada"]).0, 0);
    let (code, out, err) = run(&["reviewers", "disable", "ada"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (_, out, _) = run(&["reviewers", "list"]);
    let listed = crate::suite::cli::json_lines(out.as_bytes());
    assert_eq!(listed[0]["name"], "ada");
    assert!(listed[0]["disabled_at"].is_i64());
    assert_eq!(run(&["reviewers", "disable", "nobody"]).0, 2);

    let (_, out, _) = run(&["audit", "export"]);
    let actions: Vec<String> = crate::suite::cli::json_lines(out.as_bytes())
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        actions.contains(&"api_client.revoke".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"reviewer.disable".to_owned()),
        "{actions:?}"
    );
}

both!(
    a_deployments_secret_is_made_once_and_shared,
    |env: TestEnv| async move {
        let first = env.store().server_secret("payout_hash").await.unwrap();
        assert_eq!(first.len(), 32);
        // Another process on the same store reads the same key.
        let other = bonafide_store::Store::open(&env.store_config)
            .await
            .unwrap();
        assert_eq!(other.server_secret("payout_hash").await.unwrap(), first);
        assert_ne!(other.server_secret("review_actor").await.unwrap(), first);
    }
);
