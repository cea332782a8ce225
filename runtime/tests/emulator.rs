//! End-to-end: the runtime, through the real `aws-sdk-cloudcontrol` over HTTP, against the
//! in-process Cloud Control emulator serving the hand-written specs in `tests/specs`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use cloudcontrol_emulator::{Config, Emulator, Faults};
use cloudcontrol_runtime::{Client, Error, PollConfig, RetrySettings};
use futures::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use serde_json::json;

const CONNECTION: &str = "AWS::CodeConnections::Connection";
const NODEGROUP: &str = "AWS::EKS::Nodegroup";
const REGION: &str = "us-east-1";

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs")
}

async fn start(adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config::new(specs());
    adjust(&mut config);
    Emulator::start(config).await.expect("emulator starts")
}

/// Fast polling so tests don't wait on production delays.
fn fast_poll() -> PollConfig {
    PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(50),
        Duration::from_millis(1),
        Duration::from_millis(100),
        Duration::from_secs(20),
    )
}

fn client(emu: &Emulator) -> Client {
    let creds = cloudcontrol_emulator::Credentials::default();
    Client::builder()
        .endpoint_url(emu.endpoint_url())
        .region(REGION)
        .credentials(creds.access_key_id, creds.secret_access_key)
        .retry(RetrySettings::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(50),
        ))
        .poll(fast_poll())
        .build()
        .expect("client builds")
}

/// What a user would send to create a connection (plain structs; the generated crate comes later).
#[derive(Serialize, Debug)]
#[serde(rename_all = "PascalCase")]
struct ConnectionInput {
    connection_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_type: Option<String>,
}

/// A connection as Cloud Control returns it.
#[derive(Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "PascalCase")]
struct Connection {
    connection_arn: String,
    connection_name: Option<String>,
    provider_type: Option<String>,
    connection_status: Option<String>,
}

fn input(name: &str) -> ConnectionInput {
    ConnectionInput {
        connection_name: name.to_owned(),
        provider_type: Some("GitHub".to_owned()),
    }
}

#[tokio::test]
async fn create_then_list() {
    let emu = start(|c| c.polls_until_complete = 2).await;
    let client = client(&emu);
    let created =
        cloudcontrol_runtime::create::<_, Connection>(&client, CONNECTION, REGION, &input("first"))
            .await
            .unwrap();
    assert!(!created.request_token.is_empty());
    let model = created.model.clone().expect("model read back");
    assert_eq!(model.connection_arn, created.identifier);
    assert_eq!(model.connection_name.as_deref(), Some("first"));
    assert_eq!(model.provider_type.as_deref(), Some("GitHub"));

    let rows = cloudcontrol_runtime::list::<Connection>(&client, CONNECTION, REGION, None)
        .await
        .and_then(cloudcontrol_runtime::all_decoded)
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].connection_arn, created.identifier);
    assert_eq!(rows[0].connection_name.as_deref(), Some("first"));

    let stats = emu.stats();
    assert_eq!(stats.creates_performed, 1);
    // The create was polled until SUCCESS: two IN_PROGRESS answers, then the terminal one.
    assert_eq!(
        stats.operations.get("GetResourceRequestStatus").copied(),
        Some(3)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn lists_250_resources_across_pages() {
    let emu = start(|_| {}).await;
    let mut seeded = BTreeSet::new();
    for i in 0..250 {
        let id = emu
            .seed_resource(
                CONNECTION,
                json!({"ConnectionName": format!("c{i}"), "ProviderType": "GitHub"}),
            )
            .unwrap();
        seeded.insert(id);
    }
    let client = client(&emu);
    let rows = cloudcontrol_runtime::list::<Connection>(&client, CONNECTION, REGION, None)
        .await
        .and_then(cloudcontrol_runtime::all_decoded)
        .unwrap();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.connection_arn.clone()).collect();
    assert_eq!(rows.len(), 250, "no duplicates, nothing missing");
    assert_eq!(listed, seeded);
    // 250 items at the default page size of 100 → three pages.
    assert_eq!(
        emu.stats().operations.get("ListResources").copied(),
        Some(3)
    );

    // The stream fetches pages lazily: taking 5 rows costs one more page request.
    let first5: Vec<cloudcontrol_runtime::ListItem<Connection>> =
        cloudcontrol_runtime::list_stream(&client, CONNECTION, REGION, None)
            .take(5)
            .try_collect()
            .await
            .unwrap();
    assert!(first5.iter().all(|item| item.decoded().is_some()));
    assert_eq!(first5.len(), 5);
    assert_eq!(
        emu.stats().operations.get("ListResources").copied(),
        Some(4)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn invalid_desired_state_is_a_typed_validation_error_naming_the_property() {
    let emu = start(|_| {}).await;
    let client = client(&emu);
    // ConnectionName is limited to 32 characters: AWS refuses the call itself.
    let err = cloudcontrol_runtime::create::<_, Connection>(
        &client,
        CONNECTION,
        REGION,
        &input(&"x".repeat(40)),
    )
    .await
    .unwrap_err();
    match &err {
        Error::Validation {
            operation,
            type_name,
            message,
            property,
            ..
        } => {
            assert_eq!(*operation, "CreateResource");
            assert_eq!(type_name, CONNECTION);
            assert_eq!(property.as_deref(), Some("ConnectionName"));
            assert!(
                message.starts_with("Model validation failed (#/ConnectionName: "),
                "{message}"
            );
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(err.request_token().is_none());
    assert!(err.to_string().contains("ConnectionName"), "{err}");

    // An unknown property (a closed top level) is named too.
    let err = cloudcontrol_runtime::create::<_, Connection>(
        &client,
        CONNECTION,
        REGION,
        &json!({"ConnectionName": "ok", "Colour": "blue"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.property(), Some("Colour"), "{err:?}");
    assert_eq!(emu.stats().creates_performed, 0);
    emu.shutdown().await;
}

/// Creates `n` connections, `in_flight` at a time, returning their identifiers.
async fn create_batch(client: &Client, prefix: &str, n: usize, in_flight: usize) -> Vec<String> {
    futures::stream::iter(0..n)
        .map(|i| {
            let client = client.clone();
            let name = format!("{prefix}{i}");
            async move {
                cloudcontrol_runtime::create::<_, Connection>(
                    &client,
                    CONNECTION,
                    REGION,
                    &input(&name),
                )
                .await
                .map(|c| c.identifier)
            }
        })
        .buffer_unordered(in_flight)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn creates_survive_30_percent_throttling_without_duplicates() {
    let emu = start(|c| {
        c.faults = Faults {
            throttle_rate: 0.3,
            seed: 7,
            ..Faults::default()
        }
    })
    .await;
    let client = client(&emu).with_retry(RetrySettings::new(
        12,
        Duration::from_millis(2),
        Duration::from_millis(40),
    ));
    let ids = create_batch(&client, "t", 40, 8).await;
    let unique: BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 40);
    let stats = emu.stats();
    assert!(stats.throttled > 0, "faults were injected: {stats:?}");
    assert_eq!(
        stats.creates_performed, 40,
        "one resource per create: {stats:?}"
    );
    assert_eq!(stats.resources, 40);
    emu.shutdown().await;
}

#[tokio::test]
async fn lost_create_responses_are_replayed_by_client_token_not_recreated() {
    // Server faults, half of them after the create was applied: the retry must reuse the
    // ClientToken so the emulator replays the original request instead of creating again.
    let emu = start(|c| {
        c.faults = Faults {
            server_error_rate: 0.3,
            seed: 11,
            ..Faults::default()
        }
    })
    .await;
    let client = client(&emu).with_retry(RetrySettings::new(
        12,
        Duration::from_millis(2),
        Duration::from_millis(40),
    ));
    // 60 creates: with 15% of create attempts losing an applied response, the chance that
    // none does is below 1e-4 whatever order the seeded faults land in.
    let ids = create_batch(&client, "s", 60, 4).await;
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 60);
    let stats = emu.stats();
    assert_eq!(stats.creates_performed, 60, "{stats:?}");
    assert_eq!(stats.resources, 60, "{stats:?}");
    assert_eq!(stats.client_token_conflicts, 0, "{stats:?}");
    assert!(
        stats.idempotent_replays > 0,
        "some applied creates lost their response: {stats:?}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn create_past_its_deadline_returns_the_token_and_resuming_works() {
    let emu = start(|c| c.polls_until_complete = 6).await;
    let patient = client(&emu);
    let hasty = patient.with_poll_config(PollConfig::new(
        Duration::from_millis(20),
        Duration::from_millis(20),
        Duration::from_millis(1),
        Duration::from_millis(20),
        Duration::from_millis(50),
    ));
    let err =
        cloudcontrol_runtime::create::<_, Connection>(&hasty, CONNECTION, REGION, &input("slow"))
            .await
            .unwrap_err();
    let token = match &err {
        Error::Deadline {
            request_token,
            last_status,
            type_name,
            ..
        } => {
            assert_eq!(last_status, "IN_PROGRESS");
            assert_eq!(type_name, CONNECTION);
            request_token.clone()
        }
        other => panic!("expected Deadline, got {other:?}"),
    };
    assert_eq!(err.request_token(), Some(token.as_str()));
    assert!(err.to_string().contains(&token));

    let created =
        cloudcontrol_runtime::resume_create::<Connection>(&patient, CONNECTION, REGION, &token)
            .await
            .unwrap();
    assert_eq!(created.request_token, token);
    assert_eq!(
        created.model.unwrap().connection_name.as_deref(),
        Some("slow")
    );

    // The untyped resume on a finished request reports it at once.
    let outcome = cloudcontrol_runtime::wait_for_request(&patient, REGION, &token)
        .await
        .unwrap();
    assert_eq!(
        outcome.identifier.as_deref(),
        Some(created.identifier.as_str())
    );
    assert_eq!(outcome.type_name.as_deref(), Some(CONNECTION));
    assert_eq!(
        outcome.operation,
        Some(cloudcontrol_runtime::Operation::Create)
    );
    assert_eq!(emu.stats().creates_performed, 1);

    // An unknown token is AWS saying no, not a deadline: the wait stops, naming the token.
    let err = cloudcontrol_runtime::wait_for_request(&patient, REGION, "no-such-token")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Wait { request_token, source, .. }
            if request_token == "no-such-token"
            && matches!(source.as_ref(), Error::Service { code, .. } if code == "RequestTokenNotFoundException")),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("RequestTokenNotFoundException"));
    emu.shutdown().await;
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "PascalCase")]
struct Nodegroup {
    arn: String,
    cluster_name: String,
    nodegroup_name: String,
}

#[tokio::test]
async fn child_type_list_needs_its_parent_property() {
    let emu = start(|c| c.polls_until_complete = 0).await;
    let client = client(&emu);
    for (cluster, group) in [("c1", "a"), ("c1", "b"), ("c2", "z")] {
        cloudcontrol_runtime::create::<_, Nodegroup>(
            &client,
            NODEGROUP,
            REGION,
            &json!({"ClusterName": cluster, "NodegroupName": group, "DesiredSize": 2}),
        )
        .await
        .unwrap();
    }
    let err = cloudcontrol_runtime::list::<Nodegroup>(&client, NODEGROUP, REGION, None)
        .await
        .unwrap_err();
    match &err {
        Error::Service { code, message, .. } => {
            assert_eq!(code, "InvalidRequestException");
            assert!(message.contains("ClusterName"), "{message}");
        }
        other => panic!("expected a Service error, got {other:?}"),
    }
    let rows = cloudcontrol_runtime::list::<Nodegroup>(
        &client,
        NODEGROUP,
        REGION,
        Some(&json!({"ClusterName": "c1"})),
    )
    .await
    .and_then(cloudcontrol_runtime::all_decoded)
    .unwrap();
    let mut names: Vec<_> = rows.iter().map(|r| r.nodegroup_name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["a", "b"]);
    assert!(rows
        .iter()
        .all(|r| r.cluster_name == "c1" && !r.arn.is_empty()));
    emu.shutdown().await;
}

#[tokio::test]
async fn rows_that_do_not_match_the_model_are_undecoded_items_and_the_listing_goes_on() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Strict {
        #[serde(rename = "ConnectionName")]
        name: u32,
    }
    let emu = start(|_| {}).await;
    let bad = emu
        .seed_resource(CONNECTION, json!({"ConnectionName": "not-a-number"}))
        .unwrap();
    emu.seed_resource(CONNECTION, json!({"ConnectionName": "7"}))
        .unwrap();
    let items = cloudcontrol_runtime::list::<Strict>(&client(&emu), CONNECTION, REGION, None)
        .await
        .unwrap();
    assert_eq!(items.len(), 2, "nothing skipped");
    let undecoded: Vec<_> = items.iter().filter_map(|i| i.undecoded()).collect();
    assert_eq!(
        undecoded.len(),
        2,
        "both names are strings, neither decodes as u32"
    );
    assert!(undecoded
        .iter()
        .any(|u| u.identifier.as_deref() == Some(bad.as_str())));
    for u in &undecoded {
        assert_eq!(u.type_name, CONNECTION);
        assert_eq!(u.path, "ConnectionName");
        assert!(u.raw["ConnectionName"].is_string(), "{:?}", u.raw);
    }
    let err = cloudcontrol_runtime::all_decoded(items).unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_rejected_by_aws_without_leaking_the_secret() {
    let emu = start(|_| {}).await;
    let client = Client::builder()
        .endpoint_url(emu.endpoint_url())
        .credentials("AKIDEXAMPLE", "not-the-right-secret-XYZZY")
        .retry(RetrySettings::disabled())
        .build()
        .unwrap();
    let err = cloudcontrol_runtime::list::<Connection>(&client, CONNECTION, REGION, None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("XYZZY"), "{shown}");
    assert_eq!(emu.stats().auth_failures, 1);
    emu.shutdown().await;
}
