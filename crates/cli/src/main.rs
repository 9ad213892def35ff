//! `bonafide`: screens uploads — photos, videos, documents — and says
//! accept, reject or review, with reasons.
//!
//! Exit status: 0 clean, 1 something flagged (scan), 2 error.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod cmd;

use bonafide_server::Config;

#[derive(Debug, Parser)]
#[command(
    name = "bonafide",
    version,
    about = "Screens uploads for authenticity, originality and task fit"
)]
struct Cli {
    /// Configuration file (default: ./bonafide.toml if present).
    #[arg(long, global = true, env = "BONAFIDE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP API and the screening workers.
    Serve(cmd::serve::Args),
    /// Run screening workers only (no HTTP), beside `serve` processes on the
    /// same PostgreSQL and object store.
    Worker(cmd::worker::Args),
    /// Screen files and folders through the full pipeline on the configured store.
    Scan(cmd::scan::Args),
    /// Print what decoding sees in a file, as JSON.
    Inspect(cmd::inspect::Args),
    /// Print content (SHA-256) and perceptual (PDQ) hashes of files.
    Hash(cmd::hash::Args),
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Banks of known images: `bank import NAME PATH`, `bank list`.
    #[command(subcommand)]
    Bank(cmd::bank::Bank),
    /// Camera knowledge: `cameras learn DIR` (quantisation tables per model).
    #[command(subcommand)]
    Cameras(cmd::cameras::Cameras),
    /// Check the installed model files against the manifest (exit 1 if any
    /// is missing or altered).
    Models,
    /// Manage API keys.
    #[command(subcommand)]
    Keys(cmd::keys::Keys),
    /// Accounts for the review web UI: `reviewers add NAME --role admin`.
    #[command(subcommand)]
    Reviewers(cmd::reviewers::Reviewers),
    /// The audit log: `audit export` (JSON Lines).
    #[command(subcommand)]
    Audit(cmd::audit::Audit),
    /// Fraud networks: `fraud report` (the riskiest clusters of accounts).
    #[command(subcommand)]
    Fraud(cmd::fraud::Fraud),
    /// Accuracy on labelled sets: `eval task DIR` (task matching), `eval ai`
    /// (the learned AI-image detector), `eval reference` (reverse search).
    #[command(subcommand)]
    Eval(bonafide_lab::eval::Eval),
    /// Fit learned parts: `train ai` (the AI-image detector's head).
    #[command(subcommand)]
    Train(bonafide_lab::train::Train),
}

fn main() -> std::process::ExitCode {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BONAFIDE_LOG")
                .unwrap_or_else(|_| "error,bonafide=info".into()),
        )
        .with_writer(std::io::stderr);
    // One JSON object per line (with the job's or request's span fields)
    // for a log pipeline; plain text for a terminal.
    if std::env::var("BONAFIDE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().with_current_span(true).init();
    } else {
        logs.init();
    }
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    let ok = std::process::ExitCode::SUCCESS;
    match cli.command {
        Command::Serve(args) => cmd::serve::run(config, args).await.map(|()| ok),
        Command::Worker(args) => cmd::worker::run(config, args).await.map(|()| ok),
        Command::Scan(args) => cmd::scan::run(config, args).await,
        Command::Inspect(args) => cmd::inspect::run(config, args).await.map(|()| ok),
        Command::Hash(args) => cmd::hash::run(config, args).await.map(|()| ok),
        Command::Migrate => cmd::migrate(config).await.map(|()| ok),
        Command::Models => cmd::models::run(&config),
        Command::Eval(eval) => bonafide_lab::eval::run(config, eval).await.map(|()| ok),
        Command::Train(train) => bonafide_lab::train::run(config, train).await.map(|()| ok),
        Command::Bank(bank) => cmd::bank::run(config, bank).await.map(|()| ok),
        Command::Keys(keys) => cmd::keys::run(config, keys).await.map(|()| ok),
        Command::Reviewers(r) => cmd::reviewers::run(config, r).await.map(|()| ok),
        Command::Audit(a) => cmd::audit::run(config, a).await.map(|()| ok),
        Command::Fraud(f) => cmd::fraud::run(config, f).await.map(|()| ok),
        Command::Cameras(cameras) => cmd::cameras::run(cameras).map(|()| ok),
    }
}
