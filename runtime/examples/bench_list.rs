//! Benchmark: listing 10,000 resources through the runtime's typed `list` vs a bare SDK
//! paginator loop, against the same in-process emulator, interleaved, median of several runs.
//!
//! Run: `cargo run --release -p cloudcontrol-runtime --example bench_list [-- RUNS [COUNT [LATENCY_MS]]]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use aws_sdk_cloudcontrol as cc;
use cloudcontrol_emulator::{Config, Credentials, Emulator};
use cloudcontrol_runtime::{Client, RetrySettings};
use common::{median, min, ms, BenchResult, Connection};
use serde_json::json;

mod common;

const TYPE: &str = "AWS::CodeConnections::Connection";
const REGION: &str = "us-east-1";

fn main() -> BenchResult<()> {
    common::run_split(|server| async move { run(&server).await })
}

async fn run(server: &tokio::runtime::Handle) -> BenchResult<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = common::arg(&mut args, 7)?;
    let count: usize = common::arg(&mut args, 10_000)?;
    // Optional per-request latency added by the emulator (simulates the network to AWS).
    let latency_ms: u64 = common::arg(&mut args, 0)?;

    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs");
    let mut config = Config::new(specs);
    config.faults.latency = Duration::from_millis(latency_ms);
    let emu = server.spawn(Emulator::start(config)).await??;
    for i in 0..count {
        emu.seed_resource(
            TYPE,
            json!({"ConnectionName": format!("conn-{i}"), "ProviderType": "GitHub"}),
        )?;
    }
    let creds = Credentials::default();

    let runtime = Client::builder()
        .endpoint_url(emu.endpoint_url())
        .credentials(creds.access_key_id.clone(), creds.secret_access_key.clone())
        .retry(RetrySettings::disabled())
        .build()?;

    // The baseline: the SDK configured as cloudcontrol.md shows, used through its paginator.
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
        let rows: Vec<Connection> = cloudcontrol_runtime::all_decoded(
            cloudcontrol_runtime::list(&runtime, TYPE, REGION, None).await?,
        )?;
        assert_eq!(rows.len(), count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let bare_run = || async {
        let start = Instant::now();
        let mut pages = bare
            .list_resources()
            .type_name(TYPE)
            .into_paginator()
            .send();
        let mut rows: Vec<(String, String)> = Vec::with_capacity(count);
        while let Some(page) = pages.next().await {
            for d in page?.resource_descriptions.unwrap_or_default() {
                rows.push((
                    d.identifier.unwrap_or_default(),
                    d.properties.unwrap_or_default(),
                ));
            }
        }
        assert_eq!(rows.len(), count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };

    // Diagnostics: the runtime without typed decoding (rows skipped, not built), and the bare
    // loop on the runtime's own SDK client (its timeouts, no SDK retries).
    let skip_run = || async {
        let start = Instant::now();
        let rows: Vec<cloudcontrol_runtime::ListItem<serde::de::IgnoredAny>> =
            cloudcontrol_runtime::list(&runtime, TYPE, REGION, None).await?;
        assert_eq!(rows.len(), count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let runtime_sdk = runtime.sdk(REGION);
    let bare_on_runtime_sdk = || async {
        let start = Instant::now();
        let mut pages = runtime_sdk
            .list_resources()
            .type_name(TYPE)
            .into_paginator()
            .send();
        let mut n = 0;
        while let Some(page) = pages.next().await {
            n += page?.resource_descriptions().len();
        }
        assert_eq!(n, count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };

    // Baseline doing the same work as the runtime: bare paginator + the same typed decode.
    let bare_typed_run = || async {
        let start = Instant::now();
        let mut pages = bare
            .list_resources()
            .type_name(TYPE)
            .into_paginator()
            .send();
        let mut rows: Vec<Connection> = Vec::with_capacity(count);
        while let Some(page) = pages.next().await {
            for d in page?.resource_descriptions.unwrap_or_default() {
                rows.push(serde_json::from_str(d.properties().unwrap_or("{}"))?);
            }
        }
        assert_eq!(rows.len(), count);
        Ok::<_, Box<dyn std::error::Error>>(start.elapsed())
    };
    let mut bare_typed = Vec::new();

    // Diagnostic: the pure CPU cost of the typed decode, no I/O.
    let mut props: Vec<String> = Vec::with_capacity(count);
    let mut pages = bare
        .list_resources()
        .type_name(TYPE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        for d in page?.resource_descriptions.unwrap_or_default() {
            props.push(d.properties.unwrap_or_default());
        }
    }
    let mut decode_only = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let rows: Vec<Connection> = props
            .iter()
            .map(|p| serde_json::from_str(p))
            .collect::<Result<_, _>>()?;
        decode_only.push(start.elapsed());
        assert_eq!(rows.len(), count);
    }

    // Warm-up: connection pools, lazy spec loading, allocator.
    typed_run().await?;
    bare_run().await?;
    let mut skip = Vec::new();
    let mut bare2 = Vec::new();

    let mut typed = Vec::new();
    let mut base = Vec::new();
    for i in 0..runs {
        // Alternate the order so neither side always runs on a warmer emulator.
        if i % 2 == 0 {
            typed.push(typed_run().await?);
            base.push(bare_run().await?);
            skip.push(skip_run().await?);
            bare2.push(bare_on_runtime_sdk().await?);
            bare_typed.push(bare_typed_run().await?);
        } else {
            bare_typed.push(bare_typed_run().await?);
            bare2.push(bare_on_runtime_sdk().await?);
            skip.push(skip_run().await?);
            base.push(bare_run().await?);
            typed.push(typed_run().await?);
        }
    }
    let (t, b) = (median(typed.clone()), median(base.clone()));
    println!(
        "list {count} resources ({} pages), {runs} runs each, interleaved, emulator latency {latency_ms} ms/request",
        count.div_ceil(100)
    );
    println!(
        "  runtime typed list : median {:>8.1} ms   runs {:?}",
        ms(t),
        typed.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "  bare SDK paginator : median {:>8.1} ms   runs {:?}",
        ms(b),
        base.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!("  bare paginator + same typed decode   : median {:>8.1} ms  min {:>6.1} ms; ratio typed/this {:.3}", ms(median(bare_typed.clone())), ms(min(&bare_typed)), t.as_secs_f64() / median(bare_typed.clone()).as_secs_f64());
    println!(
        "  (diag) typed decode alone, no I/O    : median {:>8.1} ms",
        ms(median(decode_only))
    );
    println!(
        "  (diag) runtime list, rows skipped    : median {:>8.1} ms  min {:>6.1} ms",
        ms(median(skip.clone())),
        ms(min(&skip))
    );
    println!(
        "  (diag) bare loop on runtime's client : median {:>8.1} ms  min {:>6.1} ms",
        ms(median(bare2.clone())),
        ms(min(&bare2))
    );
    println!(
        "  min typed {:.1} ms, min bare {:.1} ms, ratio of minima {:.3}",
        ms(min(&typed)),
        ms(min(&base)),
        min(&typed).as_secs_f64() / min(&base).as_secs_f64()
    );
    println!(
        "  ratio of medians typed/bare          : {:.3} (target <= 1.10)",
        t.as_secs_f64() / b.as_secs_f64()
    );
    // Each typed run sits next to its bare run, so a paired ratio cancels slow drifts in
    // machine load that the separate medians cannot.
    let mut paired: Vec<f64> = typed
        .iter()
        .zip(&base)
        .map(|(t, b)| t.as_secs_f64() / b.as_secs_f64())
        .collect();
    paired.sort_by(f64::total_cmp);
    println!(
        "  median of paired ratios typed/bare   : {:.3}",
        paired[paired.len() / 2]
    );
    server.spawn(emu.shutdown()).await?;
    Ok(())
}
