//! Emulator throughput under a bare `aws-sdk-cloudcontrol` load.
//!
//! ```text
//! cargo run --release -p cloudcontrol-emulator --example bench -- --resources 10000 --concurrency 16 --seconds 5 --runs 3
//! ```
//!
//! Starts the emulator in-process on the test fixtures (or `--specs DIR`), seeds `--resources`
//! connections, then measures with one SDK client (retries off):
//! - GetResource requests/s with `--concurrency` tasks,
//! - ListResources requests/s (pages of 100) with `--concurrency` tasks,
//! - time to list every resource with the SDK paginator (one task),
//! - create-and-wait throughput (CreateResource + GetResourceRequestStatus polls) with
//!   `--concurrency` creates in flight.
//!
//! Each figure is the median of `--runs` runs. Client and server share the machine's cores, so
//! the figures are a lower bound for the server alone; with `--endpoint` the server runs as a
//! separate process whose CPU time can be measured on its own.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cloudcontrol as cc;
use cc::config::retry::RetryConfig;
use cc::config::{BehaviorVersion, Credentials, Region};
use cc::types::OperationStatus;
use clap::Parser;
use cloudcontrol_emulator::{Config, Emulator};
use serde_json::json;

const TYPE: &str = "AWS::CodeConnections::Connection";

#[derive(Parser, Debug)]
struct Args {
    /// Provider specs (default: the emulator's test fixtures).
    #[arg(long)]
    specs: Option<PathBuf>,
    /// Resources seeded before measuring.
    #[arg(long, default_value_t = 10_000)]
    resources: usize,
    /// Concurrent client tasks.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds per measured phase.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Runs per figure (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Creates in the create-and-wait phase.
    #[arg(long, default_value_t = 200)]
    creates: usize,
    /// Load an already running emulator (e.g. the release binary started with the fixture specs
    /// and `--polls 0`) instead of an in-process one; resources are then seeded with
    /// CreateResource.
    #[arg(long)]
    endpoint: Option<String>,
}

fn client(endpoint: &str) -> cc::Client {
    let creds = cloudcontrol_emulator::Credentials::default();
    let conf = cc::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            creds.access_key_id,
            creds.secret_access_key,
            None,
            None,
            "bench",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .build();
    cc::Client::from_conf(conf)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Runs `op` in `concurrency` tasks for `seconds`; returns completed calls per second.
async fn rate<F, Fut>(concurrency: usize, seconds: f64, op: F) -> f64
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency {
        let (op, done) = (op.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = t as u64;
            while Instant::now() < deadline {
                op(i).await;
                done.fetch_add(1, Ordering::Relaxed);
                i += concurrency as u64;
            }
        }));
    }
    for t in tasks {
        t.await.expect("bench task");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let specs = args
        .specs
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs"));
    let emu = match &args.endpoint {
        Some(_) => None,
        None => Some(
            Emulator::start(Config::new(&specs))
                .await
                .expect("emulator starts"),
        ),
    };
    let endpoint = match (&emu, &args.endpoint) {
        (Some(e), _) => e.endpoint_url(),
        (None, Some(url)) => url.clone(),
        (None, None) => unreachable!("one of them is set"),
    };
    let c = client(&endpoint);
    let t = Instant::now();
    let mut ids = Vec::with_capacity(args.resources);
    for i in 0..args.resources {
        let state = json!({"ConnectionName": format!("bench-{i:05}"), "ProviderType": "GitHub"});
        ids.push(match &emu {
            Some(e) => e.seed_resource(TYPE, state).expect("seed"),
            None => {
                let ev = c
                    .create_resource()
                    .type_name(TYPE)
                    .desired_state(state.to_string())
                    .send()
                    .await
                    .expect("seed create")
                    .progress_event
                    .expect("event");
                ev.identifier()
                    .expect("identifier (start the emulator with --polls 0)")
                    .to_owned()
            }
        });
    }
    println!("seeded {} resources in {:?}", args.resources, t.elapsed());
    let ids = Arc::new(ids);

    let mut get = Vec::new();
    let mut list = Vec::new();
    let mut full = Vec::new();
    let mut create = Vec::new();
    for run in 0..args.runs {
        let (c2, ids2) = (c.clone(), ids.clone());
        get.push(
            rate(args.concurrency, args.seconds, move |i| {
                let (c, ids) = (c2.clone(), ids2.clone());
                async move {
                    let id = &ids[(i as usize) % ids.len()];
                    c.get_resource()
                        .type_name(TYPE)
                        .identifier(id)
                        .send()
                        .await
                        .expect("get");
                }
            })
            .await,
        );
        let c2 = c.clone();
        list.push(
            rate(args.concurrency, args.seconds, move |_| {
                let c = c2.clone();
                async move {
                    let page = c
                        .list_resources()
                        .type_name(TYPE)
                        .send()
                        .await
                        .expect("list");
                    assert_eq!(page.resource_descriptions().len(), 100);
                }
            })
            .await,
        );
        let t = Instant::now();
        let mut n = 0;
        let mut pages = c.list_resources().type_name(TYPE).into_paginator().send();
        while let Some(p) = pages.next().await {
            n += p.expect("page").resource_descriptions().len();
        }
        // Earlier runs' creates are listed too.
        assert_eq!(n, args.resources + run * args.creates);
        full.push(t.elapsed().as_secs_f64());

        let t = Instant::now();
        let next = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..args.concurrency {
            let (c, next) = (c.clone(), next.clone());
            let total = args.creates as u64;
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let state = json!({"ConnectionName": format!("r{run}-{i}")}).to_string();
                    let mut ev = c
                        .create_resource()
                        .type_name(TYPE)
                        .desired_state(state)
                        .send()
                        .await
                        .expect("create")
                        .progress_event
                        .expect("event");
                    let token = ev.request_token().expect("token").to_owned();
                    while !matches!(
                        ev.operation_status(),
                        Some(OperationStatus::Success | OperationStatus::Failed)
                    ) {
                        ev = c
                            .get_resource_request_status()
                            .request_token(&token)
                            .send()
                            .await
                            .expect("status")
                            .progress_event
                            .expect("event");
                    }
                    assert_eq!(ev.operation_status(), Some(&OperationStatus::Success));
                }
            }));
        }
        for t in tasks {
            t.await.expect("create task");
        }
        create.push(args.creates as f64 / t.elapsed().as_secs_f64());
    }
    println!(
        "concurrency {}, {} s per phase, median of {} runs:",
        args.concurrency, args.seconds, args.runs
    );
    println!(
        "  GetResource:            {:>9.0} requests/s   (runs: {:?})",
        median(get.clone()),
        get.iter().map(|x| x.round()).collect::<Vec<_>>()
    );
    println!(
        "  ListResources (100/pg): {:>9.0} requests/s   (runs: {:?})",
        median(list.clone()),
        list.iter().map(|x| x.round()).collect::<Vec<_>>()
    );
    println!(
        "  list all {} via paginator: {:.3} s",
        args.resources,
        median(full)
    );
    println!(
        "  create-and-wait ({} creates, {} in flight, 1 poll each): {:.0} resources/s",
        args.creates,
        args.concurrency,
        median(create)
    );
    if let Some(emu) = emu {
        let stats = emu.stats();
        println!(
            "  server totals: {} requests, {} creates",
            stats.requests, stats.creates_performed
        );
        emu.shutdown().await;
    }
}
