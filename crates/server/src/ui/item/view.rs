//! The item page's view model: everything the page shows, read from the
//! store before anything is rendered.

use std::sync::Arc;

use bonafide_core::{Task, TaskExemplar, codes};
use bonafide_engine::{FindingView, UploadView};
use bonafide_fraud::Risk;
use bonafide_models::ClipImageEncoder;
use bonafide_store::{ContributorRecord, ItemState, ReviewDecision, ReviewItem, now_ms};

use super::metadata::metadata_rows;
use crate::{ApiError, AppState};

/// Example photos of the task shown beside the upload.
const EXEMPLARS_SHOWN: usize = 8;
/// Earlier uploads a finding matched, shown beside it.
const MATCHES_SHOWN: usize = 4;
/// A contributor's devices listed.
const DEVICES_SHOWN: usize = 5;

/// The item page.
pub(super) struct ItemPage {
    pub item: ReviewItem,
    pub upload: UploadView,
    /// The reviewer holds the item's lease: the decision bar is theirs.
    pub held: bool,
    /// Sensitive media starts blurred.
    pub blurred: bool,
    pub task: TaskPanel,
    pub contributor: ContributorPanel,
    pub findings: Vec<FindingPanel>,
    pub decisions: Vec<ReviewDecision>,
    pub metadata: Arc<Vec<(String, String)>>,
    /// The decision just made, which the reviewer may still undo.
    pub undo: Option<i64>,
    pub now: i64,
}

/// The task the upload answers.
pub(super) enum TaskPanel {
    /// Not an answer to a task.
    None,
    /// The task was deleted since.
    Gone(String),
    /// The task and some of its example photos.
    Task {
        task: Box<Task>,
        exemplars: Vec<TaskExemplar>,
    },
}

/// Who sent the upload.
pub(super) struct ContributorPanel {
    pub id: String,
    /// The tenant, when it is not the default one.
    pub tenant: Option<String>,
    pub record: Option<ContributorRecord>,
    pub risk: Option<Risk>,
}

/// One finding with what it matched.
pub(super) struct FindingPanel {
    pub finding: FindingView,
    pub matched: Vec<Matched>,
    /// The bank entry it matched: bank, source, licence.
    pub bank: Option<(String, String, String)>,
    /// The evidence as pretty JSON.
    pub evidence: String,
}

/// An earlier upload a finding refers to.
pub(super) enum Matched {
    Upload(Box<UploadView>),
    /// No longer stored.
    Gone(String),
}

/// Every upload id an evidence value refers to (`matched_upload_id`,
/// `first_upload_id`, `upload_id` of listed matches).
fn referenced_uploads(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.ends_with("upload_id"), v.as_str()) {
                    (true, Some(id)) if !out.iter().any(|o| o == id) => out.push(id.to_owned()),
                    _ => referenced_uploads(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| referenced_uploads(i, out)),
        _ => {}
    }
}

impl ItemPage {
    /// Reads item `id` and everything its page shows, for `actor`.
    pub async fn load(
        state: &AppState,
        actor: &str,
        id: i64,
        undo: Option<i64>,
    ) -> Result<Self, ApiError> {
        let store = state.engine.store();
        let Some(item) = store.review_item(id).await? else {
            return Err(ApiError::NotFound("review item"));
        };
        let rec = store
            .upload(&item.upload_id)
            .await?
            .ok_or(ApiError::NotFound("upload"))?;
        let metadata = metadata_rows(state, &rec).await;
        let upload = UploadView::from(rec);
        let now = now_ms();
        let held = item.state == ItemState::Open
            && item.lease_owner.as_deref() == Some(actor)
            && item.lease_until.is_some_and(|t| t >= now);
        let blurred = upload
            .findings
            .iter()
            .any(|f| f.code == codes::CONTENT_NUDITY);
        Ok(Self {
            task: task_panel(state, &upload).await?,
            contributor: contributor_panel(state, &upload).await?,
            findings: findings(state, &upload).await?,
            decisions: store.review_decisions_of(&item.upload_id).await?,
            item,
            upload,
            held,
            blurred,
            metadata,
            undo,
            now,
        })
    }
}

async fn task_panel(state: &AppState, upload: &UploadView) -> Result<TaskPanel, ApiError> {
    let Some(task_id) = &upload.task_id else {
        return Ok(TaskPanel::None);
    };
    let store = state.engine.store();
    let Some(task) = store.task(task_id).await? else {
        return Ok(TaskPanel::Gone(task_id.clone()));
    };
    let mut exemplars = store.exemplars(task_id, ClipImageEncoder::FILE).await?;
    exemplars.truncate(EXEMPLARS_SHOWN);
    Ok(TaskPanel::Task {
        task: Box::new(task),
        exemplars,
    })
}

async fn contributor_panel(
    state: &AppState,
    upload: &UploadView,
) -> Result<ContributorPanel, ApiError> {
    let mut record = state
        .engine
        .store()
        .contributor(&upload.tenant, &upload.contributor_id)
        .await?;
    let risk = match &mut record {
        Some(record) => {
            record.devices.truncate(DEVICES_SHOWN);
            state
                .engine
                .contributor_risk(&upload.tenant, &upload.contributor_id)
                .await?
        }
        None => None,
    };
    Ok(ContributorPanel {
        id: upload.contributor_id.clone(),
        tenant: (upload.tenant != bonafide_core::DEFAULT_TENANT).then(|| upload.tenant.clone()),
        record,
        risk,
    })
}

async fn findings(state: &AppState, upload: &UploadView) -> Result<Vec<FindingPanel>, ApiError> {
    let store = state.engine.store();
    let mut panels = Vec::with_capacity(upload.findings.len());
    for f in &upload.findings {
        let mut ids = Vec::new();
        referenced_uploads(&f.evidence, &mut ids);
        ids.retain(|m| *m != upload.id);
        let mut matched = Vec::new();
        for other in ids.into_iter().take(MATCHES_SHOWN) {
            matched.push(match store.upload(&other).await? {
                Some(rec) => Matched::Upload(Box::new(UploadView::from(rec))),
                None => Matched::Gone(other),
            });
        }
        let bank = match (f.evidence["bank"].as_str(), f.evidence["source"].as_str()) {
            (Some(bank), Some(source)) => Some((
                bank.to_owned(),
                source.to_owned(),
                f.evidence["licence"].as_str().unwrap_or("").to_owned(),
            )),
            _ => None,
        };
        panels.push(FindingPanel {
            finding: f.clone(),
            matched,
            bank,
            evidence: serde_json::to_string_pretty(&f.evidence).unwrap_or_default(),
        });
    }
    Ok(panels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_referenced_upload_once() {
        let evidence = serde_json::json!({
            "matched_upload_id": "u1",
            "matches": [{"upload_id": "u2"}, {"upload_id": "u1"}],
            "first_upload_id": "u3",
        });
        let mut out = Vec::new();
        referenced_uploads(&evidence, &mut out);
        out.sort();
        assert_eq!(out, ["u1", "u2", "u3"]);
    }
}
