//! `cloudcontrol delete <resource> <identifier>`: delete and wait for the outcome.

use aws_cloudcontrol_resources::MethodKind;
use cloudcontrol_runtime as runtime;

use crate::target::{Target, Wait};
use crate::{print_value, CliError};

/// Arguments of `delete`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource, identifier, region and output format.
    #[command(flatten)]
    pub target: Target,
    /// The wait.
    #[command(flatten)]
    pub wait: Wait,
}

/// Runs `delete`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let t = args
        .target
        .resolve(Some((MethodKind::Delete, "deleted")), Some(&args.wait))
        .await?;
    let deleted = runtime::delete(
        &t.client,
        t.info.type_name,
        &t.region,
        &args.target.identifier,
    )
    .await?;
    let out = serde_json::json!({
        "identifier": deleted.identifier,
        "request_token": deleted.request_token,
        "status": "SUCCESS",
    });
    print_value(&out, args.target.format)
}
