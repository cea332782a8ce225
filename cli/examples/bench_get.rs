//! Benchmark: reading one resource through the typed generated `logs::log_group::get` (decoded
//! into `logs::LogGroup`) vs a bare aws-sdk-cloudcontrol `GetResource` (properties string kept,
//! not decoded), against the same in-process emulator, interleaved, median of several runs.
//!
//! Run: `cargo run --release -p cloudcontrol-cli --example bench_get [-- RUNS [GETS]]`
//!
//! Each run reads `GETS` resources one after the other (sequential, as a program reading one
//! resource at a time does); a run's figure is its mean time per get.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use aws_cloudcontrol_resources::logs::{self, log_group};
use aws_cloudcontrol_resources::runtime::{Client, RetrySettings};
use aws_sdk_cloudcontrol as cc;
use cloudcontrol_emulator::{Config, Credentials, Emulator};
use serde_json::json;

const REGION: &str = "us-east-1";
/// Distinct resources read in turn (so no run reads one hot entry only).
const RESOURCES: usize = 100;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator gets its own runtime, as a real service would be its own process.
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    client.block_on(run(&server))
}

async fn run(server: &tokio::runtime::Runtime) -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(9);
    let gets: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2_000);

    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let emu = server.spawn(Emulator::start(Config::new(specs))).await??;
    let mut ids = Vec::with_capacity(RESOURCES);
    for i in 0..RESOURCES {
        ids.push(emu.seed_resource(
            log_group::TYPE_NAME,
            json!({
                "LogGroupName": format!("/app/service-{i:03}"),
                "RetentionInDays": 30,
                "LogGroupClass": "STANDARD",
                "Tags": [{"Key": "team", "Value": "platform"}, {"Key": "env", "Value": "prod"}]
            }),
        )?);
    }
    let creds = Credentials::default();

    // The runtime client as a program builds it (its own retry loop; no retries needed here).
    let runtime = Client::builder()
        .endpoint_url(emu.endpoint_url())
        .credentials(creds.access_key_id.clone(), creds.secret_access_key.clone())
        .retry(RetrySettings::disabled())
        .build()?;

    // The baseline: the SDK configured as cloudcontrol.md shows, one GetResource per read.
    let bare = cc::Client::from_conf(
        cc::Config::builder()
            .behavior_version(cc::config::BehaviorVersion::latest())
            .region(cc::config::Region::new(REGION))
            .endpoint_url(emu.endpoint_url())
            .credentials_provider(cc::config::Credentials::new(
                creds.access_key_id.clone(),
                creds.secret_access_key.clone(),
                None,
                None,
                "bench",
            ))
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .retry_config(aws_smithy_types::retry::RetryConfig::disabled())
            .build(),
    );

    let typed_run = || async {
        let start = Instant::now();
        for i in 0..gets {
            let model: logs::LogGroup =
                log_group::get(&runtime, REGION, &ids[i % RESOURCES]).await?;
            assert_eq!(model.retention_in_days, Some(30));
        }
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let bare_run = || async {
        let start = Instant::now();
        for i in 0..gets {
            let out = bare
                .get_resource()
                .type_name(log_group::TYPE_NAME)
                .identifier(&ids[i % RESOURCES])
                .send()
                .await?;
            let props = out
                .resource_description
                .and_then(|d| d.properties)
                .unwrap_or_default();
            assert!(!props.is_empty());
        }
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };

    // Diagnostics: the same bare loop on the runtime's own SDK client (its HTTP client and
    // timeouts), and the typed decode alone (no I/O).
    let runtime_sdk = runtime.sdk(REGION);
    let bare_on_runtime_sdk = || async {
        let start = Instant::now();
        for i in 0..gets {
            let out = runtime_sdk
                .get_resource()
                .type_name(log_group::TYPE_NAME)
                .identifier(&ids[i % RESOURCES])
                .send()
                .await?;
            assert!(out.resource_description.is_some());
        }
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let props = bare
        .get_resource()
        .type_name(log_group::TYPE_NAME)
        .identifier(&ids[0])
        .send()
        .await?
        .resource_description
        .and_then(|d| d.properties)
        .unwrap_or_default();
    let decode_run = || -> Result<Duration, Box<dyn std::error::Error>> {
        let start = Instant::now();
        for _ in 0..gets {
            let model: logs::LogGroup = aws_cloudcontrol_resources::runtime::decode_model(
                log_group::TYPE_NAME,
                Some(&ids[0]),
                &props,
            )?;
            assert_eq!(model.retention_in_days, Some(30));
        }
        Ok(start.elapsed())
    };

    // Warm-up: connection pools, lazy spec loading, allocator.
    typed_run().await?;
    bare_run().await?;
    bare_on_runtime_sdk().await?;
    let (mut bare2, mut decode) = (Vec::new(), Vec::new());

    let (mut typed, mut base) = (Vec::new(), Vec::new());
    for i in 0..runs {
        // Alternate the order so neither side always runs on a warmer emulator.
        if i % 2 == 0 {
            typed.push(typed_run().await?);
            base.push(bare_run().await?);
            bare2.push(bare_on_runtime_sdk().await?);
        } else {
            bare2.push(bare_on_runtime_sdk().await?);
            base.push(bare_run().await?);
            typed.push(typed_run().await?);
        }
        decode.push(decode_run()?);
    }
    let per_get = |d: Duration| d.as_secs_f64() * 1e6 / gets as f64;
    let (t, b) = (median(typed.clone()), median(base.clone()));
    println!("get one of {RESOURCES} log groups, {gets} sequential gets per run, {runs} runs each, interleaved");
    println!(
        "  generated log_group::get (typed) : median {:>7.1} µs/get   runs {:?}",
        per_get(t),
        typed
            .iter()
            .map(|d| per_get(*d).round())
            .collect::<Vec<_>>()
    );
    println!(
        "  bare SDK GetResource             : median {:>7.1} µs/get   runs {:?}",
        per_get(b),
        base.iter().map(|d| per_get(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "  (diag) bare loop, runtime's SDK  : median {:>7.1} µs/get",
        per_get(median(bare2))
    );
    println!(
        "  (diag) typed decode alone        : median {:>7.1} µs/get",
        per_get(median(decode))
    );
    println!(
        "  ratio of medians typed/bare      : {:.3} (target <= 1.10)",
        t.as_secs_f64() / b.as_secs_f64()
    );
    // Each typed run sits next to its bare run: a paired ratio cancels slow drifts in load.
    let mut paired: Vec<f64> = typed
        .iter()
        .zip(&base)
        .map(|(t, b)| t.as_secs_f64() / b.as_secs_f64())
        .collect();
    paired.sort_by(f64::total_cmp);
    println!(
        "  median of paired ratios          : {:.3}",
        paired[paired.len() / 2]
    );
    server.spawn(emu.shutdown()).await?;
    Ok(())
}
