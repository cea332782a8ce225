//! The emulator reads specs with `provider-spec`'s rules: a resource whose type name comes only
//! from its schema's `x-type-name` (no `x-cfn-type-name`) is served end to end through the SDK,
//! with its create-only, read-only and write-only properties written as CloudFormation pointers
//! (`/properties/X`). That the emulator serves exactly the generator's Cloud Control types, with
//! the same primary identifiers, is tested in `generator/tests/type_from_schema.rs`.

mod common;

use std::path::PathBuf;

use aws_sdk_cloudcontrol::types::OperationStatus;
use cloudcontrol_emulator::Config;
use common::*;
use serde_json::{json, Value};

const GADGET: &str = "AWS::Gadgets::Gadget";

/// `provider-spec/tests/fixtures/type-from-schema`: a type named only by its schema.
fn type_from_schema() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../provider-spec/tests/fixtures/type-from-schema")
}

#[tokio::test]
async fn a_type_named_only_by_its_schema_is_served_through_the_sdk() {
    let mut config = Config::new(type_from_schema());
    config.polls_until_complete = 0;
    let emu = start(config).await;
    let c = client(&emu);
    let ev = create(
        &c,
        GADGET,
        json!({"GadgetName": "g", "Colour": "red", "Secret": "s", "Tags": [{"Key": "k", "Value": "v"}]}),
    )
    .await;
    assert_eq!(
        ev.operation_status(),
        Some(&OperationStatus::Success),
        "{ev:?}"
    );
    assert_eq!(ev.identifier(), Some("g"));

    let got = c
        .get_resource()
        .type_name(GADGET)
        .identifier("g")
        .send()
        .await
        .expect("get");
    let model: Value =
        serde_json::from_str(got.resource_description().unwrap().properties().unwrap()).unwrap();
    // `/properties/Arn` is read-only (generated), `/properties/Secret` write-only (not returned).
    assert!(
        model["Arn"]
            .as_str()
            .is_some_and(|a| a.starts_with("arn:aws:")),
        "{model}"
    );
    assert!(model.get("Secret").is_none(), "{model}");

    let page = c
        .list_resources()
        .type_name(GADGET)
        .send()
        .await
        .expect("list");
    assert_eq!(page.resource_descriptions().len(), 1);

    // `/properties/GadgetName` is create-only; the message names it once, as AWS does.
    let (code, message) = update_refused(
        &c,
        GADGET,
        "g",
        json!([{"op": "replace", "path": "/GadgetName", "value": "h"}]),
    )
    .await;
    assert_eq!(code, "NotUpdatableException");
    assert_eq!(
        message,
        "Invalid patch update: createOnlyProperties [/properties/GadgetName] cannot be updated"
    );
    emu.shutdown().await;
}
