//! A DNS resolver for reqwest that refuses names resolving to non-public
//! addresses. Checking the addresses the connection will actually use (not a
//! separate lookup before the request) closes the DNS-rebinding gap: a name
//! cannot answer "public" to the check and "private" to the connect.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::{EgressError, address::is_public};

/// Resolves with the system resolver; fails if any address is not public.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            // One private address among public ones is refused too: the
            // client may pick any of them.
            if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                return Err(Box::new(EgressError::Private {
                    host,
                    addr: bad.ip(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}
