//! Answers as the live Cloud Control API gives them (issue 15): closed top level, `pattern`
//! checked with an ECMAScript engine, modelled error codes, synchronous validation errors, one
//! mutating request at a time per resource, cancel in two steps, real ARN formats (that every
//! generated value satisfies its own schema is `store::generated`'s unit test).

mod common;

use aws_sdk_cloudcontrol as cc;
use cc::error::ProvideErrorMetadata;
use cc::types::{HandlerErrorCode, OperationStatus};
use cloudcontrol_emulator::{Config, Registry};
use common::*;
use serde_json::json;

fn repo_specs() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs")
}

/// Every pattern of the imported registry schemas is compiled; the few an ECMAScript engine
/// rejects are counted and named (they are the only ones not checked).
#[test]
fn patterns_of_the_imported_schemas_compile_with_few_exceptions() {
    let registry = Registry::index(&repo_specs()).expect("provider-specs indexes");
    registry.load_all().expect("provider-specs parse");
    let report = registry.pattern_report();
    println!(
        "{} patterns in provider-specs, {} do not compile as ECMAScript:",
        report.total,
        report.bad.len()
    );
    for b in &report.bad {
        println!("  {}: {:?}: {}", b.path, b.pattern, b.error);
    }
    assert!(report.total > 5_000, "{} patterns", report.total);
    // Measured: 8,229 patterns, 43 rejected (Java-style inline flags such as `(?s)`, `(?i)`).
    assert!(report.bad.len() * 100 < report.total, "{:?}", report.bad);
    for b in &report.bad {
        assert!(b.path.contains(": components.schemas."), "{}", b.path);
    }
}

/// Injected server faults use, per operation, an error code its service model declares (the
/// operation error enums of `aws-sdk-cloudcontrol`), or AWS's generic `InternalFailure` (500)
/// and `ServiceUnavailable` (503).
#[tokio::test]
async fn injected_faults_use_modelled_or_generic_codes() {
    let mut config = Config::new(fixtures());
    config.faults.server_error_rate = 1.0;
    let emu = start(config).await;
    let c = client(&emu);
    let mut seen = std::collections::BTreeMap::new();
    for round in 0..4 {
        let token = format!("tok{round}");
        // (operation, error code, whether the SDK mapped it to the modelled variant)
        let mut got: Vec<(&str, Option<String>, bool)> = Vec::new();
        let e = c
            .get_resource()
            .type_name(LOG_GROUP)
            .identifier("x")
            .send()
            .await
            .unwrap_err();
        let modelled = e
            .as_service_error()
            .is_some_and(|s| s.is_service_internal_error_exception());
        got.push(("GetResource", e.code().map(str::to_owned), modelled));
        let e = c
            .list_resources()
            .type_name(LOG_GROUP)
            .send()
            .await
            .unwrap_err();
        let modelled = e
            .as_service_error()
            .is_some_and(|s| s.is_service_internal_error_exception());
        got.push(("ListResources", e.code().map(str::to_owned), modelled));
        let e = c
            .create_resource()
            .type_name(LOG_GROUP)
            .desired_state(json!({"LogGroupName": format!("g{round}")}).to_string())
            .send()
            .await
            .unwrap_err();
        let modelled = e
            .as_service_error()
            .is_some_and(|s| s.is_service_internal_error_exception());
        got.push(("CreateResource", e.code().map(str::to_owned), modelled));
        let e = c
            .update_resource()
            .type_name(LOG_GROUP)
            .identifier("x")
            .patch_document("[]")
            .send()
            .await
            .unwrap_err();
        let modelled = e
            .as_service_error()
            .is_some_and(|s| s.is_service_internal_error_exception());
        got.push(("UpdateResource", e.code().map(str::to_owned), modelled));
        let e = c
            .delete_resource()
            .type_name(LOG_GROUP)
            .identifier("x")
            .send()
            .await
            .unwrap_err();
        let modelled = e
            .as_service_error()
            .is_some_and(|s| s.is_service_internal_error_exception());
        got.push(("DeleteResource", e.code().map(str::to_owned), modelled));
        let e = c
            .get_resource_request_status()
            .request_token(&token)
            .send()
            .await
            .unwrap_err();
        got.push((
            "GetResourceRequestStatus",
            e.code().map(str::to_owned),
            false,
        ));
        let e = c
            .cancel_resource_request()
            .request_token(&token)
            .send()
            .await
            .unwrap_err();
        got.push(("CancelResourceRequest", e.code().map(str::to_owned), false));
        let e = c.list_resource_requests().send().await.unwrap_err();
        got.push(("ListResourceRequests", e.code().map(str::to_owned), false));
        for (op, code, modelled) in got {
            let code = code.unwrap_or_default();
            match op {
                "GetResourceRequestStatus" | "CancelResourceRequest" | "ListResourceRequests" => {
                    assert!(
                        code == "InternalFailure" || code == "ServiceUnavailable",
                        "{op}: {code} is not declared by the operation"
                    )
                }
                _ => {
                    assert_eq!(code, "ServiceInternalErrorException", "{op}");
                    assert!(
                        modelled,
                        "{op}: the SDK did not map it to its modelled error"
                    );
                }
            }
            seen.entry(op)
                .or_insert_with(std::collections::BTreeSet::new)
                .insert(code);
        }
    }
    // Both generic codes occur on the operations without a modelled one.
    let generic: std::collections::BTreeSet<&String> = [
        "GetResourceRequestStatus",
        "CancelResourceRequest",
        "ListResourceRequests",
    ]
    .iter()
    .flat_map(|op| &seen[op])
    .collect();
    assert_eq!(generic.len(), 2, "{seen:?}");
    emu.shutdown().await;
}

/// An invalid desired state is refused in the CreateResource call itself (HTTP 400
/// `ValidationException`, `Model validation failed (…)`), nothing is recorded; handler-decided
/// failures (`AlreadyExists`) stay asynchronous FAILED events.
#[tokio::test]
async fn invalid_desired_state_is_refused_synchronously() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let (code, message) = create_refused(&c, CONNECTION, json!({"ProviderType": "GitHub"})).await;
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "Model validation failed (#: required key [ConnectionName] not found)"
    );
    let (code, message) = create_refused(
        &c,
        LOG_GROUP,
        json!({"LogGroupName": "g", "NotAProperty": 1}),
    )
    .await;
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "Model validation failed (#: extraneous key [NotAProperty] is not permitted)"
    );
    // No request was recorded for either.
    let listed = c.list_resource_requests().send().await.unwrap();
    assert!(listed.resource_request_status_summaries().is_empty());
    // AlreadyExists is the handler's verdict: an accepted request that ends FAILED.
    let ev = create(&c, LOG_GROUP, json!({"LogGroupName": "g"})).await;
    assert_eq!(ev.operation_status(), Some(&OperationStatus::Success));
    let ev = create(&c, LOG_GROUP, json!({"LogGroupName": "g"})).await;
    assert_eq!(ev.operation_status(), Some(&OperationStatus::Failed));
    assert_eq!(ev.error_code(), Some(&HandlerErrorCode::AlreadyExists));
    emu.shutdown().await;
}

/// A patch touching create-only properties is `NotUpdatableException` (HTTP 400) naming every
/// one as a pointer; a patch leaving the model invalid is `ValidationException`; a missing
/// resource stays the handler's asynchronous `NotFound`.
#[tokio::test]
async fn refused_patches_are_synchronous_errors_naming_the_properties() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let ev = create(
        &c,
        CONNECTION,
        json!({"ConnectionName": "c1", "ProviderType": "GitHub"}),
    )
    .await;
    let id = ev.identifier().unwrap().to_owned();
    let (code, message) = update_refused(
        &c,
        CONNECTION,
        &id,
        json!([
            {"op": "replace", "path": "/ConnectionName", "value": "c2"},
            {"op": "replace", "path": "/ProviderType", "value": "Bitbucket"}
        ]),
    )
    .await;
    assert_eq!(code, "NotUpdatableException");
    assert_eq!(
        message,
        "Invalid patch update: createOnlyProperties [/properties/ConnectionName, /properties/ProviderType] cannot be updated"
    );
    let (code, message) = update_refused(
        &c,
        CONNECTION,
        &id,
        json!([{"op": "add", "path": "/Tags", "value": [{"Value": "v"}]}]),
    )
    .await;
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "Model validation failed (#/Tags/0: required key [Key] not found)"
    );
    assert_eq!(emu.stats().updates_performed, 0);
    let ev = c
        .update_resource()
        .type_name(CONNECTION)
        .identifier("arn:aws:codeconnections:us-east-1:123456789012:connection/none")
        .patch_document(json!([{"op": "add", "path": "/Tags", "value": []}]).to_string())
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    let ev = wait(&c, ev).await;
    assert_eq!(ev.error_code(), Some(&HandlerErrorCode::NotFound));
    emu.shutdown().await;
}

/// One mutating operation at a time per resource: while a request on a resource is
/// `IN_PROGRESS` (or `CANCEL_IN_PROGRESS`), another create, update or delete of it is
/// `ResourceConflictException` (HTTP 409); other resources are not affected.
#[tokio::test]
async fn a_resource_with_a_request_in_progress_refuses_another() {
    let mut config = Config::new(fixtures());
    config.polls_until_complete = 3;
    let emu = start(config).await;
    let c = client(&emu);
    let send_create = |name: &str| {
        c.create_resource()
            .type_name(LOG_GROUP)
            .desired_state(json!({"LogGroupName": name}).to_string())
            .send()
    };
    let first = send_create("g").await.unwrap().progress_event.unwrap();
    assert_eq!(first.operation_status(), Some(&OperationStatus::InProgress));
    let err = c
        .update_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .patch_document(json!([{"op": "add", "path": "/RetentionInDays", "value": 7}]).to_string())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_response().map(|r| r.status().as_u16()),
        Some(409),
        "{err:?}"
    );
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_resource_conflict_exception()));
    let err = c
        .delete_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_resource_conflict_exception()));
    let err = send_create("g").await.unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_resource_conflict_exception()));
    assert!(
        err.message()
            .unwrap_or_default()
            .contains(first.request_token().unwrap()),
        "{err:?}"
    );
    // Another resource of the type is free.
    let other = send_create("h").await.unwrap().progress_event.unwrap();
    assert_eq!(other.operation_status(), Some(&OperationStatus::InProgress));
    // Once the first request is done, the resource takes requests again.
    let done = wait(&c, first).await;
    assert_eq!(done.operation_status(), Some(&OperationStatus::Success));
    let ev = c
        .delete_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert_eq!(
        wait(&c, ev).await.operation_status(),
        Some(&OperationStatus::Success)
    );
    assert_eq!(emu.stats().creates_performed, 2);
    emu.shutdown().await;
}

/// CancelResourceRequest answers `CANCEL_IN_PROGRESS`; the next status call still says so and
/// the one after `CANCEL_COMPLETE`. The resource is refused to other requests until then, so the
/// rollback never lands over a later, acknowledged request: the re-create after the cancel
/// completed is kept.
#[tokio::test]
async fn cancel_reports_in_progress_then_complete_and_never_rolls_back_a_later_request() {
    let mut config = Config::new(fixtures());
    config.polls_until_complete = 5;
    let emu = start(config).await;
    let c = client(&emu);
    let create_g = || {
        c.create_resource()
            .type_name(LOG_GROUP)
            .desired_state(json!({"LogGroupName": "g", "RetentionInDays": 7}).to_string())
            .send()
    };
    let first = create_g().await.unwrap().progress_event.unwrap();
    let token = first.request_token().unwrap().to_owned();
    let cancelled = c
        .cancel_resource_request()
        .request_token(&token)
        .send()
        .await
        .unwrap()
        .progress_event
        .unwrap();
    assert_eq!(
        cancelled.operation_status(),
        Some(&OperationStatus::CancelInProgress)
    );
    // Still being cancelled: a new create of the same resource is refused.
    let err = create_g().await.unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_resource_conflict_exception()));
    // A second cancel is refused too (only PENDING or IN_PROGRESS requests can be cancelled).
    let err = c
        .cancel_resource_request()
        .request_token(&token)
        .send()
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_concurrent_modification_exception()));
    let status = |t: String| {
        let c = c.clone();
        async move {
            c.get_resource_request_status()
                .request_token(t)
                .send()
                .await
                .unwrap()
                .progress_event
                .unwrap()
                .operation_status()
                .cloned()
        }
    };
    assert_eq!(
        status(token.clone()).await,
        Some(OperationStatus::CancelInProgress)
    );
    // Listed with its status.
    let listed = c
        .list_resource_requests()
        .resource_request_status_filter(
            cc::types::ResourceRequestStatusFilter::builder()
                .operation_statuses(OperationStatus::CancelComplete)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(listed.resource_request_status_summaries().len(), 1);
    assert_eq!(
        status(token.clone()).await,
        Some(OperationStatus::CancelComplete)
    );
    assert_eq!(emu.stats().resources, 0);
    // Now the resource is free: the re-create is applied and stays.
    let second = create_g().await.unwrap().progress_event.unwrap();
    let second = wait(&c, second).await;
    assert_eq!(second.operation_status(), Some(&OperationStatus::Success));
    assert_eq!(status(token).await, Some(OperationStatus::CancelComplete));
    let got = c
        .get_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .send()
        .await
        .unwrap();
    assert!(got.resource_description().is_some());
    assert_eq!(emu.stats().resources, 1);
    emu.shutdown().await;
}

/// Generated read-only values take the real ARN format where AWS's is known (a log group's
/// `arn:aws:logs:<region>:<account>:log-group:<name>:*`), over the wire as well.
#[tokio::test]
async fn generated_arns_use_the_real_format() {
    let emu = start_fixtures().await;
    let c = client(&emu);
    let ev = create(&c, LOG_GROUP, json!({"LogGroupName": "app-logs"})).await;
    let model: serde_json::Value =
        serde_json::from_str(ev.resource_model().expect("model")).expect("model JSON");
    assert_eq!(
        model["Arn"],
        json!("arn:aws:logs:us-east-1:123456789012:log-group:app-logs:*")
    );
    emu.shutdown().await;
}
