//! `bonafide eval task`: task matching through the full pipeline.
//!
//! `eval task DIR` reads a task-matching set (`tasks.toml`, `labels.csv`
//! with `file,task,on_task`; see tests/task-matching), screens every
//! labelled (photo, task) pair as an upload answering that task, and
//! reports per layer of task matching — the task's requirements, the
//! concepts its text names, its example photos (`--exemplars N`) — how
//! often on-task uploads were rejected (false rejects) and off-task ones
//! passed (false accepts). `--video` screens each labelled photo as a 4 s
//! pan/zoom clip answering the task's video wording instead (files that
//! are videos already are screened as they are).

use std::{collections::BTreeMap, io::Write, path::PathBuf};

use anyhow::Context;
use bonafide_core::{Decision, Finding, Task};
use bonafide_engine::{Engine, FindingView};
use bonafide_ingest::UploadRequest;
use serde::Deserialize;
use serde_json::json;

use bonafide_server::Config;

/// Arguments of `eval task`.
#[derive(Debug, clap::Args)]
pub struct TaskArgs {
    /// The set: a folder with `tasks.toml` and `labels.csv`.
    dir: PathBuf,
    /// Where the files named in `labels.csv` are.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Positive examples per task: its first N on-task photos are added as
    /// exemplars (and not scored). 0 measures the task without examples.
    #[arg(long, default_value_t = 0)]
    exemplars: usize,
    /// Screen each photo as a 4 s pan/zoom video of it, for the task
    /// worded for video ("photo", "picture" → "video"; "photograph" → "film").
    #[arg(long)]
    video: bool,
    /// Score only every Nth labelled pair of each task (in `labels.csv`
    /// order, whatever its label): a fixed, smaller sample for slow runs.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    every: u64,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write one JSON line per scored pair to this file: the pair,
    /// each layer's decision and the concepts layer's evidence (what was
    /// seen, how related each thing is to the task), for error analysis.
    #[arg(long)]
    pairs: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Tasks {
    task: Vec<TaskSpec>,
}

#[derive(Deserialize)]
struct TaskSpec {
    id: String,
    title: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    requirements: bonafide_core::TaskRequirements,
}

#[derive(Deserialize)]
struct Label {
    file: String,
    task: String,
    on_task: String,
}

/// The layers of task matching, each by the detectors whose `task.*`
/// findings it is (all of them when empty).
const LAYERS: [(&str, &[&str]); 4] = [
    ("requirements", &["task_fit", "people", "task_objects"]),
    ("concepts", &["task_content"]),
    ("exemplars", &["task_exemplars"]),
    ("all layers", &[]),
];

/// Outcomes of one layer: (on-task, off-task) × decision.
#[derive(Default)]
struct Tally {
    on: BTreeMap<&'static str, usize>,
    off: BTreeMap<&'static str, usize>,
}

pub(super) async fn run(mut config: Config, args: TaskArgs) -> anyhow::Result<()> {
    config.ensure_workers()?;
    let tasks: Tasks = toml::from_str(
        &std::fs::read_to_string(args.dir.join("tasks.toml")).context("reading tasks.toml")?,
    )?;
    let mut labels: Vec<Label> = Vec::new();
    for row in csv::Reader::from_path(args.dir.join("labels.csv"))?.deserialize() {
        labels.push(row?);
    }
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut pairs = match &args.pairs {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        )),
        None => None,
    };
    // The concepts layer's relatedness per pair (on-task?, value), from its
    // findings' evidence: the threshold sweep.
    let mut relatedness: Vec<(bool, f64)> = Vec::new();
    // Each photo's clip, made once however many tasks it is scored for.
    let clips = tempfile::tempdir()?;
    let mut clip_of: BTreeMap<String, PathBuf> = BTreeMap::new();
    for spec in &tasks.task {
        // A fresh store per task: each photo is uploaded once per store, so
        // no duplicate findings mix in.
        let scratch = tempfile::tempdir()?;
        config.data_dir = scratch.path().to_owned();
        let engine = config.engine().await?;
        let wording = |text: &str| {
            if args.video {
                crate::pan_clip::video_wording(text)
            } else {
                text.to_owned()
            }
        };
        let task = Task {
            id: spec.id.clone(),
            title: wording(&spec.title),
            instructions: wording(&spec.instructions),
            allowed_kinds: vec![],
            requirements: spec.requirements.clone(),
        };
        engine.check_task(&task)?;
        engine.store().put_task(&task).await?;
        // The task's first `exemplars` on-task photos become its positive
        // examples and are left out of the scored pairs.
        let mine: Vec<&Label> = labels.iter().filter(|l| l.task == spec.id).collect();
        let examples: Vec<&Label> = mine
            .iter()
            .filter(|l| l.on_task == "yes")
            .take(args.exemplars)
            .copied()
            .collect();
        for (i, example) in examples.iter().enumerate() {
            let bytes = std::fs::read(args.data.join(&example.file))?;
            let req = UploadRequest {
                contributor_id: format!("example-{i}"),
                ..Default::default()
            };
            let id = engine.ingest(req, bytes.into(), None).await?.upload_id;
            engine.drain().await?;
            engine
                .store()
                .put_exemplar(
                    &task.id,
                    &id,
                    bonafide_core::ExemplarLabel::Positive,
                    bonafide_models::ClipImageEncoder::FILE,
                )
                .await?;
        }
        let mut uploads = Vec::new();
        let scored = mine
            .iter()
            .filter(|l| !examples.iter().any(|e| e.file == l.file))
            .step_by(args.every as usize);
        for (i, label) in scored.enumerate() {
            let mut path = args.data.join(&label.file);
            if args.video && !is_video(&path) {
                if !clip_of.contains_key(&label.file) {
                    let clip = clips.path().join(format!("{}.mp4", clip_of.len()));
                    crate::pan_clip::make(&path, &clip).await?;
                    clip_of.insert(label.file.clone(), clip);
                }
                path.clone_from(&clip_of[&label.file]);
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let req = UploadRequest {
                contributor_id: format!("contributor-{i}"),
                task_id: Some(task.id.clone()),
                ..Default::default()
            };
            let id = engine.ingest(req, bytes.into(), None).await?.upload_id;
            uploads.push((label.on_task == "yes", id, &label.file));
        }
        let workers = engine.spawn_workers();
        for (on_task, id, file) in uploads {
            let view = engine
                .wait_for_verdict(&id)
                .await?
                .context("upload vanished")?;
            let content = view.findings.iter().find(|f| f.detector == "task_content");
            if let Some(r) = content.and_then(|f| f.evidence["relatedness"].as_f64()) {
                relatedness.push((on_task, r));
            }
            let mut decisions = serde_json::Map::new();
            for (layer, codes) in LAYERS {
                let decision = layer_decision(&engine, &view.findings, codes);
                decisions.insert(layer.into(), json!(decision.as_str()));
                let tally = tallies.entry(layer).or_default();
                let side = if on_task {
                    &mut tally.on
                } else {
                    &mut tally.off
                };
                *side.entry(decision.as_str()).or_default() += 1;
            }
            if let Some(out) = &mut pairs {
                let row = json!({
                    "file": file,
                    "task": task.id,
                    "on_task": on_task,
                    "decisions": decisions,
                    "task_content": content.map(|f| &f.evidence),
                });
                writeln!(out, "{row}")?;
            }
        }
        workers.shutdown().await;
    }
    let scored = tallies.get("all layers").map_or(0, |t| {
        t.on.values().sum::<usize>() + t.off.values().sum::<usize>()
    });
    if let Some(mut out) = pairs {
        out.flush()?;
    }
    report(&tallies, &relatedness, scored, args.json);
    Ok(())
}

/// Whether a labelled file is a video already (by its extension).
fn is_video(path: &std::path::Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    ["mp4", "mov", "webm", "mkv", "avi"]
        .iter()
        .any(|v| ext.eq_ignore_ascii_case(v))
}

/// Per relatedness threshold: on-task pairs below it (would be flagged
/// wrongly) and off-task pairs below it (caught), as rates. Pairs the
/// classifier was unsure about have no relatedness and count as neither.
fn sweep(relatedness: &[(bool, f64)], on: usize, off: usize) -> Vec<serde_json::Value> {
    (3..=16)
        .map(|i| {
            let t = f64::from(i) * 0.05;
            let below = |task: bool| {
                relatedness
                    .iter()
                    .filter(|(o, r)| *o == task && *r < t)
                    .count()
            };
            json!({
                "threshold": t,
                "on_task_flagged": below(true) as f64 / on.max(1) as f64,
                "off_task_caught": below(false) as f64 / off.max(1) as f64,
            })
        })
        .collect()
}

/// What the policy decides on this layer's `task.*` findings alone (those
/// of `detectors`; every detector's when empty).
fn layer_decision(engine: &Engine, findings: &[FindingView], detectors: &[&str]) -> Decision {
    let mine: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            f.code.starts_with("task.")
                && (detectors.is_empty() || detectors.contains(&f.detector.as_str()))
        })
        .map(|f| Finding::new(&f.detector, &f.code, f.score, f.message.clone()))
        .collect();
    engine.policy().decide(&mine).decision
}

fn report(
    tallies: &BTreeMap<&str, Tally>,
    relatedness: &[(bool, f64)],
    labels: usize,
    as_json: bool,
) {
    let count = |m: &BTreeMap<&str, usize>, d: &str| m.get(d).copied().unwrap_or(0);
    let rows: Vec<serde_json::Value> = LAYERS
        .iter()
        .filter_map(|(layer, _)| {
            let t = tallies.get(layer)?;
            let on: usize = t.on.values().sum();
            let off: usize = t.off.values().sum();
            let rate = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
            let correct = count(&t.on, "accept") + count(&t.off, "reject");
            Some(json!({
                "layer": layer,
                "on_task": on,
                "off_task": off,
                "accuracy": rate(correct, on + off),
                "false_reject_rate": rate(count(&t.on, "reject"), on),
                "false_accept_rate": rate(count(&t.off, "accept"), off),
                "on_task_review_rate": rate(count(&t.on, "review"), on),
                "off_task_caught_rate": rate(count(&t.off, "reject") + count(&t.off, "review"), off),
            }))
        })
        .collect();
    let (on, off) = tallies.get("concepts").map_or((0, 0), |t| {
        (t.on.values().sum::<usize>(), t.off.values().sum::<usize>())
    });
    let sweep = sweep(relatedness, on, off);
    if as_json {
        println!(
            "{}",
            json!({"labels": labels, "layers": rows, "concepts_sweep": sweep})
        );
        return;
    }
    println!("{labels} labelled (upload, task) pairs");
    println!(
        "{:<14} {:>8} {:>9} {:>13} {:>13} {:>12} {:>15}",
        "LAYER", "ACCURACY", "ON/OFF", "FALSE REJECT", "FALSE ACCEPT", "ON REVIEWED", "OFF CAUGHT"
    );
    for r in rows {
        let pct = |k: &str| format!("{:.1}%", r[k].as_f64().unwrap_or(0.0) * 100.0);
        println!(
            "{:<14} {:>8} {:>9} {:>13} {:>13} {:>12} {:>15}",
            r["layer"].as_str().unwrap_or(""),
            pct("accuracy"),
            format!("{}/{}", r["on_task"], r["off_task"]),
            pct("false_reject_rate"),
            pct("false_accept_rate"),
            pct("on_task_review_rate"),
            pct("off_task_caught_rate"),
        );
    }
    println!(
        "accuracy: on-task accepted + off-task rejected; false reject: on-task rejected; \
         false accept: off-task accepted without review; off caught: off-task rejected or sent to review"
    );
    println!(
        "\nconcepts layer, relatedness threshold sweep ({} of {} pairs had a confident classification)",
        relatedness.len(),
        on + off
    );
    println!(
        "{:>9} {:>16} {:>16}",
        "BELOW", "ON-TASK FLAGGED", "OFF-TASK CAUGHT"
    );
    for row in sweep {
        println!(
            "{:>9.2} {:>15.1}% {:>15.1}%",
            row["threshold"].as_f64().unwrap_or(0.0),
            row["on_task_flagged"].as_f64().unwrap_or(0.0) * 100.0,
            row["off_task_caught"].as_f64().unwrap_or(0.0) * 100.0
        );
    }
}
