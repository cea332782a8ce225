//! A `x-stackQL-resources` entry: a Cloud Control resource (it names a CloudFormation schema)
//! or an API resource (its methods are operations under `paths`).

use super::properties::property_sets;
use super::Cx;
use crate::error::Result;
use crate::model::{Method, MethodKind, PropertySets, Resource, ResourceKind, SqlVerb};
use provider_spec::document::{RawResource, RawService};

impl Cx<'_> {
    /// A Cloud Control resource: one that names a CloudFormation schema.
    pub(super) fn cloud_control_resource(
        &self,
        name: &str,
        resource: &RawResource,
        schema_name: &str,
        at: &str,
    ) -> Result<Resource> {
        let schema = self.components.schemas.get(schema_name).ok_or_else(|| {
            self.invalid(
                &format!("{at}.x-cfn-schema-name"),
                format!("no schema `{schema_name}` in components.schemas"),
            )
        })?;
        let kind = ResourceKind::from_x_type(resource.kind.as_deref())
            .map_err(|e| self.invalid(&format!("{at}.x-type"), e.to_string()))?;
        let schema_at = format!("components.schemas.{schema_name}");
        // A type name is quoted in docs and code: it must be a CloudFormation type name.
        for (type_name, type_at) in [
            (&resource.type_name, format!("{at}.x-cfn-type-name")),
            (&schema.type_name, format!("{schema_at}.x-type-name")),
        ] {
            if let Some(type_name) = type_name {
                provider_spec::names::split_type_name(type_name)
                    .map_err(|e| self.invalid(&type_at, e.to_string()))?;
            }
        }
        let properties = schema.properties.as_ref();
        for (index, identifier) in resource.identifiers.iter().enumerate() {
            let outer = identifier.split('/').next().unwrap_or(identifier);
            if !properties.is_some_and(|p| p.contains_key(outer)) {
                return Err(self.invalid(
                    &format!("{at}.x-identifiers.{index}"),
                    format!(
                        "identifier `{identifier}` is not a property of schema `{schema_name}`"
                    ),
                ));
            }
        }
        let fields = match kind {
            ResourceKind::List | ResourceKind::CreateOnly => resource
                .identifiers
                .iter()
                .map(|identifier| self.identifier_field(schema, identifier, &schema_at))
                .collect::<Result<Vec<_>>>()?,
            _ => self.property_fields(schema, &schema_at, true)?,
        };
        let methods = self.cloud_control_methods(name, resource, kind, schema, at)?;
        Ok(Resource {
            name: name.to_owned(),
            id: self.resource_id(name),
            kind,
            type_name: provider_spec::index::type_name(resource, &self.components.schemas)
                .map(str::to_owned),
            schema_name: Some(schema_name.to_owned()),
            description: schema.description.clone(),
            identifiers: resource.identifiers.clone(),
            fields,
            methods,
            permissions: schema.required_permissions.clone(),
            properties: property_sets(resource, schema),
            example_where_clause: schema
                .example_where_clause
                .clone()
                .filter(|w| !w.is_empty()),
        })
    }

    /// A resource of a non-Cloud-Control service: its methods are operations under `paths`.
    pub(super) fn api_resource(
        &self,
        raw: &RawService,
        name: &str,
        resource: &RawResource,
        at: &str,
    ) -> Result<Resource> {
        let mut rows: Vec<(String, SqlVerb)> = Vec::new();
        for (verb, method_name) in self.sql_verb_entries(name, resource, at)? {
            if !rows.iter().any(|(m, _)| m == method_name) {
                rows.push((method_name.to_owned(), verb));
            }
        }
        // Methods no SQL verb reaches are still callable, as EXEC.
        for method_name in resource.methods.keys() {
            if !rows.iter().any(|(m, _)| m == method_name) {
                rows.push((method_name.clone(), SqlVerb::Exec));
            }
        }
        let mut methods = Vec::with_capacity(rows.len());
        for (method_name, verb) in rows {
            let method_at = format!("{at}.methods.{method_name}.operation.$ref");
            let raw_method = &resource.methods[&method_name];
            let (path_item, operation) =
                self.operation(raw, &raw_method.operation.reference, &method_at)?;
            let mut params: Vec<String> = Vec::new();
            for parameter in path_item.parameters.iter().chain(&operation.parameters) {
                let parameter = self.parameter(parameter, &method_at)?;
                let data = parameter.parameter_data_ref();
                if data.required && !params.contains(&data.name) {
                    params.push(data.name.clone());
                }
            }
            params.push("region".to_owned());
            methods.push(Method {
                kind: MethodKind::from_name(&method_name),
                verb,
                required_params: params,
            });
        }
        let fields = match methods.iter().find(|m| m.verb == SqlVerb::Select) {
            Some(select) => self.response_fields(raw, resource, select.kind.as_str(), at)?,
            None => Vec::new(),
        };
        Ok(Resource {
            name: name.to_owned(),
            id: self.resource_id(name),
            kind: ResourceKind::Api,
            type_name: None,
            schema_name: None,
            description: resource.title.clone(),
            identifiers: Vec::new(),
            fields,
            methods,
            permissions: None,
            properties: PropertySets::default(),
            example_where_clause: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture as service;

    #[test]
    fn identifier_must_be_a_property() {
        let err =
            service("        B:\n          type: string\n", "", "list").expect_err("must fail");
        let text = err.to_string();
        assert!(
            text.contains("components.x-stackQL-resources.things.x-identifiers.0"),
            "{text}"
        );
        assert!(text.contains("identifier `A` is not a property"), "{text}");
    }

    #[test]
    fn the_id_is_provider_service_and_name() {
        let service = service("        A:\n          type: string\n", "", "list").expect("builds");
        assert_eq!(service.resources[0].id, "p.t.things");
    }

    /// StackQL's `replace` verb (a full update through `PUT`) reaches its method, and methods
    /// no verb reaches are `EXEC`.
    #[test]
    fn an_api_resource_reaches_methods_through_replace_and_exec() {
        let text = "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /things/{id}:\n    parameters:\n      - name: id\n        in: path\n        required: true\n        schema:\n          type: string\n    put:\n      responses:\n        '200':\n          description: ok\n    post:\n      responses:\n        '200':\n          description: ok\ncomponents:\n  x-stackQL-resources:\n    things:\n      title: Things\n      methods:\n        put_thing:\n          operation:\n            $ref: '#/paths/~1things~1{id}/put'\n        poke_thing:\n          operation:\n            $ref: '#/paths/~1things~1{id}/post'\n      sqlVerbs:\n        replace:\n          - $ref: '#/components/x-stackQL-resources/things/methods/put_thing'\n";
        let raw: super::super::RawService =
            provider_spec::document::parse_yaml(std::path::Path::new("t.yaml"), text)
                .expect("parses");
        let service =
            super::super::service("p", "t", std::path::Path::new("t.yaml"), &raw).expect("builds");
        let methods = &service.resources[0].methods;
        let verbs: Vec<(&str, provider_spec::kinds::SqlVerb)> =
            methods.iter().map(|m| (m.kind.as_str(), m.verb)).collect();
        assert_eq!(
            verbs,
            [
                ("put_thing", provider_spec::kinds::SqlVerb::Replace),
                ("poke_thing", provider_spec::kinds::SqlVerb::Exec),
            ]
        );
        assert_eq!(methods[0].verb.as_str(), "REPLACE");
        assert_eq!(methods[0].required_params, ["id", "region"]);
    }

    #[test]
    fn unknown_resource_type_is_rejected() {
        let err =
            service("        A:\n          type: string\n", "", "bogus").expect_err("must fail");
        assert!(err.to_string().contains("x-type"), "{err}");
    }
}
