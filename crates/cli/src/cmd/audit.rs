//! `bonafide audit export`: the append-only audit log as JSON Lines.

use std::io::Write;

use bonafide_server::Config;

/// The audit log.
#[derive(Debug, clap::Subcommand)]
pub enum Audit {
    /// Print every entry after `--after`, oldest first, one JSON object per
    /// line (resume an export from the last `seq` seen).
    Export {
        /// Only entries with a larger sequence number.
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
}

/// Runs an audit command.
pub async fn run(config: Config, cmd: Audit) -> anyhow::Result<()> {
    let Audit::Export { mut after } = cmd;
    let engine = super::engine(&config).await?;
    let mut out = std::io::stdout().lock();
    loop {
        let page = engine.store().audit_log(after, 10_000, None).await?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.seq;
        for entry in &page {
            writeln!(out, "{}", serde_json::to_string(entry)?)?;
        }
    }
    Ok(())
}
