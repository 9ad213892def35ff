//! Precomputed bank entries: a CSV with a `pdq` column, or JSON Lines with
//! a `pdq` field and optionally an image embedding and a copy descriptor;
//! either may name a video frame's time (`frame_ms`), entries of one video
//! sharing a source.

use std::{
    fs::File,
    io::{BufRead, BufReader},
    path::Path,
};

use bonafide_pdq::Hash256;
use serde::Deserialize;

use super::BankImportError;

/// Why one record is unusable (the import names the file and the line or
/// item).
pub(super) type Reason = String;

/// One entry as read, before the command's defaults fill what it omits.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Record {
    /// 64 hex digits.
    pub pdq: String,
    pub quality: Option<u8>,
    pub source: Option<String>,
    #[serde(alias = "license")]
    pub licence: Option<String>,
    pub rights_holder: Option<String>,
    /// The vector (any length the model has; normalised on import).
    pub embedding: Option<Vec<f32>>,
    /// The model file that computed it (default: the one Bonafide runs).
    pub embedding_model: Option<String>,
    /// The raw copy descriptor (SSCD's output, 512 numbers; centred on
    /// import as screening centres its own).
    pub descriptor: Option<Vec<f32>>,
    /// The model file that computed it (default: the one Bonafide runs).
    pub descriptor_model: Option<String>,
    /// For a frame of a known video: where in the video it is (ms).
    pub frame_ms: Option<u64>,
}

impl Record {
    /// The PDQ hash's bytes.
    pub fn hash(&self) -> Result<[u8; 32], Reason> {
        let hash: Hash256 = self
            .pdq
            .trim()
            .parse()
            .map_err(|e| format!("{:?} is not a PDQ hash (64 hex digits): {e}", self.pdq))?;
        Ok(hash.to_bytes())
    }
}

/// Reads records one at a time, knowing how far into the file it is.
pub(super) enum Records {
    Csv {
        reader: csv::Reader<File>,
        columns: Columns,
        row: csv::StringRecord,
    },
    Jsonl {
        lines: BufReader<File>,
        line: String,
        read: u64,
    },
}

/// Why the next record could not be had.
#[derive(Debug)]
pub(super) enum Failure {
    /// The record is malformed (the reason names its line).
    Record(Reason),
    /// The file could not be read.
    Io(std::io::Error),
}

impl Failure {
    /// A CSV error is the file's (I/O) or the record's (anything else).
    fn from_csv(e: csv::Error) -> Self {
        if e.is_io_error() {
            match e.into_kind() {
                csv::ErrorKind::Io(io) => Self::Io(io),
                other => Self::Record(format!("{other:?}")),
            }
        } else {
            Self::Record(e.to_string())
        }
    }
}

/// Where each known column is in a CSV.
pub(super) struct Columns {
    pdq: usize,
    quality: Option<usize>,
    source: Option<usize>,
    licence: Option<usize>,
    rights_holder: Option<usize>,
    frame_ms: Option<usize>,
}

impl Records {
    /// Opens `path` if its extension names a format this reads (`.csv`,
    /// `.jsonl`, `.ndjson`); `None` for anything else (media).
    pub fn open(path: &Path) -> Result<Option<Self>, BankImportError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let open = || File::open(path).map_err(|e| BankImportError::read(path, e));
        match ext.as_deref() {
            Some("csv") => {
                let mut reader = csv::Reader::from_reader(open()?);
                let headers = reader
                    .headers()
                    .map_err(|e| BankImportError::read(path, e))?
                    .clone();
                let column = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h.trim().eq_ignore_ascii_case(name))
                };
                let Some(pdq) = column("pdq") else {
                    return Err(BankImportError::NoPdqColumn(path.into()));
                };
                let columns = Columns {
                    pdq,
                    quality: column("quality"),
                    source: column("source"),
                    licence: column("licence").or_else(|| column("license")),
                    rights_holder: column("rights_holder"),
                    frame_ms: column("frame_ms"),
                };
                Ok(Some(Self::Csv {
                    reader,
                    columns,
                    row: csv::StringRecord::new(),
                }))
            }
            Some("jsonl" | "ndjson") => Ok(Some(Self::Jsonl {
                lines: BufReader::new(open()?),
                line: String::new(),
                read: 0,
            })),
            _ => Ok(None),
        }
    }

    /// The next record; `Ok(None)` at the end. A record that cannot be
    /// parsed is `Err(Ok(reason))` naming its line; a file that cannot be
    /// read, `Err(Err(why))`.
    pub fn next_record(&mut self) -> Result<Option<Record>, Failure> {
        match self {
            Self::Csv {
                reader,
                columns,
                row,
            } => {
                if !reader.read_record(row).map_err(Failure::from_csv)? {
                    return Ok(None);
                }
                let get = |col: Option<usize>| {
                    col.and_then(|c| row.get(c))
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                };
                let line = row.position().map_or(0, |p| p.line());
                Ok(Some(Record {
                    pdq: get(Some(columns.pdq)).unwrap_or_default(),
                    quality: get(columns.quality)
                        .map(|q| q.parse())
                        .transpose()
                        .map_err(|_| {
                            Failure::Record(format!("line {line}: quality must be 0-100"))
                        })?,
                    source: get(columns.source),
                    licence: get(columns.licence),
                    rights_holder: get(columns.rights_holder),
                    embedding: None,
                    embedding_model: None,
                    descriptor: None,
                    descriptor_model: None,
                    frame_ms: get(columns.frame_ms)
                        .map(|ms| ms.parse())
                        .transpose()
                        .map_err(|_| {
                            Failure::Record(format!(
                                "line {line}: frame_ms must be a whole number of ms"
                            ))
                        })?,
                }))
            }
            Self::Jsonl { lines, line, read } => loop {
                line.clear();
                if lines.read_line(line).map_err(Failure::Io)? == 0 {
                    return Ok(None);
                }
                *read += 1;
                if line.trim().is_empty() {
                    continue;
                }
                return serde_json::from_str(line)
                    .map(Some)
                    .map_err(|e| Failure::Record(format!("line {read}: {e}")));
            },
        }
    }

    /// Bytes of the file consumed so far.
    pub fn position(&self) -> u64 {
        match self {
            Self::Csv { reader, .. } => reader.position().byte(),
            Self::Jsonl { lines, .. } => {
                // What the buffered reader has handed out: the file offset
                // less what is still buffered.
                let buffered = lines.buffer().len() as u64;
                let mut file = lines.get_ref();
                std::io::Seek::stream_position(&mut file).map_or(0, |p| p.saturating_sub(buffered))
            }
        }
    }
}
