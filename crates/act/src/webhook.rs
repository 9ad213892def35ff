use std::time::Duration;

use bonafide_egress::EgressPolicy;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Header carrying the signature.
pub const SIGNATURE_HEADER: &str = "Bonafide-Signature";

/// A delivery that did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The receiver answered with a non-2xx status.
    #[error("receiver answered {0}")]
    Status(u16),
    /// No answer: connection refused, timeout, TLS failure, or a host
    /// that resolves to a non-public address (the SSRF guard).
    #[error("delivery failed: {}", bonafide_egress::describe(.0))]
    Transport(#[from] reqwest::Error),
    /// The URL is not http(s), or names a non-public address.
    #[error("webhook URL refused: {0}")]
    Refused(#[from] bonafide_egress::EgressError),
}

/// `t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// How far a delivery's timestamp may be from the receiver's clock: each
/// attempt is signed when it is sent, so a retry is fresh and a captured
/// delivery replayed later is refused.
pub const SIGNATURE_TOLERANCE: Duration = Duration::from_secs(300);

/// Checks a signature header as a receiver would, in constant time: the
/// HMAC must match and its timestamp be within `tolerance` of `now` (Unix
/// seconds; [`SIGNATURE_TOLERANCE`] is the usual choice).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance: Duration) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let fresh = now.abs_diff(t) <= tolerance.as_secs();
    mac(secret, t, body).verify_slice(&v1).is_ok() && fresh
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(format!("{timestamp}.").as_bytes());
    m.update(body);
    m
}

/// Sends signed webhook bodies.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
    egress: EgressPolicy,
}

impl WebhookSender {
    /// A sender whose requests give up after `timeout` and reach only the
    /// addresses `egress` allows.
    pub fn new(timeout: Duration, egress: &EgressPolicy) -> Self {
        let builder = reqwest::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("bonafide-webhook/", env!("CARGO_PKG_VERSION")));
        let http = bonafide_egress::client(builder, egress)
            .build()
            .expect("a plain reqwest client builds");
        Self {
            http,
            egress: egress.clone(),
        }
    }

    /// POSTs `body` (JSON) to `url`, signed with `secret`.
    pub async fn deliver(
        &self,
        url: &str,
        secret: &str,
        body: Vec<u8>,
    ) -> Result<(), WebhookError> {
        bonafide_egress::check_url(url, &self.egress)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let resp = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, sign(secret, now, &body))
            .body(body)
            .send()
            .await?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(WebhookError::Status(resp.status().as_u16()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_round_trips_and_detects_tampering() {
        let h = sign("whsec_x", 1_700_000_000, b"{\"a\":1}");
        assert!(h.starts_with("t=1700000000,v1="));
        let check = |secret: &str, header: &str, body: &[u8], now: i64| {
            verify(secret, header, body, now, SIGNATURE_TOLERANCE)
        };
        let t = 1_700_000_000;
        assert!(check("whsec_x", &h, b"{\"a\":1}", t));
        assert!(!check("whsec_x", &h, b"{\"a\":2}", t));
        assert!(!check("whsec_y", &h, b"{\"a\":1}", t));
        assert!(!check("whsec_x", "garbage", b"{\"a\":1}", t));
        // Within five minutes either way; a replay an hour later is refused.
        assert!(check("whsec_x", &h, b"{\"a\":1}", t + 300));
        assert!(check("whsec_x", &h, b"{\"a\":1}", t - 300));
        assert!(!check("whsec_x", &h, b"{\"a\":1}", t + 3600));
    }
}
