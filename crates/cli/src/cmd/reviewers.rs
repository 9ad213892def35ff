//! `bonafide reviewers`: accounts for the review web UI.

use std::io::BufRead;

use anyhow::Context;
use bonafide_store::{AuditEntry, ReviewerRole};

use crate::config::Config;

/// Reviewer accounts.
#[derive(Debug, clap::Subcommand)]
pub enum Reviewers {
    /// Create a reviewer (or reset one's role and password). The password
    /// is read from BONAFIDE_REVIEWER_PASSWORD, else from the first line of
    /// standard input.
    Add {
        /// Login name.
        name: String,
        /// `reviewer`, or `admin` (also reads the audit log).
        #[arg(long, default_value = "reviewer")]
        role: String,
    },
}

/// Runs a reviewer command.
pub async fn run(config: Config, cmd: Reviewers) -> anyhow::Result<()> {
    let Reviewers::Add { name, role } = cmd;
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
            after: serde_json::json!({"role": role.as_str()}),
        })
        .await?;
    println!("reviewer {name} ({}) can log in at /ui", role.as_str());
    Ok(())
}
