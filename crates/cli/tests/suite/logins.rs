//! Reviewers' logins over HTTP: one answer for unknown names and wrong
//! passwords, throttling of repeated failures, and an audit trail.

use bonafide_store::ReviewerRole;

use crate::common::*;

async fn login(http: &reqwest::Client, srv: &Server, body: &str) -> reqwest::Response {
    srv.login_request(http, body).send().await.unwrap()
}

both!(
    unknown_names_and_wrong_passwords_get_the_same_answer,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        env.store()
            .put_reviewer("ada", ReviewerRole::Reviewer, "correct horse battery")
            .await
            .unwrap();
        let http = no_redirects();
        // An unknown name (checked against a stand-in hash) and a known
        // name with a wrong password: the same page, no session.
        for body in [
            "name=nobody&password=whatever1",
            "name=ada&password=wrong-one",
        ] {
            let resp = login(&http, &srv, body).await;
            assert_eq!(resp.status().as_u16(), 200, "{body}");
            assert!(resp.headers().get("set-cookie").is_none(), "{body}");
            let page = resp.text().await.unwrap();
            assert!(page.contains("Wrong name or password."), "{body}");
        }
        let resp = login(&http, &srv, "name=ada&password=correct+horse+battery").await;
        assert_eq!(resp.status().as_u16(), 303, "{resp:?}");
        assert!(resp.headers().get("set-cookie").is_some(), "{resp:?}");
    }
);

both!(
    repeated_failures_are_throttled_and_audited,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let store = env.store();
        store
            .put_reviewer("ada", ReviewerRole::Reviewer, "correct horse battery")
            .await
            .unwrap();
        store
            .put_reviewer("grace", ReviewerRole::Reviewer, "another fine password")
            .await
            .unwrap();
        let http = no_redirects();
        // Thirty wrong passwords in a row: the first few are answered as
        // wrong, then every try is refused before the password is checked.
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for i in 0..30 {
            let resp = login(&http, &srv, &format!("name=ada&password=guess-{i}")).await;
            statuses.push(resp.status().as_u16());
            if resp.status().as_u16() == 429 {
                retry_after = resp.headers().get("retry-after").cloned();
                assert!(
                    resp.text()
                        .await
                        .unwrap()
                        .contains("Too many failed logins")
                );
            }
        }
        let wrong = statuses.iter().filter(|&&s| s == 200).count();
        assert_eq!(&statuses[..wrong], vec![200; wrong].as_slice());
        assert!((1..=10).contains(&wrong), "{statuses:?}");
        assert!(statuses[wrong..].iter().all(|&s| s == 429), "{statuses:?}");
        let secs: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&secs), "Retry-After {secs}");
        // While throttled even the right password waits: the attacker
        // learns nothing from trying it.
        let resp = login(&http, &srv, "name=ada&password=correct+horse+battery").await;
        assert_eq!(resp.status().as_u16(), 429);
        // Another reviewer is not held up.
        let resp = login(&http, &srv, "name=grace&password=another+fine+password").await;
        assert_eq!(resp.status().as_u16(), 303);

        // Each checked failure is in the audit log, refusals are not (a
        // flood of refusals writes nothing); the success is there too.
        let failed = store.audit_log_latest(100).await.unwrap();
        let count = |action: &str| failed.iter().filter(|r| r.entry.action == action).count();
        assert_eq!(count("reviewer.login_failed"), wrong);
        assert_eq!(count("reviewer.login"), 1);
        let entry = failed
            .iter()
            .find(|r| r.entry.action == "reviewer.login_failed")
            .unwrap();
        assert_eq!(entry.entry.subject, "reviewer ada");
        assert_eq!(entry.entry.actor, "anonymous");
        assert_eq!(entry.entry.after["address"], "127.0.0.1");

        // Thirty tries sent at once get no more than the free ones checked:
        // each is counted when admitted, before its password is.
        let tries = (0..30).map(|i| {
            let (http, srv) = (&http, &srv);
            async move {
                login(http, srv, &format!("name=linus&password=guess-{i}"))
                    .await
                    .status()
                    .as_u16()
            }
        });
        let statuses = futures::future::join_all(tries).await;
        let checked = statuses.iter().filter(|&&s| s == 200).count();
        assert!((1..=wrong).contains(&checked), "{statuses:?}");
        assert!(
            statuses.iter().all(|&s| s == 200 || s == 429),
            "{statuses:?}"
        );
    }
);

both!(
    a_login_posted_from_another_site_is_refused,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        env.store()
            .put_reviewer("ada", ReviewerRole::Reviewer, "correct horse battery")
            .await
            .unwrap();
        let http = no_redirects();
        let post = |origin: Option<String>| {
            let req = srv.login_request(&http, "name=ada&password=correct+horse+battery");
            match origin {
                Some(origin) => req.header("origin", origin),
                None => req,
            }
            .send()
        };
        // A page elsewhere posting the form: refused, no session set.
        let resp = post(Some("https://evil.example".into())).await.unwrap();
        assert_eq!(resp.status().as_u16(), 403);
        assert!(resp.headers().get("set-cookie").is_none());
        // The login page itself, and clients that send no Origin.
        let own = format!("http://{}", srv.addr);
        for origin in [Some(own), None] {
            let resp = post(origin.clone()).await.unwrap();
            assert_eq!(resp.status().as_u16(), 303, "{origin:?}");
            let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
            assert!(cookie.starts_with("__Host-bf_session="), "{cookie}");
            assert!(
                cookie.contains("; Path=/;") && cookie.contains("Secure"),
                "{cookie}"
            );
        }
    }
);
