//! The queue page: open items per reason and task, the most urgent items
//! with their age and SLA, and "next" (N), which leases the most urgent
//! item to the reviewer and opens it.

use std::fmt::Write;

use axum::{
    Form,
    extract::{Query, State},
    response::{Html, IntoResponse, Redirect, Response},
};
use bonafide_store::{QueueFilter, now_ms};
use serde::Deserialize;

use super::{
    html::{csrf_field, esc, page, span},
    session::Session,
};
use crate::{ApiError, AppState};

/// Which queue the reviewer works.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueParams {
    reason: Option<String>,
    task: Option<String>,
    empty: Option<String>,
    /// The decision just made, which the reviewer may still undo.
    undo: Option<i64>,
}

impl QueueParams {
    fn filter(&self) -> QueueFilter {
        QueueFilter {
            reason: self.reason.clone().filter(|s| !s.is_empty()),
            task_id: self.task.clone().filter(|s| !s.is_empty()),
        }
    }
}

fn query_of(filter: &QueueFilter) -> String {
    let mut q = Vec::new();
    if let Some(r) = &filter.reason {
        q.push(format!("reason={}", esc(&urlencode(r))));
    }
    if let Some(t) = &filter.task_id {
        q.push(format!("task={}", esc(&urlencode(t))));
    }
    if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&amp;"))
    }
}

/// Percent-encodes a query value.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<QueueParams>,
) -> Result<Html<String>, ApiError> {
    let store = state.engine.store();
    let filter = params.filter();
    let queues = store.review_queues().await?;
    let items = store.review_items("open", &filter, 200).await?;
    let now = now_ms();
    let mut body = String::from("<h1>Review queue</h1>");
    if params.empty.is_some() {
        body.push_str(r#"<p class="notice" id="empty">Nothing left to review in this queue.</p>"#);
    }
    let _ = write!(
        body,
        r#"<form method="post" action="/ui/next{q}" id="next-form">{csrf}
<button type="submit" id="next" data-key="n">Start reviewing <kbd>N</kbd></button></form>"#,
        q = query_of(&filter),
        csrf = csrf_field(&session.0)
    );
    body.push_str(r#"<h2>Queues</h2><table class="queues"><tr><th>Reason</th><th>Task</th><th>Open</th><th>Overdue</th></tr>"#);
    let _ = write!(
        body,
        r#"<tr><td><a href="/ui/queue">All</a></td><td></td><td>{}</td><td>{}</td></tr>"#,
        queues.iter().map(|q| q.2).sum::<i64>(),
        queues.iter().map(|q| q.3).sum::<i64>()
    );
    for (reason, task, open, overdue) in &queues {
        let f = QueueFilter {
            reason: Some(reason.clone()),
            task_id: task.clone(),
        };
        let _ = write!(
            body,
            r#"<tr><td><a href="/ui/queue{q}">{reason}</a></td><td>{task}</td><td>{open}</td><td class="{cls}">{overdue}</td></tr>"#,
            q = query_of(&f),
            reason = esc(reason),
            task = esc(task.as_deref().unwrap_or("")),
            cls = if *overdue > 0 { "overdue" } else { "" },
        );
    }
    body.push_str("</table>");
    let _ = write!(
        body,
        r#"<h2>Open items{}</h2><table class="items" id="items"><tr><th>Item</th><th>Reason</th><th>Why queued</th><th>Machine</th><th>Risk</th><th>Waiting</th><th>SLA</th><th>Held by</th></tr>"#,
        if filter == QueueFilter::default() {
            String::new()
        } else {
            " in this queue".into()
        }
    );
    for item in &items {
        let held = match (&item.lease_owner, item.lease_until) {
            (Some(who), Some(until)) if until >= now => esc(who),
            _ => String::new(),
        };
        let sla = if item.due_at < now {
            format!(
                r#"<span class="overdue">overdue {}</span>"#,
                span(now - item.due_at)
            )
        } else {
            format!("due in {}", span(item.due_at - now))
        };
        let _ = write!(
            body,
            r#"<tr><td><a href="/ui/items/{id}">#{id}</a></td><td>{reason}</td><td>{origin}</td><td>{machine}</td><td>{risk:.2}</td><td>{age}</td><td>{sla}</td><td>{held}</td></tr>"#,
            id = item.id,
            reason = esc(&item.reason),
            origin = item.origin.as_str(),
            machine = item.machine_decision.as_str(),
            risk = item.risk,
            age = span(now - item.created_at),
        );
    }
    if items.is_empty() {
        body.push_str(r#"<tr><td colspan="8">No open items.</td></tr>"#);
    }
    body.push_str("</table>");
    if let Some(decision) = params.undo {
        body.push_str(&super::item::undo_form(&session, decision));
    }
    Ok(Html(page("Queue", Some(&session.0), &body)))
}

/// The CSRF token, alone.
#[derive(Deserialize)]
pub(crate) struct NextForm {
    csrf: String,
}

/// Leases the most urgent item and opens it.
pub(crate) async fn next(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<QueueParams>,
    Form(form): Form<NextForm>,
) -> Result<Response, ApiError> {
    session.check_csrf(&form.csrf)?;
    let filter = params.filter();
    let item = state
        .engine
        .next_review_item(&session.actor(), &filter)
        .await?;
    Ok(match item {
        Some(item) => Redirect::to(&format!("/ui/items/{}", item.id)).into_response(),
        None => {
            let q = query_of(&filter).replace("&amp;", "&");
            let sep = if q.is_empty() { '?' } else { '&' };
            Redirect::to(&format!("/ui/queue{q}{sep}empty=1")).into_response()
        }
    })
}
