//! A task's example uploads: `PUT`/`DELETE /v1/tasks/{id}/exemplars/{upload_id}`
//! and `GET /v1/tasks/{id}/exemplars`. An exemplar is an upload already
//! screened (a photo, so it has an image embedding); answers to the task
//! are compared with them (`task_exemplars` detector).

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, put},
};
use bonafide_core::ExemplarLabel;
use bonafide_models::ClipImageEncoder;
use bonafide_store::{Scope, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use crate::{ApiError, AppState, ErrorBody, json_rejection};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/tasks/{id}/exemplars", get(list_exemplars))
        .route(
            "/v1/tasks/{id}/exemplars/{upload_id}",
            put(put_exemplar).delete(delete_exemplar),
        )
}

/// Whether an example is what answers should or must not look like.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExemplarBody {
    /// `positive` or `negative`.
    #[schema(value_type = String, example = "positive")]
    label: ExemplarLabel,
}

/// One example of a task.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExemplarView {
    /// The example upload.
    upload_id: String,
    /// `positive` or `negative`.
    #[schema(value_type = String)]
    label: ExemplarLabel,
}

/// Make a screened photo an example of a task (admin).
#[utoipa::path(
    put, path = "/v1/tasks/{id}/exemplars/{upload_id}", tag = "tasks",
    params(("id" = String, Path, description = "Task id"), ("upload_id" = String, Path, description = "A screened photo")),
    request_body = ExemplarBody,
    responses((status = 200, body = ExemplarView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn put_exemplar(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, upload_id)): Path<(String, String)>,
    body: Result<Json<ExemplarBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<ExemplarView>, ApiError> {
    caller.require(Scope::Admin)?;
    let Json(body) = body.map_err(|e| json_rejection("invalid_exemplar", e))?;
    let store = state.engine.store();
    store.task(&id).await?.ok_or(ApiError::NotFound("task"))?;
    store
        .upload(&upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    store
        .put_exemplar(&id, &upload_id, body.label, ClipImageEncoder::FILE)
        .await
        .map_err(|e| match e {
            StoreError::NotEmbedded(_) => ApiError::Unprocessable {
                code: "not_embedded",
                message: format!(
                    "upload {upload_id} has no image embedding: it is not a photo, is not screened yet, \
                     or was screened without the CLIP model"
                ),
            },
            other => other.into(),
        })?;
    Ok(Json(ExemplarView {
        upload_id,
        label: body.label,
    }))
}

/// Stop using an upload as an example of a task (admin).
#[utoipa::path(
    delete, path = "/v1/tasks/{id}/exemplars/{upload_id}", tag = "tasks",
    params(("id" = String, Path, description = "Task id"), ("upload_id" = String, Path, description = "The example upload")),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn delete_exemplar(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, upload_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    caller.require(Scope::Admin)?;
    if state
        .engine
        .store()
        .delete_exemplar(&id, &upload_id)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("exemplar"))
    }
}

/// A task's examples.
#[utoipa::path(
    get, path = "/v1/tasks/{id}/exemplars", tag = "tasks",
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, body = Vec<ExemplarView>), (status = 404, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn list_exemplars(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ExemplarView>>, ApiError> {
    let store = state.engine.store();
    store.task(&id).await?.ok_or(ApiError::NotFound("task"))?;
    let exemplars = store.exemplars(&id, ClipImageEncoder::FILE).await?;
    Ok(Json(
        exemplars
            .into_iter()
            .map(|x| ExemplarView {
                upload_id: x.upload_id,
                label: x.label,
            })
            .collect(),
    ))
}
