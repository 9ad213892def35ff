//! The reviewers' web UI, served by `bonafide serve` itself under `/ui`:
//! login, the queue, the item page with keyboard decisions, statistics and
//! (for admins) the audit log. Server-rendered HTML (maud templates over
//! view models read first) and one small script;
//! it drives the same engine calls as the `/v1/review` API.

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};

use crate::AppState;

mod audit;
mod html;
mod item;
mod media;
mod queue;
mod session;
mod stats;
mod throttle;

pub use self::throttle::LoginConfig;
pub(crate) use self::{
    item::{METADATA_ROWS_KEPT, MetadataRows},
    throttle::LoginThrottle,
};

/// The largest body a UI form may send: its forms carry a name, a password,
/// a decision and a note, never a file. Without it a login form could send
/// as much as an upload (the API's limit).
pub(crate) const UI_BODY_LIMIT: usize = 64 * 1024;

/// The UI's routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ui", get(|| async { Redirect::to("/ui/queue") }))
        .route("/ui/login", get(session::login_form).post(session::login))
        .route("/ui/logout", post(session::logout))
        .route("/ui/queue", get(queue::queue))
        .route("/ui/next", post(queue::next))
        .route("/ui/items/{id}", get(item::item_page))
        .route("/ui/items/{id}/decision", post(item::decide))
        .route("/ui/items/{id}/skip", post(item::skip))
        .route("/ui/decisions/{id}/undo", post(item::undo))
        .route("/ui/media/{upload_id}", get(media::media))
        .route("/ui/media/{upload_id}/page/{n}", get(media::page))
        .route("/ui/stats", get(stats::stats))
        .route("/ui/audit", get(audit::audit))
        .route("/ui/audit/export", get(audit::export))
        .route("/ui/assets/ui.js", get(script))
        .route("/ui/assets/ui.css", get(style))
        .layer(DefaultBodyLimit::max(UI_BODY_LIMIT))
        .layer(axum::middleware::from_fn(secure_headers))
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/ui.js"),
    )
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("assets/ui.css"))
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

/// Every UI response: our own scripts and styles only, never framed, no
/// type sniffing, no referrer leaving the site.
async fn secure_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; \
         object-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    resp
}
