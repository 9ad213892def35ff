//! Logging in and out, and the session every page needs. The cookie is
//! `HttpOnly`, `SameSite=Strict` and `Secure` (browsers keep Secure cookies
//! for `http://localhost` too); every POST also carries the session's CSRF
//! token, compared in constant time.

use std::time::Duration;

use axum::{
    Form,
    extract::{FromRequestParts, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};
use bonafide_store::{AuditEntry, ReviewerSession};
use maud::{Markup, html};
use serde::Deserialize;

use super::html::page;
use crate::{ApiError, AppState, ClientAddress};

/// `__Host-`: browsers take it only over a secure origin, for `/`, from
/// this host alone (no `Domain`), so a sibling subdomain cannot set or
/// shadow it.
const COOKIE: &str = "__Host-bf_session";
/// A working day and a bit; reviewers log in once a shift.
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Constant-time equality of two tokens.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A logged-in reviewer. Pages that need one redirect to the login page
/// without it.
pub(crate) struct Session(pub ReviewerSession);

/// What a page does without a session.
pub(crate) enum NoSession {
    /// Go and log in.
    Login,
    /// The store failed.
    Error(ApiError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            Self::Login => Redirect::to("/ui/login").into_response(),
            Self::Error(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = NoSession;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoSession> {
        let token = cookie(&parts.headers, COOKIE).ok_or(NoSession::Login)?;
        let session = state
            .engine
            .store()
            .reviewer_session(token)
            .await
            .map_err(|e| NoSession::Error(e.into()))?
            .ok_or(NoSession::Login)?;
        Ok(Self(session))
    }
}

impl Session {
    /// The name reviewers' actions are recorded under.
    pub(crate) fn actor(&self) -> String {
        format!("reviewer:{}", self.0.reviewer.name)
    }

    /// Fails unless the form's CSRF token is this session's.
    pub(crate) fn check_csrf(&self, token: &str) -> Result<(), ApiError> {
        if same_token(token, &self.0.csrf_token) {
            Ok(())
        } else {
            Err(ApiError::Forbidden("csrf"))
        }
    }
}

fn login_page(error: Option<&str>) -> Markup {
    let body = html! {
        section.login {
            h1 { "Log in" }
            @if let Some(e) = error { p.error { (e) } }
            form method="post" action="/ui/login" {
                label { "Name " input name="name" id="name" autocomplete="username" autofocus required; }
                label {
                    "Password "
                    input name="password" id="password" type="password" autocomplete="current-password" required;
                }
                button type="submit" id="login" { "Log in" }
            }
        }
    };
    page("Log in", None, body)
}

pub(crate) async fn login_form() -> Markup {
    login_page(None)
}

/// The login form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    name: String,
    password: String,
}

fn session_cookie(value: &str, max_age: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    ))
    .expect("token is hex")
}

/// Checks the password and sets the session cookie. A login posted from
/// another site is refused (403) by its `Origin` or `Sec-Fetch-Site`
/// header, so no page elsewhere can log a reviewer in as someone else
/// (login CSRF); the forms behind the login need the session's CSRF token.
///
/// Repeated failures for one name or from one address are throttled (429
/// with `Retry-After`) before the password is checked; every failure and
/// every success goes into the audit log.
pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    if cross_site(&headers) {
        return Err(ApiError::CrossSite);
    }
    if let Err(wait) = state.logins.admit(&form.name, address) {
        return Ok(throttled(wait));
    }
    let store = state.engine.store();
    let opened = store.login(&form.name, &form.password, SESSION_TTL).await?;
    let name: String = form.name.chars().take(64).collect();
    let entry = |action: &str| AuditEntry {
        actor: opened
            .as_ref()
            .map_or_else(|| "anonymous".to_owned(), |_| format!("reviewer:{name}")),
        action: action.into(),
        subject: format!("reviewer {name}"),
        before: serde_json::Value::Null,
        after: serde_json::json!({ "address": address.map(|a| a.to_string()) }),
    };
    let Some((token, _)) = opened.as_ref() else {
        store.audit(&entry("reviewer.login_failed")).await?;
        return Ok(login_page(Some("Wrong name or password.")).into_response());
    };
    state.logins.succeeded(&form.name, address);
    store.audit(&entry("reviewer.login")).await?;
    let mut resp = Redirect::to("/ui/queue").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(token, SESSION_TTL.as_secs()),
    );
    Ok(resp)
}

/// Whether a browser says the request comes from another site: its
/// `Sec-Fetch-Site`, or an `Origin` whose host is not the `Host` asked
/// for. Clients that send neither (curl, scripts) are not browsers
/// carrying someone's cookies, and pass.
fn cross_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if text(header::HeaderName::from_static("sec-fetch-site")) == Some("cross-site") {
        return true;
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => {
            let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !authority.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The login page, 429, for a login that must wait `wait` first.
fn throttled(wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut resp = (
        StatusCode::TOO_MANY_REQUESTS,
        login_page(Some(&format!(
            "Too many failed logins. Try again in {secs} s."
        ))),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

/// A form that only carries the CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfForm {
    pub(crate) csrf: String,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    session.check_csrf(&form.csrf)?;
    if let Some(token) = cookie(&headers, COOKIE) {
        state.engine.store().end_reviewer_session(token).await?;
    }
    let mut resp = Redirect::to("/ui/login").into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, session_cookie("", 0));
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-bf_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn logins_from_other_sites_are_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            h
        };
        let host = ("host", "bonafide.example:8080");
        assert!(!cross_site(&headers(&[host])), "curl sends no Origin");
        assert!(!cross_site(&headers(&[
            host,
            ("origin", "https://bonafide.example:8080")
        ])));
        assert!(cross_site(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(cross_site(&headers(&[host, ("origin", "null")])));
        assert!(cross_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
