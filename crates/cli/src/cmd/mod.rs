//! One module per subcommand.

use bonafide_engine::Engine;
use bonafide_server::Config;

pub mod audit;
pub mod bank;
pub mod cameras;
pub mod fraud;
pub mod hash;
pub mod inspect;
pub mod keys;
pub mod models;
pub mod reviewers;
pub mod scan;
pub mod serve;
pub mod shutdown;
pub mod worker;

/// Opens the configured store (migrating it) and builds the engine.
pub async fn engine(config: &Config) -> anyhow::Result<Engine> {
    Ok(config.engine().await?)
}

/// Audits a credential change the CLI made to `target` (`action` on the
/// audit `subject`, now `after`); an unknown target is an error, a change
/// already made a note on stderr.
pub async fn audit_change(
    store: &bonafide_store::Store,
    change: bonafide_store::CredentialChange,
    target: &str,
    action: &str,
    subject: String,
    after: serde_json::Value,
) -> anyhow::Result<()> {
    use bonafide_store::CredentialChange;
    match change {
        CredentialChange::Unknown => anyhow::bail!("no {target}"),
        CredentialChange::Unchanged => {
            tracing::info!(subject, "already {action}: nothing changed");
            Ok(())
        }
        CredentialChange::Changed => Ok(store
            .audit(&bonafide_store::AuditEntry {
                actor: "cli".into(),
                action: action.into(),
                subject,
                before: serde_json::Value::Null,
                after,
            })
            .await?),
    }
}

/// The engine for commands that screen: it also records the policy in
/// force in the audit log if it changed since the last one recorded.
pub async fn screening_engine(config: &Config) -> anyhow::Result<Engine> {
    let engine = engine(config).await?;
    engine.record_policy("system").await?;
    Ok(engine)
}

/// `bonafide migrate`.
pub async fn migrate(config: Config) -> anyhow::Result<()> {
    let engine = engine(&config).await?;
    let cfg = config.store();
    println!(
        "schema is current: {} ({:?})",
        bonafide_store::redacted(&cfg.database_url),
        engine.store().db.backend()
    );
    Ok(())
}
