//! `bonafide scan`: screen files and folders through the same pipeline as
//! the API — ingest, queue, workers, policy — on the configured store.

use std::{collections::BTreeMap, path::PathBuf, process::ExitCode};

use anyhow::Context;
use bonafide_core::{Decision, Task};
use bonafide_engine::{Engine, EngineError, UploadView};
use bonafide_ingest::{ContentHash, UploadRequest};
use serde_json::json;

use bonafide_server::Config;

/// Arguments of `scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders (folders are walked recursively, hidden files skipped).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The task the files answer, by id (must exist).
    #[arg(long, conflicts_with = "task_text")]
    task: Option<String>,
    /// The task the files answer, as free text (an ad-hoc task is created).
    #[arg(long)]
    task_text: Option<String>,
    /// Contributor the files are attributed to.
    #[arg(long, default_value = "cli")]
    contributor: String,
    /// One JSON object per file on stdout instead of a table.
    #[arg(long)]
    json: bool,
}

/// One input file and what became of it.
struct Item {
    file: PathBuf,
    outcome: Result<String, (String, String)>, // upload id, or (error code, message)
}

/// Screens every file; exit 0 if all were accepted, 1 if any was flagged.
pub async fn run(config: Config, args: Args) -> anyhow::Result<ExitCode> {
    let files = collect(&args.paths)?;
    config.ensure_workers()?;
    let engine = super::screening_engine(&config).await?;
    for (detector, model, why) in engine.skipped_detectors() {
        eprintln!(
            "skipped: detector {detector} (model {model} unavailable: {why}; install the models with `{}`)",
            bonafide_models::INSTALL_COMMAND
        );
    }
    let task_id = match (&args.task, &args.task_text) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(text)) => Some(adhoc_task(&engine, text).await?),
        (None, None) => None,
    };

    let bar = bonafide_lab::progress::bar(files.len() as u64);
    bar.set_message("ingesting");
    let mut items = Vec::with_capacity(files.len());
    for file in files {
        let outcome = ingest_file(&engine, &file, &args.contributor, task_id.clone()).await?;
        items.push(Item { file, outcome });
    }

    bar.set_message("screening");
    let workers = engine.spawn_workers();
    let mut tally: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut rows = Vec::new();
    for item in &items {
        let view = match &item.outcome {
            Ok(id) => Some(
                engine
                    .wait_for_verdict(id)
                    .await?
                    .context("upload vanished")?,
            ),
            Err(_) => None,
        };
        let label = view
            .as_ref()
            .and_then(|v| v.verdict.as_ref())
            .map_or("error", |v| v.decision.as_str());
        *tally.entry(label).or_default() += 1;
        if args.json {
            bar.suspend(|| println!("{}", json_line(item, view.as_ref())));
        } else {
            rows.push(table_row(item, view.as_ref()));
        }
        bar.inc(1);
    }
    workers.shutdown().await;
    bar.finish_and_clear();

    if !args.json {
        print_table(&rows);
    }
    let summary: Vec<String> = tally.iter().map(|(k, n)| format!("{n} {k}")).collect();
    eprintln!("scanned {} files: {}", items.len(), summary.join(", "));
    let flagged = tally.keys().any(|k| *k != Decision::Accept.as_str());
    Ok(if flagged {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn collect(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        let walker = walkdir::WalkDir::new(p).sort_by_file_name().into_iter();
        let visible = walker
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in visible {
            let entry = entry.with_context(|| format!("walking {}", p.display()))?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// A task made from free text; its id is derived from the text so repeated
/// scans with the same text share it.
async fn adhoc_task(engine: &Engine, text: &str) -> anyhow::Result<String> {
    let id = format!("adhoc-{}", &ContentHash::of(text.as_bytes()).as_str()[..12]);
    let task = Task {
        id: id.clone(),
        title: text.chars().take(80).collect(),
        instructions: text.to_owned(),
        allowed_kinds: vec![],
        requirements: Default::default(),
    };
    engine.store().put_task(&task).await?;
    Ok(id)
}

async fn ingest_file(
    engine: &Engine,
    file: &std::path::Path,
    contributor: &str,
    task_id: Option<String>,
) -> anyhow::Result<Result<String, (String, String)>> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let req = UploadRequest {
        contributor_id: contributor.to_owned(),
        task_id,
        file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()),
        ..Default::default()
    };
    match engine.ingest(req, bytes.into(), None).await {
        Ok(ingested) => Ok(Ok(ingested.upload_id)),
        Err(EngineError::Ingest(e)) => Ok(Err((e.code().to_owned(), e.to_string()))),
        Err(EngineError::UnknownTask(t)) => anyhow::bail!("unknown task {t:?}"),
        Err(e) => Err(e.into()),
    }
}

fn json_line(item: &Item, view: Option<&UploadView>) -> serde_json::Value {
    let decided = view.and_then(|v| v.verdict.as_ref().map(|verdict| (v, verdict)));
    match (&item.outcome, decided) {
        (Ok(id), Some((v, verdict))) => json!({
            "file": item.file,
            "upload_id": id,
            "verdict": verdict.decision.as_str(),
            "reasons": verdict.reasons,
            "findings": v.findings.iter().map(|f| json!({
                "code": f.code, "score": f.score, "message": f.message, "evidence": f.evidence,
            })).collect::<Vec<_>>(),
        }),
        (Ok(id), None) => json!({
            "file": item.file, "upload_id": id, "verdict": "error", "findings": [],
            "error": {"code": "screening_failed", "message": "screening failed on every retry"},
        }),
        (Err((code, message)), _) => json!({
            "file": item.file, "upload_id": null, "verdict": "error", "findings": [],
            "error": {"code": code, "message": message},
        }),
    }
}

fn table_row(item: &Item, view: Option<&UploadView>) -> [String; 3] {
    let file = item.file.display().to_string();
    match (&item.outcome, view.and_then(|v| v.verdict.as_ref())) {
        (Ok(_), Some(v)) => {
            let why: Vec<String> = v
                .reasons
                .iter()
                .map(|r| format!("{}: {}", r.code, r.message))
                .collect();
            [file, v.decision.as_str().to_owned(), why.join("; ")]
        }
        (Err((code, message)), _) => [file, "error".into(), format!("{code}: {message}")],
        (Ok(_), None) => [
            file,
            "error".into(),
            "screening failed on every retry".into(),
        ],
    }
}

fn print_table(rows: &[[String; 3]]) {
    let w0 = rows.iter().map(|r| r[0].len()).max().unwrap_or(4).max(4);
    println!("{:<w0$}  {:<7}  REASONS", "FILE", "VERDICT");
    for [file, verdict, why] in rows {
        println!("{file:<w0$}  {verdict:<7}  {why}");
    }
}
