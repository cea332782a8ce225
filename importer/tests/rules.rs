//! The conversion rules of cfn-import.md, each proven on small fixture schemas.

use cfn_import::{convert, render, ImportOptions, SourceFile, Warning};
use serde_json::{json, Value};

fn file(name: &str, schema: Value) -> SourceFile {
    SourceFile {
        name: name.to_string(),
        bytes: serde_json::to_vec(&schema).unwrap(),
    }
}

fn perms(handlers: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for h in handlers {
        m.insert(
            (*h).to_string(),
            json!({ "permissions": [format!("svc:{h}")] }),
        );
    }
    Value::Object(m)
}

/// A minimal type with the given handlers.
fn simple(type_name: &str, handlers: &[&str]) -> Value {
    json!({
        "typeName": type_name,
        "description": format!("The {type_name}"),
        "properties": {"Arn": {"type": "string"}, "Name": {"type": "string"}},
        "primaryIdentifier": ["/properties/Arn"],
        "handlers": perms(handlers),
    })
}

fn import(files: Vec<SourceFile>) -> cfn_import::Import {
    convert(&files, &ImportOptions::default()).unwrap()
}

fn service<'a>(import: &'a cfn_import::Import, name: &str) -> &'a cfn_import::Service {
    import
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

fn resource_names(s: &cfn_import::Service) -> Vec<&str> {
    s.resources.keys().map(String::as_str).collect()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn service_is_the_lower_cased_namespace_and_title_keeps_case() {
    let imp = import(vec![
        file(
            "a.json",
            simple(
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                &["create", "read", "list"],
            ),
        ),
        file(
            "b.json",
            simple("AWS::WAFv2::WebACL", &["create", "read", "list"]),
        ),
    ]);
    let names: Vec<&str> = imp.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["elasticloadbalancingv2", "wafv2"]);
    assert_eq!(service(&imp, "wafv2").title, "WAFv2");
    assert_eq!(
        service(&imp, "wafv2").resources["web_acls"]["id"],
        json!("aws.wafv2.web_acls")
    );
    let files = render(&imp);
    let paths: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "provider.yaml",
            "services/elasticloadbalancingv2.yaml",
            "services/wafv2.yaml"
        ]
    );
    assert!(files[2]
        .contents
        .starts_with("openapi: 3.0.0\ninfo:\n  title: WAFv2\n  version: 2.0.0\n"));
}

#[test]
fn provider_yaml_lists_the_services() {
    let imp = import(vec![file(
        "a.json",
        simple("AWS::S3::Bucket", &["create", "read", "list"]),
    )]);
    let provider = &render(&imp)[0];
    assert_eq!(
        provider.contents,
        "id: aws\nname: aws\nversion: v00.00.00000\nproviderServices:\n  s3:\n    id: s3:v00.00.00000\n    name: s3\n    preferred: true\n    service:\n      $ref: aws/v00.00.00000/services/s3.yaml\n    title: s3\n    version: v00.00.00000\n    description: s3\nconfig:\n  auth:\n    type: aws_signing_v4\n    credentialsenvvar: AWS_SECRET_ACCESS_KEY\n    keyIDenvvar: AWS_ACCESS_KEY_ID\n"
    );
}

#[test]
fn handlers_decide_resource_kinds_and_methods() {
    let imp = import(vec![
        file(
            "1.json",
            simple(
                "AWS::X::Crudl",
                &["create", "read", "update", "delete", "list"],
            ),
        ),
        file(
            "2.json",
            simple("AWS::X::Crd", &["create", "read", "delete"]),
        ),
        file("3.json", simple("AWS::X::ReadList", &["read", "list"])),
        file("4.json", simple("AWS::X::ReadOnly", &["read"])),
    ]);
    let s = service(&imp, "x");
    // Types in byte order of their canonical file names (aws-x-crd.json < aws-x-crudl.json).
    assert_eq!(
        resource_names(s),
        [
            "crds",
            "crd",
            "crudls",
            "crudl",
            "read_lists",
            "read_list",
            "read_only"
        ]
    );
    let r = &s.resources;
    assert_eq!(r["crudls"]["x-type"], json!("list"));
    assert_eq!(keys(&r["crudls"]["methods"]), ["create_resource"]);
    assert_eq!(r["crudl"]["x-type"], json!("get"));
    assert_eq!(
        keys(&r["crudl"]["methods"]),
        ["update_resource", "delete_resource"]
    );
    assert_eq!(
        r["crudl"]["sqlVerbs"],
        json!({"update": [{"$ref": "#/components/x-stackQL-resources/crudl/methods/update_resource"}],
               "delete": [{"$ref": "#/components/x-stackQL-resources/crudl/methods/delete_resource"}]})
    );
    // Create but no list: a plural without x-type and without a view.
    assert!(r["crds"].get("x-type").is_none());
    assert!(r["crds"].get("config").is_none());
    assert_eq!(
        keys(&r["crds"]),
        [
            "name",
            "id",
            "x-cfn-schema-name",
            "x-cfn-type-name",
            "x-identifiers",
            "methods",
            "sqlVerbs"
        ]
    );
    assert_eq!(keys(&r["crd"]["methods"]), ["delete_resource"]);
    assert_eq!(r["crd"]["sqlVerbs"]["update"], json!([]));
    // List without create: empty methods, empty insert.
    assert_eq!(r["read_lists"]["methods"], json!({}));
    assert_eq!(r["read_lists"]["sqlVerbs"], json!({"insert": []}));
    assert_eq!(r["read_lists"]["x-type"], json!("list"));
    assert_eq!(r["read_only"]["x-type"], json!("get"));
    assert_eq!(
        keys(&r["crudls"]),
        [
            "name",
            "id",
            "x-cfn-schema-name",
            "x-cfn-type-name",
            "x-identifiers",
            "methods",
            "sqlVerbs",
            "x-type",
            "config"
        ]
    );
    assert_eq!(
        r["crudls"]["methods"]["create_resource"],
        json!({
            "operation": {"$ref": "#/paths/~1?Action=CreateResource&Version=2021-09-30/post"},
            "request": {"mediaType": "application/x-amz-json-1.0", "base": "{\n  \"TypeName\": \"AWS::X::Crudl\"\n}"},
            "response": {"mediaType": "application/json", "openAPIDocKey": "200"}
        })
    );
}

#[test]
fn a_handler_with_empty_permissions_counts_but_one_without_permissions_does_not() {
    let mut t = simple("AWS::X::Thing", &["read"]);
    t["handlers"]["update"] = json!({"permissions": []});
    t["handlers"]["delete"] = json!({"timeoutInMinutes": 5});
    let imp = import(vec![file("t.json", t)]);
    let s = service(&imp, "x");
    assert_eq!(keys(&s.resources["thing"]["methods"]), ["update_resource"]);
    assert_eq!(
        keys(&s.schemas["Thing"]["x-required-permissions"]),
        ["read", "update"]
    );
}

#[test]
fn resource_schema_fields_follow_the_x_key_mapping() {
    let t = json!({
        "typeName": "AWS::QuickSight::RefreshSchedule",
        "description": "A refresh schedule",
        "sourceUrl": "https://example.com",
        "documentationUrl": "https://docs",
        "additionalProperties": false,
        "properties": {
            "Schedule": {"type": "object", "properties": {"ScheduleId": {"type": "string"}}},
            "DataSetId": {"type": "string"},
            "Mixed": {"type": ["object", "string", "array"], "description": "lost"},
            "Weird": {"type": "string", "insertionOrder": false}
        },
        "required": [],
        "replacementStrategy": "delete_then_create",
        "taggable": false,
        "tagging": {"taggable": false},
        "primaryIdentifier": ["/properties/DataSetId", "/properties/Schedule/ScheduleId"],
        "additionalIdentifiers": [["/properties/Weird"]],
        "createOnlyProperties": ["/properties/DataSetId"],
        "readOnlyProperties": ["/properties/Schedule/properties/ScheduleId"],
        "writeOnlyProperties": ["/properties/Mixed"],
        "handlers": {
            "create": {"permissions": ["q:Create"]},
            "read": {"permissions": ["q:Read"]},
            "list": {"permissions": ["q:List"], "handlerSchema": {"properties": {"DataSetId": {"type": "string"}}, "required": ["DataSetId"]}}
        }
    });
    let imp = import(vec![file("t.json", t)]);
    let s = service(&imp, "quicksight");
    let schema = &s.schemas["RefreshSchedule"];
    assert_eq!(
        keys(schema),
        [
            "type",
            "properties",
            "required",
            "additionalProperties",
            "x-stackql-resource-name",
            "description",
            "x-type-name",
            "x-documentation-url",
            "x-stackql-primary-identifier",
            "x-stackql-additional-identifiers",
            "x-create-only-properties",
            "x-write-only-properties",
            "x-read-only-properties",
            "x-required-properties",
            "x-replacement-strategy",
            "x-tagging",
            "x-required-permissions",
            "x-list-required-properties",
        ]
    );
    assert_eq!(schema["x-stackql-resource-name"], json!("refresh_schedule"));
    assert_eq!(
        schema["x-stackql-primary-identifier"],
        json!(["DataSetId", "Schedule/ScheduleId"])
    );
    assert_eq!(
        schema["x-read-only-properties"],
        json!(["Schedule/properties/ScheduleId"])
    );
    assert_eq!(
        schema["x-stackql-additional-identifiers"],
        json!([["Weird"]])
    );
    assert_eq!(schema["required"], json!([]));
    // Kept: the registry meta-schema closes every resource's top level.
    assert_eq!(schema["additionalProperties"], json!(false));
    assert_eq!(schema["properties"]["Mixed"], json!({"type": "string"}));
    assert_eq!(
        schema["properties"]["Weird"],
        json!({"type": "string", "x-insertionOrder": false})
    );
    assert_eq!(schema["x-list-required-properties"], json!(["DataSetId"]));
    assert_eq!(schema["x-tagging"], json!({"taggable": false}));

    // Views: LIST over the identifiers, GET over every property; nested identifiers keep `/`.
    let list = &s.resources["refresh_schedules"]["config"]["views"]["select"];
    assert_eq!(list["predicate"], json!("sqlDialect == \"sqlite3\""));
    assert_eq!(
        list["ddl"],
        json!("SELECT\nregion,\nJSON_EXTRACT(Properties, '$.DataSetId') as data_set_id,\nJSON_EXTRACT(Properties, '$.Schedule.ScheduleId') as schedule__schedule_id\nFROM aws.cloud_control.resources WHERE data__TypeName = 'AWS::QuickSight::RefreshSchedule'\nAND region = 'us-east-1'")
    );
    assert_eq!(
        list["fallback"]["predicate"],
        json!("sqlDialect == \"postgres\"")
    );
    assert_eq!(
        list["fallback"]["ddl"],
        json!("SELECT\nregion,\njson_extract_path_text(Properties, 'DataSetId') as data_set_id,\njson_extract_path_text(Properties, 'Schedule', 'ScheduleId') as schedule__schedule_id\nFROM aws.cloud_control.resources WHERE data__TypeName = 'AWS::QuickSight::RefreshSchedule'\nAND region = 'us-east-1'")
    );
    let get = &s.resources["refresh_schedule"]["config"]["views"]["select"];
    assert_eq!(
        get["ddl"],
        json!("SELECT\nregion,\ndata__Identifier,\nJSON_EXTRACT(Properties, '$.Schedule') as schedule,\nJSON_EXTRACT(Properties, '$.DataSetId') as data_set_id,\nJSON_EXTRACT(Properties, '$.Mixed') as mixed,\nJSON_EXTRACT(Properties, '$.Weird') as weird\nFROM aws.cloud_control.resource WHERE data__TypeName = 'AWS::QuickSight::RefreshSchedule'\nAND data__Identifier = '<DataSetId>|<Schedule/ScheduleId>'\nAND region = 'us-east-1'")
    );
    assert_eq!(
        get["fallback"]["ddl"],
        json!("SELECT\nregion,\ndata__Identifier,\njson_extract_path_text(Properties, 'Schedule') as schedule,\njson_extract_path_text(Properties, 'DataSetId') as data_set_id,\njson_extract_path_text(Properties, 'Mixed') as mixed,\njson_extract_path_text(Properties, 'Weird') as weird\nFROM aws.cloud_control.resource WHERE data__TypeName = 'AWS::QuickSight::RefreshSchedule'\nAND data__Identifier = '<DataSetId>|<Schedule/ScheduleId>'\nAND region = 'us-east-1'")
    );
}

#[test]
fn taggable_is_written_only_when_true_and_list_requirements_only_with_a_list_handler() {
    let mut t = simple("AWS::X::Tagged", &["create", "read"]);
    t["taggable"] = json!(true);
    t["handlers"]["create"]["handlerSchema"] = json!({"required": ["Name"]});
    let imp = import(vec![file("t.json", t)]);
    let schema = &service(&imp, "x").schemas["Tagged"];
    assert_eq!(schema["x-taggable"], json!(true));
    assert!(schema.get("x-list-required-properties").is_none());
}

#[test]
fn reserved_singulars_and_plural_collisions() {
    let imp = import(vec![
        file(
            "a.json",
            simple("AWS::Kinesis::Stream", &["create", "read", "list"]),
        ),
        file(
            "b.json",
            simple(
                "AWS::WorkSpacesWeb::BrowserSettings",
                &["create", "read", "update", "delete", "list"],
            ),
        ),
    ]);
    let kinesis = service(&imp, "kinesis");
    assert_eq!(resource_names(kinesis), ["streams", "kinesis_stream"]);
    assert_eq!(
        kinesis.schemas["Stream"]["x-stackql-resource-name"],
        json!("stream")
    );
    let web = service(&imp, "workspacesweb");
    // StackQL's converter kept only `browser_settings`; we keep the collection too.
    assert_eq!(
        resource_names(web),
        ["browser_settings_list", "browser_settings"]
    );
    assert_eq!(
        web.resources["browser_settings_list"]["x-type"],
        json!("list")
    );
    assert_eq!(
        web.resources["browser_settings_list"]["sqlVerbs"]["insert"][0]["$ref"],
        json!("#/components/x-stackQL-resources/browser_settings_list/methods/create_resource")
    );
}

#[test]
fn definitions_never_replace_resource_schemas_and_refs_stay_with_their_type() {
    // ECS in 2024: ClusterCapacityProviderAssociations defines `Cluster` and `CapacityProvider`,
    // which replaced the resource schemas of those types.
    let assoc = json!({
        "typeName": "AWS::ECS::ClusterCapacityProviderAssociations",
        "definitions": {
            "Cluster": {"type": "string", "description": "cluster name"},
            "Tag": {"type": "object", "properties": {"Key": {"type": "string"}}}
        },
        "properties": {"Cluster": {"$ref": "#/definitions/Cluster"}, "Tags": {"items": {"$ref": "#/definitions/Tag"}}},
        "primaryIdentifier": ["/properties/Cluster"],
        "handlers": perms(&["create", "read", "list"]),
    });
    let cluster = json!({
        "typeName": "AWS::ECS::Cluster",
        "definitions": {
            "Tag": {"type": "object", "properties": {"Key": {"type": "string"}}},
            "Setting": {"type": "object", "properties": {"Tags": {"$ref": "#/definitions/Tag"}}}
        },
        "properties": {"ClusterName": {"type": "string"}, "Tags": {"items": {"$ref": "#/definitions/Tag"}},
            "Setting": {"$ref": "#/definitions/Setting"}},
        "primaryIdentifier": ["/properties/ClusterName"],
        "handlers": perms(&["create", "read", "list"]),
    });
    let service_type = json!({
        "typeName": "AWS::ECS::Service",
        "definitions": {
            "Tag": {"type": "object", "properties": {"Key": {"type": "string"}, "Value": {"type": "string"}}},
            "Setting": {"type": "object", "properties": {"Tags": {"$ref": "#/definitions/Tag"}}}
        },
        "properties": {"Tags": {"items": {"$ref": "#/definitions/Tag"}}, "Setting": {"$ref": "#/definitions/Setting"}},
        "primaryIdentifier": ["/properties/Tags"],
        "handlers": perms(&["create", "read", "list"]),
    });
    // Input order does not matter: types are ordered by their canonical file names.
    let imp = import(vec![
        file("z.json", service_type),
        file("y.json", cluster),
        file("x.json", assoc),
    ]);
    let ecs = service(&imp, "ecs");
    let schema_names: Vec<&str> = ecs.schemas.keys().map(String::as_str).collect();
    assert_eq!(
        schema_names,
        [
            "Tag",
            "Setting",
            "Cluster",
            "ClusterCapacityProviderAssociationsCluster",
            "ClusterCapacityProviderAssociations",
            "ServiceTag",
            "ServiceSetting",
            "Service"
        ]
    );
    // Every type kept its resource schema and resources.
    assert_eq!(
        ecs.schemas["Cluster"]["x-type-name"],
        json!("AWS::ECS::Cluster")
    );
    assert_eq!(ecs.types.len(), 3);
    assert_eq!(ecs.resources.len(), 6);
    let assoc = &ecs.schemas["ClusterCapacityProviderAssociations"];
    assert_eq!(
        assoc["properties"]["Cluster"]["$ref"],
        json!("#/components/schemas/ClusterCapacityProviderAssociationsCluster")
    );
    // An identical Tag is shared; a different one is qualified, and so is a definition whose
    // references would resolve differently (Service's Setting refers to Service's Tag).
    assert_eq!(
        assoc["properties"]["Tags"]["items"]["$ref"],
        json!("#/components/schemas/Tag")
    );
    assert_eq!(
        ecs.schemas["Cluster"]["properties"]["Tags"]["items"]["$ref"],
        json!("#/components/schemas/Tag")
    );
    assert_eq!(
        ecs.schemas["Setting"]["properties"]["Tags"]["$ref"],
        json!("#/components/schemas/Tag")
    );
    let svc = &ecs.schemas["Service"];
    assert_eq!(
        svc["properties"]["Tags"]["items"]["$ref"],
        json!("#/components/schemas/ServiceTag")
    );
    assert_eq!(
        svc["properties"]["Setting"]["$ref"],
        json!("#/components/schemas/ServiceSetting")
    );
    assert_eq!(
        ecs.schemas["ServiceSetting"]["properties"]["Tags"]["$ref"],
        json!("#/components/schemas/ServiceTag")
    );
}

#[test]
fn keyword_prefixing_applies_to_definitions_and_property_schemas() {
    let t = json!({
        "typeName": "AWS::X::Thing",
        "definitions": {"Def": {"type": "object", "$comment": "c", "properties": {"A": {"type": "string", "relationshipRef": {"typeName": "AWS::X::Other"}}},
            "oneOf": [{"required": ["A"], "title": "kept"}]}},
        "properties": {"Arn": {"type": "string", "examples": ["x"]}, "Def": {"$ref": "#/definitions/Def"}},
        "primaryIdentifier": ["/properties/Arn"],
        "handlers": perms(&["read"]),
    });
    let imp = import(vec![file("t.json", t)]);
    let s = service(&imp, "x");
    assert_eq!(
        s.schemas["Def"],
        json!({"type": "object", "x-$comment": "c", "properties": {"A": {"type": "string", "x-relationshipRef": {"typeName": "AWS::X::Other"}}},
            "oneOf": [{"required": ["A"], "title": "kept"}]})
    );
    assert_eq!(
        s.schemas["Thing"]["properties"]["Arn"],
        json!({"type": "string", "x-examples": ["x"]})
    );
    assert_eq!(
        s.schemas["Thing"]["properties"]["Def"],
        json!({"$ref": "#/components/schemas/Def"})
    );
}

#[test]
fn ec2_self_referencing_definition_is_patched() {
    let t = json!({
        "typeName": "AWS::EC2::VerifiedAccessTrustProvider",
        "definitions": {"SseSpecification": {"$ref": "#/definitions/SseSpecification", "description": "The configuration options for customer provided KMS encryption."}},
        "properties": {"Id": {"type": "string"}, "SseSpecification": {"$ref": "#/definitions/SseSpecification"}},
        "primaryIdentifier": ["/properties/Id"],
        "handlers": perms(&["read"]),
    });
    let other = json!({
        "typeName": "AWS::EC2::Loop",
        "definitions": {"Loop": {"$ref": "#/definitions/Loop"}},
        "properties": {"Id": {"type": "string"}},
        "primaryIdentifier": ["/properties/Id"],
        "handlers": perms(&["read"]),
    });
    let imp = import(vec![file("t.json", t), file("o.json", other)]);
    let sse = &service(&imp, "ec2").schemas["SseSpecification"];
    assert_eq!(
        keys(sse),
        ["description", "type", "properties", "additionalProperties"]
    );
    assert_eq!(
        keys(&sse["properties"]),
        ["KmsKeyArn", "CustomerManagedKeyEnabled"]
    );
    assert_eq!(
        imp.warnings,
        [Warning::SelfReferencingDefinition {
            type_name: "AWS::EC2::Loop".into(),
            definition: "Loop".into()
        }]
    );
}

#[test]
fn selection_and_unconvertible_types_warn_without_aborting_the_service() {
    let files = vec![
        file(
            "a.json",
            simple("AWS::IoTEvents::Input", &["create", "read", "list"]),
        ),
        file(
            "b.json",
            json!({"typeName": "AWS::IoTEvents::AlarmModel", "properties": {}}),
        ),
        file(
            "c.json",
            json!({"typeName": "AWS::IoTEvents::Odd", "handlers": {"read": {}}, "primaryIdentifier": ["/properties/A"]}),
        ),
        file(
            "d.json",
            json!({"typeName": "AWS::IoTEvents::NoId", "handlers": perms(&["read"])}),
        ),
        file("e.json", simple("Alexa::ASK::Skill", &["create", "read"])),
        file("f.json", simple("AWS::Empty::Gone", &[])),
    ];
    // Default: every AWS type with handlers.
    let imp = convert(&files, &ImportOptions::default()).unwrap();
    let names: Vec<&str> = imp.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["iotevents"]);
    assert_eq!(service(&imp, "iotevents").types, ["AWS::IoTEvents::Input"]);
    assert_eq!(imp.warnings.len(), 2, "{:#?}", imp.warnings);
    // Warnings come in type-name order.
    assert!(
        matches!(&imp.warnings[0], Warning::NoPrimaryIdentifier { type_name, .. } if type_name == "AWS::IoTEvents::NoId")
    );
    assert!(
        matches!(&imp.warnings[1], Warning::NoUsableHandlers { type_name, .. } if type_name == "AWS::IoTEvents::Odd")
    );

    // Allowlist: only the listed types; missing, non-AWS and handler-less ones are named.
    let allow = ImportOptions::with_allowlist(
        [
            "AWS::IoTEvents::AlarmModel",
            "AWS::IoTEvents::Input",
            "AWS::Nope::Missing",
            "Alexa::ASK::Skill",
        ]
        .map(String::from),
    );
    let imp = convert(&files, &allow).unwrap();
    assert_eq!(service(&imp, "iotevents").types, ["AWS::IoTEvents::Input"]);
    let text: Vec<String> = imp.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "AWS::Nope::Missing: allowlisted but not in the input; skipped",
            "Alexa::ASK::Skill: not an AWS:: type; skipped",
            "AWS::IoTEvents::AlarmModel (b.json): no handlers; skipped",
        ]
    );
}

#[test]
fn allowlist_file_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("allow.txt");
    std::fs::write(
        &path,
        "# comment\nAWS::S3::Bucket\n\n  AWS::Logs::LogGroup  # trailing\nAWS::S3::Bucket\n",
    )
    .unwrap();
    let list = cfn_import::read_allowlist(&path).unwrap();
    assert_eq!(
        list.into_iter().collect::<Vec<_>>(),
        ["AWS::Logs::LogGroup", "AWS::S3::Bucket"]
    );
    std::fs::write(&path, "AWS::S3::Bucket\nnot a type\n").unwrap();
    let err = cfn_import::read_allowlist(&path).unwrap_err().to_string();
    assert!(
        err.ends_with(
            "allow.txt:2: expected a type name such as AWS::S3::Bucket, found `not a type`"
        ),
        "{err}"
    );
}

#[test]
fn output_is_deterministic_and_independent_of_input_order() {
    let mk = || {
        vec![
            file("1.json", simple("AWS::B::One", &["create", "read", "list"])),
            file(
                "2.json",
                simple(
                    "AWS::A::Two",
                    &["create", "read", "update", "delete", "list"],
                ),
            ),
            file("3.json", simple("AWS::A::Three", &["read", "list"])),
        ]
    };
    let first = render(&import(mk()));
    let mut reversed = mk();
    reversed.reverse();
    for _ in 0..5 {
        assert_eq!(render(&import(reversed.clone())), first);
    }
    let a = &first[1];
    assert_eq!(a.path, std::path::Path::new("services/a.yaml"));
    let three = a.contents.find("\n    Three:\n").unwrap();
    let two = a.contents.find("\n    Two:\n").unwrap();
    assert!(three < two, "types are ordered by canonical file name");
}

#[test]
fn duplicate_type_names_are_an_error() {
    let err = convert(
        &[
            file("a.json", simple("AWS::A::B", &["read"])),
            file("b.json", simple("AWS::A::B", &["read"])),
        ],
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "type AWS::A::B is declared by both a.json and b.json"
    );
}

#[test]
fn malformed_schema_fails_naming_file_and_path_and_leaves_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("a.json"),
        serde_json::to_vec(&simple("AWS::A::Good", &["read"])).unwrap(),
    )
    .unwrap();
    std::fs::write(
        input.join("b.json"),
        br#"{"typeName": "AWS::A::Bad", "properties": {"X": {"type": "string",}}}"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("aws/services")).unwrap();
    std::fs::write(out.join("aws/provider.yaml"), "old").unwrap();

    let err = cfn_import::import(&input, &ImportOptions::default(), &out)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("b.json: invalid JSON at path `properties.X"),
        "{err}"
    );
    assert!(err.contains("line 1 column 67"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("aws/provider.yaml")).unwrap(),
        "old"
    );
    let entries: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["aws"]);

    // A good import replaces the directory wholesale and leaves no staging directories.
    std::fs::remove_file(input.join("b.json")).unwrap();
    cfn_import::import(&input, &ImportOptions::default(), &out).unwrap();
    let provider = std::fs::read_to_string(out.join("aws/provider.yaml")).unwrap();
    assert!(provider.starts_with("id: aws\n"));
    assert!(out.join("aws/services/a.yaml").exists());
    let entries: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["aws"]);
}

#[test]
fn reads_cloudformation_zip_and_cfn_lint_wheels() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let schema = |t: &str| serde_json::to_vec(&simple(t, &["create", "read", "list"])).unwrap();
    let opts = zip::write::SimpleFileOptions::default();

    // AWS's CloudformationSchema.zip: aws-*.json at the root.
    let aws_zip = dir.path().join("CloudformationSchema.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&aws_zip).unwrap());
    for t in ["AWS::S3::Bucket", "AWS::SQS::Queue"] {
        w.start_file(
            format!("{}.json", t.to_lowercase().replace("::", "-")),
            opts,
        )
        .unwrap();
        w.write_all(&schema(t)).unwrap();
    }
    w.finish().unwrap();
    let files = cfn_import::read_source(&aws_zip).unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[0]
        .name
        .ends_with("CloudformationSchema.zip!aws-s3-bucket.json"));

    // cfn-lint wheel: us-east-1 map → resources/<hash>.json; other regions' types are ignored.
    let wheel = dir.path().join("cfn_lint-1.0.0-py3-none-any.whl");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&wheel).unwrap());
    w.start_file("cfnlint/data/schemas/providers/us-east-1.json", opts)
        .unwrap();
    w.write_all(br#"{"AWS::S3::Bucket": "aaaa", "AWS::SQS::Queue": "bbbb"}"#)
        .unwrap();
    w.start_file("cfnlint/data/schemas/providers/eu-west-1.json", opts)
        .unwrap();
    w.write_all(br#"{"AWS::S3::Bucket": "aaaa", "AWS::Other::Thing": "cccc"}"#)
        .unwrap();
    for (hash, t) in [
        ("aaaa", "AWS::S3::Bucket"),
        ("bbbb", "AWS::SQS::Queue"),
        ("cccc", "AWS::Other::Thing"),
    ] {
        w.start_file(format!("cfnlint/data/schemas/resources/{hash}.json"), opts)
            .unwrap();
        w.write_all(&schema(t)).unwrap();
    }
    w.start_file("cfnlint/rules/x.py", opts).unwrap();
    w.finish().unwrap();
    let files = cfn_import::read_source(&wheel).unwrap();
    let imp = convert(&files, &ImportOptions::default()).unwrap();
    let names: Vec<&str> = imp.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["s3", "sqs"]);

    // Another region, or every schema in the wheel.
    let eu = cfn_import::read_source_for(&wheel, &"eu-west-1".parse().unwrap()).unwrap();
    assert_eq!(eu.len(), 2);
    let all = cfn_import::read_source_for(&wheel, &cfn_import::WheelRegion::All).unwrap();
    assert_eq!(all.len(), 3);
    let err = cfn_import::read_source_for(&wheel, &"mars-1".parse().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("this cfn-lint wheel has no schemas for region mars-1"),
        "{err}"
    );

    // Same output whichever container the schemas come in.
    let from_zip = render(
        &convert(
            &cfn_import::read_source(&aws_zip).unwrap(),
            &ImportOptions::default(),
        )
        .unwrap(),
    );
    assert_eq!(render(&imp), from_zip);

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = cfn_import::read_source(&empty).unwrap_err().to_string();
    assert!(
        err.contains("no CloudFormation schema files found"),
        "{err}"
    );
}

#[test]
fn rendered_yaml_reads_back_as_the_converted_values() {
    let imp = import(vec![
        file(
            "a.json",
            simple(
                "AWS::CodeConnections::Connection",
                &["create", "read", "update", "delete", "list"],
            ),
        ),
        file(
            "b.json",
            json!({
                "typeName": "AWS::CodeConnections::Odd",
                "description": "Quotes ' and \" and: colons # hashes\nand lines",
                "properties": {"Id": {"type": "string", "pattern": "^[0-9]{12}$", "default": "true", "enum": ["1", "yes", ""]}},
                "primaryIdentifier": ["/properties/Id"],
                "handlers": perms(&["read"]),
            }),
        ),
    ]);
    let files = render(&imp);
    let s = service(&imp, "codeconnections");
    let back: Value = serde_yaml::from_str(&files[1].contents).unwrap();
    assert_eq!(
        back["components"]["schemas"],
        Value::Object(s.schemas.clone())
    );
    assert_eq!(
        back["components"]["x-stackQL-resources"],
        Value::Object(s.resources.clone())
    );
    assert_eq!(
        keys(&back),
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
        keys(&back["components"]),
        [
            "parameters",
            "x-cloud-control-schemas",
            "schemas",
            "securitySchemes",
            "x-stackQL-resources"
        ]
    );
    assert_eq!(
        back["info"],
        json!({"title": "CodeConnections", "version": "2.0.0", "x-serviceName": "cloudcontrolapi"})
    );
    assert!(files[1]
        .contents
        .contains("            ddl: |-\n              SELECT\n              region,\n"));
}

#[test]
fn rendered_services_index_every_type_with_its_primary_identifier_through_provider_spec() {
    let mut nested = simple("AWS::Widgets::Gadget", &["create", "read", "list"]);
    nested["properties"]["Config"] =
        json!({"type": "object", "properties": {"Id": {"type": "string"}}});
    nested["primaryIdentifier"] = json!(["/properties/Config/properties/Id", "/properties/Arn"]);
    let imp = import(vec![
        file(
            "a.json",
            simple(
                "AWS::Widgets::Widget",
                &["create", "read", "update", "list"],
            ),
        ),
        file("b.json", nested),
    ]);
    let files = render(&imp);
    let service = files
        .iter()
        .find(|f| f.path.ends_with("widgets.yaml"))
        .expect("widgets.yaml rendered");
    // The generator's and the emulator's reader: the full document, then the type index.
    let doc: provider_spec::document::RawService =
        provider_spec::parse_yaml(&service.path, &service.contents).expect("reads back");
    let index = provider_spec::index::service_types(&doc.components);
    let got: Vec<(&str, Vec<String>)> = index
        .values()
        .map(|t| (t.type_name.as_str(), t.primary_identifier.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "AWS::Widgets::Gadget",
                vec!["Config/Id".to_owned(), "Arn".to_owned()]
            ),
            ("AWS::Widgets::Widget", vec!["Arn".to_owned()]),
        ]
    );
    for t in index.values() {
        assert!(t.resources.len() >= 2, "{t:?}: a list and a get resource");
    }
}

#[test]
fn a_qualified_definition_name_that_is_taken_gets_the_first_free_number() {
    let first = json!({
        "typeName": "AWS::X::First",
        "definitions": {"Tag": {"type": "object", "properties": {"K": {"type": "string"}}}},
        "properties": {
            "Arn": {"type": "string"},
            "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}}
        },
        "primaryIdentifier": ["/properties/Arn"],
        "handlers": perms(&["read"]),
    });
    // A different `Tag`, qualified as `ThingTag`: that is the name of another definition of the
    // same type, so it becomes `ThingTag2`, and `ThingTag` keeps its own name.
    let thing = json!({
        "typeName": "AWS::X::Thing",
        "definitions": {
            "Tag": {"type": "object", "properties": {"V": {"type": "string"}}},
            "ThingTag": {"type": "object", "properties": {"W": {"type": "string"}}}
        },
        "properties": {
            "Arn": {"type": "string"},
            "Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
            "Other": {"$ref": "#/definitions/ThingTag"}
        },
        "primaryIdentifier": ["/properties/Arn"],
        "handlers": perms(&["read"]),
    });
    let imp = import(vec![file("a.json", first), file("b.json", thing)]);
    let x = service(&imp, "x");
    let thing = &x.schemas["Thing"];
    assert_eq!(
        thing["properties"]["Tags"]["items"]["$ref"],
        json!("#/components/schemas/ThingTag2")
    );
    assert_eq!(
        thing["properties"]["Other"]["$ref"],
        json!("#/components/schemas/ThingTag")
    );
    assert_eq!(x.schemas["ThingTag2"]["properties"]["V"]["type"], "string");
    assert_eq!(x.schemas["ThingTag"]["properties"]["W"]["type"], "string");
    assert_eq!(x.schemas["Tag"]["properties"]["K"]["type"], "string");
}
