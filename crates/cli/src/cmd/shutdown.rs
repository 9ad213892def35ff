//! Waiting for the operator's stop: SIGINT or SIGTERM.

/// Returns once SIGINT or SIGTERM arrives.
pub async fn signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    eprintln!("bonafide: shutting down");
}
