//! What the graph consumes: one event per upload and per verdict, in the
//! order they were recorded.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// One upload as the graph sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadEvent {
    /// Who.
    pub contributor: String,
    /// When (Unix ms).
    pub at_ms: i64,
    /// The device id the app reported.
    pub device: Option<String>,
    /// The device's make and model as its OS reports them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_model: Option<String>,
    /// The IP block ([`ip_block`]).
    pub ip_block: Option<String>,
    /// The payout account's hash ([`payout_hash`]).
    pub payout: Option<String>,
    /// Content this upload shares with earlier uploads or banks.
    pub content: Vec<ContentLink>,
}

impl UploadEvent {
    /// An upload that links nothing yet: fill in what the upload carries.
    pub fn new(contributor: &str, at_ms: i64) -> Self {
        Self {
            contributor: contributor.to_owned(),
            at_ms,
            device: None,
            device_model: None,
            ip_block: None,
            payout: None,
            content: Vec::new(),
        }
    }
}

/// One piece of content an upload copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentLink {
    /// The piece: `upload:{id}` of the earliest upload of it, or
    /// `bank:{bank}:{entry}`.
    pub key: String,
    /// Who uploaded it first, when that is a contributor.
    pub owner: Option<String>,
}

/// An event in the graph's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GraphEvent {
    /// An upload and what it links.
    Upload(UploadEvent),
    /// A verdict on one of the contributor's uploads.
    Verdict {
        /// Whose upload.
        contributor: String,
        /// Whether it was rejected.
        rejected: bool,
    },
}

/// The block an address belongs to: /24 for IPv4, /48 for IPv6 — a home or
/// office network rather than one device's address. `None` for text that is
/// not an address.
pub fn ip_block(ip: &str) -> Option<String> {
    match ip.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(format!("{a}.{b}.{c}.0/24"))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            Some(format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]))
        }
    }
}

/// A payout account as stored: HMAC-SHA256 under the deployment's own
/// `key` of the account without spaces, lower-cased. The account never
/// reaches the database or the logs, and without the key a leaked database
/// cannot be matched against a list of accounts (a plain hash of an IBAN
/// can: there are few enough to try).
pub fn payout_hash(key: &[u8], account: &str) -> String {
    let normal: String = account
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(format!("bonafide-payout:{normal}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_group_a_network() {
        assert_eq!(ip_block("203.0.113.77").as_deref(), Some("203.0.113.0/24"));
        assert_eq!(
            ip_block("2001:db8:abcd:12::1").as_deref(),
            Some("2001:db8:abcd::/48")
        );
        assert_eq!(ip_block("not an ip"), None);
    }

    #[test]
    fn payout_hashes_ignore_spacing_and_case() {
        let key = b"deployment key";
        assert_eq!(
            payout_hash(key, "DE89 3704 0044"),
            payout_hash(key, "de8937040044")
        );
        assert_ne!(payout_hash(key, "a"), payout_hash(key, "b"));
        assert_eq!(payout_hash(key, "x").len(), 64);
        // Another deployment's key gives another hash.
        assert_ne!(payout_hash(key, "a"), payout_hash(b"other key", "a"));
    }
}
