//! Serving connections: HTTP/1.1 on hyper with a header-read deadline, a
//! cap on open connections, and a bounded drain at shutdown. `axum::serve`
//! sets no timer, so a client that never finishes its headers would hold a
//! connection (and its task) for ever.

use std::{convert::Infallible, sync::Arc, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

/// Connection and request limits (`[api.server]` in the config).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerLimits {
    /// Seconds a client has to send a request's headers; a keep-alive
    /// connection idle this long is closed too.
    pub header_timeout_secs: u64,
    /// Longest pause, in seconds, while a request body is arriving.
    pub body_idle_timeout_secs: u64,
    /// Seconds a request may take, its body included, before it is
    /// answered 408.
    pub request_timeout_secs: u64,
    /// Requests handled at once; more are answered 503 with Retry-After
    /// (`/healthz` and `/metrics` are always answered).
    pub max_in_flight: usize,
    /// Open connections; past this, new ones wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        // An upload of the 256 MiB limit at 1 MB/s fits the request
        // timeout; each request in flight holds at most about two staging
        // buffers (16 MiB), so the in-flight cap bounds upload memory.
        Self {
            header_timeout_secs: 30,
            body_idle_timeout_secs: 30,
            request_timeout_secs: 600,
            max_in_flight: 256,
            max_connections: 4096,
        }
    }
}

impl ServerLimits {
    /// [`Self::header_timeout_secs`] as a duration.
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs.max(1))
    }

    /// [`Self::body_idle_timeout_secs`] as a duration.
    pub fn body_idle_timeout(&self) -> Duration {
        Duration::from_secs(self.body_idle_timeout_secs.max(1))
    }

    /// [`Self::request_timeout_secs`] as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }
}

/// How long shutdown waits for open requests before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `router` on a bound `listener` until `shutdown` resolves, then
/// stops accepting and lets open requests finish (for up to 30 s).
/// Handlers see each connection's peer address as `ConnectInfo`.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: &ServerLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout());
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = connections.clone().acquire_owned() => p.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: pass, not fail.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Answers are small and written at once: no Nagle delay on them.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "TCP_NODELAY not set");
        }
        let service = router
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let conn = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(service.map_err(|e: Infallible| match e {})),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                // Header timeouts, resets, malformed requests: the client's.
                tracing::debug!(%peer, error = %e, "connection ended");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still open after the shutdown grace; dropping them");
    }
    Ok(())
}
