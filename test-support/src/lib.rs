//! Helpers for the workspace's tests (a dev-dependency only).
//!
//! The reference data (`../shared` beside the checkout: StackQL's 2024-05 provider, the golden
//! pages, the CloudFormation schemas) is not in the repository. A test that needs it calls
//! [`shared`]: on a developer's clone without it the test skips with a message; under CI
//! (`CI=true`) a missing `../shared` is a failure, so CI can never pass by skipping.

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Whether this run is CI's (`CI` set to `true` or `1`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `../shared` beside the checkout, if every one of `required` (paths relative to it) exists.
///
/// When one is missing: under CI this panics naming it; elsewhere it prints a `skipping:` line
/// to stderr and returns `None`, and the caller returns early.
pub fn shared(required: &[&str]) -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    match required.iter().find(|p| !dir.join(p).exists()) {
        None => Some(dir),
        Some(missing) => {
            let path = dir.join(missing);
            if in_ci() {
                panic!(
                    "CI=true but the reference data {} is missing: CI must run with ../shared \
                     beside the checkout",
                    path.display()
                );
            }
            eprintln!(
                "skipping: {} is not present beside the checkout (the test needs ../shared)",
                path.display()
            );
            None
        }
    }
}

/// The Python interpreter of `target/python-env`, the venv `.ci/python-env` creates with the
/// pinned tools of `tools/python/requirements.txt` (boto3, cfn-lint).
///
/// When it is missing: under CI this panics; elsewhere it prints a `skipping:` line naming the
/// command that creates it and returns `None`, and the caller returns early.
pub fn python_env() -> Option<PathBuf> {
    let python = repo_root().join("target/python-env/bin/python");
    if python.exists() {
        return Some(python);
    }
    if in_ci() {
        panic!(
            "CI=true but {} is missing: .ci/run creates it with `bash .ci/python-env`",
            python.display()
        );
    }
    eprintln!(
        "skipping: {} is not present (create it with `bash .ci/python-env`)",
        python.display()
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_path_skips_outside_ci_and_fails_under_ci() {
        let missing = "no-such-reference-data/for-this-test";
        if in_ci() {
            let result = std::panic::catch_unwind(|| shared(&[missing]));
            assert!(result.is_err(), "under CI a missing ../shared must fail");
        } else {
            assert_eq!(shared(&[missing]), None);
        }
    }

    #[test]
    fn no_requirement_finds_the_directory_itself() {
        assert_eq!(shared(&[]), Some(repo_root().join("../shared")));
    }
}
