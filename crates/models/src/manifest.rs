//! The model files Bonafide knows, from `manifest.tsv` (the same list
//! `scripts/models` installs from), and a folder holding them.

use std::{
    io::Read,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

use crate::ModelError;

/// One installed file: its name in the models folder and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelFile {
    /// File name inside the models folder.
    pub file: &'static str,
    /// The pinned package it is taken from, `name==version`.
    pub package: &'static str,
    /// Its path inside the package.
    pub member: &'static str,
    /// Its SHA-256, hex.
    pub sha256: &'static str,
}

/// Every model file, as `manifest.tsv` lists them.
pub static MANIFEST: std::sync::LazyLock<Vec<ModelFile>> = std::sync::LazyLock::new(|| {
    include_str!("../manifest.tsv")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&'static str> = l.split_whitespace().collect();
            let [file, package, member, sha256] = cols[..] else {
                panic!("manifest.tsv: four columns expected in {l:?}");
            };
            ModelFile {
                file,
                package,
                member,
                sha256,
            }
        })
        .collect()
});

impl ModelFile {
    /// The manifest's entry for `file`.
    ///
    /// # Panics
    /// If the manifest has no such file (a programming error: names are
    /// constants next to the code that loads them).
    pub fn named(file: &str) -> ModelFile {
        *MANIFEST
            .iter()
            .find(|m| m.file == file)
            .unwrap_or_else(|| panic!("{file} is not in crates/models/manifest.tsv"))
    }
}

/// What a models folder holds of one manifest file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Present with the expected SHA-256.
    Verified,
    /// Present, with another hash (a partial download or another version).
    WrongHash,
    /// Not there.
    Missing,
}

/// A folder holding model files (by default `models/`, filled by
/// `scripts/models`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelDir {
    dir: PathBuf,
}

impl ModelDir {
    /// The folder at `dir` (which need not exist).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The path of `file`, if it is there. Cheap (no hashing): the install
    /// step checked it, and [`ModelDir::status`] checks again on demand.
    pub fn locate(&self, file: &'static str) -> Result<PathBuf, ModelError> {
        let path = self.dir.join(file);
        if path.is_file() {
            // ONNX Runtime resolves relative library paths against the
            // executable's folder, not the working directory.
            Ok(std::path::absolute(&path).unwrap_or(path))
        } else {
            Err(ModelError::Missing {
                file,
                dir: self.dir.clone(),
            })
        }
    }

    /// Hashes the installed copy of `model` and compares.
    pub fn status(&self, model: &ModelFile) -> std::io::Result<FileStatus> {
        let mut f = match std::fs::File::open(self.dir.join(model.file)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileStatus::Missing),
            Err(e) => return Err(e),
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0; 1 << 20];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(if hex::encode(hasher.finalize()) == model.sha256 {
            FileStatus::Verified
        } else {
            FileStatus::WrongHash
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lists_the_runtime_and_clip() {
        let runtime = ModelFile::named("libonnxruntime.so");
        assert_eq!(runtime.package, "onnxruntime==1.32.0");
        assert!(MANIFEST.iter().all(|m| m.sha256.len() == 64));
        let dir = ModelDir::new("/nonexistent");
        assert!(matches!(
            dir.locate("clip-vit-b16-image.onnx"),
            Err(ModelError::Missing { .. })
        ));
        assert_eq!(dir.status(&runtime).unwrap(), FileStatus::Missing);
    }
}
