//! What the runtime's benchmarks share: the two tokio runtimes (the emulator on its own, as a
//! real service is its own process), command-line numbers, the typed row, medians. Each
//! example uses part of it.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use serde::Deserialize;

/// The benchmarks' result type.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs `bench` on a client runtime, handing it (the handle of) a separate runtime for the
/// emulator, which outlives the bench and is dropped outside any runtime: sharing
/// the client's workers would serialise client and server work through tokio's wake-up
/// mechanics and hide any client-side pipelining.
pub fn run_split<F, Fut>(bench: F) -> BenchResult<()>
where
    F: FnOnce(tokio::runtime::Handle) -> Fut,
    Fut: Future<Output = BenchResult<()>>,
{
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    client.block_on(bench(server.handle().clone()))
}

/// The next positional argument as a number, or `default` when absent.
pub fn arg<T>(args: &mut impl Iterator<Item = String>, default: T) -> BenchResult<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + 'static,
{
    Ok(args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(default))
}

/// The typed row a generated module would decode `AWS::CodeConnections::Connection` into.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
pub struct Connection {
    pub connection_arn: String,
    pub connection_name: Option<String>,
    pub connection_status: Option<String>,
    pub owner_account_id: Option<String>,
    pub provider_type: Option<String>,
}

/// The median of some timings.
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// The shortest of some timings.
pub fn min(xs: &[Duration]) -> Duration {
    xs.iter().copied().min().unwrap_or_default()
}

/// Milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
