//! Limits that keep one client from taking the emulator down: request sizes, the work one
//! request may do, how long request records are kept, and connection timeouts.

use std::cell::Cell;
use std::time::Duration;

/// Resource limits of a running emulator. [`Limits::default`] gives the values the README
/// lists; tests can lower them through [`crate::Config::limits`].
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest request body, in bytes. A larger `Content-Length` is refused (HTTP 413) before
    /// the body is read, signed or not; a chunked body is cut off at this size.
    pub max_body_bytes: usize,
    /// Largest resource document, in bytes of compact JSON: the DesiredState limit (262,144
    /// characters). An UpdateResource patch is checked against it after every operation.
    pub max_document_bytes: usize,
    /// Work units one request may spend on JSON Patch and schema validation: one unit per
    /// schema node visited and per array item hashed for `uniqueItems`, and one per 16 bytes of
    /// document measured after each patch operation. Running out is a `ValidationException`.
    pub work_budget: u64,
    /// Request records (and their ClientToken records) kept; the oldest go first.
    pub max_request_records: usize,
    /// Bytes of resource models and undo copies that request records may hold; the oldest
    /// records go first when a new one would exceed it.
    pub max_request_record_bytes: usize,
    /// Age after which a request record (and its ClientToken record) is dropped.
    pub request_record_ttl: Duration,
    /// Time a connection may take to send a complete request head, counted from the
    /// connection opening or the end of the previous response: it is also how long an idle
    /// keep-alive connection stays open.
    pub header_read_timeout: Duration,
    /// Time a request may take to send its body once the head has arrived.
    pub body_read_timeout: Duration,
    /// Connections served at once; further connections wait in the listen backlog.
    pub max_connections: usize,
    /// Minimum interval between two log lines about failed accepts (the others are counted
    /// and reported with the next line).
    pub accept_error_log_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
            max_document_bytes: 262_144,
            work_budget: 10_000_000,
            max_request_records: 10_000,
            max_request_record_bytes: 64 << 20,
            request_record_ttl: Duration::from_secs(24 * 3600),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            max_connections: 512,
            accept_error_log_interval: Duration::from_secs(5),
        }
    }
}

/// The work units left to one request (single-threaded: one budget per request).
#[derive(Debug)]
pub struct Budget {
    left: Cell<u64>,
    over: Cell<bool>,
    limit: u64,
}

impl Budget {
    /// A budget of `limit` units.
    pub fn new(limit: u64) -> Self {
        Budget {
            left: Cell::new(limit),
            over: Cell::new(false),
            limit,
        }
    }

    /// Spends `units`; false once the budget is used up (and from then on).
    pub fn spend(&self, units: u64) -> bool {
        let left = self.left.get();
        if self.over.get() || left < units {
            self.left.set(0);
            self.over.set(true);
            return false;
        }
        self.left.set(left - units);
        true
    }

    /// Whether the budget has run out.
    pub fn exhausted(&self) -> bool {
        self.over.get()
    }

    /// The budget's size.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

/// Serialized length of `v` as compact JSON, or `None` once it exceeds `cap` (the measuring
/// stops there, so the cost is at most `cap` bytes of output).
pub fn json_len_capped(v: &serde_json::Value, cap: usize) -> Option<usize> {
    struct Counter {
        n: usize,
        cap: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.n += buf.len();
            if self.n > self.cap {
                return Err(std::io::Error::other("over the cap"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Counter { n: 0, cap };
    serde_json::to_writer(&mut c, v).ok()?;
    Some(c.n)
}

/// Logs accept failures at most once per interval, counting the ones it keeps quiet about.
#[derive(Debug)]
pub struct RateLimitedLog {
    interval: Duration,
    last: Option<std::time::Instant>,
    suppressed: u64,
}

impl RateLimitedLog {
    /// A log allowing one line per `interval`.
    pub fn new(interval: Duration) -> Self {
        RateLimitedLog {
            interval,
            last: None,
            suppressed: 0,
        }
    }

    /// Whether a line may be written at `now`; if so, returns how many were suppressed since
    /// the previous line.
    pub fn allow(&mut self, now: std::time::Instant) -> Option<u64> {
        match self.last {
            Some(t) if now.duration_since(t) < self.interval => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn accept_errors_are_logged_at_most_once_per_interval() {
        let mut log = RateLimitedLog::new(Duration::from_secs(5));
        let t0 = Instant::now();
        assert_eq!(log.allow(t0), Some(0));
        // A failing accept loop retries every 10 ms: 499 attempts in the next 4.99 s.
        for i in 1..500u64 {
            assert_eq!(log.allow(t0 + Duration::from_millis(10 * i)), None);
        }
        assert_eq!(log.allow(t0 + Duration::from_secs(5)), Some(499));
        assert_eq!(log.allow(t0 + Duration::from_secs(6)), None);
    }

    #[test]
    fn budget_runs_out_and_stays_out() {
        let b = Budget::new(10);
        assert!(b.spend(4));
        assert!(b.spend(6));
        assert!(!b.exhausted());
        assert!(!b.spend(1));
        assert!(b.exhausted());
        assert!(!b.spend(0));
    }

    #[test]
    fn json_length_is_measured_up_to_the_cap() {
        let v = serde_json::json!({"a": [1, 2, "xyz"]});
        assert_eq!(json_len_capped(&v, 100), Some(v.to_string().len()));
        assert_eq!(json_len_capped(&v, 5), None);
    }
}
