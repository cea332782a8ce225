//! A resource's methods: the rows its SQL verbs and kind give it, and, for API resources, the
//! operations (under `paths`) and parameters its methods point at.

use super::Cx;
use crate::error::Result;
use crate::model::{Method, MethodKind, ResourceKind, SqlVerb};
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
            let view = MethodKind::View;
            let params = view.required_params();
            return Ok(vec![method(view, SqlVerb::Select, params)]);
        }
        let mut methods = Vec::new();
        for (verb, method_name) in self.sql_verb_entries(name, resource, at)? {
            let kind = MethodKind::from_name(method_name);
            let params = kind.required_params();
            methods.push(method(kind, verb, params));
        }
        match kind {
            ResourceKind::Get => {
                let get = MethodKind::Get;
                let params = get.required_params();
                methods.push(method(get, SqlVerb::Select, params));
            }
            ResourceKind::List => {
                let mut params: Vec<String> =
                    schema.list_required_properties.clone().unwrap_or_default();
                params.extend(
                    MethodKind::List
                        .required_params()
                        .iter()
                        .map(|p| (*p).to_owned()),
                );
                methods.push(Method {
                    kind: MethodKind::List,
                    verb: SqlVerb::Select,
                    required_params: params,
                });
            }
            _ => {}
        }
        Ok(methods)
    }

    /// Every `sqlVerbs` entry of a resource in document order: its verb and the name of the
    /// method it points at.
    pub(super) fn sql_verb_entries<'r>(
        &self,
        name: &str,
        resource: &'r RawResource,
        at: &str,
    ) -> Result<Vec<(SqlVerb, &'r str)>> {
        let mut entries = Vec::new();
        for (key, refs) in &resource.sql_verbs {
            let verb = self.sql_verb(key, at)?;
            for (index, reference) in refs.iter().enumerate() {
                let method_name = self.sql_verb_target(
                    name,
                    resource,
                    &reference.reference,
                    &format!("{at}.sqlVerbs.{key}.{index}"),
                )?;
                entries.push((verb, method_name));
            }
        }
        Ok(entries)
    }

    /// The verb of a `sqlVerbs` key: one the format defines, else an error at
    /// `<resource>.sqlVerbs.<key>`.
    fn sql_verb(&self, key: &str, at: &str) -> Result<SqlVerb> {
        SqlVerb::from_key(key)
            .map_err(|e| self.invalid(&format!("{at}.sqlVerbs.{key}"), e.to_string()))
    }

    /// The method a `sqlVerbs` entry points at (`#/components/x-stackQL-resources/R/methods/M`).
    fn sql_verb_target<'r>(
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

pub(super) fn method(kind: MethodKind, verb: SqlVerb, params: &[&str]) -> Method {
    Method {
        kind,
        verb,
        required_params: params.iter().map(|p| (*p).to_owned()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use crate::model::{MethodKind, SqlVerb};

    #[test]
    fn sql_verbs_and_method_names_become_kinds() {
        let service = fixture(
            "        A:\n          type: string\n",
            "",
            "get\n      sqlVerbs:\n        delete: []\n        Update: []",
        )
        .expect("builds");
        let methods = &service.resources[0].methods;
        assert_eq!(methods.len(), 1, "{methods:?}");
        assert_eq!(methods[0].kind, MethodKind::Get);
        assert_eq!(methods[0].verb, SqlVerb::Select);
        assert_eq!(methods[0].required_params, ["data__Identifier", "region"]);
    }

    #[test]
    fn an_unknown_sql_verb_names_the_file_and_the_path() {
        let err = fixture(
            "        A:\n          type: string\n",
            "",
            "get\n      sqlVerbs:\n        upsert: []",
        )
        .expect_err("must fail");
        let text = err.to_string();
        assert!(text.starts_with("t.yaml: "), "{text}");
        assert!(
            text.contains("at `components.x-stackQL-resources.things.sqlVerbs.upsert`"),
            "{text}"
        );
        assert!(
            text.contains(
                "unknown SQL verb `upsert` (expected select, insert, update, replace, delete or exec)"
            ),
            "{text}"
        );
    }
}
