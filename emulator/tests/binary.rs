//! The `cloudcontrol-emulator` binary prints its endpoint and serves the SDK.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::json;

/// Kills the child on drop so a failed assertion does not leak the server process.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_serves_the_sdk() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_cloudcontrol-emulator"))
            .args(["--specs"])
            .arg(fixtures())
            .args([
                "--port",
                "0",
                "--polls",
                "0",
                "--access-key",
                "AKIDBIN",
                "--secret-key",
                "bin-secret",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoint line");
    let endpoint = line.trim().to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");

    let c = client_with(
        &endpoint,
        "AKIDBIN",
        "bin-secret",
        aws_sdk_cloudcontrol::config::retry::RetryConfig::disabled(),
    );
    let ev = c
        .create_resource()
        .type_name(CONNECTION)
        .desired_state(json!({"ConnectionName": "from-cli"}).to_string())
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    // --polls 0: the create answers SUCCESS at once.
    assert_eq!(
        ev.operation_status(),
        Some(&aws_sdk_cloudcontrol::types::OperationStatus::Success)
    );
    let page = c
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .unwrap();
    assert_eq!(page.resource_descriptions().len(), 1);
}

#[tokio::test]
async fn binary_enforces_a_policy_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("policy.json");
    // Cloud Control create/status/list are allowed, the create handler's permission is not.
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudformation:CreateResource","cloudformation:GetResourceRequestStatus"],"Resource":"*"}]}"#,
    )
    .expect("policy written");
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_cloudcontrol-emulator"))
            .args(["--specs"])
            .arg(fixtures())
            .args(["--port", "0", "--polls", "0", "--policy"])
            .arg(&policy)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoint line");
    let creds = cloudcontrol_emulator::Credentials::default();
    let c = client_with(
        line.trim(),
        &creds.access_key_id,
        &creds.secret_access_key,
        aws_sdk_cloudcontrol::config::retry::RetryConfig::disabled(),
    );
    // The handler permission is missing: the request is accepted and FAILS with AccessDenied.
    let ev = c
        .create_resource()
        .type_name(CONNECTION)
        .desired_state(json!({"ConnectionName": "denied"}).to_string())
        .send()
        .await
        .expect("accepted")
        .progress_event
        .expect("event");
    assert_eq!(
        ev.operation_status(),
        Some(&aws_sdk_cloudcontrol::types::OperationStatus::Failed)
    );
    assert_eq!(ev.error_code().map(|c| c.as_str()), Some("AccessDenied"));
    assert_eq!(
        ev.status_message(),
        Some("User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: codeconnections:CreateConnection because no identity-based policy allows the codeconnections:CreateConnection action")
    );
    // The Cloud Control action is missing: HTTP 400 AccessDeniedException at once.
    let err = c
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .expect_err("denied");
    let raw = err.raw_response().expect("HTTP response");
    assert_eq!(raw.status().as_u16(), 400);
    let err = err.into_service_error();
    assert_eq!(
        aws_sdk_cloudcontrol::error::ProvideErrorMetadata::code(&err),
        Some("AccessDeniedException")
    );
    assert!(
        aws_sdk_cloudcontrol::error::ProvideErrorMetadata::message(&err)
            .unwrap_or_default()
            .contains("perform: cloudformation:ListResources because")
    );
}

#[test]
fn binary_rejects_a_bad_policy_file_with_its_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"Statement":[{"Effect":"Allow","Action":"a:b","Condition":{"Bool":{}}}]}"#,
    )
    .expect("policy written");
    let out = Command::new(env!("CARGO_BIN_EXE_cloudcontrol-emulator"))
        .args(["--specs"])
        .arg(fixtures())
        .arg("--policy")
        .arg(&policy)
        .output()
        .expect("binary runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("policy.json: at Statement[0].Condition: `Condition` is not supported"),
        "{stderr}"
    );
}
