//! Fraud clusters: `GET /v1/clusters?min_risk=` (the riskiest first) and
//! `GET /v1/clusters/{id}` (members, the links between them with their
//! evidence, and the risk with its factors).

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::get,
};
use bonafide_fraud::{ClusterView, Risk};
use bonafide_store::Scope;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::{Caller, TenantQuery};
use crate::{ApiError, AppState, ErrorBody};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/clusters", get(list_clusters))
        .route("/v1/clusters/{id}", get(get_cluster))
}

/// Which clusters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClusterQuery {
    /// Only clusters at or above this risk (0–1, default 0.5).
    min_risk: Option<f64>,
    /// At most this many (default 100).
    limit: Option<usize>,
    /// Whose clusters (default the caller's tenant).
    tenant: Option<String>,
}

/// One tenant's clusters of two or more accounts, riskiest first, each
/// with its risk and factors (review).
#[utoipa::path(
    get, path = "/v1/clusters", tag = "fraud", params(ClusterQuery),
    responses((status = 200, body = Vec<Object>)),
    security(("api_key" = [])),
)]
pub(crate) async fn list_clusters(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ClusterQuery>,
) -> Result<Json<Vec<Risk>>, ApiError> {
    caller.require(Scope::Review)?;
    let tenant = caller.tenant(q.tenant)?;
    let mut clusters = state
        .engine
        .risky_clusters(&tenant, q.min_risk.unwrap_or(bonafide_fraud::risk::FLAG_AT))
        .await?;
    clusters.truncate(q.limit.unwrap_or(100).clamp(1, 10_000));
    Ok(Json(clusters))
}

/// A cluster in full.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClusterDetail {
    /// Members and links.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    cluster: ClusterView,
    /// Risk and factors.
    #[schema(value_type = Object)]
    risk: Risk,
}

/// A cluster of one tenant: its members, the links between them and its
/// risk (review).
#[utoipa::path(
    get, path = "/v1/clusters/{id}", tag = "fraud",
    params(("id" = String, Path, description = "Cluster id (`cl_…`)"), TenantQuery),
    responses((status = 200, body = ClusterDetail), (status = 404, body = ErrorBody)),
    security(("api_key" = [])),
)]
pub(crate) async fn get_cluster(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<TenantQuery>,
) -> Result<Json<ClusterDetail>, ApiError> {
    caller.require(Scope::Review)?;
    let tenant = caller.tenant(q.tenant)?;
    let (cluster, risk) = state
        .engine
        .cluster(&tenant, &id)
        .await?
        .ok_or(ApiError::NotFound("cluster"))?;
    Ok(Json(ClusterDetail { cluster, risk }))
}
