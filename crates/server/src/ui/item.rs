//! The item page: the media, the task, every finding in plain words with
//! its evidence beside what it matched, the metadata, the contributor —
//! and the decision bar (A accept, R reject with a reason, S skip, N next,
//! U undo, B blur).
//!
//! Over 600 lines because each panel's HTML is written here with
//! `format!`; it shrinks when the UI moves to a template crate over view
//! models (issue #22, step 6).

use std::{fmt::Write, sync::Arc};

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use bonafide_core::codes;
use bonafide_engine::UploadView;
use bonafide_models::ClipImageEncoder;
use bonafide_store::{HumanDecision, ItemState, QueueFilter, ReviewItem, UploadRecord, now_ms};
use serde::Deserialize;

use super::{
    html::{csrf_field, esc, page, span},
    session::Session,
};
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

/// Flattens a JSON document into `(path, value)` rows for a table.
fn flatten(prefix: &str, v: &serde_json::Value, rows: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, rows);
            }
        }
        serde_json::Value::Array(items)
            if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
        {
            let joined: Vec<String> = items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect();
            rows.push((prefix.to_owned(), joined.join(", ")));
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, rows);
            }
        }
        serde_json::Value::String(s) => rows.push((prefix.to_owned(), s.clone())),
        other => rows.push((prefix.to_owned(), other.to_string())),
    }
}

/// The media element for an upload: image, video player or PDF.
pub(crate) fn media(upload: &UploadView, class: &str) -> String {
    let src = format!("/ui/media/{}", esc(&upload.id));
    match upload.media_type.as_deref().unwrap_or("") {
        t if t.starts_with("image/") => {
            format!(
                r#"<img class="media {class}" src="{src}" alt="upload {id}">"#,
                id = esc(&upload.id)
            )
        }
        t if t.starts_with("video/") => {
            format!(
                r#"<video class="media {class}" src="{src}" controls preload="metadata"></video>"#
            )
        }
        "application/pdf" => {
            let pages = upload.pages.unwrap_or(0);
            let mut html = format!(r#"<div class="media pages {class}">"#);
            for n in 1..=pages.min(super::media::PREVIEW_PAGES) {
                let _ = write!(
                    html,
                    r#"<img src="{src}/page/{n}" alt="page {n} of {pages}" loading="lazy">"#
                );
            }
            let _ = write!(
                html,
                r#"<a href="{src}" download>Download the PDF ({pages} pages)</a></div>"#
            );
            html
        }
        other => format!(
            r#"<p class="media {class}">No preview for {}.</p>"#,
            esc(other)
        ),
    }
}

/// Metadata rows of recently viewed files, by content hash: an item page
/// is opened again and again while it is worked, and reading a file's
/// metadata means fetching it and parsing an uploader's bytes.
pub(crate) type MetadataRows = quick_cache::sync::Cache<String, Arc<Vec<(String, String)>>>;

/// How many files' rows [`MetadataRows`] keeps.
pub(crate) const METADATA_ROWS_KEPT: usize = 1024;

async fn metadata_rows(state: &AppState, rec: &UploadRecord) -> Arc<Vec<(String, String)>> {
    if let Some(rows) = state.metadata_rows.get(&rec.meta.sha256) {
        return rows;
    }
    let Ok(bytes) = state.engine.store().blobs.get(&rec.blob_key).await else {
        return Arc::new(vec![(
            "error".into(),
            "the stored file could not be read".into(),
        )]);
    };
    // Parsing the uploader's bytes is CPU work: off the async threads.
    let parsed = tokio::task::spawn_blocking(move || {
        let meta = bonafide_metadata::read(&bytes);
        let mut rows = Vec::new();
        if let Ok(v) = serde_json::to_value(&meta) {
            flatten("", &v, &mut rows);
        }
        rows.truncate(200);
        rows
    })
    .await;
    let rows = Arc::new(parsed.unwrap_or_else(|_| {
        vec![(
            "error".into(),
            "the file's metadata could not be read".into(),
        )]
    }));
    state
        .metadata_rows
        .insert(rec.meta.sha256.clone(), rows.clone());
    rows
}

pub(crate) async fn item_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(params): Query<ItemParams>,
) -> Result<Response, ApiError> {
    let store = state.engine.store();
    let Some(item) = store.review_item(id).await? else {
        return Err(ApiError::NotFound("review item"));
    };
    let rec = store
        .upload(&item.upload_id)
        .await?
        .ok_or(ApiError::NotFound("upload"))?;
    let metadata = metadata_rows(&state, &rec).await;
    let upload = UploadView::from(rec);
    let now = now_ms();
    let held = item.state == ItemState::Open
        && item.lease_owner.as_deref() == Some(session.actor().as_str())
        && item.lease_until.is_some_and(|t| t >= now);
    let mut body = String::new();
    header(&mut body, &item, &upload, held, now);
    // Sensitive media starts blurred.
    let blurred = upload
        .findings
        .iter()
        .any(|f| f.code == codes::CONTENT_NUDITY);
    let _ = write!(
        body,
        r#"<div class="columns"><section class="left"><h2>Upload</h2>{media}<p class="hint"><kbd>B</kbd> blur</p>"#,
        media = media(&upload, if blurred { "blurred" } else { "" })
    );
    task_panel(&state, &mut body, &upload).await?;
    contributor_panel(&state, &mut body, &upload).await?;
    body.push_str(r#"</section><section class="right">"#);
    findings_panel(&state, &mut body, &upload).await?;
    decisions_panel(&state, &mut body, &item).await?;
    metadata_panel(&mut body, &metadata);
    body.push_str("</section></div>");
    if held {
        decision_bar(&mut body, &session, &item);
    } else {
        body.push_str(r#"<div class="bar readonly">You do not hold this item; it is read-only. "#);
        let _ = write!(
            body,
            r#"<form method="post" action="/ui/next" class="inline">{}<button type="submit" data-key="n">Next <kbd>N</kbd></button></form>"#,
            csrf_field(&session.0)
        );
        body.push_str("</div>");
    }
    if let Some(decision) = params.undo {
        body.push_str(&undo_form(&session, decision));
    }
    Ok(Html(page(&format!("Item #{}", item.id), Some(&session.0), &body)).into_response())
}

/// The button that takes the reviewer's last decision back (U).
pub(crate) fn undo_form(session: &Session, decision: i64) -> String {
    format!(
        r#"<form method="post" action="/ui/decisions/{decision}/undo" class="undo" id="undo-form">{}<button type="submit" id="undo" data-key="u">Undo last decision <kbd>U</kbd></button></form>"#,
        csrf_field(&session.0)
    )
}

fn header(body: &mut String, item: &ReviewItem, upload: &UploadView, held: bool, now: i64) {
    let sla = if item.due_at < now {
        format!(
            r#"<span class="overdue">overdue by {}</span>"#,
            span(now - item.due_at)
        )
    } else {
        format!("due in {}", span(item.due_at - now))
    };
    let machine = upload
        .verdict
        .as_ref()
        .map_or("none".to_owned(), |v| v.decision.as_str().to_owned());
    let _ = write!(
        body,
        r#"<h1 id="item" data-item="{id}" data-state="{state}">Item #{id} <small>{origin} · leading reason <code>{reason}</code> · machine said <b>{machine}</b> · risk {risk:.2} · waiting {age} · {sla}{held}</small></h1>"#,
        id = item.id,
        state = item.state.as_str(),
        origin = item.origin.as_str(),
        reason = esc(&item.reason),
        risk = item.risk,
        age = span(now - item.created_at),
        held = if held { " · yours" } else { "" },
    );
}

async fn task_panel(
    state: &AppState,
    body: &mut String,
    upload: &UploadView,
) -> Result<(), ApiError> {
    let Some(task_id) = &upload.task_id else {
        body.push_str(r#"<h2>Task</h2><p class="muted">Not an answer to a task.</p>"#);
        return Ok(());
    };
    let store = state.engine.store();
    let Some(task) = store.task(task_id).await? else {
        let _ = write!(
            body,
            r#"<h2>Task</h2><p class="muted">Task {} no longer exists.</p>"#,
            esc(task_id)
        );
        return Ok(());
    };
    let _ = write!(
        body,
        r#"<h2>Task: {title}</h2><p class="instructions">{instructions}</p>"#,
        title = esc(&task.title),
        instructions = esc(&task.instructions)
    );
    let exemplars = store.exemplars(task_id, ClipImageEncoder::FILE).await?;
    if !exemplars.is_empty() {
        body.push_str(r#"<div class="exemplars">"#);
        for x in exemplars.iter().take(8) {
            let _ = write!(
                body,
                r#"<figure><img class="thumb" src="/ui/media/{id}" alt="exemplar"><figcaption>{label}</figcaption></figure>"#,
                id = esc(&x.upload_id),
                label = x.label.as_str()
            );
        }
        body.push_str("</div>");
    }
    Ok(())
}

async fn contributor_panel(
    state: &AppState,
    body: &mut String,
    upload: &UploadView,
) -> Result<(), ApiError> {
    let _ = write!(
        body,
        r#"<h2>Contributor {}</h2>"#,
        esc(&upload.contributor_id)
    );
    if upload.tenant != bonafide_core::DEFAULT_TENANT {
        let _ = write!(
            body,
            r#"<p class="muted">Tenant <code>{}</code>: duplicates, devices and clusters below are this tenant's only.</p>"#,
            esc(&upload.tenant)
        );
    }
    let Some(c) = state
        .engine
        .store()
        .contributor(&upload.tenant, &upload.contributor_id)
        .await?
    else {
        return Ok(());
    };
    let _ = write!(
        body,
        r#"<table class="kv"><tr><th>Uploads</th><td>{}</td></tr><tr><th>First seen</th><td>{} ago</td></tr>"#,
        c.uploads,
        span(now_ms() - c.first_seen_at)
    );
    if let Some(risk) = state
        .engine
        .contributor_risk(&upload.tenant, &upload.contributor_id)
        .await?
    {
        let factors: Vec<String> = risk.factors.iter().map(|f| esc(&f.detail)).collect();
        let _ = write!(
            body,
            r#"<tr><th>Fraud risk</th><td id="risk"><b>{score:.2}</b> · cluster <code>{cluster}</code> of {members}{factors}</td></tr>"#,
            score = risk.score,
            cluster = esc(&risk.cluster),
            members = risk.members,
            factors = if factors.is_empty() {
                String::new()
            } else {
                format!(": {}", factors.join("; "))
            },
        );
    }
    for d in c.devices.iter().take(5) {
        let _ = write!(
            body,
            r#"<tr><th>Device {}</th><td>{} uploads; shared with {} other contributors</td></tr>"#,
            esc(&d.device_id),
            d.uploads,
            d.other_contributors
        );
    }
    body.push_str("</table>");
    Ok(())
}

async fn findings_panel(
    state: &AppState,
    body: &mut String,
    upload: &UploadView,
) -> Result<(), ApiError> {
    body.push_str(r#"<h2>Findings</h2><ol class="findings" id="findings">"#);
    if upload.findings.is_empty() {
        body.push_str(r#"<li class="muted">No findings: every check passed.</li>"#);
    }
    let store = state.engine.store();
    for f in &upload.findings {
        let _ = write!(
            body,
            r#"<li><p><code>{code}</code> <span class="score">{score:.2}</span> {message}</p>"#,
            code = esc(&f.code),
            score = f.score,
            message = esc(&f.message)
        );
        let mut matched = Vec::new();
        referenced_uploads(&f.evidence, &mut matched);
        matched.retain(|m| *m != upload.id);
        if !matched.is_empty() {
            body.push_str(r#"<div class="matches">"#);
            for other in matched.iter().take(4) {
                match store.upload(other).await? {
                    Some(rec) => {
                        let view = UploadView::from(rec);
                        let _ = write!(
                            body,
                            r#"<figure>{media}<figcaption>matched upload {id} by {who}{verdict}</figcaption></figure>"#,
                            media = media(&view, "thumb"),
                            id = esc(&view.id),
                            who = esc(&view.contributor_id),
                            verdict = view
                                .verdict
                                .as_ref()
                                .map_or(String::new(), |v| format!(", {}", v.decision.as_str())),
                        );
                    }
                    None => {
                        let _ = write!(body, "<p>matched upload {} (gone)</p>", esc(other));
                    }
                }
            }
            body.push_str("</div>");
        }
        if let (Some(bank), Some(source)) =
            (f.evidence["bank"].as_str(), f.evidence["source"].as_str())
        {
            let _ = write!(
                body,
                r#"<p class="bank">In bank <b>{}</b>: {} ({})</p>"#,
                esc(bank),
                esc(source),
                esc(f.evidence["licence"].as_str().unwrap_or(""))
            );
        }
        let _ = write!(
            body,
            "<details><summary>Evidence</summary><pre>{}</pre></details></li>",
            esc(&serde_json::to_string_pretty(&f.evidence).unwrap_or_default())
        );
    }
    body.push_str("</ol>");
    Ok(())
}

async fn decisions_panel(
    state: &AppState,
    body: &mut String,
    item: &ReviewItem,
) -> Result<(), ApiError> {
    let decisions = state
        .engine
        .store()
        .review_decisions_of(&item.upload_id)
        .await?;
    if decisions.is_empty() {
        return Ok(());
    }
    body.push_str(r#"<h2>Decisions</h2><ul class="decisions" id="decisions">"#);
    for d in &decisions {
        let _ = write!(
            body,
            "<li><b>{}</b> by {}{} — {} ago{}</li>",
            d.decision.as_str(),
            esc(&d.reviewer),
            d.reason_code
                .as_deref()
                .map_or(String::new(), |r| format!(" ({})", esc(r))),
            span(now_ms() - d.created_at),
            if d.note.is_empty() {
                String::new()
            } else {
                format!(": {}", esc(&d.note))
            }
        );
    }
    body.push_str("</ul>");
    Ok(())
}

fn metadata_panel(body: &mut String, rows: &[(String, String)]) {
    body.push_str(r#"<h2>Metadata</h2>"#);
    if rows.is_empty() {
        body.push_str(r#"<p class="muted">No metadata in the file.</p>"#);
        return;
    }
    body.push_str(r#"<table class="kv metadata" id="metadata">"#);
    for (k, v) in rows {
        let v: String = v.chars().take(300).collect();
        let _ = write!(body, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    body.push_str("</table>");
}

fn decision_bar(body: &mut String, session: &Session, item: &ReviewItem) {
    let csrf = csrf_field(&session.0);
    let id = item.id;
    let _ = write!(
        body,
        r#"<div class="bar" id="bar">
<form method="post" action="/ui/items/{id}/decision" class="inline">{csrf}<input type="hidden" name="decision" value="accept">
<button type="submit" id="accept" class="accept" data-key="a">Accept <kbd>A</kbd></button></form>
<button type="button" id="reject" class="reject" data-key="r">Reject… <kbd>R</kbd></button>
<form method="post" action="/ui/items/{id}/skip" class="inline">{csrf}<button type="submit" id="skip" data-key="s">Skip <kbd>S</kbd></button></form>
<form method="post" action="/ui/next" class="inline">{csrf}<button type="submit" id="next" data-key="n">Next <kbd>N</kbd></button></form>
<form method="post" action="/ui/items/{id}/decision" id="reasons" class="reasons" hidden>{csrf}<input type="hidden" name="decision" value="reject">
<label>Note <input name="note" id="note"></label><p>Reject because… (press a number, Esc to cancel)</p>"#
    );
    for (key, code, label) in REJECT_REASONS {
        let code = if code == "machine" {
            item.reason.as_str()
        } else {
            code
        };
        let _ = write!(
            body,
            r#"<button type="submit" name="reason_code" value="{code}" data-key="{key}"><kbd>{key}</kbd> {label} <code>{code}</code></button>"#,
            code = esc(code)
        );
    }
    body.push_str("</form></div>");
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

    #[test]
    fn flattens_nested_metadata() {
        let v = serde_json::json!({"exif": {"make": "Canon", "gps": null}, "keywords": ["a", "b"], "n": 3});
        let mut rows = Vec::new();
        flatten("", &v, &mut rows);
        assert_eq!(
            rows,
            [
                ("exif.make".to_owned(), "Canon".to_owned()),
                ("keywords".to_owned(), "a, b".to_owned()),
                ("n".to_owned(), "3".to_owned())
            ]
        );
    }
}
