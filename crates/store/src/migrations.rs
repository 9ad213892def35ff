//! Schema migrations, embedded in the binary, one folder per backend.

use std::borrow::Cow;

use futures::future::BoxFuture;
use sqlx::{
    AssertSqlSafe, SqlSafeStr,
    error::BoxDynError,
    migrate::{Migration, MigrationSource, MigrationType, Migrator},
};

use crate::{Backend, Db, Result};

/// (version, description, SQLite text, Postgres text)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "core",
        include_str!("migrations/sqlite/0001_core.sql"),
        include_str!("migrations/postgres/0001_core.sql"),
    ),
    (
        2,
        "identities",
        include_str!("migrations/sqlite/0002_identities.sql"),
        include_str!("migrations/postgres/0002_identities.sql"),
    ),
    (
        3,
        "perceptual_hashes",
        include_str!("migrations/sqlite/0003_perceptual_hashes.sql"),
        include_str!("migrations/postgres/0003_perceptual_hashes.sql"),
    ),
    (
        4,
        "document_signatures",
        include_str!("migrations/sqlite/0004_document_signatures.sql"),
        include_str!("migrations/postgres/0004_document_signatures.sql"),
    ),
    (
        5,
        "banks",
        include_str!("migrations/sqlite/0005_banks.sql"),
        include_str!("migrations/postgres/0005_banks.sql"),
    ),
    (
        6,
        "device_model",
        include_str!("migrations/sqlite/0006_device_model.sql"),
        include_str!("migrations/postgres/0006_device_model.sql"),
    ),
    (
        7,
        "image_embeddings",
        include_str!("migrations/sqlite/0007_image_embeddings.sql"),
        include_str!("migrations/postgres/0007_image_embeddings.sql"),
    ),
    (
        8,
        "task_exemplars",
        include_str!("migrations/sqlite/0008_task_exemplars.sql"),
        include_str!("migrations/postgres/0008_task_exemplars.sql"),
    ),
    (
        9,
        "video_timelines",
        include_str!("migrations/sqlite/0009_video_timelines.sql"),
        include_str!("migrations/postgres/0009_video_timelines.sql"),
    ),
    (
        10,
        "review",
        include_str!("migrations/sqlite/0010_review.sql"),
        include_str!("migrations/postgres/0010_review.sql"),
    ),
    (
        11,
        "identity_graph",
        include_str!("migrations/sqlite/0011_identity_graph.sql"),
        include_str!("migrations/postgres/0011_identity_graph.sql"),
    ),
    (
        12,
        "contributor_name",
        include_str!("migrations/sqlite/0012_contributor_name.sql"),
        include_str!("migrations/postgres/0012_contributor_name.sql"),
    ),
    (
        13,
        "reference_banks",
        include_str!("migrations/sqlite/0013_reference_banks.sql"),
        include_str!("migrations/postgres/0013_reference_banks.sql"),
    ),
    (
        14,
        "bank_embeddings_and_imports",
        include_str!("migrations/sqlite/0014_bank_embeddings_and_imports.sql"),
        include_str!("migrations/postgres/0014_bank_embeddings_and_imports.sql"),
    ),
    (
        15,
        "video_bank_frames",
        include_str!("migrations/sqlite/0015_video_bank_frames.sql"),
        include_str!("migrations/postgres/0015_video_bank_frames.sql"),
    ),
    (
        16,
        "copy_descriptors",
        include_str!("migrations/sqlite/0016_copy_descriptors.sql"),
        include_str!("migrations/postgres/0016_copy_descriptors.sql"),
    ),
    (
        17,
        "credentials",
        include_str!("migrations/sqlite/0017_credentials.sql"),
        include_str!("migrations/postgres/0017_credentials.sql"),
    ),
    (
        18,
        "server_secrets",
        include_str!("migrations/sqlite/0018_server_secrets.sql"),
        include_str!("migrations/postgres/0018_server_secrets.sql"),
    ),
    (
        19,
        "tenants",
        include_str!("migrations/sqlite/0019_tenants.sql"),
        include_str!("migrations/postgres/0019_tenants.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(Backend);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, desc, sqlite, pg)| {
                    let sql = if self.0 == Backend::Sqlite {
                        sqlite
                    } else {
                        pg
                    };
                    Migration::new(
                        version,
                        Cow::Borrowed(desc),
                        MigrationType::Simple,
                        AssertSqlSafe(sql).into_sql_str(),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Applies pending migrations (sqlx records them in `_sqlx_migrations` and
/// takes an advisory lock on Postgres, so concurrent starts are safe).
pub(crate) async fn run(db: &Db) -> Result<()> {
    Migrator::new(Embedded(db.backend))
        .await?
        .run(&db.pool)
        .await?;
    Ok(())
}
