//! PDFs through Poppler's command-line tools, for files the in-process
//! parser cannot read.

use bonafide_core::DocumentArtefact;
use tokio::process::Command;

use crate::{
    DecodeConfig, DecodeError,
    tool::{REPORT_CAP, run},
};

/// The most text kept from one document: past it pdftotext is stopped and
/// the document read as having no text.
const TEXT_CAP: u64 = 16 << 20;

/// Document-info keys worth keeping from `pdfinfo`.
const INFO_KEYS: [&str; 6] = [
    "Title",
    "Author",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
];

pub(crate) async fn read(
    bytes: &bytes::Bytes,
    cfg: &DecodeConfig,
) -> Result<DocumentArtefact, DecodeError> {
    let file = tempfile::NamedTempFile::new().map_err(|e| DecodeError::Tool(e.to_string()))?;
    tokio::fs::write(file.path(), bytes)
        .await
        .map_err(|e| DecodeError::Tool(e.to_string()))?;

    let mut info_cmd = Command::new(&cfg.pdfinfo);
    info_cmd.arg(file.path());
    let out = run(info_cmd, &cfg.pdfinfo, cfg, REPORT_CAP).await?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if String::from_utf8_lossy(&out.stderr).contains("Incorrect password") {
        return Err(DecodeError::Encrypted);
    }
    let field = |key: &str| {
        stdout.lines().find_map(|l| {
            l.strip_prefix(key)?
                .strip_prefix(':')
                .map(|v| v.trim().to_owned())
        })
    };
    let pages: u32 = field("Pages").and_then(|p| p.parse().ok()).unwrap_or(0);
    if pages == 0 {
        return Err(DecodeError::Corrupt("PDF has no readable pages".into()));
    }
    let info = INFO_KEYS
        .iter()
        .filter_map(|k| field(k).map(|v| (k.to_string(), v.into())))
        .collect();

    // Text is best effort: a file damaged enough may still give none.
    let mut text_cmd = Command::new(&cfg.pdftotext);
    text_cmd
        .args([
            "-q",
            "-enc",
            "UTF-8",
            "-l",
            &cfg.limits.max_pages.to_string(),
        ])
        .arg(file.path())
        .arg("-");
    let text = match run(text_cmd, &cfg.pdftotext, cfg, TEXT_CAP).await {
        Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Err(DecodeError::Tool(e)) => return Err(DecodeError::Tool(e)),
        Err(_) => String::new(),
    };
    Ok(DocumentArtefact { pages, text, info })
}
