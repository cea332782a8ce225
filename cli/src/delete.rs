//! `cloudcontrol delete <resource> <identifier>`: delete and wait for the outcome.

use std::time::Duration;

use cloudcontrol_runtime as runtime;

use crate::{print_value, CliError, Format};

/// Arguments of `delete`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Resource id, singular or plural (`aws.logs.log_group`).
    pub resource: String,
    /// Primary identifier (compound identifiers joined with `|`).
    pub identifier: String,
    /// Region; defaults to the environment's (`AWS_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// Give up waiting after this many seconds (the request token is printed to resume).
    #[arg(long)]
    pub wait_deadline: Option<u64>,
    /// Output: `table`, `json` or `jsonl`.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `delete`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let info = crate::lookup::find(&args.resource)?;
    crate::require_handler(info, "delete_resource", "deleted")?;
    let client = crate::client(args.wait_deadline.map(Duration::from_secs)).await;
    let region = crate::region_of(args.region, &client)?;
    let deleted = runtime::delete(&client, info.type_name, &region, &args.identifier).await?;
    let out = serde_json::json!({
        "identifier": deleted.identifier,
        "request_token": deleted.request_token,
        "status": "SUCCESS",
    });
    print_value(&out, args.format)
}
