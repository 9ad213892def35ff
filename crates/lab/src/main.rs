//! `bonafide-lab`: benchmarks of Bonafide, each against a peer measured
//! in the same run (docs/BENCHMARKS.md records their figures and the
//! commands that reproduce them).
//!
//! Exit status: 0 done, 2 error.

use std::path::PathBuf;

use bonafide_server::Config;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bonafide-lab",
    version,
    about = "Benchmarks of Bonafide, each against a peer in the same run"
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
    /// Measure: `bench load` (throughput, latency under a set rate),
    /// `bench index` (Hamming index), `bench hash` (decode + PDQ),
    /// `bench tamper` (metadata forensics), `bench fraud` (the fraud graph
    /// on planted rings), and more (`bench --help`).
    #[command(subcommand)]
    Bench(bonafide_lab::bench::Bench),
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BONAFIDE_LOG")
                .unwrap_or_else(|_| "error,bonafide=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let run = async {
        let config = Config::load(cli.config.as_deref())?;
        match cli.command {
            Command::Bench(bench) => bonafide_lab::bench::run(config, bench).await,
        }
    };
    match runtime.block_on(run) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
