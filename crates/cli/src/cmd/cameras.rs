//! `bonafide cameras learn DIR…`: learn which JPEG quantisation tables each
//! camera model writes, from camera originals.

use std::path::PathBuf;

use anyhow::Context;
use bonafide_metadata::{CameraTables, Metadata};

/// Camera knowledge.
#[derive(Debug, clap::Subcommand)]
pub enum Cameras {
    /// Print the tables each camera model was seen writing in the JPEGs
    /// under DIR (files naming an editor are skipped), as the JSON the
    /// quantisation check ships (`crates/metadata/src/camera_tables.json`).
    Learn {
        /// Folders or files of camera-original JPEGs.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs a cameras command.
pub fn run(cameras: Cameras) -> anyhow::Result<()> {
    let Cameras::Learn { paths } = cameras;
    let mut files: Vec<Metadata> = Vec::new();
    for root in &paths {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.with_context(|| format!("walking {}", root.display()))?;
            if entry.file_type().is_file() {
                let bytes = std::fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                files.push(bonafide_metadata::read(&bytes));
            }
        }
    }
    let source = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let tables = CameraTables::learn(&source, &files);
    println!("{}", serde_json::to_string_pretty(&tables)?);
    Ok(())
}
