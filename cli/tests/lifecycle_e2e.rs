//! The whole lifecycle through the generated typed modules (`logs::log_group`,
//! `logs::metric_filter`): create, get, typed update, delete, `NotFound`; a compound identifier;
//! `from_diff`; updates and deletes under injected faults; a delete resumed after its deadline.
//! Against the in-process emulator serving the repository's provider specs.

use std::path::PathBuf;
use std::time::Duration;

use aws_cloudcontrol_resources::logs::{
    self, log_group, log_groups, metric_filter, metric_filters,
};
use aws_cloudcontrol_resources::runtime::{
    self, Client, Error, Operation, PollConfig, RetrySettings,
};
use aws_cloudcontrol_resources::DiffError;
use cloudcontrol_emulator::{Config, Credentials, Emulator};

const REGION: &str = "us-east-1";

async fn start(adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config =
        Config::new(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs"));
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
    let creds = Credentials::default();
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

async fn new_group(client: &Client, name: &str) -> String {
    log_groups::create(
        client,
        REGION,
        &logs::CreateLogGroup::new().with_log_group_name(name),
    )
    .await
    .expect("log group created")
    .identifier
}

#[tokio::test]
async fn log_group_create_get_update_remove_delete_not_found() {
    let emu = start(|c| c.polls_until_complete = 2).await;
    let client = client(&emu);
    let id = new_group(&client, "app-logs").await;
    assert_eq!(id, "app-logs");

    let model: logs::LogGroup = log_group::get(&client, REGION, &id).await.unwrap();
    assert_eq!(model.log_group_name.as_deref(), Some("app-logs"));
    assert_eq!(model.retention_in_days, None);

    let updated = log_group::update(
        &client,
        REGION,
        &id,
        &logs::UpdateLogGroup::new().set_retention_in_days(30),
    )
    .await
    .unwrap();
    assert_eq!(updated.identifier, id);
    let model = log_group::get(&client, REGION, &id).await.unwrap();
    assert_eq!(model.retention_in_days, Some(30));

    log_group::update(
        &client,
        REGION,
        &id,
        &logs::UpdateLogGroup::new().remove_retention_in_days(),
    )
    .await
    .unwrap();
    let model = log_group::get(&client, REGION, &id).await.unwrap();
    assert_eq!(model.retention_in_days, None);

    let deleted = log_group::delete(&client, REGION, &id).await.unwrap();
    assert_eq!(deleted.identifier, id);
    let err = log_group::get(&client, REGION, &id).await.unwrap_err();
    match &err {
        Error::NotFound {
            type_name,
            identifier,
        } => {
            assert_eq!(type_name, log_group::TYPE_NAME);
            assert_eq!(identifier, "app-logs");
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    emu.shutdown().await;
}

/// A metric transformation as a create takes it (the strict input shape).
fn transformation(name: &str) -> logs::MetricTransformationInput {
    logs::MetricTransformationInput::new(logs::MetricTransformationInputRequired {
        metric_name: name.to_owned(),
        metric_namespace: "App".to_owned(),
        metric_value: "1".to_owned(),
    })
}

/// The same transformation as reads return it (the lenient read shape).
fn read_transformation(name: &str) -> logs::MetricTransformation {
    serde_json::from_value(
        serde_json::json!({"MetricName": name, "MetricNamespace": "App", "MetricValue": "1"}),
    )
    .unwrap()
}

#[tokio::test]
async fn compound_identifier_type_end_to_end_with_from_diff() {
    let emu = start(|_| {}).await;
    let client = client(&emu);
    new_group(&client, "g1").await;
    let input = logs::CreateMetricFilter::new(logs::CreateMetricFilterRequired {
        filter_pattern: "ERROR".to_owned(),
        log_group_name: "g1".to_owned(),
        metric_transformations: vec![transformation("Errors")],
    })
    .with_filter_name("errors");
    let created = metric_filters::create(&client, REGION, &input)
        .await
        .unwrap();
    // The compound identifier, in schema order, joined with `|`.
    let id: metric_filter::Id = created.identifier.parse().unwrap();
    assert_eq!(id, logs::MetricFilterId::new("g1", "errors"));
    assert_eq!(id.to_string(), created.identifier);
    assert!("g1".parse::<metric_filter::Id>().is_err());

    let current = metric_filter::get(&client, REGION, &id).await.unwrap();
    // A list value changes: compared and replaced whole.
    let mut desired = current.clone();
    desired.metric_transformations = Some(vec![read_transformation("Failures")]);
    desired.filter_pattern = Some("FAIL".to_owned());
    let patch = logs::UpdateMetricFilter::from_diff(&current, &desired).unwrap();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        serde_json::json!([
            {"op": "add", "path": "/FilterPattern", "value": "FAIL"},
            {"op": "add", "path": "/MetricTransformations", "value": [{"MetricName": "Failures", "MetricNamespace": "App", "MetricValue": "1"}]}
        ])
    );
    metric_filter::update(&client, REGION, &id, &patch)
        .await
        .unwrap();
    let after = metric_filter::get(&client, REGION, &id).await.unwrap();
    assert_eq!(after.filter_pattern.as_deref(), Some("FAIL"));
    assert_eq!(after.metric_transformations, desired.metric_transformations);
    assert!(logs::UpdateMetricFilter::from_diff(&after, &desired)
        .unwrap()
        .is_empty());

    // A create-only change is refused before any request.
    let mut moved = after.clone();
    moved.log_group_name = Some("g2".to_owned());
    let err = logs::UpdateMetricFilter::from_diff(&after, &moved).unwrap_err();
    assert!(
        matches!(
            err,
            DiffError::CreateOnlyChanged {
                property: "LogGroupName",
                ..
            }
        ),
        "{err:?}"
    );

    metric_filter::delete(&client, REGION, &id).await.unwrap();
    assert!(metric_filter::get(&client, REGION, &id)
        .await
        .unwrap_err()
        .is_not_found());
    emu.shutdown().await;
}

#[tokio::test]
async fn nested_values_diff_whole() {
    let current = logs::LogGroup::default();
    let mut desired = current.clone();
    desired.tags =
        Some(serde_json::from_value(serde_json::json!([{"Key": "team", "Value": "a"}])).unwrap());
    desired.retention_in_days = Some(7);
    let patch = logs::UpdateLogGroup::from_diff(&current, &desired).unwrap();
    let ops = serde_json::to_value(&patch).unwrap();
    assert!(ops.as_array().unwrap().contains(&serde_json::json!({"op": "add", "path": "/Tags", "value": [{"Key": "team", "Value": "a"}]})), "{ops}");
    // Read-only differences are ignored; a differing create-only name is an error.
    let mut arn = current.clone();
    arn.arn = Some("arn:x".to_owned());
    assert!(logs::UpdateLogGroup::from_diff(&current, &arn)
        .unwrap()
        .is_empty());
    let mut renamed = current.clone();
    renamed.log_group_name = Some("other".to_owned());
    let mut named = current.clone();
    named.log_group_name = Some("one".to_owned());
    assert!(logs::UpdateLogGroup::from_diff(&named, &renamed).is_err());
}

/// 30% throttling (plus 5xx after the change was applied): each update and delete through the
/// generated module takes effect exactly once.
#[tokio::test]
async fn update_and_delete_take_effect_once_under_throttling() {
    let emu = start(|c| {
        c.faults.throttle_rate = 0.3;
        c.faults.server_error_rate = 0.2;
        c.faults.seed = 11;
    })
    .await;
    let client = client(&emu);
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(new_group(&client, &format!("t{i}")).await);
    }
    let before = emu.stats();
    for id in &ids {
        log_group::update(
            &client,
            REGION,
            id,
            &logs::UpdateLogGroup::new().set_retention_in_days(7),
        )
        .await
        .unwrap();
        log_group::delete(&client, REGION, id).await.unwrap();
    }
    let after = emu.stats();
    assert_eq!(after.updates_performed - before.updates_performed, 4);
    assert_eq!(after.deletes_performed - before.deletes_performed, 4);
    assert!(after.throttled > before.throttled);
    emu.shutdown().await;
}

#[tokio::test]
async fn delete_past_its_deadline_is_resumed() {
    let emu = start(|c| c.polls_until_complete = 5).await;
    let patient = client(&emu);
    let id = new_group(&patient, "slow").await;
    let hasty = patient.with_poll_config(poll(Duration::from_millis(1)));
    let err = log_group::delete(&hasty, REGION, &id).await.unwrap_err();
    let token = match &err {
        Error::Deadline {
            operation: Operation::Delete,
            request_token,
            ..
        } => request_token.clone(),
        other => panic!("expected a DELETE Deadline, got {other:?}"),
    };
    let deleted = runtime::resume_delete(&patient, log_group::TYPE_NAME, REGION, &token)
        .await
        .unwrap();
    assert_eq!(deleted.identifier, id);
    assert!(log_group::get(&patient, REGION, &id)
        .await
        .unwrap_err()
        .is_not_found());
    assert_eq!(emu.stats().deletes_performed, 1);
    emu.shutdown().await;
}
