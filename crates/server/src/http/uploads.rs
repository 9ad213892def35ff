//! `POST /v1/uploads` and `GET /v1/uploads/{id}`.

use axum::{
    Json, Router,
    extract::{FromRequest, Path, Request, State},
    http::{
        StatusCode,
        header::{CONTENT_LENGTH, CONTENT_TYPE},
    },
    routing::{get, post},
};
use bonafide_engine::{StageFailure, UploadView};
use bonafide_ingest::{FormError, FormPart, FormReader, UploadRequest};
use bonafide_store::{Scope, StagedUpload};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tower_http::timeout::TimeoutError;
use utoipa::ToSchema;

use super::auth::Caller;
use crate::{ApiError, AppState, ErrorBody};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/uploads", post(create_upload))
        .route("/v1/uploads/{id}", get(get_upload))
}

/// The upload was committed and queued for screening.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Accepted {
    /// Upload id; poll `GET /v1/uploads/{id}` or wait for the webhook.
    id: String,
    /// Always `received`.
    state: &'static str,
    /// SHA-256 of the bytes.
    sha256: String,
}

/// Multipart form: the file and its metadata.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // only describes the form in the OpenAPI document; parts are read by hand
pub(crate) struct MultipartUpload {
    /// The file's bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// JSON, see `UploadRequest`.
    #[schema(value_type = String)]
    metadata: String,
}

/// An upload whose bytes the client already put in the blob store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StoredUpload {
    /// The object's key in Bonafide's blob store, under this client's folder
    /// (`incoming/{client id}/` by default). Its bytes are copied when the
    /// upload is accepted; later changes to the object change nothing.
    blob_key: String,
    /// See `UploadRequest`.
    #[schema(value_type = UploadRequest)]
    metadata: serde_json::Value,
}

/// Submit an upload for screening.
///
/// Either `multipart/form-data` with a `metadata` JSON part and a `file`
/// part (metadata first lets a contributor over its rate limit be refused
/// before the file is sent), or `application/json` naming an object
/// already in the blob store. The file is streamed to the blob store.
/// The upload is committed before `202` is returned; the verdict follows
/// asynchronously (poll or webhook).
#[utoipa::path(
    post, path = "/v1/uploads", tag = "uploads",
    request_body(content(
        (MultipartUpload = "multipart/form-data"),
        (StoredUpload = "application/json"),
    )),
    responses(
        (status = 202, description = "Committed and queued", body = Accepted),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, description = "Over the size limit", body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Empty file, invalid metadata, unknown task, a blob key missing or outside the client's folder", body = ErrorBody),
        (status = 429, description = "Over the key's or the contributor's rate limit (Retry-After)", body = ErrorBody),
        (status = 408, description = "The body stalled, or the request ran past its deadline; nothing was accepted", body = ErrorBody),
        (status = 503, description = "The store is unavailable, or the server is at its limit of requests in flight; nothing was accepted (Retry-After)", body = ErrorBody),
        (status = 507, description = "The store's disk is full; nothing was accepted", body = ErrorBody),
    ),
    security(("api_key" = [])),
)]
pub(crate) async fn create_upload(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    req: Request,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let limit = state.engine.config().decode.limits.max_bytes;
    let admitted = caller
        .and_then(|c| c.require(Scope::Ingest).map(|()| c))
        .and_then(|c| check_declared_length(&req, limit).map(|()| c));
    let caller = match admitted {
        Ok(c) => c,
        Err(e) => {
            // Who sent no valid key gets its answer after a little of the
            // body, not after 64 MiB of it.
            let cap = match e {
                ApiError::Unauthorized
                | ApiError::Forbidden(_)
                | ApiError::TooManyRequests { .. } => UNAUTHENTICATED_DRAIN_CAP,
                _ => DRAIN_CAP,
            };
            drain(req, cap).await;
            return Err(e);
        }
    };
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let engine = &state.engine;
    let ingested = if content_type.starts_with("multipart/form-data") {
        let content_type = content_type.to_owned();
        let body = req.into_body().into_data_stream();
        let mut form = FormReader::new(body, &content_type, limit + super::ENVELOPE_ALLOWANCE)
            .map_err(form_error)?;
        match read_upload(&state, &caller, &mut form).await {
            Ok((request, staged)) => {
                engine
                    .ingest_staged(request, staged, Some(caller.0.id.clone()))
                    .await?
            }
            Err(e) => {
                form.drain(DRAIN_CAP).await;
                return Err(e);
            }
        }
    } else if content_type.starts_with("application/json") {
        let Json(body) = Json::<StoredUpload>::from_request(req, &state)
            .await
            .map_err(|e| ApiError::Unprocessable {
                code: "invalid_metadata",
                message: e.body_text(),
            })?;
        let meta = serde_json::from_value::<UploadRequest>(body.metadata).map_err(|e| {
            ApiError::Unprocessable {
                code: "invalid_metadata",
                message: e.to_string(),
            }
        })?;
        admit(&state, &caller, &meta)?;
        engine
            .ingest_stored(meta, &body.blob_key, &caller.0.id)
            .await?
    } else {
        drain(req, DRAIN_CAP).await;
        return Err(ApiError::UnsupportedMediaType);
    };
    let accepted = Accepted {
        id: ingested.upload_id,
        state: "received",
        sha256: ingested.sha256,
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// Reads the form's parts as they arrive: the metadata (the contributor's
/// rate limit is checked as soon as it is read, so a limited contributor
/// who sends it first is refused before the file is read) and the file,
/// streamed into the blob store.
async fn read_upload(
    state: &AppState,
    caller: &Caller,
    form: &mut FormReader,
) -> Result<(UploadRequest, StagedUpload), ApiError> {
    let mut request = None;
    let mut staged = None;
    while let Some(part) = form.next_part().await.map_err(form_error)? {
        match part {
            FormPart::Metadata(r) => {
                admit(state, caller, &r)?;
                request = Some(r);
            }
            FormPart::File(file) => {
                let info = file.info.clone();
                let bytes = state.engine.stage(file).await.map_err(|e| match e {
                    StageFailure::Body(e) => form_error(e),
                    StageFailure::Engine(e) => e.into(),
                })?;
                staged = Some((info, bytes));
            }
        }
    }
    let mut request = request.ok_or_else(|| form_error(FormError::MissingMetadata))?;
    let (info, staged) = staged.ok_or_else(|| form_error(FormError::MissingFile))?;
    info.fill(&mut request);
    Ok((request, staged))
}

/// The contributor's rate limit (the key's was checked on authentication).
fn admit(state: &AppState, caller: &Caller, meta: &UploadRequest) -> Result<(), ApiError> {
    state
        .limits
        .admit_contributor(&caller.0.id, &meta.contributor_id, state.engine.metrics())
}

/// Most of a refused request body that is read before answering.
const DRAIN_CAP: u64 = 64 << 20;

/// Most of the body read before answering a request refused before its
/// sender was known (no or a wrong key, a missing scope, a rate limit).
const UNAUTHENTICATED_DRAIN_CAP: u64 = 64 << 10;

/// Refuses a request whose declared length is over the upload limit (plus
/// the multipart envelope), before parsing anything.
fn check_declared_length(req: &Request, limit: u64) -> Result<(), ApiError> {
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    match declared {
        Some(len) if len > limit + super::ENVELOPE_ALLOWANCE => Err(ApiError::TooLarge(format!(
            "the request is {len} bytes; uploads are limited to {limit} bytes"
        ))),
        _ => Ok(()),
    }
}

/// Reads and discards what the client is still sending (up to `cap`)
/// before an early refusal. Answering mid-upload and closing
/// would reset the connection, and the client would see a broken pipe
/// instead of the 4xx that says what to fix.
async fn drain(req: Request, cap: u64) {
    let mut body = req.into_body().into_data_stream();
    let mut read = 0;
    while let Some(Ok(chunk)) = body.next().await {
        read += chunk.len() as u64;
        if read > cap {
            break;
        }
    }
}

/// A refused form as the API answers it.
fn form_error(e: FormError) -> ApiError {
    match e {
        FormError::TooLarge => ApiError::TooLarge(e.to_string()),
        FormError::MetadataTooLarge => ApiError::Unprocessable {
            code: "invalid_metadata",
            message: e.to_string(),
        },
        FormError::Interrupted(source) if timed_out(source.as_ref()) => ApiError::RequestTimeout(
            "the request body stopped arriving for longer than the idle timeout; send it again"
                .into(),
        ),
        FormError::Metadata(i) => ApiError::Unprocessable {
            code: i.code(),
            message: i.to_string(),
        },
        FormError::MissingMetadata => ApiError::Unprocessable {
            code: "invalid_metadata",
            message: e.to_string(),
        },
        FormError::MissingFile => bad_request("missing_file", e),
        other => bad_request("invalid_multipart", other),
    }
}

/// Whether a body error is the idle timeout's (somewhere in its chain).
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(e), |e| e.source()).any(|e| e.is::<TimeoutError>())
}

fn bad_request(code: &'static str, e: impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest {
        code,
        message: e.to_string(),
    }
}

/// An upload's state, verdict and findings.
///
/// Clients with only the `ingest` scope see their own uploads; `review`
/// is the deployment's review team, who see every tenant's.
#[utoipa::path(
    get, path = "/v1/uploads/{id}", tag = "uploads",
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, body = UploadView), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn get_upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<UploadView>, ApiError> {
    caller
        .require(Scope::Ingest)
        .or_else(|_| caller.require(Scope::Review))?;
    let rec = state
        .engine
        .store()
        .upload(&id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    let own = rec.api_client_id.as_deref() == Some(caller.0.id.as_str());
    if !own && !caller.0.has(Scope::Review) {
        return Err(ApiError::NotFound("upload"));
    }
    let view = UploadView::from(rec);
    // Reviewers' names are for the review team; a client sees an opaque id.
    if caller.0.has(Scope::Review) {
        Ok(Json(view))
    } else {
        Ok(Json(state.engine.client_view(view).await?))
    }
}
