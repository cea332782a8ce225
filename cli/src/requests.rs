//! `cloudcontrol requests | cancel | resume`: request tracking.

use std::time::Duration;

use cloudcontrol_runtime as runtime;
use serde_json::{json, Value};

use crate::{print_value, CliError, Format};

/// Arguments of `requests`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Region; defaults to the environment's (`AWS_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// Operations to keep (`create,update,delete`); all when absent.
    #[arg(long, value_delimiter = ',')]
    pub operation: Vec<String>,
    /// Statuses to keep (`PENDING,IN_PROGRESS,SUCCESS,FAILED,CANCEL_IN_PROGRESS,CANCEL_COMPLETE`).
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Output: `table`, `json` or `jsonl`.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Arguments of `cancel` and `resume`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The request token (printed by a create, update or delete that failed or timed out).
    pub request_token: String,
    /// Region; defaults to the environment's (`AWS_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// `resume` only: give up waiting after this many seconds.
    #[arg(long)]
    pub wait_deadline: Option<u64>,
    /// Output: `table`, `json` or `jsonl`.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

const STATUSES: &[&str] = &[
    "PENDING",
    "IN_PROGRESS",
    "SUCCESS",
    "FAILED",
    "CANCEL_IN_PROGRESS",
    "CANCEL_COMPLETE",
];

/// Runs `requests`.
pub async fn list(args: ListArgs) -> Result<(), CliError> {
    let mut filter = runtime::RequestFilter::new();
    for op in &args.operation {
        match runtime::Operation::parse(op) {
            runtime::Operation::Unknown => {
                return Err(CliError::BadValue {
                    flag: "operation",
                    message: format!("`{op}`: expected create, update or delete"),
                })
            }
            known => filter = filter.operation(known),
        }
    }
    for status in &args.status {
        let upper = status.to_ascii_uppercase();
        if !STATUSES.contains(&upper.as_str()) {
            return Err(CliError::BadValue {
                flag: "status",
                message: format!("`{status}`: expected one of {}", STATUSES.join(", ")),
            });
        }
        filter = filter.status(upper);
    }
    let client = runtime::Client::from_env().await;
    let region = crate::region_of(args.region, &client)?;
    let requests = runtime::list_requests(&client, &region, &filter).await?;
    let rows: Vec<Value> = requests.iter().map(status_json).collect();
    match args.format {
        Format::Table => {
            let mut out = std::io::stdout().lock();
            crate::output::write_rows(
                &mut out,
                &[
                    "request_token",
                    "operation",
                    "status",
                    "type_name",
                    "identifier",
                    "error_code",
                ],
                &rows,
            )?;
            Ok(())
        }
        Format::Json => print_value(&Value::Array(rows), Format::Json),
        Format::Jsonl => {
            for row in &rows {
                print_value(row, Format::Jsonl)?;
            }
            Ok(())
        }
    }
}

fn status_json(status: &runtime::RequestStatus) -> Value {
    serde_json::to_value(status).unwrap_or(Value::Null)
}

/// Runs `cancel`.
pub async fn cancel(args: TokenArgs) -> Result<(), CliError> {
    let client = runtime::Client::from_env().await;
    let region = crate::region_of(args.region, &client)?;
    let status = runtime::cancel(&client, &region, &args.request_token).await?;
    print_value(&status_json(&status), args.format)
}

/// Runs `resume`.
pub async fn resume(args: TokenArgs) -> Result<(), CliError> {
    let client = crate::client(args.wait_deadline.map(Duration::from_secs)).await;
    let region = crate::region_of(args.region, &client)?;
    let outcome = runtime::resume(&client, &region, &args.request_token).await?;
    let model = outcome
        .resource_model
        .as_deref()
        .and_then(|m| serde_json::from_str::<Value>(m).ok());
    let out = json!({
        "request_token": outcome.request_token,
        "operation": outcome.operation.map(|o| o.as_str()),
        "type_name": outcome.type_name,
        "identifier": outcome.identifier,
        "status": "SUCCESS",
        "model": model,
    });
    print_value(&out, args.format)
}
