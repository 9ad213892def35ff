//! The identity graphs in the engine, one per tenant: each upload's event
//! (its device, IP block, hashed payout account and the content it shares
//! with other accounts, read from the duplicate and bank findings) is
//! appended to the store's log under its tenant, the in-process graphs
//! catch up with the log — so every process holds the same graphs, and a
//! restart replays them into the same clusters — and the `fraud.*`
//! findings are read from the upload's tenant's graph. A device or payout
//! account seen in two tenants links nothing across them.

use std::collections::HashMap;

use bonafide_core::{Finding, UploadMeta, codes};
use bonafide_fraud::{ContentLink, GraphEvent, IdentityGraph, UploadEvent, findings, ip_block};
use bonafide_store::{LoggedEvent, Store, StoreError, UploadRecord};

use crate::mirror::{Mirror, Mirrored};

/// Events read from the log per query.
const PAGE: i64 = 10_000;

/// Each tenant's graph, made at its first event.
#[derive(Debug)]
struct Graphs {
    graphs: HashMap<String, IdentityGraph>,
    config: bonafide_fraud::GraphConfig,
}

impl Mirrored for Graphs {
    type Row = LoggedEvent;
    type Error = StoreError;

    fn seq(row: &LoggedEvent) -> i64 {
        row.seq
    }

    fn apply(&mut self, logged: LoggedEvent) -> Result<(), StoreError> {
        match serde_json::from_value::<GraphEvent>(logged.event) {
            Ok(event) => self
                .graphs
                .entry(logged.tenant)
                .or_insert_with(|| IdentityGraph::new(self.config.clone()))
                .apply(&event),
            // One bad event must not stop the graph for everyone.
            Err(error) => {
                tracing::error!(seq = logged.seq, %error, "unreadable graph event skipped")
            }
        }
        Ok(())
    }
}

/// The graphs, mirrored from the store's event log.
#[derive(Debug)]
pub(crate) struct FraudGraph {
    store: Store,
    graphs: Mirror<Graphs>,
}

/// The content an upload shares with other accounts, from its findings.
fn content_links(findings: &[Finding]) -> Vec<ContentLink> {
    let mut links = Vec::new();
    for f in findings {
        let e = &f.evidence;
        let cross = e["cross_contributor"].as_bool() == Some(true);
        let link = match f.code.as_str() {
            codes::DUPLICATE_EXACT if cross => {
                e["first_upload_id"].as_str().map(|id| ContentLink {
                    key: format!("upload:{id}"),
                    owner: e["first_contributor_id"].as_str().map(str::to_owned),
                })
            }
            // A flooded hash (a meme, a logo) says nothing about who knows whom.
            codes::DUPLICATE_NEAR | codes::DUPLICATE_SEMANTIC
                if cross && e["low_signal"].as_bool() != Some(true) =>
            {
                e["matched_upload_id"].as_str().map(|id| ContentLink {
                    key: format!("upload:{id}"),
                    owner: e["matched_contributor_id"].as_str().map(str::to_owned),
                })
            }
            codes::BANK_MATCH | codes::PLAGIARISM_REFERENCE_MATCH => {
                match (e["bank"].as_str(), e["entry"].as_i64()) {
                    (Some(bank), Some(entry)) => Some(ContentLink {
                        key: format!("bank:{bank}:{entry}"),
                        owner: None,
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(link) = link.filter(|l| !links.contains(l)) {
            links.push(link);
        }
    }
    links
}

impl FraudGraph {
    pub(crate) fn new(store: Store, config: bonafide_fraud::GraphConfig) -> Self {
        Self {
            store,
            graphs: Mirror::new(Graphs {
                graphs: HashMap::new(),
                config,
            }),
        }
    }

    /// Applies events appended since the last look, by any process, a
    /// page at a time.
    async fn catch_up(&self) -> Result<(), StoreError> {
        let store = &self.store;
        while self
            .graphs
            .catch_up(|after| store.graph_events_after(after, PAGE))
            .await?
            == PAGE as usize
        {}
        Ok(())
    }

    /// Records the upload in its tenant's graph and returns its `fraud.*`
    /// findings.
    pub(crate) async fn observe_upload(
        &self,
        rec: &UploadRecord,
        findings: &[Finding],
    ) -> Result<Vec<Finding>, StoreError> {
        let m = &rec.meta;
        let event = UploadEvent {
            contributor: m.contributor_id.clone(),
            at_ms: m.created_at,
            device: m.device_id.clone(),
            device_model: match (&m.device_make, &m.device_model) {
                (Some(make), Some(model)) => Some(format!("{make} {model}")),
                (make, model) => make.clone().or_else(|| model.clone()),
            },
            ip_block: m.client_ip.as_deref().and_then(ip_block),
            payout: m.payout_hash.clone(),
            content: content_links(findings),
        };
        let json = serde_json::to_value(GraphEvent::Upload(event.clone()))?;
        self.store
            .add_graph_event(&format!("upload:{}", m.id), &m.tenant, &json)
            .await?;
        self.catch_up().await?;
        let loaded = self.graphs.read().await;
        Ok(loaded
            .graphs
            .get(&m.tenant)
            .map(|graph| findings::for_upload(graph, &event))
            .unwrap_or_default())
    }

    /// Records a verdict on `upload` (its reject counts towards the
    /// cluster's risk).
    pub(crate) async fn observe_verdict(
        &self,
        upload: &UploadMeta,
        rejected: bool,
    ) -> Result<(), StoreError> {
        let event = GraphEvent::Verdict {
            contributor: upload.contributor_id.clone(),
            rejected,
        };
        self.store
            .add_graph_event(
                &format!("verdict:{}", upload.id),
                &upload.tenant,
                &serde_json::to_value(event)?,
            )
            .await?;
        Ok(())
    }

    /// Runs `read` on `tenant`'s caught-up graph (`None` when the tenant
    /// has no events yet).
    pub(crate) async fn read<T>(
        &self,
        tenant: &str,
        read: impl FnOnce(&IdentityGraph) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        self.catch_up().await?;
        Ok(self.graphs.read().await.graphs.get(tenant).and_then(read))
    }

    /// Events applied, over every tenant's graph.
    pub(crate) async fn events(&self) -> Result<u64, StoreError> {
        self.catch_up().await?;
        Ok(self
            .graphs
            .read()
            .await
            .graphs
            .values()
            .map(IdentityGraph::events)
            .sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_from_cross_account_matches_only() {
        let f = |code: &str, evidence: serde_json::Value| {
            Finding::new("t", code, 0.9, "m").with_evidence(evidence)
        };
        let findings = [
            f(
                codes::DUPLICATE_EXACT,
                serde_json::json!({"cross_contributor": true, "first_upload_id": "u1", "first_contributor_id": "bob"}),
            ),
            f(
                codes::DUPLICATE_NEAR,
                serde_json::json!({"cross_contributor": false, "matched_upload_id": "u2"}),
            ),
            f(
                codes::DUPLICATE_NEAR,
                serde_json::json!({"cross_contributor": true, "low_signal": true, "matched_upload_id": "u3"}),
            ),
            f(
                codes::DUPLICATE_SEMANTIC,
                serde_json::json!({"cross_contributor": true, "low_signal": false, "matched_upload_id": "u1", "matched_contributor_id": "bob"}),
            ),
            f(
                codes::BANK_MATCH,
                serde_json::json!({"bank": "stock", "entry": 7}),
            ),
        ];
        let links = content_links(&findings);
        let keys: Vec<&str> = links.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["upload:u1", "bank:stock:7"]);
        assert_eq!(links[0].owner.as_deref(), Some("bob"));
    }
}
