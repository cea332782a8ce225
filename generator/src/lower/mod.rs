//! Lowering: checks a parsed service document ([`provider_spec::document`]) and builds its [`Service`]
//! model ([`crate::model`]), one file per input concept:
//!
//! - this module: the service (its schemas and resources) and the per-document context;
//! - [`resource`]: a `x-stackQL-resources` entry (Cloud Control or API resource);
//! - [`methods`]: a resource's methods and SQL verbs, and the operations and parameters of API
//!   methods;
//! - [`schema`]: schema nodes (`$ref` resolution by [`provider_spec::refs`], shapes of values);
//! - [`fields`]: the docs fields of a resource (identifiers, properties, response members);
//! - [`properties`]: the CloudFormation property sets (read-only, create-only, ...; paths and the
//!   primary identifier by [`provider_spec::paths`] and [`provider_spec::index`]).
//!
//! Every check names the file and the path inside it: a `$ref` to a missing schema, a resource
//! whose `x-cfn-schema-name` names no schema, an identifier that is not a property, a SQL verb
//! pointing at a missing method, a method whose operation is not under `paths`.

mod fields;
mod methods;
mod properties;
mod resource;
mod schema;

use crate::error::{Error, Result};
use crate::model::{ResourceKind, Service};
use indexmap::IndexMap;
use provider_spec::document::{RawComponents, RawService};
use std::path::Path;

/// Builds the model of service `name` of provider `provider` from its parsed document.
pub fn service(provider: &str, name: &str, file: &Path, raw: &RawService) -> Result<Service> {
    let cx = Cx {
        file,
        components: &raw.components,
        provider,
        service: name,
    };
    let mut schemas = IndexMap::with_capacity(raw.components.schemas.len());
    for (schema_name, schema) in &raw.components.schemas {
        let at = format!("components.schemas.{schema_name}");
        schemas.insert(schema_name.clone(), cx.node(schema, &at)?);
    }
    let mut resources = Vec::with_capacity(raw.components.resources.len());
    for (resource_name, resource) in &raw.components.resources {
        let at = format!(
            "components.x-stackQL-resources.{}",
            resource_name.escape_debug()
        );
        check_resource_name(file, &at, resource_name)?;
        let built = match &resource.schema_name {
            Some(schema_name) => {
                cx.cloud_control_resource(resource_name, resource, schema_name, &at)?
            }
            None => cx.api_resource(raw, resource_name, resource, &at)?,
        };
        resources.push(built);
    }
    let cloud_control =
        !resources.is_empty() && resources.iter().all(|r| r.kind != ResourceKind::Api);
    Ok(Service {
        name: name.to_owned(),
        title: raw.info.title.clone(),
        file: file.to_path_buf(),
        cloud_control,
        resources,
        schemas,
    })
}

/// A resource name becomes a folder name and a Rust module name: it must be one plain segment
/// ([`provider_spec::names`]).
fn check_resource_name(file: &Path, at: &str, name: &str) -> Result<()> {
    provider_spec::names::check_resource(name).map_err(|e| Error::invalid(file, at, e.to_string()))
}

/// Context of one service document.
pub(super) struct Cx<'a> {
    pub(super) file: &'a Path,
    pub(super) components: &'a RawComponents,
    /// The provider's name (`aws`).
    pub(super) provider: &'a str,
    /// The service's name (`logs`).
    pub(super) service: &'a str,
}

impl Cx<'_> {
    pub(super) fn invalid(&self, at: &str, message: impl Into<String>) -> Error {
        Error::invalid(self.file, at, message)
    }

    /// The id of resource `name`: `<provider>.<service>.<name>`, the one source of
    /// [`crate::model::Resource::id`] (docs pages, the registry, `FROM` clauses). The spec's
    /// own `id` member is not read.
    pub(super) fn resource_id(&self, name: &str) -> String {
        format!("{}.{}.{name}", self.provider, self.service)
    }
}

/// Builds a one-resource service whose `Thing` schema has `properties`, plus `extra` schemas
/// (both YAML fragments indented for their place).
#[cfg(test)]
fn fixture(properties: &str, extra: &str, kind: &str) -> Result<Service> {
    let text = format!(
        "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{extra}    Thing:\n      type: object\n      properties:\n{properties}  x-stackQL-resources:\n    things:\n      x-cfn-schema-name: Thing\n      x-identifiers: [A]\n      methods: {{}}\n      x-type: {kind}\n"
    );
    let raw: RawService = provider_spec::document::parse_yaml(Path::new("t.yaml"), &text)?;
    service("p", "t", Path::new("t.yaml"), &raw)
}
