//! Retry and polling policies, and the pure delay computations behind them.
//!
//! Kept free of I/O so the bounds can be pinned by unit tests.

use std::time::{Duration, SystemTime};

/// How failed calls are retried.
///
/// The runtime retries in its own loop (the SDK's retry layer is disabled) so that: a create's
/// `ClientToken` is provably the same on every attempt, the attempt count reported in
/// [`crate::Error::Throttled`] is exact, and the SDK's shared retry-quota bucket cannot silently
/// turn off retries under sustained throttling. Throttling codes, HTTP 500/502/503/504, timeouts
/// and connection errors are retried; everything else fails at once.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetrySettings {
    /// Attempts per call, including the first (1 disables retries).
    pub max_attempts: u32,
    /// Backoff ceiling before the second attempt; doubles per attempt.
    pub initial_backoff: Duration,
    /// Upper bound of any single backoff.
    pub max_backoff: Duration,
}

impl Default for RetrySettings {
    /// 5 attempts, 100 ms initial backoff, 5 s maximum.
    fn default() -> Self {
        RetrySettings {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetrySettings {
    /// Settings with the given attempt count and backoff bounds.
    pub fn new(max_attempts: u32, initial_backoff: Duration, max_backoff: Duration) -> Self {
        RetrySettings {
            max_attempts: max_attempts.max(1),
            initial_backoff,
            max_backoff,
        }
    }

    /// No retries: one attempt per call.
    pub fn disabled() -> Self {
        RetrySettings::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// Delay before attempt `attempt + 1`, where `attempt` (1-based) is the attempt that just
    /// failed. "Equal jitter": half the exponential ceiling plus a random share of the other half,
    /// so concurrent callers spread out but never retry immediately. `unit` is a random number in
    /// `[0, 1)`.
    pub fn delay(&self, attempt: u32, unit: f64) -> Duration {
        let ceiling = exponential(
            self.initial_backoff,
            attempt.saturating_sub(1),
            self.max_backoff,
        );
        let half = ceiling / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// How the runtime waits for an asynchronous request (create) to finish.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PollConfig {
    /// Delay before the first status poll when the service gives no `RetryAfter`.
    pub initial_delay: Duration,
    /// Cap of the exponential backoff between polls.
    pub max_delay: Duration,
    /// A `RetryAfter` closer than this is pushed back to it (avoids hot polling).
    pub min_retry_after: Duration,
    /// A `RetryAfter` further than this is pulled in to it (a bad clock cannot stall the wait).
    pub max_retry_after: Duration,
    /// Overall time budget of one create-and-wait (or one `wait_for_request`) call.
    pub deadline: Duration,
}

impl Default for PollConfig {
    /// 1 s initial delay doubling up to 20 s, `RetryAfter` clamped to 1 s–60 s, 30 min deadline.
    fn default() -> Self {
        PollConfig {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            min_retry_after: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
            deadline: Duration::from_secs(30 * 60),
        }
    }
}

impl PollConfig {
    /// A config with every field given explicitly.
    pub fn new(
        initial_delay: Duration,
        max_delay: Duration,
        min_retry_after: Duration,
        max_retry_after: Duration,
        deadline: Duration,
    ) -> Self {
        PollConfig {
            initial_delay,
            max_delay,
            min_retry_after,
            max_retry_after,
            deadline,
        }
    }

    /// Returns the config with another overall deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Delay before poll number `poll + 1` (`poll` counts polls already made, from 0).
    ///
    /// When the last event carried `RetryAfter` (an absolute time), wait until then, clamped to
    /// `[min_retry_after, max_retry_after]`; otherwise back off exponentially from
    /// `initial_delay`, capped at `max_delay`.
    pub fn delay(&self, poll: u32, retry_after: Option<SystemTime>, now: SystemTime) -> Duration {
        match retry_after {
            Some(at) => {
                let wanted = at.duration_since(now).unwrap_or(Duration::ZERO);
                // `clamp` panics when min > max; a misconfigured pair must not, so order them.
                let (lo, hi) = ordered(self.min_retry_after, self.max_retry_after);
                wanted.clamp(lo, hi)
            }
            None => exponential(self.initial_delay, poll, self.max_delay),
        }
    }
}

/// `base * 2^exp`, saturating, capped at `cap`.
fn exponential(base: Duration, exp: u32, cap: Duration) -> Duration {
    let factor = 2u32.saturating_pow(exp.min(31));
    base.saturating_mul(factor).min(cap)
}

fn ordered(a: Duration, b: Duration) -> (Duration, Duration) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// A random number in `[0, 1)` for jitter, drawn from the OS generator behind `uuid`
/// (avoids pulling in a separate RNG crate).
pub(crate) fn unit_random() -> f64 {
    let bits = uuid::Uuid::new_v4().as_u128() as u64;
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn poll() -> PollConfig {
        PollConfig::new(MS(100), MS(1000), MS(50), MS(2000), Duration::from_secs(10))
    }

    #[test]
    fn poll_backoff_doubles_then_caps() {
        let p = poll();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let delays: Vec<_> = (0..6).map(|i| p.delay(i, None, now)).collect();
        assert_eq!(
            delays,
            vec![MS(100), MS(200), MS(400), MS(800), MS(1000), MS(1000)]
        );
        assert_eq!(p.delay(u32::MAX, None, now), MS(1000));
    }

    #[test]
    fn retry_after_is_honoured_within_bounds() {
        let p = poll();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        // Inside the bounds: exactly the requested wait, whatever the backoff step.
        assert_eq!(p.delay(5, Some(now + MS(700)), now), MS(700));
        // Too soon or in the past: pushed back to the minimum.
        assert_eq!(p.delay(0, Some(now + MS(10)), now), MS(50));
        assert_eq!(p.delay(0, Some(now - MS(5000)), now), MS(50));
        // Too far: pulled in to the maximum.
        assert_eq!(
            p.delay(0, Some(now + Duration::from_secs(3600)), now),
            MS(2000)
        );
    }

    #[test]
    fn inverted_retry_after_bounds_do_not_panic() {
        let p = PollConfig::new(MS(1), MS(1), MS(500), MS(100), MS(1));
        let now = SystemTime::UNIX_EPOCH;
        assert_eq!(p.delay(0, Some(now + MS(1)), now), MS(100));
        assert_eq!(p.delay(0, Some(now + MS(300)), now), MS(300));
        assert_eq!(p.delay(0, Some(now + MS(900)), now), MS(500));
    }

    #[test]
    fn retry_backoff_has_equal_jitter_and_cap() {
        let r = RetrySettings::new(5, MS(100), MS(1000));
        assert_eq!(r.delay(1, 0.0), MS(50));
        assert_eq!(r.delay(1, 0.999_999), MS(100) - Duration::from_nanos(50));
        assert_eq!(r.delay(2, 0.0), MS(100));
        assert_eq!(r.delay(3, 0.5), MS(300));
        assert_eq!(r.delay(10, 1.0), MS(1000));
        // Out-of-range random input is clamped rather than trusted.
        assert_eq!(r.delay(1, 7.0), MS(100));
        assert_eq!(RetrySettings::disabled().max_attempts, 1);
        assert_eq!(RetrySettings::new(0, MS(1), MS(1)).max_attempts, 1);
    }

    #[test]
    fn unit_random_is_in_range_and_varies() {
        let xs: Vec<f64> = (0..64).map(|_| unit_random()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(xs.windows(2).any(|w| w[0] != w[1]));
    }
}
