//! PDFs through Poppler's command-line tools: for files the in-process
//! parser cannot read, and to draw pages for the review UI.

use bonafide_core::DocumentArtefact;
use tokio::process::Command;

use crate::{
    DecodeConfig, DecodeError,
    document::TEXT_CAP,
    tool::{REPORT_CAP, run},
};

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
    // Past the text cap pdftotext is stopped and the document read as
    // having no text: a finding says so.
    let (text, cut_short) = match run(text_cmd, &cfg.pdftotext, cfg, TEXT_CAP as u64).await {
        Ok(out) => (String::from_utf8_lossy(&out.stdout).into_owned(), None),
        Err(DecodeError::Tool(e)) => return Err(DecodeError::Tool(e)),
        Err(DecodeError::TooLarge(_)) => (
            String::new(),
            Some(format!("the text layer is over {} MiB", TEXT_CAP >> 20)),
        ),
        Err(_) => (String::new(), None),
    };
    Ok(DocumentArtefact {
        pages,
        text,
        info,
        cut_short,
    })
}

/// The longest side, in pixels, of a drawn page.
const PAGE_SIDE: u32 = 1600;

/// Draws page `page` (from 1) of a PDF as a PNG, at most 1600 pixels on its
/// longer side, with `pdftoppm` under the tool runner's limits: for the
/// review UI, which shows uploaded PDFs as pictures rather than handing
/// them to the browser's PDF viewer.
pub async fn render_page(
    bytes: &bytes::Bytes,
    page: u32,
    cfg: &DecodeConfig,
) -> Result<Vec<u8>, DecodeError> {
    let file = tempfile::NamedTempFile::new().map_err(|e| DecodeError::Tool(e.to_string()))?;
    tokio::fs::write(file.path(), bytes)
        .await
        .map_err(|e| DecodeError::Tool(e.to_string()))?;
    let page = page.to_string();
    let mut cmd = Command::new(&cfg.pdftoppm);
    cmd.args(["-q", "-png", "-singlefile", "-f", &page, "-l", &page])
        .args(["-scale-to", &PAGE_SIDE.to_string()])
        .arg(file.path());
    // A 1600-pixel RGB PNG is at most about 7.3 MiB uncompressed.
    let cap = u64::from(PAGE_SIDE) * u64::from(PAGE_SIDE) * 3 + (1 << 20);
    let out = run(cmd, &cfg.pdftoppm, cfg, cap).await?;
    if !out.status.success() || !out.stdout.starts_with(b"\x89PNG") {
        return Err(DecodeError::Corrupt(format!(
            "page {page} could not be drawn: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}
