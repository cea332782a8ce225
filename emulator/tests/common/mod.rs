//! Helpers shared by the end-to-end tests: emulator start-up and SDK clients.

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use aws_sdk_cloudcontrol as cc;
use cc::config::retry::RetryConfig;
use cc::config::{BehaviorVersion, Credentials, Region};
use cc::types::{OperationStatus, ProgressEvent};
use cloudcontrol_emulator::{Config, Emulator};

pub const CONNECTION: &str = "AWS::CodeConnections::Connection";
pub const NODEGROUP: &str = "AWS::EKS::Nodegroup";
pub const LOG_GROUP: &str = "AWS::Logs::LogGroup";

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs")
}

pub async fn start(config: Config) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

pub async fn start_fixtures() -> Emulator {
    start(Config::new(fixtures())).await
}

/// A plain-HTTP SDK client for the emulator, signing with the given keys.
pub fn client_with(endpoint: &str, akid: &str, secret: &str, retry: RetryConfig) -> cc::Client {
    let conf = cc::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(akid, secret, None, None, "test"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(retry)
        .build();
    cc::Client::from_conf(conf)
}

/// A client with the emulator's default credentials and retries disabled (one attempt).
pub fn client(emulator: &Emulator) -> cc::Client {
    let creds = cloudcontrol_emulator::Credentials::default();
    client_with(
        &emulator.endpoint_url(),
        &creds.access_key_id,
        &creds.secret_access_key,
        RetryConfig::disabled(),
    )
}

pub fn is_terminal(ev: &ProgressEvent) -> bool {
    matches!(
        ev.operation_status(),
        Some(OperationStatus::Success | OperationStatus::Failed | OperationStatus::CancelComplete)
    )
}

/// Polls GetResourceRequestStatus until a terminal status (bounded).
pub async fn wait(client: &cc::Client, first: ProgressEvent) -> ProgressEvent {
    let token = first.request_token().expect("request token").to_owned();
    let mut ev = first;
    for _ in 0..50 {
        if is_terminal(&ev) {
            return ev;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
        ev = client
            .get_resource_request_status()
            .request_token(&token)
            .send()
            .await
            .expect("status")
            .progress_event
            .expect("progress event");
    }
    panic!("request {token} did not finish");
}

/// Creates a resource and waits for the terminal event.
pub async fn create(
    client: &cc::Client,
    type_name: &str,
    state: serde_json::Value,
) -> ProgressEvent {
    let ev = client
        .create_resource()
        .type_name(type_name)
        .desired_state(state.to_string())
        .send()
        .await
        .expect("create accepted")
        .progress_event
        .expect("progress event");
    wait(client, ev).await
}

/// A CreateResource that AWS refuses in the call itself: asserts HTTP 400 and returns the
/// error code and message.
pub async fn create_refused(
    client: &cc::Client,
    type_name: &str,
    state: serde_json::Value,
) -> (String, String) {
    use cc::error::ProvideErrorMetadata;
    let err = client
        .create_resource()
        .type_name(type_name)
        .desired_state(state.to_string())
        .send()
        .await
        .expect_err("create refused");
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(status, Some(400), "{state}: {err:?}");
    (
        err.code().unwrap_or_default().to_owned(),
        err.message().unwrap_or_default().to_owned(),
    )
}

/// An UpdateResource that AWS refuses in the call itself: asserts HTTP 400 and returns the
/// error code and message.
pub async fn update_refused(
    client: &cc::Client,
    type_name: &str,
    identifier: &str,
    patch: serde_json::Value,
) -> (String, String) {
    use cc::error::ProvideErrorMetadata;
    let err = client
        .update_resource()
        .type_name(type_name)
        .identifier(identifier)
        .patch_document(patch.to_string())
        .send()
        .await
        .expect_err("update refused");
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(status, Some(400), "{patch}: {err:?}");
    (
        err.code().unwrap_or_default().to_owned(),
        err.message().unwrap_or_default().to_owned(),
    )
}
