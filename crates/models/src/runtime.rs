//! ONNX Runtime, loaded once per process from the models folder.

use std::sync::Mutex;

use ort::{
    environment::Environment,
    session::{Session, SessionInputValue, builder::GraphOptimizationLevel},
    value::Tensor,
};

use crate::{ModelDir, ModelError};

/// The ONNX Runtime library file in the models folder.
const LIBRARY: &str = "libonnxruntime.so";

/// A loaded ONNX Runtime: makes sessions for the models in its folder.
#[derive(Clone)]
pub struct Runtime {
    env: Environment,
    dir: ModelDir,
    threads: usize,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("dir", &self.dir)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// Loads ONNX Runtime from `dir`; each model then runs on `threads`
    /// threads (0: one per core). ONNX Runtime allows one library and one
    /// environment per process: the first call loads them, later calls
    /// share them whatever their folder (their models still come from
    /// their own).
    pub fn load(dir: &ModelDir, threads: usize) -> Result<Self, ModelError> {
        static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);
        let mut shared = ENVIRONMENT.lock().unwrap_or_else(|p| p.into_inner());
        let env = match &*shared {
            Some(env) => env.clone(),
            None => {
                let path = dir.locate(LIBRARY)?;
                let failed = |reason: String| ModelError::Runtime {
                    path: path.clone(),
                    reason,
                };
                let env = ort::init_from(&path)
                    .map_err(|e| failed(e.to_string()))?
                    .with_name("bonafide")
                    .build()
                    .map_err(|e| failed(e.to_string()))?;
                shared.insert(env).clone()
            }
        };
        Ok(Self {
            env,
            dir: dir.clone(),
            threads,
        })
    }

    /// The folder models are loaded from.
    pub fn dir(&self) -> &ModelDir {
        &self.dir
    }

    /// Loads the model `file` from the folder.
    pub(crate) fn model(&self, file: &'static str) -> Result<Model, ModelError> {
        let path = self.dir.locate(file)?;
        let started = std::time::Instant::now();
        let failed = |e: &dyn std::fmt::Display| ModelError::Inference {
            file,
            reason: e.to_string(),
        };
        let session = Session::builder(&self.env)
            .map_err(|e| failed(&e))?
            .with_optimization_level(GraphOptimizationLevel::All)
            .map_err(|e| failed(&e))?
            .with_intra_threads(self.threads)
            .map_err(|e| failed(&e))?
            // Several models run at once (one upload's detectors, several
            // uploads' workers): idle pool threads spinning for work take
            // the cores the others need (`bench e2e`: 2.7/s without
            // spinning, 1.9/s with; docs/BENCHMARKS.md).
            .with_intra_op_spinning(false)
            .map_err(|e| failed(&e))?
            .commit_from_file(&path)
            .map_err(|e| failed(&e))?;
        tracing::debug!(
            file,
            ms = started.elapsed().as_millis() as u64,
            "model loaded"
        );
        Ok(Model {
            file,
            session: Mutex::new(session),
        })
    }

    /// Reads the text file `file` from the folder (labels, vocabularies).
    pub(crate) fn text(&self, file: &'static str) -> Result<String, ModelError> {
        let path = self.dir.locate(file)?;
        std::fs::read_to_string(&path).map_err(|e| ModelError::Inference {
            file,
            reason: e.to_string(),
        })
    }
}

/// A float output of a model: its shape and values.
pub(crate) type Output = (Vec<i64>, Vec<f32>);

/// One loaded ONNX model. Sessions need `&mut` to run, so it sits behind a
/// mutex: inference already uses every thread it is given.
#[derive(Debug)]
pub(crate) struct Model {
    file: &'static str,
    session: Mutex<Session>,
}

impl Model {
    /// An inference error of this model.
    pub(crate) fn error(&self, reason: &dyn std::fmt::Display) -> ModelError {
        ModelError::Inference {
            file: self.file,
            reason: reason.to_string(),
        }
    }

    /// A custom metadata value stored in the model file (a recogniser's
    /// character set), if present.
    pub(crate) fn metadata(&self, key: &str) -> Result<Option<String>, ModelError> {
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let metadata = session.metadata().map_err(|e| self.error(&e))?;
        Ok(metadata.custom(key))
    }

    /// A float tensor input.
    pub(crate) fn floats(
        &self,
        shape: &[usize],
        data: Vec<f32>,
    ) -> Result<SessionInputValue<'static>, ModelError> {
        Ok(Tensor::from_array((shape.to_vec(), data))
            .map_err(|e| self.error(&e))?
            .into())
    }

    /// An 8-bit tensor input (pixels, for models that normalise inside
    /// their graph).
    pub(crate) fn bytes(
        &self,
        shape: &[usize],
        data: Vec<u8>,
    ) -> Result<SessionInputValue<'static>, ModelError> {
        Ok(Tensor::from_array((shape.to_vec(), data))
            .map_err(|e| self.error(&e))?
            .into())
    }

    /// An integer tensor input.
    pub(crate) fn ints(
        &self,
        shape: &[usize],
        data: Vec<i64>,
    ) -> Result<SessionInputValue<'static>, ModelError> {
        Ok(Tensor::from_array((shape.to_vec(), data))
            .map_err(|e| self.error(&e))?
            .into())
    }

    /// Runs the model on named inputs and returns the float output
    /// `output`: its shape and values.
    pub(crate) fn run(
        &self,
        inputs: Vec<(&'static str, SessionInputValue<'static>)>,
        output: &str,
    ) -> Result<Output, ModelError> {
        let mut outputs = self.run_outputs(inputs, &[output])?;
        outputs
            .pop()
            .ok_or_else(|| self.error(&format!("no output {output:?}")))
    }

    /// Runs the model on named inputs and returns the float `outputs`, in
    /// the order asked: each one's shape and values.
    pub(crate) fn run_outputs(
        &self,
        inputs: Vec<(&'static str, SessionInputValue<'static>)>,
        outputs: &[&str],
    ) -> Result<Vec<Output>, ModelError> {
        // A poisoned lock only means another inference panicked; the session
        // holds no state between runs.
        let mut session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let values = session.run(inputs).map_err(|e| self.error(&e))?;
        outputs
            .iter()
            .map(|name| {
                let value = values
                    .get(*name)
                    .ok_or_else(|| self.error(&format!("no output {name:?}")))?;
                let (shape, data) = value
                    .try_extract_tensor::<f32>()
                    .map_err(|e| self.error(&e))?;
                Ok((shape.to_vec(), data.to_vec()))
            })
            .collect()
    }
}
