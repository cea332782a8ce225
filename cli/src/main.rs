//! `cloudcontrol`: list, create, read, update and delete any Cloud Control resource type by its
//! StackQL resource id (`aws.codeconnections.connections`), and track requests, through the
//! runtime and the generated registry.
//!
//! ```text
//! cloudcontrol list aws.codeconnections.connections --region us-east-1 [--format table|json|jsonl]
//! cloudcontrol list aws.eks.nodegroups --region us-east-1 --parent '{"ClusterName":"c1"}'
//! cloudcontrol create aws.codeconnections.connections --region us-east-1 \
//!     --data '{"ConnectionName":"c1","ProviderType":"GitHub"}' [--wait-deadline 600]
//! cloudcontrol policy aws.logs.log_groups:list,create aws.logs.log_group:read,update,delete
//! cloudcontrol get aws.logs.log_group app-logs
//! cloudcontrol update aws.logs.log_group app-logs --set RetentionInDays=30 --remove Tags
//! cloudcontrol update aws.logs.log_group app-logs --patch '[{"op":"remove","path":"/RetentionInDays"}]'
//! cloudcontrol delete aws.logs.log_group app-logs
//! cloudcontrol requests --operation delete --status IN_PROGRESS
//! cloudcontrol cancel <request token>; cloudcontrol resume <request token>
//! ```
//!
//! Exit status: 0 success, 1 the request or call failed (its error code and request token are
//! printed), 2 usage (bad arguments, unknown resource id, unsupported verb).
//!
//! The client comes from the standard AWS environment (`AWS_ENDPOINT_URL`, credentials,
//! `AWS_REGION`), so the same commands work against AWS and the local emulator.

mod delete;
mod get;
mod lookup;
mod output;
mod policy;
mod progress;
mod regions;
mod requests;
mod target;
mod update;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use aws_cloudcontrol_resources::{MethodKind, ResourceInfo, ResourceKind};
use clap::{Parser, Subcommand, ValueEnum};
use cloudcontrol_runtime as runtime;
use futures::StreamExt as _;

/// Command line.
#[derive(Debug, Parser)]
#[command(
    name = "cloudcontrol",
    version,
    about = "List and create AWS Cloud Control resources by StackQL resource id"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List every resource of a type (all pages).
    List {
        /// Resource id, e.g. `aws.codeconnections.connections` (the `aws.` prefix is optional).
        resource: String,
        /// Region, or several separated by commas (listed concurrently, rows tagged with their
        /// region); defaults to the environment's (`AWS_REGION`).
        #[arg(long)]
        region: Option<String>,
        /// Output: a table of the identifiers and region, a JSON array, or one JSON object per
        /// line.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Parent properties as a JSON object, for types whose list needs them
        /// (e.g. `{"ClusterName":"c1"}`).
        #[arg(long)]
        parent: Option<String>,
    },
    /// Create a resource and wait for the outcome.
    Create {
        /// Resource id, e.g. `aws.codeconnections.connections`.
        resource: String,
        /// Region; defaults to the environment's (`AWS_REGION`).
        #[arg(long)]
        region: Option<String>,
        /// Desired state as a JSON object (CloudFormation property names).
        #[arg(long)]
        data: String,
        /// Give up waiting after this many seconds (the request token is printed to resume).
        #[arg(long)]
        wait_deadline: Option<u64>,
        /// Output: `table`, `json` or `jsonl`.
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
    },
    /// Print the least-privilege IAM policy for operations on resources (offline).
    Policy(policy::PolicyArgs),
    /// Read one resource by its identifier.
    Get(get::Args),
    /// Update one resource with a JSON Patch (`--patch`, `--set`, `--remove`) and wait.
    Update(update::Args),
    /// Delete one resource and wait for the outcome.
    Delete(delete::Args),
    /// List recent requests, filtered by operation and status.
    Requests(requests::ListArgs),
    /// Cancel an unfinished request.
    Cancel(requests::TokenArgs),
    /// Wait again for a request (of any operation) that outlasted its deadline.
    Resume(requests::TokenArgs),
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns (lists: the identifiers and `region`; one resource: property and value).
    Table,
    /// Pretty JSON (lists: one array).
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Everything the CLI reports as a failure.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The id is not in the registry.
    #[error("unknown resource id `{id}`{}", lookup::suggestion_text(.suggestions))]
    UnknownResource {
        id: String,
        suggestions: Vec<&'static str>,
    },
    /// The resource cannot do what was asked.
    #[error("{id} cannot be {verb}: {reason}")]
    Unsupported {
        id: &'static str,
        verb: &'static str,
        reason: String,
    },
    /// No region given and none in the environment.
    #[error("no region: pass --region or set AWS_REGION")]
    NoRegion,
    /// A JSON argument is malformed.
    #[error("--{flag} is not a JSON object: {message}")]
    BadJson { flag: &'static str, message: String },
    /// An argument has a value outside the accepted ones.
    #[error("--{flag}: {message}")]
    BadValue { flag: &'static str, message: String },
    /// A required parent property is missing.
    #[error("{id} lists only under a parent: pass --parent with {missing} (e.g. --parent '{{\"{first}\":\"...\"}}')")]
    MissingParent {
        id: &'static str,
        missing: String,
        first: &'static str,
    },
    /// The runtime failed (boxed: the runtime's error is large and this one is returned often).
    #[error(transparent)]
    Runtime(Box<runtime::Error>),
    /// Some regions of a multi-region list failed (their errors were printed).
    #[error("{failed} of {total} regions failed")]
    RegionsFailed { failed: usize, total: usize },
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<runtime::Error> for CliError {
    fn from(error: runtime::Error) -> Self {
        CliError::Runtime(Box::new(error))
    }
}

impl CliError {
    /// 1 when a call or request failed, 2 for usage errors.
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Runtime(_) | CliError::Output(_) | CliError::RegionsFailed { .. } => 1,
            _ => 2,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let cli = match cli.command {
        Command::Policy(args) => return policy::main(args),
        command => Cli { command },
    };
    let result = run(cli).await;
    progress::finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            if let CliError::Runtime(e) = &error {
                // A failed or refused request is spelled out field by field, so scripts can grep
                // them.
                if let runtime::Error::RequestFailed {
                    error_code,
                    message,
                    request_token,
                    ..
                } = e.as_ref()
                {
                    eprintln!("error code: {error_code}");
                    eprintln!("message: {message}");
                    eprintln!("request token: {request_token}");
                } else if let runtime::Error::Validation { message, .. }
                | runtime::Error::NotUpdatable { message, .. }
                | runtime::Error::ResourceConflict { message, .. } = e.as_ref()
                {
                    // Refused in the call itself: no request token; the property, if named.
                    eprintln!("error code: {}", e.code().unwrap_or_default());
                    eprintln!("message: {message}");
                    if let Some(property) = e.property() {
                        eprintln!("property: {property}");
                    }
                } else if let Some(token) = e.request_token() {
                    eprintln!("request token: {token}");
                }
            }
            ExitCode::from(error.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        // Handled in `main` before any client is built (offline, its own exit codes).
        Command::Policy(_) => Ok(()),
        Command::List {
            resource,
            region,
            format,
            parent,
        } => {
            let info = lookup::find(&resource)?;
            if info.kind != ResourceKind::List {
                return Err(CliError::Unsupported {
                    id: info.id,
                    verb: "listed",
                    reason: format!(
                        "it is a {} resource{}",
                        kind_name(info.kind),
                        lookup::plural_hint(info)
                    ),
                });
            }
            let parent = parent
                .map(|text| parse_object("parent", &text))
                .transpose()?;
            check_parent(info, parent.as_ref())?;
            let client = runtime::Client::from_env().await;
            let region = region_of(region, &client)?;
            let regions: Vec<&str> = region
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .collect();
            match regions.as_slice() {
                [one] => list(&client, info, one, parent.as_ref(), format).await,
                _ => regions::list(&client, info, &regions, parent.as_ref(), format).await,
            }
        }
        Command::Get(args) => get::run(args).await,
        Command::Update(args) => update::run(args).await,
        Command::Delete(args) => delete::run(args).await,
        Command::Requests(args) => requests::list(args).await,
        Command::Cancel(args) => requests::cancel(args).await,
        Command::Resume(args) => requests::resume(args).await,
        Command::Create {
            resource,
            region,
            data,
            wait_deadline,
            format,
        } => {
            let info = lookup::find(&resource)?;
            if !info.methods.iter().any(|m| m.kind() == MethodKind::Create) {
                return Err(CliError::Unsupported {
                    id: info.id,
                    verb: "created",
                    reason: format!(
                        "{} has no create method ({} resource)",
                        info.type_name,
                        kind_name(info.kind)
                    ),
                });
            }
            let data = parse_object("data", &data)?;
            let client = client(wait_deadline.map(Duration::from_secs)).await;
            let region = region_of(region, &client)?;
            let created: runtime::Created<serde_json::Value> =
                runtime::create(&client, info.type_name, &region, &data).await?;
            let out = serde_json::json!({
                "identifier": created.identifier,
                "request_token": created.request_token,
                "model": created.model,
            });
            print_value(&out, format)
        }
    }
}

/// A client from the environment, with the wait deadline given and progress on a terminal.
pub async fn client(wait_deadline: Option<Duration>) -> runtime::Client {
    let mut client = runtime::Client::from_env().await;
    if let Some(deadline) = wait_deadline {
        client = client.with_poll_config(client.poll_config().clone().with_deadline(deadline));
    }
    progress::attach(client)
}

/// Refuses a verb the type has no handler for (per the registry's methods).
pub fn require_handler(
    info: &'static ResourceInfo,
    method: MethodKind,
    verb: &'static str,
) -> Result<(), CliError> {
    let supported = aws_cloudcontrol_resources::RESOURCES
        .iter()
        .filter(|r| r.type_name == info.type_name)
        .any(|r| r.methods.iter().any(|m| m.kind() == method));
    let method = method.name().unwrap_or("such");
    if supported {
        Ok(())
    } else {
        Err(CliError::Unsupported {
            id: info.id,
            verb,
            reason: format!("{} has no {method} method", info.type_name),
        })
    }
}

/// Prints one JSON value: `json` pretty, `jsonl` on one line, `table` as property/value lines.
pub fn print_value(value: &serde_json::Value, format: Format) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        )?,
        Format::Jsonl => writeln!(stdout, "{value}")?,
        Format::Table => output::write_properties(&mut stdout, value)?,
    }
    Ok(())
}

async fn list(
    client: &runtime::Client,
    info: &'static ResourceInfo,
    region: &str,
    parent: Option<&serde_json::Value>,
    format: Format,
) -> Result<(), CliError> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Json => {
            let mut rows: Vec<serde_json::Value> =
                runtime::list_raw(client, info.type_name, region, parent).await?;
            for row in &mut rows {
                if let serde_json::Value::Object(map) = row {
                    map.insert("region".to_owned(), serde_json::Value::from(region));
                }
            }
            let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
            writeln!(stdout, "{text}")?;
        }
        Format::Jsonl => {
            // Streamed: rows are written as pages arrive.
            let mut rows = std::pin::pin!(runtime::list_stream_raw(
                client,
                info.type_name,
                region,
                parent
            ));
            while let Some(row) = rows.next().await {
                let mut row = row?;
                if let serde_json::Value::Object(map) = &mut row {
                    map.insert("region".to_owned(), serde_json::Value::from(region));
                }
                writeln!(stdout, "{row}")?;
            }
        }
        Format::Table => {
            let rows: Vec<serde_json::Value> =
                runtime::list_raw(client, info.type_name, region, parent).await?;
            output::write_table(&mut stdout, info, region, &rows)?;
        }
    }
    stdout.flush()?;
    Ok(())
}

/// Rejects a listing of a parent-scoped type before any request when the parent lacks a
/// required property (Cloud Control would refuse it too, less clearly).
fn check_parent(
    info: &'static ResourceInfo,
    parent: Option<&serde_json::Value>,
) -> Result<(), CliError> {
    let missing: Vec<&str> = info
        .list_required_properties
        .iter()
        .copied()
        .filter(|p| parent.and_then(|v| v.get(*p)).is_none())
        .collect();
    match info.list_required_properties.first() {
        Some(first) if !missing.is_empty() => Err(CliError::MissingParent {
            id: info.id,
            missing: missing.join(", "),
            first,
        }),
        _ => Ok(()),
    }
}

fn parse_object(flag: &'static str, text: &str) -> Result<serde_json::Value, CliError> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(CliError::BadJson {
            flag,
            message: "expected an object `{...}`".to_owned(),
        }),
        Err(e) => Err(CliError::BadJson {
            flag,
            message: e.to_string(),
        }),
    }
}

pub fn region_of(region: Option<String>, client: &runtime::Client) -> Result<String, CliError> {
    region
        .or_else(|| client.default_region().map(str::to_owned))
        .ok_or(CliError::NoRegion)
}

fn kind_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::List => "list",
        ResourceKind::Get => "singular (get/update/delete)",
        ResourceKind::CustomList => "view",
        ResourceKind::CreateOnly => "create-only",
        ResourceKind::Api => "API",
        _ => "other",
    }
}
