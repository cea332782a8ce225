//! `cloudcontrol get <resource> <identifier>`: one resource's properties.

use cloudcontrol_runtime as runtime;

use crate::target::Target;
use crate::{print_value, CliError};

/// Arguments of `get`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource, identifier, region and output format.
    #[command(flatten)]
    pub target: Target,
}

/// Runs `get`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let t = args.target.resolve(None, None).await?;
    let model: serde_json::Value = runtime::get(
        &t.client,
        t.info.type_name,
        &t.region,
        &args.target.identifier,
    )
    .await?;
    print_value(&model, args.target.format)
}
