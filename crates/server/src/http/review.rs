//! The review queue over HTTP (`/v1/review/...`, `review` scope): fetch the
//! next item (leased to the caller), look at it, decide, skip, undo; the
//! queue's contents and statistics. The audit log is under `/v1/audit`
//! (admin). The web UI drives the same engine calls.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use bonafide_engine::UploadView;
use bonafide_store::{
    AuditRecord, HumanDecision, QueueFilter, ReviewDecision, ReviewItem, ReviewRefusal,
    ReviewStats, Scope,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Caller;
use crate::{ApiError, AppState, ErrorBody, json_rejection};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/review/next", post(next_item))
        .route("/v1/review/items", get(list_items))
        .route("/v1/review/items/{id}", get(get_item))
        .route("/v1/review/items/{id}/decision", post(decide))
        .route("/v1/review/items/{id}/skip", post(skip))
        .route("/v1/review/decisions/{id}/undo", post(undo))
        .route("/v1/review/queues", get(queues))
        .route("/v1/review/stats", get(stats))
        .route("/v1/audit", get(audit))
}

/// Who acts, as the audit log names them.
fn actor(caller: &Caller) -> String {
    format!("client:{}", caller.0.id)
}

fn refused(r: ReviewRefusal) -> ApiError {
    match r {
        ReviewRefusal::NotFound => ApiError::NotFound("review item"),
        ReviewRefusal::NotHeld => ApiError::Conflict {
            code: "not_held",
            message: r.to_string(),
        },
        ReviewRefusal::TooLate => ApiError::Conflict {
            code: "too_late",
            message: r.to_string(),
        },
    }
}

/// Which queue: by leading reason, by task, or all.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueueQuery {
    /// Only items whose leading reason is this finding code.
    reason: Option<String>,
    /// Only items of this task.
    task: Option<String>,
}

impl From<QueueQuery> for QueueFilter {
    fn from(q: QueueQuery) -> Self {
        Self {
            reason: q.reason.filter(|s| !s.is_empty()),
            task_id: q.task.filter(|s| !s.is_empty()),
        }
    }
}

/// An item with everything needed to decide it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ItemDetail {
    /// The queue entry.
    #[schema(value_type = Object)]
    item: ReviewItem,
    /// The upload, its verdict and findings with evidence.
    upload: UploadView,
    /// Standing decisions on the upload (first reviewer, second opinion).
    #[schema(value_type = Vec<Object>)]
    decisions: Vec<ReviewDecision>,
}

async fn detail(state: &AppState, item: ReviewItem) -> Result<ItemDetail, ApiError> {
    let store = state.engine.store();
    let upload = store
        .upload(&item.upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    let decisions = store.review_decisions_of(&item.upload_id).await?;
    Ok(ItemDetail {
        item,
        upload: UploadView::from(upload),
        decisions,
    })
}

/// Lease the next item to decide (the caller's held item first, then the
/// most urgent by risk and age). 204 when the queue is empty.
#[utoipa::path(
    post, path = "/v1/review/next", tag = "review", params(QueueQuery),
    responses((status = 200, body = ItemDetail), (status = 204, description = "Nothing to review")),
    security(("api_key" = [])),
)]
pub(crate) async fn next_item(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<QueueQuery>,
) -> Result<Response, ApiError> {
    caller.require(Scope::Review)?;
    let filter = QueueFilter::from(q);
    match state
        .engine
        .next_review_item(&actor(&caller), &filter)
        .await?
    {
        Some(item) => Ok(Json(detail(&state, item).await?).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Items by state.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// `open` (default, most urgent first) or `decided` (latest first).
    state: Option<String>,
    /// Only this leading reason.
    reason: Option<String>,
    /// Only this task.
    task: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<i64>,
}

/// The queue's items.
#[utoipa::path(
    get, path = "/v1/review/items", tag = "review", params(ListQuery),
    responses((status = 200, body = Vec<Object>), (status = 400, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn list_items(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<ReviewItem>>, ApiError> {
    caller.require(Scope::Review)?;
    let which = q.state.as_deref().unwrap_or("open");
    if which != "open" && which != "decided" {
        return Err(ApiError::BadRequest {
            code: "invalid_state",
            message: "state is `open` or `decided`".into(),
        });
    }
    let filter = QueueFilter::from(QueueQuery {
        reason: q.reason,
        task: q.task,
    });
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(
        state
            .engine
            .store()
            .review_items(which, &filter, limit)
            .await?,
    ))
}

/// One item with its upload and decisions.
#[utoipa::path(
    get, path = "/v1/review/items/{id}", tag = "review",
    params(("id" = i64, Path, description = "Item id")),
    responses((status = 200, body = ItemDetail), (status = 404, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn get_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ItemDetail>, ApiError> {
    caller.require(Scope::Review)?;
    let item = state
        .engine
        .store()
        .review_item(id)
        .await?
        .ok_or(ApiError::NotFound("review item"))?;
    Ok(Json(detail(&state, item).await?))
}

/// A reviewer's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionBody {
    /// `accept` or `reject`.
    decision: String,
    /// For a reject: why (a finding code, or `off_task`, `stock`, `ai`,
    /// `duplicate`, `other`).
    reason_code: Option<String>,
    /// Free text for the audit log.
    #[serde(default)]
    note: String,
}

/// Decide an item the caller holds. Its feedback (the `rejected` bank, task
/// exemplars) follows once the undo window has passed.
#[utoipa::path(
    post, path = "/v1/review/items/{id}/decision", tag = "review",
    params(("id" = i64, Path, description = "Item id")),
    request_body = DecisionBody,
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: Result<Json<DecisionBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ReviewDecision>, ApiError> {
    caller.require(Scope::Review)?;
    let Json(body) = body.map_err(|e| json_rejection("invalid_decision", e))?;
    let Some(decision) = HumanDecision::parse(&body.decision) else {
        return Err(ApiError::Unprocessable {
            code: "invalid_decision",
            message: "decision is `accept` or `reject`".into(),
        });
    };
    let reject = decision == HumanDecision::Reject;
    if reject && body.reason_code.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::Unprocessable {
            code: "reason_required",
            message: "a reject needs a reason_code".into(),
        });
    }
    let decided = state
        .engine
        .decide_review_item(
            id,
            &actor(&caller),
            decision,
            body.reason_code.as_deref().filter(|_| reject),
            &body.note,
        )
        .await?
        .map_err(refused)?;
    Ok(Json(decided))
}

/// Put back an item the caller holds; it is not offered to them again.
#[utoipa::path(
    post, path = "/v1/review/items/{id}/skip", tag = "review",
    params(("id" = i64, Path, description = "Item id")),
    responses((status = 204), (status = 409, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn skip(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    caller.require(Scope::Review)?;
    state
        .engine
        .store()
        .skip_review_item(id, &actor(&caller))
        .await?
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo the caller's own decision within the undo window; the item is
/// theirs again.
#[utoipa::path(
    post, path = "/v1/review/decisions/{id}/undo", tag = "review",
    params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<ReviewItem>, ApiError> {
    caller.require(Scope::Review)?;
    let item = state
        .engine
        .undo_review_decision(id, &actor(&caller))
        .await?
        .map_err(refused)?;
    Ok(Json(item))
}

/// Open items per queue.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QueueView {
    /// Leading reason code.
    reason: String,
    /// Task, if the items belong to one.
    task_id: Option<String>,
    /// Open items.
    open: i64,
    /// Of those, past their SLA.
    overdue: i64,
}

/// Open items per reason and task.
#[utoipa::path(
    get, path = "/v1/review/queues", tag = "review",
    responses((status = 200, body = Vec<QueueView>)),
    security(("api_key" = [])),
)]
pub(crate) async fn queues(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<QueueView>>, ApiError> {
    caller.require(Scope::Review)?;
    let rows = state.engine.store().review_queues().await?;
    Ok(Json(
        rows.into_iter()
            .map(|(reason, task_id, open, overdue)| QueueView {
                reason,
                task_id,
                open,
                overdue,
            })
            .collect(),
    ))
}

/// Reviewer–machine agreement per finding code and day, QA samples and
/// second opinions.
#[utoipa::path(
    get, path = "/v1/review/stats", tag = "review",
    responses((status = 200, body = Object)),
    security(("api_key" = [])),
)]
pub(crate) async fn stats(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReviewStats>, ApiError> {
    caller.require(Scope::Review)?;
    Ok(Json(state.engine.store().review_stats().await?))
}

/// A page of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    /// Entries after this sequence number (0: from the start).
    after: Option<i64>,
    /// At most this many (default 100, at most 10000).
    limit: Option<i64>,
    /// Only entries about this subject (`upload {id}`, `bank rejected`, …).
    subject: Option<String>,
}

/// The append-only audit log, oldest first (admin). Page with `after`.
#[utoipa::path(
    get, path = "/v1/audit", tag = "review", params(AuditQuery),
    responses((status = 200, body = Vec<Object>)),
    security(("api_key" = [])),
)]
pub(crate) async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    caller.require(Scope::Admin)?;
    Ok(Json(
        state
            .engine
            .store()
            .audit_log(
                q.after.unwrap_or(0),
                q.limit.unwrap_or(100).clamp(1, 10_000),
                q.subject.as_deref(),
            )
            .await?,
    ))
}
