//! `POST /v1/uploads` and `GET /v1/uploads/{id}`.

use axum::{
    Json, Router,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{
        StatusCode,
        header::{CONTENT_LENGTH, CONTENT_TYPE},
    },
    routing::{get, post},
};
use bonafide_engine::UploadView;
use bonafide_ingest::UploadRequest;
use bonafide_store::Scope;
use bytes::Bytes;
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, AppState, ErrorBody, auth::Caller};

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
    /// The object's key in Bonafide's blob store.
    blob_key: String,
    /// See `UploadRequest`.
    #[schema(value_type = UploadRequest)]
    metadata: serde_json::Value,
}

/// Submit an upload for screening.
///
/// Either `multipart/form-data` with a `file` part and a `metadata` JSON
/// part, or `application/json` naming an object already in the blob store.
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
        (status = 422, description = "Empty file, invalid metadata, unknown task", body = ErrorBody),
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
            drain(req).await;
            return Err(e);
        }
    };
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let engine = &state.engine;
    let client = Some(caller.0.id.clone());
    let ingested = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| bad_request("invalid_multipart", e))?;
        let (meta, bytes) = read_multipart(multipart).await?;
        engine.ingest(meta, bytes, client).await?
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
        engine.ingest_stored(meta, &body.blob_key, client).await?
    } else {
        drain(req).await;
        return Err(ApiError::UnsupportedMediaType);
    };
    let accepted = Accepted {
        id: ingested.upload_id,
        state: "received",
        sha256: ingested.sha256,
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// Most of a refused request body that is read before answering.
const DRAIN_CAP: usize = 64 << 20;

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

/// Reads and discards what the client is still sending (up to
/// [`DRAIN_CAP`]) before an early refusal. Answering mid-upload and closing
/// would reset the connection, and the client would see a broken pipe
/// instead of the 4xx that says what to fix.
async fn drain(req: Request) {
    let mut body = req.into_body().into_data_stream();
    let mut read = 0;
    while let Some(Ok(chunk)) = body.next().await {
        read += chunk.len();
        if read > DRAIN_CAP {
            break;
        }
    }
}

/// Reads the `file` and `metadata` parts, in either order. The part's file
/// name and type stand in for missing metadata fields.
async fn read_multipart(mut mp: Multipart) -> Result<(UploadRequest, Bytes), ApiError> {
    let mut meta: Option<Result<UploadRequest, ApiError>> = None;
    let mut file: Option<(Bytes, Option<String>, Option<String>)> = None;
    let mut stray: Option<String> = None;
    // Every part is read before any error is returned (see `drain`).
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("metadata") => {
                let text = field.bytes().await.map_err(multipart_error)?;
                meta = Some(
                    UploadRequest::from_json(&text).map_err(|e| ApiError::Unprocessable {
                        code: e.code(),
                        message: e.to_string(),
                    }),
                );
            }
            Some("file") => {
                let name = field.file_name().map(str::to_owned);
                let ty = field.content_type().map(str::to_owned);
                file = Some((field.bytes().await.map_err(multipart_error)?, name, ty));
            }
            other => {
                stray = Some(format!(
                    "unexpected part {other:?}; send `file` and `metadata`"
                ));
                field.bytes().await.map_err(multipart_error)?;
            }
        }
    }
    if let Some(message) = stray {
        return Err(bad_request("invalid_multipart", message));
    }
    let mut meta = meta.unwrap_or_else(|| {
        Err(ApiError::Unprocessable {
            code: "invalid_metadata",
            message: "the `metadata` part is missing".into(),
        })
    })?;
    let (bytes, name, ty) =
        file.ok_or_else(|| bad_request("missing_file", "the `file` part is missing"))?;
    meta.file_name = meta.file_name.or(name);
    meta.content_type = meta
        .content_type
        .or(ty.filter(|t| t != "application/octet-stream"));
    Ok((meta, bytes))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge("the request is over the upload size limit".into())
    } else {
        bad_request("invalid_multipart", e.body_text())
    }
}

fn bad_request(code: &'static str, e: impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest {
        code,
        message: e.to_string(),
    }
}

/// An upload's state, verdict and findings.
///
/// Clients with only the `ingest` scope see their own uploads.
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
    Ok(Json(UploadView::from(rec)))
}
