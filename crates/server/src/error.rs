use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use bonafide_engine::EngineError;
use bonafide_ingest::IngestError;
use bonafide_store::Outage;
use serde::Serialize;
use utoipa::ToSchema;

/// Every error body: a stable machine code and a sentence.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code, e.g. `invalid_field`.
    pub code: String,
    /// What went wrong, in words.
    pub message: String,
}

/// An API error. Internal errors are logged and answered with a generic
/// message; their details never reach the client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 401: no or unknown API key.
    #[error("a valid API key is required (Authorization: Bearer …)")]
    Unauthorized,
    /// 403: the key lacks the scope.
    #[error("this API key lacks the `{0}` scope")]
    Forbidden(&'static str),
    /// 403: a reviewers' form posted from another site.
    #[error("this form must be sent from Bonafide's own page")]
    CrossSite,
    /// 404.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 400: malformed request.
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        message: String,
    },
    /// 409: the request conflicts with the resource's state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        message: String,
    },
    /// 413: over the size limit.
    #[error("{0}")]
    TooLarge(String),
    /// 415: neither multipart nor JSON.
    #[error("send multipart/form-data (file + metadata) or application/json (blob_key + metadata)")]
    UnsupportedMediaType,
    /// 422: well-formed but unacceptable.
    #[error("{message}")]
    Unprocessable {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        message: String,
    },
    /// 429: a rate limit; retry after the given seconds.
    #[error("{message}")]
    TooManyRequests {
        /// Which limit: `rate_limited_key` or `rate_limited_contributor`.
        code: &'static str,
        /// Explanation.
        message: String,
        /// Seconds until a request would be let through.
        retry_after_secs: u64,
    },
    /// 408: the request, or a pause in its body, ran past its deadline.
    #[error("{0}")]
    RequestTimeout(String),
    /// 503: this process is handling as many requests as it may.
    #[error(
        "the server is at its limit of requests in flight; retry after the Retry-After seconds"
    )]
    Overloaded,
    /// 503 (507 when a disk is full): the store is out; nothing was
    /// accepted, and the same request will succeed once it is back.
    #[error("{}", outage_message(*.0))]
    Unavailable(Outage),
    /// 500.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::CrossSite => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unavailable(Outage::StorageFull) => StatusCode::INSUFFICIENT_STORAGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::CrossSite => "cross_site",
            Self::NotFound(_) => "not_found",
            Self::BadRequest { code, .. }
            | Self::Unprocessable { code, .. }
            | Self::Conflict { code, .. }
            | Self::TooManyRequests { code, .. } => code,
            Self::RequestTimeout(_) => "request_timeout",
            Self::Overloaded => "overloaded",
            Self::Unavailable(Outage::StorageFull) => "storage_full",
            Self::Unavailable(_) => "store_unavailable",
            Self::TooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Internal(_) => "internal",
        }
    }

    /// Wraps an internal error.
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = %e, "internal error");
        }
        let retry_after = match &self {
            Self::TooManyRequests {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            Self::Unavailable(_) => Some(OUTAGE_RETRY_AFTER_SECS),
            Self::Overloaded => Some(1),
            _ => None,
        };
        let body = ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
        };
        let mut resp = (self.status(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        resp
    }
}

/// What a client is told to wait before retrying during an outage.
const OUTAGE_RETRY_AFTER_SECS: u64 = 5;

fn outage_message(outage: Outage) -> &'static str {
    match outage {
        Outage::StorageFull => {
            "the store's disk is full; nothing was accepted — retry once an operator has made room"
        }
        Outage::Unreachable => {
            "the store is unavailable; nothing was accepted — retry after the Retry-After seconds"
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        if let Some(outage) = e.outage() {
            tracing::error!(?outage, error = %e, "store unavailable");
            return Self::Unavailable(outage);
        }
        match e {
            EngineError::Ingest(IngestError::TooLarge { .. }) => Self::TooLarge(e.to_string()),
            EngineError::Ingest(i) => Self::Unprocessable {
                code: i.code(),
                message: i.to_string(),
            },
            EngineError::UnknownTask(_) => Self::Unprocessable {
                code: "unknown_task",
                message: e.to_string(),
            },
            EngineError::BlobNotFound(_) => Self::Unprocessable {
                code: "blob_not_found",
                message: e.to_string(),
            },
            EngineError::BlobKeyForbidden { .. } => Self::Unprocessable {
                code: "blob_key_forbidden",
                message: e.to_string(),
            },
            EngineError::NotAnImage(_) => Self::Unprocessable {
                code: "not_an_image",
                message: e.to_string(),
            },
            other => Self::internal(other),
        }
    }
}

impl From<bonafide_store::StoreError> for ApiError {
    fn from(e: bonafide_store::StoreError) -> Self {
        match e.outage() {
            Some(outage) => {
                tracing::error!(?outage, error = %e, "store unavailable");
                Self::Unavailable(outage)
            }
            None => Self::internal(e),
        }
    }
}

/// A JSON body refused by axum's extractor: 413 past the body limit, else
/// 422 with `code`.
pub(crate) fn json_rejection(
    code: &'static str,
    e: axum::extract::rejection::JsonRejection,
) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(e.body_text())
    } else {
        ApiError::Unprocessable {
            code,
            message: e.body_text(),
        }
    }
}
