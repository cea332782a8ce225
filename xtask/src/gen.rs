//! `cargo xtask gen` (stub, being written).

use std::process::ExitCode;

/// Arguments of `cargo xtask gen`.
#[derive(clap::Args)]
pub struct GenArgs {}

/// Runs the task.
pub fn run(_args: GenArgs) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
