//! Benchmark: create-and-wait for 200 resources with 16 in flight against the in-process
//! emulator (one IN_PROGRESS poll per create, as configured), reporting throughput.
//!
//! Run: `cargo run --release -p cloudcontrol-runtime --example bench_create [-- RUNS [COUNT [IN_FLIGHT]]]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cloudcontrol_emulator::{Config, Credentials, Emulator};
use cloudcontrol_runtime::{Client, PollConfig, RetrySettings};
use common::{BenchResult, Connection};
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;

mod common;

const TYPE: &str = "AWS::CodeConnections::Connection";
const REGION: &str = "us-east-1";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    connection_name: String,
    provider_type: &'static str,
}

fn main() -> BenchResult<()> {
    common::run_split(|server| async move { run(&server).await })
}

async fn run(server: &tokio::runtime::Handle) -> BenchResult<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = common::arg(&mut args, 5)?;
    let count: usize = common::arg(&mut args, 200)?;
    let in_flight: usize = common::arg(&mut args, 16)?;
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let creds = Credentials::default();
    // Polling as a user would tune it for a fast backend: first poll after 5 ms.
    let poll = PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(100),
        Duration::from_millis(5),
        Duration::from_secs(1),
        Duration::from_secs(60),
    );
    let mut results = Vec::new();
    for run in 0..runs {
        let emu = server
            .spawn(Emulator::start(Config::new(specs.clone())))
            .await??;
        let client = Client::builder()
            .endpoint_url(emu.endpoint_url())
            .credentials(creds.access_key_id.clone(), creds.secret_access_key.clone())
            .retry(RetrySettings::default())
            .poll(poll.clone())
            .build()?;
        let start = Instant::now();
        let ids: Vec<String> = futures::stream::iter(0..count)
            .map(|i| {
                let client = client.clone();
                async move {
                    let input = Input {
                        connection_name: format!("r{run}-{i}"),
                        provider_type: "GitHub",
                    };
                    cloudcontrol_runtime::create::<_, Connection>(&client, TYPE, REGION, &input)
                        .await
                        .map(|c| c.identifier)
                }
            })
            .buffer_unordered(in_flight)
            .try_collect()
            .await?;
        let elapsed = start.elapsed();
        assert_eq!(ids.len(), count);
        let stats = emu.stats();
        assert_eq!(stats.creates_performed as usize, count);
        results.push(elapsed);
        println!(
            "run {run}: {count} creates in {:.1} ms = {:.0} creates/s ({} HTTP requests)",
            elapsed.as_secs_f64() * 1000.0,
            count as f64 / elapsed.as_secs_f64(),
            stats.requests
        );
        server.spawn(emu.shutdown()).await?;
    }
    results.sort();
    let med = results[results.len() / 2];
    println!(
        "create-and-wait {count} resources, {in_flight} in flight: median {:.1} ms = {:.0} creates/s",
        med.as_secs_f64() * 1000.0,
        count as f64 / med.as_secs_f64()
    );
    Ok(())
}
