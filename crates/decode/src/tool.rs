//! Running the external decoders (ffmpeg, libheif, Poppler) safely: no
//! stdin, a wall-clock timeout, limits on the child's memory and CPU time,
//! a cap on what it prints, and the child's whole process group killed
//! when it overruns or its caller gives up.

use std::{io, path::Path, process::Stdio, time::Duration};

use tokio::{
    io::{AsyncRead, AsyncReadExt},
    process::{Child, Command},
};

use crate::{DecodeConfig, DecodeError};

/// The most a tool may write to its standard error; its messages are read
/// for errors only, so more is a hostile file's noise.
const STDERR_CAP: u64 = 16 << 20;

/// CPU seconds a tool may use per second of its wall-clock timeout: its
/// threads together, so a tool using four cores for the whole timeout is
/// still within it.
const CPU_PER_WALL_SECOND: u64 = 4;

/// What one run of a tool may take.
#[derive(Debug, Clone, Copy)]
struct Budget {
    timeout: Duration,
    memory_bytes: u64,
    cpu_secs: u64,
}

impl Budget {
    fn of(cfg: &DecodeConfig) -> Self {
        let secs = cfg.tool_timeout_secs.max(1);
        Self {
            timeout: Duration::from_secs(secs),
            memory_bytes: cfg.tool_memory_mib.max(64).saturating_mul(1 << 20),
            cpu_secs: secs.saturating_mul(CPU_PER_WALL_SECOND),
        }
    }
}

/// `setrlimit`'s resource type, which glibc names differently.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

fn set_limit(resource: Resource, value: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit only reads the struct passed by reference.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Starts `cmd` (its stdout piped, its stderr as `stderr` says) in its own
/// process group under `budget`'s limits.
fn spawn(
    mut cmd: Command,
    program: &Path,
    budget: Budget,
    stderr: Stdio,
) -> Result<Child, DecodeError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .kill_on_drop(true)
        .process_group(0);
    let Budget {
        memory_bytes,
        cpu_secs,
        ..
    } = budget;
    // SAFETY: the hook runs in the forked child before exec; it only makes
    // setrlimit system calls, which are async-signal-safe, and allocates
    // nothing.
    unsafe {
        cmd.pre_exec(move || {
            set_limit(libc::RLIMIT_AS, memory_bytes)?;
            set_limit(libc::RLIMIT_CPU, cpu_secs)
        });
    }
    cmd.spawn()
        .map_err(|e| DecodeError::Tool(format!("{}: {e}", program.display())))
}

/// Kills the process group a child leads when dropped armed: on a timeout,
/// or when the caller stops waiting (a job past its deadline drops the
/// whole decode). That takes the tool's own children too (a script's
/// `sleep`, say), which dropping the child alone would leave running.
/// Declared after the child, so it drops first, while the child is not yet
/// reaped and its pid (the group's id) cannot have been reused.
struct GroupKiller(Option<i32>);

impl GroupKiller {
    fn of(child: &Child) -> Self {
        Self(child.id().and_then(|p| i32::try_from(p).ok()))
    }

    /// The child exited and was reaped: its group must not be signalled.
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for GroupKiller {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            // SAFETY: kill with a negative pid signals that process group;
            // the group is the child's own (process_group(0)).
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
    }
}

/// Reads `from` to its end; an error of kind `FileTooLarge` as soon as it
/// passes `cap` bytes, so a flooding tool is stopped, not waited for.
async fn read_capped(from: Option<impl AsyncRead + Unpin>, cap: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if let Some(from) = from {
        from.take(cap + 1).read_to_end(&mut buf).await?;
    }
    if buf.len() as u64 > cap {
        return Err(io::ErrorKind::FileTooLarge.into());
    }
    Ok(buf)
}

fn overran(program: &Path, budget: Budget) -> DecodeError {
    DecodeError::Corrupt(format!(
        "{} took over {:?}",
        program.display(),
        budget.timeout
    ))
}

/// Runs `cmd` under the configured limits, keeping at most `stdout_cap`
/// bytes of its output. A tool that cannot be started is our fault
/// ([`DecodeError::Tool`]); one that runs too long or prints more was given
/// a hostile file ([`DecodeError::Corrupt`], [`DecodeError::TooLarge`]).
pub(crate) async fn run(
    cmd: Command,
    program: &Path,
    cfg: &DecodeConfig,
    stdout_cap: u64,
) -> Result<std::process::Output, DecodeError> {
    let budget = Budget::of(cfg);
    let mut child = spawn(cmd, program, budget, Stdio::piped())?;
    let mut killer = GroupKiller::of(&child);
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let result = tokio::time::timeout(budget.timeout, async {
        let (out, err) = tokio::try_join!(
            read_capped(stdout, stdout_cap),
            read_capped(stderr, STDERR_CAP)
        )?;
        let status = child.wait().await?;
        Ok::<_, io::Error>((status, out, err))
    })
    .await;
    if matches!(result, Ok(Ok(_))) {
        killer.disarm();
    }
    match result {
        Ok(Ok((status, stdout, stderr))) => Ok(std::process::Output {
            status,
            stdout,
            stderr,
        }),
        Ok(Err(e)) if e.kind() == io::ErrorKind::FileTooLarge => {
            Err(DecodeError::TooLarge(format!(
                "{} printed more than its output cap ({stdout_cap} bytes, {STDERR_CAP} of messages)",
                program.display()
            )))
        }
        Ok(Err(e)) => Err(DecodeError::Tool(format!("{}: {e}", program.display()))),
        Err(_) => Err(overran(program, budget)),
    }
}

/// What a tool that reports a few lines (a probe, a document's info, a
/// converter writing a file) may print.
pub(crate) const REPORT_CAP: u64 = 4 << 20;

/// Runs `cmd` and hands its standard output to `each` in records of
/// `record` bytes as they arrive (a trailing partial record is dropped), so
/// a long output is never held whole. Same limits and errors as [`run`];
/// the tool's exit status is returned for the caller to judge.
pub(crate) async fn stream(
    cmd: Command,
    program: &Path,
    cfg: &DecodeConfig,
    record: usize,
    mut each: impl FnMut(&[u8]),
) -> Result<std::process::ExitStatus, DecodeError> {
    let budget = Budget::of(cfg);
    // Its messages are not read, so nowhere: a chatty tool cannot block.
    let mut child = spawn(cmd, program, budget, Stdio::null())?;
    let mut killer = GroupKiller::of(&child);
    let mut out = child.stdout.take().expect("stdout is piped");
    let result = tokio::time::timeout(budget.timeout, async {
        let mut buf = vec![0u8; record];
        loop {
            match out.read_exact(&mut buf).await {
                Ok(_) => each(&buf),
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(e),
            }
        }
        child.wait().await
    })
    .await;
    if matches!(result, Ok(Ok(_))) {
        killer.disarm();
    }
    match result {
        Ok(Ok(status)) => Ok(status),
        Ok(Err(e)) => Err(DecodeError::Tool(format!("{}: {e}", program.display()))),
        Err(_) => Err(overran(program, budget)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", script]);
        cmd
    }

    fn config(timeout_secs: u64) -> DecodeConfig {
        DecodeConfig {
            tool_timeout_secs: timeout_secs,
            tool_memory_mib: 512,
            ..DecodeConfig::default()
        }
    }

    #[tokio::test]
    async fn the_child_runs_under_the_limits() {
        let out = run(
            sh("ulimit -v; ulimit -t"),
            Path::new("sh"),
            &config(7),
            REPORT_CAP,
        )
        .await
        .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        // KiB of address space, then CPU seconds (4 per wall second).
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["524288", "28"]
        );
    }

    #[tokio::test]
    async fn a_flood_of_output_is_cut_off() {
        let started = std::time::Instant::now();
        let err = run(sh("yes"), Path::new("yes"), &config(60), 1 << 20)
            .await
            .unwrap_err();
        assert!(matches!(err, DecodeError::TooLarge(_)), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "stopped, not waited for"
        );
    }

    #[tokio::test]
    async fn an_overrun_kills_the_whole_group() {
        let marker = format!("sleep 2999.{}", std::process::id());
        let script = format!("{marker} & {marker}");
        let err = run(sh(&script), Path::new("sh"), &config(1), REPORT_CAP)
            .await
            .unwrap_err();
        assert!(matches!(err, DecodeError::Corrupt(_)), "{err}");
        let status = std::process::Command::new("pgrep")
            .args(["-f", &marker])
            .status()
            .unwrap();
        assert!(!status.success(), "a sleep outlived its tool");
    }
}
