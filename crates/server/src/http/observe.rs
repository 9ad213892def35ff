//! Request metrics: every answered request counted and timed by route.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use bonafide_engine::HttpLabel;

use super::AppState;

/// Middleware: records method, route template, status and duration.
pub(crate) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = req.method().to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    let label = HttpLabel {
        method,
        route,
        status: resp.status().as_u16(),
    };
    state
        .engine
        .metrics()
        .observe_http(label, started.elapsed());
    resp
}
