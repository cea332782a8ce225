//! The generator and the emulator read specs with `provider-spec`'s rules, so they agree:
//!
//! - a resource whose type name comes only from its schema's `x-type-name` (no
//!   `x-cfn-type-name`) is a Cloud Control resource of that type, generated with it, its
//!   CloudFormation pointers (`/properties/X`) read as property paths (the fixture is
//!   provider-spec's; the emulator serves it through the SDK in `emulator/tests/spec_rules.rs`);
//! - on the committed corpus (`provider-specs`), the emulator's type set is the generator's
//!   Cloud Control types, each with the generator's primary identifier.

use cloudcontrol_emulator::Registry;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const GADGET: &str = "AWS::Gadgets::Gadget";

/// `provider-spec/tests/fixtures/type-from-schema`: a type named only by its schema.
fn type_from_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-spec/tests/fixtures/type-from-schema")
}

#[test]
fn a_type_named_only_by_its_schema_is_generated() {
    let root = type_from_schema();
    let providers = generator::load_specs(&root).expect("fixture loads");
    let service = &providers[0].services[0];
    assert!(service.cloud_control);
    let got: Vec<String> = service
        .resources
        .iter()
        .map(|r| {
            format!(
                "{} {:?} id {:?} create-only {:?} read-only {:?} write-only {:?}",
                r.name,
                r.type_name,
                r.properties.primary_identifier,
                r.properties.create_only,
                r.properties.read_only,
                r.properties.write_only
            )
        })
        .collect();
    let rest = "Some(\"AWS::Gadgets::Gadget\") id [\"GadgetName\"] create-only [\"GadgetName\"] read-only [\"Arn\"] write-only [\"Secret\"]";
    assert_eq!(got, [format!("gadgets {rest}"), format!("gadget {rest}")]);
    let files = generator::rust::render_crate(&providers[0]).expect("renders");
    let module = &files["src/gadgets.rs"];
    assert!(module.contains("\"AWS::Gadgets::Gadget\""), "{module}");
}

/// Type name → primary identifier, as the generator's model says for its Cloud Control
/// resources (every resource of a type must agree).
fn generator_types(root: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for provider in generator::load_specs(root).expect("specs load") {
        for service in &provider.services {
            for resource in &service.resources {
                let (Some(type_name), Some(_)) = (&resource.type_name, &resource.schema_name)
                else {
                    continue;
                };
                let identifier = resource.properties.primary_identifier.clone();
                match out.get(type_name) {
                    Some(seen) => assert_eq!(
                        seen, &identifier,
                        "{type_name}: resource {} disagrees",
                        resource.name
                    ),
                    None => {
                        out.insert(type_name.clone(), identifier);
                    }
                }
            }
        }
    }
    out
}

/// Type name → primary identifier, as the emulator indexes them at start-up (a type's
/// `TypeInfo`, built at first use, takes both from that index).
fn emulator_types(root: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let registry = Registry::index(root).expect("specs index");
    registry
        .type_names()
        .map(|name| {
            let entry = registry.service_type(name).expect("indexed");
            (name.to_owned(), entry.primary_identifier.clone())
        })
        .collect()
}

#[test]
fn the_fixture_type_is_one_type_for_both() {
    let root = type_from_schema();
    let expected = BTreeMap::from([(GADGET.to_owned(), vec!["GadgetName".to_owned()])]);
    assert_eq!(generator_types(&root), expected);
    assert_eq!(emulator_types(&root), expected);
    // What the emulator serves is what it indexed.
    let registry = Registry::index(&root).expect("specs index");
    let info = registry.get(GADGET).expect("loads");
    assert_eq!(info.primary_identifier, expected[GADGET]);
    assert_eq!(info.create_only, ["GadgetName"]);
    assert_eq!(info.read_only, ["Arn"]);
    assert_eq!(info.write_only, ["Secret"]);
}

#[test]
fn the_emulator_serves_exactly_the_generators_cloud_control_types_on_the_corpus() {
    let root = test_support::repo_root().join("provider-specs");
    let generated = generator_types(&root);
    let served = emulator_types(&root);
    assert!(generated.len() > 1000, "{} types", generated.len());
    let only_generated: Vec<&String> = generated
        .keys()
        .filter(|k| !served.contains_key(*k))
        .collect();
    let only_served: Vec<&String> = served
        .keys()
        .filter(|k| !generated.contains_key(*k))
        .collect();
    assert!(
        only_generated.is_empty() && only_served.is_empty(),
        "generated only: {only_generated:?}; served only: {only_served:?}"
    );
    let differing: Vec<String> = generated
        .iter()
        .filter(|(k, v)| served[*k] != **v)
        .map(|(k, v)| format!("{k}: generator {v:?}, emulator {:?}", served[k]))
        .collect();
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}
