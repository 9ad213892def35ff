//! What the fraud graphs tell operators, each about one tenant: a
//! contributor's risk, a cluster's members and links, the riskiest
//! clusters.

use bonafide_fraud::{ClusterView, Risk};

use crate::{Engine, EngineError};

impl Engine {
    /// Replays the fraud graph's event log now, so the first upload after
    /// a start does not wait for it (`serve` calls this before listening).
    pub async fn warm_up_fraud_graph(&self) -> Result<u64, EngineError> {
        Ok(self.inner.fraud.events().await?)
    }

    /// A contributor of `tenant`'s risk (their cluster's), or `None` if
    /// never seen.
    pub async fn contributor_risk(
        &self,
        tenant: &str,
        contributor: &str,
    ) -> Result<Option<Risk>, EngineError> {
        Ok(self
            .inner
            .fraud
            .read(tenant, |g| g.risk(contributor))
            .await?)
    }

    /// A cluster of `tenant`'s: its members, links and risk.
    pub async fn cluster(
        &self,
        tenant: &str,
        id: &str,
    ) -> Result<Option<(ClusterView, Risk)>, EngineError> {
        Ok(self
            .inner
            .fraud
            .read(tenant, |g| {
                let view = g.cluster(id)?;
                let risk = g.risk(&view.members.first()?.contributor)?;
                Some((view, risk))
            })
            .await?)
    }

    /// `tenant`'s clusters of two or more at or above `min_risk`, riskiest
    /// first.
    pub async fn risky_clusters(
        &self,
        tenant: &str,
        min_risk: f64,
    ) -> Result<Vec<Risk>, EngineError> {
        Ok(self
            .inner
            .fraud
            .read(tenant, |g| Some(g.risky_clusters(min_risk)))
            .await?
            .unwrap_or_default())
    }
}
