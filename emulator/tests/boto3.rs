//! A second, independent client: boto3 (pinned in `tools/python/requirements.txt`) drives the
//! `cloudcontrol-emulator` binary through every Cloud Control operation, error cases included,
//! and every response is checked against botocore's own service model (`tests/python/boto3_e2e.py`).
//! Skips with a message when `target/python-env` is missing (`bash .ci/python-env` creates it);
//! fails under `CI=true`.

use std::process::Command;

#[test]
fn boto3_agrees_with_the_emulator_on_every_operation() {
    let Some(python) = test_support::python_env() else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(python)
        .arg(dir.join("tests/python/boto3_e2e.py"))
        .arg("--emulator")
        .arg(env!("CARGO_BIN_EXE_cloudcontrol-emulator"))
        .arg("--specs")
        .arg(dir.join("tests/fixtures/specs"))
        .output()
        .expect("the venv's python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "boto3_e2e.py failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    // Every operation was called and checked (the script prints one `ok <Operation>` per call).
    for op in [
        "CreateResource",
        "GetResource",
        "UpdateResource",
        "DeleteResource",
        "ListResources",
        "GetResourceRequestStatus",
        "ListResourceRequests",
        "CancelResourceRequest",
    ] {
        assert!(
            stdout.contains(&format!("ok {op} ")),
            "{op} was not exercised:\n{stdout}"
        );
    }
}
