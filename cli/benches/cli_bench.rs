//! Benchmarks of the generated typed functions against the emulator (release build):
//!
//! ```text
//! cargo bench -p cloudcontrol-cli --bench cli_bench -- --resources 10000 --runs 5
//! ```
//!
//! 1. Listing `--resources` connections through the generated `connections::list` (typed rows:
//!    each item's Properties decoded into the model, then the docs row) vs a bare SDK paginator
//!    loop on the same emulator (items collected, not decoded). Runs alternate; medians and their
//!    ratio are printed (target: at most 1.10).
//! 2. Create-and-wait of `--creates` connections through `connections::create` with
//!    `--concurrency` in flight (emulator answers IN_PROGRESS once, then SUCCESS), with the
//!    runtime's default polling (1 s first delay) and with fast polling (5 ms).
//!
//! The emulator runs in-process on its own tokio runtime (2 worker threads); client and server
//! share the machine's cores.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use aws_cloudcontrol_resources::codeconnections::{self, connections};
use aws_cloudcontrol_resources::runtime::{Client, PollConfig, RetrySettings};
use cloudcontrol_emulator::{Config, Credentials, Emulator};
use futures::StreamExt;

const REGION: &str = "us-east-1";

struct Args {
    resources: usize,
    runs: usize,
    creates: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut out = Args {
        resources: 10_000,
        runs: 5,
        creates: 200,
        concurrency: 16,
    };
    let argv: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < argv.len() {
        let value = argv.get(i + 1).and_then(|v| v.parse().ok());
        match (argv[i].as_str(), value) {
            ("--resources", Some(v)) => out.resources = v,
            ("--runs", Some(v)) => out.runs = v,
            ("--creates", Some(v)) => out.creates = v,
            ("--concurrency", Some(v)) => out.concurrency = v,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    out
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn client(endpoint: &str, poll: PollConfig) -> Client {
    let creds = Credentials::default();
    Client::builder()
        .endpoint_url(endpoint)
        .region(REGION)
        .credentials(creds.access_key_id, creds.secret_access_key)
        .retry(RetrySettings::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(50),
        ))
        .poll(poll)
        .build()
        .expect("client builds")
}

fn start_emulator(server: &tokio::runtime::Runtime, polls: u32) -> Emulator {
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let mut config = Config::new(specs);
    config.polls_until_complete = polls;
    server
        .block_on(Emulator::start(config))
        .expect("emulator starts")
}

fn main() {
    let args = args();
    // Criterion-style flags cargo passes (`--bench`) are ignored above.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");

    // 1. Listing.
    let emu = start_emulator(&server, 1);
    for i in 0..args.resources {
        emu.seed_resource(
            connections::TYPE_NAME,
            serde_json::json!({"ConnectionName": format!("c{i:05}"), "ProviderType": "GitHub"}),
        )
        .expect("seeded");
    }
    let endpoint = emu.endpoint_url();
    let typed_client = client(&endpoint, PollConfig::default());
    let sdk = typed_client.sdk(REGION);
    let (mut typed, mut bare) = (Vec::new(), Vec::new());
    client_rt.block_on(async {
        // Warm-up: connections, spec loading.
        let _ = connections::list(&typed_client, REGION)
            .await
            .expect("list");
        for _ in 0..args.runs {
            let t = Instant::now();
            let rows = connections::list(&typed_client, REGION)
                .await
                .expect("typed list");
            typed.push(t.elapsed().as_secs_f64());
            assert_eq!(rows.len(), args.resources);

            let t = Instant::now();
            let mut items = Vec::new();
            let mut pages = sdk
                .list_resources()
                .type_name(connections::TYPE_NAME)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                items.extend(
                    page.expect("page")
                        .resource_descriptions
                        .unwrap_or_default(),
                );
            }
            bare.push(t.elapsed().as_secs_f64());
            assert_eq!(items.len(), args.resources);
        }
    });
    let (typed_m, bare_m) = (median(typed.clone()), median(bare.clone()));
    println!(
        "list {} resources: typed connections::list median {:.1} ms, bare SDK paginator median {:.1} ms, ratio {:.3}",
        args.resources,
        typed_m * 1e3,
        bare_m * 1e3,
        typed_m / bare_m
    );
    println!(
        "  typed runs (ms): {:?}",
        typed
            .iter()
            .map(|s| (s * 1e4).round() / 10.0)
            .collect::<Vec<_>>()
    );
    println!(
        "  bare runs (ms):  {:?}",
        bare.iter()
            .map(|s| (s * 1e4).round() / 10.0)
            .collect::<Vec<_>>()
    );
    drop(emu);

    // 2. Create-and-wait.
    let fast = PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(50),
        Duration::from_millis(1),
        Duration::from_millis(100),
        Duration::from_secs(60),
    );
    for (label, poll) in [
        ("default polling", PollConfig::default()),
        ("fast polling (5 ms)", fast),
    ] {
        let emu = start_emulator(&server, 1);
        let client = client(&emu.endpoint_url(), poll);
        let started = Instant::now();
        let created = client_rt.block_on(async {
            futures::stream::iter(0..args.creates)
                .map(|i| {
                    let client = client.clone();
                    async move {
                        let input = codeconnections::CreateConnection::new(
                            codeconnections::CreateConnectionRequired {
                                connection_name: format!("n{i:04}"),
                            },
                        )
                        .with_provider_type(codeconnections::ConnectionProviderType::GitHub);
                        connections::create(&client, REGION, &input).await
                    }
                })
                .buffer_unordered(args.concurrency)
                .filter(|r| futures::future::ready(r.is_ok()))
                .count()
                .await
        });
        let elapsed = started.elapsed().as_secs_f64();
        assert_eq!(created, args.creates, "every create succeeded");
        assert_eq!(emu.stats().creates_performed as usize, args.creates);
        println!(
            "create-and-wait {} with {} in flight, {label}: {:.2} s, {:.1} creates/s",
            args.creates,
            args.concurrency,
            elapsed,
            args.creates as f64 / elapsed
        );
        drop(emu);
    }
}
