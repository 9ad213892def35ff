//! The audit log for admins: the latest entries, and the whole log as
//! JSON Lines for export.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use bonafide_store::{AuditRecord, ReviewerRole, ReviewerSession};
use maud::{Markup, html};

use super::{
    html::{page, span},
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

/// The audit page's view: the latest entries and when "now" is.
struct AuditPage {
    entries: Vec<AuditRecord>,
    now: i64,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    session: Session,
) -> Result<Markup, ApiError> {
    require_admin(&session)?;
    let view = AuditPage {
        entries: state.engine.store().audit_log_latest(SHOWN).await?,
        now: bonafide_store::now_ms(),
    };
    Ok(render(&view, &session.0))
}

fn render(view: &AuditPage, session: &ReviewerSession) -> Markup {
    let body = html! {
        h1 { "Audit log" }
        p { a href="/ui/audit/export" id="export" { "Export all (JSON Lines)" } }
        table.audit id="audit" {
            tr {
                th { "#" } th { "When" } th { "Who" } th { "What" } th { "Subject" }
                th { "Before" } th { "After" }
            }
            @for e in &view.entries {
                tr {
                    td { (e.seq) }
                    td { (span(view.now - e.at)) " ago" }
                    td { (e.entry.actor) }
                    td { (e.entry.action) }
                    td { (e.entry.subject) }
                    td { code { (e.entry.before.to_string()) } }
                    td { code { (e.entry.after.to_string()) } }
                }
            }
        }
    };
    page("Audit log", Some(session), body)
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
