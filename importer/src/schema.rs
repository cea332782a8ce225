//! Parsing and checking one CloudFormation resource schema. Only the parts the conversion reads
//! are checked; everything else is carried through unchanged.

use crate::error::{Error, Result};
use crate::source::{escape_pointer, SourceFile};
use serde_json::{Map, Value};

/// The handlers the conversion knows, in the order StackQL documents them.
pub const HANDLERS: [&str; 5] = ["create", "read", "update", "delete", "list"];

/// A parsed CloudFormation resource schema.
#[derive(Debug, Clone)]
pub struct CfnType {
    /// The file it came from.
    pub file: String,
    /// `typeName`, e.g. `AWS::CodeConnections::Connection`.
    pub type_name: String,
    /// The vendor part (`AWS`).
    pub vendor: String,
    /// The namespace with its original casing (`CodeConnections`).
    pub namespace: String,
    /// The schema key: the last part of the type name (`Connection`).
    pub key: String,
    /// The whole document, type arrays already collapsed (cfn-import.md §1).
    pub doc: Map<String, Value>,
}

impl CfnType {
    /// Whether the schema has a non-empty `handlers` object.
    pub fn has_handlers(&self) -> bool {
        self.doc
            .get("handlers")
            .and_then(Value::as_object)
            .is_some_and(|h| !h.is_empty())
    }

    /// The name the file has in AWS's `CloudformationSchema.zip` (`aws-s3-bucket.json`); types
    /// are ordered by it whatever the input format, so a cfn-lint directory (hash file names)
    /// and the AWS zip give the same output.
    pub fn canonical_file_name(&self) -> String {
        format!("{}.json", self.type_name.to_lowercase().replace("::", "-"))
    }
}

/// Parses and checks one schema file.
pub fn parse(file: &SourceFile) -> Result<CfnType> {
    let mut de = serde_json::Deserializer::from_slice(&file.bytes);
    let parsed: std::result::Result<crate::strict_json::StrictValue, _> =
        serde_path_to_error::deserialize(&mut de);
    let value = match parsed {
        Ok(value) => value.0,
        Err(e) => {
            let path = e.path().to_string();
            // A key twice in one object: name both places.
            if let Some((key, first, second)) = crate::strict_json::first_duplicate_key(&file.bytes)
            {
                return Err(Error::DuplicateKey {
                    file: file.name.clone(),
                    path,
                    key,
                    first,
                    second,
                });
            }
            return Err(Error::Json {
                file: file.name.clone(),
                path,
                source: e.into_inner(),
            });
        }
    };
    de.end().map_err(|source| Error::Json {
        file: file.name.clone(),
        path: ".".into(),
        source,
    })?;
    let Value::Object(mut doc) = value else {
        return Err(schema_err(
            file,
            "",
            "a resource schema must be a JSON object",
        ));
    };
    check(file, &doc)?;
    collapse_type_arrays_in_map(&mut doc);
    inline_property_refs(&mut doc);
    let type_name = doc
        .get("typeName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // The namespace becomes a service key (a file name, a module, a feature) and the key a
    // resource name: both are checked where they enter, by the rules `gen` applies too.
    let [vendor, namespace, key] = provider_spec::names::split_type_name(&type_name)
        .map_err(|e| schema_err(file, "/typeName", &e.to_string()))?;
    let (vendor, namespace, key) = (vendor.to_string(), namespace.to_string(), key.to_string());
    Ok(CfnType {
        file: file.name.clone(),
        vendor,
        namespace,
        key,
        type_name,
        doc,
    })
}

fn schema_err(file: &SourceFile, pointer: &str, message: &str) -> Error {
    Error::Schema {
        file: file.name.clone(),
        pointer: pointer.to_string(),
        message: message.to_string(),
    }
}

/// Checks the shape of every field the conversion reads, so that conversion itself cannot fail.
fn check(file: &SourceFile, doc: &Map<String, Value>) -> Result<()> {
    match doc.get("typeName") {
        Some(Value::String(_)) => {}
        Some(_) => return Err(schema_err(file, "/typeName", "expected a string")),
        None => return Err(schema_err(file, "", "missing `typeName`")),
    }
    for key in ["properties", "definitions", "handlers"] {
        if let Some(v) = doc.get(key) {
            if !v.is_object() {
                return Err(schema_err(file, &format!("/{key}"), "expected an object"));
            }
        }
    }
    for key in [
        "required",
        "primaryIdentifier",
        "createOnlyProperties",
        "conditionalCreateOnlyProperties",
        "writeOnlyProperties",
        "readOnlyProperties",
    ] {
        if let Some(v) = doc.get(key) {
            check_string_array(file, &format!("/{key}"), v)?;
        }
    }
    if let Some(v) = doc.get("additionalIdentifiers") {
        let Some(lists) = v.as_array() else {
            return Err(schema_err(
                file,
                "/additionalIdentifiers",
                "expected an array of arrays of property pointers",
            ));
        };
        for (i, list) in lists.iter().enumerate() {
            check_string_array(file, &format!("/additionalIdentifiers/{i}"), list)?;
        }
    }
    if let Some(handlers) = doc.get("handlers").and_then(Value::as_object) {
        for (name, handler) in handlers {
            let base = format!("/handlers/{}", escape_pointer(name));
            let Some(handler) = handler.as_object() else {
                return Err(schema_err(file, &base, "expected an object"));
            };
            if let Some(p) = handler.get("permissions") {
                check_string_array(file, &format!("{base}/permissions"), p)?;
            }
            if let Some(hs) = handler.get("handlerSchema") {
                let Some(hs) = hs.as_object() else {
                    return Err(schema_err(
                        file,
                        &format!("{base}/handlerSchema"),
                        "expected an object",
                    ));
                };
                if let Some(r) = hs.get("required") {
                    check_string_array(file, &format!("{base}/handlerSchema/required"), r)?;
                }
            }
        }
    }
    Ok(())
}

fn check_string_array(file: &SourceFile, pointer: &str, v: &Value) -> Result<()> {
    let Some(items) = v.as_array() else {
        return Err(schema_err(file, pointer, "expected an array of strings"));
    };
    for (i, item) in items.iter().enumerate() {
        if !item.is_string() {
            return Err(schema_err(
                file,
                &format!("{pointer}/{i}"),
                "expected a string",
            ));
        }
    }
    Ok(())
}

/// The `type` arrays StackQL's converter collapses, anywhere in the document (exact ordered
/// pairs only; cfn-import.md §1).
const TYPE_COLLAPSES: [([&str; 2], &str); 7] = [
    (["string", "object"], "object"),
    (["object", "string"], "object"),
    (["boolean", "string"], "boolean"),
    (["string", "array"], "array"),
    (["integer", "string"], "integer"),
    (["number", "string"], "number"),
    (["boolean", "null"], "boolean"),
];

fn collapse_type_arrays_in_map(map: &mut Map<String, Value>) {
    for (key, value) in map.iter_mut() {
        if key == "type" {
            if let Value::Array(items) = value {
                if let [Value::String(a), Value::String(b)] = &items[..] {
                    if let Some((_, to)) = TYPE_COLLAPSES
                        .iter()
                        .find(|(pair, _)| pair[0] == a && pair[1] == b)
                    {
                        *value = Value::String((*to).to_string());
                        continue;
                    }
                }
            }
        }
        collapse_type_arrays(value);
    }
}

fn collapse_type_arrays(value: &mut Value) {
    match value {
        Value::Object(map) => collapse_type_arrays_in_map(map),
        Value::Array(items) => items.iter_mut().for_each(collapse_type_arrays),
        _ => {}
    }
}

/// How deep `#/properties/...` references are followed inside inlined schemas.
const MAX_INLINE_DEPTH: usize = 8;

/// Replaces `$ref: '#/properties/...'` (a pointer into the type's own document, used by a few
/// 2026 schemas such as OpenSearchService Application) by a copy of the referenced schema: once
/// the type is a `components.schemas` entry such a pointer would resolve against the OpenAPI
/// document root and dangle. The referenced keys take the `$ref`'s place; sibling keys (usually
/// a more specific `description`) win. Handler schemas are left alone: they are not converted.
fn inline_property_refs(doc: &mut Map<String, Value>) {
    let snapshot = Value::Object(doc.clone());
    for key in ["properties", "definitions"] {
        if let Some(v) = doc.get_mut(key) {
            inline_refs(v, &snapshot, MAX_INLINE_DEPTH);
        }
    }
}

fn inline_refs(value: &mut Value, root: &Value, depth: usize) {
    match value {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .filter(|r| r.starts_with("#/properties/"))
                .and_then(|r| root.pointer(&r[1..]))
                .and_then(Value::as_object)
                .filter(|_| depth > 0);
            if let Some(target) = target {
                let mut merged = Map::with_capacity(map.len() + target.len());
                for (k, v) in std::mem::take(map) {
                    if k == "$ref" {
                        for (tk, tv) in target {
                            merged.insert(tk.clone(), tv.clone());
                        }
                    } else {
                        merged.insert(k, v);
                    }
                }
                *map = merged;
                // The copy may itself hold such references.
                for v in map.values_mut() {
                    inline_refs(v, root, depth - 1);
                }
                return;
            }
            for v in map.values_mut() {
                inline_refs(v, root, depth);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| inline_refs(i, root, depth)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            name: "t.json".into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn type_arrays_collapse_only_for_listed_pairs() {
        let t = parse(&file(
            r#"{"typeName":"AWS::A::B","properties":{
                "X":{"type":["string","object"]},
                "Y":{"type":["object","string","array"]},
                "Z":{"items":{"type":["boolean","null"]}},
                "W":{"type":["string","integer"]}}}"#,
        ))
        .unwrap();
        let props = &t.doc["properties"];
        assert_eq!(props["X"]["type"], json!("object"));
        assert_eq!(props["Y"]["type"], json!(["object", "string", "array"]));
        assert_eq!(props["Z"]["items"]["type"], json!("boolean"));
        assert_eq!(props["W"]["type"], json!(["string", "integer"]));
    }

    #[test]
    fn syntax_errors_name_file_and_path() {
        let err = parse(&file(
            r#"{"typeName":"AWS::A::B","properties":{"X":{"type": tru}}}"#,
        ))
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("t.json: invalid JSON at path `properties.X.type`"),
            "{msg}"
        );
        assert!(msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn shape_errors_name_file_and_pointer() {
        let err = parse(&file(
            r#"{"typeName":"AWS::A::B","handlers":{"read":{"permissions":["a",1]}}}"#,
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.json: at JSON pointer `/handlers/read/permissions/1`: expected a string"
        );
        let err = parse(&file(r#"{"typeName":"AWS::A"}"#)).unwrap_err();
        assert!(err.to_string().contains("`/typeName`"));
        let err = parse(&file(r#"[]"#)).unwrap_err();
        assert!(err.to_string().contains("must be a JSON object"));
        let err = parse(&file(r#"{"properties":{}}"#)).unwrap_err();
        assert!(err.to_string().contains("missing `typeName`"));
    }

    #[test]
    fn property_refs_are_inlined() {
        let t = parse(&file(
            r##"{"typeName":"AWS::A::B",
                "properties":{"Arn":{"description":"generic","type":"string"},
                    "Opts":{"properties":{"X":{"$ref":"#/properties/Arn","description":"specific"}}}},
                "definitions":{"D":{"properties":{"Y":{"$ref":"#/properties/Arn"},"Z":{"$ref":"#/definitions/D"}}}},
                "handlers":{"list":{"handlerSchema":{"properties":{"A":{"$ref":"#/properties/Arn"}}}}}}"##,
        ))
        .unwrap();
        assert_eq!(
            t.doc["properties"]["Opts"]["properties"]["X"],
            json!({"description": "specific", "type": "string"})
        );
        let x = t.doc["properties"]["Opts"]["properties"]["X"]
            .as_object()
            .unwrap();
        assert_eq!(x.keys().collect::<Vec<_>>(), ["description", "type"]);
        assert_eq!(
            t.doc["definitions"]["D"]["properties"]["Y"],
            json!({"description": "generic", "type": "string"})
        );
        assert_eq!(
            t.doc["definitions"]["D"]["properties"]["Z"],
            json!({"$ref": "#/definitions/D"})
        );
        assert_eq!(
            t.doc["handlers"]["list"]["handlerSchema"]["properties"]["A"],
            json!({"$ref": "#/properties/Arn"})
        );
    }

    #[test]
    fn canonical_file_name_matches_aws_zip() {
        let t = parse(&file(r#"{"typeName":"AWS::CodeConnections::Connection"}"#)).unwrap();
        assert_eq!(
            t.canonical_file_name(),
            "aws-codeconnections-connection.json"
        );
        assert_eq!(
            (t.namespace.as_str(), t.key.as_str()),
            ("CodeConnections", "Connection")
        );
    }
}
