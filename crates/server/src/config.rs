//! The API's settings (`[api]` in the config file): rate limits, the
//! reviewers' login throttle, connection timeouts and caps.

use serde::{Deserialize, Serialize};

use crate::{LoginConfig, ServerLimits};

/// The API's rate limits (`[api]` in the config). A rate of 0 turns that
/// limit off.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// Requests per second one API key may make, sustained.
    pub key_per_second: u32,
    /// Requests one API key may make at once above that rate.
    pub key_burst: u32,
    /// Uploads per minute one contributor may send, sustained.
    pub contributor_per_minute: u32,
    /// Uploads one contributor may send at once above that rate.
    pub contributor_burst: u32,
    /// Requests without a valid API key one address (an IPv6 /64) may
    /// make per minute; past it they are answered 429 before their body
    /// is read.
    pub unauthenticated_per_minute: u32,
    /// Take the client's address from the last `X-Forwarded-For` entry (the
    /// one the reverse proxy in front appended), not the connection's. Only
    /// behind such a proxy: otherwise a client picks its own address.
    pub trust_forwarded_for: bool,
    /// Reviewers' failed logins (`[api.login]`).
    pub login: LoginConfig,
    /// Connection and request timeouts and caps (`[api.server]`).
    pub server: ServerLimits,
}

impl Default for ApiConfig {
    fn default() -> Self {
        // Room for the seed's 100 uploads/s peak through one integration
        // key plus its polling; a contributor's burst covers a phone's
        // camera roll sent at once.
        Self {
            key_per_second: 500,
            key_burst: 1000,
            contributor_per_minute: 60,
            contributor_burst: 120,
            unauthenticated_per_minute: 60,
            trust_forwarded_for: false,
            login: LoginConfig::default(),
            server: ServerLimits::default(),
        }
    }
}
