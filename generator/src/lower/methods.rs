//! A resource's methods: the rows its SQL verbs and kind give it, and, for API resources, the
//! operations (under `paths`) and parameters its methods point at.

use super::Cx;
use crate::error::Result;
use crate::model::{Method, ResourceKind};
use provider_spec::document::{RawResource, RawSchema, RawService};
use provider_spec::refs::{unescape_pointer, MAX_REF_DEPTH, PARAMETER_REF_PREFIX, PATH_REF_PREFIX};

impl Cx<'_> {
    pub(super) fn cloud_control_methods(
        &self,
        name: &str,
        resource: &RawResource,
        kind: ResourceKind,
        schema: &RawSchema,
        at: &str,
    ) -> Result<Vec<Method>> {
        if kind == ResourceKind::CustomList {
            return Ok(vec![method("view", "SELECT", &["region"])]);
        }
        let mut methods = Vec::new();
        for (verb, refs) in &resource.sql_verbs {
            for (index, reference) in refs.iter().enumerate() {
                let method_name = self.sql_verb_target(
                    name,
                    resource,
                    &reference.reference,
                    &format!("{at}.sqlVerbs.{verb}.{index}"),
                )?;
                let params: &[&str] = match method_name {
                    "create_resource" => &["data__DesiredState", "region"],
                    "update_resource" => &["data__Identifier", "data__PatchDocument", "region"],
                    "delete_resource" | "get_resource" => &["data__Identifier", "region"],
                    _ => &["region"],
                };
                methods.push(method(method_name, &verb.to_uppercase(), params));
            }
        }
        match kind {
            ResourceKind::Get => methods.push(method(
                "get_resource",
                "SELECT",
                &["data__Identifier", "region"],
            )),
            ResourceKind::List => {
                let mut params: Vec<String> =
                    schema.list_required_properties.clone().unwrap_or_default();
                params.push("region".to_owned());
                methods.push(Method {
                    name: "list_resource".to_owned(),
                    verb: "SELECT".to_owned(),
                    required_params: params,
                });
            }
            _ => {}
        }
        Ok(methods)
    }

    /// The method a `sqlVerbs` entry points at (`#/components/x-stackQL-resources/R/methods/M`).
    pub(super) fn sql_verb_target<'r>(
        &self,
        name: &str,
        resource: &'r RawResource,
        reference: &'r str,
        at: &str,
    ) -> Result<&'r str> {
        let method_name = reference.rsplit('/').next().unwrap_or(reference);
        let expected_prefix = format!("#/components/x-stackQL-resources/{name}/methods/");
        if !reference.starts_with(&expected_prefix) || !resource.methods.contains_key(method_name) {
            return Err(self.invalid(
                at,
                format!("$ref `{reference}` names no method of resource `{name}`"),
            ));
        }
        Ok(method_name)
    }

    /// The path item and operation a method's `operation.$ref` points at.
    pub(super) fn operation<'r>(
        &self,
        raw: &'r RawService,
        reference: &str,
        at: &str,
    ) -> Result<(&'r openapiv3::PathItem, &'r openapiv3::Operation)> {
        let missing = || self.invalid(at, format!("unresolvable operation $ref `{reference}`"));
        let pointer = reference
            .strip_prefix(PATH_REF_PREFIX)
            .ok_or_else(missing)?;
        let (path, method) = pointer.rsplit_once('/').ok_or_else(missing)?;
        let path = unescape_pointer(path);
        let item = match raw.paths.paths.get(path.as_ref()) {
            Some(openapiv3::ReferenceOr::Item(item)) => item,
            _ => return Err(missing()),
        };
        let operation = match method {
            "get" => &item.get,
            "put" => &item.put,
            "post" => &item.post,
            "delete" => &item.delete,
            "options" => &item.options,
            "head" => &item.head,
            "patch" => &item.patch,
            "trace" => &item.trace,
            _ => return Err(missing()),
        };
        operation.as_ref().map(|op| (item, op)).ok_or_else(missing)
    }

    pub(super) fn parameter<'r>(
        &'r self,
        parameter: &'r openapiv3::ReferenceOr<openapiv3::Parameter>,
        at: &str,
    ) -> Result<&'r openapiv3::Parameter> {
        let mut current = parameter;
        for _ in 0..MAX_REF_DEPTH {
            match current {
                openapiv3::ReferenceOr::Item(item) => return Ok(item),
                openapiv3::ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix(PARAMETER_REF_PREFIX)
                        .map(unescape_pointer)
                        .ok_or_else(|| {
                            self.invalid(at, format!("unsupported parameter $ref `{reference}`"))
                        })?;
                    current = self
                        .components
                        .parameters
                        .get(name.as_ref())
                        .ok_or_else(|| {
                            self.invalid(at, format!("unresolvable parameter $ref `{reference}`"))
                        })?;
                }
            }
        }
        Err(self.invalid(at, "cyclic parameter $ref chain"))
    }
}

pub(super) fn method(name: &str, verb: &str, params: &[&str]) -> Method {
    Method {
        name: name.to_owned(),
        verb: verb.to_owned(),
        required_params: params.iter().map(|p| (*p).to_owned()).collect(),
    }
}
