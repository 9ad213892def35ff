//! Task-content matching: what an upload shows against what its task asks.

use bonafide_store::Scope;
use serde_json::json;

use crate::common::*;

/// ImageNet's dog breeds (classes 151–268), by the names the installed
/// concept list gives them.
fn dog_breeds() -> Vec<String> {
    let concepts = std::fs::read_to_string(models_dir().join("imagenet-concepts.tsv")).unwrap();
    concepts
        .lines()
        .skip(151)
        .take(118)
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

/// Screens a file of the shared data as an answer (`meta` names the task).
async fn answer(srv: &Server, key: &str, rel: &str, meta: &serde_json::Value) -> UploadViewJson {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    srv.screen(key, name, read(rel), meta.clone()).await
}

async fn put_task(srv: &Server, admin: &str, id: &str, task: serde_json::Value) {
    let (status, body) = try_put_task(srv, admin, id, task).await;
    assert_eq!(status, 200, "{body}");
}

/// Screens a 4 s pan/zoom video of a photo of the shared data as an answer
/// to the seed's task, "a video of yourself taking out the trash".
async fn trash_video(env: &TestEnv, srv: &Server, admin: &str, photo: &str) -> UploadViewJson {
    put_task(
        srv,
        admin,
        "trash",
        json!({
            "title": "Take out the trash",
            "instructions": "A video of yourself taking out the trash",
            "allowed_kinds": ["video"],
        }),
    )
    .await;
    let video = video_of(photo, env.dir.path());
    srv.screen(
        admin,
        "clip.mp4",
        video,
        json!({"contributor_id": "c", "task_id": "trash"}),
    )
    .await
}

both!(
    a_dog_video_for_the_trash_task_is_rejected_in_words,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let dog = "ai-generated/ml72-playground/real/animals_10.jpg";
        let v = trash_video(&env, &srv, &admin, dog).await;
        assert_eq!(v.decision(), "reject", "{v:?}");
        let mismatch = v
            .finding("task.mismatch")
            .unwrap_or_else(|| panic!("{v:?}"));
        let seen = mismatch["evidence"]["saw"][0]["concept"].as_str().unwrap();
        assert!(dog_breeds().iter().any(|b| b == seen), "saw {seen}");
        let message = mismatch["message"].as_str().unwrap();
        assert!(
            message.contains(seen) && message.contains("Take out the trash"),
            "{message}"
        );
        let reason = &v.0["verdict"]["reasons"][0];
        assert_eq!(reason["code"], "task.mismatch");
        // "yourself": the task needs a person through most of the clip.
        let nobody = finding_of(&v, "task_objects").unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(nobody["evidence"]["inferred_from"], "yourself", "{nobody}");
        assert!(
            nobody["evidence"]["share"].as_f64().unwrap() < 0.5,
            "{nobody}"
        );
    }
);

both!(
    a_video_of_a_person_for_a_yourself_task_is_not_rejected,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let person = "ai-generated/ml72-playground/real/people_10.jpg";
        let v = trash_video(&env, &srv, &admin, person).await;
        // No bin in sight, so a person may look; but a person is there.
        assert_ne!(v.decision(), "reject", "{v:?}");
        assert!(finding_of(&v, "task_objects").is_none(), "{v:?}");
    }
);

both!(
    a_person_photo_for_a_person_task_is_not_rejected,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        put_task(
            &srv,
            &admin,
            "portrait",
            json!({
                "title": "A photo of a person",
                "instructions": "Take a photo of a person, outdoors or indoors.",
            }),
        )
        .await;
        let v = srv
            .screen(
                &admin,
                "person.jpg",
                read("ai-generated/ml72-playground/real/people_10.jpg"),
                json!({"contributor_id": "c", "task_id": "portrait"}),
            )
            .await;
        assert_ne!(v.decision(), "reject", "{v:?}");
        assert!(v.finding("task.mismatch").is_none(), "{v:?}");
        // ImageNet has no class for a person (it sees the clothes); the
        // object detector's person counts, ranked among its categories.
        let shows = v.finding("task.match").unwrap_or_else(|| panic!("{v:?}"));
        let person = &shows["evidence"]["objects_weighed"][0];
        assert_eq!(person["object"], "person", "{shows}");
        assert!(person["relatedness"].as_f64().unwrap() > 0.9, "{shows}");
        assert!(
            shows["message"].as_str().unwrap().contains("person"),
            "{shows}"
        );
        // The pose estimator read the person's body in the detector's box:
        // head, shoulders and arms are in the photo.
        let seen = &shows["evidence"]["objects"][0][0];
        assert_eq!(seen["label"], "person", "{shows}");
        let parts = seen["pose"]["parts"].as_array().unwrap();
        for part in ["head", "shoulders", "arms"] {
            assert!(parts.iter().any(|p| p == part), "{part}: {seen}");
        }
        assert_eq!(seen["pose"]["keypoints"].as_array().unwrap().len(), 17);
        assert!(
            shows["message"]
                .as_str()
                .unwrap()
                .contains("(head, shoulders"),
            "{shows}"
        );
    }
);

/// The finding one detector raised, if any.
fn finding_of<'a>(v: &'a UploadViewJson, detector: &str) -> Option<&'a serde_json::Value> {
    v.0["findings"]
        .as_array()?
        .iter()
        .find(|f| f["detector"] == detector)
}

both!(
    exemplars_teach_a_task_what_to_accept,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        put_task(
            &srv,
            &admin,
            "pet",
            json!({
                "title": "Your pet",
                "instructions": "Take a photo of your cat or dog.",
            }),
        )
        .await;
        let real = |name: &str| read(&format!("ai-generated/ml72-playground/real/{name}.jpg"));
        let example = |name: &'static str| {
            let srv = &srv;
            let admin = &admin;
            async move {
                let v = srv
                    .screen(
                        admin,
                        name,
                        real(name),
                        json!({"contributor_id": "examples"}),
                    )
                    .await;
                v.0["id"].as_str().unwrap().to_owned()
            }
        };
        let (cat, mountain) = (example("animals_8").await, example("nature_3").await);
        for (id, label) in [(&cat, "positive"), (&mountain, "negative")] {
            let resp = srv
                .http
                .put(srv.url(&format!("/v1/tasks/pet/exemplars/{id}")))
                .bearer_auth(&admin)
                .json(&json!({"label": label}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
        }
        let (_, listed) = srv.get(Some(&admin), "/v1/tasks/pet/exemplars").await;
        assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");

        // Another cat is like the positive example.
        let meta = json!({"contributor_id": "c", "task_id": "pet"});
        let v = srv
            .screen(&admin, "cat.jpg", real("animals_9"), meta.clone())
            .await;
        let f = finding_of(&v, "task_exemplars").unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(f["code"], "task.match", "{f}");
        // A mountain lake is like the negative one.
        let v = srv.screen(&admin, "lake.jpg", real("nature_7"), meta).await;
        let f = finding_of(&v, "task_exemplars").unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(f["code"], "task.mismatch", "{f}");
        assert!(f["evidence"]["to_negative"].as_f64() > f["evidence"]["to_positive"].as_f64());
        assert_ne!(v.decision(), "accept");

        // Unknown uploads, uploads without an image embedding (a PDF) and
        // unknown labels are refused, each with its own code.
        let mark = |upload: String, body: serde_json::Value| {
            let (srv, admin) = (&srv, &admin);
            async move {
                let resp = srv
                    .http
                    .put(srv.url(&format!("/v1/tasks/pet/exemplars/{upload}")))
                    .bearer_auth(admin)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = resp.status().as_u16();
                (
                    status,
                    resp.json::<serde_json::Value>().await.unwrap_or_default(),
                )
            }
        };
        let positive = json!({"label": "positive"});
        assert_eq!(mark("no-such-upload".into(), positive.clone()).await.0, 404);
        let pdf = answer(
            &srv,
            &admin,
            "documents-pdf/py-pdf-sample-files/004-pdflatex-4-pages/pdflatex-4-pages.pdf",
            &json!({"contributor_id": "examples"}),
        )
        .await;
        let pdf_id = pdf.0["id"].as_str().unwrap().to_owned();
        let (status, body) = mark(pdf_id, positive).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("not_embedded")),
            "{body}"
        );
        let (status, body) = mark(cat.clone(), json!({"label": "maybe"})).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("invalid_exemplar")),
            "{body}"
        );

        let delete = || {
            srv.http
                .delete(srv.url(&format!("/v1/tasks/pet/exemplars/{mountain}")))
                .bearer_auth(&admin)
                .send()
        };
        assert_eq!(delete().await.unwrap().status(), 204);
        assert_eq!(delete().await.unwrap().status(), 404);
    }
);

both!(
    person_and_orientation_requirements,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        put_task(
            &srv,
            &admin,
            "selfie",
            json!({
                "title": "A square photo of yourself",
                "requirements": {"shows_person": true, "orientation": "square"},
            }),
        )
        .await;
        let meta = json!({"contributor_id": "c", "task_id": "selfie"});
        let person = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/people_10.jpg",
            &meta,
        )
        .await;
        assert!(person.finding("task.no_person").is_none(), "{person:?}");
        assert!(
            person.finding("task.wrong_orientation").is_none(),
            "{person:?}"
        );
        assert!(person.finding("content.nudity").is_none(), "{person:?}");

        let mountain = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/nature_3.jpg",
            &meta,
        )
        .await;
        let none = mountain
            .finding("task.no_person")
            .unwrap_or_else(|| panic!("{mountain:?}"));
        assert!(none["evidence"]["score"].as_f64().unwrap() < 0.35);
        assert_ne!(mountain.decision(), "accept");

        let wide = answer(
            &srv,
            &admin,
            "near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg",
            &meta,
        )
        .await;
        let turned = wide
            .finding("task.wrong_orientation")
            .unwrap_or_else(|| panic!("{wide:?}"));
        assert_eq!(turned["evidence"]["orientation"], "landscape");
        assert_eq!(wide.decision(), "reject");
    }
);

both!(
    document_tasks_need_readable_text,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        put_task(
            &srv,
            &admin,
            "letter",
            json!({
                "title": "A printed letter or form",
                "requirements": {"readable_text": true},
            }),
        )
        .await;
        let meta = json!({"contributor_id": "c", "task_id": "letter"});
        let samples = "documents-pdf/py-pdf-sample-files";

        // A photo of a printed page (the page rendered, as a phone would see it).
        let page = env.dir.path().join("page");
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile"])
            .arg(data(&format!(
                "{samples}/011-google-doc-document/google-doc-document.pdf"
            )))
            .arg(&page)
            .status()
            .unwrap();
        assert!(status.success());
        let bytes = std::fs::read(page.with_extension("png")).unwrap();
        let v = srv.screen(&admin, "page.png", bytes, meta.clone()).await;
        assert!(v.finding("task.no_readable_text").is_none(), "{v:?}");

        // A landscape photo has no text.
        let v = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/nature_3.jpg",
            &meta,
        )
        .await;
        let none = v
            .finding("task.no_readable_text")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert!(none["evidence"]["lines"].as_u64().unwrap() < 5);
        assert_eq!(v.decision(), "review");

        // A PDF with a text layer passes; one made of pictures only does not.
        let v = answer(
            &srv,
            &admin,
            &format!("{samples}/004-pdflatex-4-pages/pdflatex-4-pages.pdf"),
            &meta,
        )
        .await;
        assert!(v.finding("task.no_readable_text").is_none(), "{v:?}");
        let v = answer(
            &srv,
            &admin,
            &format!("{samples}/019-grayscale-image/grayscale-image.pdf"),
            &meta,
        )
        .await;
        let none = v
            .finding("task.no_readable_text")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(none["evidence"]["words"], 0);
    }
);

/// A `PUT /v1/tasks` answer's status and body.
async fn try_put_task(
    srv: &Server,
    admin: &str,
    id: &str,
    task: serde_json::Value,
) -> (u16, serde_json::Value) {
    let resp = srv
        .http
        .put(srv.url(&format!("/v1/tasks/{id}")))
        .bearer_auth(admin)
        .json(&task)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

both!(
    requirement_words_are_checked_when_a_task_is_saved,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let task = |requirements: serde_json::Value| json!({"title": "Your pet", "requirements": requirements});
        let (status, body) = try_put_task(
            &srv,
            &admin,
            "pet",
            task(json!({"must_show": ["cat", "dogg"]})),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.contains("must_show")
                && message.contains("\"dogg\"")
                && message.contains("dog,"),
            "{message}"
        );
        let (status, body) = try_put_task(
            &srv,
            &admin,
            "pet",
            task(json!({"person_count": {"min": 3, "max": 1}})),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        // Empty lists and known words (any case, plural, ImageNet lemmas) are fine.
        let (status, body) = try_put_task(
            &srv,
            &admin,
            "pet",
            task(json!({"must_show": [], "must_not_show": ["Dogs", "garbage can"]})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["requirements"]["must_not_show"][1], "garbage can");
    }
);

both!(
    explicit_requirements_say_what_was_seen_and_where,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        put_task(
            &srv,
            &admin,
            "cat",
            json!({
                "title": "Your cat",
                "instructions": "A photo of your cat.",
                "requirements": {"must_show": ["cat"], "must_not_show": ["dog"]},
            }),
        )
        .await;
        let meta = json!({"contributor_id": "c", "task_id": "cat"});
        let dog = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/animals_10.jpg",
            &meta,
        )
        .await;
        assert_eq!(dog.decision(), "reject", "{dog:?}");
        let forbidden = dog.0["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["detector"] == "task_objects" && f["evidence"]["requirement"] == "must_not_show"
            })
            .unwrap_or_else(|| panic!("{dog:?}"));
        assert!(
            forbidden["message"].as_str().unwrap().contains("dog"),
            "{forbidden}"
        );
        let first = &forbidden["evidence"]["seen"][0][0];
        assert_eq!(first["label"], "dog", "{forbidden}");
        assert!(first["box"]["w"].as_u64().unwrap() > 100, "{forbidden}");

        let cat = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/animals_8.jpg",
            &meta,
        )
        .await;
        assert_ne!(cat.decision(), "reject", "{cat:?}");
        assert!(finding_of(&cat, "task_objects").is_none(), "{cat:?}");

        put_task(
            &srv,
            &admin,
            "selfie",
            json!({
                "title": "A photo of yourself",
                "requirements": {"person_count": {"min": 1, "max": 1}},
            }),
        )
        .await;
        let meta = json!({"contributor_id": "c", "task_id": "selfie"});
        let person = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/people_10.jpg",
            &meta,
        )
        .await;
        assert!(finding_of(&person, "task_objects").is_none(), "{person:?}");
        let nobody = answer(
            &srv,
            &admin,
            "ai-generated/ml72-playground/real/nature_3.jpg",
            &meta,
        )
        .await;
        let missing = finding_of(&nobody, "task_objects").unwrap_or_else(|| panic!("{nobody:?}"));
        assert_eq!(missing["evidence"]["counts"], json!([0]), "{missing}");
        assert_ne!(nobody.decision(), "accept", "{nobody:?}");
    }
);
