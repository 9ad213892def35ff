//! `GET /v1/contributors/{id}`: a contributor's history and fraud risk, for
//! reviewers.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::get,
};
use bonafide_store::{ContributorRecord, Scope};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::{Caller, TenantQuery};
use crate::{ApiError, AppState, ErrorBody};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/v1/contributors/{id}", get(get_contributor))
}

/// A contributor's uploads and devices.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContributorView {
    id: String,
    /// First upload, Unix ms.
    first_seen_at: i64,
    /// Latest upload, Unix ms.
    last_seen_at: i64,
    /// Uploads accepted from them.
    uploads: i64,
    /// Devices used, most used first.
    devices: Vec<DeviceView>,
    /// Their cluster's risk with the factors that drive it.
    #[schema(value_type = Object)]
    risk: Option<bonafide_fraud::Risk>,
}

/// One device a contributor used.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeviceView {
    device_id: String,
    /// Uploads from this contributor on it.
    uploads: i64,
    /// Other contributors seen on the same device.
    other_contributors: i64,
}

impl ContributorView {
    fn new(c: ContributorRecord, risk: Option<bonafide_fraud::Risk>) -> Self {
        Self {
            risk,
            id: c.id,
            first_seen_at: c.first_seen_at,
            last_seen_at: c.last_seen_at,
            uploads: c.uploads,
            devices: c
                .devices
                .into_iter()
                .map(|d| DeviceView {
                    device_id: d.device_id,
                    uploads: d.uploads,
                    other_contributors: d.other_contributors,
                })
                .collect(),
        }
    }
}

/// A contributor of one tenant (`tenant`, default the caller's): upload
/// count, devices, and risk with its factors (review).
#[utoipa::path(
    get, path = "/v1/contributors/{id}", tag = "contributors",
    params(("id" = String, Path, description = "Contributor id"), TenantQuery),
    responses((status = 200, body = ContributorView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn get_contributor(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<TenantQuery>,
) -> Result<Json<ContributorView>, ApiError> {
    caller.require(Scope::Review)?;
    let tenant = caller.tenant(q.tenant)?;
    let c = state
        .engine
        .store()
        .contributor(&tenant, &id)
        .await?
        .ok_or(ApiError::NotFound("contributor"))?;
    let risk = state.engine.contributor_risk(&tenant, &id).await?;
    Ok(Json(ContributorView::new(c, risk)))
}
