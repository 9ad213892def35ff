//! `bonafide train copy-background`: the background set the copy
//! descriptor is centred and score-normalised on
//! (`crates/models/data/sscd-background.f16`), from real photos: each
//! photo's whole descriptor and those of the regions screening describes,
//! computed as screening computes them.

use std::{io::Write, path::PathBuf};

use anyhow::Context;
use bonafide_decode::decode;
use bonafide_ingest::sniff;
use bonafide_models::{CopyDescriptor, ModelDir, Runtime};

use bonafide_server::Config;

/// Arguments of `train copy-background`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folders of real photos (not the ones an evaluation banks or searches).
    #[arg(required = true)]
    photos: Vec<PathBuf>,
    /// Where to write the raw descriptors (little-endian f16, 512 each).
    #[arg(long)]
    out: PathBuf,
}

/// Writes the background.
pub async fn run(config: Config, args: Args) -> anyhow::Result<()> {
    let models = &config.engine.models;
    let runtime = Runtime::load(&ModelDir::new(&models.dir), models.threads)?;
    let model = CopyDescriptor::load(&runtime)?;
    let mut files = Vec::new();
    for set in &args.photos {
        for e in walkdir::WalkDir::new(set).sort_by_file_name() {
            let e = e?;
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&args.out).with_context(|| args.out.display().to_string())?,
    );
    let (mut photos, mut descriptors) = (0, 0);
    for path in files {
        let bytes = std::fs::read(&path)?;
        let media_type = sniff(&bytes);
        let Some(colour) = decode(bytes.into(), media_type, &config.engine.decode)
            .await
            .ok()
            .and_then(|a| a.image?.colour)
        else {
            continue;
        };
        let working = CopyDescriptor::working(&colour);
        let regions = bonafide_matching::regions::proposals(&working);
        let all = std::iter::once(model.describe(&working)?)
            .chain(model.describe_regions(&working, &regions)?);
        for d in all {
            for v in d {
                out.write_all(&half::f16::from_f32(v).to_le_bytes())?;
            }
            descriptors += 1;
        }
        photos += 1;
    }
    out.flush()?;
    eprintln!(
        "{descriptors} descriptors of {photos} photos written to {}",
        args.out.display()
    );
    Ok(())
}
