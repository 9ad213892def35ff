//! The queue page: open items per reason and task, the most urgent items
//! with their age and SLA, and "next" (N), which leases the most urgent
//! item to the reviewer and opens it.

use axum::{
    Form,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use bonafide_store::{QueueFilter, ReviewItem, ReviewerSession, now_ms};
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    html::{csrf_field, page, span},
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

/// The query string (`?reason=…&task=…`, or nothing) that selects the
/// queue of `filter`; templates escape it where it goes into HTML.
fn query_of(filter: &QueueFilter) -> String {
    let mut q = Vec::new();
    if let Some(r) = &filter.reason {
        q.push(format!("reason={}", urlencode(r)));
    }
    if let Some(t) = &filter.task_id {
        q.push(format!("task={}", urlencode(t)));
    }
    if q.is_empty() {
        String::new()
    } else {
        format!("?{}", q.join("&"))
    }
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One queue (a reason and a task) in the table of queues.
struct QueueRow {
    reason: String,
    task: Option<String>,
    open: i64,
    overdue: i64,
    /// The query that opens it.
    query: String,
}

/// The queue page's view.
struct QueuePage {
    /// The reviewer's "next" found nothing in this queue.
    empty: bool,
    /// The query of the queue being worked.
    query: String,
    /// Whether that is a particular queue (not all of them).
    filtered: bool,
    queues: Vec<QueueRow>,
    items: Vec<ReviewItem>,
    /// The decision just made, which the reviewer may still undo.
    undo: Option<i64>,
    now: i64,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<QueueParams>,
) -> Result<Markup, ApiError> {
    let store = state.engine.store();
    let filter = params.filter();
    let queues = store
        .review_queues()
        .await?
        .into_iter()
        .map(|(reason, task, open, overdue)| QueueRow {
            query: query_of(&QueueFilter {
                reason: Some(reason.clone()),
                task_id: task.clone(),
            }),
            reason,
            task,
            open,
            overdue,
        })
        .collect();
    let view = QueuePage {
        empty: params.empty.is_some(),
        query: query_of(&filter),
        filtered: filter != QueueFilter::default(),
        queues,
        items: store.review_items("open", &filter, 200).await?,
        undo: params.undo,
        now: now_ms(),
    };
    Ok(render(&view, &session.0))
}

fn render(view: &QueuePage, session: &ReviewerSession) -> Markup {
    let now = view.now;
    let body = html! {
        h1 { "Review queue" }
        @if view.empty {
            p.notice id="empty" { "Nothing left to review in this queue." }
        }
        form method="post" action={ "/ui/next" (view.query) } id="next-form" {
            (csrf_field(session))
            button type="submit" id="next" data-key="n" { "Start reviewing " kbd { "N" } }
        }
        h2 { "Queues" }
        table.queues {
            tr { th { "Reason" } th { "Task" } th { "Open" } th { "Overdue" } }
            tr {
                td { a href="/ui/queue" { "All" } }
                td {}
                td { (view.queues.iter().map(|q| q.open).sum::<i64>()) }
                td { (view.queues.iter().map(|q| q.overdue).sum::<i64>()) }
            }
            @for q in &view.queues {
                tr {
                    td { a href={ "/ui/queue" (q.query) } { (q.reason) } }
                    td { (q.task.as_deref().unwrap_or("")) }
                    td { (q.open) }
                    td.overdue[q.overdue > 0] { (q.overdue) }
                }
            }
        }
        h2 { "Open items" @if view.filtered { " in this queue" } }
        table.items id="items" {
            tr {
                th { "Item" } th { "Reason" } th { "Why queued" } th { "Machine" } th { "Risk" }
                th { "Waiting" } th { "SLA" } th { "Held by" }
            }
            @for item in &view.items {
                tr {
                    td { a href={ "/ui/items/" (item.id) } { "#" (item.id) } }
                    td { (item.reason) }
                    td { (item.origin.as_str()) }
                    td { (item.machine_decision.as_str()) }
                    td { (format!("{:.2}", item.risk)) }
                    td { (span(now - item.created_at)) }
                    td {
                        @if item.due_at < now {
                            span.overdue { "overdue " (span(now - item.due_at)) }
                        } @else {
                            "due in " (span(item.due_at - now))
                        }
                    }
                    td {
                        @if let (Some(who), Some(until)) = (&item.lease_owner, item.lease_until) {
                            @if until >= now { (who) }
                        }
                    }
                }
            }
            @if view.items.is_empty() {
                tr { td colspan="8" { "No open items." } }
            }
        }
        @if let Some(decision) = view.undo {
            (super::item::undo_form(session, decision))
        }
    };
    page("Queue", Some(session), body)
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
            let q = query_of(&filter);
            let sep = if q.is_empty() { '?' } else { '&' };
            Redirect::to(&format!("/ui/queue{q}{sep}empty=1")).into_response()
        }
    })
}
