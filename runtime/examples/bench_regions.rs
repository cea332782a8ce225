//! Benchmark: `list_regions` over three regions of COUNT resources each vs `list` of one region
//! alone, against the same in-process emulator adding LATENCY_MS to every request (the network
//! to AWS), interleaved, median of several runs. The pages of one region follow each other
//! (each needs the previous page's token); the regions must overlap, so three regions should
//! take little more than one.
//!
//! Run: `cargo run --release -p cloudcontrol-runtime --example bench_regions [-- RUNS [COUNT [LATENCY_MS]]]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cloudcontrol_emulator::{Config, Credentials, Emulator};
use cloudcontrol_runtime::{Client, ListItem, RetrySettings};
use common::{median, ms, BenchResult, Connection};
use serde_json::json;

mod common;

const TYPE: &str = "AWS::CodeConnections::Connection";
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

fn main() -> BenchResult<()> {
    common::run_split(|server| async move { run(&server).await })
}

async fn run(server: &tokio::runtime::Handle) -> BenchResult<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = common::arg(&mut args, 5)?;
    let count: usize = common::arg(&mut args, 10_000)?;
    let latency_ms: u64 = common::arg(&mut args, 20)?;

    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut config = Config::new(specs);
    config.faults.latency = Duration::from_millis(latency_ms);
    let emu = server.spawn(Emulator::start(config)).await??;
    for region in REGIONS {
        for i in 0..count {
            emu.seed_resource_in(
                region,
                TYPE,
                json!({"ConnectionName": format!("{region}-{i}"), "ProviderType": "GitHub"}),
            )?;
        }
    }
    let creds = Credentials::default();
    let client = Client::builder()
        .endpoint_url(emu.endpoint_url())
        .credentials(creds.access_key_id.clone(), creds.secret_access_key.clone())
        .retry(RetrySettings::disabled())
        .build()?;

    let one_run = || async {
        let start = Instant::now();
        let rows: Vec<ListItem<Connection>> =
            cloudcontrol_runtime::list(&client, TYPE, REGIONS[0], None).await?;
        assert_eq!(rows.len(), count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let three_run = || async {
        let start = Instant::now();
        let all =
            cloudcontrol_runtime::list_regions::<Connection, _>(&client, TYPE, &REGIONS, None, 0)
                .await;
        if let Some((region, e)) = all.failures.first() {
            return Err(format!("{region}: {e}").into());
        }
        assert_eq!(all.rows.len(), 3 * count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };

    // Warm-up: connection pools, lazy spec loading, one SDK client per region.
    three_run().await?;
    one_run().await?;

    let (mut one, mut three) = (Vec::new(), Vec::new());
    for i in 0..runs {
        // Alternate the order so neither side always runs on a warmer emulator.
        if i % 2 == 0 {
            one.push(one_run().await?);
            three.push(three_run().await?);
        } else {
            three.push(three_run().await?);
            one.push(one_run().await?);
        }
    }
    let (o, t) = (median(one.clone()), median(three.clone()));
    println!(
        "{count} resources per region ({} pages each), emulator latency {latency_ms} ms/request, {runs} runs each, interleaved",
        count.div_ceil(100)
    );
    println!(
        "  list, one region alone          : median {:>8.1} ms   runs {:?}",
        ms(o),
        one.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "  list_regions, three regions     : median {:>8.1} ms   runs {:?}",
        ms(t),
        three.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "  ratio of medians three/one      : {:.3} (target <= 1.3)",
        t.as_secs_f64() / o.as_secs_f64()
    );
    server.spawn(emu.shutdown()).await?;
    Ok(())
}
