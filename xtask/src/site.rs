//! `cargo xtask site`: builds the Docusaurus site in `website/` from the generated pages
//! (`generated/docs/<provider>-docs`) and, with `--serve`, serves the build on 127.0.0.1.
//!
//! Dependencies are installed with `npm ci` when `website/node_modules` is missing or was
//! installed from another `package-lock.json` (a copy of the lockfile is kept in node_modules
//! after each successful install and compared byte for byte).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Name of the lockfile copy that records which lockfile node_modules was installed from.
const INSTALL_STAMP: &str = ".xtask-installed-package-lock.json";

/// Arguments of `cargo xtask site`.
#[derive(clap::Args, Debug)]
pub struct SiteArgs {
    /// Serve the build on 127.0.0.1 after building (until interrupted).
    #[arg(long)]
    pub serve: bool,
    /// Port for `--serve`.
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Build only these services (comma-separated, e.g. `codeconnections,s3`); all by default.
    #[arg(long, value_delimiter = ',')]
    pub services: Vec<String>,
    /// Provider whose docs are built (`<docs>/<provider>-docs`).
    #[arg(long, default_value = "aws")]
    pub provider: String,
    /// Directory holding `<provider>-docs` [default: generated/docs].
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Where the built site goes [default: website/build].
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// With `--serve`: serve the existing build instead of building first.
    #[arg(long, requires = "serve")]
    pub no_build: bool,
}

/// Why the site could not be built or served.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A name given on the command line is not a service or provider name.
    #[error("invalid {what} name {name:?}: expected lowercase letters, digits, `_` or `-`")]
    InvalidName {
        /// `service` or `provider`.
        what: &'static str,
        /// The rejected name.
        name: String,
    },
    /// The generated docs (provider page or sidebar) are missing.
    #[error("{}: missing; run `cargo xtask gen` first", path.display())]
    MissingDocs {
        /// The file that should exist.
        path: PathBuf,
    },
    /// A requested service has no page.
    #[error("service {service:?} has no page at {}", path.display())]
    UnknownService {
        /// The requested service.
        service: String,
        /// Where its service page should be.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A program could not be started.
    #[error("could not run {program} (is Node.js installed?): {source}")]
    Spawn {
        /// The program.
        program: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A program exited unsuccessfully.
    #[error("`{command}` failed ({status})")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: std::process::ExitStatus,
    },
}

/// Runs the task.
pub fn run(args: SiteArgs) -> Result<ExitCode, String> {
    run_in(&crate::repo_root(), &args).map_err(|e| e.to_string())
}

/// What a build needs, resolved against the repository root.
#[derive(Debug)]
struct Plan {
    website: PathBuf,
    docs_root: PathBuf,
    out_dir: PathBuf,
    provider: String,
    services: Vec<String>,
}

fn run_in(root: &Path, args: &SiteArgs) -> Result<ExitCode, SiteError> {
    let plan = plan(root, args)?;
    ensure_node_modules(&plan.website)?;
    if !args.no_build {
        check_docs(&plan)?;
        for step in build_commands(&plan) {
            run_command(step)?;
        }
        run_command(search_index_command(&plan))?;
        println!("site built in {}", plan.out_dir.display());
    }
    if args.serve {
        println!(
            "serving {} at http://127.0.0.1:{}/ (Ctrl-C stops)",
            plan.out_dir.display(),
            args.port
        );
        run_command(serve_command(&plan, args.port))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn plan(root: &Path, args: &SiteArgs) -> Result<Plan, SiteError> {
    check_name("provider", &args.provider)?;
    let mut services: Vec<String> = args
        .services
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for service in &services {
        check_name("service", service)?;
    }
    services.sort();
    services.dedup();
    let website = root.join("website");
    let absolute = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            // Relative paths are taken from where the command was run, as users expect.
            std::env::current_dir()
                .map(|cwd| cwd.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        }
    };
    Ok(Plan {
        docs_root: args
            .docs
            .as_deref()
            .map(absolute)
            .unwrap_or_else(|| root.join("generated").join("docs")),
        out_dir: args
            .out_dir
            .as_deref()
            .map(absolute)
            .unwrap_or_else(|| website.join("build")),
        website,
        provider: args.provider.clone(),
        services,
    })
}

/// Provider and service names become paths and globs: keep them to what the generator emits.
fn check_name(what: &'static str, name: &str) -> Result<(), SiteError> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(SiteError::InvalidName {
            what,
            name: name.to_string(),
        })
    }
}

/// Fails early, with the path, when the generated pages the site needs are absent.
fn check_docs(plan: &Plan) -> Result<(), SiteError> {
    let provider_docs = plan.docs_root.join(format!("{}-docs", plan.provider));
    for file in ["index.md", generator::docs::sidebar::SIDEBAR_FILE_NAME] {
        let path = provider_docs.join(file);
        if !path.is_file() {
            return Err(SiteError::MissingDocs { path });
        }
    }
    for service in &plan.services {
        let path = provider_docs
            .join("providers")
            .join(&plan.provider)
            .join(service)
            .join("index.md");
        if !path.is_file() {
            return Err(SiteError::UnknownService {
                service: service.clone(),
                path,
            });
        }
    }
    Ok(())
}

/// Whether `npm ci` must run: no node_modules, or installed from a different lockfile.
fn needs_install(website: &Path) -> Result<bool, SiteError> {
    let lock_path = website.join("package-lock.json");
    let lock = fs::read(&lock_path).map_err(|source| SiteError::Io {
        path: lock_path,
        source,
    })?;
    match fs::read(website.join("node_modules").join(INSTALL_STAMP)) {
        Ok(stamp) => Ok(stamp != lock),
        Err(_) => Ok(true),
    }
}

fn ensure_node_modules(website: &Path) -> Result<(), SiteError> {
    if !needs_install(website)? {
        return Ok(());
    }
    let mut npm = Command::new("npm");
    npm.args(["ci", "--no-audit", "--no-fund"])
        .current_dir(website);
    run_command(npm)?;
    let lock_path = website.join("package-lock.json");
    let stamp = website.join("node_modules").join(INSTALL_STAMP);
    fs::copy(&lock_path, &stamp)
        .map(|_| ())
        .map_err(|source| SiteError::Io {
            path: stamp,
            source,
        })
}

/// The Docusaurus CLI, run through node so no shell or npx lookup is involved.
fn docusaurus(website: &Path) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(
        website
            .join("node_modules")
            .join("@docusaurus")
            .join("core")
            .join("bin")
            .join("docusaurus.mjs"),
    )
    .current_dir(website);
    cmd
}

/// V8 old-space limit (MB) of the bundling process (see [`build_commands`]).
const BUNDLE_HEAP_MB: u32 = 1024;

/// The Docusaurus build, in two processes so that their peaks do not add up: the first bundles
/// (Rspack: the client and the server bundle) and exits; the second loads the site again and
/// renders every page from the server bundle (SSG) and checks the links. Rspack's memory (over
/// 4 GB on the whole corpus) is returned when the first process exits instead of staying under
/// the rendering's. Both are Docusaurus' own switches (`DOCUSAURUS_EXIT_AFTER_BUNDLING`,
/// `DOCUSAURUS_SKIP_BUNDLING`); the second reads the bundles the first left in the output.
///
/// The bundling process runs with V8's old space capped at [`BUNDLE_HEAP_MB`]: its live JS heap
/// stays small (~220 MB at the end of the whole corpus' bundling; Rspack's memory is native), but
/// with the default limit (derived from the machine's memory) V8 lets garbage and the buffers it
/// holds pile up; the cap cut the bundling's peak RSS by ~18% on a 60-service subset.
fn build_commands(plan: &Plan) -> [Command; 2] {
    let mut bundle = build_command(plan);
    let node_options = std::env::var("NODE_OPTIONS").unwrap_or_default();
    bundle
        .env(
            "NODE_OPTIONS",
            format!("{node_options} --max-old-space-size={BUNDLE_HEAP_MB}").trim_start(),
        )
        .env("DOCUSAURUS_EXIT_AFTER_BUNDLING", "true")
        .env_remove("DOCUSAURUS_SKIP_BUNDLING");
    let mut render = build_command(plan);
    render
        .env("DOCUSAURUS_SKIP_BUNDLING", "true")
        .env_remove("DOCUSAURUS_EXIT_AFTER_BUNDLING");
    [bundle, render]
}

fn build_command(plan: &Plan) -> Command {
    let mut cmd = docusaurus(&plan.website);
    cmd.arg("build")
        .arg("--out-dir")
        .arg(&plan.out_dir)
        .env("DOCS_PROVIDER", &plan.provider)
        .env("DOCS_ROOT", &plan.docs_root);
    if plan.services.is_empty() {
        cmd.env_remove("DOCS_SERVICES");
    } else {
        cmd.env("DOCS_SERVICES", plan.services.join(","));
    }
    cmd
}

/// Pagefind over the built pages: writes the fragmented search index to `<out>/pagefind/`, which
/// the navbar search (`website/src/theme/SearchBar`) loads piece by piece. Only each page's
/// `<article>` (its Markdown) is indexed, not the navbar or sidebar.
fn search_index_command(plan: &Plan) -> Command {
    let mut cmd = Command::new("node");
    cmd.arg(
        plan.website
            .join("node_modules")
            .join("pagefind")
            .join("lib")
            .join("runner")
            .join("bin.cjs"),
    )
    .arg("--site")
    .arg(&plan.out_dir)
    .args(["--root-selector", "article"])
    .current_dir(&plan.website);
    cmd
}

fn serve_command(plan: &Plan, port: u16) -> Command {
    let mut cmd = docusaurus(&plan.website);
    cmd.arg("serve")
        .arg("--dir")
        .arg(&plan.out_dir)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--no-open",
        ])
        .env("DOCS_PROVIDER", &plan.provider)
        .env("DOCS_ROOT", &plan.docs_root);
    cmd
}

fn run_command(mut cmd: Command) -> Result<(), SiteError> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let status = cmd.status().map_err(|source| SiteError::Spawn {
        program: program.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        let command = std::iter::once(program)
            .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(" ");
        Err(SiteError::Failed { command, status })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        site: SiteArgs,
    }

    fn args(argv: &[&str]) -> SiteArgs {
        Cli::try_parse_from(std::iter::once("site").chain(argv.iter().copied()))
            .unwrap()
            .site
    }

    fn env_of(cmd: &Command, key: &str) -> Option<Option<String>> {
        cmd.get_envs()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()))
    }

    #[test]
    fn parses_services_as_a_sorted_deduplicated_list() {
        let root = Path::new("/repo");
        let plan = plan(root, &args(&["--services", "s3,codeconnections, s3"])).unwrap();
        assert_eq!(plan.services, ["codeconnections", "s3"]);
        assert_eq!(plan.docs_root, Path::new("/repo/generated/docs"));
        assert_eq!(plan.out_dir, Path::new("/repo/website/build"));
        let cmd = build_command(&plan);
        assert_eq!(
            env_of(&cmd, "DOCS_SERVICES"),
            Some(Some("codeconnections,s3".into()))
        );
        assert_eq!(env_of(&cmd, "DOCS_PROVIDER"), Some(Some("aws".into())));
        let argv: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(argv[0].ends_with("node_modules/@docusaurus/core/bin/docusaurus.mjs"));
        assert_eq!(argv[1..], ["build", "--out-dir", "/repo/website/build"]);
    }

    #[test]
    fn search_index_is_built_over_the_output_directory() {
        let plan = plan(Path::new("/repo"), &args(&["--out-dir", "/tmp/site"])).unwrap();
        let cmd = search_index_command(&plan);
        let argv: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
        assert!(argv[0].ends_with("node_modules/pagefind/lib/runner/bin.cjs"));
        assert_eq!(
            argv[1..],
            ["--site", "/tmp/site", "--root-selector", "article"]
        );
    }

    #[test]
    fn build_bundles_then_renders_in_a_second_process() {
        let plan = plan(Path::new("/repo"), &args(&["--services", "s3"])).unwrap();
        let [bundle, render] = build_commands(&plan);
        assert_eq!(
            env_of(&bundle, "DOCUSAURUS_EXIT_AFTER_BUNDLING"),
            Some(Some("true".into()))
        );
        assert_eq!(env_of(&bundle, "DOCUSAURUS_SKIP_BUNDLING"), Some(None));
        let node_options = env_of(&bundle, "NODE_OPTIONS").flatten().unwrap();
        assert!(
            node_options.ends_with("--max-old-space-size=1024"),
            "{node_options}"
        );
        assert_eq!(env_of(&render, "NODE_OPTIONS"), None);
        assert_eq!(
            env_of(&render, "DOCUSAURUS_SKIP_BUNDLING"),
            Some(Some("true".into()))
        );
        assert_eq!(
            env_of(&render, "DOCUSAURUS_EXIT_AFTER_BUNDLING"),
            Some(None)
        );
        for cmd in [&bundle, &render] {
            assert_eq!(env_of(cmd, "DOCS_SERVICES"), Some(Some("s3".into())));
            let argv: Vec<_> = cmd
                .get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            assert_eq!(argv[1..], ["build", "--out-dir", "/repo/website/build"]);
        }
    }

    #[test]
    fn full_build_clears_an_inherited_subset() {
        let plan = plan(Path::new("/repo"), &args(&[])).unwrap();
        assert_eq!(env_of(&build_command(&plan), "DOCS_SERVICES"), Some(None));
    }

    #[test]
    fn serve_binds_loopback_on_the_given_port() {
        let plan = plan(Path::new("/repo"), &args(&["--serve", "--port", "4321"])).unwrap();
        let cmd = serve_command(&plan, 4321);
        let argv: Vec<_> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            argv[1..],
            [
                "serve",
                "--dir",
                "/repo/website/build",
                "--host",
                "127.0.0.1",
                "--port",
                "4321",
                "--no-open"
            ]
        );
    }

    #[test]
    fn no_build_requires_serve() {
        assert!(Cli::try_parse_from(["site", "--no-build"]).is_err());
        assert!(args(&["--serve", "--no-build"]).no_build);
    }

    #[test]
    fn rejects_names_that_are_not_service_names() {
        for bad in ["S3", "../etc", "a b", "{s3,iam}", "*"] {
            let err = plan(Path::new("/repo"), &args(&["--services", bad])).unwrap_err();
            assert!(
                matches!(
                    err,
                    SiteError::InvalidName {
                        what: "service",
                        ..
                    }
                ),
                "{bad}"
            );
        }
        let err = plan(Path::new("/repo"), &args(&["--provider", "AWS"])).unwrap_err();
        assert!(
            err.to_string().contains("invalid provider name \"AWS\""),
            "{err}"
        );
    }

    #[test]
    fn missing_docs_and_unknown_services_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("aws-docs");
        let docs_arg = dir.path().to_string_lossy().into_owned();
        let p = plan(
            dir.path(),
            &args(&["--docs", &docs_arg, "--services", "s3"]),
        )
        .unwrap();
        let err = check_docs(&p).unwrap_err().to_string();
        assert!(
            err.contains("aws-docs/index.md: missing; run `cargo xtask gen`"),
            "{err}"
        );

        fs::create_dir_all(docs.join("providers/aws/iam")).unwrap();
        fs::write(docs.join("index.md"), "x").unwrap();
        fs::write(docs.join("sidebars.js"), "x").unwrap();
        fs::write(docs.join("providers/aws/iam/index.md"), "x").unwrap();
        let err = check_docs(&p).unwrap_err().to_string();
        assert!(err.starts_with("service \"s3\" has no page at "), "{err}");

        fs::create_dir_all(docs.join("providers/aws/s3")).unwrap();
        fs::write(docs.join("providers/aws/s3/index.md"), "x").unwrap();
        check_docs(&p).unwrap();
    }

    #[test]
    fn install_is_needed_until_the_stamp_matches_the_lockfile() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        fs::write(site.join("package-lock.json"), "{\"v\":1}").unwrap();
        assert!(needs_install(site).unwrap(), "no node_modules");
        fs::create_dir(site.join("node_modules")).unwrap();
        assert!(needs_install(site).unwrap(), "no stamp");
        fs::write(site.join("node_modules").join(INSTALL_STAMP), "{\"v\":1}").unwrap();
        assert!(!needs_install(site).unwrap(), "stamp matches");
        fs::write(site.join("package-lock.json"), "{\"v\":2}").unwrap();
        assert!(needs_install(site).unwrap(), "lockfile changed");
    }

    #[test]
    fn missing_lockfile_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = needs_install(dir.path()).unwrap_err().to_string();
        assert!(err.contains("package-lock.json"), "{err}");
    }
}
