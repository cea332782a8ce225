//! End-to-end tests through the real `aws-sdk-cloudcontrol` over HTTP.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_cloudcontrol as cc;
use cc::config::retry::RetryConfig;
use cc::error::ProvideErrorMetadata;
use cc::types::{Operation, OperationStatus};
use cloudcontrol_emulator::{Config, Emulator, Faults};
use common::*;
use serde_json::{json, Value};

fn status_of<E>(e: &cc::error::SdkError<E, cc::config::http::HttpResponse>) -> u16 {
    e.raw_response().map(|r| r.status().as_u16()).unwrap_or(0)
}

#[tokio::test]
async fn create_poll_get_list_delete() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let first = c
        .create_resource()
        .type_name(CONNECTION)
        .desired_state(json!({"ConnectionName": "c1", "ProviderType": "GitHub"}).to_string())
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert_eq!(first.operation_status(), Some(&OperationStatus::InProgress));
    assert_eq!(first.operation(), Some(&Operation::Create));
    assert!(
        first.event_time().is_some(),
        "EventTime decodes as a timestamp"
    );
    let token = first.request_token().unwrap().to_owned();

    // polls_until_complete = 1: one IN_PROGRESS answer, then SUCCESS.
    let second = c
        .get_resource_request_status()
        .request_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        second.progress_event().unwrap().operation_status(),
        Some(&OperationStatus::InProgress)
    );
    let done = c
        .get_resource_request_status()
        .request_token(&token)
        .send()
        .await
        .unwrap();
    let done = done.progress_event().unwrap();
    assert_eq!(done.operation_status(), Some(&OperationStatus::Success));
    let id = done.identifier().unwrap().to_owned();
    assert!(
        id.starts_with("arn:aws:codeconnections:us-east-1:123456789012:connection/"),
        "{id}"
    );
    let model: Value = serde_json::from_str(done.resource_model().unwrap()).unwrap();
    assert_eq!(model["ConnectionArn"], json!(id));

    let got = c
        .get_resource()
        .type_name(CONNECTION)
        .identifier(&id)
        .send()
        .await
        .unwrap();
    let desc = got.resource_description().unwrap();
    assert_eq!(desc.identifier(), Some(id.as_str()));
    let props: Value = serde_json::from_str(desc.properties().unwrap()).unwrap();
    assert_eq!(props["ConnectionName"], "c1");
    assert_eq!(props["OwnerAccountId"], "123456789012");
    assert!(props["ConnectionStatus"].is_string());

    let listed = c
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.type_name(), Some(CONNECTION));
    let ids: Vec<&str> = listed
        .resource_descriptions()
        .iter()
        .filter_map(|d| d.identifier())
        .collect();
    assert_eq!(ids, vec![id.as_str()]);
    assert!(listed.next_token().is_none());

    let del = c
        .delete_resource()
        .type_name(CONNECTION)
        .identifier(&id)
        .send()
        .await
        .unwrap();
    let del = wait(&c, del.progress_event.unwrap()).await;
    assert_eq!(del.operation_status(), Some(&OperationStatus::Success));
    let err = c
        .get_resource()
        .type_name(CONNECTION)
        .identifier(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 404);
    assert!(err.into_service_error().is_resource_not_found_exception());

    let stats = emu.stats();
    assert_eq!(stats.creates_performed, 1);
    assert_eq!(stats.deletes_performed, 1);
    // Two polls for the create (IN_PROGRESS, SUCCESS) and two for the delete.
    assert_eq!(stats.operations.get("GetResourceRequestStatus"), Some(&4));
    assert_eq!(stats.resources, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn pagination_over_250_resources_uses_distinct_tokens() {
    let emu = start_fixtures().await;
    for i in 0..250 {
        emu.seed_resource(
            CONNECTION,
            json!({"ConnectionName": format!("conn-{i:03}")}),
        )
        .unwrap();
    }
    let c = client(&emu);
    let mut tokens = Vec::new();
    let mut ids = BTreeSet::new();
    let mut sizes = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = c
            .list_resources()
            .type_name(CONNECTION)
            .set_next_token(next.clone())
            .send()
            .await
            .unwrap();
        sizes.push(page.resource_descriptions().len());
        for d in page.resource_descriptions() {
            assert!(
                ids.insert(d.identifier().unwrap().to_owned()),
                "duplicate across pages"
            );
            let p: Value = serde_json::from_str(d.properties().unwrap()).unwrap();
            assert!(p["ConnectionName"].as_str().unwrap().starts_with("conn-"));
        }
        match page.next_token() {
            Some(t) => {
                tokens.push(t.to_owned());
                next = Some(t.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(ids.len(), 250);
    assert_eq!(tokens.len(), 2);
    assert_ne!(tokens[0], tokens[1]);

    // MaxResults lowers the page size; the SDK paginator sees a distinct token per page.
    let pages: Vec<_> = c
        .list_resources()
        .type_name(CONNECTION)
        .into_paginator()
        .page_size(60)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.resource_descriptions().len())
        .collect();
    assert_eq!(sizes, vec![60, 60, 60, 60, 10]);
    let distinct: BTreeSet<_> = pages.iter().filter_map(|p| p.next_token()).collect();
    assert_eq!(distinct.len(), 4);

    // A token from another type is rejected rather than silently restarting.
    let err = c
        .list_resources()
        .type_name(LOG_GROUP)
        .next_token(tokens[0].clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidRequestException"));
    emu.shutdown().await;
}

#[tokio::test]
async fn validation_failures_name_the_property() {
    let mut config = Config::new(fixtures());
    config.polls_until_complete = 0;
    let emu = start(config).await;
    let c = client(&emu);
    let cases: Vec<(Value, &str)> = vec![
        (json!({}), "#: required key [ConnectionName] not found"),
        (
            json!({"ConnectionName": "x".repeat(33)}),
            "#/ConnectionName: expected maxLength: 32, actual: 33",
        ),
        (
            json!({"ConnectionName": 7}),
            "#/ConnectionName: expected type: String, found: Integer",
        ),
        (
            json!({"ConnectionName": "a", "ProviderType": "Svn"}),
            "#/ProviderType: \"Svn\" is not a valid enum value",
        ),
        (
            json!({"ConnectionName": "a", "Colour": "red"}),
            "#: extraneous key [Colour] is not permitted",
        ),
        (
            json!({"ConnectionName": "a", "ConnectionArn": "arn:x"}),
            "#/ConnectionArn: read-only property [ConnectionArn] cannot be set",
        ),
        (
            json!({"ConnectionName": "a", "Tags": [{"Key": "k", "Value": "v"}, {"Value": "v"}]}),
            "#/Tags/1: required key [Key] not found",
        ),
        (
            json!({"ConnectionName": "a", "Tags": [{"Key": "a", "Value": ""}, {"Key": "b", "Value": ""}, {"Key": "c", "Value": ""}, {"Key": "d", "Value": ""}]}),
            "#/Tags: expected maximum item count: 3, found: 4",
        ),
    ];
    // Refused in the call itself (HTTP 400 ValidationException), as AWS does.
    for (state, expected) in cases {
        let (code, msg) = create_refused(&c, CONNECTION, state.clone()).await;
        assert_eq!(code, "ValidationException", "{state}");
        assert!(
            msg.starts_with("Model validation failed ("),
            "{state}: {msg}"
        );
        assert!(msg.contains(expected), "{state}: {msg}");
    }
    // Nested $ref schemas are checked too.
    let (_, msg) = create_refused(
        &c,
        NODEGROUP,
        json!({"ClusterName": "c", "NodegroupName": "n", "NodeRole": "r", "ScalingConfig": {"MinSize": -1}}),
    )
    .await;
    assert!(
        msg.contains("#/ScalingConfig/MinSize: -1 is not greater or equal to 0"),
        "{msg}"
    );
    // An integer enum.
    let (_, msg) = create_refused(&c, LOG_GROUP, json!({"RetentionInDays": 2})).await;
    assert!(
        msg.contains("#/RetentionInDays: 2 is not a valid enum value"),
        "{msg}"
    );
    // A desired state that is not an object.
    let (_, msg) = create_refused(&c, LOG_GROUP, json!([1])).await;
    assert_eq!(
        msg,
        "Model validation failed (#: expected type: JSONObject, found: JSONArray)"
    );
    // Malformed JSON is a failed request (the handler's InvalidRequest).
    let ev = c
        .create_resource()
        .type_name(CONNECTION)
        .desired_state("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        ev.progress_event().unwrap().error_code(),
        Some(&cc::types::HandlerErrorCode::InvalidRequest)
    );
    assert_eq!(emu.stats().creates_performed, 0);
    assert_eq!(emu.stats().resources, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn same_client_token_replays_and_different_request_conflicts() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let send = |state: Value| {
        c.create_resource()
            .type_name(LOG_GROUP)
            .client_token("token-1")
            .desired_state(state.to_string())
            .send()
    };
    let a = send(json!({"LogGroupName": "g1"}))
        .await
        .unwrap()
        .progress_event
        .unwrap();
    let b = send(json!({"LogGroupName": "g1"}))
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert_eq!(a.request_token(), b.request_token());
    assert_eq!(b.identifier(), Some("g1"));
    assert_eq!(emu.stats().creates_performed, 1);
    assert_eq!(emu.stats().idempotent_replays, 1);

    let err = send(json!({"LogGroupName": "g2"})).await.unwrap_err();
    assert_eq!(status_of(&err), 409);
    assert!(err
        .into_service_error()
        .is_client_token_conflict_exception());
    // The same token on another operation conflicts as well.
    let err = c
        .delete_resource()
        .type_name(LOG_GROUP)
        .identifier("g1")
        .client_token("token-1")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .into_service_error()
        .is_client_token_conflict_exception());
    let stats = emu.stats();
    assert_eq!(
        (
            stats.creates_performed,
            stats.client_token_conflicts,
            stats.resources
        ),
        (1, 2, 1)
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn primary_identifier_is_unique_and_generated_when_omitted() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let ng = json!({"ClusterName": "c1", "NodegroupName": "ng1", "NodeRole": "r"});
    let ok = create(&c, NODEGROUP, ng.clone()).await;
    assert_eq!(ok.identifier(), Some("c1|ng1"));
    let dup = create(&c, NODEGROUP, ng).await;
    assert_eq!(dup.operation_status(), Some(&OperationStatus::Failed));
    assert_eq!(
        dup.error_code(),
        Some(&cc::types::HandlerErrorCode::AlreadyExists)
    );
    assert!(dup.status_message().unwrap().contains("c1|ng1"));
    // Compound identifiers work for GetResource.
    let got = c
        .get_resource()
        .type_name(NODEGROUP)
        .identifier("c1|ng1")
        .send()
        .await
        .unwrap();
    let p: Value =
        serde_json::from_str(got.resource_description().unwrap().properties().unwrap()).unwrap();
    assert!(p["Arn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:eks:us-east-1:123456789012:nodegroup/"));
    // LogGroupName is writable but optional: a name is generated.
    let gen = create(&c, LOG_GROUP, json!({})).await;
    assert!(
        gen.identifier().unwrap().starts_with("loggroupname-"),
        "{:?}",
        gen.identifier()
    );
    assert_eq!(emu.stats().creates_performed, 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn list_requiring_a_parent_property() {
    let emu = start_fixtures().await;
    for (cluster, ng) in [("c1", "a"), ("c1", "b"), ("c2", "a")] {
        emu.seed_resource(
            NODEGROUP,
            json!({"ClusterName": cluster, "NodegroupName": ng, "NodeRole": "r"}),
        )
        .unwrap();
    }
    let c = client(&emu);
    let err = c
        .list_resources()
        .type_name(NODEGROUP)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 400);
    let se = err.into_service_error();
    assert!(se.is_invalid_request_exception());
    assert!(
        se.message()
            .unwrap()
            .contains("required key [ClusterName] not found"),
        "{:?}",
        se.message()
    );

    let page = c
        .list_resources()
        .type_name(NODEGROUP)
        .resource_model(json!({"ClusterName": "c1"}).to_string())
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = page
        .resource_descriptions()
        .iter()
        .filter_map(|d| d.identifier())
        .collect();
    assert_eq!(ids, vec!["c1|a", "c1|b"]);
    let err = c
        .list_resources()
        .type_name(NODEGROUP)
        .resource_model("[1]")
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_request_exception());
    emu.shutdown().await;
}

#[tokio::test]
async fn update_with_json_patch() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let created = create(
        &c,
        LOG_GROUP,
        json!({"LogGroupName": "g", "RetentionInDays": 7, "DataProtectionPolicy": {"a": 1}}),
    )
    .await;
    assert_eq!(created.identifier(), Some("g"));
    // Write-only properties are not returned.
    let model: Value = serde_json::from_str(created.resource_model().unwrap()).unwrap();
    assert!(model.get("DataProtectionPolicy").is_none());
    let update = |patch: Value| {
        c.update_resource()
            .type_name(LOG_GROUP)
            .identifier("g")
            .patch_document(patch.to_string())
            .send()
    };
    let ev = update(json!([{"op": "replace", "path": "/RetentionInDays", "value": 14}]))
        .await
        .unwrap();
    let ev = wait(&c, ev.progress_event.unwrap()).await;
    assert_eq!(ev.operation_status(), Some(&OperationStatus::Success));
    let got = c
        .get_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .send()
        .await
        .unwrap();
    let p: Value =
        serde_json::from_str(got.resource_description().unwrap().properties().unwrap()).unwrap();
    assert_eq!(p["RetentionInDays"], 14);

    // A create-only property: HTTP 400 NotUpdatableException, modelled for UpdateResource.
    let err = update(json!([{"op": "replace", "path": "/LogGroupName", "value": "h"}]))
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 400);
    assert_eq!(
        err.message(),
        Some("Invalid patch update: createOnlyProperties [/properties/LogGroupName] cannot be updated")
    );
    assert!(err.into_service_error().is_not_updatable_exception());
    // A read-only property: HTTP 400 ValidationException.
    let err = update(json!([{"op": "add", "path": "/Arn", "value": "arn:x"}]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(
        err.message(),
        Some("Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated")
    );
    // A patch whose result violates the schema: HTTP 400 ValidationException.
    let err = update(json!([{"op": "add", "path": "/RetentionInDays", "value": 4}]))
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 400);
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(
        err.message(),
        Some("Model validation failed (#/RetentionInDays: 4 is not a valid enum value)")
    );
    let ev = update(json!([{"op": "remove", "path": "/Nope"}]))
        .await
        .unwrap();
    let ev = wait(&c, ev.progress_event.unwrap()).await;
    assert_eq!(
        ev.error_code(),
        Some(&cc::types::HandlerErrorCode::InvalidRequest)
    );
    assert_eq!(emu.stats().updates_performed, 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn api_errors_are_typed_by_the_sdk() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let err = c
        .list_resources()
        .type_name("AWS::No::Such")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 404);
    assert!(err.into_service_error().is_type_not_found_exception());
    let err = c
        .list_resources()
        .type_name("AWS::Logs::Destination")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 405);
    assert!(err.into_service_error().is_unsupported_action_exception());
    let err = c.list_resources().send().await.unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(err.message().unwrap().contains("'typeName'"));
    let err = c
        .list_resources()
        .type_name(CONNECTION)
        .max_results(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    let err = c
        .get_resource_request_status()
        .request_token("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 404);
    assert!(err
        .into_service_error()
        .is_request_token_not_found_exception());
    emu.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_are_rejected() {
    let emu = start_fixtures().await;
    let creds = cloudcontrol_emulator::Credentials::default();
    let wrong_secret = client_with(
        &emu.endpoint_url(),
        &creds.access_key_id,
        "not-the-secret",
        RetryConfig::disabled(),
    );
    let err = wrong_secret
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status_of(&err), 400);
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    let wrong_key = client_with(
        &emu.endpoint_url(),
        "AKIDOTHER",
        &creds.secret_access_key,
        RetryConfig::disabled(),
    );
    let err = wrong_key
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnrecognizedClientException"));

    // An unsigned request (raw HTTP) is refused.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(emu.local_addr())
        .await
        .unwrap();
    let body = r#"{"TypeName":"AWS::CodeConnections::Connection"}"#;
    let req = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: CloudApiService.ListResources\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        emu.local_addr(),
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 403"), "{resp}");
    assert!(
        resp.contains(r#""__type":"MissingAuthenticationTokenException""#),
        "{resp}"
    );
    assert!(resp
        .to_ascii_lowercase()
        .contains("content-type: application/x-amz-json-1.0"));
    let stats = emu.stats();
    assert_eq!(stats.auth_failures, 3);
    assert_eq!(stats.resources, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn injected_throttling_and_5xx_are_retried_without_duplicates() {
    let mut config = Config::new(fixtures());
    config.faults = Faults {
        throttle_rate: 0.3,
        server_error_rate: 0.15,
        seed: 7,
        ..Faults::default()
    };
    let emu = start(config).await;
    let creds = cloudcontrol_emulator::Credentials::default();
    let retry = RetryConfig::standard()
        .with_max_attempts(10)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let c = client_with(
        &emu.endpoint_url(),
        &creds.access_key_id,
        &creds.secret_access_key,
        retry,
    );
    for i in 0..30 {
        let ev = create(&c, CONNECTION, json!({"ConnectionName": format!("n{i}")})).await;
        assert_eq!(
            ev.operation_status(),
            Some(&OperationStatus::Success),
            "{ev:?}"
        );
    }
    let stats = emu.stats();
    assert!(stats.throttled > 5, "{stats:?}");
    assert!(stats.server_errors > 0, "{stats:?}");
    // Every create happened exactly once although some responses were lost after applying.
    assert_eq!(stats.creates_performed, 30, "{stats:?}");
    assert_eq!(stats.resources, 30);
    assert!(
        stats.idempotent_replays > 0,
        "a lost create response was replayed: {stats:?}"
    );

    // Without retries the SDK surfaces the throttling error.
    let once = client_with(
        &emu.endpoint_url(),
        &creds.access_key_id,
        &creds.secret_access_key,
        RetryConfig::disabled(),
    );
    let mut throttled = 0;
    for _ in 0..30 {
        if let Err(e) = once.list_resources().type_name(CONNECTION).send().await {
            if e.code() == Some("ThrottlingException") {
                assert_eq!(status_of(&e), 429);
                throttled += 1;
            }
        }
    }
    assert!(throttled > 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn cancel_and_list_resource_requests() {
    let mut config = Config::new(fixtures());
    config.polls_until_complete = 5;
    config.retry_after = Some(Duration::from_millis(250));
    let emu = start(config).await;
    let c = client(&emu);
    let ev = c
        .create_resource()
        .type_name(LOG_GROUP)
        .desired_state(json!({"LogGroupName": "g"}).to_string())
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert!(ev.retry_after().is_some());
    let token = ev.request_token().unwrap();
    let listed = c.list_resource_requests().send().await.unwrap();
    assert_eq!(listed.resource_request_status_summaries().len(), 1);
    let cancelled = c
        .cancel_resource_request()
        .request_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        cancelled.progress_event().unwrap().operation_status(),
        Some(&OperationStatus::CancelInProgress)
    );
    // The cancelled create was rolled back.
    assert_eq!(emu.stats().resources, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn serves_the_repository_provider_specs() {
    // The hand-written provider the generator and runtime use (`<repo>/provider-specs`).
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    assert!(
        root.join("aws/services/codeconnections.yaml").is_file(),
        "{} has no aws/services/codeconnections.yaml",
        root.display()
    );
    let emu = start(Config::new(&root)).await;
    let c = client(&emu);
    let ev = create(
        &c,
        CONNECTION,
        json!({"ConnectionName": "repo-specs", "ProviderType": "GitHub"}),
    )
    .await;
    assert_eq!(
        ev.operation_status(),
        Some(&OperationStatus::Success),
        "{ev:?}"
    );
    let page = c
        .list_resources()
        .type_name(CONNECTION)
        .send()
        .await
        .unwrap();
    assert_eq!(page.resource_descriptions().len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn session_tokens_and_added_latency() {
    let mut config = Config::new(fixtures());
    config.faults.latency = Duration::from_millis(40);
    let emu = start(config).await;
    let creds = cloudcontrol_emulator::Credentials::default();
    // A session token is signed as x-amz-security-token; the signature must still verify.
    let conf = cc::Config::builder()
        .behavior_version(cc::config::BehaviorVersion::latest())
        .region(cc::config::Region::new("eu-west-1"))
        .endpoint_url(emu.endpoint_url())
        .credentials_provider(cc::config::Credentials::new(
            &creds.access_key_id,
            &creds.secret_access_key,
            Some("session-token".into()),
            None,
            "test",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .build();
    let c = cc::Client::from_conf(conf);
    let started = std::time::Instant::now();
    let ev = create(
        &c,
        NODEGROUP,
        json!({"ClusterName": "c", "NodegroupName": "n", "NodeRole": "r"}),
    )
    .await;
    // Lower bound only: create + two polls each wait for the injected latency.
    assert!(started.elapsed() >= Duration::from_millis(120));
    // The region of the signing scope appears in generated ARNs.
    let got = c
        .get_resource()
        .type_name(NODEGROUP)
        .identifier(ev.identifier().unwrap())
        .send()
        .await
        .unwrap();
    let p: Value =
        serde_json::from_str(got.resource_description().unwrap().properties().unwrap()).unwrap();
    assert!(
        p["Arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:eks:eu-west-1:"),
        "{p}"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn malformed_spec_files_are_reported_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("aws/services");
    std::fs::create_dir_all(&services).unwrap();
    std::fs::write(
        services.join("broken.yaml"),
        "components:\n  x-stackQL-resources:\n    things:\n      x-cfn-type-name: AWS::Broken::Thing\n      x-cfn-schema-name: Thing\n",
    )
    .unwrap();
    let registry = cloudcontrol_emulator::Registry::index(dir.path()).unwrap();
    assert!(registry.contains("AWS::Broken::Thing"));
    let err = registry.get("AWS::Broken::Thing").unwrap_err().to_string();
    assert!(err.contains("broken.yaml"), "{err}");
    assert!(
        err.contains("components.x-stackQL-resources.things.x-cfn-schema-name"),
        "{err}"
    );

    // Over the wire the broken type is an internal failure, not a crash.
    let emu = start(Config::new(dir.path())).await;
    let err = client(&emu)
        .list_resources()
        .type_name("AWS::Broken::Thing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalFailure"));
    emu.shutdown().await;

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Emulator::start(Config::new(empty.path())).await,
        Err(cloudcontrol_emulator::Error::NoSpecs(_))
    ));
}
