//! The job queue's guarantees, on both databases: leases lapse and are
//! taken over, failures back off, and the last failure dead-letters.

use std::time::Duration;

use bonafide_core::UploadState;
use bonafide_ingest::UploadRequest;

use crate::common::*;

fn request() -> UploadRequest {
    UploadRequest {
        contributor_id: "c".into(),
        ..Default::default()
    }
}

both!(
    a_lapsed_lease_is_taken_over_and_decided_once,
    |env: TestEnv| async move {
        let store = env.store();
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench01380.jpg");
        let up = env
            .engine
            .ingest(request(), photo.into(), None)
            .await
            .unwrap();

        // A worker claims the job and "dies" (never finishes).
        let dead_worker = store
            .claim_job(Duration::from_millis(200))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(dead_worker.payload, up.upload_id);
        assert!(
            store
                .claim_job(Duration::from_secs(5))
                .await
                .unwrap()
                .is_none(),
            "a held lease is exclusive"
        );

        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            env.engine.drain().await.unwrap(),
            1,
            "the lapsed job is taken over"
        );
        let rec = store.upload(&up.upload_id).await.unwrap().unwrap();
        assert_eq!(rec.state, UploadState::Decided);
        assert_eq!(store.verdict_count(&up.upload_id).await.unwrap(), 1);

        // The dead worker wakes up and tries to record: its lease is gone.
        let late = store
            .record_verdict(
                &dead_worker,
                &up.upload_id,
                &Default::default(),
                &[],
                &env.engine.policy().decide(&[]),
                None,
            )
            .await;
        assert!(
            matches!(late, Err(bonafide_store::StoreError::LeaseLost)),
            "{late:?}"
        );
        assert_eq!(store.verdict_count(&up.upload_id).await.unwrap(), 1);
    }
);

both!(
    failures_back_off_then_dead_letter_and_can_be_requeued,
    |env: TestEnv| async move {
        let store = env.store();
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench08976.jpg");
        let up = env
            .engine
            .ingest(request(), photo.into(), None)
            .await
            .unwrap();

        let first = store
            .claim_job(Duration::from_secs(30))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.attempts, 1);
        assert!(
            !store
                .fail_job(&first, "decoder tooling failed")
                .await
                .unwrap(),
            "attempts remain"
        );
        assert!(
            store
                .claim_job(Duration::from_secs(30))
                .await
                .unwrap()
                .is_none(),
            "the retry waits for its backoff"
        );

        let second = claim_when_due(store).await;
        assert_eq!(second.attempts, 2, "the retry counts as a new attempt");
        // Pretend this was the last allowed attempt.
        let last = bonafide_store::ClaimedJob {
            attempts: second.max_attempts,
            ..second
        };
        assert!(
            store.fail_job(&last, "still failing").await.unwrap(),
            "the last failure dead-letters"
        );
        assert_eq!(
            store.upload(&up.upload_id).await.unwrap().unwrap().state,
            UploadState::Failed
        );
        assert_eq!(store.queue_stats().await.unwrap().dead, 1);

        // An operator fixes the cause and requeues the dead letters.
        assert_eq!(store.requeue_dead_jobs().await.unwrap(), 1);
        assert_eq!(
            store.upload(&up.upload_id).await.unwrap().unwrap().state,
            UploadState::Received
        );
        assert_eq!(env.engine.drain().await.unwrap(), 1);
        assert_eq!(
            store.upload(&up.upload_id).await.unwrap().unwrap().state,
            UploadState::Decided
        );
    }
);

async fn claim_when_due(store: &bonafide_store::Store) -> bonafide_store::ClaimedJob {
    for _ in 0..50 {
        if let Some(job) = store.claim_job(Duration::from_secs(30)).await.unwrap() {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the job never became due");
}

/// An operator's switch: a detector named in `disabled_detectors` does not
/// run; a name that is no detector stops the engine at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detector_turned_off_does_not_run() {
    let mut config = fast_config();
    config.disabled_detectors = vec!["exact_duplicate".into()];
    let env = TestEnv::with_config(Backend::Sqlite, config).await;
    let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench01380.jpg");
    let mut ids = Vec::new();
    for contributor in ["a", "b"] {
        let req = UploadRequest {
            contributor_id: contributor.into(),
            ..Default::default()
        };
        let up = env.engine.ingest(req, photo.clone().into(), None).await;
        ids.push(up.unwrap().upload_id);
    }
    assert_eq!(env.engine.drain().await.unwrap(), 2);
    let second = env.store().upload(&ids[1]).await.unwrap().unwrap();
    assert!(
        second
            .findings
            .iter()
            .all(|f| f.detector != "exact_duplicate"),
        "{:?}",
        second.findings
    );
    assert!(second.verdict.is_some(), "the rest of the screening ran");

    let mut typo = fast_config();
    typo.disabled_detectors = vec!["exact_duplicates".into()];
    let err = bonafide_engine::Engine::new(env.store().clone(), typo).unwrap_err();
    assert!(err.to_string().contains("no detector is named"), "{err}");
}

both!(
    serve_without_workers_only_accepts,
    config = accept_only_config(),
    |env: TestEnv| async move {
        // `serve --workers 0`: the API takes uploads, a worker elsewhere
        // screens them.
        let srv = env.serve().await;
        let (key, _) = env.key(&[bonafide_store::Scope::Ingest], None).await;
        let photo = read("near-duplicates/imagededup-ukbench/base_images/ukbench00120.jpg");
        let (status, up) = srv
            .upload(
                &key,
                "a.jpg",
                photo,
                serde_json::json!({"contributor_id": "c"}),
            )
            .await;
        assert_eq!(status, 202, "{up}");
        let id = up["id"].as_str().unwrap();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let (_, view) = srv.get(Some(&key), &format!("/v1/uploads/{id}")).await;
        assert_eq!(view["state"], "received", "{view}");
        // The worker process runs.
        assert_eq!(env.engine.drain().await.unwrap(), 1);
        assert_eq!(srv.verdict(&key, id).await.decision(), "accept");
    }
);

both!(
    a_job_past_its_deadline_fails_and_is_retried,
    |env: TestEnv| async move {
        // A decoder that hangs past the job's deadline (its own timeout is
        // longer): the deadline is the backstop that ends the job.
        let (script, sleeping) = hanging_tool();
        let mut config = fast_config();
        config.decode.heif_convert = script.clone();
        config.decode.tool_timeout_secs = 600;
        config.job_deadline_secs = 1;
        let env = TestEnv::with_config(env.backend, config).await;
        let heif = read("exif-samples-ianare/heic/samplefilehub.heif");
        let up = env
            .engine
            .ingest(request(), heif.into(), None)
            .await
            .unwrap();
        let started = std::time::Instant::now();
        assert!(env.engine.run_one().await.unwrap());
        assert!(started.elapsed() < Duration::from_secs(10));
        // The abandoned decoder went with the job, its child included.
        assert_eq!(live_processes_running(&sleeping), 0);
        std::fs::remove_file(&script).unwrap();
        let errors = env.store().recent_job_errors(10).await.unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].error.contains("deadline"), "{errors:?}");
        assert_eq!(errors[0].state, "queued", "retried later: {errors:?}");
        let rec = env.store().upload(&up.upload_id).await.unwrap().unwrap();
        assert_ne!(rec.state, UploadState::Decided);
    }
);
