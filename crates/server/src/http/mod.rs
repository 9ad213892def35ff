//! The API's routes, one file per resource, and the middleware every
//! request passes (guard, metrics).

use axum::{Router, extract::DefaultBodyLimit};
use utoipa::OpenApi;

use self::auth::BearerScheme;
use crate::{AppState, ErrorBody};

mod auth;
mod clusters;
mod contributors;
mod exemplars;
mod guard;
mod limits;
mod observe;
mod ops;
mod review;
mod search;
mod serve;
mod tasks;
mod uploads;

pub(crate) use self::{
    guard::{RequestGuard, guard},
    observe::track,
};
pub use self::{
    limits::RateLimits,
    serve::{ServerLimits, serve_on},
};

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(title = "Bonafide", description = "Screens uploads: accept / reject / review with reasons."),
    paths(
        uploads::create_upload,
        uploads::get_upload,
        tasks::put_task,
        tasks::get_task,
        exemplars::put_exemplar,
        exemplars::delete_exemplar,
        exemplars::list_exemplars,
        contributors::get_contributor,
        clusters::list_clusters,
        clusters::get_cluster,
        ops::healthz,
        ops::metrics,
        ops::queue,
        ops::requeue_dead,
        review::next_item,
        review::list_items,
        review::get_item,
        review::decide,
        review::skip,
        review::undo,
        review::queues,
        review::stats,
        review::audit,
        search::search,
    ),
    components(schemas(
        bonafide_engine::UploadView,
        bonafide_engine::VerdictView,
        bonafide_engine::ReasonView,
        bonafide_engine::HumanReviewView,
        bonafide_engine::FindingView,
        uploads::Accepted,
        uploads::StoredUpload,
        bonafide_ingest::UploadRequest,
        uploads::MultipartUpload,
        tasks::TaskBody,
        tasks::Requirements,
        exemplars::ExemplarBody,
        exemplars::ExemplarView,
        contributors::ContributorView,
        contributors::DeviceView,
        clusters::ClusterDetail,
        ops::QueueView,
        review::ItemDetail,
        review::DecisionBody,
        review::QueueView,
        ErrorBody,
    )),
    modifiers(&BearerScheme),
)]
pub struct ApiDoc;

/// The most a JSON request body (a task, a decision) may hold.
const JSON_BODY_LIMIT: usize = 1 << 20;

/// Room for the multipart envelope and metadata on top of the file limit.
pub(crate) const ENVELOPE_ALLOWANCE: u64 = 1 << 20;

/// Every API route; routes that take JSON, not media, take small bodies.
pub(crate) fn router() -> Router<AppState> {
    let json = Router::new()
        .merge(tasks::router())
        .merge(exemplars::router())
        .merge(contributors::router())
        .merge(clusters::router())
        .merge(ops::router())
        .merge(review::router())
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT));
    Router::new()
        .merge(uploads::router())
        .merge(json)
        .merge(search::router())
}
