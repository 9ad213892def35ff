//! The HTTP API and the reviewers' web UI: axum routes over the
//! [`bonafide_engine::Engine`].
//!
//! [`app`] builds the router; [`serve`] binds it and runs until shutdown
//! ([`serve_on`] serves an already bound listener, as the tests do), with
//! the timeouts and caps of [`ServerLimits`]. Every API error is JSON
//! `{code, message}` ([`ApiError`]); the OpenAPI document at
//! `/openapi.json` is generated from the handlers. The UI (`/ui`) is
//! server-rendered HTML (maud templates over view models) behind reviewer
//! logins. The API (`http`) and the
//! UI (`ui`) share [`AppState`] and [`ApiError`] from the crate root and
//! do not import each other; `app` puts them together. [`Config`] is an
//! installation's settings (`bonafide.toml` and `BONAFIDE_*`), read the
//! same way by every binary.
#![deny(missing_docs)]

pub use crate::{
    app::{app, serve},
    config::ApiConfig,
    error::{ApiError, ErrorBody},
    http::{ApiDoc, RateLimits, ServerLimits, serve_on},
    installation::{Config, ConfigError},
    state::AppState,
    ui::LoginConfig,
};
pub(crate) use crate::{
    client_address::{ClientAddress, client_block},
    error::json_rejection,
};

mod app;
mod client_address;
mod config;
mod error;
mod http;
mod installation;
mod state;
mod ui;
