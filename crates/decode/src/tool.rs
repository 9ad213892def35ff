//! Running the external decoders (ffmpeg, Poppler) safely.

use std::{path::Path, process::Stdio, time::Duration};

use tokio::process::Command;

use crate::DecodeError;

/// A tool run longer than this is treated as hostile input.
const TOOL_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `cmd` with no stdin, killed on timeout or when dropped. A tool that
/// cannot be started is our fault ([`DecodeError::Tool`]); one that runs
/// too long was given a hostile file ([`DecodeError::Corrupt`]).
pub(crate) async fn run(
    mut cmd: Command,
    program: &Path,
) -> Result<std::process::Output, DecodeError> {
    cmd.stdin(Stdio::null()).kill_on_drop(true);
    match tokio::time::timeout(TOOL_TIMEOUT, cmd.output()).await {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => Err(DecodeError::Tool(format!("{}: {e}", program.display()))),
        Err(_) => Err(DecodeError::Corrupt(format!(
            "{} took over {TOOL_TIMEOUT:?}",
            program.display()
        ))),
    }
}
