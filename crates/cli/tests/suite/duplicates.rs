//! Copies across accounts through the HTTP API: the same bytes, re-encoded
//! and edited photos, resaved documents, clips cut from videos, banks of
//! known images, the allowlist, and the flood guard of an image that
//! matches too many uploads.

use bonafide_store::Scope;
use serde_json::json;

use super::api::PHOTO;
use crate::common::*;

both!(
    same_bytes_from_two_contributors_is_a_cross_account_duplicate,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = read(PHOTO);

        let (s1, first) = srv
            .upload(
                &key,
                "a.jpg",
                photo.clone(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        assert_eq!(s1, 202, "{first}");
        let first_id = first["id"].as_str().unwrap().to_owned();
        let v1 = srv.verdict(&key, &first_id).await;
        assert_eq!(v1.decision(), "accept", "{:?}", v1);
        assert_eq!(v1.0["width"], 640);

        let v2 = srv
            .screen(
                &key,
                "b.jpg",
                photo.clone(),
                json!({"contributor_id": "bob"}),
            )
            .await;
        let dup = v2
            .finding("duplicate.exact")
            .expect("duplicate.exact finding");
        assert_eq!(dup["evidence"]["first_upload_id"], first_id.as_str());
        assert_eq!(dup["evidence"]["cross_contributor"], true);
        assert_eq!(v2.decision(), "reject");
        assert_eq!(v2.0["verdict"]["reasons"][0]["code"], "duplicate.exact");

        // The same contributor re-sending is weaker evidence: a person looks.
        let v3 = srv
            .screen(&key, "c.jpg", photo, json!({"contributor_id": "alice"}))
            .await;
        assert_eq!(
            v3.finding("duplicate.exact").unwrap()["evidence"]["cross_contributor"],
            false
        );
        assert_eq!(v3.decision(), "review");
    }
);

both!(
    a_reencoded_copy_from_another_account_is_a_near_duplicate,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        let (_, first) = srv
            .upload(
                &key,
                "orig.jpg",
                read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let first_id = first["id"].as_str().unwrap().to_owned();
        assert_eq!(srv.verdict(&key, &first_id).await.decision(), "accept");

        // Rotated 90° and re-encoded, from another account: rejected.
        let rotated = read(&format!("{pdq}/reg-test-input/dih/bridge-2-rotate-90.jpg"));
        let v = srv
            .screen(
                &key,
                "mine.jpg",
                rotated,
                json!({"contributor_id": "mallory"}),
            )
            .await;
        let near = v.finding("duplicate.near").expect("duplicate.near");
        assert_eq!(near["evidence"]["matched_upload_id"], first_id.as_str());
        assert_eq!(near["evidence"]["cross_contributor"], true);
        assert_ne!(near["evidence"]["orientation"], "original");
        assert_eq!(v.decision(), "reject", "{v:?}");

        // A recoloured copy from the same contributor: a person looks.
        let saturated = read(&format!("{pdq}/bridge-mods/high-saturation.jpg"));
        assert_eq!(
            srv.screen(
                &key,
                "again.jpg",
                saturated,
                json!({"contributor_id": "alice"})
            )
            .await
            .decision(),
            "review"
        );

        // A different photo matches nothing.
        let other = read("near-duplicates/imagededup-ukbench/base_images/ukbench09040.jpg");
        assert_eq!(
            srv.screen(
                &key,
                "other.jpg",
                other,
                json!({"contributor_id": "mallory"})
            )
            .await
            .decision(),
            "accept"
        );
    }
);

both!(
    an_image_matching_too_many_uploads_cannot_reject_alone,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench09012.jpg");
        let flood = bonafide_matching::FLOOD_LIMIT + 1;
        let mut last = None;
        for i in 0..=flood {
            // Same pixels, different bytes (data after the JPEG's end marker),
            // each from another account: a meme template or a stock logo.
            let mut copy = photo.clone();
            copy.extend_from_slice(format!("copy {i}").as_bytes());
            let (status, up) = srv
                .upload(
                    &key,
                    "c.jpg",
                    copy,
                    json!({"contributor_id": format!("acct{i}")}),
                )
                .await;
            assert_eq!(status, 202);
            let v = srv.verdict(&key, up["id"].as_str().unwrap()).await;
            if i == 1 {
                assert_eq!(
                    v.decision(),
                    "reject",
                    "a second account's copy is rejected: {v:?}"
                );
            }
            last = Some(v);
        }
        let last = last.unwrap();
        let near = last.finding("duplicate.near").unwrap();
        assert_eq!(near["evidence"]["low_signal"], true);
        assert_eq!(near["evidence"]["match_count"], flood);
        assert_eq!(
            last.decision(),
            "review",
            "flooded hashes go to a person: {last:?}"
        );
    }
);

/// A PDF re-saved by another tool: other bytes, same text.
fn resaved(pdf: &[u8]) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

both!(
    resaved_and_edited_documents_are_near_duplicates,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let samples = "documents-pdf/py-pdf-sample-files";
        let pdf = read(&format!("{samples}/001-trivial/minimal-document.pdf"));
        let (_, first) = srv
            .upload(
                &key,
                "paper.pdf",
                pdf.clone(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let first_id = first["id"].as_str().unwrap().to_owned();
        assert_eq!(srv.verdict(&key, &first_id).await.decision(), "accept");

        let copy = resaved(&pdf);
        assert_ne!(copy, pdf, "re-saving changes the bytes");
        let v = srv
            .screen(&key, "mine.pdf", copy, json!({"contributor_id": "bob"}))
            .await;
        let near = v.finding("duplicate.near").expect("duplicate.near");
        assert_eq!(near["evidence"]["media"], "document");
        assert_eq!(near["evidence"]["matched_upload_id"], first_id.as_str());
        assert!(near["evidence"]["similarity"].as_f64().unwrap() > 0.95);
        assert_eq!(v.decision(), "reject", "{v:?}");

        // The same text set again in LibreOffice instead of pdfTeX: line breaks,
        // hyphenation and a heading differ.
        let retyped = read(&format!(
            "{samples}/002-trivial-libre-office-writer/002-trivial-libre-office-writer.pdf"
        ));
        let v = srv
            .screen(
                &key,
                "retyped.pdf",
                retyped,
                json!({"contributor_id": "carol"}),
            )
            .await;
        let near = v
            .finding("duplicate.near")
            .expect("a re-typeset copy is a near duplicate");
        let similarity = near["evidence"]["similarity"].as_f64().unwrap();
        assert!((0.5..0.95).contains(&similarity), "{similarity}");
        assert_eq!(v.decision(), "review");

        let other = read(&format!(
            "{samples}/011-google-doc-document/google-doc-document.pdf"
        ));
        assert_eq!(
            srv.screen(&key, "other.pdf", other, json!({"contributor_id": "bob"}))
                .await
                .decision(),
            "accept"
        );
    }
);

both!(
    uploads_matching_a_bank_are_flagged_with_its_source,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        let known = image::load_from_memory(&read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")))
            .unwrap()
            .into_rgb8();
        let hash = bonafide_pdq::hash_image(&known);
        env.store()
            .ensure_bank("stock", "a stock catalogue")
            .await
            .unwrap();
        let entry = bonafide_store::BankEntry {
            seq: 0,
            bank: "stock".into(),
            pdq: hash.hash.to_bytes(),
            quality: hash.quality,
            source: "https://stock.example/bridge".into(),
            licence: "rights-managed".into(),
            rights_holder: String::new(),
            embedding: None,
            descriptor: None,
            frame_ms: None,
        };
        assert_eq!(
            env.store()
                .add_bank_entries(&[entry.clone(), entry])
                .await
                .unwrap(),
            1
        );

        let v = srv
            .screen(
                &key,
                "b.jpg",
                read(&format!("{pdq}/bridge-mods/high-contrast.jpg")),
                json!({"contributor_id": "c"}),
            )
            .await;
        let hit = v.finding("bank.match").expect("bank.match");
        assert_eq!(hit["evidence"]["bank"], "stock");
        assert_eq!(hit["evidence"]["source"], "https://stock.example/bridge");
        assert_eq!(v.decision(), "reject");
        // By name: the reject is remembered in the `rejected` bank, which
        // sorts first and fills after the verdict.
        let banks = env.store().banks().await.unwrap();
        let stock = banks.iter().find(|b| b.name == "stock").unwrap();
        assert_eq!(stock.entries, 1);
    }
);

both!(
    a_clip_cut_from_another_accounts_video_is_caught,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let source = data("pdq-tmk-vpdq-threatexchange/tmk/sample-videos/chair-orig-22-sd-bar.mp4");
        let v = srv
            .screen(
                &key,
                "chair.mp4",
                std::fs::read(&source).unwrap(),
                json!({"contributor_id": "alice"}),
            )
            .await;
        let original = v.0["id"].as_str().unwrap().to_owned();
        assert!(v.clean_but_ffmpeg_written(), "{v:?}");

        // Eight seconds from the middle, re-encoded: a different file.
        let clip = env.dir.path().join("clip.mp4");
        let out = std::process::Command::new("ffmpeg")
            .args(["-v", "error", "-y", "-ss", "6", "-t", "8", "-i"])
            .arg(&source)
            .args([
                "-an",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-crf",
                "30",
            ])
            .arg(&clip)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = srv
            .screen(
                &key,
                "mine.mp4",
                std::fs::read(&clip).unwrap(),
                json!({"contributor_id": "bob"}),
            )
            .await;
        let near = v
            .finding("duplicate.near")
            .expect("the clip is found in the longer video");
        assert_eq!(near["evidence"]["media"], "video");
        assert_eq!(near["evidence"]["matched_upload_id"], original.as_str());
        assert!(
            near["evidence"]["query_share"].as_f64().unwrap() >= 0.8,
            "{near}"
        );
        assert!(
            near["evidence"]["target_share"].as_f64().unwrap() < 0.8,
            "only part of the original: {near}"
        );
        assert_eq!(v.decision(), "reject");
    }
);

both!(
    allowlisted_images_are_not_duplicates,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        let pdq = "pdq-tmk-vpdq-threatexchange/pdq/data";
        // The template every contributor is asked to photograph.
        let template = image::load_from_memory(&read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")))
            .unwrap()
            .into_rgb8();
        let hash = bonafide_pdq::hash_image(&template);
        env.store()
            .ensure_bank("allowlist", "task templates")
            .await
            .unwrap();
        let entry = bonafide_store::BankEntry {
            seq: 0,
            bank: "allowlist".into(),
            pdq: hash.hash.to_bytes(),
            quality: hash.quality,
            source: "task template".into(),
            licence: "own".into(),
            rights_holder: String::new(),
            embedding: None,
            descriptor: None,
            frame_ms: None,
        };
        env.store().add_bank_entries(&[entry]).await.unwrap();

        let first = srv
            .screen(
                &key,
                "a.jpg",
                read(&format!("{pdq}/bridge-mods/aaa-orig.jpg")),
                json!({"contributor_id": "alice"}),
            )
            .await;
        assert_eq!(first.decision(), "accept");
        let second = srv
            .screen(
                &key,
                "b.jpg",
                read(&format!("{pdq}/bridge-mods/high-contrast.jpg")),
                json!({"contributor_id": "bob"}),
            )
            .await;
        assert!(second.finding("bank.allowlisted").is_some(), "{second:?}");
        assert!(
            second.finding("duplicate.near").is_none(),
            "allowlisted content is no duplicate: {second:?}"
        );
        assert!(second.finding("bank.match").is_none());
        assert_eq!(second.decision(), "accept");
    }
);
