//! Schema nodes: `$ref` resolution and the shape of values ([`Node`], [`Shape`]).

use super::Cx;
use crate::error::Result;
use crate::model::{Node, Shape};
use indexmap::IndexMap;
use provider_spec::document::{AdditionalProperties, RawSchema, TypeField};
use provider_spec::refs::MAX_REF_DEPTH;

impl Cx<'_> {
    /// The schema a `$ref` names, or an error at `at`.
    pub(super) fn target(&self, reference: &str, at: &str) -> Result<(&str, &RawSchema)> {
        provider_spec::refs::resolve(&self.components.schemas, reference)
            .map_err(|e| self.invalid(at, e.to_string()))
    }

    /// Follows `$ref` chains to the schema that states something.
    pub(super) fn follow<'s>(
        &'s self,
        mut schema: &'s RawSchema,
        at: &str,
    ) -> Result<&'s RawSchema> {
        for _ in 0..MAX_REF_DEPTH {
            match &schema.reference {
                Some(reference) => schema = self.target(reference, at)?.1,
                None => return Ok(schema),
            }
        }
        Err(self.invalid(at, "cyclic $ref chain"))
    }

    /// Converts a raw schema into a model node, checking every reference inside it.
    pub(super) fn node(&self, raw: &RawSchema, at: &str) -> Result<Node> {
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

    pub(super) fn shape(&self, raw: &RawSchema, at: &str) -> Result<Shape> {
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

    pub(super) fn items(&self, raw: &RawSchema, at: &str) -> Result<Node> {
        match &raw.items {
            Some(items) => self.node(items, &format!("{at}.items")),
            None => Ok(Node::any()),
        }
    }

    pub(super) fn object(&self, raw: &RawSchema, at: &str) -> Result<Shape> {
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

    /// Follows `$ref`s and single-part `allOf` wrappers.
    pub(super) fn resolve<'s>(&'s self, schema: &'s RawSchema, at: &str) -> Result<&'s RawSchema> {
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
}

/// Whether a schema says anything about shape (as opposed to only a description).
pub(super) fn states_a_shape(schema: &RawSchema) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::fixture as service;
    use crate::model::Shape;

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
}
