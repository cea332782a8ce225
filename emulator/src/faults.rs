//! Seeded fault injection: throttling, 5xx and latency.

use std::sync::Mutex;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Faults;

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Process normally.
    None,
    /// Answer ThrottlingException without processing.
    Throttle,
    /// Answer a 5xx without processing.
    ServerErrorBefore,
    /// Process the request, then answer a 5xx (the client never sees the result).
    ServerErrorAfter,
}

/// Draws faults from a seeded RNG so a sequential run is reproducible.
pub struct Injector {
    settings: Faults,
    rng: Mutex<ChaCha8Rng>,
}

impl Injector {
    pub fn new(settings: Faults) -> Self {
        let rng = Mutex::new(ChaCha8Rng::seed_from_u64(settings.seed));
        Injector { settings, rng }
    }

    pub fn latency(&self) -> std::time::Duration {
        self.settings.latency
    }

    /// Decides the fault for one request. `mutating` requests (Create/Update/Delete) may get
    /// their 5xx after being applied.
    pub fn draw(&self, mutating: bool) -> Fault {
        let (t, e) = (
            self.settings.throttle_rate.clamp(0.0, 1.0),
            self.settings.server_error_rate.clamp(0.0, 1.0),
        );
        if t == 0.0 && e == 0.0 {
            return Fault::None;
        }
        let mut rng = match self.rng.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let x: f64 = rng.random();
        if x < t {
            return Fault::Throttle;
        }
        let y: f64 = rng.random();
        if y < e {
            if mutating && rng.random::<bool>() {
                Fault::ServerErrorAfter
            } else {
                Fault::ServerErrorBefore
            }
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_respected_and_reproducible() {
        let f = Faults {
            throttle_rate: 0.3,
            server_error_rate: 0.0,
            seed: 42,
            ..Faults::default()
        };
        let a: Vec<Fault> = {
            let i = Injector::new(f.clone());
            (0..1000).map(|_| i.draw(false)).collect()
        };
        let b: Vec<Fault> = {
            let i = Injector::new(f);
            (0..1000).map(|_| i.draw(false)).collect()
        };
        assert_eq!(a, b);
        let n = a.iter().filter(|x| **x == Fault::Throttle).count();
        assert!((250..350).contains(&n), "{n} throttles out of 1000");
        let none = Injector::new(Faults::default());
        assert!((0..100).all(|_| none.draw(true) == Fault::None));
    }
}
