//! The importer against the real data: the 2026 cfn-lint schemas converted and compared with
//! StackQL's May 2024 output. Skips (with a message) when `<repo>/../shared` is absent.

use cfn_import::{convert, naming, read_source, render, Import, ImportOptions};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// What the tests read from `../shared`.
const REQUIRED: &[&str] = &["cfn-schemas/2026-10", "specs/2024-05/aws/services"];

/// The 2026 schemas converted with the default selection, shared by the tests.
fn imported() -> Option<&'static (Vec<cfn_import::CfnType>, Import)> {
    static CELL: OnceLock<Option<(Vec<cfn_import::CfnType>, Import)>> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = test_support::shared(REQUIRED)?.join("cfn-schemas/2026-10");
        let files = read_source(&dir).unwrap();
        let types = files
            .iter()
            .map(|f| cfn_import::parse(f).unwrap())
            .collect();
        Some((types, convert(&files, &ImportOptions::default()).unwrap()))
    })
    .as_ref()
}

/// The 2024 corpus: service name → parsed document.
fn corpus() -> Option<&'static BTreeMap<String, Value>> {
    static CELL: OnceLock<Option<BTreeMap<String, Value>>> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = test_support::shared(REQUIRED)?.join("specs/2024-05/aws/services");
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let doc: Value =
                serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            out.insert(name, doc);
        }
        Some(out)
    })
    .as_ref()
}

/// What we compare per resource: name, kind, identifiers, method names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Res {
    name: String,
    kind: Option<String>,
    identifiers: Value,
    methods: Vec<String>,
}

fn res(name: &str, r: &Value) -> Res {
    Res {
        name: name.to_string(),
        kind: r.get("x-type").and_then(Value::as_str).map(str::to_string),
        identifiers: r.get("x-identifiers").cloned().unwrap_or(Value::Null),
        methods: r
            .get("methods")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Per type: its resources (in output order), its permission keys and its resource schema.
#[derive(Debug, Default)]
struct TypeView {
    resources: Vec<Res>,
    raw: BTreeMap<String, Value>,
    permissions: BTreeSet<String>,
    schema: Value,
}

fn by_type<'a>(
    services: impl Iterator<Item = (&'a Map<String, Value>, &'a Map<String, Value>)>,
) -> BTreeMap<String, TypeView> {
    let mut out: BTreeMap<String, TypeView> = BTreeMap::new();
    for (schemas, resources) in services {
        for schema in schemas.values() {
            if let Some(t) = schema.get("x-type-name").and_then(Value::as_str) {
                let v = out.entry(t.to_string()).or_default();
                v.permissions = schema
                    .get("x-required-permissions")
                    .and_then(Value::as_object)
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                v.schema = schema.clone();
            }
        }
        for (name, r) in resources {
            if let Some(t) = r.get("x-cfn-type-name").and_then(Value::as_str) {
                let v = out.entry(t.to_string()).or_default();
                v.resources.push(res(name, r));
                v.raw.insert(name.clone(), r.clone());
            }
        }
    }
    out
}

/// StackQL's hand-written services (cfn-import.md §2), not produced by the converter.
const STATIC_SERVICES: [&str; 7] = [
    "cloud_control",
    "cloudhsm",
    "cloudwatch_api",
    "ec2_api",
    "iam_api",
    "s3_api",
    "transfer_api",
];

/// 2024 types that lost their resource schema to a same-named definition (cfn-import.md §3.3).
const LOST_IN_2024: [&str; 12] = [
    "AWS::Connect::PhoneNumber",
    "AWS::ECS::CapacityProvider",
    "AWS::ECS::Cluster",
    "AWS::FraudDetector::EntityType",
    "AWS::Glue::Registry",
    "AWS::Glue::Schema",
    "AWS::IoTAnalytics::Channel",
    "AWS::IoTAnalytics::Datastore",
    "AWS::Lightsail::Disk",
    "AWS::Logs::LogGroup",
    "AWS::SageMaker::Domain",
    "AWS::SecurityLake::AwsLogSource",
];

/// 2024 types whose plural equalled the singular and was overwritten (cfn-import.md §4.2).
const SAME_PLURAL_IN_2024: [&str; 17] = [
    "AWS::DataSync::LocationEFS",
    "AWS::DataSync::LocationHDFS",
    "AWS::DataSync::LocationNFS",
    "AWS::DataSync::LocationFSxOpenZFS",
    "AWS::DataSync::LocationFSxWindows",
    "AWS::EC2::DHCPOptions",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::ECS::ClusterCapacityProviderAssociations",
    "AWS::Glue::SchemaVersionMetadata",
    "AWS::LakeFormation::PrincipalPermissions",
    "AWS::S3::StorageLens",
    "AWS::SES::VdmAttributes",
    "AWS::WorkSpacesWeb::BrowserSettings",
    "AWS::WorkSpacesWeb::IpAccessSettings",
    "AWS::WorkSpacesWeb::NetworkSettings",
    "AWS::WorkSpacesWeb::UserAccessLoggingSettings",
    "AWS::WorkSpacesWeb::UserSettings",
];

/// 2024 plurals replaced by StackQL's hand-written IAM overlay (custom_list over iam_api).
const OVERLAY_IN_2024: [&str; 3] = [
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
    "AWS::IAM::RolePolicy",
];

#[test]
fn imported_resources_match_the_2024_corpus_where_handlers_did_not_change() {
    let (Some((types, ours)), Some(corpus)) = (imported(), corpus()) else {
        return;
    };
    let theirs = by_type(corpus.values().filter_map(|doc| {
        let c = doc.get("components")?;
        Some((
            c.get("schemas")?.as_object()?,
            c.get("x-stackQL-resources")?.as_object()?,
        ))
    }));
    let ours_by_type = by_type(ours.services.iter().map(|s| (&s.schemas, &s.resources)));
    let source_handlers: BTreeMap<&str, BTreeSet<String>> = types
        .iter()
        .map(|t| {
            let h = t.doc.get("handlers").and_then(Value::as_object);
            let keys = h.map(|h| {
                h.iter()
                    .filter(|(_, v)| v.get("permissions").is_some())
                    .map(|(k, _)| k.clone())
                    .collect()
            });
            (t.type_name.as_str(), keys.unwrap_or_default())
        })
        .collect();

    let (mut compared, mut changed, mut tolerated, mut ddl_checked) = (0, 0, 0, 0);
    let mut changed_types = Vec::new();
    let mut failures = Vec::new();
    for (type_name, old) in &theirs {
        if old.permissions.is_empty() && old.resources.is_empty() {
            continue; // hand-written static services carry no types
        }
        let Some(handlers) = source_handlers.get(type_name.as_str()) else {
            continue;
        };
        // A type lost in 2024 has no 2024 schema; its handler set is unknown, so only check it exists.
        if LOST_IN_2024.contains(&type_name.as_str()) {
            continue;
        }
        if *handlers != old.permissions {
            changed += 1;
            changed_types.push(type_name.as_str());
            continue;
        }
        compared += 1;
        let Some(new) = ours_by_type.get(type_name) else {
            failures.push(format!("{type_name}: not imported"));
            continue;
        };
        if new.permissions != old.permissions {
            failures.push(format!(
                "{type_name}: permission keys {:?} != {:?}",
                new.permissions, old.permissions
            ));
        }
        let mut expected = old.resources.clone();
        if SAME_PLURAL_IN_2024.contains(&type_name.as_str())
            || OVERLAY_IN_2024.contains(&type_name.as_str())
        {
            // 2024 kept only the singular; ours also has the plural (collection) resource.
            tolerated += 1;
            let Some(plural) = new.resources.first() else {
                failures.push(format!("{type_name}: no resources"));
                continue;
            };
            let singular = &expected[0].name;
            let want_name = if OVERLAY_IN_2024.contains(&type_name.as_str()) {
                naming::plural(singular)
            } else {
                format!("{singular}{}", naming::SAME_PLURAL_SUFFIX)
            };
            if plural.name != want_name {
                failures.push(format!(
                    "{type_name}: plural {} != {want_name}",
                    plural.name
                ));
            }
            expected.insert(0, plural.clone());
        }
        if new.resources != expected {
            failures.push(format!(
                "{type_name}:\n  ours {:?}\n  2024 {:?}",
                new.resources, expected
            ));
            continue;
        }
        // Views: LIST views depend only on the identifiers, so they must be byte-equal; every
        // 2024 GET column of a property that still exists must be there, byte for byte.
        for (name, old_raw) in &old.raw {
            let Some(new_raw) = new.raw.get(name) else {
                continue;
            };
            let view = |r: &Value, dialect: &str| -> String {
                let select = &r["config"]["views"]["select"];
                let v = if dialect == "sqlite3" {
                    &select["ddl"]
                } else {
                    &select["fallback"]["ddl"]
                };
                v.as_str().unwrap_or_default().to_string()
            };
            for dialect in ["sqlite3", "postgres"] {
                let (a, b) = (view(new_raw, dialect), view(old_raw, dialect));
                if old_raw.get("x-type") == Some(&Value::from("list")) {
                    if a != b {
                        failures.push(format!(
                            "{type_name} {name} {dialect} LIST view differs:\n{a}\n---\n{b}"
                        ));
                    }
                } else if old_raw.get("x-type") == Some(&Value::from("get")) {
                    let ours_lines: BTreeSet<&str> =
                        a.lines().map(|l| l.trim_end_matches(',')).collect();
                    let props = new.schema.get("properties").and_then(Value::as_object);
                    for line in b.lines().map(|l| l.trim_end_matches(',')) {
                        let prop = line
                            .split(['\'', '.'])
                            .nth(if dialect == "sqlite3" { 2 } else { 1 })
                            .filter(|_| {
                                line.starts_with("JSON_EXTRACT")
                                    || line.starts_with("json_extract_path_text")
                            });
                        let still_there =
                            prop.is_none_or(|p| props.is_some_and(|m| m.contains_key(p)));
                        if still_there && !ours_lines.contains(line) {
                            failures.push(format!(
                                "{type_name} {name} {dialect}: GET view lacks `{line}`"
                            ));
                        }
                    }
                }
                ddl_checked += 1;
            }
        }
    }
    eprintln!("compared {compared} types ({tolerated} tolerated differences), {changed} with changed handlers, {ddl_checked} views");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(compared > 900, "only {compared} types compared");
    // Every tolerated type was compared, except those whose handlers changed since 2024.
    let tolerated_changed = SAME_PLURAL_IN_2024
        .iter()
        .chain(&OVERLAY_IN_2024)
        .filter(|t| changed_types.contains(t))
        .count();
    assert_eq!(
        tolerated + tolerated_changed,
        SAME_PLURAL_IN_2024.len() + OVERLAY_IN_2024.len()
    );
    eprintln!("types with changed handlers: {changed_types:?}");
}

#[test]
fn nothing_is_lost() {
    let Some((types, ours)) = imported() else {
        return;
    };
    let with_handlers: BTreeSet<&str> = types
        .iter()
        .filter(|t| t.vendor == "AWS" && t.has_handlers())
        .map(|t| t.type_name.as_str())
        .collect();
    let converted: BTreeSet<&str> = ours
        .services
        .iter()
        .flat_map(|s| s.types.iter().map(String::as_str))
        .collect();
    assert_eq!(converted, with_handlers);
    assert!(ours.warnings.is_empty(), "{:?}", ours.warnings);
    let by_type = by_type(ours.services.iter().map(|s| (&s.schemas, &s.resources)));
    // The 12 types StackQL lost, and SageMaker ModelCard which collides only in 2026.
    for t in LOST_IN_2024.iter().chain(&["AWS::SageMaker::ModelCard"]) {
        let v = &by_type[*t];
        assert!(
            v.resources.iter().any(|r| r.kind.as_deref() == Some("get")),
            "{t}: {:?}",
            v.resources
        );
        assert_eq!(v.schema["x-type-name"], Value::from(*t));
    }
    // Every resource schema is under its own key, every $ref resolves within its service.
    for s in &ours.services {
        for t in &s.types {
            let key = t.rsplit("::").next().unwrap();
            assert_eq!(
                s.schemas[key]["x-type-name"],
                Value::from(t.as_str()),
                "{t}"
            );
        }
        let text = serde_json::to_string(&s.schemas).unwrap();
        let refs = text.matches("\"$ref\":").count();
        let local = text.matches("\"$ref\":\"#/components/schemas/").count();
        assert_eq!(
            refs, local,
            "{}: a $ref that is not #/components/schemas/<name>",
            s.name
        );
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = part.split(['"', '/']).next().unwrap();
            assert!(
                s.schemas.contains_key(name),
                "{}: dangling $ref to {name}",
                s.name
            );
        }
    }
    let resources: usize = ours.services.iter().map(|s| s.resources.len()).sum();
    let names: BTreeSet<(String, &String)> = ours
        .services
        .iter()
        .flat_map(|s| s.resources.keys().map(move |k| (s.name.clone(), k)))
        .collect();
    assert_eq!(names.len(), resources);
}

#[test]
fn specific_types() {
    let Some((_, ours)) = imported() else { return };
    let svc = |n: &str| ours.services.iter().find(|s| s.name == n).unwrap();
    let kinesis = svc("kinesis");
    assert!(
        kinesis.resources.contains_key("streams")
            && kinesis.resources.contains_key("kinesis_stream")
    );
    let acmpca = svc("acmpca");
    assert!(acmpca.resources["certificates"].get("x-type").is_none());
    assert_eq!(
        acmpca.resources["certificate"]["methods"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["delete_resource"]
    );
    let eks = svc("eks");
    assert_eq!(
        eks.schemas["Nodegroup"]["x-list-required-properties"],
        serde_json::json!(["ClusterName"])
    );
    assert_eq!(
        svc("rds").resources["db_cluster"]["config"]["views"]["select"]["ddl"]
            .as_str()
            .unwrap()
            .lines()
            .nth(2),
        Some("data__Identifier,")
    );
    // IoTEvents AlarmModel has no handlers in cfn-lint: skipped, the rest of the service kept.
    assert!(svc("iotevents")
        .types
        .iter()
        .all(|t| t != "AWS::IoTEvents::AlarmModel"));
    assert!(svc("iotevents").types.len() >= 2);
    let ec2 = svc("ec2");
    assert_eq!(
        ec2.schemas["SseSpecification"]["type"],
        Value::from("object")
    );
}

#[test]
fn names_reproduce_all_2024_singular_plural_pairs() {
    let Some(corpus) = corpus() else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (service, doc) in corpus {
        let Some(schemas) = doc["components"]["schemas"].as_object() else {
            continue;
        };
        let resources = doc["components"]["x-stackQL-resources"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (key, schema) in schemas {
            let Some(short) = schema
                .get("x-stackql-resource-name")
                .and_then(Value::as_str)
            else {
                continue;
            };
            let names = naming::resource_names(service, key);
            if names.short != short {
                failures.push(format!("{key}: snake {} != {short}", names.short));
            }
            for (name, r) in &resources {
                if r.get("x-cfn-schema-name").and_then(Value::as_str) != Some(key) {
                    continue;
                }
                let want = if r.get("x-type") == Some(&Value::from("get")) {
                    &names.singular
                } else {
                    &names.plural
                };
                if want != name {
                    failures.push(format!("{service}/{key}: {want} != {name}"));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked > 1800, "{checked}");
}

#[test]
fn rendered_files_read_back_and_boilerplate_matches_the_corpus() {
    let (Some((_, ours)), Some(corpus)) = (imported(), corpus()) else {
        return;
    };
    let files = render(ours);
    assert_eq!(files, render(ours), "rendering is deterministic");
    let reference = &corpus["codeconnections"];
    let provider: Value = serde_yaml::from_str(&files[0].contents).unwrap();
    assert_eq!(
        provider["providerServices"].as_object().unwrap().len(),
        ours.services.len()
    );
    for (file, service) in files[1..].iter().zip(&ours.services) {
        let doc: Value = serde_yaml::from_str(&file.contents)
            .unwrap_or_else(|e| panic!("{}: {e}", file.path.display()));
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "openapi",
                "info",
                "servers",
                "components",
                "paths",
                "x-stackQL-config"
            ]
        );
        assert_eq!(
            doc["components"]["schemas"],
            Value::Object(service.schemas.clone()),
            "{}",
            service.name
        );
        assert_eq!(
            doc["components"]["x-stackQL-resources"],
            Value::Object(service.resources.clone()),
            "{}",
            service.name
        );
        for key in ["openapi", "servers", "paths", "x-stackQL-config"] {
            assert_eq!(doc[key], reference[key], "{key}");
        }
        for key in ["parameters", "x-cloud-control-schemas", "securitySchemes"] {
            assert_eq!(
                doc["components"][key], reference["components"][key],
                "{key}"
            );
        }
        assert_eq!(doc["info"]["title"], Value::from(service.title.as_str()));
    }
}

#[test]
fn emitter_reproduces_the_2024_files_byte_for_byte() {
    // Our YAML layout and quoting against js-yaml's: every generated 2024 service file, parsed
    // and rendered again from its title, schemas and resources, must come out identical.
    let (Some(shared), Some(corpus)) = (test_support::shared(REQUIRED), corpus()) else {
        return;
    };
    let mut compared = 0;
    for (name, doc) in corpus {
        if STATIC_SERVICES.contains(&name.as_str()) {
            continue; // hand-written by StackQL, not generated
        }
        let service = cfn_import::Service {
            name: name.clone(),
            title: doc["info"]["title"].as_str().unwrap().to_string(),
            schemas: doc["components"]["schemas"].as_object().unwrap().clone(),
            resources: doc["components"]["x-stackQL-resources"]
                .as_object()
                .unwrap()
                .clone(),
            types: Vec::new(),
        };
        let path = shared.join(format!("specs/2024-05/aws/services/{name}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            cfn_import::render_service(&service) == text,
            "{} differs",
            path.display()
        );
        compared += 1;
    }
    assert_eq!(compared, 213);
}
