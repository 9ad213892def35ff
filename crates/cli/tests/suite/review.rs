//! The review queue on both databases: leases keep two reviewers apart,
//! decisions are stored and audited, undo works inside its window, and a
//! reviewer's reject teaches the `rejected` bank.

use std::{collections::HashSet, time::Duration};

use bonafide_store::{QueueFilter, Scope};
use serde_json::json;

use crate::common::*;

/// Every upload queued (QA samples of every automatic decision), no
/// second opinions, and feedback as soon as a decision is made.
fn queue_everything() -> bonafide_engine::EngineConfig {
    let mut config = fast_config();
    config.review.qa_rate = 1.0;
    config.review.second_opinion_rate = 0.0;
    config.review.undo_secs = 0;
    config
}

const PHOTOS: [&str; 6] = ["00120", "01380", "08976", "08996", "09012", "09040"];

fn ukbench(n: &str) -> Vec<u8> {
    read(&format!(
        "near-duplicates/imagededup-ukbench/base_images/ukbench{n}.jpg"
    ))
}

/// Screens the six photos, each from its own contributor.
async fn screen_six(srv: &Server, key: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (i, n) in PHOTOS.iter().enumerate() {
        let v = srv
            .screen(
                key,
                "p.jpg",
                ukbench(n),
                json!({"contributor_id": format!("c{i}")}),
            )
            .await;
        ids.insert(v.0["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn post(
    srv: &Server,
    key: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let resp = srv
        .http
        .post(srv.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(serde_json::Value::Null))
}

/// Leases the next item to `reviewer` and rejects it as stock.
async fn reject_next(srv: &Server, reviewer: &str) {
    let (_, next) = post(srv, reviewer, "/v1/review/next", json!({})).await;
    let id = next["item"]["id"].as_i64().unwrap();
    let (status, _) = post(
        srv,
        reviewer,
        &format!("/v1/review/items/{id}/decision"),
        json!({"decision": "reject", "reason_code": "stock"}),
    )
    .await;
    assert_eq!(status, 200);
}

/// The audit entry of the first entry added to `bank`, once the feedback
/// job has written it (waits up to 10 s).
async fn bank_addition(srv: &Server, admin: &str, bank: &str) -> serde_json::Value {
    for _ in 0..500 {
        let (_, log) = srv
            .get(Some(admin), &format!("/v1/audit?subject=bank%20{bank}"))
            .await;
        if let Some(entry) = log.as_array().and_then(|l| l.first()) {
            return entry.clone();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("nothing was added to bank {bank}");
}

both!(
    two_reviewers_never_hold_the_same_item,
    config = queue_everything(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let uploads = screen_six(&srv, &key).await;

        // Six reviewers ask at the same instant: six different items.
        let filter = QueueFilter::default();
        let asks = (0..6).map(|r| {
            let (engine, filter) = (env.engine.clone(), filter.clone());
            tokio::spawn(async move { engine.next_review_item(&format!("r{r}"), &filter).await })
        });
        let mut held = HashSet::new();
        for ask in asks {
            let item = ask.await.unwrap().unwrap().expect("an item for each");
            assert!(uploads.contains(&item.upload_id));
            assert!(held.insert(item.id), "item {} handed out twice", item.id);
        }
        // A seventh finds nothing free.
        assert!(
            env.engine
                .next_review_item("r6", &filter)
                .await
                .unwrap()
                .is_none()
        );
        // Asking again returns the item one already holds.
        let again = env
            .engine
            .next_review_item("r0", &filter)
            .await
            .unwrap()
            .unwrap();
        assert!(held.contains(&again.id));

        // Two reviewers over HTTP work the queue down together, at once.
        let (alice, _) = env.key(&[Scope::Review], None).await;
        let (bob, _) = env.key(&[Scope::Review], None).await;
        for r in 0..6 {
            // Release the six leases (skip), so the HTTP reviewers get them.
            let item = env
                .engine
                .next_review_item(&format!("r{r}"), &filter)
                .await
                .unwrap()
                .unwrap();
            env.store()
                .skip_review_item(item.id, &format!("r{r}"))
                .await
                .unwrap()
                .unwrap();
        }
        let work = |key: String| {
            let (http, base) = (srv.http.clone(), srv.url(""));
            async move {
                let mut mine = Vec::new();
                loop {
                    let resp = http
                        .post(format!("{base}/v1/review/next"))
                        .bearer_auth(&key)
                        .send()
                        .await
                        .unwrap();
                    if resp.status() == 204 {
                        return mine;
                    }
                    let item: serde_json::Value = resp.json().await.unwrap();
                    let id = item["item"]["id"].as_i64().unwrap();
                    let resp = http
                        .post(format!("{base}/v1/review/items/{id}/decision"))
                        .bearer_auth(&key)
                        .json(&json!({"decision": "accept"}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(resp.status(), 200, "deciding a held item");
                    mine.push(id);
                }
            }
        };
        let (a, b) = tokio::join!(work(alice), work(bob));
        let (a, b): (HashSet<i64>, HashSet<i64>) =
            (a.into_iter().collect(), b.into_iter().collect());
        assert!(a.is_disjoint(&b), "{a:?} {b:?}");
        assert_eq!(a.len() + b.len(), 6);
    }
);

both!(
    a_decision_is_stored_audited_and_can_be_undone,
    config = {
        let mut c = queue_everything();
        c.review.undo_secs = 600;
        c
    },
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (ingest, _) = env.key(&[Scope::Ingest], None).await;
        let (reviewer, _) = env.key(&[Scope::Review], None).await;
        let (other, _) = env.key(&[Scope::Review], None).await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let v = srv
            .screen(
                &ingest,
                "p.jpg",
                ukbench("00120"),
                json!({"contributor_id": "c"}),
            )
            .await;
        let upload = v.0["id"].as_str().unwrap().to_owned();

        let (status, next) = post(&srv, &reviewer, "/v1/review/next", json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(next["item"]["upload_id"], upload.as_str());
        assert_eq!(next["item"]["origin"], "qa");
        assert_eq!(next["upload"]["verdict"]["decision"], v.decision());
        let id = next["item"]["id"].as_i64().unwrap();

        // Someone else cannot decide it; a reject needs a reason.
        let path = format!("/v1/review/items/{id}/decision");
        assert_eq!(
            post(&srv, &other, &path, json!({"decision": "accept"}))
                .await
                .0,
            409
        );
        assert_eq!(
            post(&srv, &reviewer, &path, json!({"decision": "reject"}))
                .await
                .0,
            422
        );
        let (status, decision) = post(
            &srv,
            &reviewer,
            &path,
            json!({"decision": "reject", "reason_code": "stock", "note": "a catalogue photo"}),
        )
        .await;
        assert_eq!(status, 200, "{decision}");
        let (_, item) = srv
            .get(Some(&reviewer), &format!("/v1/review/items/{id}"))
            .await;
        assert_eq!(item["item"]["state"], "decided");
        assert_eq!(item["decisions"][0]["decision"], "reject");
        assert_eq!(item["decisions"][0]["reason_code"], "stock");

        // Audited, for admins only.
        assert_eq!(srv.get(Some(&reviewer), "/v1/audit").await.0, 403);
        let subject = format!("upload%20{upload}");
        let (_, log) = srv
            .get(Some(&admin), &format!("/v1/audit?subject={subject}"))
            .await;
        let entry = &log[0];
        assert_eq!(entry["action"], "review.decide");
        assert!(entry["actor"].as_str().unwrap().starts_with("client:"));
        assert_eq!(entry["before"]["machine_decision"], v.decision());
        assert_eq!(entry["after"]["decision"], "reject");
        assert_eq!(entry["after"]["note"], "a catalogue photo");

        // Undo: the item is open and the reviewer's again; audited too.
        let undo = format!("/v1/review/decisions/{}/undo", decision["id"]);
        assert_eq!(post(&srv, &other, &undo, json!({})).await.0, 409);
        let (status, reopened) = post(&srv, &reviewer, &undo, json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(reopened["state"], "open");
        assert_eq!(
            post(&srv, &reviewer, &undo, json!({})).await.0,
            409,
            "undone once"
        );
        let (_, log) = srv
            .get(Some(&admin), &format!("/v1/audit?subject={subject}"))
            .await;
        assert_eq!(log[1]["action"], "review.undo");
        let (_, item) = srv
            .get(Some(&reviewer), &format!("/v1/review/items/{id}"))
            .await;
        assert_eq!(item["decisions"], json!([]));
        // …and it is still the reviewer's to decide.
        let (_, next) = post(&srv, &reviewer, "/v1/review/next", json!({})).await;
        assert_eq!(next["item"]["id"], id);
    }
);

both!(
    a_reviewers_reject_rejects_later_copies,
    config = queue_everything(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (ingest, _) = env.key(&[Scope::Ingest], None).await;
        let (reviewer, _) = env.key(&[Scope::Review], None).await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let v = srv
            .screen(
                &ingest,
                "p.jpg",
                ukbench("00120"),
                json!({"contributor_id": "alice"}),
            )
            .await;
        assert_eq!(v.decision(), "accept", "{v:?}");
        let upload = v.0["id"].as_str().unwrap().to_owned();

        reject_next(&srv, &reviewer).await;

        // The feedback job puts the photo in the `rejected` bank.
        let added = bank_addition(&srv, &admin, "rejected").await;
        assert_eq!(added["action"], "bank.add");
        assert_eq!(added["after"]["source"], format!("upload {upload}"));
        // The upload now carries the person's decision.
        let (_, view) = srv
            .get(Some(&ingest), &format!("/v1/uploads/{upload}"))
            .await;
        assert_eq!(view["review"]["decision"], "reject", "{view}");
        assert_eq!(view["review"]["reason_code"], "stock");
        assert_eq!(
            view["verdict"]["decision"], "accept",
            "the machine's verdict stays"
        );
        // The review team sees who decided; the ingest client an opaque,
        // stable id of the same kind.
        let (_, seen) = srv
            .get(Some(&reviewer), &format!("/v1/uploads/{upload}"))
            .await;
        let actor = seen["review"]["reviewer"].as_str().unwrap().to_owned();
        assert!(actor.starts_with("client:"), "{actor}");
        let opaque = view["review"]["reviewer"].as_str().unwrap();
        assert!(
            opaque.starts_with("client:") && opaque.len() == 7 + 16,
            "{opaque}"
        );
        assert_ne!(opaque, actor);
        let (_, again) = srv
            .get(Some(&ingest), &format!("/v1/uploads/{upload}"))
            .await;
        assert_eq!(again["review"]["reviewer"], opaque, "stable");

        // The same contributor's resized copy: rejected by the bank, where
        // a near-duplicate of one's own photo alone would only be reviewed.
        let resized =
            read("near-duplicates/imagededup-ukbench/mixed_images/ukbench00120_resize.jpg");
        let copy = srv
            .screen(
                &ingest,
                "again.jpg",
                resized,
                json!({"contributor_id": "alice"}),
            )
            .await;
        let hit = copy.finding("bank.match").expect("bank.match");
        assert_eq!(hit["evidence"]["bank"], "rejected");
        assert_eq!(copy.decision(), "reject", "{copy:?}");
    }
);

both!(
    second_opinions_go_to_another_reviewer_and_are_compared,
    config = {
        let mut c = queue_everything();
        c.review.second_opinion_rate = 1.0;
        c
    },
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (ingest, _) = env.key(&[Scope::Ingest], None).await;
        let (ann, _) = env.key(&[Scope::Review], None).await;
        let (ben, _) = env.key(&[Scope::Review], None).await;
        srv.screen(
            &ingest,
            "p.jpg",
            ukbench("01380"),
            json!({"contributor_id": "c"}),
        )
        .await;

        let (_, first) = post(&srv, &ann, "/v1/review/next", json!({})).await;
        assert_eq!(first["item"]["origin"], "qa");
        let path = format!("/v1/review/items/{}/decision", first["item"]["id"]);
        assert_eq!(
            post(
                &srv,
                &ann,
                &path,
                json!({"decision": "reject", "reason_code": "stock"})
            )
            .await
            .0,
            200
        );
        // The second opinion is never offered to the first reviewer.
        assert_eq!(post(&srv, &ann, "/v1/review/next", json!({})).await.0, 204);
        let (_, second) = post(&srv, &ben, "/v1/review/next", json!({})).await;
        assert_eq!(second["item"]["origin"], "second");
        assert_eq!(second["item"]["first_item"], first["item"]["id"]);
        assert_eq!(
            second["decisions"][0]["decision"], "reject",
            "the first decision is shown"
        );
        let path = format!("/v1/review/items/{}/decision", second["item"]["id"]);
        assert_eq!(
            post(
                &srv,
                &ben,
                &path,
                json!({"decision": "reject", "reason_code": "stock"})
            )
            .await
            .0,
            200
        );
        let (_, stats) = srv.get(Some(&ann), "/v1/review/stats").await;
        assert_eq!(stats["second_opinions"], json!({"pairs": 1, "agreed": 1}));
        // The machine accepted what both reviewers rejected.
        assert_eq!(stats["qa"], json!({"pairs": 1, "agreed": 0}));
    }
);

/// Screening records the policy in force in the audit log when it
/// changes; reviewer accounts made on the command line are audited too.
#[test]
fn policy_changes_and_new_reviewers_are_audited() {
    use super::cli::{bonafide, json_lines};
    let dir = tempfile::tempdir().unwrap();
    let photo = data("near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg");
    let scan = |policy: Option<&std::path::Path>| {
        let mut cmd = bonafide(dir.path());
        cmd.arg("scan").arg(&photo);
        if let Some(p) = policy {
            cmd.env("BONAFIDE_POLICY", p);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let export = || {
        let out = bonafide(dir.path())
            .args(["audit", "export"])
            .output()
            .unwrap();
        assert!(out.status.success());
        json_lines(&out.stdout)
    };
    scan(None);
    let out = bonafide(dir.path())
        .args(["reviewers", "add", "ada", "--role", "admin"])
        .env("BONAFIDE_REVIEWER_PASSWORD", "a long password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    scan(None);
    let log = export();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["policy.change", "reviewer.put"],
        "the same policy is recorded once"
    );
    assert_eq!(log[0]["before"], serde_json::Value::Null);
    assert_eq!(log[1]["subject"], "reviewer ada");
    assert_eq!(log[1]["after"]["role"], "admin");

    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "version = \"strict-1\"\nunmatched = \"review\"\n[[rule]]\ncode = \"duplicate.exact\"\naction = \"reject\"\n",
    )
    .unwrap();
    scan(Some(&policy));
    let log = export();
    assert_eq!(log.len(), 3);
    assert_eq!(log[2]["action"], "policy.change");
    assert_eq!(log[2]["after"]["version"], "strict-1");
    assert_eq!(log[2]["after"]["rule"][0]["code"], "duplicate.exact");
    assert_eq!(log[2]["before"]["version"], log[0]["after"]["version"]);
}

both!(
    a_pdf_is_shown_as_pictures_of_its_pages,
    config = queue_everything(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdf =
            read("documents-pdf/py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf");
        let v = srv
            .screen(&key, "paper.pdf", pdf, json!({"contributor_id": "c"}))
            .await;
        let upload = v.0["id"].as_str().unwrap().to_owned();
        let items = env
            .store()
            .review_items("open", &QueueFilter::default(), 10)
            .await
            .unwrap();
        let item = items
            .iter()
            .find(|i| i.upload_id == upload)
            .expect("queued");
        env.store()
            .put_reviewer(
                "ada",
                bonafide_store::ReviewerRole::Reviewer,
                "a long password",
            )
            .await
            .unwrap();
        let cookie = srv.log_in("ada", "a long password").await;
        let get = |path: String| {
            srv.http
                .get(srv.url(&path))
                .header("cookie", cookie.clone())
                .send()
        };
        let page = get(format!("/ui/items/{}", item.id))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The first three of four pages as pictures, and a download.
        for n in 1..=3 {
            assert!(
                page.contains(&format!("/ui/media/{upload}/page/{n}")),
                "{page}"
            );
        }
        assert!(!page.contains(&format!("/ui/media/{upload}/page/4")));
        assert!(!page.contains("<object"), "no browser PDF viewer");
        let drawn = get(format!("/ui/media/{upload}/page/1")).await.unwrap();
        assert_eq!(drawn.status(), 200);
        assert_eq!(drawn.headers()["content-type"], "image/png");
        assert_eq!(drawn.headers()["cache-control"], "no-store");
        assert!(drawn.bytes().await.unwrap().starts_with(b"\x89PNG"));
        for n in [0, 4] {
            let resp = get(format!("/ui/media/{upload}/page/{n}")).await.unwrap();
            assert_eq!(resp.status(), 404, "page {n}");
        }
        // The file itself only as a download, under the sandbox.
        let file = get(format!("/ui/media/{upload}")).await.unwrap();
        assert_eq!(file.headers()["content-disposition"], "attachment");
        assert_eq!(file.headers()["content-type"], "application/octet-stream");
        let csp = file.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("sandbox"), "{csp}");
    }
);

both!(
    a_webhook_names_no_reviewer,
    config = {
        let mut c = queue_everything();
        c.egress.allow_private_networks = true;
        c.egress.allow_http = true;
        c
    },
    |env: TestEnv| async move {
        let sink = WebhookSink::start().await;
        let srv = env.serve().await;
        let (ingest, _) = env.key(&[Scope::Ingest], Some(sink.url.clone())).await;
        let (reviewer_id, reviewer) = env.client(&[Scope::Review]).await;
        srv.screen(
            &ingest,
            "p.jpg",
            ukbench("00120"),
            json!({"contributor_id": "c"}),
        )
        .await;
        reject_next(&srv, &reviewer).await;

        // The decision's webhook says who decided only as an opaque id.
        let reviewed = sink.wait_for(|b| b["review"].is_object()).await;
        let body = reviewed.expect("a webhook after the decision");
        let who = body["review"]["reviewer"].as_str().unwrap();
        assert!(who.starts_with("client:") && who.len() == 7 + 16, "{who}");
        assert!(!who.contains(&reviewer_id), "{who}");
        assert_eq!(body["review"]["decision"], "reject");
    }
);

both!(
    a_reviewers_reject_is_remembered_for_its_tenant_only,
    config = queue_everything(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (acme, _) = env.tenant_key(&[Scope::Ingest], Some("acme"), None).await;
        let (globex, _) = env.tenant_key(&[Scope::Ingest], Some("globex"), None).await;
        let (reviewer, _) = env.key(&[Scope::Review], None).await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        srv.screen(
            &acme,
            "p.jpg",
            ukbench("00120"),
            json!({"contributor_id": "alice"}),
        )
        .await;
        reject_next(&srv, &reviewer).await;
        let added = bank_addition(&srv, &admin, "rejected-acme").await;
        assert!(
            !added["after"]["licence"]
                .as_str()
                .unwrap()
                .contains("client:"),
            "the entry names no reviewer: {added}"
        );

        let resized =
            || read("near-duplicates/imagededup-ukbench/mixed_images/ukbench00120_resize.jpg");
        let copy = srv
            .screen(&acme, "a.jpg", resized(), json!({"contributor_id": "bob"}))
            .await;
        let hit = copy.finding("bank.match").expect("bank.match");
        assert_eq!(hit["evidence"]["bank"], "rejected-acme");
        assert_eq!(copy.decision(), "reject", "{copy:?}");
        // Globex never sees acme's rejects.
        let elsewhere = srv
            .screen(
                &globex,
                "g.jpg",
                resized(),
                json!({"contributor_id": "bob"}),
            )
            .await;
        assert!(elsewhere.finding("bank.match").is_none(), "{elsewhere:?}");
        assert_ne!(elsewhere.decision(), "reject", "{elsewhere:?}");
    }
);
