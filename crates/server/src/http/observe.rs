//! Request metrics: every answered request counted and timed by route.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};
use bonafide_engine::HttpLabel;

use crate::AppState;

/// Middleware: records method, route template, status and duration.
pub(crate) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = method_label(req.method()).to_owned();
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

/// The method's metric label: one of HTTP's standard methods, or "other".
/// A client may send any token as a method; each one a label would be new
/// series in every counter, without end.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    KNOWN
        .iter()
        .find(|m| *m == method)
        .map_or("other", Method::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_method_maps_to_a_fixed_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        let bogus = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&bogus), "other");
    }
}
