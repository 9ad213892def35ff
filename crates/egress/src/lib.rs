//! Outbound HTTP with a guard against server-side request forgery.
//!
//! Bonafide fetches URLs that others chose: webhook receivers registered with
//! API keys, and external providers named in the config. Without a guard a
//! webhook URL of `http://169.254.169.254/…` or `http://localhost:5432/`
//! makes the service probe its own network. Every outbound client is built
//! by [`client`]: host names resolve through [`resolver::PublicOnly`], which
//! refuses a name if any of its addresses is not public; [`check_url`]
//! refuses literal private addresses (which skip resolution); redirects are
//! not followed (a redirect could name a literal address) and no proxy is
//! used (a proxy would resolve names past the guard).
#![deny(missing_docs)]

use std::{net::IpAddr, sync::Arc};

use serde::{Deserialize, Serialize};

pub mod address;
pub mod resolver;

/// Where outbound requests may go (`[engine.egress]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct EgressPolicy {
    /// Let webhooks and providers reach loopback, private, link-local and
    /// other non-public addresses. Off by default; for a receiver on the
    /// same host or network in development and tests.
    pub allow_private_networks: bool,
    /// Let them use plain `http://` URLs. Off by default: a verdict and its
    /// signature would cross the network readable (and the receiver could
    /// not tell a forged one by its certificate).
    pub allow_http: bool,
}

/// An outbound request the guard refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum EgressError {
    /// Not an absolute http(s) URL.
    #[error("{0:?} is not an http(s) URL")]
    NotHttp(String),
    /// A plain `http://` URL where only `https://` is allowed.
    #[error("{0:?} is plain http; use https (or set [engine.egress] allow_http)")]
    PlainHttp(String),
    /// The URL names, or its host resolves to, a non-public address.
    #[error(
        "{host} is a non-public address ({addr}); outbound requests go to public addresses only"
    )]
    Private {
        /// The host as written in the URL.
        host: String,
        /// The offending address.
        addr: IpAddr,
    },
}

/// Checks what can be checked without resolving: an https URL (http if
/// the policy allows it) whose host, if a literal address, is public (or
/// the policy allows private ones).
pub fn check_url(url: &str, policy: &EgressPolicy) -> Result<url::Url, EgressError> {
    let parsed = url::Url::parse(url).map_err(|_| EgressError::NotHttp(url.to_owned()))?;
    match parsed.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        "http" => return Err(EgressError::PlainHttp(url.to_owned())),
        _ => return Err(EgressError::NotHttp(url.to_owned())),
    }
    let addr = match parsed.host() {
        Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(EgressError::NotHttp(url.to_owned())),
    };
    if let Some(addr) = addr
        && !policy.allow_private_networks
        && !address::is_public(addr)
    {
        return Err(EgressError::Private {
            host: parsed.host_str().unwrap_or_default().to_owned(),
            addr,
        });
    }
    Ok(parsed)
}

/// An error with its causes, one after another: reqwest's own message
/// ("error sending request") hides why, such as this guard's refusal.
pub fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// `builder` with the guard: names resolve to public addresses only (unless
/// the policy allows private ones), no redirects, no proxy.
pub fn client(builder: reqwest::ClientBuilder, policy: &EgressPolicy) -> reqwest::ClientBuilder {
    let builder = builder
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if policy.allow_private_networks {
        builder
    } else {
        builder.dns_resolver(Arc::new(resolver::PublicOnly))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_addresses_are_checked_before_any_request() {
        let strict = EgressPolicy::default();
        for url in [
            "https://127.0.0.1:8080/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/",
            "https://10.1.2.3/",
            "https://[::ffff:192.168.0.1]/",
            "https://[2002:a9fe:a9fe::]/",
        ] {
            assert!(
                matches!(check_url(url, &strict), Err(EgressError::Private { .. })),
                "{url}"
            );
        }
        assert!(check_url("https://93.184.215.14/hook", &strict).is_ok());
        assert!(check_url("https://hooks.example.com/x", &strict).is_ok());
        for url in ["file:///etc/passwd", "gopher://x/", "not a url"] {
            assert!(
                matches!(check_url(url, &strict), Err(EgressError::NotHttp(_))),
                "{url}"
            );
        }
        assert!(matches!(
            check_url("http://hooks.example.com/x", &strict),
            Err(EgressError::PlainHttp(_))
        ));
        let open = EgressPolicy {
            allow_private_networks: true,
            allow_http: true,
        };
        assert!(check_url("http://127.0.0.1:8080/hook", &open).is_ok());
    }

    /// A receiver on loopback, reached by name: refused by the guarded
    /// client, delivered to by one that allows private networks.
    #[tokio::test]
    async fn names_that_resolve_to_private_addresses_are_refused() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        let url = format!("http://localhost:{port}/hook");
        let strict = client(reqwest::Client::builder(), &EgressPolicy::default())
            .build()
            .unwrap();
        let err = strict.get(&url).send().await.unwrap_err();
        let chain = describe(&err);
        assert!(chain.contains("non-public address"), "{chain}");
        let open = client(
            reqwest::Client::builder(),
            &EgressPolicy {
                allow_private_networks: true,
                allow_http: true,
            },
        )
        .build()
        .unwrap();
        assert_eq!(open.get(&url).send().await.unwrap().status(), 204);
    }
}
