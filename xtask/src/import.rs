//! `cargo xtask import`: converts AWS CloudFormation registry schemas into the AWS provider
//! specs (`<out>/aws/provider.yaml`, `<out>/aws/services/*.yaml`).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `cargo xtask import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// The schemas: a directory of JSON files, AWS's CloudformationSchema.zip, or a cfn-lint
    /// wheel (see `--region`).
    #[arg(long, value_name = "DIR|ZIP")]
    cfn: PathBuf,
    /// A file of type names to import, one per line (`#` comments allowed). Default: every
    /// AWS type that has handlers.
    #[arg(long, value_name = "FILE")]
    allowlist: Option<PathBuf>,
    /// For a cfn-lint wheel: the region whose types are imported, or `all` for every schema
    /// the wheel ships (the union over regions).
    #[arg(long, value_name = "REGION|all", default_value = "us-east-1")]
    region: cfn_import::WheelRegion,
    /// The specs root; `<out>/aws` is replaced. Default: the repository's `provider-specs`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not print warnings, only their count.
    #[arg(long)]
    quiet: bool,
}

/// Runs the task.
pub fn run(args: ImportArgs) -> Result<ExitCode, String> {
    let out = args
        .out
        .unwrap_or_else(|| crate::repo_root().join("provider-specs"));
    let mut options = cfn_import::ImportOptions::default();
    options.wheel_region = args.region;
    if let Some(path) = &args.allowlist {
        options.allowlist = Some(cfn_import::read_allowlist(path).map_err(|e| e.to_string())?);
    }
    let report = cfn_import::import(&args.cfn, &options, &out).map_err(|e| e.to_string())?;
    if !args.quiet {
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
    }
    let s = &report.stats;
    println!(
        "imported {} of {} selected types ({} AWS types in {} files): {} services, {} resources, {} schemas, {} warnings -> {}",
        s.converted,
        s.selected,
        s.aws_types,
        s.files,
        s.services,
        s.resources,
        s.schemas,
        report.warnings.len(),
        out.join(cfn_import::PROVIDER_DIR).display()
    );
    Ok(ExitCode::SUCCESS)
}
