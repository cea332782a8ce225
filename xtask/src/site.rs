//! `cargo xtask site` (stub, being written).

use std::process::ExitCode;

/// Arguments of `cargo xtask site`.
#[derive(clap::Args)]
pub struct SiteArgs {}

/// Runs the task.
pub fn run(_args: SiteArgs) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
