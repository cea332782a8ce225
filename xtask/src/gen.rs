//! `cargo xtask gen`: regenerates `generated/` from `provider-specs/`, or with `--check`
//! reports what is stale.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `cargo xtask gen`.
#[derive(clap::Args)]
pub struct GenArgs {
    /// Compare instead of writing: exit non-zero and list stale, missing and no-longer-produced
    /// files, and what an interrupted run left (a journal, staging folders).
    #[arg(long)]
    check: bool,
    /// Specs root holding one folder per provider (default: `provider-specs/`).
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Output directory (default: `generated/`); docs land in `OUT/docs/<provider>-docs/`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Generate the documentation pages only.
    #[arg(long)]
    docs_only: bool,
}

/// Runs the generation.
pub fn run(args: GenArgs) -> Result<ExitCode, String> {
    let root = crate::repo_root();
    let specs = args.specs.unwrap_or_else(|| root.join("provider-specs"));
    let out = args.out.unwrap_or_else(|| root.join("generated"));
    let options = generator::GenerateOptions {
        docs_only: args.docs_only,
    };
    let started = Instant::now();
    eprintln!("loading specs from {}", specs.display());
    let (summary, output) = generator::render(&specs, &options).map_err(|e| e.to_string())?;
    let counts = format!(
        "{} services, {} resources, {} pages, {} files",
        summary.services, summary.resources, summary.pages, summary.files
    );
    if args.check {
        let report = output.check(&out).map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        for (label, paths) in [
            ("stale", &report.stale),
            ("missing", &report.missing),
            ("no longer produced", &report.extra),
        ] {
            for path in paths.iter() {
                eprintln!("{label}: {}", out.join(path).display());
            }
        }
        for name in &report.leftovers {
            eprintln!(
                "leftover of an interrupted gen: {} (the next `cargo xtask gen` completes or removes it)",
                out.join(name).display()
            );
        }
        if report.is_clean() {
            eprintln!("gen --check: up to date ({counts}) in {:.2?}", elapsed);
            Ok(ExitCode::SUCCESS)
        } else {
            eprintln!(
                "gen --check: {} stale, {} missing, {} no longer produced, {} leftovers; run `cargo xtask gen` ({counts})",
                report.stale.len(),
                report.missing.len(),
                report.extra.len(),
                report.leftovers.len()
            );
            Ok(ExitCode::FAILURE)
        }
    } else {
        eprintln!("writing {} files to {}", summary.files, out.display());
        let fault = generator::output::FaultInjection {
            pause: test_pause()?,
            ..Default::default()
        };
        let written = output.write_with(&out, fault).map_err(|e| e.to_string())?;
        if written.recovered {
            eprintln!("gen: completed the write an interrupted run had committed");
        }
        eprintln!(
            "gen: {counts} ({} written, {} unchanged, {} removed) in {:.2?}",
            written.written,
            written.unchanged,
            written.removed,
            started.elapsed()
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// Test hook: `XTASK_GEN_TEST_PAUSE=before-commit:SIGNAL` or `after-renames:N:SIGNAL` pauses
/// the write there (creating the file SIGNAL), so that a test can SIGKILL the process at that
/// point and check what the next run makes of it. Unset in normal use.
fn test_pause() -> Result<Option<generator::output::Pause>, String> {
    match std::env::var("XTASK_GEN_TEST_PAUSE") {
        Ok(text) => generator::output::Pause::parse(&text)
            .map(Some)
            .ok_or_else(|| format!("XTASK_GEN_TEST_PAUSE: cannot parse {text:?}")),
        Err(_) => Ok(None),
    }
}
