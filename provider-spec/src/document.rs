//! The spec documents, exactly as they are written on disk, and their parsing.
//!
//! Provider and service documents are deserialized straight from YAML into these types in one
//! pass (no intermediate YAML tree), with the path of any error inside the document tracked by
//! `serde_path_to_error`. OpenAPI structure (`info`, `paths`, parameters) uses the `openapiv3`
//! types. Schemas use [`RawSchema`] instead of `openapiv3::Schema`, because AWS's resource
//! schemas rely on siblings of `$ref` (a property's `description` next to its `$ref`) that
//! OpenAPI 3.0 — and so `openapiv3::ReferenceOr` — drops.
//!
//! A service document is generic over its schema type `S`: the generator reads [`RawSchema`]
//! (the keywords it renders), the emulator `serde_json::Value` (every keyword, for validation),
//! and the type index [`SchemaHead`] (only the two keywords it needs, so that indexing skips the
//! schema bodies). [`SchemaView`] is what the shared rules ([`crate::index`]) read from any of
//! them.

use crate::error::SpecError;
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;

/// `<provider>/provider.yaml`. Its `id` is not read: the provider is named by `name`.
#[derive(Debug, Deserialize)]
pub struct RawProvider {
    /// Provider name (`aws`).
    pub name: String,
    /// Provider version (`v00.00.00000`).
    pub version: Option<String>,
    /// The services, keyed by name, in document order.
    #[serde(rename = "providerServices", default)]
    pub provider_services: IndexMap<String, RawProviderService>,
}

/// One entry of `providerServices`.
#[derive(Debug, Deserialize)]
pub struct RawProviderService {
    /// Service title.
    pub title: Option<String>,
    /// Service version.
    pub version: Option<String>,
    /// Service description.
    pub description: Option<String>,
    /// Reference to the service document (`aws/v00.00.00000/services/s3.yaml`).
    pub service: RawRef,
}

/// A `{ $ref: ... }` object.
#[derive(Debug, Clone, Deserialize)]
pub struct RawRef {
    /// The reference.
    #[serde(rename = "$ref")]
    pub reference: String,
}

/// `<provider>/services/<service>.yaml`: an OpenAPI 3.0 document with StackQL extensions.
#[derive(Debug, Deserialize)]
#[serde(bound = "S: Deserialize<'de>")]
pub struct RawService<S = RawSchema> {
    /// OpenAPI version string.
    pub openapi: String,
    /// Document info (title, version).
    pub info: openapiv3::Info,
    /// Operations; non-Cloud-Control resources point their methods here.
    #[serde(default)]
    pub paths: openapiv3::Paths,
    /// Schemas, parameters and the StackQL resources.
    #[serde(default)]
    pub components: RawComponents<S>,
}

/// Only the `components` of a service document: what the emulator and the type index read.
/// The rest of the document (`openapi`, `info`, `paths`) is skipped unread, so a service file
/// written for the emulator alone needs no `info`.
#[derive(Debug, Deserialize)]
#[serde(bound = "S: Deserialize<'de>")]
pub struct ServiceComponents<S = RawSchema> {
    /// Schemas, parameters and the StackQL resources.
    #[serde(default)]
    pub components: RawComponents<S>,
}

/// `components` of a service document.
#[derive(Debug, Deserialize)]
#[serde(bound = "S: Deserialize<'de>")]
pub struct RawComponents<S = RawSchema> {
    /// Named schemas (CloudFormation resource schemas and their definitions).
    #[serde(default = "IndexMap::new")]
    pub schemas: IndexMap<String, S>,
    /// Named parameters referenced by operations.
    #[serde(default)]
    pub parameters: IndexMap<String, openapiv3::ReferenceOr<openapiv3::Parameter>>,
    /// The StackQL resources of the service, in document order.
    #[serde(rename = "x-stackQL-resources", default)]
    pub resources: IndexMap<String, RawResource>,
}

impl<S> Default for RawComponents<S> {
    fn default() -> Self {
        RawComponents {
            schemas: IndexMap::new(),
            parameters: IndexMap::new(),
            resources: IndexMap::new(),
        }
    }
}

/// One entry of `components.x-stackQL-resources`.
///
/// Its `name` is not read (the key names the resource), nor its `id`: a resource's id is
/// always `<provider>.<service>.<key>`, built once by the generator's `lower` (docs-format.md's
/// Id row). StackQL's own ids are not a source for it: four of the 2024-05 corpus disagree
/// with their key or file (`transfer_api.yaml` says `aws.transfer.servers`, `cloud_control.yaml`
/// says `aws.cloud_control.resources` for `resource`).
#[derive(Debug, Default, Deserialize)]
pub struct RawResource {
    /// Title (non-Cloud-Control resources).
    pub title: Option<String>,
    /// Name of the schema in `components.schemas` (Cloud Control resources).
    #[serde(rename = "x-cfn-schema-name")]
    pub schema_name: Option<String>,
    /// CloudFormation type name.
    #[serde(rename = "x-cfn-type-name")]
    pub type_name: Option<String>,
    /// Identifier properties, PascalCase; an entry may be a path `Outer/Inner`.
    #[serde(rename = "x-identifiers", default)]
    pub identifiers: Vec<String>,
    /// `list`, `get`, `custom_list`, or absent for a create-only resource.
    #[serde(rename = "x-type")]
    pub kind: Option<String>,
    /// Methods by name, in document order.
    #[serde(default)]
    pub methods: IndexMap<String, RawMethod>,
    /// SQL verbs → references to methods, in document order.
    #[serde(rename = "sqlVerbs", default)]
    pub sql_verbs: IndexMap<String, Vec<RawRef>>,
}

/// A method of a StackQL resource.
#[derive(Debug, Deserialize)]
pub struct RawMethod {
    /// Reference to the operation under `paths`.
    pub operation: RawRef,
    /// How the response is read.
    pub response: Option<RawResponse>,
}

/// `methods.<name>.response`.
#[derive(Debug, Deserialize)]
pub struct RawResponse {
    /// Media type of the response.
    #[serde(rename = "mediaType")]
    pub media_type: Option<String>,
    /// Status code key of the response in the operation (`200`).
    #[serde(rename = "openAPIDocKey")]
    pub doc_key: Option<String>,
    /// Where the rows are inside the response: `/*/A/member` (XML) or `$.A.B` (JSON).
    #[serde(rename = "objectKey")]
    pub object_key: Option<String>,
}

/// A JSON schema as AWS CloudFormation writes them (a superset of what OpenAPI 3.0 allows).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawSchema {
    /// `$ref`, with its siblings kept.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`: one name, or a list of names.
    #[serde(rename = "type")]
    pub ty: Option<TypeField>,
    /// Description.
    pub description: Option<String>,
    /// Object properties in document order.
    pub properties: Option<IndexMap<String, RawSchema>>,
    /// Required properties (JSON schema `required`).
    pub required: Option<Vec<String>>,
    /// Array items.
    pub items: Option<Box<RawSchema>>,
    /// `additionalProperties`: a flag or the schema of the values.
    #[serde(rename = "additionalProperties")]
    pub additional_properties: Option<AdditionalProperties>,
    /// `patternProperties`.
    #[serde(rename = "patternProperties")]
    pub pattern_properties: Option<IndexMap<String, RawSchema>>,
    /// `x-patternProperties` (how the StackQL conversion renames `patternProperties`).
    #[serde(rename = "x-patternProperties")]
    pub x_pattern_properties: Option<IndexMap<String, RawSchema>>,
    /// Allowed values.
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<serde_json::Value>>,
    /// `oneOf` alternatives.
    #[serde(rename = "oneOf")]
    pub one_of: Option<Vec<RawSchema>>,
    /// `anyOf` alternatives.
    #[serde(rename = "anyOf")]
    pub any_of: Option<Vec<RawSchema>>,
    /// `allOf` parts.
    #[serde(rename = "allOf")]
    pub all_of: Option<Vec<RawSchema>>,
    /// CloudFormation type name (resource schemas).
    #[serde(rename = "x-type-name")]
    pub type_name: Option<String>,
    /// Primary identifier (resource schemas).
    #[serde(rename = "x-stackql-primary-identifier")]
    pub primary_identifier: Option<Vec<String>>,
    /// Read-only properties.
    #[serde(rename = "x-read-only-properties")]
    pub read_only_properties: Option<Vec<String>>,
    /// Create-only properties.
    #[serde(rename = "x-create-only-properties")]
    pub create_only_properties: Option<Vec<String>>,
    /// Write-only properties.
    #[serde(rename = "x-write-only-properties")]
    pub write_only_properties: Option<Vec<String>>,
    /// Properties required on create.
    #[serde(rename = "x-required-properties")]
    pub required_properties: Option<Vec<String>>,
    /// Properties a list request needs (parent resources).
    #[serde(rename = "x-list-required-properties")]
    pub list_required_properties: Option<Vec<String>>,
    /// IAM permissions per handler, in document order.
    #[serde(rename = "x-required-permissions")]
    pub required_permissions: Option<IndexMap<String, Vec<String>>>,
    /// WHERE clause of the SELECT example of a `custom_list` resource.
    #[serde(rename = "x-example-where-clause")]
    pub example_where_clause: Option<String>,
}

/// `type` of a schema: one name or several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TypeField {
    /// `type: string`.
    One(String),
    /// `type: [string, object]`.
    Many(Vec<String>),
}

/// `additionalProperties`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` / `false`.
    Flag(bool),
    /// The schema of every value.
    Schema(Box<RawSchema>),
}

/// The two keywords of a resource schema the type index reads; everything else in the schema
/// is skipped unread.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SchemaHead {
    /// CloudFormation type name (`x-type-name`).
    #[serde(rename = "x-type-name")]
    pub type_name: Option<String>,
    /// Primary identifier (`x-stackql-primary-identifier`).
    #[serde(rename = "x-stackql-primary-identifier")]
    pub primary_identifier: Option<Vec<String>>,
}

/// What the shared rules read from a schema, whatever type the document was read into.
pub trait SchemaView {
    /// `x-type-name`, if it is a string.
    fn type_name(&self) -> Option<&str>;
    /// `x-stackql-primary-identifier` as written (property paths), if present.
    fn primary_identifier(&self) -> Vec<&str>;
}

impl SchemaView for RawSchema {
    fn type_name(&self) -> Option<&str> {
        self.type_name.as_deref()
    }
    fn primary_identifier(&self) -> Vec<&str> {
        self.primary_identifier
            .iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

impl SchemaView for SchemaHead {
    fn type_name(&self) -> Option<&str> {
        self.type_name.as_deref()
    }
    fn primary_identifier(&self) -> Vec<&str> {
        self.primary_identifier
            .iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

impl SchemaView for serde_json::Value {
    fn type_name(&self) -> Option<&str> {
        self.get("x-type-name").and_then(serde_json::Value::as_str)
    }
    fn primary_identifier(&self) -> Vec<&str> {
        self.get("x-stackql-primary-identifier")
            .and_then(serde_json::Value::as_array)
            .map(|list| list.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// Parses a YAML document into `T`, naming `file` and the path inside it on error.
///
/// The text is first scanned ([`crate::yaml_scan`]): a duplicate key or nesting deeper than
/// [`crate::yaml_scan::MAX_DEPTH`] fails before the parser runs.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(file: &Path, text: &str) -> Result<T, SpecError> {
    crate::yaml_scan::scan(text).map_err(|e| {
        let at = match &e {
            crate::yaml_scan::ScanError::DuplicateKey { at, .. } => at.clone(),
            crate::yaml_scan::ScanError::TooDeep { .. } => ".".to_owned(),
        };
        SpecError::Parse {
            file: file.to_path_buf(),
            at,
            message: e.to_string(),
        }
    })?;
    // The happy path decodes without tracking the path (which costs an allocation per map
    // key); only a failing document is decoded again, with the path, for the error.
    if let Ok(value) = serde_yaml::from_str(text) {
        return Ok(value);
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let at = err.path().to_string();
        let inner = err.into_inner();
        // serde_yaml's message may already start with the path and end with the location.
        let text = inner.to_string();
        let text = text
            .strip_prefix(&format!("{at}: "))
            .unwrap_or(&text)
            .to_owned();
        let message = match inner.location() {
            Some(loc) if !text.contains(" at line ") => {
                format!("{text} at line {} column {}", loc.line(), loc.column())
            }
            _ => text,
        };
        SpecError::Parse {
            file: file.to_path_buf(),
            at,
            message,
        }
    })
}

/// Reads and parses one YAML file.
pub fn read_yaml<T: serde::de::DeserializeOwned>(file: &Path) -> Result<T, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|e| SpecError::io(file, e))?;
    parse_yaml(file, &text)
}
