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
