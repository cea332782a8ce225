//! `example`: for every type of the committed provider specs, a desired state built from the
//! schema passes the emulator's own validation and becomes a model, mostly with every member.

use std::path::Path;

use cloudcontrol_emulator::example::{self, Fill};
use cloudcontrol_emulator::Registry;
use serde_json::Value;

#[test]
fn every_committed_type_has_a_model_and_most_have_every_member() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let registry = Registry::index(&root).expect("provider-specs index");
    registry.load_all().expect("provider-specs load");
    let (mut all, mut required, mut failures) = (0, 0, Vec::new());
    for name in registry.type_names() {
        let ti = registry.get(name).expect("indexed type");
        match example::model(&ti) {
            Ok((model, fill)) => {
                assert!(model.is_object(), "{name}");
                match fill {
                    Fill::All => all += 1,
                    _ => required += 1,
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!("{all} types with every member, {required} with required members only");
    assert!(
        failures.is_empty(),
        "{} types without a model:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        all > required * 9,
        "{all} with every member, {required} required only"
    );
}

#[test]
fn read_cases_remove_nested_required_members_and_add_unknown_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let registry = Registry::index(&root).expect("provider-specs index");
    let ti = registry.get("AWS::Logs::LogGroup").expect("log group");
    let (model, fill) = example::model(&ti).expect("a model");
    assert_eq!(fill, Fill::All);
    // Tags are `{Key, Value}` with both required: each is removed in turn.
    assert!(model["Tags"][0].is_object(), "{model}");
    let cases = example::read_cases(&ti, &model);
    let labels: Vec<&str> = cases.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"without /Tags/0/Key"), "{labels:?}");
    assert!(labels.contains(&"without /Tags/0/Value"), "{labels:?}");
    assert!(labels.contains(&"unknown member at /"), "{labels:?}");
    assert!(labels.contains(&"unknown member at /Tags/0"), "{labels:?}");
    let top = cases
        .iter()
        .find(|c| c.label == "unknown member at /")
        .expect("top");
    assert!(top.value.get(example::UNKNOWN_MEMBER).is_some());
    // The top level's own required members are never removed.
    assert!(!labels
        .iter()
        .any(|l| l.starts_with("without /") && l.matches('/').count() == 1));

    // A strict reader (a required nested member) fails a case; a lenient one passes them all.
    #[derive(serde::Deserialize, serde::Serialize)]
    struct StrictTag {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Value")]
        value: String,
    }
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Strict {
        #[serde(rename = "Tags", default, skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<StrictTag>>,
        #[serde(flatten)]
        extra: serde_json::Map<String, Value>,
    }
    let err = example::check_read_model::<Strict>(&ti).expect_err("a strict reader fails");
    assert!(
        err.contains("without /Tags/0/Value): does not decode at Tags[0]"),
        "{err}"
    );
    // A reader that drops unknown nested members fails the write-back check.
    assert!(
        err.contains(
            "unknown member at /Tags/0): written back differently at /Tags/0/ZzNotInTheSchema"
        ),
        "{err}"
    );
    let (cases, _) = example::check_read_model::<Value>(&ti).expect("Value keeps everything");
    assert!(cases > 5);
}

#[test]
fn maps_get_no_unknown_member() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let registry = Registry::index(&root).expect("provider-specs index");
    // BackupVaultTags is `patternProperties` of strings: any key is an entry, not a member.
    let ti = registry
        .get("AWS::Backup::BackupVault")
        .expect("backup vault");
    let (model, _) = example::model(&ti).expect("a model");
    assert!(model["BackupVaultTags"].is_object(), "{model}");
    let labels: Vec<String> = example::read_cases(&ti, &model)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(
        labels.contains(&"unknown member at /".to_owned()),
        "{labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.contains("BackupVaultTags")),
        "{labels:?}"
    );
}

#[test]
fn maps_written_without_type_are_objects_with_an_entry() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let registry = Registry::index(&root).expect("provider-specs index");
    // JobConfiguration is `x-patternProperties` of ConfigurationObject, with no `type`.
    let ti = registry
        .get("AWS::Glue::UsageProfile")
        .expect("usage profile");
    let (model, fill) = example::model(&ti).expect("a model");
    assert_eq!(fill, Fill::All);
    let jobs = model["Configuration"]["JobConfiguration"]
        .as_object()
        .unwrap_or_else(|| panic!("not a map: {model}"));
    assert_eq!(jobs.len(), 1, "{model}");
    assert!(jobs.values().all(Value::is_object), "{model}");
}

#[test]
fn maps_inside_map_entries_get_no_unknown_member() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs");
    let registry = Registry::index(&root).expect("provider-specs index");
    // Targets is a map of ExperimentTemplateTarget, whose ResourceTags is a map of strings.
    let ti = registry
        .get("AWS::FIS::ExperimentTemplate")
        .expect("experiment template");
    let (model, _) = example::model(&ti).expect("a model");
    let labels: Vec<String> = example::read_cases(&ti, &model)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("unknown member at /Targets/")),
        "{labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l.ends_with("/ResourceTags")),
        "{labels:?}"
    );
}
