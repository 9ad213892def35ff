//! `bonafide train ai` and `bonafide eval ai`: the learned AI-image
//! detector's head (`bonafide_signals::ai_image`), fitted on labelled sets
//! and measured honestly — out of fold, leaving each source set out, and
//! after JPEG q75 and a 50 % resize.

use std::{collections::BTreeMap, path::PathBuf};

use anyhow::Context;
use bonafide_models::{ClipImageEncoder, ModelDir, Runtime};
use bonafide_signals::ai_image::head::{self, AiHead};
use serde_json::json;

use crate::ai_set::{self, Picture, VARIANTS};
use bonafide_server::Config;

/// Folds for out-of-fold scores.
const FOLDS: usize = 5;
/// Ridge penalty of the logistic regression.
const L2: f32 = 1e-3;

/// Arguments of `train ai`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Labelled CSVs (`file,label,generator,source_set`), paths relative
    /// to each CSV. Repeat for several.
    #[arg(long = "labels", required = true)]
    labels: Vec<PathBuf>,
    /// Where to write the head (the shipped one is
    /// crates/signals/src/ai_image/head.json).
    #[arg(long)]
    out: PathBuf,
    /// Share of real photos, out of fold, allowed to reach review.
    #[arg(long, default_value_t = 0.05)]
    review_fpr: f32,
    /// Share of real photos, out of fold, allowed to reach reject.
    #[arg(long, default_value_t = 0.01)]
    reject_fpr: f32,
}

/// Arguments of `eval ai`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Labelled CSVs, as for `train ai`.
    #[arg(long = "labels", required = true)]
    labels: Vec<PathBuf>,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

async fn pictures(config: &Config, labels: &[PathBuf]) -> anyhow::Result<Vec<Picture>> {
    let runtime = Runtime::load(&ModelDir::new(&config.engine.models.dir), 0)
        .context("the AI detector needs the CLIP model (scripts/models)")?;
    let clip = ClipImageEncoder::load(&runtime)?;
    let set = ai_set::load(labels, &clip).await?;
    anyhow::ensure!(
        set.iter().any(|p| p.generated) && set.iter().any(|p| !p.generated),
        "the labels need both real and generated pictures"
    );
    Ok(set)
}

/// Fits on every variant of `train`.
fn fit(train: &[&Picture]) -> (Vec<f32>, f32) {
    let samples: Vec<_> = train
        .iter()
        .flat_map(|p| p.variants.iter().map(move |e| (e, p.generated)))
        .collect();
    head::fit(&samples, L2)
}

/// Every picture's raw log-odds per variant, each from a head fitted
/// without its fold.
fn out_of_fold_logits(set: &[Picture]) -> Vec<Vec<f32>> {
    let mut scores = vec![Vec::new(); set.len()];
    for k in 0..FOLDS {
        let train: Vec<&Picture> = set
            .iter()
            .filter(|p| ai_set::fold(&p.group, FOLDS) != k)
            .collect();
        let (w, b) = fit(&train);
        for (i, p) in set.iter().enumerate() {
            if ai_set::fold(&p.group, FOLDS) == k {
                scores[i] = p.variants.iter().map(|e| head::logit(&w, b, e)).collect();
            }
        }
    }
    scores
}

/// Out-of-fold probabilities, and the Platt calibration fitted on the
/// out-of-fold log-odds that turned them into probabilities.
fn out_of_fold(set: &[Picture]) -> (Vec<Vec<f32>>, [f32; 2]) {
    let logits = out_of_fold_logits(set);
    let pairs: Vec<(f32, bool)> = set
        .iter()
        .zip(&logits)
        .flat_map(|(p, l)| l.iter().map(move |&z| (z, p.generated)))
        .collect();
    let calibration = head::fit_calibration(&pairs);
    let probabilities = logits
        .iter()
        .map(|l| {
            l.iter()
                .map(|&z| head::calibrated(calibration, z))
                .collect()
        })
        .collect();
    (probabilities, calibration)
}

/// How well the probabilities match what they predict, the two classes
/// weighted equally (the prior the calibration assumes): the Brier score,
/// the expected calibration error over ten bins, and the bins.
fn calibration_report(set: &[Picture], scores: &[Vec<f32>]) -> serde_json::Value {
    let count = |generated: bool| set.iter().filter(|p| p.generated == generated).count();
    let (positives, negatives) = (count(true).max(1) as f64, count(false).max(1) as f64);
    // Per bin: weight, weighted sum of probabilities, weighted generated.
    let mut bins = [[0.0f64; 3]; 10];
    let mut brier = 0.0f64;
    for (p, s) in set.iter().zip(scores) {
        let (prob, y) = (f64::from(s[0]), f64::from(u8::from(p.generated)));
        let w = if p.generated {
            0.5 / positives
        } else {
            0.5 / negatives
        };
        let bin = &mut bins[((prob * 10.0) as usize).min(9)];
        bin[0] += w;
        bin[1] += w * prob;
        bin[2] += w * y;
        brier += w * (prob - y).powi(2);
    }
    let ece: f64 = bins.iter().map(|b| (b[1] - b[2]).abs()).sum();
    let rows: Vec<_> = bins
        .iter()
        .enumerate()
        .filter(|(_, b)| b[0] > 0.0)
        .map(|(i, b)| {
            json!({"from": i as f64 / 10.0, "weight": b[0], "mean_probability": b[1] / b[0], "share_generated": b[2] / b[0]})
        })
        .collect();
    json!({"brier": brier, "expected_calibration_error": ece, "bins": rows})
}

/// Thresholds at the given false-positive rates on real photos' scores
/// (every variant pooled).
fn thresholds(set: &[Picture], scores: &[Vec<f32>], fprs: [f32; 2]) -> [f32; 2] {
    let real: Vec<f32> = set
        .iter()
        .zip(scores)
        .filter(|(p, _)| !p.generated)
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    fprs.map(|f| head::threshold_for_fpr(&real, f))
}

/// `bonafide train ai`.
pub async fn train(config: Config, args: TrainArgs) -> anyhow::Result<()> {
    let set = pictures(&config, &args.labels).await?;
    let (oof, calibration) = out_of_fold(&set);
    let [review_above, reject_above] = thresholds(&set, &oof, [args.review_fpr, args.reject_fpr]);
    let (weights, bias) = fit(&set.iter().collect::<Vec<_>>());
    let generated = set.iter().filter(|p| p.generated).count();
    let labels: Vec<String> = args
        .labels
        .iter()
        .map(|l| l.display().to_string())
        .collect();
    let head = AiHead {
        model: ClipImageEncoder::FILE.to_owned(),
        provenance: format!(
            "bonafide train ai --labels {}: {generated} generated and {} real pictures, each as uploaded, after JPEG q75 and at half size; thresholds from {FOLDS}-fold out-of-fold scores of the real ones",
            labels.join(" --labels "),
            set.len() - generated
        ),
        weights,
        bias,
        calibration,
        review_above: review_above.max(0.5),
        reject_above: reject_above.max(review_above.max(0.5)),
        review_fpr: args.review_fpr,
        reject_fpr: args.reject_fpr,
    };
    std::fs::write(&args.out, serde_json::to_string_pretty(&head)? + "\n")?;
    println!(
        "wrote {}: review at ≥ {:.3}, reject at ≥ {:.3}",
        args.out.display(),
        head.review_above,
        head.reject_above
    );
    Ok(())
}

/// Detection figures for one group of pictures at the two thresholds.
fn shares(
    set: &[Picture],
    scores: &[Vec<f32>],
    keep: impl Fn(&Picture) -> bool,
    t: [f32; 2],
) -> serde_json::Value {
    let s: Vec<f32> = set
        .iter()
        .zip(scores)
        .filter(|(p, _)| keep(p))
        .map(|(_, s)| s[0])
        .collect();
    json!({
        "pictures": s.len(),
        "flagged_at_review": ai_set::share_at_or_above(&s, t[0]),
        "flagged_at_reject": ai_set::share_at_or_above(&s, t[1]),
    })
}

/// AUC and true-positive rates at 1 % and 5 % false positives, per variant.
fn separation(set: &[Picture], scores: &[Vec<f32>]) -> serde_json::Value {
    let rows: Vec<_> = VARIANTS
        .iter()
        .enumerate()
        .map(|(v, name)| {
            let of = |generated: bool| -> Vec<f32> {
                set.iter().zip(scores).filter(|(p, _)| p.generated == generated).map(|(_, s)| s[v]).collect()
            };
            let (g, r) = (of(true), of(false));
            let tpr = |fpr: f32| ai_set::share_at_or_above(&g, head::threshold_for_fpr(&r, fpr));
            json!({"variant": name, "auc": ai_set::auc(&g, &r), "tpr_at_1pct_fpr": tpr(0.01), "tpr_at_5pct_fpr": tpr(0.05)})
        })
        .collect();
    json!(rows)
}

/// `bonafide eval ai`.
pub async fn eval(config: Config, args: EvalArgs) -> anyhow::Result<()> {
    let set = pictures(&config, &args.labels).await?;
    let (oof, calibration) = out_of_fold(&set);
    let t = thresholds(&set, &oof, [0.05, 0.01]);
    let by = |key: fn(&Picture) -> String| -> BTreeMap<String, serde_json::Value> {
        let mut keys: Vec<String> = set.iter().map(key).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let v = shares(&set, &oof, |p| key(p) == k, t);
                (k, v)
            })
            .collect()
    };
    let per_generator = by(|p| {
        format!(
            "{} {}",
            if p.generated { "ai" } else { "real" },
            p.generator
        )
    });
    let per_source = by(|p| {
        format!(
            "{} {}",
            p.source_set,
            if p.generated { "ai" } else { "real" }
        )
    });
    // Leave one source set out: fit on the others and measure the held-out
    // set at the out-of-fold thresholds (what the shipped head uses).
    let mut sources: Vec<&str> = set.iter().map(|p| p.source_set.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let mut loso = BTreeMap::new();
    for held in sources {
        let train: Vec<&Picture> = set.iter().filter(|p| p.source_set != held).collect();
        if !train.iter().any(|p| p.generated) || !train.iter().any(|p| !p.generated) {
            continue;
        }
        let (w, b) = fit(&train);
        let scored: Vec<Vec<f32>> = set
            .iter()
            .map(|p| {
                p.variants
                    .iter()
                    .map(|e| head::calibrated(calibration, head::logit(&w, b, e)))
                    .collect()
            })
            .collect();
        let held_set: Vec<usize> = (0..set.len())
            .filter(|&i| set[i].source_set == held)
            .collect();
        let mut row = serde_json::Map::new();
        for generated in [true, false] {
            let s: Vec<Vec<f32>> = held_set
                .iter()
                .filter(|&&i| set[i].generated == generated)
                .map(|&i| scored[i].clone())
                .collect();
            if s.is_empty() {
                continue;
            }
            let per_variant: Vec<_> = VARIANTS
                .iter()
                .enumerate()
                .map(|(v, name)| {
                    let col: Vec<f32> = s.iter().map(|x| x[v]).collect();
                    json!({"variant": name, "flagged_at_review": ai_set::share_at_or_above(&col, t[0]), "flagged_at_reject": ai_set::share_at_or_above(&col, t[1])})
                })
                .collect();
            row.insert(
                if generated { "ai" } else { "real" }.into(),
                json!({"pictures": s.len(), "variants": per_variant}),
            );
        }
        loso.insert(held.to_owned(), serde_json::Value::Object(row));
    }
    let report = json!({
        "pictures": set.len(),
        "generated": set.iter().filter(|p| p.generated).count(),
        "out_of_fold": {
            "folds": FOLDS,
            "review_above": t[0],
            "reject_above": t[1],
            "separation": separation(&set, &oof),
            "calibration": calibration_report(&set, &oof),
            "per_generator": per_generator,
            "per_source_set": per_source,
        },
        "leave_one_source_out": loso,
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

fn print_table(r: &serde_json::Value) {
    let pct = |v: &serde_json::Value| {
        v.as_f64()
            .map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
    };
    let oof = &r["out_of_fold"];
    println!(
        "{} pictures ({} generated); {}-fold out of fold; review ≥ {:.3}, reject ≥ {:.3} (5 % / 1 % of real photos)",
        r["pictures"],
        r["generated"],
        oof["folds"],
        oof["review_above"].as_f64().unwrap_or(0.0),
        oof["reject_above"].as_f64().unwrap_or(0.0)
    );
    println!(
        "\n{:<14} {:>6} {:>12} {:>12}",
        "variant", "AUC", "TPR@1%FPR", "TPR@5%FPR"
    );
    for row in oof["separation"].as_array().into_iter().flatten() {
        println!(
            "{:<14} {:>6.3} {:>12} {:>12}",
            row["variant"].as_str().unwrap_or(""),
            row["auc"].as_f64().unwrap_or(f64::NAN),
            pct(&row["tpr_at_1pct_fpr"]),
            pct(&row["tpr_at_5pct_fpr"])
        );
    }
    let cal = &oof["calibration"];
    println!(
        "\ncalibration (as uploaded, classes weighted equally): Brier {:.3}, ECE {:.3}",
        cal["brier"].as_f64().unwrap_or(f64::NAN),
        cal["expected_calibration_error"]
            .as_f64()
            .unwrap_or(f64::NAN)
    );
    println!(
        "{:<10} {:>8} {:>12} {:>12}",
        "bin", "weight", "predicted", "observed"
    );
    for b in cal["bins"].as_array().into_iter().flatten() {
        println!(
            "{:<10} {:>8} {:>12} {:>12}",
            format!("≥ {:.1}", b["from"].as_f64().unwrap_or(0.0)),
            pct(&b["weight"]),
            pct(&b["mean_probability"]),
            pct(&b["share_generated"])
        );
    }
    for (title, key) in [
        ("generator", "per_generator"),
        ("source set", "per_source_set"),
    ] {
        println!(
            "\n{:<48} {:>6} {:>10} {:>10}",
            title, "n", "review", "reject"
        );
        for (k, v) in oof[key].as_object().into_iter().flatten() {
            println!(
                "{:<48} {:>6} {:>10} {:>10}",
                k,
                v["pictures"],
                pct(&v["flagged_at_review"]),
                pct(&v["flagged_at_reject"])
            );
        }
    }
    println!(
        "\nleave one source set out (flagged at review / reject; as uploaded, JPEG q75, 50 % resize)"
    );
    for (held, row) in r["leave_one_source_out"].as_object().into_iter().flatten() {
        for (class, v) in row.as_object().into_iter().flatten() {
            let cells: Vec<String> = v["variants"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|x| {
                    format!(
                        "{} / {}",
                        pct(&x["flagged_at_review"]),
                        pct(&x["flagged_at_reject"])
                    )
                })
                .collect();
            println!(
                "{:<22} {:<5} n={:<4} {}",
                held,
                class,
                v["pictures"],
                cells.join("   ")
            );
        }
    }
}
