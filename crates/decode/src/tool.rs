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

/// Runs `cmd` and hands its standard output to `each` in records of
/// `record` bytes as they arrive (a trailing partial record is dropped), so
/// a long output is never held whole. Same timeout and errors as [`run`];
/// the tool's exit status is returned for the caller to judge.
pub(crate) async fn stream(
    mut cmd: Command,
    program: &Path,
    record: usize,
    mut each: impl FnMut(&[u8]),
) -> Result<std::process::ExitStatus, DecodeError> {
    use tokio::io::AsyncReadExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| DecodeError::Tool(format!("{}: {e}", program.display())))?;
    let mut out = child.stdout.take().expect("stdout is piped");
    let work = async {
        let mut buf = vec![0u8; record];
        loop {
            match out.read_exact(&mut buf).await {
                Ok(_) => each(&buf),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(e),
            }
        }
        child.wait().await
    };
    match tokio::time::timeout(TOOL_TIMEOUT, work).await {
        Ok(Ok(status)) => Ok(status),
        Ok(Err(e)) => Err(DecodeError::Tool(format!("{}: {e}", program.display()))),
        Err(_) => Err(DecodeError::Corrupt(format!(
            "{} took over {TOOL_TIMEOUT:?}",
            program.display()
        ))),
    }
}
