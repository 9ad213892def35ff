//! What the fraud graph tells operators: a contributor's risk, a cluster's
//! members and links, the riskiest clusters.

use bonafide_fraud::{ClusterView, Risk};

use crate::{Engine, EngineError};

impl Engine {
    /// Replays the fraud graph's event log now, so the first upload after
    /// a start does not wait for it (`serve` calls this before listening).
    pub async fn warm_up_fraud_graph(&self) -> Result<u64, EngineError> {
        Ok(self.inner.fraud.read(|g| g.events()).await?)
    }

    /// A contributor's risk (their cluster's), or `None` if never seen.
    pub async fn contributor_risk(&self, contributor: &str) -> Result<Option<Risk>, EngineError> {
        Ok(self.inner.fraud.read(|g| g.risk(contributor)).await?)
    }

    /// A cluster's members, links and risk.
    pub async fn cluster(&self, id: &str) -> Result<Option<(ClusterView, Risk)>, EngineError> {
        Ok(self
            .inner
            .fraud
            .read(|g| {
                let view = g.cluster(id)?;
                let risk = g.risk(&view.members.first()?.contributor)?;
                Some((view, risk))
            })
            .await?)
    }

    /// Clusters of two or more at or above `min_risk`, riskiest first.
    pub async fn risky_clusters(&self, min_risk: f64) -> Result<Vec<Risk>, EngineError> {
        Ok(self
            .inner
            .fraud
            .read(|g| g.risky_clusters(min_risk))
            .await?)
    }
}
