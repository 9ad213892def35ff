//! Filling a bank (`bonafide bank import`): entries added in committed
//! batches, each recording how far into its input the import is, so an
//! interrupted import rerun with the same arguments starts where the last
//! batch ended. The input is precomputed entries (CSV or JSON Lines,
//! [`records`]) or media (a folder or a file, fingerprinted as screening
//! fingerprints uploads).

mod records;

use std::path::{Path, PathBuf};

use bonafide_core::Embedding;
use bonafide_models::{CopyDescriptor, CopySpace};
use bonafide_store::{BankEntry, EntryEmbedding, StoreError};
use futures::{StreamExt, stream};
use serde::Serialize;

use self::records::{Failure, Reason, Record, Records};
use crate::{Engine, EngineError, MediaPrint};

/// Why an import stopped. Every batch committed before it stays, and a
/// rerun resumes after the last one.
#[derive(Debug, thiserror::Error)]
pub enum BankImportError {
    /// The input (or a file under it) could not be read.
    #[error("reading {path}")]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A CSV input without the one column every entry needs.
    #[error("{0} has no `pdq` column")]
    NoPdqColumn(PathBuf),
    /// One entry of precomputed input is malformed.
    #[error("{path} item {item}: {reason}")]
    Entry {
        /// The input.
        path: PathBuf,
        /// Which entry (1-based), or the line it is on.
        item: u64,
        /// What is wrong with it.
        reason: Reason,
    },
    /// A media file could not be fingerprinted (a tool or storage failure;
    /// files that are not media are skipped, not errors).
    #[error("hashing {path}")]
    Hash {
        /// The file.
        path: PathBuf,
        /// Why.
        source: EngineError,
    },
    /// A batch could not be committed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BankImportError {
    fn read(path: &Path, e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Read {
            path: path.into(),
            source: Box::new(e),
        }
    }
}

/// How far an import is, for a progress bar (the library draws none).
pub trait ImportProgress: Send + Sync {
    /// The import starts: `total` units (bytes of precomputed input, or
    /// media files), `done` of them before it (a resumed import).
    fn start(&self, unit: ProgressUnit, total: u64, done: u64);
    /// `done` units are committed.
    fn advance(&self, done: u64);
    /// The import is over.
    fn finish(&self);
}

/// What an [`ImportProgress`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressUnit {
    /// Bytes of a CSV or JSON Lines input.
    Bytes,
    /// Media files.
    Files,
}

/// No progress shown.
impl ImportProgress for () {
    fn start(&self, _: ProgressUnit, _: u64, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Precomputed entries per committed batch.
const RECORD_BATCH: usize = 5_000;
/// Media files per committed batch.
const MEDIA_BATCH: usize = 64;

/// What to import, and the defaults for what entries do not say.
#[derive(Debug)]
pub struct BankImport {
    /// The bank (it must exist).
    pub bank: String,
    /// A folder or media file, a `.csv`, or a `.jsonl`/`.ndjson`.
    pub path: PathBuf,
    /// Provenance for media (default: each file's path).
    pub source: Option<String>,
    /// Licence for entries that do not name one.
    pub licence: String,
    /// Rights holder for entries that do not name one.
    pub rights_holder: String,
    /// Compute image embeddings for media (reference banks, when the model
    /// is installed).
    pub embed: bool,
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    /// The bank.
    pub bank: String,
    /// Items read in this run (after any resumed-from position).
    pub read: u64,
    /// Entries new to the bank.
    pub added: u64,
    /// Entries the bank already held.
    pub already_present: u64,
    /// Media files that are not photos or videos, or too featureless to
    /// match on.
    pub skipped: u64,
    /// Items an earlier, interrupted run had already stored.
    pub resumed_from: u64,
    /// Entries carrying an image embedding.
    pub embedded: u64,
    /// Entries carrying a copy descriptor.
    pub described: u64,
    /// Entries that are frames of videos (one per distinct sampled frame).
    pub video_frames: u64,
    /// Entries offered to the store (added or already present).
    #[serde(skip)]
    offered: u64,
}

impl BankImport {
    /// Runs the import, telling `progress` how far it is; returns what it
    /// did.
    pub async fn run(
        &self,
        engine: &Engine,
        progress: &dyn ImportProgress,
    ) -> Result<ImportReport, BankImportError> {
        // The resume key: the same input, however it is spelled.
        let input = std::fs::canonicalize(&self.path)
            .map_err(|e| BankImportError::read(&self.path, e))?
            .display()
            .to_string();
        let store = engine.store();
        let done = store.bank_import_done(&self.bank, &input).await?;
        let mut report = ImportReport {
            bank: self.bank.clone(),
            resumed_from: done,
            ..ImportReport::default()
        };
        match Records::open(&self.path)? {
            Some(records) => {
                self.records(engine, &input, records, &mut report, progress)
                    .await?
            }
            None => self.media(engine, &input, &mut report, progress).await?,
        }
        store.finish_bank_import(&self.bank, &input).await?;
        report.already_present = report.offered - report.added;
        Ok(report)
    }

    async fn records(
        &self,
        engine: &Engine,
        input: &str,
        mut records: Records,
        report: &mut ImportReport,
        progress: &dyn ImportProgress,
    ) -> Result<(), BankImportError> {
        let len = std::fs::metadata(&self.path)
            .map_err(|e| BankImportError::read(&self.path, e))?
            .len();
        progress.start(ProgressUnit::Bytes, len, 0);
        let mut position = 0u64;
        let mut batch = Vec::with_capacity(RECORD_BATCH);
        loop {
            let next = records.next_record().map_err(|f| match f {
                Failure::Io(e) => BankImportError::read(&self.path, e),
                Failure::Record(reason) => BankImportError::Entry {
                    path: self.path.clone(),
                    item: position + 1,
                    reason,
                },
            })?;
            let at_end = next.is_none();
            if let Some(record) = next {
                position += 1;
                if position <= report.resumed_from {
                    continue;
                }
                report.read += 1;
                let entry = self
                    .entry(record)
                    .map_err(|reason| BankImportError::Entry {
                        path: self.path.clone(),
                        item: position,
                        reason,
                    })?;
                report.embedded += u64::from(entry.embedding.is_some());
                report.described += u64::from(entry.descriptor.is_some());
                report.video_frames += u64::from(entry.frame_ms.is_some());
                report.offered += 1;
                batch.push(entry);
            }
            if batch.len() == RECORD_BATCH || (at_end && !batch.is_empty()) {
                report.added += engine
                    .store()
                    .add_bank_entries_at(&batch, &self.bank, input, position)
                    .await?;
                batch.clear();
                progress.advance(records.position());
            }
            if at_end {
                break;
            }
        }
        progress.finish();
        Ok(())
    }

    fn entry(&self, r: Record) -> Result<BankEntry, Reason> {
        let embedding = match r.embedding.clone() {
            None => None,
            Some(v) if v.is_empty() || v.iter().any(|x| !x.is_finite()) => {
                return Err("the embedding must be a non-empty list of finite numbers".into());
            }
            Some(v) => Some(EntryEmbedding {
                model: r
                    .embedding_model
                    .clone()
                    .unwrap_or_else(|| bonafide_models::ClipImageEncoder::FILE.to_owned()),
                vector: Embedding::normalized(v).values().to_vec(),
            }),
        };
        let descriptor = match r.descriptor.clone() {
            None => None,
            Some(v) if v.is_empty() || v.iter().any(|x| !x.is_finite()) => {
                return Err("the descriptor must be a non-empty list of finite numbers".into());
            }
            // Bonafide's own model: centred on its background, as screening's are.
            Some(v)
                if r.descriptor_model
                    .as_deref()
                    .is_none_or(|m| m == CopyDescriptor::FILE) =>
            {
                let space = CopySpace::shipped();
                if v.len() != bonafide_models::COPY_DIMENSIONS {
                    return Err(format!(
                        "a {} descriptor has {} numbers, not {}",
                        CopyDescriptor::FILE,
                        bonafide_models::COPY_DIMENSIONS,
                        v.len()
                    ));
                }
                Some(EntryEmbedding {
                    model: space.model().to_owned(),
                    vector: space.project(&v).values().to_vec(),
                })
            }
            Some(v) => Some(EntryEmbedding {
                model: r.descriptor_model.clone().unwrap_or_default(),
                vector: Embedding::normalized(v).values().to_vec(),
            }),
        };
        if r.quality.is_some_and(|q| q > 100) {
            return Err("quality must be 0-100".into());
        }
        Ok(BankEntry {
            seq: 0,
            bank: self.bank.clone(),
            pdq: r.hash()?,
            quality: r.quality.unwrap_or(100),
            source: r.source.unwrap_or_default(),
            licence: r.licence.unwrap_or_else(|| self.licence.clone()),
            rights_holder: r
                .rights_holder
                .unwrap_or_else(|| self.rights_holder.clone()),
            embedding,
            descriptor,
            frame_ms: r.frame_ms,
        })
    }

    async fn media(
        &self,
        engine: &Engine,
        input: &str,
        report: &mut ImportReport,
        progress: &dyn ImportProgress,
    ) -> Result<(), BankImportError> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&self.path).sort_by_file_name() {
            let entry = entry.map_err(|e| BankImportError::read(&self.path, e))?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        let skip = (report.resumed_from as usize).min(files.len());
        progress.start(ProgressUnit::Files, files.len() as u64, skip as u64);
        let embed = self.embed && engine.embeds_images();
        // Decoding, PDQ and the embedding run off the async threads: one
        // file per core at a time.
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        let mut done = skip;
        for chunk in files[skip..].chunks(MEDIA_BATCH) {
            let prints: Vec<_> = stream::iter(chunk)
                .map(|path| fingerprint(engine, path, embed))
                .buffered(parallel)
                .collect()
                .await;
            let mut batch = Vec::with_capacity(chunk.len());
            for (path, print) in chunk.iter().zip(prints) {
                report.read += 1;
                let entries = match print? {
                    Some(print) => self.media_entries(path, &print),
                    None => Vec::new(),
                };
                if entries.is_empty() {
                    tracing::info!(file = %path.display(), "skipped: too featureless for PDQ");
                    report.skipped += 1;
                }
                batch.extend(entries);
            }
            done += chunk.len();
            report.offered += batch.len() as u64;
            report.embedded += batch.iter().filter(|e| e.embedding.is_some()).count() as u64;
            report.described += batch.iter().filter(|e| e.descriptor.is_some()).count() as u64;
            report.video_frames += batch.iter().filter(|e| e.frame_ms.is_some()).count() as u64;
            report.added += engine
                .store()
                .add_bank_entries_at(&batch, &self.bank, input, done as u64)
                .await?;
            progress.advance(done as u64);
        }
        progress.finish();
        Ok(())
    }

    fn media_entries(&self, path: &Path, print: &MediaPrint) -> Vec<BankEntry> {
        let source = self
            .source
            .clone()
            .unwrap_or_else(|| path.display().to_string());
        print.entries(
            &self.bank,
            source,
            self.licence.clone(),
            self.rights_holder.clone(),
        )
    }
}

/// A photo's PDQ hash and (when `embed`) embedding, or a video's frame
/// hashes; `None` for a file that is neither. Storage and tool failures are
/// errors.
async fn fingerprint(
    engine: &Engine,
    path: &Path,
    embed: bool,
) -> Result<Option<MediaPrint>, BankImportError> {
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| BankImportError::read(path, e))?;
    match engine.fingerprint_media(bytes.into(), embed).await {
        Ok(print) => Ok(Some(print)),
        Err(EngineError::NotAnImage(why)) => {
            tracing::info!(file = %path.display(), %why, "skipped");
            Ok(None)
        }
        Err(source) => Err(BankImportError::Hash {
            path: path.into(),
            source,
        }),
    }
}
