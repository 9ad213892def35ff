//! `PUT /v1/tasks/{id}` and `GET /v1/tasks/{id}`.

use axum::{
    Json, Router,
    extract::{Path, State},
    routing::get,
};
use bonafide_core::{MediaKind, Orientation, PersonCount, Task, TaskRequirements};
use bonafide_store::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use crate::{ApiError, AppState, ErrorBody, json_rejection};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/tasks/{id}", get(get_task).put(put_task))
}

/// A task as sent and returned by the API.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaskBody {
    /// Short title, e.g. "Take out the trash".
    title: String,
    /// Instructions shown to contributors.
    #[serde(default)]
    instructions: String,
    /// `image`, `video`, `document`; empty or absent means any.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["video"]))]
    allowed_kinds: Vec<MediaKind>,
    /// Hard requirements.
    #[serde(default)]
    requirements: Requirements,
}

/// Measurable requirements of a task.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Requirements {
    /// Minimum pixels on the short side.
    min_short_side: Option<u32>,
    /// Minimum video duration (ms).
    min_duration_ms: Option<u64>,
    /// Maximum video duration (ms).
    max_duration_ms: Option<u64>,
    /// Answers must be camera captures: photos without camera metadata
    /// are flagged for review.
    #[serde(default)]
    camera_capture: bool,
    /// Answers must be captured at most this many days before upload
    /// (1 = "record today"); older capture dates are flagged for review.
    captured_within_days: Option<u32>,
    /// `landscape`, `portrait` or `square`: photos and videos must be that
    /// way round.
    #[schema(value_type = Option<String>, example = "portrait")]
    orientation: Option<Orientation>,
    /// Answers must show a person (a face or a body part); a miss goes to
    /// review.
    #[serde(default)]
    shows_person: bool,
    /// Answers are documents: a PDF needs a text layer, a photo lines of
    /// text; a miss goes to review.
    #[serde(default)]
    readable_text: bool,
    /// Words for what answers must show ("dog", "trash can"): COCO objects
    /// and ImageNet concepts. An unknown word is a 422 naming the nearest
    /// known ones; a miss goes to review.
    #[serde(default)]
    must_show: Vec<String>,
    /// Words for what answers must not show; plainly seen, rejected.
    #[serde(default)]
    must_not_show: Vec<String>,
    /// How many people answers show (`{"min": 1, "max": 1}`, either end
    /// optional); counted by the object detector, a miss goes to review.
    #[schema(value_type = Option<Object>, example = json!({"min": 1, "max": 1}))]
    person_count: Option<PersonCount>,
}

/// Create or replace a task (admin).
#[utoipa::path(
    put, path = "/v1/tasks/{id}", tag = "tasks",
    params(("id" = String, Path, description = "Your task id")),
    request_body = TaskBody,
    responses((status = 200, body = TaskBody), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn put_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Result<Json<TaskBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<TaskBody>, ApiError> {
    caller.require(Scope::Admin)?;
    let Json(body) = body.map_err(|e| json_rejection("invalid_task", e))?;
    let task = Task {
        id,
        title: body.title,
        instructions: body.instructions,
        allowed_kinds: body.allowed_kinds,
        requirements: TaskRequirements {
            min_short_side: body.requirements.min_short_side,
            min_duration_ms: body.requirements.min_duration_ms,
            max_duration_ms: body.requirements.max_duration_ms,
            camera_capture: body.requirements.camera_capture,
            captured_within_days: body.requirements.captured_within_days,
            orientation: body.requirements.orientation,
            shows_person: body.requirements.shows_person,
            readable_text: body.requirements.readable_text,
            must_show: body.requirements.must_show,
            must_not_show: body.requirements.must_not_show,
            person_count: body.requirements.person_count,
        },
    };
    state
        .engine
        .check_task(&task)
        .map_err(|e| ApiError::Unprocessable {
            code: "invalid_task",
            message: e.to_string(),
        })?;
    state
        .engine
        .store()
        .put_task(&task)
        .await
        .map_err(|e| match e {
            bonafide_store::StoreError::Config(m) => ApiError::Unprocessable {
                code: "invalid_task",
                message: m,
            },
            other => other.into(),
        })?;
    Ok(Json(TaskBody::from(task)))
}

/// Read a task.
#[utoipa::path(
    get, path = "/v1/tasks/{id}", tag = "tasks",
    params(("id" = String, Path, description = "Task id")),
    responses((status = 200, body = TaskBody), (status = 404, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn get_task(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TaskBody>, ApiError> {
    let task = state
        .engine
        .store()
        .task(&id)
        .await?
        .ok_or(ApiError::NotFound("task"))?;
    Ok(Json(TaskBody::from(task)))
}

impl From<Task> for TaskBody {
    fn from(t: Task) -> Self {
        let r = t.requirements;
        Self {
            title: t.title,
            instructions: t.instructions,
            allowed_kinds: t.allowed_kinds,
            requirements: Requirements {
                min_short_side: r.min_short_side,
                min_duration_ms: r.min_duration_ms,
                max_duration_ms: r.max_duration_ms,
                camera_capture: r.camera_capture,
                captured_within_days: r.captured_within_days,
                orientation: r.orientation,
                shows_person: r.shows_person,
                readable_text: r.readable_text,
                must_show: r.must_show,
                must_not_show: r.must_not_show,
                person_count: r.person_count,
            },
        }
    }
}
