//! `cloudcontrol-emulator`: run the local Cloud Control API emulator.
//!
//! Prints the endpoint URL on the first line of stdout, then serves until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use cloudcontrol_emulator::{Config, Credentials, Emulator, Faults, IdentityPolicy};

/// Local AWS Cloud Control API emulator driven by StackQL provider specs.
#[derive(Parser, Debug)]
#[command(name = "cloudcontrol-emulator", version)]
struct Args {
    /// Directory holding <provider>/services/*.yaml (or a provider directory holding services/).
    #[arg(long)]
    specs: PathBuf,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Access key id requests must be signed with.
    #[arg(long, default_value = "AKIDEXAMPLE")]
    access_key: String,
    /// Secret access key requests must be signed with (default: the AWS documentation example key).
    #[arg(long, env = "CLOUDCONTROL_EMULATOR_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// GetResourceRequestStatus calls answered IN_PROGRESS before the terminal status.
    #[arg(long, default_value_t = 1)]
    polls: u32,
    /// Maximum ListResources page size.
    #[arg(long, default_value_t = 100)]
    page_size: usize,
    /// Fraction of requests answered with ThrottlingException.
    #[arg(long, default_value_t = 0.0)]
    throttle_rate: f64,
    /// Fraction of requests answered with a 5xx.
    #[arg(long, default_value_t = 0.0)]
    server_error_rate: f64,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seed for fault injection and generated identifiers.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A region in an outage: its requests are answered ServiceUnavailable (HTTP 503).
    /// Repeatable, or comma-separated.
    #[arg(long, value_delimiter = ',')]
    unavailable_region: Vec<String>,
    /// RetryAfter hint on unfinished progress events, in milliseconds.
    #[arg(long)]
    retry_after_ms: Option<u64>,
    /// Parse every spec file at start instead of on first use.
    #[arg(long)]
    preload: bool,
    /// IAM identity policy (JSON) the caller is held to; without it everything is allowed.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let mut config = Config::new(&args.specs);
    let access_key = args.access_key.clone();
    config.credentials = Credentials {
        access_key_id: args.access_key,
        secret_access_key: args
            .secret_key
            .unwrap_or_else(|| Credentials::default().secret_access_key),
    };
    config.polls_until_complete = args.polls;
    config.page_size = args.page_size;
    config.faults = Faults {
        throttle_rate: args.throttle_rate,
        server_error_rate: args.server_error_rate,
        latency: Duration::from_millis(args.latency_ms),
        seed: args.seed,
        unavailable_regions: args.unavailable_region.iter().cloned().collect(),
    };
    config.retry_after = args.retry_after_ms.map(Duration::from_millis);
    config.preload = args.preload;
    if let Some(path) = &args.policy {
        match IdentityPolicy::from_file(path) {
            Ok(policy) => config.policy = Some(policy),
            Err(e) => {
                eprintln!("cloudcontrol-emulator: --policy {e}");
                return ExitCode::from(2);
            }
        }
    }
    let started = Instant::now();
    let emulator =
        match Emulator::start_on(config, SocketAddr::from(([127, 0, 0, 1], args.port))).await {
            Ok(e) => e,
            Err(e) => {
                eprintln!("cloudcontrol-emulator: {e}");
                return ExitCode::FAILURE;
            }
        };
    println!("{}", emulator.endpoint_url());
    // The access key id is printed so users know what to configure; the secret never is.
    eprintln!(
        "cloudcontrol-emulator: {} resource types from {} ready in {} ms; access key id {}; Ctrl-C to stop",
        emulator.registry().type_count(),
        args.specs.display(),
        started.elapsed().as_millis(),
        access_key,
    );
    if args.preload {
        let report = emulator.registry().pattern_report();
        eprintln!(
            "cloudcontrol-emulator: {} patterns, {} not ECMAScript-compilable (not checked)",
            report.total,
            report.bad.len()
        );
        for bad in &report.bad {
            eprintln!("  {}: {:?}: {}", bad.path, bad.pattern, bad.error);
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    let stats = emulator.stats();
    emulator.shutdown().await;
    eprintln!(
        "cloudcontrol-emulator: served {} requests ({} creates, {} throttled, {} 5xx, {} rejected signatures)",
        stats.requests, stats.creates_performed, stats.throttled, stats.server_errors, stats.auth_failures
    );
    ExitCode::SUCCESS
}
