//! Operator endpoints: health, metrics, the OpenAPI document, the queue.

use axum::{
    Json, Router,
    extract::State,
    http::header,
    response::IntoResponse,
    routing::{get, post},
};
use bonafide_store::Scope;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::{ApiDoc, auth::Caller};
use crate::{ApiError, AppState, ErrorBody};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/v1/admin/queue", get(queue))
        .route("/v1/admin/queue/requeue-dead", post(requeue_dead))
}

/// Liveness and database reachability: 503 while the store is out, so a
/// load balancer sends uploads elsewhere.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, description = "ok"), (status = 503, body = ErrorBody)))]
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.engine.store().queue_stats().await?;
    Ok("ok")
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Prometheus text")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let m = state.engine.metrics();
    // During a database outage the other metrics matter most: they are
    // served with the queue gauges left at their last reading.
    match state.engine.store().queue_stats().await {
        Ok(q) => {
            m.queue_depth.set(q.queued + q.running);
            m.queue_dead.set(q.dead);
        }
        Err(error) => tracing::warn!(%error, "queue depth unavailable for /metrics"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        m.render(),
    )
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// Queue depth by state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QueueView {
    /// Waiting, retries included.
    queued: i64,
    /// Held by a worker.
    running: i64,
    /// Dead-lettered: failed every attempt.
    dead: i64,
    /// Uploads by state.
    #[schema(value_type = Object)]
    uploads: serde_json::Map<String, serde_json::Value>,
    /// The latest errors of jobs awaiting a retry or dead, newest first
    /// (at most 20): why webhooks or screenings are failing.
    #[schema(value_type = Vec<Object>)]
    recent_errors: Vec<bonafide_store::JobError>,
}

/// The job queue and uploads by state (admin).
#[utoipa::path(get, path = "/v1/admin/queue", tag = "ops",
    responses((status = 200, body = QueueView), (status = 403, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<QueueView>, ApiError> {
    caller.require(Scope::Admin)?;
    let store = state.engine.store();
    let q = store.queue_stats().await?;
    let uploads = store
        .upload_counts()
        .await?
        .into_iter()
        .map(|(s, n)| (s, n.into()))
        .collect();
    Ok(Json(QueueView {
        queued: q.queued,
        running: q.running,
        dead: q.dead,
        uploads,
        recent_errors: store.recent_job_errors(20).await?,
    }))
}

/// Requeue every dead-lettered job with fresh attempts (admin), after the
/// cause is fixed.
#[utoipa::path(post, path = "/v1/admin/queue/requeue-dead", tag = "ops",
    responses((status = 200, description = "{\"requeued\": n}"), (status = 403, body = ErrorBody)),
    security(("api_key" = [])))]
pub(crate) async fn requeue_dead(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Scope::Admin)?;
    let n = state.engine.store().requeue_dead_jobs().await?;
    Ok(Json(serde_json::json!({ "requeued": n })))
}
