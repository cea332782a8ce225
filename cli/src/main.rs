//! `cloudcontrol`: list and create any Cloud Control resource type by its StackQL resource id
//! (`aws.codeconnections.connections`), through the runtime and the generated registry.
//!
//! ```text
//! cloudcontrol list aws.codeconnections.connections --region us-east-1 [--format table|jsonl]
//! cloudcontrol list aws.eks.nodegroups --region us-east-1 --parent '{"ClusterName":"c1"}'
//! cloudcontrol create aws.codeconnections.connections --region us-east-1 \
//!     --data '{"ConnectionName":"c1","ProviderType":"GitHub"}' [--wait-deadline 600]
//! cloudcontrol policy aws.logs.log_groups:list,create aws.logs.log_group:read,update,delete
//! ```
//!
//! The client comes from the standard AWS environment (`AWS_ENDPOINT_URL`, credentials,
//! `AWS_REGION`), so the same commands work against AWS and the local emulator.

mod lookup;
mod output;
mod policy;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use aws_cloudcontrol_resources::{ResourceInfo, ResourceKind};
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
        /// Region; defaults to the environment's (`AWS_REGION`).
        #[arg(long)]
        region: Option<String>,
        /// Output: a table of the identifiers and region, or one JSON object per line.
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
    },
    /// Print the least-privilege IAM policy for operations on resources (offline).
    Policy(policy::PolicyArgs),
}

/// List output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Aligned columns: the identifiers (docs column names), then `region`.
    Table,
    /// One JSON object per line: the resource's properties plus `region`.
    Jsonl,
}

/// Everything the CLI reports as a failure.
#[derive(Debug, thiserror::Error)]
enum CliError {
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
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<runtime::Error> for CliError {
    fn from(error: runtime::Error) -> Self {
        CliError::Runtime(Box::new(error))
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let cli = match cli.command {
        Command::Policy(args) => return policy::main(args),
        command => Cli { command },
    };
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            if let CliError::Runtime(e) = &error {
                // A failed create is spelled out field by field, so scripts can grep them.
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
                } else if let Some(token) = e.request_token() {
                    eprintln!("request token: {token}");
                }
            }
            ExitCode::FAILURE
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
            list(&client, info, &region, parent.as_ref(), format).await
        }
        Command::Create {
            resource,
            region,
            data,
            wait_deadline,
        } => {
            let info = lookup::find(&resource)?;
            if !info.methods.iter().any(|m| m.name == "create_resource") {
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
            let mut client = runtime::Client::from_env().await;
            if let Some(seconds) = wait_deadline {
                client = client.with_poll_config(
                    client
                        .poll_config()
                        .clone()
                        .with_deadline(Duration::from_secs(seconds)),
                );
            }
            let region = region_of(region, &client)?;
            let created: runtime::Created<serde_json::Value> =
                runtime::create(&client, info.type_name, &region, &data).await?;
            let out = serde_json::json!({
                "identifier": created.identifier,
                "request_token": created.request_token,
                "model": created.model,
            });
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{out}")?;
            Ok(())
        }
    }
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

fn region_of(region: Option<String>, client: &runtime::Client) -> Result<String, CliError> {
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
