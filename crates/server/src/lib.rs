//! The HTTP API: axum routes over the [`bonafide_engine::Engine`].
//!
//! [`app`] builds the router (tests drive it with `oneshot`); [`serve`] binds
//! it and runs until shutdown. Every error is JSON `{code, message}`; the
//! OpenAPI document at `/openapi.json` is generated from the handlers.
#![deny(missing_docs)]

pub use crate::http::{ApiDoc, AppState, app, serve};

mod http;
