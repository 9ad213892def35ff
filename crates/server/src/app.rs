//! The whole router: the API's routes and the reviewers' UI under one
//! set of layers (request guard, body timeout, metrics, nosniff, body
//! limit, tracing).

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, extract::DefaultBodyLimit};
use bonafide_engine::Engine;
use tower_http::{timeout::RequestBodyTimeoutLayer, trace::TraceLayer};

use crate::{
    ApiConfig, AppState,
    http::{self, RateLimits, serve_on},
    ui::{self, LoginThrottle, MetadataRows},
};

/// The router with every route and layer.
pub fn app(engine: Engine, config: &ApiConfig) -> Router {
    // The body limit is the upload limit plus room for the multipart
    // envelope and metadata; the engine re-checks the file itself.
    let limit = (engine.config().decode.limits.max_bytes + http::ENVELOPE_ALLOWANCE) as usize;
    let state = AppState {
        engine,
        limits: Arc::new(RateLimits::new(config)),
        logins: Arc::new(LoginThrottle::new(config.login.clone())),
        trust_forwarded_for: config.trust_forwarded_for,
        metadata_rows: Arc::new(MetadataRows::new(ui::METADATA_ROWS_KEPT)),
    };
    Router::new()
        .merge(http::router())
        .merge(ui::router())
        .layer(axum::middleware::from_fn_with_state(
            http::RequestGuard::new(&config.server, state.engine.clone()),
            http::guard,
        ))
        .layer(RequestBodyTimeoutLayer::new(
            config.server.body_idle_timeout(),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::track,
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
