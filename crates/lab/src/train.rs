//! `bonafide train`: fit the learned parts that ship with Bonafide.

use bonafide_server::Config;

/// What `bonafide train` fits.
#[derive(Debug, clap::Subcommand)]
pub enum Train {
    /// The AI-image detector's head on CLIP embeddings, from labelled CSVs.
    Ai(crate::ai::TrainArgs),
    /// The copy descriptor's background set (centring and score
    /// normalisation) from real photos, as shipped in
    /// crates/models/data/sscd-background.f16.
    CopyBackground(crate::copy_background::Args),
}

/// Runs one fit.
pub async fn run(config: Config, train: Train) -> anyhow::Result<()> {
    match train {
        Train::Ai(args) => crate::ai::train(config, args).await,
        Train::CopyBackground(args) => crate::copy_background::run(config, args).await,
    }
}
