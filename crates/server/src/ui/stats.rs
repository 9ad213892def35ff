//! The statistics page: how often reviewers confirm each finding code
//! (its precision), day by day; the machine's sampled decisions against
//! reviewers; second reviewers against first.

use std::collections::BTreeMap;

use axum::extract::State;
use bonafide_store::{Agreement, ReviewStats, ReviewerSession};
use maud::{Markup, html};

use super::{html::page, session::Session};
use crate::{ApiError, AppState};

fn share(n: i64, of: i64) -> String {
    if of == 0 {
        "–".into()
    } else {
        format!("{:.0} %", 100.0 * n as f64 / of as f64)
    }
}

/// One finding code's row: its totals and its precision day by day.
struct CodeRow {
    code: String,
    reviewed: i64,
    rejected: i64,
    days: String,
}

/// The statistics page's view.
struct StatsPage {
    qa: Agreement,
    second_opinions: Agreement,
    codes: Vec<CodeRow>,
}

impl From<ReviewStats> for StatsPage {
    fn from(stats: ReviewStats) -> Self {
        // Totals per code, then the per-day figures under each.
        let mut totals: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for c in &stats.codes {
            let t = totals.entry(&c.code).or_default();
            t.0 += c.reviewed;
            t.1 += c.rejected;
        }
        let codes = totals
            .iter()
            .map(|(code, (reviewed, rejected))| CodeRow {
                code: (*code).to_owned(),
                reviewed: *reviewed,
                rejected: *rejected,
                days: stats
                    .codes
                    .iter()
                    .filter(|c| c.code == *code)
                    .map(|c| format!("day {}: {}", c.day, share(c.rejected, c.reviewed)))
                    .collect::<Vec<_>>()
                    .join("; "),
            })
            .collect();
        Self {
            qa: stats.qa,
            second_opinions: stats.second_opinions,
            codes,
        }
    }
}

pub(crate) async fn stats(
    State(state): State<AppState>,
    session: Session,
) -> Result<Markup, ApiError> {
    let view = StatsPage::from(state.engine.store().review_stats().await?);
    Ok(render(&view, &session.0))
}

fn agreement(title: &str, id: &str, a: &Agreement) -> Markup {
    html! {
        tr id=(id) { th { (title) } td { (a.pairs) } td { (a.agreed) } td { (share(a.agreed, a.pairs)) } }
    }
}

fn render(view: &StatsPage, session: &ReviewerSession) -> Markup {
    let body = html! {
        h1 { "Review statistics" }
        h2 { "Agreement" }
        table.stats {
            tr { th {} th { "Compared" } th { "Agreed" } th { "Rate" } }
            (agreement("Reviewers vs the machine's sampled accepts and rejects", "qa", &view.qa))
            (agreement("Second reviewer vs first", "second", &view.second_opinions))
        }
        h2 { "Finding codes: confirmed by reviewers" }
        p.muted {
            "Of the reviewed uploads that carried a code, the share a reviewer rejected: \
             the code's precision as a reason for doubt."
        }
        table.stats id="codes" {
            tr { th { "Code" } th { "Reviewed" } th { "Rejected" } th { "Precision" } th { "By day" } }
            @for c in &view.codes {
                tr {
                    td { code { (c.code) } }
                    td { (c.reviewed) }
                    td { (c.rejected) }
                    td { (share(c.rejected, c.reviewed)) }
                    td { (c.days) }
                }
            }
            @if view.codes.is_empty() {
                tr { td colspan="5" { "No decisions yet." } }
            }
        }
    };
    page("Statistics", Some(session), body)
}
