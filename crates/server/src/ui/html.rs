//! HTML building blocks: escaping and the page frame. Pages are plain
//! server-rendered HTML with one small script for the keyboard; every
//! value that came from an upload or a person goes through [`esc`].

use std::fmt::Write;

use bonafide_store::{ReviewerRole, ReviewerSession};

/// Escapes text for HTML content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A hidden form field carrying the session's CSRF token.
pub(crate) fn csrf_field(session: &ReviewerSession) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(&session.csrf_token)
    )
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
pub(crate) fn page(title: &str, session: Option<&ReviewerSession>, body: &str) -> String {
    let mut nav = String::new();
    if let Some(s) = session {
        let _ = write!(
            nav,
            r#"<nav><a href="/ui/queue">Queue</a> <a href="/ui/stats">Stats</a>{admin}
<span class="who">{name} ({role})</span>
<form method="post" action="/ui/logout" class="inline">{csrf}<button type="submit">Log out</button></form></nav>"#,
            admin = if s.reviewer.role == ReviewerRole::Admin {
                r#" <a href="/ui/audit">Audit log</a>"#
            } else {
                ""
            },
            name = esc(&s.reviewer.name),
            role = s.reviewer.role.as_str(),
            csrf = csrf_field(s),
        );
    }
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Bonafide review</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/ui/assets/ui.css"></head>
<body><header><a class="brand" href="/ui/queue">Bonafide review</a>{nav}</header>
<main>{body}</main>
<script src="/ui/assets/ui.js"></script></body></html>"#,
        title = esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(5 * 60_000), "5 min");
        assert_eq!(span(125 * 60_000), "2 h 5 min");
        assert_eq!(span(-3 * 24 * 3_600_000), "3 d");
    }
}
