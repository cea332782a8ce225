//! The provider page's "A whole lifecycle" Rust code (`generator/src/docs/snippets/lifecycle.rs`)
//! is on the committed page, compiles against the generated crate, and runs against the
//! emulator as a new user would run it (client from the standard AWS environment).
//!
//! Its own test binary: it sets the AWS environment variables `Client::from_env` reads.

use std::path::PathBuf;

use cloudcontrol_emulator::{Config, Credentials, Emulator};

const SNIPPET: &str = include_str!("../../generator/src/docs/snippets/lifecycle.rs");

#[test]
fn the_committed_provider_page_shows_the_lifecycle_code() {
    let page =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated/docs/aws-docs/index.md");
    let page = std::fs::read_to_string(&page).expect("provider page reads");
    assert!(
        page.contains(&format!("```rust\n{SNIPPET}```")),
        "the provider page does not show docs/snippets/lifecycle.rs; run `cargo xtask gen`"
    );
    for step in ["create(", "get(", "update(", "list(", "delete("] {
        assert!(SNIPPET.contains(step), "the lifecycle lacks {step}");
    }
}

// `async fn lifecycle()`: the snippet as its body (written by `cli/build.rs`).
include!(concat!(env!("OUT_DIR"), "/lifecycle.rs"));

#[tokio::test]
async fn the_provider_page_lifecycle_runs_against_the_emulator() {
    let mut config =
        Config::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs"));
    // Requests finish at once: the default client's waits would otherwise poll after 1 s.
    config.polls_until_complete = 0;
    let emu = Emulator::start(config).await.expect("emulator starts");
    let creds = Credentials::default();
    // The other test of this binary reads no environment: nothing races these writes.
    std::env::set_var("AWS_ENDPOINT_URL", emu.endpoint_url());
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_ACCESS_KEY_ID", &creds.access_key_id);
    std::env::set_var("AWS_SECRET_ACCESS_KEY", &creds.secret_access_key);
    std::env::remove_var("AWS_PROFILE");
    std::env::remove_var("AWS_SESSION_TOKEN");
    lifecycle().await.expect("the page's lifecycle runs");
    let stats = emu.stats();
    assert_eq!(stats.creates_performed, 1);
    assert_eq!(stats.updates_performed, 2);
    assert_eq!(stats.deletes_performed, 1);
    emu.shutdown().await;
}
