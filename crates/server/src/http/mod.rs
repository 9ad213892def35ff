//! Routes, one file per resource.

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, extract::DefaultBodyLimit};
use bonafide_engine::Engine;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use self::auth::BearerScheme;
use crate::ui::LoginThrottle;

mod auth;
mod client_address;
mod clusters;
mod contributors;
mod error;
mod exemplars;
mod limits;
mod observe;
mod ops;
mod review;
mod search;
mod tasks;
mod uploads;

pub(crate) use self::client_address::ClientAddress;
pub use self::{
    error::{ApiError, ErrorBody},
    limits::{ApiConfig, RateLimits},
};

/// Shared state of every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The pipeline.
    pub engine: Engine,
    /// Per-key and per-contributor rate limits.
    pub limits: Arc<RateLimits>,
    /// Reviewers' failed logins.
    pub(crate) logins: Arc<LoginThrottle>,
    /// Whether `X-Forwarded-For` names the client ([`ApiConfig`]).
    pub(crate) trust_forwarded_for: bool,
}

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Bonafide", description = "Screens uploads: accept / reject / review with reasons."),
    paths(
        uploads::create_upload,
        uploads::get_upload,
        tasks::put_task,
        tasks::get_task,
        exemplars::put_exemplar,
        exemplars::delete_exemplar,
        exemplars::list_exemplars,
        contributors::get_contributor,
        clusters::list_clusters,
        clusters::get_cluster,
        ops::healthz,
        ops::metrics,
        ops::queue,
        ops::requeue_dead,
        review::next_item,
        review::list_items,
        review::get_item,
        review::decide,
        review::skip,
        review::undo,
        review::queues,
        review::stats,
        review::audit,
        search::search,
    ),
    components(schemas(
        bonafide_engine::UploadView,
        bonafide_engine::VerdictView,
        bonafide_engine::ReasonView,
        bonafide_engine::HumanReviewView,
        bonafide_engine::FindingView,
        uploads::Accepted,
        uploads::StoredUpload,
        bonafide_ingest::UploadRequest,
        uploads::MultipartUpload,
        tasks::TaskBody,
        tasks::Requirements,
        exemplars::ExemplarBody,
        exemplars::ExemplarView,
        contributors::ContributorView,
        contributors::DeviceView,
        clusters::ClusterDetail,
        ops::QueueView,
        review::ItemDetail,
        review::DecisionBody,
        review::QueueView,
        ErrorBody,
    )),
    modifiers(&BearerScheme),
)]
pub struct ApiDoc;

/// Room for the multipart envelope and metadata on top of the file limit.
const ENVELOPE_ALLOWANCE: u64 = 1 << 20;

/// The router with every route and layer.
pub fn app(engine: Engine, config: &ApiConfig) -> Router {
    // The body limit is the upload limit plus room for the multipart
    // envelope and metadata; the engine re-checks the file itself.
    let limit = (engine.config().decode.limits.max_bytes + ENVELOPE_ALLOWANCE) as usize;
    let state = AppState {
        engine,
        limits: Arc::new(RateLimits::new(config)),
        logins: Arc::new(LoginThrottle::new(config.login.clone())),
        trust_forwarded_for: config.trust_forwarded_for,
    };
    Router::new()
        .merge(uploads::router())
        .merge(tasks::router())
        .merge(exemplars::router())
        .merge(contributors::router())
        .merge(clusters::router())
        .merge(ops::router())
        .merge(review::router())
        .merge(search::router())
        .merge(crate::ui::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::track,
        ))
        .layer(axum::middleware::from_fn(nosniff))
        .layer(DefaultBodyLimit::max(limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// No response is ever type-sniffed by a browser: the API's JSON, the
/// metrics text and the reviewers' media all say what they are.
async fn nosniff(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(
        axum::http::header::X_CONTENT_TYPE_OPTIONS,
        axum::http::HeaderValue::from_static("nosniff"),
    );
    resp
}

/// Serves `app` on `addr` until `shutdown` resolves, then drains requests.
pub async fn serve(
    engine: Engine,
    config: &ApiConfig,
    addr: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    serve_on(listener, app(engine, config), shutdown).await
}

/// Serves `router` on a bound `listener` until `shutdown` resolves, then
/// drains requests. Handlers see each connection's peer address.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
