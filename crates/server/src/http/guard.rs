//! The request guard every route sits behind: a cap on requests in flight
//! (load shedding: past it, 503 with Retry-After, at once, instead of a
//! queue that grows until memory runs out) and a deadline per request.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use bonafide_engine::{Engine, LimitLabel};
use tokio::sync::Semaphore;

use super::serve::ServerLimits;
use crate::ApiError;

/// Routes answered whatever the load: probes and scrapes must see an
/// overloaded server as it is.
const ALWAYS_ANSWERED: &[&str] = &["/healthz", "/metrics"];

/// The guard's state.
#[derive(Debug, Clone)]
pub(crate) struct RequestGuard {
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    engine: Engine,
}

impl RequestGuard {
    pub(crate) fn new(limits: &ServerLimits, engine: Engine) -> Self {
        Self {
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
            timeout: limits.request_timeout(),
            engine,
        }
    }
}

/// Admits a request if there is room, and answers 408 when it runs past
/// the deadline (the handler, and any body it was reading, is dropped).
pub(crate) async fn guard(State(guard): State<RequestGuard>, req: Request, next: Next) -> Response {
    if ALWAYS_ANSWERED.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let Ok(_permit) = guard.in_flight.clone().try_acquire_owned() else {
        guard
            .engine
            .metrics()
            .rate_limited
            .get_or_create(&LimitLabel { limit: "in_flight" })
            .inc();
        return ApiError::Overloaded.into_response();
    };
    match tokio::time::timeout(guard.timeout, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::RequestTimeout(format!(
            "the request took longer than {} s; send it again",
            guard.timeout.as_secs()
        ))
        .into_response(),
    }
}
