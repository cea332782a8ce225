//! Progress of long waits on stderr: when a wait lasts longer than a second and stderr is a
//! terminal, one line shows the request's status, operation and token (redrawn in place).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudcontrol_runtime as runtime;

/// Whether a progress line is on screen (to end it with a newline).
static DRAWN: AtomicBool = AtomicBool::new(false);

/// Waits shorter than this show nothing.
const QUIET: Duration = Duration::from_secs(1);

/// The client, reporting progress when stderr is a terminal.
pub fn attach(client: runtime::Client) -> runtime::Client {
    if !std::io::stderr().is_terminal() {
        return client;
    }
    let started = Instant::now();
    client.with_progress(Arc::new(move |status: &runtime::RequestStatus| {
        let waited = started.elapsed();
        if waited < QUIET || status.is_terminal() {
            return;
        }
        let line = line(status, waited);
        let mut err = std::io::stderr().lock();
        // Best effort: a progress line that cannot be drawn is not an error.
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        DRAWN.store(true, Ordering::Relaxed);
    }))
}

/// The progress line of a status.
fn line(status: &runtime::RequestStatus, waited: Duration) -> String {
    format!(
        "{} {} {} ({}s, request token {})",
        status.operation.map(|o| o.as_str()).unwrap_or("REQUEST"),
        status.type_name.as_deref().unwrap_or(""),
        status.status,
        waited.as_secs(),
        status.request_token
    )
}

/// Ends a drawn progress line.
pub fn finish() {
    if DRAWN.swap(false, Ordering::Relaxed) {
        eprintln!();
    }
}
