//! Progress of long waits on stderr: when a wait lasts longer than a second and stderr is a
//! terminal, one line shows the request's operation, type, status, time waited and request
//! token, redrawn in place at every poll. Not on a terminal (a pipe, a file, CI logs) nothing
//! is printed: the final result and errors say what happened.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
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
    let drawer = Drawer::new(QUIET, std::io::stderr());
    client.with_progress(Arc::new(move |status: &runtime::RequestStatus| {
        if drawer.report(status) {
            DRAWN.store(true, Ordering::Relaxed);
        }
    }))
}

/// Draws the progress line of each status on `out` once `quiet` has passed.
struct Drawer<W> {
    started: Instant,
    quiet: Duration,
    out: Mutex<W>,
}

impl<W: Write> Drawer<W> {
    fn new(quiet: Duration, out: W) -> Self {
        Drawer {
            started: Instant::now(),
            quiet,
            out: Mutex::new(out),
        }
    }

    /// Redraws the line for `status`; whether it drew (nothing before `quiet` has passed, nor
    /// for a finished request, whose outcome the command prints).
    fn report(&self, status: &runtime::RequestStatus) -> bool {
        let waited = self.started.elapsed();
        if waited < self.quiet || status.is_terminal() {
            return false;
        }
        let line = line(status, waited);
        let mut out = match self.out.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Best effort: a progress line that cannot be drawn is not an error.
        let _ = write!(out, "\r\x1b[2K{line}");
        let _ = out.flush();
        true
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn status(text: &str) -> runtime::RequestStatus {
        let mut s = runtime::RequestStatus::new("tok-123", text);
        s.operation = Some(runtime::Operation::Delete);
        s.type_name = Some("AWS::Logs::LogGroup".to_owned());
        s
    }

    fn drawn(drawer: &Drawer<Vec<u8>>) -> String {
        String::from_utf8(drawer.out.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn a_long_wait_shows_status_and_request_token_in_place() {
        let drawer = Drawer::new(Duration::ZERO, Vec::new());
        assert!(drawer.report(&status("IN_PROGRESS")));
        assert!(drawer.report(&status("PENDING")));
        let text = drawn(&drawer);
        assert!(
            text.starts_with(
                "\r\x1b[2KDELETE AWS::Logs::LogGroup IN_PROGRESS (0s, request token tok-123)"
            ),
            "{text:?}"
        );
        // Redrawn in place: each line starts by clearing the previous one.
        assert_eq!(text.matches("\r\x1b[2K").count(), 2);
        assert!(
            text.ends_with("PENDING (0s, request token tok-123)"),
            "{text:?}"
        );
        // The outcome is the command's to print, not the progress line's.
        assert!(!drawer.report(&status("SUCCESS")));
        assert!(!drawer.report(&status("FAILED")));
        assert_eq!(drawn(&drawer).matches("\r\x1b[2K").count(), 2);
    }

    #[test]
    fn a_short_wait_shows_nothing() {
        let drawer = Drawer::new(Duration::from_secs(3600), Vec::new());
        assert!(!drawer.report(&status("IN_PROGRESS")));
        assert!(drawn(&drawer).is_empty());
    }
}
