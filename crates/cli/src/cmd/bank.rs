//! `bonafide bank`: import and list banks of known content and reference
//! corpora.

use std::path::PathBuf;

use anyhow::Context;
use bonafide_store::BankKind;
use serde_json::json;

use bonafide_server::Config;

/// Bank management.
#[derive(Debug, clap::Subcommand)]
pub enum Bank {
    /// Add entries to a bank (created if new), in committed batches: rerun
    /// after an interruption and it resumes where it stopped. From a folder
    /// or file of media (photos are PDQ-hashed and get a copy descriptor,
    /// SSCD, when installed; for reference banks also a CLIP embedding;
    /// videos give one entry per sampled frame), a `.csv` with a `pdq`
    /// column (64 hex digits) and optional `source`, `licence`,
    /// `rights_holder`, `quality` and `frame_ms` (a video frame's time)
    /// columns, or a `.jsonl` of objects with those fields and an optional
    /// `embedding` (a list of numbers) and `embedding_model`, and
    /// `descriptor` (SSCD's raw output for the picture, 512 numbers) and
    /// `descriptor_model`.
    Import {
        /// Bank name: a-z, 0-9, `_`, `-`.
        name: String,
        /// A folder or media file, a `.csv`, or a `.jsonl`.
        path: PathBuf,
        /// Provenance for media imports (default: each file's path).
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
        /// Do not compute image embeddings for a reference bank's media
        /// (PDQ only: faster, but crops and overlays are missed).
        #[arg(long)]
        no_embeddings: bool,
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
            no_embeddings,
        } => {
            let kind = BankKind::parse(&kind)
                .with_context(|| format!("unknown bank kind {kind:?} (known, reference)"))?;
            store.ensure_bank_of(&name, &description, kind).await?;
            // The bank's kind as stored: an existing bank keeps its own.
            let reference = store
                .bank_scopes()
                .await?
                .iter()
                .any(|b| b.name == name && b.kind == BankKind::Reference);
            let import = bonafide_engine::BankImport {
                bank: name.clone(),
                path: path.clone(),
                source,
                licence,
                rights_holder,
                embed: reference && !no_embeddings,
            };
            let report = import
                .run(&engine, &bonafide_lab::progress::ImportBar::default())
                .await?;
            store
                .audit(&bonafide_store::AuditEntry {
                    actor: "cli".into(),
                    action: "bank.import".into(),
                    subject: format!("bank {name}"),
                    before: json!({"resumed_from": report.resumed_from}),
                    after: json!({"added": report.added, "read": report.read, "from": path}),
                })
                .await?;
            println!("{}", serde_json::to_string(&report)?);
        }
    }
    Ok(())
}
