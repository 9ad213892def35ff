//! The address a request came from: the connection's peer, or (behind a
//! trusted reverse proxy) the last `X-Forwarded-For` entry, the one that
//! proxy appended. Earlier entries are the client's own word.

use std::{
    convert::Infallible,
    net::{IpAddr, SocketAddr},
};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::AppState;

/// The client's address, when known (a router served without connect
/// info, as some tests do, knows none).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientAddress(pub(crate) Option<IpAddr>);

/// The block of addresses one client holds, for keying limits: an IPv4
/// address itself, an IPv6 client's /64 (one host gets a whole /64, so
/// per-address limits would not hold it).
pub(crate) fn client_block(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// The last address in the request's `X-Forwarded-For` headers.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = state
            .trust_forwarded_for
            .then(|| forwarded_for(&parts.headers))
            .flatten();
        Ok(Self(forwarded.or(peer)))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn the_proxys_entry_is_the_last_one() {
        let mut h = HeaderMap::new();
        h.append("x-forwarded-for", HeaderValue::from_static("10.9.9.9"));
        h.append(
            "x-forwarded-for",
            HeaderValue::from_static("1.1.1.1, 203.0.113.4"),
        );
        assert_eq!(forwarded_for(&h), Some("203.0.113.4".parse().unwrap()));
        h.insert("x-forwarded-for", HeaderValue::from_static("junk"));
        assert_eq!(forwarded_for(&h), None);
    }
}
