//! Act: what happens after a verdict leaves the policy — today, signed
//! webhook deliveries to the API client that sent the upload.
//!
//! Each delivery is a POST of the upload's JSON with a
//! `Bonafide-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` header, the
//! MAC taken over `"<t>.<body>"` with the client's webhook secret (the scheme
//! Stripe and GitHub integrators already know). Retries are the job
//! queue's: a failed delivery is retried with backoff, then dead-lettered.
#![deny(missing_docs)]

pub use crate::webhook::{
    SIGNATURE_HEADER, SIGNATURE_TOLERANCE, WebhookError, WebhookSender, sign, verify,
};

mod webhook;
