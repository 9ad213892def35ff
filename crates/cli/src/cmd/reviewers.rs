//! `bonafide reviewers`: accounts for the review web UI.

use std::io::BufRead;

use anyhow::Context;
use bonafide_store::{AuditEntry, ReviewerRole};
use serde_json::json;

use bonafide_server::Config;

/// Reviewer accounts.
#[derive(Debug, clap::Subcommand)]
pub enum Reviewers {
    /// Create a reviewer (or reset one's role and password, which ends its
    /// sessions and re-enables it). The password is read from
    /// BONAFIDE_REVIEWER_PASSWORD, else from the first line of standard
    /// input.
    Add {
        /// Login name.
        name: String,
        /// `reviewer`, or `admin` (also reads the audit log).
        #[arg(long, default_value = "reviewer")]
        role: String,
    },
    /// Disable a reviewer: its sessions end now and it cannot log in.
    /// `reviewers add` re-enables it with a new password.
    Disable {
        /// Login name.
        name: String,
    },
    /// List reviewers with their open sessions, one JSON object per line.
    List,
}

/// Runs a reviewer command.
pub async fn run(config: Config, cmd: Reviewers) -> anyhow::Result<()> {
    match cmd {
        Reviewers::Add { name, role } => add(config, name, role).await,
        Reviewers::Disable { name } => {
            let engine = super::engine(&config).await?;
            let store = engine.store();
            let change = store.disable_reviewer(&name).await?;
            super::audit_change(
                store,
                change,
                &format!("reviewer {name:?}"),
                "reviewer.disable",
                format!("reviewer {name}"),
                json!({"disabled": true}),
            )
            .await
        }
        Reviewers::List => {
            let engine = super::engine(&config).await?;
            for e in engine.store().reviewers().await? {
                println!(
                    "{}",
                    json!({
                        "name": e.reviewer.name,
                        "role": e.reviewer.role.as_str(),
                        "created_at": e.created_at,
                        "disabled_at": e.disabled_at,
                        "sessions": e.sessions,
                    })
                );
            }
            Ok(())
        }
    }
}

async fn add(config: Config, name: String, role: String) -> anyhow::Result<()> {
    let role = ReviewerRole::parse(&role)
        .with_context(|| format!("unknown role {role:?} (reviewer, admin)"))?;
    let password = match std::env::var("BONAFIDE_REVIEWER_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let engine = super::engine(&config).await?;
    let store = engine.store();
    store.put_reviewer(&name, role, &password).await?;
    store
        .audit(&AuditEntry {
            actor: "cli".into(),
            action: "reviewer.put".into(),
            subject: format!("reviewer {name}"),
            before: serde_json::Value::Null,
            after: json!({"role": role.as_str()}),
        })
        .await?;
    println!("reviewer {name} ({}) can log in at /ui", role.as_str());
    Ok(())
}
