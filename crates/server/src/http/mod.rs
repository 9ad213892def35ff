//! Routes, one file per resource.

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, extract::DefaultBodyLimit};
use bonafide_engine::Engine;
use tower_http::{timeout::RequestBodyTimeoutLayer, trace::TraceLayer};
use utoipa::OpenApi;

use self::auth::BearerScheme;
use crate::ui::LoginThrottle;

mod auth;
mod client_address;
mod clusters;
mod contributors;
mod error;
mod exemplars;
mod guard;
mod limits;
mod observe;
mod ops;
mod review;
mod search;
mod serve;
mod tasks;
mod uploads;

pub(crate) use self::client_address::{ClientAddress, client_block};
pub use self::{
    error::{ApiError, ErrorBody},
    limits::{ApiConfig, RateLimits},
    serve::{ServerLimits, serve_on},
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
    /// The review UI's parsed metadata of recently viewed files.
    pub(crate) metadata_rows: Arc<crate::ui::MetadataRows>,
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

/// The most a JSON request body (a task, a decision) may hold.
const JSON_BODY_LIMIT: usize = 1 << 20;

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
        metadata_rows: Arc::new(crate::ui::MetadataRows::new(crate::ui::METADATA_ROWS_KEPT)),
    };
    // Routes that take JSON, not media, take small bodies.
    let json = Router::new()
        .merge(tasks::router())
        .merge(exemplars::router())
        .merge(contributors::router())
        .merge(clusters::router())
        .merge(ops::router())
        .merge(review::router())
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT));
    Router::new()
        .merge(uploads::router())
        .merge(json)
        .merge(search::router())
        .merge(crate::ui::router())
        .layer(axum::middleware::from_fn_with_state(
            guard::RequestGuard::new(&config.server, state.engine.clone()),
            guard::guard,
        ))
        .layer(RequestBodyTimeoutLayer::new(
            config.server.body_idle_timeout(),
        ))
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
/// Staging objects that no live request can own are swept at start and
/// hourly.
pub async fn serve(
    engine: Engine,
    config: &ApiConfig,
    addr: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    let sweeper = tokio::spawn(sweep_staging(
        engine.clone(),
        2 * config.server.request_timeout(),
    ));
    let served = serve_on(listener, app(engine, config), &config.server, shutdown).await;
    sweeper.abort();
    served
}

/// Deletes, now and every hour, upload bytes left in staging by a process
/// that died mid-request: older than `age`, no live request owns them.
async fn sweep_staging(engine: Engine, age: std::time::Duration) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match engine.store().sweep_staging(age).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(objects = n, "swept abandoned upload bytes"),
            Err(e) => tracing::warn!(error = %e, "sweeping abandoned upload bytes failed"),
        }
    }
}
