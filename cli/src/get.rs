//! `cloudcontrol get <resource> <identifier>`: one resource's properties.

use aws_cloudcontrol_resources::ResourceInfo;
use cloudcontrol_runtime as runtime;

use crate::{print_value, CliError, Format};

/// Arguments of `get`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Resource id, singular or plural (`aws.logs.log_group`, `logs.log_groups`).
    pub resource: String,
    /// Primary identifier (compound identifiers joined with `|`, e.g. `g1|errors`).
    pub identifier: String,
    /// Region; defaults to the environment's (`AWS_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// Output: `table` (property and value), `json` (pretty) or `jsonl` (one line).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Runs `get`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let info: &'static ResourceInfo = crate::lookup::find(&args.resource)?;
    let client = runtime::Client::from_env().await;
    let region = crate::region_of(args.region, &client)?;
    let model: serde_json::Value =
        runtime::get(&client, info.type_name, &region, &args.identifier).await?;
    print_value(&model, args.format)
}
