//! `cargo xtask import` (stub, being written).

use std::process::ExitCode;

/// Arguments of `cargo xtask import`.
#[derive(clap::Args)]
pub struct ImportArgs {}

/// Runs the task.
pub fn run(_args: ImportArgs) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
