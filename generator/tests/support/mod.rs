//! Test support: writing generated files, and a harness that compiles a generated crate
//! together with small programs using it, with `cargo --offline` in a temporary workspace and
//! a persistent target directory (`target/generated-crates`) so dependencies build once.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Writes `files` (relative paths) under `dir`.
pub fn write_files(dir: &Path, files: &BTreeMap<String, String>) {
    for (path, contents) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("file has a parent")).expect("dir created");
        std::fs::write(&target, contents).expect("file written");
    }
}

/// Every file under `dir`, keyed by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(relative, std::fs::read_to_string(&path).expect("text file"));
        }
    }
}

/// The workspace root.
pub fn repo_root() -> PathBuf {
    test_support::repo_root()
}

/// Output of a cargo run.
pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// A temporary workspace: `gen/<crate>` (the generated crate) and `check` (a bin crate using
/// it).
pub struct Harness {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Harness {
    /// A new harness; `name` only labels the temp dir.
    pub fn new(name: &str) -> Option<Harness> {
        let dir = tempfile::Builder::new()
            .prefix(&format!("gen-rust-{name}-"))
            .tempdir()
            .expect("temp dir");
        let target = std::env::var_os("GENERATED_CRATES_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo_root().join("target/generated-crates"));
        Some(Harness { dir, target })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the generated crate's files.
    pub fn write_crate(&self, files: &BTreeMap<String, String>) {
        write_files(&self.dir.path().join("gen/crate"), files);
    }

    /// Adds a program to the `check` crate.
    pub fn add_bin(&self, name: &str, source: &str) {
        let path = self.dir.path().join(format!("check/src/bin/{name}.rs"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("bin dir");
        std::fs::write(path, source).expect("bin written");
    }

    /// Writes the workspace and the `check` manifest (depending on the generated crate with
    /// `features`), and pins dependency versions to the repository's lock file.
    pub fn finish(&self, features: &[&str]) {
        let root = self.dir.path();
        // The generated crate's `runtime` feature depends on `../../runtime`: link the
        // repository's runtime (and the emulator, its provider-spec and test-support: dev-dependencies) beside `gen/`, and give
        // the temporary workspace the repository's shared package and dependency tables, which
        // those manifests inherit.
        for name in ["runtime", "emulator", "provider-spec", "test-support"] {
            let link = root.join(name);
            if !link.exists() {
                #[cfg(unix)]
                std::os::unix::fs::symlink(repo_root().join(name), &link).expect("symlink");
            }
        }
        let repo_manifest =
            std::fs::read_to_string(repo_root().join("Cargo.toml")).expect("repo manifest");
        let shared_tables = repo_manifest
            .find("[workspace.package]")
            .map(|start| {
                let rest = &repo_manifest[start..];
                let end = rest.find("[profile").unwrap_or(rest.len());
                rest[..end].to_owned()
            })
            .unwrap_or_default();
        std::fs::write(
            root.join("Cargo.toml"),
            format!("[workspace]\nresolver = \"2\"\nmembers = [\"gen/crate\", \"check\"]\n\n{shared_tables}"),
        )
        .expect("workspace");
        let features: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
        let manifest = format!(
            "[package]\nname = \"check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\naws-cloudcontrol-resources = {{ path = \"../gen/crate\", features = [{}] }}\nserde_json = \"1\"\n",
            features.join(", ")
        );
        std::fs::create_dir_all(root.join("check/src")).expect("check dir");
        std::fs::write(root.join("check/Cargo.toml"), manifest).expect("check manifest");
        if !root.join("check/src/bin").is_dir() {
            std::fs::write(root.join("check/src/lib.rs"), "//! Nothing.\n").expect("check lib");
        }
        let lock = repo_root().join("Cargo.lock");
        if lock.is_file() {
            std::fs::copy(lock, root.join("Cargo.lock")).expect("lock copied");
        }
    }

    /// Adds a dependency line to the `check` crate (after [`Harness::finish`]).
    pub fn add_dependency(&self, line: &str) {
        let path = self.dir.path().join("check/Cargo.toml");
        let mut manifest = std::fs::read_to_string(&path).expect("check manifest");
        manifest.push_str(line);
        manifest.push('\n');
        std::fs::write(path, manifest).expect("check manifest written");
    }

    fn command(&self, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(args)
            .arg("--offline")
            .current_dir(self.dir.path())
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUSTFLAGS", "-D warnings")
            .env("RUSTDOCFLAGS", "-D warnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env_remove("CARGO_ENCODED_RUSTDOCFLAGS");
        command
    }

    /// Runs cargo in the workspace (`--offline`, warnings denied).
    pub fn cargo(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("cargo runs");
        Run {
            status: output.status,
            stdout: output.stdout,
            stderr: output.stderr,
        }
    }

    /// `cargo doc --no-deps` of the generated crate only.
    pub fn cargo_doc_generated(&self, extra: &[&str]) -> Run {
        let mut args = vec!["doc", "--no-deps", "-p", "aws-cloudcontrol-resources"];
        args.extend_from_slice(extra);
        self.cargo(&args)
    }
}
