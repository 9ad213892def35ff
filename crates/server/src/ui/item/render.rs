//! The item page's HTML, from its [`ItemPage`] view: the header, the
//! upload with its task and contributor on the left, findings, decisions
//! and metadata on the right, and the decision bar.

use bonafide_engine::UploadView;
use bonafide_store::ReviewerSession;
use maud::{Markup, html};

use super::{
    REJECT_REASONS,
    view::{ContributorPanel, FindingPanel, ItemPage, Matched, TaskPanel},
};
use crate::ui::html::{csrf_field, page, span};

/// Metadata values are cut to this many characters.
const METADATA_VALUE_CHARS: usize = 300;

/// The whole page.
pub(super) fn render(view: &ItemPage, session: &ReviewerSession) -> Markup {
    let body = html! {
        (header(view))
        div.columns {
            section.left {
                h2 { "Upload" }
                (media(&view.upload, if view.blurred { "blurred" } else { "" }))
                p.hint { kbd { "B" } " blur" }
                (task(&view.task))
                (contributor(&view.contributor, view.now))
            }
            section.right {
                (findings(&view.findings))
                (decisions(view))
                (metadata(&view.metadata))
            }
        }
        @if view.held {
            (decision_bar(view, session))
        } @else {
            div.bar.readonly {
                "You do not hold this item; it is read-only. "
                form.inline method="post" action="/ui/next" {
                    (csrf_field(session))
                    button type="submit" data-key="n" { "Next " kbd { "N" } }
                }
            }
        }
        @if let Some(decision) = view.undo {
            (undo_form(session, decision))
        }
    };
    page(&format!("Item #{}", view.item.id), Some(session), body)
}

/// The button that takes the reviewer's last decision back (U).
pub(crate) fn undo_form(session: &ReviewerSession, decision: i64) -> Markup {
    html! {
        form.undo method="post" action={ "/ui/decisions/" (decision) "/undo" } id="undo-form" {
            (csrf_field(session))
            button type="submit" id="undo" data-key="u" { "Undo last decision " kbd { "U" } }
        }
    }
}

/// The media element for an upload: image, video player or PDF pages.
fn media(upload: &UploadView, class: &str) -> Markup {
    let src = format!("/ui/media/{}", upload.id);
    let pages_class = format!("media pages {class}");
    let class = format!("media {class}");
    html! {
        @match upload.media_type.as_deref().unwrap_or("") {
            t if t.starts_with("image/") => {
                img class=(class) src=(src) alt={ "upload " (upload.id) };
            }
            t if t.starts_with("video/") => {
                video class=(class) src=(src) controls preload="metadata" {}
            }
            "application/pdf" => {
                @let pages = upload.pages.unwrap_or(0);
                div class=(pages_class) {
                    @for n in 1..=pages.min(crate::ui::media::PREVIEW_PAGES) {
                        img src={ (src) "/page/" (n) } alt={ "page " (n) " of " (pages) } loading="lazy";
                    }
                    a href=(src) download { "Download the PDF (" (pages) " pages)" }
                }
            }
            other => { p class=(class) { "No preview for " (other) "." } }
        }
    }
}

fn header(view: &ItemPage) -> Markup {
    let (item, now) = (&view.item, view.now);
    let machine = view
        .upload
        .verdict
        .as_ref()
        .map_or("none", |v| v.decision.as_str());
    html! {
        h1 id="item" data-item=(item.id) data-state=(item.state.as_str()) {
            "Item #" (item.id) " "
            small {
                (item.origin.as_str()) " · leading reason " code { (item.reason) }
                " · machine said " b { (machine) }
                " · risk " (format!("{:.2}", item.risk))
                " · waiting " (span(now - item.created_at)) " · "
                @if item.due_at < now {
                    span.overdue { "overdue by " (span(now - item.due_at)) }
                } @else {
                    "due in " (span(item.due_at - now))
                }
                @if view.held { " · yours" }
            }
        }
    }
}

fn task(panel: &TaskPanel) -> Markup {
    html! {
        @match panel {
            TaskPanel::None => { h2 { "Task" } p.muted { "Not an answer to a task." } }
            TaskPanel::Gone(id) => { h2 { "Task" } p.muted { "Task " (id) " no longer exists." } }
            TaskPanel::Task { task, exemplars } => {
                h2 { "Task: " (task.title) }
                p.instructions { (task.instructions) }
                @if !exemplars.is_empty() {
                    div.exemplars {
                        @for x in exemplars {
                            figure {
                                img.thumb src={ "/ui/media/" (x.upload_id) } alt="exemplar";
                                figcaption { (x.label.as_str()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn contributor(panel: &ContributorPanel, now: i64) -> Markup {
    html! {
        h2 { "Contributor " (panel.id) }
        @if let Some(tenant) = &panel.tenant {
            p.muted {
                "Tenant " code { (tenant) }
                ": duplicates, devices and clusters below are this tenant's only."
            }
        }
        @if let Some(c) = &panel.record {
            table.kv {
                tr { th { "Uploads" } td { (c.uploads) } }
                tr { th { "First seen" } td { (span(now - c.first_seen_at)) " ago" } }
                @if let Some(risk) = &panel.risk {
                    tr {
                        th { "Fraud risk" }
                        td id="risk" {
                            b { (format!("{:.2}", risk.score)) }
                            " · cluster " code { (risk.cluster) } " of " (risk.members)
                            @if !risk.factors.is_empty() {
                                ": " (risk.factors.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; "))
                            }
                        }
                    }
                }
                @for d in &c.devices {
                    tr {
                        th { "Device " (d.device_id) }
                        td { (d.uploads) " uploads; shared with " (d.other_contributors) " other contributors" }
                    }
                }
            }
        }
    }
}

fn findings(panels: &[FindingPanel]) -> Markup {
    html! {
        h2 { "Findings" }
        ol.findings id="findings" {
            @if panels.is_empty() {
                li.muted { "No findings: every check passed." }
            }
            @for p in panels {
                li {
                    p {
                        code { (p.finding.code) } " "
                        span.score { (format!("{:.2}", p.finding.score)) } " "
                        (p.finding.message)
                    }
                    @if !p.matched.is_empty() {
                        div.matches {
                            @for m in &p.matched {
                                @match m {
                                    Matched::Upload(view) => {
                                        figure {
                                            (media(view, "thumb"))
                                            figcaption {
                                                "matched upload " (view.id) " by " (view.contributor_id)
                                                @if let Some(v) = &view.verdict { ", " (v.decision.as_str()) }
                                            }
                                        }
                                    }
                                    Matched::Gone(id) => { p { "matched upload " (id) " (gone)" } }
                                }
                            }
                        }
                    }
                    @if let Some((bank, source, licence)) = &p.bank {
                        p.bank { "In bank " b { (bank) } ": " (source) " (" (licence) ")" }
                    }
                    details { summary { "Evidence" } pre { (p.evidence) } }
                }
            }
        }
    }
}

fn decisions(view: &ItemPage) -> Markup {
    html! {
        @if !view.decisions.is_empty() {
            h2 { "Decisions" }
            ul.decisions id="decisions" {
                @for d in &view.decisions {
                    li {
                        b { (d.decision.as_str()) } " by " (d.reviewer)
                        @if let Some(r) = &d.reason_code { " (" (r) ")" }
                        " — " (span(view.now - d.created_at)) " ago"
                        @if !d.note.is_empty() { ": " (d.note) }
                    }
                }
            }
        }
    }
}

fn metadata(rows: &[(String, String)]) -> Markup {
    html! {
        h2 { "Metadata" }
        @if rows.is_empty() {
            p.muted { "No metadata in the file." }
        } @else {
            table.kv.metadata id="metadata" {
                @for (k, v) in rows {
                    tr { th { (k) } td { (v.chars().take(METADATA_VALUE_CHARS).collect::<String>()) } }
                }
            }
        }
    }
}

fn decision_bar(view: &ItemPage, session: &ReviewerSession) -> Markup {
    let id = view.item.id;
    let csrf = csrf_field(session);
    let decision = format!("/ui/items/{id}/decision");
    html! {
        div.bar id="bar" {
            form.inline method="post" action=(decision) {
                (csrf) input type="hidden" name="decision" value="accept";
                button.accept type="submit" id="accept" data-key="a" { "Accept " kbd { "A" } }
            }
            button.reject type="button" id="reject" data-key="r" { "Reject… " kbd { "R" } }
            form.inline method="post" action={ "/ui/items/" (id) "/skip" } {
                (csrf) button type="submit" id="skip" data-key="s" { "Skip " kbd { "S" } }
            }
            form.inline method="post" action="/ui/next" {
                (csrf) button type="submit" id="next" data-key="n" { "Next " kbd { "N" } }
            }
            form.reasons method="post" action=(decision) id="reasons" hidden {
                (csrf) input type="hidden" name="decision" value="reject";
                label { "Note " input name="note" id="note"; }
                p { "Reject because… (press a number, Esc to cancel)" }
                @for (key, code, label) in REJECT_REASONS {
                    @let code = if code == "machine" { view.item.reason.as_str() } else { code };
                    button type="submit" name="reason_code" value=(code) data-key=(key) {
                        kbd { (key) } " " (label) " " code { (code) }
                    }
                }
            }
        }
    }
}
