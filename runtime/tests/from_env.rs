//! `Client::from_env` picks up credentials, region and endpoint from the standard AWS
//! environment variables. Own test binary: it mutates the process environment.

use std::path::PathBuf;

use cloudcontrol_emulator::{Config, Credentials, Emulator};
use cloudcontrol_runtime::Client;
use serde_json::json;

#[tokio::test]
async fn from_env_reads_credentials_region_and_endpoint() {
    let emu = Emulator::start(Config::new(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs"),
    ))
    .await
    .unwrap();
    // Each region has its own resources: seeded where the environment's region will list.
    emu.seed_resource_in(
        "eu-central-1",
        "AWS::CodeConnections::Connection",
        json!({"ConnectionName": "env"}),
    )
    .unwrap();
    let creds = Credentials::default();
    std::env::set_var("AWS_ACCESS_KEY_ID", &creds.access_key_id);
    std::env::set_var("AWS_SECRET_ACCESS_KEY", &creds.secret_access_key);
    std::env::set_var("AWS_REGION", "eu-central-1");
    std::env::set_var("AWS_ENDPOINT_URL", emu.endpoint_url());
    // Keep the loader off the network and away from any profile on the machine.
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/config");
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");

    let client = Client::from_env().await;
    assert_eq!(client.default_region(), Some("eu-central-1"));
    assert_eq!(client.endpoint_url(), Some(emu.endpoint_url().as_str()));
    let rows: Vec<serde_json::Value> = cloudcontrol_runtime::list_raw(
        &client,
        "AWS::CodeConnections::Connection",
        "eu-central-1",
        None,
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ConnectionName"], json!("env"));
    assert_eq!(emu.stats().auth_failures, 0);
    emu.shutdown().await;
}
