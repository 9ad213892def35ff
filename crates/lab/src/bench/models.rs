//! `bonafide-lab bench models DIR`: what the image models cost. Per photo, one
//! at a time: decoding (with the full-size colour the models read), the
//! CLIP embedding, the ImageNet classifier, the SSCD copy descriptor (the
//! whole photo, and its regions as screening describes them when the whole
//! finds nothing), the COCO object detector, and the whole pipeline (ingest
//! to verdict, every detector, on an embedded store). Then CLIP in batches
//! (faster, but not used: see `ClipImageEncoder::embed`), a task text's
//! sentence embedding, and a video's cost per second of footage. The peer,
//! timed on the same files in the same run by `scripts/bench-models-peer`:
//! Python ONNX Runtime with Pillow preprocessing on the same CLIP file.

use std::{path::PathBuf, process::Command, time::Instant};

use anyhow::Context;
use bonafide_decode::{DecodeConfig, decode};
use bonafide_ingest::{UploadRequest, sniff};
use bonafide_models::{
    ClipImageEncoder, CopyDescriptor, ImageNetClassifier, ModelDir, ObjectDetector, PoseEstimator,
    Runtime, SentenceEncoder,
};
use serde_json::{Value, json};

use bonafide_server::Config;

/// Arguments of `bench models`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of photos (JPEG, searched recursively).
    dir: PathBuf,
    /// Use at most this many files.
    #[arg(long, default_value_t = 40)]
    limit: usize,
    /// A video whose cost per second of footage is measured.
    #[arg(long)]
    video: Option<PathBuf>,
    /// Skip the Python peer.
    #[arg(long)]
    no_peer: bool,
}

/// Milliseconds at the given quantile of `samples`.
fn quantile(samples: &mut [f64], q: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples
        .get(((samples.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or(0.0)
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Times each stage and prints one JSON document.
pub async fn run(mut config: Config, args: Args) -> anyhow::Result<()> {
    let mut files = super::files_under(&[&args.dir], &["jpg", "jpeg"]);
    files.truncate(args.limit);
    anyhow::ensure!(!files.is_empty(), "no JPEGs under {}", args.dir.display());

    let runtime = Runtime::load(&ModelDir::new(&config.engine.models.dir), 0)?;
    let clip = ClipImageEncoder::load(&runtime)?;
    let classifier = ImageNetClassifier::load(&runtime)?;
    let sentences = SentenceEncoder::load(&runtime)?;
    let copy = CopyDescriptor::load(&runtime)?;
    let objects = ObjectDetector::load(&runtime)?;
    let poses = PoseEstimator::load(&runtime)?;

    let (mut decode_ms, mut clip_ms, mut classify_ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut copy_ms, mut regions_ms, mut objects_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut region_counts = Vec::new();
    // One sample per person whose pose is read (the engine reads up to 3).
    let mut pose_ms = Vec::new();
    let mut pictures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let media_type = sniff(&bytes);
        let started = Instant::now();
        let Ok(art) = decode(bytes.into(), media_type, &DecodeConfig::default()).await else {
            continue;
        };
        decode_ms.push(ms(started));
        let Some(colour) = art.image.and_then(|i| i.colour) else {
            continue;
        };
        let started = Instant::now();
        clip.embed(&[colour.as_ref()])?;
        clip_ms.push(ms(started));
        let started = Instant::now();
        classifier.probabilities(&[colour.as_ref()])?;
        classify_ms.push(ms(started));
        // The working copy's resize is part of the descriptor's cost.
        let started = Instant::now();
        let working = CopyDescriptor::working(&colour);
        copy.describe(&working)?;
        copy_ms.push(ms(started));
        let started = Instant::now();
        let regions = bonafide_matching::regions::proposals(&working);
        copy.describe_regions(&working, &regions)?;
        regions_ms.push(ms(started));
        region_counts.push(regions.len() as f64);
        let started = Instant::now();
        let seen = objects.detect(&colour)?;
        objects_ms.push(ms(started));
        for person in seen.iter().filter(|o| o.label == "person").take(3) {
            let started = Instant::now();
            poses.estimate(&colour, person.region)?;
            pose_ms.push(ms(started));
        }
        pictures.push(colour);
    }

    // Batches of 8 through the same session, for the record.
    let batch: Vec<_> = pictures.iter().take(8).map(|p| p.as_ref()).collect();
    let started = Instant::now();
    let singles = clip.embed(&batch)?;
    let single_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let batched = clip.embed_batch(&batch)?;
    let batch_s = started.elapsed().as_secs_f64();
    let drift = singles
        .iter()
        .zip(&batched)
        .map(|(a, b)| a.cosine(b))
        .fold(1.0f32, f32::min);

    let started = Instant::now();
    sentences.embed(&["A video of yourself taking out the trash"])?;
    let sentence_ms = ms(started);

    // The whole pipeline, one upload at a time, one worker.
    let scratch = tempfile::tempdir()?;
    config.data_dir = scratch.path().to_owned();
    let engine = config.engine().await?;
    let mut pipeline_ms = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file)?;
        let req = UploadRequest {
            contributor_id: format!("bench-{i}"),
            ..Default::default()
        };
        let started = Instant::now();
        engine.ingest(req, bytes.into(), None).await?;
        engine.drain().await?;
        pipeline_ms.push(ms(started));
    }

    let video = match &args.video {
        Some(path) => Some(video_cost(path, &clip, &classifier, &copy, &objects, &config).await?),
        None => None,
    };
    let peer = if args.no_peer {
        Value::Null
    } else {
        peer(&files)?
    };
    let clip_p50 = quantile(&mut clip_ms, 0.5);
    let peer_ms = peer["clip_ms_per_image"].as_f64();
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "images": pictures.len(),
            "decode_ms": {"p50": quantile(&mut decode_ms, 0.5), "p95": quantile(&mut decode_ms, 0.95)},
            "clip_ms": {"p50": clip_p50, "p95": quantile(&mut clip_ms, 0.95)},
            "classifier_ms": {"p50": quantile(&mut classify_ms, 0.5), "p95": quantile(&mut classify_ms, 0.95)},
            "copy_descriptor_ms": {"p50": quantile(&mut copy_ms, 0.5), "p95": quantile(&mut copy_ms, 0.95)},
            "copy_regions_ms": {"p50": quantile(&mut regions_ms, 0.5), "p95": quantile(&mut regions_ms, 0.95), "regions_p50": quantile(&mut region_counts, 0.5)},
            "objects_ms": {"p50": quantile(&mut objects_ms, 0.5), "p95": quantile(&mut objects_ms, 0.95)},
            "pose_ms_per_person": {"p50": quantile(&mut pose_ms, 0.5), "p95": quantile(&mut pose_ms, 0.95), "people": pose_ms.len()},
            "clip_images_per_s": {"one_at_a_time": batch.len() as f64 / single_s, "batch_of_8": batch.len() as f64 / batch_s, "min_cosine_batched_vs_single": drift},
            "sentence_ms": sentence_ms,
            "pipeline_ms": {"p50": quantile(&mut pipeline_ms, 0.5), "p95": quantile(&mut pipeline_ms, 0.95)},
            "video": video,
            "peer": peer,
            "clip_vs_peer": peer_ms.map(|p| p / clip_p50),
        }))?
    );
    Ok(())
}

/// Decoding and sampling a video and running the image models on the
/// frames the engine gives them, per second of footage (the classifier and
/// the object detector run only for uploads answering a task).
async fn video_cost(
    path: &PathBuf,
    clip: &ClipImageEncoder,
    classifier: &ImageNetClassifier,
    copy: &CopyDescriptor,
    objects: &ObjectDetector,
    config: &Config,
) -> anyhow::Result<Value> {
    let bytes = std::fs::read(path)?;
    let media_type = sniff(&bytes);
    let started = Instant::now();
    let art = decode(bytes.into(), media_type, &config.engine.decode).await?;
    let decode_s = started.elapsed().as_secs_f64();
    let video = art.video.context("not a video")?;
    let n = config.engine.models.video_frames.min(video.frames.len());
    let frames: Vec<_> = (0..n)
        .map(|i| {
            video.frames[i * video.frames.len() / n.max(1)]
                .image
                .as_ref()
        })
        .collect();
    let started = Instant::now();
    clip.embed(&frames)?;
    classifier.probabilities(&frames)?;
    let models_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for frame in &frames {
        copy.describe(&CopyDescriptor::working(frame))?;
    }
    let copy_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for frame in &frames {
        objects.detect(frame)?;
    }
    let objects_s = started.elapsed().as_secs_f64();
    let seconds = video.duration_ms as f64 / 1000.0;
    Ok(json!({
        "file": path,
        "duration_s": seconds,
        "frames_sampled": video.frames.len(),
        "frames_embedded": n,
        "decode_s": decode_s,
        "models_s": models_s,
        "copy_descriptor_s": copy_s,
        "objects_s": objects_s,
        "ms_per_second_of_video": (decode_s + models_s + copy_s + objects_s) * 1000.0 / seconds.max(1e-9),
        "copy_descriptor_ms_per_second": copy_s * 1000.0 / seconds.max(1e-9),
        "objects_ms_per_second": objects_s * 1000.0 / seconds.max(1e-9),
    }))
}

/// Python ONNX Runtime + Pillow on the same files.
fn peer(files: &[PathBuf]) -> anyhow::Result<Value> {
    let out = Command::new("scripts/bench-models-peer")
        .args(files)
        .output()
        .context("running scripts/bench-models-peer")?;
    anyhow::ensure!(
        out.status.success(),
        "scripts/bench-models-peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}
