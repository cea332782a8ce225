//! The Rust emitter on the fixture specs, one small service per edge case (typify's layout:
//! `tests/fixtures/rust/specs/aws/services/<case>.yaml` gives `expected/src/<case>.rs` and
//! `panels/aws-docs/providers/aws/<case>/rust-panel.json`; each spec opens with the list of the
//! edge cases it covers, and `tests/fixtures/rust/README.md` maps them):
//!
//! - `enums`: a named enum shared through `$ref` (duplicate values, `UNKNOWN`, values that are
//!   no identifiers), an inline one whose values differ only in case, one in an inline object,
//!   enum setters of an update;
//! - `inputs`: required and optional properties, nested inputs with required members,
//!   recursion;
//! - `flags`: read-only, create-only and write-only properties, top-level and nested,
//!   permissions, and the typed update and `from_diff` they allow;
//! - `shapes`: scalars, arrays, maps, `oneOf`, a property without a type, their update setters;
//! - `identifiers`: a nested identifier path in rows, a compound primary identifier, a list
//!   under a parent, a get resource without handlers, method kinds and the registry;
//! - `naming`: keyword properties, leading digits, three `Tag`s, a named schema winning its name
//!   over an inline type, `extra` taken by a property, Markdown and HTML in descriptions.
//!
//! Every case's output is compared byte for byte with its expected file; the crate of all cases
//! is compiled with warnings denied (and each case's feature alone is checked), used from code
//! that must compile (one function per case), and checked to reject code that omits a required
//! property (from the `…Required` struct `new` takes), sets a read-only one, or builds an
//! unknown enum value by hand.
//!
//! Regenerate the expected files with `UPDATE_EXPECTED=1 cargo test -p generator --test rust_crate`
//! (and the panels with `UPDATE_EXPECTED=1 cargo test -p generator --test rust_panel`).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust")
}

fn render_fixture() -> BTreeMap<String, String> {
    let providers =
        generator::load_specs(&fixture_dir().join("specs")).expect("fixture specs load");
    generator::rust::render_crate(&providers[0]).expect("fixture crate renders")
}

/// The case services (one per edge case), as the fixture provider lists them.
fn case_names() -> Vec<String> {
    let providers =
        generator::load_specs(&fixture_dir().join("specs")).expect("fixture specs load");
    providers[0]
        .services
        .iter()
        .map(|s| s.name.clone())
        .collect()
}

#[test]
fn fixture_crate_matches_expected_byte_for_byte() {
    let files = render_fixture();
    let expected_dir = fixture_dir().join("expected");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        if expected_dir.exists() {
            std::fs::remove_dir_all(&expected_dir).expect("old expected files removed");
        }
        support::write_files(&expected_dir, &files);
    }
    let on_disk = support::read_tree(&expected_dir);
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>(),
        "generated file set differs from tests/fixtures/rust/expected"
    );
    for (path, contents) in &files {
        assert!(on_disk[path] == *contents, "{path} differs from tests/fixtures/rust/expected/{path}; rerun with UPDATE_EXPECTED=1 and review the diff");
    }
}

#[test]
fn fast_path_formats_like_quote_parse_and_prettyplease() {
    let providers =
        generator::load_specs(&fixture_dir().join("specs")).expect("fixture specs load");
    for service in &providers[0].services {
        let fast = generator::rust::render_service_with(&providers[0], service, true, false)
            .expect("renders");
        let slow = generator::rust::render_service_with(&providers[0], service, false, true)
            .expect("renders");
        assert_eq!(fast, slow, "{}", service.name);
    }
}

/// One spec, one expected module and one panel per case, each spec opening with the comment
/// that lists the edge cases it covers, and nothing else under `expected/src` but the
/// crate-level files.
#[test]
fn every_case_has_its_spec_its_expected_module_and_its_panel() {
    let names = |dir: &Path, suffix: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter_map(|name| name.strip_suffix(suffix).map(str::to_owned))
            .collect();
        names.sort();
        names
    };
    let cases = case_names();
    assert_eq!(
        cases,
        [
            "enums",
            "flags",
            "identifiers",
            "inputs",
            "naming",
            "shapes"
        ]
    );
    let specs_dir = fixture_dir().join("specs/aws/services");
    assert_eq!(names(&specs_dir, ".yaml"), cases);
    let modules: Vec<String> = names(&fixture_dir().join("expected/src"), ".rs")
        .into_iter()
        .filter(|name| !["lib", "policy", "registry"].contains(&name.as_str()))
        .collect();
    assert_eq!(modules, cases);
    let panels = fixture_dir().join("panels/aws-docs/providers/aws");
    assert_eq!(names(&panels, ""), cases);
    for case in &cases {
        assert!(
            panels.join(case).join("rust-panel.json").is_file(),
            "no panel for case `{case}`"
        );
        let spec = std::fs::read_to_string(specs_dir.join(format!("{case}.yaml"))).expect("spec");
        assert!(
            spec.starts_with(&format!("# Case `{case}` (expected/src/{case}.rs): ")),
            "services/{case}.yaml does not open with the comment listing its edge cases"
        );
    }
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(render_fixture(), render_fixture());
}

#[test]
fn every_file_has_the_header() {
    for (path, contents) in render_fixture() {
        let header = if path.ends_with(".toml") {
            "# generated by `cargo xtask gen`, do not edit\n"
        } else {
            generator::rust::HEADER
        };
        assert!(
            contents.starts_with(header),
            "{path} lacks the generated-file header"
        );
    }
}

/// Code that uses the generated API as a user would; it must compile with warnings denied.
const USES: &str = r#"#![deny(warnings)]
use aws_cloudcontrol_resources::{enums, flags, identifiers, inputs, naming, shapes};
use serde_json::json;

fn main() {
    enums_case();
    inputs_case();
    flags_case();
    shapes_case();
    identifiers_case();
    naming_case();
    println!("ok");
}

/// `enums`: a known spelling parses to its variant (so an unknown variant never equals a known
/// one), anything else to the sealed `Unknown`, which round-trips.
fn enums_case() {
    use enums::{CreateGizmo, CreateGizmoRequired, Gizmo, GizmoType, Size};
    let input = CreateGizmo::new(CreateGizmoRequired { name: "g1".into(), r#type: GizmoType::Deluxe, size: Size::Small });
    let json = serde_json::to_value(&input).unwrap();
    assert_eq!(json, json!({"Name": "g1", "Type": "deluxe", "Size": "SMALL"}));
    // A required enum also takes its spelling.
    let spelled = CreateGizmo::new(CreateGizmoRequired { name: "g1".into(), r#type: "deluxe".into(), size: Size::Small });
    assert_eq!(serde_json::to_value(&spelled).unwrap(), json);

    // Reads: unknown enum values survive a round trip, at the top and nested.
    let read = json!({"Name": "g1", "Type": "premium", "Size": "SMALL", "Settings": {"Verbose": true, "Mode": "fast"}});
    let model: Gizmo = serde_json::from_value(read.clone()).unwrap();
    assert_eq!(model.r#type, Some(GizmoType::from("premium")));
    assert!(matches!(&model.r#type, Some(GizmoType::Unknown(value)) if value.as_str() == "premium"));
    assert_eq!(model.size, Some(Size::Small));
    assert_eq!(model.settings.as_ref().unwrap().mode, Some(enums::GizmoSettingsMode::Fast));
    assert_eq!(serde_json::to_value(&model).unwrap(), read);

    assert_eq!("deluxe".parse::<GizmoType>(), Ok(GizmoType::Deluxe));
    assert_eq!(GizmoType::from("Standard".to_owned()), GizmoType::Standard2);
    assert_eq!(GizmoType::values(), &["standard", "deluxe", "Standard"]);
    assert_eq!(Size::values(), &["SMALL", "MEDIUM", "LARGE", "UNKNOWN", "1.0", "*"]);
    assert_eq!("UNKNOWN".parse::<Size>(), Ok(Size::Unknown2));
    assert_eq!(Size::V1_0.as_ref(), "1.0");
    assert_eq!(Size::Asterisk.as_str(), "*");
    let huge: Size = "HUGE".parse().unwrap();
    assert_ne!(huge, Size::Large);
    assert_eq!(huge.as_str(), "HUGE");
    assert_eq!(serde_json::to_value(&huge).unwrap(), "HUGE");
    assert_eq!(serde_json::from_value::<Size>(json!("HUGE")).unwrap(), huge);
    let Size::Unknown(value) = &huge else { panic!("HUGE is not a known size") };
    assert_eq!(value.to_string(), "HUGE");
    assert_eq!(value.clone(), aws_cloudcontrol_resources::UnknownValue::clone(value));

    // Updates take enum values, known or not; a second set of a path replaces the first and
    // comes last.
    let patch = enums::UpdateGizmo::new().set_size(Size::Large).set_type(GizmoType::Standard2).set_size(huge.clone());
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!([
            {"op": "add", "path": "/Type", "value": "Standard"},
            {"op": "add", "path": "/Size", "value": "HUGE"}
        ])
    );
}

/// `inputs`: required members named in `…Required` structs, optional ones set with setters,
/// nested structs in their strict `…Input` shapes; reads lenient and lossless; recursion.
fn inputs_case() {
    use inputs::{CreateWidget, CreateWidgetRequired, MatchRuleInput, MatchRuleInputRequired, RuleInput, Tag, TagInput, TagInputRequired, Widget};
    let input = CreateWidget::new(CreateWidgetRequired { name: "w1".into() })
        .with_tags(vec![TagInput::new(TagInputRequired { key: "k".into(), value: "v".into() })])
        .with_match(MatchRuleInput::new(MatchRuleInputRequired { pattern: "p*".into(), then: RuleInput::new().with_name("inner") }));
    let json = serde_json::to_value(&input).unwrap();
    assert_eq!(json["Name"], "w1");
    assert_eq!(json["Tags"], json!([{"Key": "k", "Value": "v"}]));
    assert_eq!(json["Match"]["Then"]["Name"], "inner");
    assert!(json.get("WidgetId").is_none(), "read-only property sent");

    // Recursive reads.
    let read = json!({"WidgetId": "w-1", "Name": "w1", "Rules": [{"Name": "a", "Not": {"Name": "b"}, "And": [{"Name": "c"}]}]});
    let model: Widget = serde_json::from_value(read.clone()).unwrap();
    assert_eq!(model.rules.as_ref().unwrap()[0].not.as_ref().unwrap().name.as_deref(), Some("b"));
    assert_eq!(serde_json::to_value(&model).unwrap(), read);
    assert_eq!(serde_json::to_value(Widget::default()).unwrap(), json!({}));

    // Nested required members may be missing in what reads return; unknown members are kept
    // at every depth and re-serialised in place.
    let partial = json!({
        "Name": "w1",
        "Tags": [{"Key": "a"}, {"Value": "only", "Color": "red"}],
        "Match": {"Then": {"Name": "x", "Future": [1, 2]}},
        "NewTopLevel": {"any": "thing"}
    });
    let partial_model: Widget = serde_json::from_value(partial.clone()).unwrap();
    let tags: &Vec<Tag> = partial_model.tags.as_ref().unwrap();
    assert_eq!(tags[0].key.as_deref(), Some("a"));
    assert_eq!(tags[0].value, None);
    assert_eq!(tags[1].extra["Color"], "red");
    assert_eq!(partial_model.extra["NewTopLevel"]["any"], "thing");
    let then = partial_model.r#match.as_ref().unwrap().then.as_ref().unwrap();
    assert_eq!(then.extra["Future"], json!([1, 2]));
    assert_eq!(serde_json::to_value(&partial_model).unwrap(), partial);

    // Updates set nested structs in their strict input shapes, as creates take them.
    let tagged = inputs::UpdateWidget::new().set_tags(vec![TagInput::new(TagInputRequired { key: "k".into(), value: "v".into() })]);
    assert_eq!(
        serde_json::to_value(&tagged).unwrap(),
        json!([{"op": "add", "path": "/Tags", "value": [{"Key": "k", "Value": "v"}]}])
    );
}

/// `flags`: read-only properties cannot be sent, write-only ones are, create-only ones need a
/// replacement; typed updates and `from_diff`.
fn flags_case() {
    use flags::{CreateGizmo, CreateGizmoRequired, Gizmo, UpdateGizmo};
    let input = CreateGizmo::new(CreateGizmoRequired { name: "g1".into() }).with_password("secret");
    let json = serde_json::to_value(&input).unwrap();
    assert_eq!(json, json!({"Name": "g1", "Password": "secret"}));
    assert!(json.get("GizmoArn").is_none(), "read-only property sent");

    let read = json!({
        "GizmoArn": "arn:aws:flags:us-east-1:123456789012:gizmo/g1",
        "Name": "g1",
        "Location": {"LocationId": "loc-1", "CreatedAt": "2024-01-01"},
        "Count": 1,
        "Tags": [{"Key": "k", "Value": "v"}],
        "Rules": [{"Name": "a"}],
        "Metadata": {"x": "y"},
        "Target": {"Arn": "arn"}
    });
    let model: Gizmo = serde_json::from_value(read.clone()).unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), read);
    // A nested required member missing from a read.
    let partial = json!({"Name": "g1", "Location": {"CreatedAt": "2024-01-01"}});
    let partial_model: Gizmo = serde_json::from_value(partial.clone()).unwrap();
    assert_eq!(partial_model.location.as_ref().unwrap().location_id, None);
    assert_eq!(serde_json::to_value(&partial_model).unwrap(), partial);

    assert_eq!(flags::gizmos::TYPE_NAME, "AWS::Flags::Gizmo");
    assert_eq!(flags::gizmos::CREATE_PERMISSIONS, &["flags:CreateGizmo", "flags:TagResource"]);
    assert!(flags::gizmo::UPDATE_PERMISSIONS.is_empty());
    assert!(flags::gizmo::METHODS.iter().any(|m| m.kind() == aws_cloudcontrol_resources::MethodKind::Get && m.verb == aws_cloudcontrol_resources::SqlVerb::Select));

    // Typed patches: set_/remove_ serialize to RFC 6902; a second set of a path replaces the first.
    let patch = UpdateGizmo::new().set_count(3).set_count(4).remove_tags();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!([
            {"op": "add", "path": "/Count", "value": 4},
            {"op": "remove", "path": "/Tags"}
        ])
    );
    assert!(UpdateGizmo::UPDATABLE.contains(&"Count"));
    assert!(!UpdateGizmo::UPDATABLE.contains(&"Name"));
    assert!(!UpdateGizmo::UPDATABLE.contains(&"GizmoArn"));
    assert_eq!(UpdateGizmo::CREATE_ONLY, &["Name"]);
    // from_diff: nested and list values compared whole, absent optional values removed,
    // read-only differences ignored, equal models give an empty patch.
    let mut desired = model.clone();
    desired.rules = Some(serde_json::from_value(json!([{"Name": "a"}, {"Name": "z"}])).unwrap());
    desired.target = None;
    desired.metadata = None;
    desired.gizmo_arn = Some("other".to_owned());
    desired.count = Some(9);
    let diff = UpdateGizmo::from_diff(&model, &desired).unwrap();
    assert_eq!(
        serde_json::to_value(&diff).unwrap(),
        json!([
            {"op": "add", "path": "/Count", "value": 9},
            {"op": "add", "path": "/Rules", "value": [{"Name": "a"}, {"Name": "z"}]},
            {"op": "remove", "path": "/Metadata"},
            {"op": "remove", "path": "/Target"}
        ])
    );
    assert!(UpdateGizmo::from_diff(&model, &model).unwrap().is_empty());
    // A create-only change needs a replacement: a typed error naming the property.
    let mut renamed = model.clone();
    renamed.name = Some("g2".to_owned());
    let err = UpdateGizmo::from_diff(&model, &renamed).unwrap_err();
    assert_eq!(err, aws_cloudcontrol_resources::DiffError::CreateOnlyChanged { type_name: "AWS::Flags::Gizmo", property: "Name" });
    assert!(err.to_string().contains("Name"));
    // The untyped escape hatch.
    let raw = UpdateGizmo::from_json_patch(vec![json!({"op": "test", "path": "/Name", "value": "g1"})])
        .with_raw_operation(json!({"op": "replace", "path": "/Name", "value": "g2"}));
    assert_eq!(raw.operations().len(), 2);
}

/// `shapes`: scalars, arrays, maps, `oneOf` and untyped properties.
fn shapes_case() {
    use shapes::{CreateGizmo, CreateGizmoRequired, Gizmo};
    let input = CreateGizmo::new(CreateGizmoRequired { name: "g1".into() })
        .with_count(2)
        .with_ratio(0.5)
        .with_enabled(true)
        .with_aliases(vec!["a1".to_owned()])
        .with_labels([("a".to_owned(), "b".to_owned())].into_iter().collect::<std::collections::BTreeMap<_, _>>())
        .with_anything(json!({"free": [1]}));
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"Name": "g1", "Count": 2, "Ratio": 0.5, "Enabled": true, "Aliases": ["a1"], "Labels": {"a": "b"}, "Anything": {"free": [1]}})
    );
    let read = json!({
        "Name": "g1",
        "Count": 1,
        "Ratio": 1.5,
        "Enabled": false,
        "Aliases": ["a1", "a2"],
        "Labels": {"a": "b"},
        "Limits": {"a": 1},
        "Metadata": {"x": {"Owner": "me", "Weight": 1.5}},
        "Target": {"Arn": "arn"},
        "Anything": [1, "two"]
    });
    let model: Gizmo = serde_json::from_value(read.clone()).unwrap();
    assert_eq!(model.limits.as_ref().unwrap()["a"], 1);
    assert_eq!(model.metadata.as_ref().unwrap()["x"].owner.as_deref(), Some("me"));
    assert_eq!(serde_json::to_value(&model).unwrap(), read);
    assert_eq!(serde_json::to_value(Gizmo::default()).unwrap(), json!({}));

    // Updates set and remove every shape.
    let patch = shapes::UpdateGizmo::new()
        .set_ratio(0.25)
        .set_enabled(false)
        .set_limits([("b".to_owned(), 2)].into_iter().collect::<std::collections::BTreeMap<_, _>>())
        .set_anything(json!(null))
        .remove_metadata()
        .remove_target();
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!([
            {"op": "add", "path": "/Ratio", "value": 0.25},
            {"op": "add", "path": "/Enabled", "value": false},
            {"op": "add", "path": "/Limits", "value": {"b": 2}},
            {"op": "add", "path": "/Anything", "value": null},
            {"op": "remove", "path": "/Metadata"},
            {"op": "remove", "path": "/Target"}
        ])
    );
}

/// `identifiers`: rows with a nested identifier path, the registry, compound identifiers.
fn identifiers_case() {
    let read = json!({
        "GizmoArn": "arn:aws:identifiers:us-east-1:123456789012:gizmo/g1",
        "Name": "g1",
        "Location": {"LocationId": "loc-1", "CreatedAt": "2024-01-01"}
    });
    let model: identifiers::Gizmo = serde_json::from_value(read).unwrap();
    // Rows: identifiers (a nested path included) then region.
    let row = identifiers::gizmos::Row::from_model("us-east-1", model.clone());
    assert_eq!(row.location_location_id.as_deref(), Some("loc-1"));
    assert_eq!(row.region, "us-east-1");
    let row_json = serde_json::to_value(&row).unwrap();
    assert_eq!(row_json["location/location_id"], "loc-1");
    assert_eq!(row_json["gizmo_arn"], "arn:aws:identifiers:us-east-1:123456789012:gizmo/g1");

    // Metadata and the registry.
    assert_eq!(identifiers::gizmos::TYPE_NAME, "AWS::Identifiers::Gizmo");
    assert_eq!(identifiers::gizmos::IDENTIFIERS, &["GizmoArn", "Location/LocationId"]);
    let entry = aws_cloudcontrol_resources::resource("aws.identifiers.gadgets").unwrap();
    assert_eq!(entry.list_required_properties, &["GizmoName"]);
    assert_eq!(entry.kind, aws_cloudcontrol_resources::ResourceKind::List);
    assert_eq!(aws_cloudcontrol_resources::RESOURCES.len(), 13);
    for entry in aws_cloudcontrol_resources::RESOURCES {
        assert_eq!(aws_cloudcontrol_resources::resource(entry.id), Some(entry));
    }
    let list = identifiers::gadgets::METHODS.iter().find(|m| m.name == "list_resource").unwrap();
    assert_eq!(list.required_params, &["GizmoName", "region"]);
    assert_eq!(list.verb.as_str(), "SELECT");
    // Method kinds, from the names the generator's model spells.
    use aws_cloudcontrol_resources::MethodKind;
    assert_eq!(list.kind(), MethodKind::List);
    assert_eq!(MethodKind::List.name(), Some("list_resource"));
    let kinds: Vec<MethodKind> = identifiers::gadgets::METHODS.iter().map(|m| m.kind()).collect();
    assert!(kinds.contains(&MethodKind::Create), "{kinds:?}");
    assert_eq!(MethodKind::Other.name(), None);

    // Compound identifiers: Display joins with `|`, FromStr splits and counts.
    let id = identifiers::GadgetId::new("g1", "gad-1");
    assert_eq!(id.to_string(), "g1|gad-1");
    let back: identifiers::GadgetId = "g1|gad-1".parse().unwrap();
    assert_eq!(back, id);
    assert_eq!(back.gadget_id, "gad-1");
    let err = "g1".parse::<identifiers::GadgetId>().unwrap_err();
    assert_eq!((err.expected, err.found), (2, 1));
    assert!("a|b|c".parse::<identifiers::GadgetId>().is_err());
}

/// `naming`: keywords, leading digits, colliding type names, `extra` taken by a property.
fn naming_case() {
    use naming::{CreateGizmo, CreateGizmoRequired, Gizmo, UpdateGizmo};
    let input = CreateGizmo::new(CreateGizmoRequired { name: "g1".into() })
        .with_type("t")
        .with_self("me")
        .with_match("m")
        .with_ref("r")
        .with_3_dmodel("cube")
        .with_extra("e");
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"Name": "g1", "Type": "t", "Self": "me", "Match": "m", "Ref": "r", "3DModel": "cube", "Extra": "e"})
    );
    let read = json!({
        "Name": "g1",
        "Type": "t",
        "Self": "me",
        "Match": "m",
        "Ref": "r",
        "3DModel": "cube",
        "3DSettings": {"Depth": 2.5},
        "Settings": {"Verbose": true, "Mode": "slow"},
        "Preferences": {"Level": 1},
        "Tags": [{"Key": "k", "Value": "v"}],
        "GadgetTags": [{"Key": "g", "Propagate": true}],
        "Labels": [{"Name": "l"}],
        "Extra": "e",
        "Unlisted": 1
    });
    let model: Gizmo = serde_json::from_value(read.clone()).unwrap();
    assert_eq!(model.r#type.as_deref(), Some("t"));
    assert_eq!(model.self_.as_deref(), Some("me"));
    assert_eq!(model.r#match.as_deref(), Some("m"));
    assert_eq!(model.r#ref.as_deref(), Some("r"));
    assert_eq!(model._3_dmodel.as_deref(), Some("cube"));
    assert_eq!(model.extra.as_deref(), Some("e"));
    assert_eq!(model.extra_2["Unlisted"], 1);
    // Three tags, three types; the named `GizmoSettings` keeps its name, the inline type of
    // `Settings` gets the next one.
    let _: &Vec<naming::Tag> = model.tags.as_ref().unwrap();
    let _: &Vec<naming::GadgetTag> = model.gadget_tags.as_ref().unwrap();
    let _: &Vec<naming::Tag2> = model.labels.as_ref().unwrap();
    let _: &naming::GizmoSettings = model.preferences.as_ref().unwrap();
    let _: &naming::GizmoSettings2 = model.settings.as_ref().unwrap();
    // The inline enum of the renamed inline type follows its parent's new name.
    assert_eq!(model.settings.as_ref().unwrap().mode, Some(naming::GizmoSettings2Mode::Slow));
    let _: &naming::_3DSettings = model._3_dsettings.as_ref().unwrap();
    assert_eq!(serde_json::to_value(&model).unwrap(), read);

    let patch = UpdateGizmo::new().set_3_dmodel("sphere").set_self("you");
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!([
            {"op": "add", "path": "/3DModel", "value": "sphere"},
            {"op": "add", "path": "/Self", "value": "you"}
        ])
    );
}
"#;

/// The runtime functions of the resource modules (feature `runtime`, on by default), with the
/// types a user writes down: typed rows, the typed parent parameter, the typed create.
const RUNTIME_API: &str = r#"#![deny(warnings)]
use aws_cloudcontrol_resources::{flags, identifiers, runtime};

async fn uses(client: &runtime::Client) -> Result<(), runtime::Error> {
    // One item per resource: a typed row, or an undecoded item that does not end the listing.
    let items: Vec<runtime::ListItem<identifiers::gizmos::Row>> = identifiers::gizmos::list(client, "us-east-1").await?;
    for item in &items {
        match item {
            runtime::ListItem::Decoded(row) => println!("{:?}", row.gizmo_arn),
            runtime::ListItem::Undecoded(undecoded) => {
                let raw: &serde_json::Value = &undecoded.raw;
                println!("{:?} {} {raw}", undecoded.identifier, undecoded.path);
            }
            _ => {}
        }
    }
    let rows: Vec<identifiers::gizmos::Row> = runtime::all_decoded(items)?;
    let under: Vec<runtime::ListItem<identifiers::gadgets::Row>> = identifiers::gadgets::list(client, "us-east-1", "g1").await?;
    let with: Vec<runtime::ListItem<identifiers::gadgets::Row>> =
        identifiers::gadgets::list_with(client, "us-east-1", &serde_json::json!({"GizmoName": "g1"})).await?;
    let stream = identifiers::gadgets::list_stream(client, "us-east-1", "g1");
    fn is_stream<S: futures_util::Stream<Item = Result<runtime::ListItem<identifiers::gadgets::Row>, runtime::Error>> + Send + 'static>(_: &S) {}
    is_stream(&stream);
    // Raw siblings: the JSON as AWS sent it.
    let raw: Vec<serde_json::Value> = identifiers::gizmos::list_raw(client, "us-east-1").await?;
    let raw_under: Vec<serde_json::Value> = identifiers::gadgets::list_raw(client, "us-east-1", "g1").await?;
    let raw_with: Vec<serde_json::Value> =
        identifiers::gadgets::list_with_raw(client, "us-east-1", &serde_json::json!({"GizmoName": "g1"})).await?;
    let raw_stream = identifiers::gadgets::list_stream_raw(client, "us-east-1", "g1");
    fn is_raw_stream<S: futures_util::Stream<Item = Result<serde_json::Value, runtime::Error>> + Send + 'static>(_: &S) {}
    is_raw_stream(&raw_stream);
    let input = flags::CreateGizmo::new(flags::CreateGizmoRequired { name: "g1".into() });
    let created: runtime::Created<flags::Gizmo> = flags::gizmos::create(client, "us-east-1", &input).await?;
    println!("{} {} {} {} {} {} {}", rows.len(), under.len(), with.len(), raw.len(), raw_under.len(), raw_with.len(), created.identifier);
    // The lifecycle of a get-kind module: one identifier is any string...
    let one: flags::Gizmo = flags::gizmo::get(client, "us-east-1", &created.identifier).await?;
    let patch = flags::UpdateGizmo::new().set_count(2).remove_tags();
    let updated: runtime::Updated<flags::Gizmo> = flags::gizmo::update(client, "us-east-1", created.identifier.as_str(), &patch).await?;
    let deleted: runtime::Deleted = flags::gizmo::delete(client, "us-east-1", String::from("arn")).await?;
    // ...a compound one its generated struct.
    let id = identifiers::gadget::Id::new("g1", "gad-1");
    let gadget: identifiers::Gadget = identifiers::gadget::get(client, "us-east-1", &id).await?;
    // Raw sibling of get: the properties JSON as AWS sent it.
    let one_raw: serde_json::Value = flags::gizmo::get_raw(client, "us-east-1", &created.identifier).await?;
    let gadget_raw: serde_json::Value = identifiers::gadget::get_raw(client, "us-east-1", &id).await?;
    println!("{one_raw} {gadget_raw}");
    println!("{:?} {:?} {} {:?}", one.count, updated.model.map(|m| m.count), deleted.request_token, gadget.gadget_id);
    Ok(())
}

fn main() {
    let _ = uses;
    println!("ok");
}
"#;

/// Leaves out the required `Size`.
const OMITS_REQUIRED: &str = r#"use aws_cloudcontrol_resources::enums::{CreateGizmo, CreateGizmoRequired, GizmoType};
fn main() { let _ = CreateGizmo::new(CreateGizmoRequired { name: "g1".into(), r#type: GizmoType::Standard }); }
"#;

/// Passes the required properties positionally, as `new` took them before.
const POSITIONAL: &str = r#"use aws_cloudcontrol_resources::enums::{CreateGizmo, GizmoType, Size};
fn main() { let _ = CreateGizmo::new("g1", GizmoType::Standard, Size::Small); }
"#;

/// Sets the read-only `GizmoArn`.
const SETS_READ_ONLY: &str = r#"use aws_cloudcontrol_resources::flags::{CreateGizmo, CreateGizmoRequired};
fn main() { let _ = CreateGizmo::new(CreateGizmoRequired { name: "g1".into() }).with_gizmo_arn("arn"); }
"#;

/// Names the read-only `GizmoArn` among the required properties.
const REQUIRED_SETS_READ_ONLY: &str = r#"use aws_cloudcontrol_resources::flags::{CreateGizmo, CreateGizmoRequired};
fn main() { let _ = CreateGizmo::new(CreateGizmoRequired { name: "g1".into(), gizmo_arn: "arn".into() }); }
"#;

/// Leaves out the required `Value` of a nested input (`Tag` requires `Key` and `Value`).
const NESTED_OMITS_REQUIRED: &str = r#"use aws_cloudcontrol_resources::inputs::{TagInput, TagInputRequired};
fn main() { let _ = TagInput::new(TagInputRequired { key: "k".into() }); }
"#;

/// Builds a model with a struct literal, which `#[non_exhaustive]` forbids outside the crate.
const STRUCT_LITERAL: &str = r#"use aws_cloudcontrol_resources::inputs::TagInput;
fn main() { let _ = TagInput { key: "k".into(), value: "v".into() }; }
"#;

/// Builds an unknown enum value by hand: the catch-all holds a value type whose field is
/// private to the crate.
const BUILDS_UNKNOWN: &str = r#"use aws_cloudcontrol_resources::{enums::GizmoType, UnknownValue};
fn main() { let _ = GizmoType::Unknown(UnknownValue("premium".to_owned())); }
"#;

/// Puts a plain string in the catch-all, as the crate allowed before it was sealed.
const UNKNOWN_FROM_STRING: &str = r#"use aws_cloudcontrol_resources::enums::GizmoType;
fn main() { let _ = GizmoType::Unknown("premium".into()); }
"#;

/// Sets the create-only `Name` on an update.
const UPDATE_SETS_CREATE_ONLY: &str = r#"use aws_cloudcontrol_resources::flags::UpdateGizmo;
fn main() { let _ = UpdateGizmo::new().set_name("g2"); }
"#;

/// Sets the read-only `GizmoArn` on an update.
const UPDATE_SETS_READ_ONLY: &str = r#"use aws_cloudcontrol_resources::flags::UpdateGizmo;
fn main() { let _ = UpdateGizmo::new().set_gizmo_arn("arn"); }
"#;

/// Updates a gadget, whose type has no update handler.
const UPDATE_WITHOUT_HANDLER: &str = r#"use aws_cloudcontrol_resources::{identifiers, runtime};
async fn uses(client: &runtime::Client) {
    let id = identifiers::GadgetId::new("g1", "gad-1");
    let _ = identifiers::gadget::update(client, "us-east-1", &id, &serde_json::json!([])).await;
}
fn main() { let _ = uses; }
"#;

#[test]
fn fixture_crate_compiles_without_warnings_and_enforces_required_and_read_only() {
    let Some(harness) = support::Harness::new("fixture") else {
        return;
    };
    harness.write_crate(&render_fixture());
    harness.add_bin("uses", USES);
    harness.add_bin("omits_required", OMITS_REQUIRED);
    harness.add_bin("nested_omits_required", NESTED_OMITS_REQUIRED);
    harness.add_bin("sets_read_only", SETS_READ_ONLY);
    harness.add_bin("positional", POSITIONAL);
    harness.add_bin("required_sets_read_only", REQUIRED_SETS_READ_ONLY);
    harness.add_bin("struct_literal", STRUCT_LITERAL);
    harness.add_bin("runtime_api", RUNTIME_API);
    harness.add_bin("update_sets_create_only", UPDATE_SETS_CREATE_ONLY);
    harness.add_bin("update_sets_read_only", UPDATE_SETS_READ_ONLY);
    harness.add_bin("update_without_handler", UPDATE_WITHOUT_HANDLER);
    harness.add_bin("builds_unknown", BUILDS_UNKNOWN);
    harness.add_bin("unknown_from_string", UNKNOWN_FROM_STRING);
    harness.finish(&["full"]);
    harness.add_dependency("futures-util = { version = \"0.3\", default-features = false }");

    let run = harness.cargo(&["run", "--bin", "uses"]);
    assert!(
        run.status.success(),
        "the generated crate or the code using it does not build cleanly:\n{}",
        run.stderr_text()
    );
    assert!(run.stdout_text().contains("ok"));

    let runtime_api = harness.cargo(&["run", "--bin", "runtime_api"]);
    assert!(
        runtime_api.status.success(),
        "the runtime functions do not build cleanly:\n{}",
        runtime_api.stderr_text()
    );

    // Types only: without the runtime feature the crate builds without warnings too.
    let types_only = harness.cargo(&[
        "check",
        "-p",
        "aws-cloudcontrol-resources",
        "--no-default-features",
        "--features",
        "full",
    ]);
    assert!(
        types_only.status.success(),
        "the types-only build fails:\n{}",
        types_only.stderr_text()
    );
    // And with no feature at all (the registry alone, as the CLI uses it).
    let registry_only = harness.cargo(&[
        "check",
        "-p",
        "aws-cloudcontrol-resources",
        "--no-default-features",
    ]);
    assert!(
        registry_only.status.success(),
        "the registry-only build fails:\n{}",
        registry_only.stderr_text()
    );
    // Each case alone: its feature's module and the crate-level files cfg-gated on it build
    // without warnings when no other case is on.
    for case in case_names() {
        let alone = harness.cargo(&[
            "check",
            "-p",
            "aws-cloudcontrol-resources",
            "--no-default-features",
            "--features",
            &case,
        ]);
        assert!(
            alone.status.success(),
            "the build of case `{case}` alone fails:\n{}",
            alone.stderr_text()
        );
    }

    let omitted = harness.cargo(&["check", "--bin", "omits_required"]);
    assert!(
        !omitted.status.success(),
        "omitting a required property compiled"
    );
    assert!(
        omitted.stderr_text().contains("E0063") && omitted.stderr_text().contains("`size`"),
        "expected a missing-field error naming `size`:\n{}",
        omitted.stderr_text()
    );

    let positional = harness.cargo(&["check", "--bin", "positional"]);
    assert!(
        !positional.status.success(),
        "positional required properties compiled"
    );
    assert!(
        positional.stderr_text().contains("E0061"),
        "expected a wrong-argument-count error:\n{}",
        positional.stderr_text()
    );

    let nested = harness.cargo(&["check", "--bin", "nested_omits_required"]);
    assert!(
        !nested.status.success(),
        "omitting a required member of a nested input compiled"
    );
    assert!(
        nested.stderr_text().contains("E0063") && nested.stderr_text().contains("`value`"),
        "expected a missing-field error naming `value`:\n{}",
        nested.stderr_text()
    );

    let required_read_only = harness.cargo(&["check", "--bin", "required_sets_read_only"]);
    assert!(
        !required_read_only.status.success(),
        "a read-only property was accepted among the required ones"
    );
    assert!(
        required_read_only.stderr_text().contains("E0560")
            && required_read_only.stderr_text().contains("gizmo_arn"),
        "expected an unknown-field error naming `gizmo_arn`:\n{}",
        required_read_only.stderr_text()
    );

    let read_only = harness.cargo(&["check", "--bin", "sets_read_only"]);
    assert!(
        !read_only.status.success(),
        "setting a read-only property compiled"
    );
    assert!(
        read_only.stderr_text().contains("with_gizmo_arn"),
        "{}",
        read_only.stderr_text()
    );

    for (bin, missing) in [
        ("update_sets_create_only", "set_name"),
        ("update_sets_read_only", "set_gizmo_arn"),
        ("update_without_handler", "update"),
    ] {
        let out = harness.cargo(&["check", "--bin", bin]);
        assert!(!out.status.success(), "{bin} compiled");
        let stderr = out.stderr_text();
        assert!(
            stderr.contains("E0599") || stderr.contains("E0425"),
            "{bin}: expected a missing-item error:\n{stderr}"
        );
        assert!(
            stderr.contains(missing),
            "{bin}: error does not name `{missing}`:\n{stderr}"
        );
    }

    let unknown = harness.cargo(&["check", "--bin", "builds_unknown"]);
    assert!(
        !unknown.status.success(),
        "an unknown enum value was built by hand"
    );
    assert!(
        unknown.stderr_text().contains("E0423") && unknown.stderr_text().contains("private"),
        "expected a private-field error:\n{}",
        unknown.stderr_text()
    );
    let from_string = harness.cargo(&["check", "--bin", "unknown_from_string"]);
    assert!(
        !from_string.status.success(),
        "a string was put in the catch-all"
    );
    assert!(
        from_string.stderr_text().contains("UnknownValue"),
        "{}",
        from_string.stderr_text()
    );

    let literal = harness.cargo(&["check", "--bin", "struct_literal"]);
    assert!(
        !literal.status.success(),
        "a struct literal of a non-exhaustive type compiled"
    );
    assert!(
        literal.stderr_text().contains("E0639"),
        "{}",
        literal.stderr_text()
    );
}

#[test]
fn fixture_crate_docs_have_no_warnings() {
    let Some(harness) = support::Harness::new("fixture-doc") else {
        return;
    };
    harness.write_crate(&render_fixture());
    harness.finish(&["full"]);
    let doc = harness.cargo_doc_generated(&["--all-features"]);
    assert!(
        doc.status.success(),
        "cargo doc reported warnings:\n{}",
        doc.stderr_text()
    );
}

#[test]
fn two_resources_becoming_one_rust_module_are_an_error() {
    // Valid resource names that still fold into one module: trailing `_` dropped, runs of `_`
    // folded, keywords escaped.
    for (first, second, module) in [
        ("gadget", "gadget_", "gadget"),
        ("a_b", "a__b", "a_b"),
        ("self", "self_", "self_"),
        ("type", "type_", "r#type"),
    ] {
        let mut providers =
            generator::load_specs(&fixture_dir().join("specs")).expect("fixture specs load");
        let service = providers[0]
            .services
            .iter_mut()
            .find(|s| s.name == "identifiers")
            .expect("the identifiers case");
        assert_eq!(service.resources[1].name, "gadgets");
        service.resources[1].name = first.to_owned();
        service.resources[2].name = second.to_owned();
        let err = generator::rust::render_crate(&providers[0])
            .expect_err("two resources of one module rendered")
            .to_string();
        assert!(err.contains("services/identifiers.yaml"), "{err}");
        for name in [first, second] {
            assert!(
                err.contains(&format!("`components.x-stackQL-resources.{name}`")),
                "{err}"
            );
        }
        assert!(
            err.contains(&format!("both become the Rust module `{module}`")),
            "{err}"
        );
    }
}
