//! Tasks' requirements through the HTTP API: media kinds, camera capture,
//! the device the app reported.

use bonafide_store::Scope;
use serde_json::json;

use super::api::PHOTO;
use crate::common::*;

both!(
    camera_tasks_flag_stripped_and_old_photos,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        // Worded for what the photo shows (trees and houses on a hillside),
        // so only its metadata is at issue.
        let task = json!({"title": "The countryside near you, today", "allowed_kinds": ["image"],
                          "instructions": "A landscape photo: trees, hills, fields, houses.",
                          "requirements": {"camera_capture": true, "captured_within_days": 1}});
        let resp = srv
            .http
            .put(srv.url("/v1/tasks/countryside"))
            .bearer_auth(&admin)
            .json(&task)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let stored: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(stored["requirements"]["camera_capture"], true);
        assert_eq!(stored["requirements"]["captured_within_days"], 1);

        // A camera photo from 2008: outside the task's one-day window.
        let camera = read("exif-samples-ianare/jpg/gps/DSCN0010.jpg");
        let v = srv
            .screen(
                &admin,
                "old.jpg",
                camera,
                json!({"contributor_id": "c", "task_id": "countryside"}),
            )
            .await;
        let old = v
            .finding("metadata.capture_outside_window")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(old["evidence"]["captured_within_days"], 1);
        assert!(v.finding("metadata.camera_stripped").is_none(), "{v:?}");
        assert_eq!(v.decision(), "review");

        // The camera photo's pixels saved again without any metadata.
        let mut bare = Vec::new();
        image::load_from_memory(&read("exif-samples-ianare/jpg/gps/DSCN0010.jpg"))
            .unwrap()
            .write_to(
                &mut std::io::Cursor::new(&mut bare),
                image::ImageFormat::Png,
            )
            .unwrap();
        let v = srv
            .screen(
                &admin,
                "bare.png",
                bare,
                json!({"contributor_id": "c", "task_id": "countryside"}),
            )
            .await;
        assert!(v.finding("metadata.camera_stripped").is_some(), "{v:?}");
        assert_eq!(v.decision(), "review");
    }
);

both!(
    a_camera_other_than_the_reported_device_is_flagged,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (key, _) = env.key(&[Scope::Ingest], None).await;
        // A Nikon COOLPIX P6000 photo.
        let nikon = read("exif-samples-ianare/jpg/gps/DSCN0010.jpg");
        let v = srv
            .screen(
                &key,
                "a.jpg",
                nikon.clone(),
                json!({"contributor_id": "c",
                "device_make": "Apple", "device_model": "iPhone 14 Pro"}),
            )
            .await;
        let m = v
            .finding("metadata.device_mismatch")
            .unwrap_or_else(|| panic!("{v:?}"));
        assert_eq!(m["evidence"]["file"]["make"], "NIKON");
        assert_eq!(m["evidence"]["reported"]["model"], "iPhone 14 Pro");
        assert_eq!(v.0["device_make"], "Apple");
        assert_eq!(v.decision(), "review");

        let v = srv
            .screen(
                &key,
                "b.jpg",
                nikon,
                json!({"contributor_id": "d",
                "device_make": "Nikon Corporation", "device_model": "COOLPIX P6000"}),
            )
            .await;
        assert!(v.finding("metadata.device_mismatch").is_none(), "{v:?}");

        let (status, body) = srv
            .upload(
                &key,
                "c.jpg",
                read(PHOTO),
                json!({"contributor_id": "c", "device_make": "bad\u{7}"}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["code"], "invalid_field");
    }
);

both!(
    task_requirements_reject_off_task_media,
    |env: TestEnv| async move {
        let srv = env.serve().await;
        let (admin, _) = env.key(&[Scope::Admin], None).await;
        let task = json!({"title": "Take out the trash", "instructions": "A video of yourself taking out the trash",
                      "allowed_kinds": ["video"], "requirements": {"min_duration_ms": 3000}});
        let resp = srv
            .http
            .put(srv.url("/v1/tasks/trash"))
            .bearer_auth(&admin)
            .json(&task)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);

        let v = srv
            .screen(
                &admin,
                "p.jpg",
                read(PHOTO),
                json!({"contributor_id": "c", "task_id": "trash"}),
            )
            .await;
        assert_eq!(v.decision(), "reject");
        assert!(
            v.codes().contains(&"task.kind_not_allowed".to_owned()),
            "{v:?}"
        );

        let clip = read("video/augly/small_input_1.mp4");
        let v = srv
            .screen(
                &admin,
                "v.mp4",
                clip,
                json!({"contributor_id": "c", "task_id": "trash"}),
            )
            .await;
        assert!(v.clean_but_ffmpeg_written(), "on task: {v:?}");
    }
);
