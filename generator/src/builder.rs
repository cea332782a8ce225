//! Checks a parsed service document and builds its [`Service`] model.
//!
//! Every check names the file and the path inside it: a `$ref` to a missing schema, a resource
//! whose `x-cfn-schema-name` names no schema, an identifier that is not a property, a SQL verb
//! pointing at a missing method, a method whose operation is not under `paths`.

use crate::error::{Error, Result};
use crate::model::{Field, Method, Node, PropertySets, Resource, ResourceKind, Service, Shape};
use crate::naming::column_name;
use crate::spec::{
    AdditionalProperties, RawComponents, RawResource, RawSchema, RawService, TypeField,
};
use indexmap::IndexMap;
use std::path::Path;

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";
const PARAMETER_REF_PREFIX: &str = "#/components/parameters/";
const PATH_REF_PREFIX: &str = "#/paths/";
/// Deepest `$ref` chain followed before declaring a cycle.
const MAX_REF_DEPTH: usize = 64;

/// Builds the model of one service from its parsed document.
pub fn build_service(name: &str, file: &Path, raw: &RawService) -> Result<Service> {
    let cx = Cx {
        file,
        components: &raw.components,
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
                cx.cloud_control_resource(name, resource_name, resource, schema_name, &at)?
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
struct Cx<'a> {
    file: &'a Path,
    components: &'a RawComponents,
}

impl Cx<'_> {
    fn invalid(&self, at: &str, message: impl Into<String>) -> Error {
        Error::invalid(self.file, at, message)
    }

    /// The schema a `$ref` names, or an error at `at`.
    fn target(&self, reference: &str, at: &str) -> Result<(&str, &RawSchema)> {
        let Some(encoded) = reference.strip_prefix(SCHEMA_REF_PREFIX) else {
            return Err(self.invalid(
                at,
                format!("unsupported $ref `{reference}` (expected {SCHEMA_REF_PREFIX}<name>)"),
            ));
        };
        let name = unescape_pointer(encoded);
        match self.components.schemas.get_key_value(name.as_ref()) {
            Some((key, schema)) => Ok((key.as_str(), schema)),
            None => Err(self.invalid(
                at,
                format!(
                    "unresolvable $ref `{reference}`: no schema `{name}` in components.schemas"
                ),
            )),
        }
    }

    /// Follows `$ref` chains to the schema that states something.
    fn follow<'s>(&'s self, mut schema: &'s RawSchema, at: &str) -> Result<&'s RawSchema> {
        for _ in 0..MAX_REF_DEPTH {
            match &schema.reference {
                Some(reference) => schema = self.target(reference, at)?.1,
                None => return Ok(schema),
            }
        }
        Err(self.invalid(at, "cyclic $ref chain"))
    }

    /// Converts a raw schema into a model node, checking every reference inside it.
    fn node(&self, raw: &RawSchema, at: &str) -> Result<Node> {
        let declared_type = raw.ty.as_ref().map(|ty| match ty {
            TypeField::One(one) => one.clone(),
            TypeField::Many(many) => many.join(", "),
        });
        let description = raw.description.clone();
        let shape = self.shape(raw, at)?;
        Ok(Node {
            description,
            declared_type,
            shape,
        })
    }

    fn shape(&self, raw: &RawSchema, at: &str) -> Result<Shape> {
        if let Some(reference) = &raw.reference {
            let (name, _) = self.target(reference, &format!("{at}.$ref"))?;
            return Ok(Shape::Ref(name.to_owned()));
        }
        if let Some(parts) = &raw.all_of {
            // `allOf: [{$ref: X}, {description: ...}]` is how AWS API specs attach a description
            // to a reference; a single substantive part is that part, anything else is open.
            let substantive: Vec<(usize, &RawSchema)> = parts
                .iter()
                .enumerate()
                .filter(|(_, p)| states_a_shape(p))
                .collect();
            if let [(index, part)] = substantive.as_slice() {
                if raw.ty.is_none() && raw.properties.is_none() {
                    return self.shape(part, &format!("{at}.allOf.{index}"));
                }
            }
            for (index, part) in parts.iter().enumerate() {
                self.node(part, &format!("{at}.allOf.{index}"))?;
            }
        }
        for (keyword, alternatives) in [("oneOf", &raw.one_of), ("anyOf", &raw.any_of)] {
            for (index, part) in alternatives.iter().flatten().enumerate() {
                self.node(part, &format!("{at}.{keyword}.{index}"))?;
            }
        }
        let ty = match &raw.ty {
            Some(TypeField::One(one)) => Some(one.as_str()),
            Some(TypeField::Many(_)) => return Ok(Shape::Any),
            None => None,
        };
        let shape = match ty {
            Some("string") => Shape::String {
                enum_values: string_enum(raw),
            },
            Some("integer") => Shape::Integer,
            Some("number") => Shape::Number,
            Some("boolean") => Shape::Boolean,
            Some("array") => Shape::Array(Box::new(self.items(raw, at)?)),
            Some("object") | None => {
                if ty.is_none() && raw.items.is_some() {
                    Shape::Array(Box::new(self.items(raw, at)?))
                } else if ty.is_none()
                    && raw.properties.is_none()
                    && (raw.one_of.is_some() || raw.any_of.is_some())
                {
                    Shape::Any
                } else {
                    self.object(raw, at)?
                }
            }
            // `null` or an unknown type name: nothing typed can be said.
            Some(_) => Shape::Any,
        };
        Ok(shape)
    }

    fn items(&self, raw: &RawSchema, at: &str) -> Result<Node> {
        match &raw.items {
            Some(items) => self.node(items, &format!("{at}.items")),
            None => Ok(Node::any()),
        }
    }

    fn object(&self, raw: &RawSchema, at: &str) -> Result<Shape> {
        if let Some(properties) = raw.properties.as_ref().filter(|p| !p.is_empty()) {
            let mut converted = IndexMap::with_capacity(properties.len());
            for (name, property) in properties {
                converted.insert(
                    name.clone(),
                    self.node(property, &format!("{at}.properties.{name}"))?,
                );
            }
            let closed = matches!(
                raw.additional_properties,
                Some(AdditionalProperties::Flag(false))
            );
            return Ok(Shape::Object {
                properties: converted,
                required: raw.required.clone().unwrap_or_default(),
                closed,
            });
        }
        if let Some(AdditionalProperties::Schema(values)) = &raw.additional_properties {
            return Ok(Shape::Map(Box::new(
                self.node(values, &format!("{at}.additionalProperties"))?,
            )));
        }
        for (keyword, patterns) in [
            ("x-patternProperties", &raw.x_pattern_properties),
            ("patternProperties", &raw.pattern_properties),
        ] {
            let Some(patterns) = patterns.as_ref().filter(|p| !p.is_empty()) else {
                continue;
            };
            let mut values = Vec::with_capacity(patterns.len());
            for (pattern, value) in patterns {
                values.push(self.node(value, &format!("{at}.{keyword}.{pattern}"))?);
            }
            // One value type for every key pattern makes a typed map; mixed ones stay open.
            let first = values[0].clone();
            let value = if values.iter().all(|v| v.shape == first.shape) {
                first
            } else {
                Node::any()
            };
            return Ok(Shape::Map(Box::new(value)));
        }
        Ok(Shape::Any)
    }

    /// A Cloud Control resource: one that names a CloudFormation schema.
    fn cloud_control_resource(
        &self,
        service: &str,
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
        let kind = match resource.kind.as_deref() {
            Some("list") => ResourceKind::List,
            Some("get") => ResourceKind::Get,
            Some("custom_list") => ResourceKind::CustomList,
            None => ResourceKind::CreateOnly,
            Some(other) => {
                return Err(self.invalid(
                    &format!("{at}.x-type"),
                    format!("unknown resource type `{other}` (expected list, get or custom_list)"),
                ))
            }
        };
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
        let id = resource
            .id
            .clone()
            .unwrap_or_else(|| format!("aws.{service}.{name}"));
        Ok(Resource {
            name: name.to_owned(),
            id,
            kind,
            type_name: resource
                .type_name
                .clone()
                .or_else(|| schema.type_name.clone()),
            schema_name: Some(schema_name.to_owned()),
            description: schema.description.clone(),
            identifiers: resource.identifiers.clone(),
            fields,
            methods,
            permissions: schema.required_permissions.clone(),
            properties: property_sets(schema),
            example_where_clause: schema
                .example_where_clause
                .clone()
                .filter(|w| !w.is_empty()),
        })
    }

    fn cloud_control_methods(
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

    /// Docs field of an identifier of a list or create-only resource.
    fn identifier_field(
        &self,
        schema: &RawSchema,
        identifier: &str,
        schema_at: &str,
    ) -> Result<Field> {
        let properties = schema.properties.as_ref();
        let (datatype, description) = match identifier.split_once('/') {
            None => {
                let property = properties.and_then(|p| p.get(identifier));
                match property {
                    Some(p) => (
                        self.datatype(p, false, &format!("{schema_at}.properties.{identifier}"))?,
                        p.description.clone(),
                    ),
                    None => ("string".to_owned(), None),
                }
            }
            Some((outer, rest)) => {
                let inner_name = rest.rsplit('/').next().unwrap_or(rest);
                let outer_at = format!("{schema_at}.properties.{outer}");
                let inner = match properties.and_then(|p| p.get(outer)) {
                    Some(outer_schema) => self
                        .follow(outer_schema, &outer_at)?
                        .properties
                        .as_ref()
                        .and_then(|p| p.get(inner_name)),
                    None => None,
                };
                match inner {
                    Some(p) => (
                        self.datatype(p, false, &format!("{outer_at}.{inner_name}"))?,
                        p.description.clone(),
                    ),
                    None => ("string".to_owned(), None),
                }
            }
        };
        Ok(Field {
            name: identifier.to_owned(),
            column: column_name(identifier),
            datatype,
            description,
        })
    }

    /// Docs fields of every property of `schema`, in document order.
    fn property_fields(
        &self,
        schema: &RawSchema,
        schema_at: &str,
        cloud_control: bool,
    ) -> Result<Vec<Field>> {
        let mut fields = Vec::new();
        for (name, property) in schema.properties.iter().flatten() {
            let at = format!("{schema_at}.properties.{name}");
            let datatype = self.datatype(property, !cloud_control, &at)?;
            let description = property.description.clone().or_else(|| {
                if cloud_control {
                    None
                } else {
                    property
                        .all_of
                        .iter()
                        .flatten()
                        .find_map(|p| p.description.clone())
                }
            });
            let column = if cloud_control {
                column_name(name)
            } else {
                name.clone()
            };
            fields.push(Field {
                name: name.clone(),
                column,
                datatype,
                description,
            });
        }
        Ok(fields)
    }

    /// The docs datatype of a schema: its `type`; else, for a `$ref`, the type of the referenced
    /// schema; else `array` when (after following `$ref`) it has `items`, otherwise `object`.
    /// `through_all_of` also looks inside `allOf` parts (AWS API specs wrap references in them).
    fn datatype(&self, schema: &RawSchema, through_all_of: bool, at: &str) -> Result<String> {
        let mut current = schema;
        for _ in 0..MAX_REF_DEPTH {
            // The referenced schema's type wins: OpenAPI 3.0 ignores the siblings of `$ref`
            // (memorydb `Cluster.DataTiering` is a `$ref` to a string enum with `type: object`
            // beside it).
            if let Some(reference) = &current.reference {
                current = self.target(reference, at)?.1;
                continue;
            }
            if let Some(ty) = &current.ty {
                return Ok(match ty {
                    TypeField::One(one) => one.clone(),
                    TypeField::Many(many) => many.join(", "),
                });
            }
            if through_all_of {
                if let Some(part) = current.all_of.iter().flatten().find(|p| states_a_shape(p)) {
                    current = part;
                    continue;
                }
            }
            return Ok(if current.items.is_some() {
                "array"
            } else {
                "object"
            }
            .to_owned());
        }
        Err(self.invalid(at, "cyclic $ref chain"))
    }

    /// A resource of a non-Cloud-Control service: its methods are operations under `paths`.
    fn api_resource(
        &self,
        raw: &RawService,
        name: &str,
        resource: &RawResource,
        at: &str,
    ) -> Result<Resource> {
        let mut rows: Vec<(String, String)> = Vec::new();
        for (verb, refs) in &resource.sql_verbs {
            for (index, reference) in refs.iter().enumerate() {
                let method_name = self.sql_verb_target(
                    name,
                    resource,
                    &reference.reference,
                    &format!("{at}.sqlVerbs.{verb}.{index}"),
                )?;
                if !rows.iter().any(|(m, _)| m == method_name) {
                    rows.push((method_name.to_owned(), verb.to_uppercase()));
                }
            }
        }
        // Methods no SQL verb reaches are still callable, as EXEC.
        for method_name in resource.methods.keys() {
            if !rows.iter().any(|(m, _)| m == method_name) {
                rows.push((method_name.clone(), "EXEC".to_owned()));
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
                name: method_name,
                verb,
                required_params: params,
            });
        }
        let fields = match methods.iter().find(|m| m.verb == "SELECT") {
            Some(select) => self.response_fields(raw, resource, &select.name, at)?,
            None => Vec::new(),
        };
        Ok(Resource {
            name: name.to_owned(),
            id: resource.id.clone().unwrap_or_default(),
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

    /// The path item and operation a method's `operation.$ref` points at.
    fn operation<'r>(
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

    fn parameter<'r>(
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

    /// Fields of a non-Cloud-Control resource: the properties of its SELECT method's response,
    /// descending along `response.objectKey` where it can be followed.
    fn response_fields(
        &self,
        raw: &RawService,
        resource: &RawResource,
        method_name: &str,
        at: &str,
    ) -> Result<Vec<Field>> {
        let method_at = format!("{at}.methods.{method_name}");
        let raw_method = &resource.methods[method_name];
        let (_, operation) = self.operation(
            raw,
            &raw_method.operation.reference,
            &format!("{method_at}.operation.$ref"),
        )?;
        let response_spec = raw_method.response.as_ref();
        let doc_key = response_spec
            .and_then(|r| r.doc_key.as_deref())
            .unwrap_or("200");
        let response = operation
            .responses
            .responses
            .iter()
            .find_map(|(status, response)| {
                let matches = match status {
                    openapiv3::StatusCode::Code(code) => code.to_string() == doc_key,
                    openapiv3::StatusCode::Range(range) => format!("{range}XX") == doc_key,
                };
                matches.then_some(response)
            });
        let Some(openapiv3::ReferenceOr::Item(response)) = response else {
            return Ok(Vec::new());
        };
        let media_type = response_spec.and_then(|r| r.media_type.as_deref());
        let content = media_type
            .and_then(|m| response.content.get(m))
            .or_else(|| response.content.values().next());
        let Some(schema) = content.and_then(|c| c.schema.as_ref()) else {
            return Ok(Vec::new());
        };
        // The operation schema is an `openapiv3` value; re-read it as a raw schema so the same
        // reference and `allOf` rules apply as for named schemas.
        let root: RawSchema = serde_json::to_value(schema)
            .and_then(serde_json::from_value)
            .map_err(|e| self.invalid(&method_at, format!("response schema: {e}")))?;
        let object_key = response_spec
            .and_then(|r| r.object_key.as_deref())
            .unwrap_or("");
        let target = match self.descend(&root, object_key, &method_at)? {
            Some(target) => target,
            None => self.resolve(&root, &method_at)?,
        };
        let target = self.resolve(target, &method_at)?;
        let target = match &target.items {
            Some(items) => self.resolve(items, &method_at)?,
            None => target,
        };
        self.property_fields(target, &format!("{method_at}.response"), false)
    }

    /// Follows `$ref`s and single-part `allOf` wrappers.
    fn resolve<'s>(&'s self, schema: &'s RawSchema, at: &str) -> Result<&'s RawSchema> {
        let mut current = schema;
        for _ in 0..MAX_REF_DEPTH {
            if let Some(reference) = &current.reference {
                current = self.target(reference, at)?.1;
            } else if let (None, None, Some(part)) = (
                &current.properties,
                &current.items,
                current.all_of.iter().flatten().find(|p| states_a_shape(p)),
            ) {
                current = part;
            } else {
                return Ok(current);
            }
        }
        Err(self.invalid(at, "cyclic $ref chain"))
    }

    /// Descends along an object key (`/*/A/member` or `$.A.B`); `None` when a step cannot be
    /// followed.
    fn descend<'s>(
        &'s self,
        root: &'s RawSchema,
        object_key: &str,
        at: &str,
    ) -> Result<Option<&'s RawSchema>> {
        let steps: Vec<&str> = if let Some(xml) = object_key.strip_prefix("/*") {
            xml.split('/').filter(|s| !s.is_empty()).collect()
        } else if let Some(json) = object_key.strip_prefix('$') {
            json.split('.').filter(|s| !s.is_empty()).collect()
        } else {
            return Ok(None);
        };
        let mut current = self.resolve(root, at)?;
        for step in steps {
            let step = step.trim_end_matches("[*]");
            let property = current.properties.as_ref().and_then(|p| p.get(step));
            current = match (property, &current.items) {
                (Some(property), _) => self.resolve(property, at)?,
                // XML list members (`member`, `item`) are the array's items.
                (None, Some(items)) if matches!(step, "member" | "item" | "*") => {
                    self.resolve(items, at)?
                }
                (None, _) if step == "*" => {
                    match current.properties.as_ref().filter(|p| p.len() == 1) {
                        Some(only) => match only.values().next() {
                            Some(child) => self.resolve(child, at)?,
                            None => return Ok(None),
                        },
                        None => return Ok(None),
                    }
                }
                _ => return Ok(None),
            };
        }
        Ok(Some(current))
    }
}

/// Whether a schema says anything about shape (as opposed to only a description).
fn states_a_shape(schema: &RawSchema) -> bool {
    schema.reference.is_some()
        || schema.ty.is_some()
        || schema.properties.is_some()
        || schema.items.is_some()
        || schema.all_of.is_some()
        || schema.one_of.is_some()
        || schema.any_of.is_some()
}

fn string_enum(raw: &RawSchema) -> Vec<String> {
    raw.enumeration
        .iter()
        .flatten()
        .filter_map(|value| match value {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        })
        .collect()
}

fn method(name: &str, verb: &str, params: &[&str]) -> Method {
    Method {
        name: name.to_owned(),
        verb: verb.to_owned(),
        required_params: params.iter().map(|p| (*p).to_owned()).collect(),
    }
}

/// Property paths as written in the schema (`/properties/A/B` or `A`) → `A/B` / `A`.
fn property_paths(paths: &Option<Vec<String>>) -> Vec<String> {
    paths
        .iter()
        .flatten()
        .map(|p| {
            p.strip_prefix("/properties/")
                .unwrap_or(p)
                .replace("/properties/", "/")
                .replace("/*/", "/")
        })
        .collect()
}

fn property_sets(schema: &RawSchema) -> PropertySets {
    PropertySets {
        read_only: property_paths(&schema.read_only_properties),
        create_only: property_paths(&schema.create_only_properties),
        write_only: property_paths(&schema.write_only_properties),
        required: schema
            .required_properties
            .clone()
            .or_else(|| schema.required.clone())
            .unwrap_or_default(),
        list_required: schema.list_required_properties.clone().unwrap_or_default(),
        primary_identifier: property_paths(&schema.primary_identifier),
    }
}

/// Decodes a JSON pointer segment (`~1` → `/`, `~0` → `~`).
fn unescape_pointer(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains('~') {
        std::borrow::Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_yaml;

    /// Builds a one-resource service whose `Thing` schema has `properties`, plus `extra`
    /// schemas (both YAML fragments indented for their place).
    fn service(properties: &str, extra: &str, kind: &str) -> Result<Service> {
        let text = format!(
            "openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{extra}    Thing:\n      type: object\n      properties:\n{properties}  x-stackQL-resources:\n    things:\n      x-cfn-schema-name: Thing\n      x-identifiers: [A]\n      methods: {{}}\n      x-type: {kind}\n"
        );
        let raw: RawService = parse_yaml(Path::new("t.yaml"), &text)?;
        build_service("t", Path::new("t.yaml"), &raw)
    }

    fn datatypes(properties: &str, extra: &str) -> Vec<(String, String)> {
        let service = service(properties, extra, "get").expect("fixture builds");
        service.resources[0]
            .fields
            .iter()
            .map(|f| (f.column.clone(), f.datatype.clone()))
            .collect()
    }

    #[test]
    fn datatype_is_the_type_then_the_referenced_type_then_array_or_object() {
        let extra = "    Str:\n      type: string\n    Listy:\n      items:\n        type: string\n    Bare:\n      description: nothing\n    Chain:\n      $ref: '#/components/schemas/Str'\n";
        let properties = "        A:\n          type: integer\n        B:\n          $ref: '#/components/schemas/Str'\n        C:\n          $ref: '#/components/schemas/Listy'\n        D:\n          $ref: '#/components/schemas/Bare'\n        E:\n          description: untyped\n        F:\n          items: {type: string}\n        G:\n          $ref: '#/components/schemas/Chain'\n        H:\n          allOf:\n            - $ref: '#/components/schemas/Str'\n        I:\n          $ref: '#/components/schemas/Str'\n          type: object\n        J:\n          $ref: '#/components/schemas/Bare'\n          type: string\n";
        let got = datatypes(properties, extra);
        let expected = [
            ("a", "integer"),
            ("b", "string"),
            ("c", "array"),
            ("d", "object"),
            ("e", "object"),
            ("f", "array"),
            ("g", "string"),
            ("h", "object"),
            ("i", "string"),
            ("j", "object"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn ref_siblings_keep_their_description() {
        let extra = "    Str:\n      type: string\n      description: of the target\n";
        let service = service("        A:\n          $ref: '#/components/schemas/Str'\n          description: of the property\n", extra, "get").expect("builds");
        assert_eq!(
            service.resources[0].fields[0].description.as_deref(),
            Some("of the property")
        );
    }

    #[test]
    fn shapes_cover_enums_maps_arrays_and_open_values() {
        let properties = "        A:\n          type: string\n          enum: [X, Y]\n        B:\n          type: object\n          additionalProperties:\n            type: integer\n        C:\n          type: object\n          x-patternProperties:\n            '^a':\n              type: string\n        D:\n          oneOf:\n            - type: string\n            - type: integer\n        E:\n          type: array\n";
        let service = service(properties, "", "get").expect("builds");
        let Shape::Object { properties, .. } = &service.schemas["Thing"].shape else {
            panic!("object expected")
        };
        assert_eq!(
            properties["A"].shape,
            Shape::String {
                enum_values: vec!["X".into(), "Y".into()]
            }
        );
        assert!(matches!(&properties["B"].shape, Shape::Map(v) if v.shape == Shape::Integer));
        assert!(
            matches!(&properties["C"].shape, Shape::Map(v) if matches!(v.shape, Shape::String { .. }))
        );
        assert_eq!(properties["D"].shape, Shape::Any);
        assert!(matches!(&properties["E"].shape, Shape::Array(items) if items.shape == Shape::Any));
    }

    #[test]
    fn unresolvable_ref_names_the_path() {
        let err = service(
            "        A:\n          $ref: '#/components/schemas/Nope'\n",
            "",
            "get",
        )
        .expect_err("must fail");
        let text = err.to_string();
        assert!(text.contains("t.yaml"), "{text}");
        assert!(
            text.contains("components.schemas.Thing.properties.A.$ref"),
            "{text}"
        );
        assert!(text.contains("Nope"), "{text}");
    }

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
    fn unknown_resource_type_is_rejected() {
        let err =
            service("        A:\n          type: string\n", "", "bogus").expect_err("must fail");
        assert!(err.to_string().contains("x-type"), "{err}");
    }

    #[test]
    fn property_paths_drop_the_properties_prefix() {
        let paths = Some(vec![
            "/properties/Arn".to_owned(),
            "/properties/Config/properties/Id".to_owned(),
            "Name".to_owned(),
        ]);
        assert_eq!(property_paths(&paths), vec!["Arn", "Config/Id", "Name"]);
    }
}
