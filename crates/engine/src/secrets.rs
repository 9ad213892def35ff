//! The deployment's own keys (the store's `server_secrets`), loaded once
//! per process: the payout-account hash key and the key of the opaque
//! reviewer ids clients are shown.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Engine, EngineError, UploadView};

/// The keys; never printed.
pub(crate) struct Secrets {
    /// Keys [`bonafide_fraud::payout_hash`].
    pub(crate) payout: Vec<u8>,
    /// Keys the opaque ids of who decided a review.
    actors: Vec<u8>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets { .. }")
    }
}

impl Secrets {
    /// `reviewer:NAME` (or `client:ID`) as a client outside the review
    /// team sees it: the same kind, a stable id that names no one.
    fn opaque(&self, actor: &str) -> String {
        let kind = actor.split_once(':').map_or("actor", |(kind, _)| kind);
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.actors).expect("any key length");
        mac.update(actor.as_bytes());
        let id = hex::encode(mac.finalize().into_bytes());
        format!("{kind}:{}", &id[..16])
    }
}

impl Engine {
    /// The deployment's keys, read (or made) on first use.
    pub(crate) async fn secrets(&self) -> Result<&Secrets, EngineError> {
        self.inner
            .secrets
            .get_or_try_init(|| async {
                let store = &self.inner.store;
                Ok::<_, EngineError>(Secrets {
                    payout: store.server_secret("payout_hash").await?,
                    actors: store.server_secret("review_actor").await?,
                })
            })
            .await
    }

    /// `view` as an ingest client may see it (a `GET` without the review
    /// scope, a webhook): who decided its review is an opaque id, never a
    /// reviewer's name.
    pub async fn client_view(&self, mut view: UploadView) -> Result<UploadView, EngineError> {
        if let Some(review) = &mut view.review {
            review.reviewer = self.secrets().await?.opaque(&review.reviewer);
        }
        Ok(view)
    }
}
