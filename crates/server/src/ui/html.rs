//! HTML building blocks: the page frame, the CSRF field, spans of time.
//! Pages are maud templates (checked at compile time; every value
//! interpolated is escaped unless it is a `Markup` itself) over view
//! models the handlers build first, so no template queries the store.

use maud::{DOCTYPE, Markup, html};

use bonafide_store::{ReviewerRole, ReviewerSession};

/// A hidden form field carrying the session's CSRF token.
pub(crate) fn csrf_field(session: &ReviewerSession) -> Markup {
    html! { input type="hidden" name="csrf" value=(session.csrf_token); }
}

/// "3 min", "2 h 5 min", "4 d": how long ago (or until) `ms` milliseconds.
pub(crate) fn span(ms: i64) -> String {
    let m = ms.abs() / 60_000;
    if m < 60 {
        format!("{m} min")
    } else if m < 48 * 60 {
        format!("{} h {} min", m / 60, m % 60)
    } else {
        format!("{} d", m / (24 * 60))
    }
}

/// The frame around every page: navigation, the reviewer, a logout form.
pub(crate) fn page(title: &str, session: Option<&ReviewerSession>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) " · Bonafide review" }
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="stylesheet" href="/ui/assets/ui.css";
            }
            body {
                header {
                    a.brand href="/ui/queue" { "Bonafide review" }
                    @if let Some(s) = session {
                        nav {
                            a href="/ui/queue" { "Queue" } " "
                            a href="/ui/stats" { "Stats" }
                            @if s.reviewer.role == ReviewerRole::Admin {
                                " " a href="/ui/audit" { "Audit log" }
                            }
                            span.who { (s.reviewer.name) " (" (s.reviewer.role.as_str()) ")" }
                            form.inline method="post" action="/ui/logout" {
                                (csrf_field(s))
                                button type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main { (body) }
                script src="/ui/assets/ui.js" {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_in_text_and_attributes() {
        let hostile = r#"<img src=x onerror="a('b')">&"#;
        let rendered = html! { p title=(hostile) { (hostile) } }.into_string();
        assert_eq!(
            rendered,
            "<p title=\"&lt;img src=x onerror=&quot;a('b')&quot;&gt;&amp;\">\
             &lt;img src=x onerror=&quot;a('b')&quot;&gt;&amp;</p>"
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(5 * 60_000), "5 min");
        assert_eq!(span(125 * 60_000), "2 h 5 min");
        assert_eq!(span(-3 * 24 * 3_600_000), "3 d");
    }
}
