//! The audit log for admins: the latest entries, and the whole log as
//! JSON Lines for export.

use std::fmt::Write;

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use bonafide_store::ReviewerRole;

use super::{
    html::{esc, page, span},
    session::Session,
};
use crate::{ApiError, AppState};

fn require_admin(session: &Session) -> Result<(), ApiError> {
    if session.0.reviewer.role == ReviewerRole::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden("admin"))
    }
}

/// How many entries the page shows (the export has them all).
const SHOWN: i64 = 500;

pub(crate) async fn audit(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, ApiError> {
    require_admin(&session)?;
    let store = state.engine.store();
    let entries = store.audit_log_latest(SHOWN).await?;
    let now = bonafide_store::now_ms();
    let mut body = String::from(
        r#"<h1>Audit log</h1><p><a href="/ui/audit/export" id="export">Export all (JSON Lines)</a></p>
<table class="audit" id="audit"><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Subject</th><th>Before</th><th>After</th></tr>"#,
    );
    for e in &entries {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{} ago</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            e.seq,
            span(now - e.at),
            esc(&e.entry.actor),
            esc(&e.entry.action),
            esc(&e.entry.subject),
            esc(&e.entry.before.to_string()),
            esc(&e.entry.after.to_string()),
        );
    }
    body.push_str("</table>");
    Ok(Html(page("Audit log", Some(&session.0), &body)))
}

/// The whole log, oldest first, one JSON object per line.
pub(crate) async fn export(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    require_admin(&session)?;
    let store = state.engine.store();
    let mut out = String::new();
    let mut after = 0;
    loop {
        let page = store.audit_log(after, 10_000, None).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            out.push_str(&serde_json::to_string(e).map_err(ApiError::internal)?);
            out.push('\n');
        }
    }
    let mut resp = out.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jsonl"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"bonafide-audit.jsonl\""),
    );
    Ok(resp)
}
