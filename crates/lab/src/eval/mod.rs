//! `bonafide eval`: accuracy on labelled sets, through the full pipeline
//! where the measured part is one — task matching ([`task`]), the learned
//! AI-image detector ([`crate::ai`]), reverse search ([`reference`]).

use bonafide_server::Config;

pub mod reference;
pub mod task;

/// What to evaluate.
#[derive(Debug, clap::Subcommand)]
pub enum Eval {
    /// Task matching: false rejects and false accepts per layer.
    Task(task::TaskArgs),
    /// The learned AI-image detector: AUC, true positives at 1 % and 5 %
    /// false positives, per generator and source set, leaving each source
    /// set out, after JPEG q75 and a 50 % resize.
    Ai(crate::ai::EvalArgs),
    /// Reverse search: recall and precision of finding transformed copies
    /// (crop, resize, JPEG, text overlay, screenshot frame, stock
    /// watermark) of half a photo set banked as a reference corpus.
    Reference(reference::Args),
}

/// Runs one evaluation.
pub async fn run(config: Config, eval: Eval) -> anyhow::Result<()> {
    match eval {
        Eval::Task(args) => task::run(config, args).await,
        Eval::Ai(args) => crate::ai::eval(config, args).await,
        Eval::Reference(args) => reference::run(config, args).await,
    }
}
