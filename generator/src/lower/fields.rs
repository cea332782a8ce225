//! The docs fields of a resource: its identifiers (list and create-only resources), its
//! schema's properties (singular resources), or the members of its SELECT method's response
//! (API resources), with their datatypes.

use super::schema::states_a_shape;
use super::Cx;
use crate::error::Result;
use crate::model::Field;
use crate::naming::column_name;
use provider_spec::document::{RawResource, RawSchema, RawService, TypeField};
use provider_spec::refs::MAX_REF_DEPTH;

impl Cx<'_> {
    /// Docs field of an identifier of a list or create-only resource.
    pub(super) fn identifier_field(
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
    pub(super) fn property_fields(
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
    pub(super) fn datatype(
        &self,
        schema: &RawSchema,
        through_all_of: bool,
        at: &str,
    ) -> Result<String> {
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

    /// Fields of a non-Cloud-Control resource: the properties of its SELECT method's response,
    /// descending along `response.objectKey` where it can be followed.
    pub(super) fn response_fields(
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

    /// Descends along an object key (`/*/A/member` or `$.A.B`); `None` when a step cannot be
    /// followed.
    pub(super) fn descend<'s>(
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

#[cfg(test)]
mod tests {
    use super::super::fixture as service;

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
}
