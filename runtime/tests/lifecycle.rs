//! End-to-end: get, update (JSON Patch), delete, and request tracking (resume, cancel,
//! list with filters) through the real SDK against the in-process emulator.

use std::path::PathBuf;
use std::time::Duration;

use cloudcontrol_emulator::{Config, Emulator};
use cloudcontrol_runtime::{Client, Error, Operation, PollConfig, RequestFilter, RetrySettings};
use serde_json::{json, Value};

const CONNECTION: &str = "AWS::CodeConnections::Connection";
const REGION: &str = "us-east-1";

async fn start(adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/specs"));
    adjust(&mut config);
    Emulator::start(config).await.expect("emulator starts")
}

fn poll(deadline: Duration) -> PollConfig {
    PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(20),
        Duration::from_millis(1),
        Duration::from_millis(20),
        deadline,
    )
}

fn client(emu: &Emulator) -> Client {
    let creds = cloudcontrol_emulator::Credentials::default();
    Client::builder()
        .endpoint_url(emu.endpoint_url())
        .region(REGION)
        .credentials(creds.access_key_id, creds.secret_access_key)
        .retry(RetrySettings::new(
            10,
            Duration::from_millis(1),
            Duration::from_millis(10),
        ))
        .poll(poll(Duration::from_secs(20)))
        .build()
        .expect("client builds")
}

async fn create(client: &Client, name: &str) -> String {
    cloudcontrol_runtime::create::<_, Value>(
        client,
        CONNECTION,
        REGION,
        &json!({"ConnectionName": name, "ProviderType": "GitHub"}),
    )
    .await
    .expect("create")
    .identifier
}

#[tokio::test]
async fn get_update_delete_then_not_found() {
    let emu = start(|c| c.polls_until_complete = 2).await;
    let client = client(&emu);
    let id = create(&client, "c1").await;

    let model: Value = cloudcontrol_runtime::get(&client, CONNECTION, REGION, &id)
        .await
        .unwrap();
    assert_eq!(model["ConnectionName"], "c1");

    let patch = json!([{"op": "add", "path": "/Tags", "value": [{"Key": "k", "Value": "v"}]}]);
    let updated =
        cloudcontrol_runtime::update::<_, Value>(&client, CONNECTION, REGION, &id, &patch)
            .await
            .unwrap();
    assert_eq!(updated.identifier, id);
    assert_eq!(updated.model.unwrap()["Tags"][0]["Key"], "k");
    let model: Value = cloudcontrol_runtime::get(&client, CONNECTION, REGION, &id)
        .await
        .unwrap();
    assert_eq!(model["Tags"][0]["Value"], "v");

    // A create-only change is refused in the call itself, naming the property.
    let bad = json!([{"op": "replace", "path": "/ConnectionName", "value": "c2"}]);
    let err = cloudcontrol_runtime::update::<_, Value>(&client, CONNECTION, REGION, &id, &bad)
        .await
        .unwrap_err();
    match &err {
        Error::NotUpdatable {
            operation,
            properties,
            message,
            ..
        } => {
            assert_eq!(*operation, "UpdateResource");
            assert_eq!(properties, &["ConnectionName"]);
            assert!(message.contains("createOnlyProperties"), "{message}");
        }
        other => panic!("expected NotUpdatable, got {other:?}"),
    }
    assert_eq!(err.code(), Some("NotUpdatableException"));
    assert!(err.to_string().contains("ConnectionName"), "{err}");
    // A patch whose result breaks the schema is a typed validation error.
    let bad = json!([{"op": "add", "path": "/Tags", "value": [{"Key": "", "Value": "v"}]}]);
    let err = cloudcontrol_runtime::update::<_, Value>(&client, CONNECTION, REGION, &id, &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { property: Some(p), .. } if p == "Tags/0/Key"),
        "{err:?}"
    );

    let deleted = cloudcontrol_runtime::delete(&client, CONNECTION, REGION, &id)
        .await
        .unwrap();
    assert_eq!(deleted.identifier, id);
    let err = cloudcontrol_runtime::get::<Value>(&client, CONNECTION, REGION, &id)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { type_name, identifier } if type_name == CONNECTION && *identifier == id),
        "{err:?}"
    );
    assert!(err.is_not_found());

    // Deleting again: the handler reports NotFound, a failed DELETE request.
    let err = cloudcontrol_runtime::delete(&client, CONNECTION, REGION, &id)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::RequestFailed {
                operation: Operation::Delete,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_not_found(), "{err:?}");
    emu.shutdown().await;
}

/// 30% throttling plus 5xx answered after the change was applied: every update and delete is
/// retried with the same ClientToken and takes effect exactly once.
#[tokio::test]
async fn update_and_delete_take_effect_once_under_faults() {
    let emu = start(|c| {
        c.faults.throttle_rate = 0.3;
        c.faults.server_error_rate = 0.2;
        c.faults.seed = 7;
    })
    .await;
    let client = client(&emu);
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(create(&client, &format!("f{i}")).await);
    }
    let before = emu.stats();
    for id in &ids {
        let patch = json!([{"op": "add", "path": "/Tags", "value": [{"Key": "n", "Value": id}]}]);
        cloudcontrol_runtime::update::<_, Value>(&client, CONNECTION, REGION, id, &patch)
            .await
            .unwrap();
        cloudcontrol_runtime::delete(&client, CONNECTION, REGION, id)
            .await
            .unwrap();
    }
    let after = emu.stats();
    assert_eq!(after.updates_performed - before.updates_performed, 5);
    assert_eq!(after.deletes_performed - before.deletes_performed, 5);
    assert!(
        after.throttled > before.throttled,
        "no throttling was injected"
    );
    assert!(
        after.idempotent_replays > before.idempotent_replays
            || after.server_errors > before.server_errors
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_past_its_deadline_is_resumed() {
    let emu = start(|c| c.polls_until_complete = 6).await;
    let patient = client(&emu);
    let id = create(&patient, "slow").await;
    let hasty = patient.with_poll_config(poll(Duration::from_millis(1)));
    let err = cloudcontrol_runtime::delete(&hasty, CONNECTION, REGION, &id)
        .await
        .unwrap_err();
    let token = match &err {
        Error::Deadline {
            operation,
            request_token,
            ..
        } => {
            assert_eq!(*operation, Operation::Delete);
            request_token.clone()
        }
        other => panic!("expected Deadline, got {other:?}"),
    };
    // Listing in-progress deletes finds it.
    let open = cloudcontrol_runtime::list_requests(
        &patient,
        REGION,
        &RequestFilter::new()
            .operation(Operation::Delete)
            .status("IN_PROGRESS"),
    )
    .await
    .unwrap();
    assert!(open.iter().any(|r| r.request_token == token), "{open:?}");
    let deleted = cloudcontrol_runtime::resume_delete(&patient, CONNECTION, REGION, &token)
        .await
        .unwrap();
    assert_eq!(deleted.identifier, id);
    let outcome = cloudcontrol_runtime::resume(&patient, REGION, &token)
        .await
        .unwrap();
    assert_eq!(outcome.operation, Some(Operation::Delete));
    assert!(
        cloudcontrol_runtime::get::<Value>(&patient, CONNECTION, REGION, &id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert_eq!(emu.stats().deletes_performed, 1);
    // Finished: no longer listed as in progress, listed as a successful delete.
    let open = cloudcontrol_runtime::list_requests(
        &patient,
        REGION,
        &RequestFilter::new().status("IN_PROGRESS"),
    )
    .await
    .unwrap();
    assert!(open.iter().all(|r| r.request_token != token));
    let done = cloudcontrol_runtime::list_requests(
        &patient,
        REGION,
        &RequestFilter::new()
            .operation(Operation::Delete)
            .status("SUCCESS"),
    )
    .await
    .unwrap();
    assert!(done.iter().any(|r| r.request_token == token));
    let creates = cloudcontrol_runtime::list_requests(
        &patient,
        REGION,
        &RequestFilter::new().operation(Operation::Create),
    )
    .await
    .unwrap();
    assert!(
        creates
            .iter()
            .all(|r| r.operation == Some(Operation::Create))
            && !creates.is_empty()
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn cancelled_update_is_reverted_and_reported() {
    let emu = start(|c| c.polls_until_complete = 50).await;
    let patient = client(&emu);
    let fast = emu_fast(&emu);
    let id = create(&fast, "cx").await;
    let hasty = patient.with_poll_config(poll(Duration::from_millis(1)));
    let patch = json!([{"op": "add", "path": "/Tags", "value": [{"Key": "k", "Value": "v"}]}]);
    let err = cloudcontrol_runtime::update::<_, Value>(&hasty, CONNECTION, REGION, &id, &patch)
        .await
        .unwrap_err();
    let token = err
        .request_token()
        .expect("deadline carries the token")
        .to_owned();
    assert_eq!(err.operation(), Some(&Operation::Update));
    // The update is still in progress: AWS refuses another request on the resource.
    let err = cloudcontrol_runtime::delete(&fast, CONNECTION, REGION, &id)
        .await
        .unwrap_err();
    match &err {
        Error::ResourceConflict {
            operation,
            type_name,
            message,
            ..
        } => {
            assert_eq!(*operation, "DeleteResource");
            assert_eq!(type_name, CONNECTION);
            assert!(message.contains(&token), "{message}");
        }
        other => panic!("expected ResourceConflict, got {other:?}"),
    }
    let status = cloudcontrol_runtime::cancel(&patient, REGION, &token)
        .await
        .unwrap();
    assert_eq!(status.request_token, token);
    assert_eq!(status.status, "CANCEL_IN_PROGRESS");
    let err = cloudcontrol_runtime::resume_update::<Value>(&patient, CONNECTION, REGION, &token)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Cancelled {
                operation: Operation::Update,
                ..
            }
        ),
        "{err:?}"
    );
    let model: Value = cloudcontrol_runtime::get(&patient, CONNECTION, REGION, &id)
        .await
        .unwrap();
    assert!(
        model.get("Tags").is_none(),
        "cancelled update was not reverted: {model}"
    );
    emu.shutdown().await;
}

/// A second emulator-config-independent client that never waits long (creates finish after
/// `polls_until_complete` polls, so this one polls without delay).
fn emu_fast(emu: &Emulator) -> Client {
    client(emu).with_poll_config(PollConfig::new(
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::from_secs(20),
    ))
}

/// Each region has its own resources; a three-region list keeps the two healthy regions' rows
/// when the third fails server-side (a regional outage: the emulator answers every request
/// signed for it `ServiceUnavailable`, 503, which outlasts the retries).
#[tokio::test]
async fn regions_are_apart_and_a_failed_region_keeps_the_others_rows() {
    const DOWN: &str = "ap-southeast-2";
    let emu = start(|c| {
        c.faults.unavailable_regions.insert(DOWN.to_owned());
    })
    .await;
    let client = client(&emu);
    let id = create(&client, "east").await;
    let err = cloudcontrol_runtime::get::<Value>(&client, CONNECTION, "eu-west-1", &id)
        .await
        .unwrap_err();
    assert!(
        err.is_not_found(),
        "a us-east-1 resource is visible in eu-west-1: {err:?}"
    );
    for i in 0..3 {
        cloudcontrol_runtime::create::<_, Value>(
            &client,
            CONNECTION,
            "eu-west-1",
            &json!({"ConnectionName": format!("west{i}")}),
        )
        .await
        .unwrap();
    }
    // More than one page in the healthy regions (page size 100): none of their pages is lost.
    for i in 0..150 {
        emu.seed_resource_in(
            "us-east-1",
            CONNECTION,
            json!({"ConnectionName": format!("seeded{i}"), "ProviderType": "GitHub"}),
        )
        .unwrap();
    }
    let regions = ["us-east-1", DOWN, "eu-west-1"];
    let all =
        cloudcontrol_runtime::list_regions::<Value, _>(&client, CONNECTION, &regions, None, 3)
            .await;
    // Rows come region by region, in the order the regions were given.
    let east: Vec<&str> = all
        .rows
        .iter()
        .take_while(|r| r.region == "us-east-1")
        .map(|r| r.row.decoded().unwrap()["ConnectionName"].as_str().unwrap())
        .collect();
    assert_eq!(east.len(), 151);
    assert!(east.contains(&"east") && east.contains(&"seeded149"));
    let mut west: Vec<&str> = all.rows[151..]
        .iter()
        .map(|r| {
            assert_eq!(r.region, "eu-west-1");
            r.row.decoded().unwrap()["ConnectionName"].as_str().unwrap()
        })
        .collect();
    west.sort();
    assert_eq!(west, ["west0", "west1", "west2"]);
    assert!(!all.is_complete());
    assert_eq!(all.failures.len(), 1, "{:?}", all.failures);
    let (region, err) = &all.failures[0];
    assert_eq!(region, DOWN);
    match err {
        Error::Service {
            code,
            region,
            status,
            ..
        } => {
            assert_eq!(code, "ServiceUnavailable");
            assert_eq!(region, DOWN);
            assert_eq!(*status, Some(503));
        }
        other => panic!("expected the outage's ServiceUnavailable, got {other:?}"),
    }
    assert!(err.to_string().contains(DOWN), "{err}");
    emu.shutdown().await;
}
