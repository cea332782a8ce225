//! Helpers for the workspace's tests (a dev-dependency only).
//!
//! The reference data (`../shared` beside the checkout: StackQL's 2024-05 provider, the golden
//! pages, the CloudFormation schemas) is not in the repository. A test that needs it calls
//! [`shared`]: on a developer's clone without it the test skips with a message; under CI
//! (`CI=true`) a missing `../shared` is a failure, so CI can never pass by skipping. The same
//! rule holds for the pinned Python tools ([`python_env`]).

use std::path::{Path, PathBuf};

/// What the 2024-05 corpus tests need: the provider file of `specs/2024-05`.
pub const CORPUS: &str = "specs/2024-05/aws/provider.yaml";

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

/// Why a test cannot run: something it needs is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Outside CI: the test skips, printing this message.
    Skip(String),
    /// Under CI: the test fails with this message.
    Fail(String),
}

/// `dir` if every one of `required` (paths relative to it) exists; else what a test does about
/// the first missing one, under CI (`ci`) or not. Pure, so both branches are tested.
pub fn locate(dir: &Path, required: &[&str], ci: bool) -> Result<PathBuf, Missing> {
    match required.iter().find(|p| !dir.join(p).exists()) {
        None => Ok(dir.to_path_buf()),
        Some(missing) => {
            let path = dir.join(missing);
            Err(if ci {
                Missing::Fail(format!(
                    "CI=true but the reference data {} is missing: CI must run with ../shared \
                     beside the checkout",
                    path.display()
                ))
            } else {
                Missing::Skip(format!(
                    "skipping: {} is not present beside the checkout (the test needs ../shared)",
                    path.display()
                ))
            })
        }
    }
}

/// Skips (message on stderr, `None`) or fails (panic) as `missing` says.
fn settle(found: Result<PathBuf, Missing>) -> Option<PathBuf> {
    match found {
        Ok(path) => Some(path),
        Err(Missing::Skip(message)) => {
            eprintln!("{message}");
            None
        }
        Err(Missing::Fail(message)) => panic!("{message}"),
    }
}

/// `../shared` beside the checkout, if every one of `required` (paths relative to it) exists.
///
/// When one is missing: under CI (`CI=true`) this panics naming it; elsewhere it prints a
/// `skipping:` line to stderr and returns `None`, and the caller returns early:
///
/// ```no_run
/// let Some(shared) = test_support::shared(&[test_support::CORPUS]) else {
///     return;
/// };
/// ```
pub fn shared(required: &[&str]) -> Option<PathBuf> {
    settle(locate(&repo_root().join("../shared"), required, in_ci()))
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
    settle(Err(if in_ci() {
        Missing::Fail(format!(
            "CI=true but {} is missing: .ci/run creates it with `bash .ci/python-env`",
            python.display()
        ))
    } else {
        Missing::Skip(format!(
            "skipping: {} is not present (create it with `bash .ci/python-env`)",
            python.display()
        ))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_paths_give_the_directory() {
        let dir = tempfile_dir("present");
        std::fs::create_dir_all(dir.join("specs/2024-05")).unwrap();
        assert_eq!(locate(&dir, &["specs/2024-05"], true), Ok(dir.clone()));
        assert_eq!(locate(&dir, &[], false), Ok(dir.clone()));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_path_skips_outside_ci_and_fails_under_ci() {
        let dir = tempfile_dir("missing");
        std::fs::create_dir_all(dir.join("golden")).unwrap();
        let required = ["golden", "specs/2024-05/aws/provider.yaml"];
        let missing = dir.join("specs/2024-05/aws/provider.yaml");
        match locate(&dir, &required, false) {
            Err(Missing::Skip(message)) => {
                assert!(message.starts_with("skipping: "), "{message}");
                assert!(
                    message.contains(&missing.display().to_string()),
                    "{message}"
                );
            }
            other => panic!("outside CI a missing path skips, got {other:?}"),
        }
        match locate(&dir, &required, true) {
            Err(Missing::Fail(message)) => {
                assert!(message.starts_with("CI=true but "), "{message}");
                assert!(
                    message.contains(&missing.display().to_string()),
                    "{message}"
                );
            }
            other => panic!("under CI a missing path fails, got {other:?}"),
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn settle_skips_with_none_and_fails_with_a_panic() {
        assert_eq!(settle(Err(Missing::Skip("skipping: x".into()))), None);
        let failed = std::panic::catch_unwind(|| settle(Err(Missing::Fail("CI=true".into()))));
        assert!(failed.is_err(), "a Fail must panic");
    }

    /// A fresh directory under the system temp dir, unique per test and process.
    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("test-support-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
