//! Which resources are Cloud Control types, and the type index of a service.
//!
//! The rules, shared by the generator (which generates a module per resource) and the emulator
//! (which serves each type):
//!
//! - a resource of `components.x-stackQL-resources` is a **Cloud Control resource** when it
//!   names a schema (`x-cfn-schema-name`); other resources are operations of an API spec;
//! - its **CloudFormation type** is its `x-cfn-type-name`, else its schema's `x-type-name`; a
//!   Cloud Control resource with neither (a `custom_list` view) is no type;
//! - its **primary identifier** is its schema's `x-stackql-primary-identifier`, else the
//!   resource's `x-identifiers`, as canonical [property paths](crate::paths);
//! - the **type index** of a service maps each type, in document order, to its resources (the
//!   plural `list` one and the singular `get` one share a type), its schema (the first
//!   resource's) and its primary identifier (the first resource's that has one).

use crate::document::{RawComponents, RawResource, SchemaHead, SchemaView, ServiceComponents};
use crate::error::SpecError;
use crate::paths::property_paths;
use indexmap::IndexMap;
use std::path::Path;

/// Whether a resource is a Cloud Control resource (it names a schema).
pub fn is_cloud_control(resource: &RawResource) -> bool {
    resource.schema_name.is_some()
}

/// The CloudFormation type of a resource: its `x-cfn-type-name`, else its schema's
/// `x-type-name`; `None` for a resource that names no schema, or names one without a type.
pub fn type_name<'a, S: SchemaView>(
    resource: &'a RawResource,
    schemas: &'a IndexMap<String, S>,
) -> Option<&'a str> {
    let schema_name = resource.schema_name.as_deref()?;
    resource
        .type_name
        .as_deref()
        .or_else(|| schemas.get(schema_name).and_then(SchemaView::type_name))
}

/// The primary identifier of a resource: its schema's `x-stackql-primary-identifier`, else the
/// resource's `x-identifiers`, as canonical property paths. Empty when neither says.
pub fn primary_identifier<S: SchemaView>(
    resource: &RawResource,
    schema: Option<&S>,
) -> Vec<String> {
    let from_schema = schema
        .map(SchemaView::primary_identifier)
        .unwrap_or_default();
    if from_schema.is_empty() {
        property_paths(Some(resource.identifiers.as_slice()))
    } else {
        property_paths(Some(from_schema.as_slice()))
    }
}

/// One CloudFormation type of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceType {
    /// `AWS::Service::Type`.
    pub type_name: String,
    /// The schema of the type (`x-cfn-schema-name` of its first resource).
    pub schema_name: String,
    /// Its resources (keys of `x-stackQL-resources`), in document order.
    pub resources: Vec<String>,
    /// Its primary identifier: [`primary_identifier`] of the first resource that has one;
    /// empty when none has.
    pub primary_identifier: Vec<String>,
}

/// The type index of one service document: every CloudFormation type, in document order.
pub fn service_types<S: SchemaView>(
    components: &RawComponents<S>,
) -> IndexMap<String, ServiceType> {
    let mut out: IndexMap<String, ServiceType> = IndexMap::new();
    for (key, resource) in &components.resources {
        let (Some(type_name), Some(schema_name)) = (
            type_name(resource, &components.schemas),
            resource.schema_name.as_deref(),
        ) else {
            continue;
        };
        let entry = out
            .entry(type_name.to_owned())
            .or_insert_with(|| ServiceType {
                type_name: type_name.to_owned(),
                schema_name: schema_name.to_owned(),
                resources: Vec::new(),
                primary_identifier: Vec::new(),
            });
        entry.resources.push(key.clone());
        if entry.primary_identifier.is_empty() {
            entry.primary_identifier =
                primary_identifier(resource, components.schemas.get(schema_name));
        }
    }
    out
}

/// Reads the type index of a service file: only `components.x-stackQL-resources` and the
/// schemas' `x-type-name` / `x-stackql-primary-identifier` are read. A document in the block
/// style every spec is written in is read by following its indentation (fast: start-up of the
/// emulator); any other is parsed, after the same pre-scan and with the same errors as every
/// spec read ([`crate::document::read_yaml`]). Both go through [`service_types`].
pub fn read_service_types(file: &Path) -> Result<IndexMap<String, ServiceType>, SpecError> {
    let text = std::fs::read_to_string(file).map_err(|e| SpecError::io(file, e))?;
    parse_service_types(file, &text)
}

/// [`read_service_types`] of a text already read (`file` names it in errors).
pub fn parse_service_types(
    file: &Path,
    text: &str,
) -> Result<IndexMap<String, ServiceType>, SpecError> {
    if let Some(components) = crate::index_scan::scan(text) {
        return Ok(service_types(&components));
    }
    let doc: ServiceComponents<SchemaHead> = crate::document::parse_yaml(file, text)?;
    Ok(service_types(&doc.components))
}

/// Whether [`read_service_types`] reads `text` without the parser (for tests and benchmarks:
/// every committed spec should).
pub fn reads_fast(text: &str) -> bool {
    crate::index_scan::scan(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse_yaml, RawSchema};

    fn components(yaml: &str) -> RawComponents<RawSchema> {
        let doc: ServiceComponents<RawSchema> =
            parse_yaml(Path::new("t.yaml"), yaml).expect("fixture parses");
        doc.components
    }

    const SPEC: &str = "components:
  schemas:
    Named:
      x-type-name: AWS::A::Named
      x-stackql-primary-identifier: [/properties/Id]
    Unnamed:
      type: object
    View:
      type: object
  x-stackQL-resources:
    nameds:
      x-cfn-schema-name: Named
      x-identifiers: [Other]
      x-type: list
    named:
      x-cfn-schema-name: Named
      x-type: get
    unnameds:
      x-cfn-schema-name: Unnamed
      x-cfn-type-name: AWS::A::Unnamed
      x-identifiers: [Outer/properties/Inner]
    view:
      x-cfn-schema-name: View
      x-type: custom_list
    api:
      x-cfn-type-name: AWS::A::NotCloudControl
      methods: {}
";

    #[test]
    fn the_type_comes_from_the_resource_else_from_the_schema() {
        let c = components(SPEC);
        let names: Vec<Option<&str>> = c
            .resources
            .values()
            .map(|r| type_name(r, &c.schemas))
            .collect();
        assert_eq!(
            names,
            [
                Some("AWS::A::Named"),
                Some("AWS::A::Named"),
                Some("AWS::A::Unnamed"),
                None,
                None
            ]
        );
        assert!(!is_cloud_control(&c.resources["api"]));
        assert!(is_cloud_control(&c.resources["view"]));
    }

    #[test]
    fn the_identifier_is_the_schemas_else_the_resources() {
        let c = components(SPEC);
        let of = |r: &str| {
            let resource = &c.resources[r];
            let schema = resource.schema_name.as_ref().and_then(|s| c.schemas.get(s));
            primary_identifier(resource, schema)
        };
        // The schema's wins over the resource's `x-identifiers`.
        assert_eq!(of("nameds"), ["Id"]);
        assert_eq!(of("named"), ["Id"]);
        assert_eq!(of("unnameds"), ["Outer/Inner"]);
        assert!(of("view").is_empty());
    }

    #[test]
    fn the_index_groups_resources_by_type_in_document_order() {
        let index = service_types(&components(SPEC));
        let got: Vec<&ServiceType> = index.values().collect();
        assert_eq!(
            got,
            [
                &ServiceType {
                    type_name: "AWS::A::Named".into(),
                    schema_name: "Named".into(),
                    resources: vec!["nameds".into(), "named".into()],
                    primary_identifier: vec!["Id".into()],
                },
                &ServiceType {
                    type_name: "AWS::A::Unnamed".into(),
                    schema_name: "Unnamed".into(),
                    resources: vec!["unnameds".into()],
                    primary_identifier: vec!["Outer/Inner".into()],
                },
            ]
        );
        // The index read skipping schema bodies agrees with the full read.
        let heads: ServiceComponents<SchemaHead> =
            parse_yaml(Path::new("t.yaml"), SPEC).expect("parses");
        assert_eq!(service_types(&heads.components), index);
        let values: ServiceComponents<serde_json::Value> =
            parse_yaml(Path::new("t.yaml"), SPEC).expect("parses");
        assert_eq!(service_types(&values.components), index);
    }
}
