//! Conversion of one service's types into `components.schemas` (cfn-import.md §3), with our
//! per-type definition namespaces instead of StackQL's shared last-writer-wins map.

use crate::naming;
use crate::resources;
use crate::schema::CfnType;
use crate::Warning;
use indexmap::{IndexMap, IndexSet};
use provider_spec::unique::UniqueNames;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Keys left alone by keyword prefixing (cfn-import.md §3.4, condition 1).
const OPENAPI_KEYWORDS: [&str; 28] = [
    "type",
    "format",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "default",
    "required",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
    "example",
];

const DEFINITIONS_PREFIX: &str = "#/definitions/";
const SCHEMAS_PREFIX: &str = "#/components/schemas/";

/// One converted service.
#[derive(Debug, Clone)]
pub struct Service {
    /// The service name (`codeconnections`).
    pub name: String,
    /// `info.title`: the namespace with its original casing (`CodeConnections`).
    pub title: String,
    /// `components.schemas`: definitions and resource schemas.
    pub schemas: Map<String, Value>,
    /// `components.x-stackQL-resources`.
    pub resources: Map<String, Value>,
    /// The type names converted into this service, in output order.
    pub types: Vec<String>,
}

/// A hand-made fix for a definition that is unusable as published (cfn-import.md §3.3, "EC2
/// patch"): applied only while the definition still is a bare reference to itself.
struct DefinitionPatch {
    type_name: &'static str,
    definition: &'static str,
    /// Keys added after the `$ref` is removed, in order.
    add: fn() -> Value,
}

const DEFINITION_PATCHES: [DefinitionPatch; 1] = [DefinitionPatch {
    type_name: "AWS::EC2::VerifiedAccessTrustProvider",
    definition: "SseSpecification",
    add: || {
        json!({
            "type": "object",
            "properties": {
                "KmsKeyArn": {
                    "description": "KMS Key Arn used to encrypt the group policy",
                    "type": "string"
                },
                "CustomerManagedKeyEnabled": {
                    "description": "Whether to encrypt the policy with the provided key or disable encryption",
                    "type": "boolean"
                }
            },
            "additionalProperties": false
        })
    },
}];

/// Who first wrote a definition under a final name, so that a later type may share it only if
/// it is the same schema referring to the same things.
struct DefOwner {
    raw: Value,
    mapping: Arc<HashMap<String, String>>,
}

/// Converts the types of one service (already in processing order: ascending canonical file
/// name) into its schemas and resources.
pub fn convert_service(name: &str, types: &[&CfnType], warnings: &mut Vec<Warning>) -> Service {
    let title = types
        .first()
        .map(|t| t.namespace.clone())
        .unwrap_or_default();
    // Resource schema keys are reserved up front: a definition never takes a type's key, which
    // is how StackQL's converter lost 12 types.
    let resource_keys: IndexSet<&str> = types.iter().map(|t| t.key.as_str()).collect();
    let mut schemas = Map::new();
    let mut owners: HashMap<String, DefOwner> = HashMap::new();
    let mut resources = Map::new();
    let mut converted = Vec::with_capacity(types.len());

    for t in types {
        let mut definitions = t
            .doc
            .get("definitions")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        apply_patches(t, &mut definitions, warnings);
        let mapping = Arc::new(assign_definition_names(
            t,
            &definitions,
            &resource_keys,
            &schemas,
            &owners,
        ));
        for (def_name, raw) in definitions {
            let Some(final_name) = mapping.get(&def_name) else {
                continue;
            };
            if schemas.contains_key(final_name) {
                continue; // shared with an identical earlier definition
            }
            let mut value = raw.clone();
            rewrite_refs(&mut value, &mapping);
            let value = prefix_keywords(value, final_name, "schemas");
            schemas.insert(final_name.clone(), value);
            owners.insert(
                final_name.clone(),
                DefOwner {
                    raw,
                    mapping: Arc::clone(&mapping),
                },
            );
        }
        let names = naming::resource_names(name, &t.key);
        let mut schema = Value::Object(resource_schema(t, &names.short));
        rewrite_refs(&mut schema, &mapping);
        let schema = prefix_keywords(schema, &t.key, "schemas");
        if let Value::Object(schema) = &schema {
            resources::add_resources(name, t, &names, schema, &mut resources, warnings);
        }
        schemas.insert(t.key.clone(), schema);
        converted.push(t.type_name.clone());
    }
    Service {
        name: name.to_string(),
        title,
        schemas,
        resources,
        types: converted,
    }
}

fn apply_patches(t: &CfnType, definitions: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    for (def_name, def) in definitions.iter_mut() {
        let self_ref = format!("{DEFINITIONS_PREFIX}{def_name}");
        let Some(obj) = def.as_object_mut() else {
            continue;
        };
        if obj.get("$ref").and_then(Value::as_str) != Some(self_ref.as_str()) {
            continue;
        }
        let patch = DEFINITION_PATCHES
            .iter()
            .find(|p| p.type_name == t.type_name && p.definition == def_name);
        match patch {
            Some(patch) => {
                obj.shift_remove("$ref");
                if let Value::Object(add) = (patch.add)() {
                    obj.extend(add);
                }
            }
            None => warnings.push(Warning::SelfReferencingDefinition {
                type_name: t.type_name.clone(),
                definition: def_name.clone(),
            }),
        }
    }
}

/// Chooses the final `components.schemas` name of each of a type's definitions.
///
/// A definition keeps its own name when that name is free, or when an earlier type already
/// wrote an identical definition under it whose references resolve to the same schemas. Any
/// other collision — with a resource schema key or a different definition — is resolved by
/// qualifying the name with the type's key (`Pipeline` + `Channel` → `PipelineChannel`, then
/// `PipelineChannel2`, ... if that is taken too).
fn assign_definition_names(
    t: &CfnType,
    definitions: &Map<String, Value>,
    resource_keys: &IndexSet<&str>,
    schemas: &Map<String, Value>,
    owners: &HashMap<String, DefOwner>,
) -> HashMap<String, String> {
    let mut keep: Vec<bool> = definitions
        .iter()
        .map(|(n, raw)| {
            !resource_keys.contains(n.as_str())
                && match owners.get(n) {
                    Some(owner) => owner.raw == *raw,
                    None => !schemas.contains_key(n),
                }
        })
        .collect();
    loop {
        let mapping = build_mapping(t, definitions, &keep, resource_keys, schemas);
        // Sharing is only valid if the shared definition's references point where ours would.
        let mut changed = false;
        for (i, (n, raw)) in definitions.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            let Some(owner) = owners.get(n) else { continue };
            let consistent = definition_refs(raw).iter().all(|target| {
                let ours = mapping.get(target).unwrap_or(target);
                let theirs = owner.mapping.get(target).unwrap_or(target);
                ours == theirs
            });
            if !consistent {
                keep[i] = false;
                changed = true;
            }
        }
        if !changed {
            return mapping;
        }
    }
}

fn build_mapping(
    t: &CfnType,
    definitions: &Map<String, Value>,
    keep: &[bool],
    resource_keys: &IndexSet<&str>,
    schemas: &Map<String, Value>,
) -> HashMap<String, String> {
    let mut mapping = HashMap::with_capacity(definitions.len());
    for ((n, _), keep) in definitions.iter().zip(keep) {
        if *keep {
            mapping.insert(n.clone(), n.clone());
        }
    }
    // Every resource schema key, schema and definition name of the type is taken (kept names
    // are definition names), so a renamed definition is `<key><name>`, then `<key><name>2`, ...
    // Built only when a definition is renamed: most types keep every name.
    let mut names: Option<UniqueNames> = None;
    for ((n, _), keep) in definitions.iter().zip(keep) {
        if *keep {
            continue;
        }
        let names = names.get_or_insert_with(|| {
            UniqueNames::with_taken(
                resource_keys
                    .iter()
                    .copied()
                    .chain(schemas.keys().map(String::as_str))
                    .chain(definitions.keys().map(String::as_str)),
            )
        });
        mapping.insert(n.clone(), names.claim(&format!("{}{}", t.key, n), ""));
    }
    mapping
}

/// The definition names a schema refers to through `#/definitions/<name>...`.
fn definition_refs(value: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "$ref" {
                        if let Some(name) =
                            v.as_str().and_then(|s| s.strip_prefix(DEFINITIONS_PREFIX))
                        {
                            out.push(name.split('/').next().unwrap_or(name).to_string());
                            continue;
                        }
                    }
                    walk(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// Rewrites `#/definitions/<name>` to `#/components/schemas/<final name>` (cfn-import.md §3.4),
/// through the type's own definition names.
fn rewrite_refs(value: &mut Value, mapping: &HashMap<String, String>) {
    match value {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "$ref" {
                    if let Value::String(s) = v {
                        if let Some(rest) = s.strip_prefix(DEFINITIONS_PREFIX) {
                            let (name, tail) =
                                rest.split_once('/').map_or((rest, ""), |(n, t)| (n, t));
                            let final_name = mapping.get(name).map_or(name, String::as_str);
                            let sep = if tail.is_empty() { "" } else { "/" };
                            *s = format!("{SCHEMAS_PREFIX}{final_name}{sep}{tail}");
                        }
                        continue;
                    }
                }
                rewrite_refs(v, mapping);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, mapping)),
        _ => {}
    }
}

/// Renames non-OpenAPI keywords to `x-<key>` where StackQL's converter does (cfn-import.md
/// §3.4): `parent`/`grandparent` are the keys above the keys of `value` (array elements inherit
/// those of their array; a renamed key's contents see its original name).
pub(crate) fn prefix_keywords(value: Value, parent: &str, grandparent: &str) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let v = prefix_keywords(v, &k, parent);
                let rename = !OPENAPI_KEYWORDS.contains(&k.as_str())
                    && !k.starts_with("x-")
                    && (grandparent == "properties" || grandparent == "schemas")
                    && parent != "properties";
                if rename {
                    out.insert(format!("x-{k}"), v);
                } else {
                    out.insert(k, v);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| prefix_keywords(i, parent, grandparent))
                .collect(),
        ),
        other => other,
    }
}

/// JavaScript truthiness, which decides whether a field is written (`[]`/`{}` count).
fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::Array(_) | Value::Object(_) => true,
    })
}

/// Removes the first `/properties/` of a property pointer; nested pointers keep their `/`
/// ([`provider_spec::paths::stackql_form`], which the readers of the spec read back).
pub(crate) fn strip_pointer(p: &str) -> String {
    provider_spec::paths::stackql_form(p)
}

fn strip_list(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Value::String(strip_pointer(s)),
                    Value::Array(_) => strip_list(i),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The resource schema of a type (cfn-import.md §3.1), before `$ref` rewriting and prefixing.
fn resource_schema(t: &CfnType, resource_name: &str) -> Map<String, Value> {
    let doc = &t.doc;
    let mut s = Map::new();
    s.insert("type".into(), Value::String("object".into()));
    if let Some(Value::Object(props)) = present(doc.get("properties")) {
        let props = props
            .iter()
            .map(|(k, v)| (k.clone(), collapse_object_union(v)))
            .collect();
        s.insert("properties".into(), Value::Object(props));
    }
    if let Some(r) = present(doc.get("required")) {
        s.insert("required".into(), r.clone());
    }
    // The registry meta-schema requires `additionalProperties: false` on every resource: an
    // unknown top-level property is rejected by CloudFormation, so the keyword is kept.
    if let Some(a) = doc.get("additionalProperties").filter(|a| !a.is_null()) {
        s.insert("additionalProperties".into(), a.clone());
    }
    s.insert(
        "x-stackql-resource-name".into(),
        Value::String(resource_name.to_string()),
    );
    let copy = |s: &mut Map<String, Value>, from: &str, to: &str| {
        if let Some(v) = present(doc.get(from)) {
            s.insert(to.into(), v.clone());
        }
    };
    let copy_stripped = |s: &mut Map<String, Value>, from: &str, to: &str| {
        if let Some(v) = present(doc.get(from)) {
            s.insert(to.into(), strip_list(v));
        }
    };
    copy(&mut s, "description", "description");
    copy(&mut s, "typeName", "x-type-name");
    copy(&mut s, "documentationUrl", "x-documentation-url");
    copy_stripped(&mut s, "primaryIdentifier", "x-stackql-primary-identifier");
    copy_stripped(
        &mut s,
        "additionalIdentifiers",
        "x-stackql-additional-identifiers",
    );
    copy_stripped(&mut s, "createOnlyProperties", "x-create-only-properties");
    copy_stripped(
        &mut s,
        "conditionalCreateOnlyProperties",
        "x-conditional-create-only-properties",
    );
    copy_stripped(&mut s, "writeOnlyProperties", "x-write-only-properties");
    copy_stripped(&mut s, "readOnlyProperties", "x-read-only-properties");
    copy(&mut s, "required", "x-required-properties");
    copy(&mut s, "replacementStrategy", "x-replacement-strategy");
    copy(&mut s, "taggable", "x-taggable");
    copy(&mut s, "tagging", "x-tagging");
    let handlers = doc.get("handlers").and_then(Value::as_object);
    if let Some(handlers) = handlers {
        let perms: Map<String, Value> = handlers
            .iter()
            .filter_map(|(name, h)| h.get("permissions").map(|p| (name.clone(), p.clone())))
            .collect();
        s.insert("x-required-permissions".into(), Value::Object(perms));
    }
    // Ours: the properties a list call needs (e.g. EKS Nodegroup's ClusterName).
    let list_present = s
        .get("x-required-permissions")
        .and_then(|p| p.get("list"))
        .is_some();
    let list_required = handlers
        .and_then(|h| h.get("list"))
        .and_then(|l| l.get("handlerSchema"))
        .and_then(|hs| hs.get("required"))
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty());
    if let (true, Some(required)) = (list_present, list_required) {
        s.insert(
            "x-list-required-properties".into(),
            Value::Array(required.clone()),
        );
    }
    s
}

/// A top-level property whose `type` is still a union containing `object` becomes the first
/// other member, or `{}` (cfn-import.md §3.2).
fn collapse_object_union(prop: &Value) -> Value {
    if let Some(Value::Array(types)) = prop.get("type") {
        if types.iter().any(|t| t == "object") {
            return match types.iter().find(|t| *t != "object") {
                Some(first) => json!({ "type": first }),
                None => json!({}),
            };
        }
    }
    prop.clone()
}

/// Sorts a service's types into processing order: ascending canonical file name, which decides
/// definition sharing, schema order and resource order.
fn order_types(types: &mut [&CfnType]) {
    types.sort_by_cached_key(|t| t.canonical_file_name());
}

/// Groups types into services by lower-cased namespace, services in name order.
pub(crate) fn group_by_service<'a>(types: &[&'a CfnType]) -> IndexMap<String, Vec<&'a CfnType>> {
    let mut services: IndexMap<String, Vec<&CfnType>> = IndexMap::new();
    for t in types {
        services
            .entry(naming::service_name(&t.namespace))
            .or_default()
            .push(t);
    }
    services.sort_keys();
    for list in services.values_mut() {
        order_types(list);
    }
    services
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixing_positions() {
        let entry = json!({
            "title": "T",
            "insertionOrder": true,
            "x-keep": 1,
            "properties": {
                "insertionOrder": {"type": "string", "insertionOrder": false, "$comment": "c",
                    "items": {"insertionOrder": true, "properties": {"P": {"relationshipRef": {"a": 1}}}},
                    "oneOf": [{"insertionOrder": true}],
                    "additionalProperties": {"insertionOrder": true},
                    "properties": {"Deep": {"examples": [{"title": 1}], "const": 3}}
                }
            },
            "patternProperties": {"^x$": {"type": "string"}}
        });
        let out = prefix_keywords(entry, "Entry", "schemas");
        assert_eq!(
            out,
            json!({
                "x-title": "T",
                "x-insertionOrder": true,
                "x-keep": 1,
                "properties": {
                    "insertionOrder": {"type": "string", "x-insertionOrder": false, "x-$comment": "c",
                        "items": {"insertionOrder": true, "properties": {"P": {"x-relationshipRef": {"a": 1}}}},
                        "oneOf": [{"insertionOrder": true}],
                        "additionalProperties": {"insertionOrder": true},
                        "properties": {"Deep": {"x-examples": [{"title": 1}], "x-const": 3}}
                    }
                },
                "x-patternProperties": {"^x$": {"type": "string"}}
            })
        );
    }

    #[test]
    fn prefixed_keys_keep_their_position() {
        let out = prefix_keywords(
            json!({"type": 1, "title": 2, "description": 3}),
            "E",
            "schemas",
        );
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["type", "x-title", "description"]);
    }

    #[test]
    fn refs_are_rewritten_through_the_mapping() {
        let mapping: HashMap<String, String> =
            [("Tag".to_string(), "BucketTag".to_string())].into();
        let mut v = json!({"a": {"$ref": "#/definitions/Tag"}, "b": [{"$ref": "#/definitions/Other/properties/X"}],
            "c": {"$ref": "#/properties/Y"}});
        rewrite_refs(&mut v, &mapping);
        assert_eq!(
            v,
            json!({"a": {"$ref": "#/components/schemas/BucketTag"},
                "b": [{"$ref": "#/components/schemas/Other/properties/X"}],
                "c": {"$ref": "#/properties/Y"}})
        );
    }

    #[test]
    fn strip_removes_only_the_first_properties_segment() {
        assert_eq!(
            strip_pointer("/properties/Schedule/ScheduleId"),
            "Schedule/ScheduleId"
        );
        assert_eq!(
            strip_pointer("/properties/A/properties/B"),
            "A/properties/B"
        );
    }

    #[test]
    fn present_follows_javascript_truthiness() {
        assert!(present(Some(&json!([]))).is_some());
        assert!(present(Some(&json!({}))).is_some());
        assert!(present(Some(&json!(false))).is_none());
        assert!(present(Some(&json!(""))).is_none());
        assert!(present(Some(&json!(null))).is_none());
        assert!(present(None).is_none());
    }

    #[test]
    fn object_unions_in_top_level_properties() {
        assert_eq!(
            collapse_object_union(
                &json!({"type": ["object", "string", "array"], "description": "d"})
            ),
            json!({"type": "string"})
        );
        assert_eq!(
            collapse_object_union(&json!({"type": ["object"]})),
            json!({})
        );
        assert_eq!(
            collapse_object_union(&json!({"type": ["string", "number"]})),
            json!({"type": ["string", "number"]})
        );
    }
}
