//! The identity graph in the engine: each upload's event (its device, IP
//! block, hashed payout account and the content it shares with other
//! accounts, read from the duplicate and bank findings) is appended to the
//! store's log, the in-process graph catches up with the log — so every
//! process holds the same graph, and a restart replays it into the same
//! clusters — and the `fraud.*` findings are read from it.

use bonafide_core::{Finding, codes};
use bonafide_fraud::{ContentLink, GraphEvent, IdentityGraph, UploadEvent, findings, ip_block};
use bonafide_store::{Store, StoreError, UploadRecord};
use tokio::sync::RwLock;

use crate::cursor::Cursor;

/// Events read from the log per query.
const PAGE: i64 = 10_000;

#[derive(Debug)]
struct Loaded {
    graph: IdentityGraph,
    cursor: Cursor,
}

/// The graph, mirrored from the store's event log.
#[derive(Debug)]
pub(crate) struct FraudGraph {
    store: Store,
    loaded: RwLock<Loaded>,
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
            loaded: RwLock::new(Loaded {
                graph: IdentityGraph::new(config),
                cursor: Cursor::default(),
            }),
        }
    }

    /// Applies events appended since the last look, by any process.
    async fn catch_up(&self) -> Result<(), StoreError> {
        loop {
            let after = self.loaded.read().await.cursor.after();
            let page = self.store.graph_events_after(after, PAGE).await?;
            let full = page.len() as i64 == PAGE;
            let mut loaded = self.loaded.write().await;
            for (seq, event) in page {
                if loaded.cursor.admit(seq) {
                    match serde_json::from_value::<GraphEvent>(event) {
                        Ok(event) => loaded.graph.apply(&event),
                        Err(error) => {
                            tracing::error!(seq, %error, "unreadable graph event skipped")
                        }
                    }
                }
            }
            loaded.cursor.prune();
            if !full {
                return Ok(());
            }
        }
    }

    /// Records the upload in the graph and returns its `fraud.*` findings.
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
            .add_graph_event(&format!("upload:{}", m.id), &json)
            .await?;
        self.catch_up().await?;
        let loaded = self.loaded.read().await;
        Ok(findings::for_upload(&loaded.graph, &event))
    }

    /// Records a verdict (its reject counts towards the cluster's risk).
    pub(crate) async fn observe_verdict(
        &self,
        upload_id: &str,
        contributor: &str,
        rejected: bool,
    ) -> Result<(), StoreError> {
        let event = GraphEvent::Verdict {
            contributor: contributor.to_owned(),
            rejected,
        };
        self.store
            .add_graph_event(
                &format!("verdict:{upload_id}"),
                &serde_json::to_value(event)?,
            )
            .await?;
        Ok(())
    }

    /// Runs `read` on the caught-up graph.
    pub(crate) async fn read<T>(
        &self,
        read: impl FnOnce(&IdentityGraph) -> T,
    ) -> Result<T, StoreError> {
        self.catch_up().await?;
        Ok(read(&self.loaded.read().await.graph))
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
