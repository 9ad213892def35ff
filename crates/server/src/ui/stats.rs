//! The statistics page: how often reviewers confirm each finding code
//! (its precision), day by day; the machine's sampled decisions against
//! reviewers; second reviewers against first.

use std::{collections::BTreeMap, fmt::Write};

use axum::{extract::State, response::Html};
use bonafide_store::Agreement;

use super::{
    html::{esc, page},
    session::Session,
};
use crate::{ApiError, AppState};

fn share(n: i64, of: i64) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.0} %", 100.0 * n as f64 / of as f64)
    }
}

fn agreement(title: &str, id: &str, a: &Agreement) -> String {
    format!(
        r#"<tr id="{id}"><th>{title}</th><td>{}</td><td>{}</td><td>{}</td></tr>"#,
        a.pairs,
        a.agreed,
        share(a.agreed, a.pairs)
    )
}

pub(crate) async fn stats(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, ApiError> {
    let stats = state.engine.store().review_stats().await?;
    let mut body = String::from("<h1>Review statistics</h1>");
    body.push_str(r#"<h2>Agreement</h2><table class="stats"><tr><th></th><th>Compared</th><th>Agreed</th><th>Rate</th></tr>"#);
    body.push_str(&agreement(
        "Reviewers vs the machine's sampled accepts and rejects",
        "qa",
        &stats.qa,
    ));
    body.push_str(&agreement(
        "Second reviewer vs first",
        "second",
        &stats.second_opinions,
    ));
    body.push_str("</table>");
    // Totals per code, then the per-day rows under each.
    let mut totals: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for c in &stats.codes {
        let t = totals.entry(&c.code).or_default();
        t.0 += c.reviewed;
        t.1 += c.rejected;
    }
    body.push_str(r#"<h2>Finding codes: confirmed by reviewers</h2><p class="muted">Of the reviewed uploads that carried a code, the share a reviewer rejected: the code's precision as a reason for doubt.</p><table class="stats" id="codes"><tr><th>Code</th><th>Reviewed</th><th>Rejected</th><th>Precision</th><th>By day</th></tr>"#);
    for (code, (reviewed, rejected)) in &totals {
        let days: Vec<String> = stats
            .codes
            .iter()
            .filter(|c| c.code == *code)
            .map(|c| format!("day {}: {}", c.day, share(c.rejected, c.reviewed)))
            .collect();
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td>{reviewed}</td><td>{rejected}</td><td>{}</td><td>{}</td></tr>",
            esc(code),
            share(*rejected, *reviewed),
            esc(&days.join("; "))
        );
    }
    if totals.is_empty() {
        body.push_str(r#"<tr><td colspan="5">No decisions yet.</td></tr>"#);
    }
    body.push_str("</table>");
    Ok(Html(page("Statistics", Some(&session.0), &body)))
}
