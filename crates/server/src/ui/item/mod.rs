//! The item page: the media, the task, every finding in plain words with
//! its evidence beside what it matched, the metadata, the contributor —
//! and the decision bar (A accept, R reject with a reason, S skip, N next,
//! U undo, B blur) — and the decisions it posts. [`view`] reads what the
//! page shows, [`render`] draws it, [`metadata`] reads the file's own
//! metadata (cached).

mod metadata;
mod render;
mod view;

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use bonafide_store::{HumanDecision, QueueFilter};
use maud::Markup;
use serde::Deserialize;

use self::view::ItemPage;
pub(crate) use self::{
    metadata::{METADATA_ROWS_KEPT, MetadataRows},
    render::undo_form,
};
use super::session::Session;
use crate::{ApiError, AppState};

/// The reasons a reviewer picks from when rejecting (key, code, label);
/// `machine` stands for the item's own leading reason.
pub(crate) const REJECT_REASONS: [(&str, &str, &str); 7] = [
    ("1", "machine", "Agree with the machine's reason"),
    ("2", "duplicate", "Duplicate of earlier content"),
    ("3", "stock", "Stock or internet photo"),
    ("4", "ai", "AI-generated"),
    ("5", "tampered", "Edited or forged metadata"),
    ("6", bonafide_engine::OFF_TASK, "Does not answer the task"),
    ("7", "other", "Other (see note)"),
];

/// Query of the item page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ItemParams {
    /// The decision just made, which the reviewer may still undo.
    undo: Option<i64>,
}

pub(crate) async fn item_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(params): Query<ItemParams>,
) -> Result<Markup, ApiError> {
    let view = ItemPage::load(&state, &session.actor(), id, params.undo).await?;
    Ok(render::render(&view, &session.0))
}

/// A decision from the bar.
#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    csrf: String,
    decision: String,
    reason_code: Option<String>,
    #[serde(default)]
    note: String,
}

/// Records the decision, then opens the next item (with an undo button).
pub(crate) async fn decide(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, ApiError> {
    session.check_csrf(&form.csrf)?;
    let reasoned = form.reason_code.as_deref().is_some_and(|r| !r.is_empty());
    let decision = match HumanDecision::parse(&form.decision) {
        Some(HumanDecision::Reject) if !reasoned => None,
        parsed => parsed,
    };
    let Some(decision) = decision else {
        return Err(ApiError::Unprocessable {
            code: "invalid_decision",
            message: "accept, or reject with a reason".into(),
        });
    };
    let actor = session.actor();
    let decided = state
        .engine
        .decide_review_item(
            id,
            &actor,
            decision,
            form.reason_code
                .as_deref()
                .filter(|_| decision == HumanDecision::Reject),
            &form.note,
        )
        .await?;
    let Ok(decided) = decided else {
        // Lost the lease (or decided elsewhere): show the item as it is.
        return Ok(Redirect::to(&format!("/ui/items/{id}")).into_response());
    };
    let next = state
        .engine
        .next_review_item(&actor, &QueueFilter::default())
        .await?;
    Ok(match next {
        Some(next) => Redirect::to(&format!("/ui/items/{}?undo={}", next.id, decided.id)),
        None => Redirect::to(&format!("/ui/queue?empty=1&undo={}", decided.id)),
    }
    .into_response())
}

/// The CSRF token, alone.
#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    csrf: String,
}

/// Skips the item and opens the next.
pub(crate) async fn skip(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, ApiError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor();
    // Not held any more: nothing to give back; carry on either way.
    let _ = state.engine.store().skip_review_item(id, &actor).await?;
    let next = state
        .engine
        .next_review_item(&actor, &QueueFilter::default())
        .await?;
    Ok(match next {
        Some(next) => Redirect::to(&format!("/ui/items/{}", next.id)),
        None => Redirect::to("/ui/queue?empty=1"),
    }
    .into_response())
}

/// Undoes the reviewer's last decision and reopens its item.
pub(crate) async fn undo(
    State(state): State<AppState>,
    session: Session,
    Path(decision): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, ApiError> {
    session.check_csrf(&form.csrf)?;
    match state
        .engine
        .undo_review_decision(decision, &session.actor())
        .await?
    {
        Ok(item) => Ok(Redirect::to(&format!("/ui/items/{}", item.id)).into_response()),
        Err(refusal) => Err(ApiError::Conflict {
            code: "too_late",
            message: refusal.to_string(),
        }),
    }
}
