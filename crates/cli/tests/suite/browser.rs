//! The reviewers' web UI in a real browser: headless Chromium driven over
//! WebDriver (chromedriver, from `scripts/setup --test`). It logs in,
//! opens the queue, decides items with the keyboard, undoes one, and checks
//! that the decisions are stored and audited. It also takes the
//! screenshots in docs/screenshots/ (rewritten when
//! BONAFIDE_UPDATE_SCREENSHOTS=1).

use std::{path::PathBuf, process::Stdio, time::Duration};

use base64::Engine as _;
use bonafide_store::{HumanDecision, ReviewerRole, Scope};
use serde_json::{Value, json};

use crate::common::*;

/// A chromedriver process and one browser session — just the WebDriver
/// calls this test needs (W3C WebDriver over HTTP).
struct Browser {
    driver: std::process::Child,
    http: reqwest::Client,
    base: String,
}

impl Browser {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (scripts/setup --test installs chromium-driver)");
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{url}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1440,1000"]}
        }}});
        let resp: Value = http
            .post(format!("{url}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {resp}"));
        Self {
            driver,
            http,
            base: format!("{url}/session/{session}"),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        assert!(v["value"]["error"].is_null(), "WebDriver {path}: {v}");
        v["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The element `css` selects, waiting up to ten seconds for it to
    /// appear (a form post may still be loading the next page).
    async fn element(&self, css: &str) -> String {
        for _ in 0..100 {
            let v: Value = self
                .http
                .post(format!("{}/element", self.base))
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if let Some(id) = v["value"]
                .as_object()
                .filter(|o| o.get("error").is_none())
                .and_then(|o| o.values().next())
                .and_then(Value::as_str)
            {
                return id.to_owned();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no element {css} on {}", self.url().await);
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let el = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{el}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn text(&self, css: &str) -> String {
        let el = self.element(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{el}/text"), None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Presses one key on the page, as a reviewer would.
    async fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.call(reqwest::Method::POST, "/actions", Some(actions))
            .await;
    }

    /// Waits until the page's URL satisfies `ok`.
    async fn wait_url(&self, ok: impl Fn(&str) -> bool) -> String {
        for _ in 0..100 {
            let url = self.url().await;
            if ok(&url) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the page did not change as expected (at {})",
            self.url().await
        );
    }

    /// Saves a screenshot under target/screenshots/; the SQLite run also
    /// refreshes docs/screenshots/ when asked to.
    async fn screenshot(&self, backend: Backend, name: &str) {
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = root.join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{backend:?}-{name}")), &bytes).unwrap();
        if backend == Backend::Sqlite
            && std::env::var("BONAFIDE_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1")
        {
            std::fs::write(root.join("docs/screenshots").join(name), &bytes).unwrap();
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver ends its browsers when it exits.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn reviewing() -> bonafide_engine::EngineConfig {
    let mut config = fast_config();
    config.review.qa_rate = 1.0;
    config.review.second_opinion_rate = 0.0;
    config.review.undo_secs = 600;
    config
}

both!(
    a_reviewer_logs_in_and_decides_by_keyboard,
    config = reviewing(),
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        // An original and a recoloured copy by the same contributor: the
        // copy goes to review; the original is a QA sample.
        for (file, who) in [
            (format!("{pdq}/bridge-mods/aaa-orig.jpg"), "alice"),
            (format!("{pdq}/bridge-mods/high-saturation.jpg"), "alice"),
        ] {
            let v = srv
                .screen(
                    &key,
                    "photo.jpg",
                    read(&file),
                    json!({"contributor_id": who, "device_id": "phone-7"}),
                )
                .await;
            assert_ne!(v.decision(), "none");
        }
        env.store()
            .put_reviewer("ada", ReviewerRole::Admin, "correct horse battery")
            .await
            .unwrap();
        let ui = format!("http://localhost:{}", srv.addr.port());
        let browser = Browser::start().await;

        // Not logged in: the queue sends us to the login page.
        browser.go(&format!("{ui}/ui/queue")).await;
        browser.wait_url(|u| u.ends_with("/ui/login")).await;
        browser.type_into("#name", "ada").await;
        browser.type_into("#password", "wrong password").await;
        browser.click("#login").await;
        assert!(
            browser
                .text(".error")
                .await
                .contains("Wrong name or password")
        );
        browser.type_into("#name", "ada").await;
        browser
            .type_into("#password", "correct horse battery")
            .await;
        browser.click("#login").await;
        browser.wait_url(|u| u.ends_with("/ui/queue")).await;
        let queue = browser.text("#items").await;
        assert!(queue.contains("duplicate.near"), "{queue}");
        browser.screenshot(env.backend, "queue.png").await;

        // N opens the most urgent item: the near-duplicate, with its match.
        browser.press("n").await;
        let url = browser.wait_url(|u| u.contains("/ui/items/")).await;
        let first: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
        assert!(browser.text("#findings").await.contains("duplicate.near"));
        assert!(
            browser.text("#metadata").await.len() > 10,
            "a metadata table"
        );
        browser.screenshot(env.backend, "item.png").await;

        // R, then 3: rejected as a stock photo; the next item opens.
        browser.press("r").await;
        browser.press("3").await;
        let url = browser.wait_url(|u| u.contains("undo=")).await;
        let second: i64 = url
            .split("/ui/items/")
            .nth(1)
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_ne!(second, first);
        let store = env.store();
        let item = store.review_item(first).await.unwrap().unwrap();
        let decided = store.review_decisions_of(&item.upload_id).await.unwrap();
        assert_eq!(decided.len(), 1);
        assert_eq!(decided[0].decision, HumanDecision::Reject);
        assert_eq!(decided[0].reason_code.as_deref(), Some("stock"));
        assert_eq!(decided[0].reviewer, "reviewer:ada");
        let log = store
            .audit_log(0, 100, Some(&format!("upload {}", item.upload_id)))
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].entry.action, "review.decide");
        assert_eq!(log[0].entry.actor, "reviewer:ada");
        assert_eq!(log[0].entry.after["reason_code"], "stock");

        // U takes it back: the first item is open and ours again.
        browser.press("u").await;
        browser
            .wait_url(|u| u.ends_with(&format!("/ui/items/{first}")))
            .await;
        assert!(
            store
                .review_decisions_of(&item.upload_id)
                .await
                .unwrap()
                .is_empty()
        );
        let log = store
            .audit_log(0, 100, Some(&format!("upload {}", item.upload_id)))
            .await
            .unwrap();
        assert_eq!(log[1].entry.action, "review.undo");

        // A accepts it instead.
        browser.press("a").await;
        browser.wait_url(|u| u.contains("undo=")).await;
        let decided = store.review_decisions_of(&item.upload_id).await.unwrap();
        assert_eq!(decided.len(), 1);
        assert_eq!(decided[0].decision, HumanDecision::Accept);

        // The admin sees all three in the audit log.
        browser.go(&format!("{ui}/ui/audit")).await;
        let audit = browser.text("#audit").await;
        assert_eq!(audit.matches("review.decide").count(), 2, "{audit}");
        assert!(audit.contains("review.undo"));
    }
);
