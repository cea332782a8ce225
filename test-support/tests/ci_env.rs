//! `shared()` reads `CI` from the environment: this test runs its own binary again, once with
//! `CI=true` and once without, asking for reference data that does not exist. Under CI the
//! child must fail naming the path; outside it, it must pass after printing `skipping:`.

use std::process::Command;

/// Set in the child runs only: the probe then asks for the missing path.
const PROBE: &str = "TEST_SUPPORT_CI_PROBE";
const MISSING: &str = "no-such-reference-data/for-the-ci-probe";

#[test]
fn probe() {
    if std::env::var_os(PROBE).is_none() {
        return;
    }
    let found = test_support::shared(&[MISSING]);
    assert_eq!(found, None, "the probe's path must not exist");
}

fn run_probe(ci: Option<&str>) -> std::process::Output {
    let exe = std::env::current_exe().expect("test binary path");
    let mut command = Command::new(exe);
    command
        .args(["--exact", "probe", "--nocapture", "--test-threads=1"])
        .env(PROBE, "1")
        .env_remove("CI");
    if let Some(value) = ci {
        command.env("CI", value);
    }
    command.output().expect("test binary runs")
}

#[test]
fn missing_shared_data_fails_under_ci_and_skips_elsewhere() {
    if std::env::var_os(PROBE).is_some() {
        return;
    }
    for ci in ["true", "1"] {
        let under_ci = run_probe(Some(ci));
        let stderr = String::from_utf8_lossy(&under_ci.stderr);
        assert!(
            !under_ci.status.success(),
            "CI={ci}: the probe passed:\n{stderr}"
        );
        assert!(
            stderr.contains("CI=true but the reference data") && stderr.contains(MISSING),
            "CI={ci}: {stderr}"
        );
    }
    for ci in [None, Some("false")] {
        let local = run_probe(ci);
        let stderr = String::from_utf8_lossy(&local.stderr);
        assert!(
            local.status.success(),
            "CI={ci:?}: the probe failed:\n{stderr}"
        );
        assert!(
            stderr.contains("skipping:") && stderr.contains(MISSING),
            "CI={ci:?}: {stderr}"
        );
    }
}
