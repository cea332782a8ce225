//! The arguments and preamble shared by the one-resource commands (`get`, `update`,
//! `delete`): the resource id, its identifier, the region and the output format, resolved to
//! the registry entry, a client and a region.

use std::time::Duration;

use aws_cloudcontrol_resources::{MethodKind, ResourceInfo};
use cloudcontrol_runtime as runtime;

use crate::{CliError, Format};

/// One resource: flattened into `get`, `update` and `delete`.
#[derive(Debug, clap::Args)]
pub struct Target {
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

/// The wait of a mutating command: flattened into `update` and `delete`.
#[derive(Debug, clap::Args)]
pub struct Wait {
    /// Give up waiting after this many seconds (the request token is printed to resume).
    #[arg(long)]
    pub wait_deadline: Option<u64>,
}

/// A [`Target`] resolved: what a command needs to make its call.
pub struct Resolved {
    /// The registry entry of the resource id.
    pub info: &'static ResourceInfo,
    /// The client (with the wait deadline and progress of [`Wait`] for mutations).
    pub client: runtime::Client,
    /// The region the call goes to.
    pub region: String,
}

impl Target {
    /// Looks the resource id up, refuses a type without the handler `needs` (`(method, verb)`,
    /// e.g. `(MethodKind::Update, "updated")`) before any request, and builds the client:
    /// with `wait`, one whose waits end at its deadline and show progress on a terminal.
    pub async fn resolve(
        &self,
        needs: Option<(MethodKind, &'static str)>,
        wait: Option<&Wait>,
    ) -> Result<Resolved, CliError> {
        let info = crate::lookup::find(&self.resource)?;
        if let Some((method, verb)) = needs {
            crate::require_handler(info, method, verb)?;
        }
        let client = match wait {
            Some(wait) => crate::client(wait.wait_deadline.map(Duration::from_secs)).await,
            None => runtime::Client::from_env().await,
        };
        let region = crate::region_of(self.region.clone(), &client)?;
        Ok(Resolved {
            info,
            client,
            region,
        })
    }
}
