//! The HTTP API and the reviewers' web UI: axum routes over the
//! [`bonafide_engine::Engine`].
//!
//! [`app`] builds the router; [`serve`] binds it and runs until shutdown
//! ([`serve_on`] serves an already bound listener, as the tests do), with
//! the timeouts and caps of [`ServerLimits`]. Every API error is JSON
//! `{code, message}`;
//! the OpenAPI document at `/openapi.json` is generated from the handlers.
//! The UI (`/ui`) is server-rendered HTML behind reviewer logins.
#![deny(missing_docs)]

pub use crate::{
    http::{ApiConfig, ApiDoc, AppState, RateLimits, ServerLimits, app, serve, serve_on},
    ui::LoginConfig,
};

mod http;
mod ui;
