//! Answers as the live Cloud Control API gives them (issue 15): closed top level, `pattern`
//! checked with an ECMAScript engine, modelled error codes, generated values that satisfy
//! their own schema.

mod common;

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
    use aws_sdk_cloudcontrol::error::ProvideErrorMetadata;
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
