//! `bonafide bank`: import and list banks of known image hashes.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use bonafide_decode::decode;
use bonafide_ingest::sniff;
use bonafide_store::{BankEntry, BankKind};
use serde_json::json;

use crate::config::Config;

/// Bank management.
#[derive(Debug, clap::Subcommand)]
pub enum Bank {
    /// Add known images to a bank (created if new): a folder of media
    /// (images are PDQ-hashed) or a CSV with a `pdq` column (64 hex digits)
    /// and optional `source`, `licence`, `rights_holder` and `quality`
    /// columns.
    Import {
        /// Bank name: a-z, 0-9, `_`, `-`.
        name: String,
        /// A folder or media file, or a `.csv` of hashes.
        path: PathBuf,
        /// Provenance for folder imports (default: each file's path).
        #[arg(long)]
        source: Option<String>,
        /// Licence for entries that do not name one.
        #[arg(long, default_value = "unknown")]
        licence: String,
        /// What the bank holds (used when it is created).
        #[arg(long, default_value = "")]
        description: String,
        /// `known` (a catalogue, known fakes) or `reference` (web or
        /// licensed images: a match is `plagiarism.reference_match`); used
        /// when the bank is created.
        #[arg(long, default_value = "known")]
        kind: String,
        /// Rights holder for entries that do not name one.
        #[arg(long, default_value = "")]
        rights_holder: String,
    },
    /// List banks and their sizes.
    List,
}

/// Runs a bank command.
pub async fn run(config: Config, bank: Bank) -> anyhow::Result<()> {
    let engine = super::engine(&config).await?;
    let store = engine.store();
    match bank {
        Bank::List => {
            for b in store.banks().await? {
                println!(
                    "{}",
                    json!({"bank": b.name, "kind": b.kind, "entries": b.entries, "description": b.description})
                );
            }
        }
        Bank::Import {
            name,
            path,
            source,
            licence,
            description,
            kind,
            rights_holder,
        } => {
            let kind = BankKind::parse(&kind)
                .with_context(|| format!("unknown bank kind {kind:?} (known, reference)"))?;
            store.ensure_bank_of(&name, &description, kind).await?;
            let (entries, skipped) = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                (from_csv(&name, &path, &licence, &rights_holder)?, 0)
            } else {
                let mut read =
                    from_media(&config, &name, &path, source.as_deref(), &licence).await?;
                for e in &mut read.0 {
                    e.rights_holder.clone_from(&rights_holder);
                }
                read
            };
            let before = store.banks().await?;
            let added = store.add_bank_entries(&entries).await?;
            let count = |banks: &[bonafide_store::BankSummary]| {
                banks
                    .iter()
                    .find(|b| b.name == name)
                    .map_or(0, |b| b.entries)
            };
            store
                .audit(&bonafide_store::AuditEntry {
                    actor: "cli".into(),
                    action: "bank.import".into(),
                    subject: format!("bank {name}"),
                    before: json!({"entries": count(&before)}),
                    after: json!({"entries": count(&store.banks().await?), "added": added, "from": path}),
                })
                .await?;
            let report = json!({
                "bank": name,
                "read": entries.len(),
                "added": added,
                "already_present": entries.len() as u64 - added,
                "skipped": skipped,
            });
            println!("{report}");
        }
    }
    Ok(())
}

fn from_csv(
    bank: &str,
    path: &Path,
    licence: &str,
    rights_holder: &str,
) -> anyhow::Result<Vec<BankEntry>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(pdq_col) = column("pdq") else {
        bail!("{} has no `pdq` column", path.display())
    };
    let (source_col, licence_col, quality_col, holder_col) = (
        column("source"),
        column("licence"),
        column("quality"),
        column("rights_holder"),
    );
    let mut entries = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record?;
        let get = |col: Option<usize>| {
            col.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let hex = get(Some(pdq_col)).unwrap_or_default();
        let hash: bonafide_pdq::Hash256 = hex.parse().with_context(|| {
            format!(
                "{} row {}: {hex:?} is not a PDQ hash",
                path.display(),
                line + 2
            )
        })?;
        entries.push(BankEntry {
            seq: 0,
            bank: bank.to_owned(),
            pdq: hash.to_bytes(),
            quality: get(quality_col).and_then(|q| q.parse().ok()).unwrap_or(100),
            source: get(source_col).unwrap_or("").to_owned(),
            licence: get(licence_col).unwrap_or(licence).to_owned(),
            rights_holder: get(holder_col).unwrap_or(rights_holder).to_owned(),
        });
    }
    Ok(entries)
}

/// PDQ of every image under `path`; returns the entries and how many files
/// were skipped (not images, or too featureless to match on).
async fn from_media(
    config: &Config,
    bank: &str,
    path: &Path,
    source: Option<&str>,
    licence: &str,
) -> anyhow::Result<(Vec<BankEntry>, usize)> {
    let mut entries = Vec::new();
    let mut skipped = 0;
    for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        let media_type = sniff(&bytes);
        let image = decode(bytes.into(), media_type, &config.engine.decode)
            .await
            .ok()
            .and_then(|a| a.image);
        let Some(pdq) = image.map(|img| bonafide_pdq::hash_image(img.luma.as_ref())) else {
            skipped += 1;
            continue;
        };
        if pdq.quality < bonafide_pdq::MIN_QUALITY {
            skipped += 1;
            continue;
        }
        entries.push(BankEntry {
            seq: 0,
            bank: bank.to_owned(),
            pdq: pdq.hash.to_bytes(),
            quality: pdq.quality,
            source: source.map_or_else(|| entry.path().display().to_string(), str::to_owned),
            licence: licence.to_owned(),
            rights_holder: String::new(),
        });
    }
    Ok((entries, skipped))
}
