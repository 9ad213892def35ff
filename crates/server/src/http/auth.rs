//! API-key authentication: `Authorization: Bearer bfk_…`.

use axum::{extract::FromRequestParts, http::request::Parts};
use bonafide_store::{ApiClient, Scope};
use utoipa::{
    Modify,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{ApiError, AppState, ClientAddress};

/// Which tenant a review-team read is about (see [`Caller::tenant`]).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct TenantQuery {
    /// The tenant (default the caller's).
    pub(crate) tenant: Option<String>,
}

/// The authenticated client of a request.
pub(crate) struct Caller(pub ApiClient);

impl Caller {
    /// The tenant a review-team request reads: `asked` (the `tenant`
    /// query parameter), else the caller's own. The review scope is the
    /// deployment's review team, who may read any tenant.
    pub(crate) fn tenant(&self, asked: Option<String>) -> Result<String, ApiError> {
        match asked {
            None => Ok(self.0.tenant.clone()),
            Some(t) if bonafide_core::valid_tenant(&t) => Ok(t),
            Some(t) => Err(ApiError::Unprocessable {
                code: "invalid_parameter",
                message: format!("tenant {t:?}: 1-32 of a-z 0-9 _ -"),
            }),
        }
    }

    /// Fails with 403 unless the client holds `scope`.
    pub(crate) fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.0.has(scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(scope.as_str()))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let client = match key {
            Some(key) => state.engine.store().api_client_by_key(key).await?,
            None => None,
        };
        let Some(client) = client else {
            // Missing and wrong keys count against the address: a flood
            // of them is answered 429 instead of 401.
            let ClientAddress(address) = ClientAddress::from_request_parts(parts, state)
                .await
                .unwrap_or_else(|never| match never {});
            state
                .limits
                .admit_unauthenticated(address, state.engine.metrics())?;
            return Err(ApiError::Unauthorized);
        };
        state.limits.admit_key(&client.id, state.engine.metrics())?;
        Ok(Self(client))
    }
}

/// Declares the bearer scheme in the OpenAPI document.
pub(crate) struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("bfk_…")
                    .build(),
            ),
        );
    }
}
