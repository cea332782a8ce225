//! Type resolution for one service (the typify-like part): which Rust types the service module
//! defines, their unique names, their fields and which fields must be boxed. Works on the
//! model only and produces plain data; [`super::items`] turns it into tokens.
//!
//! Naming is deterministic and priority-ordered, so the most important names are the stable
//! ones: resource models first (schema order), then create inputs (`Create<Model>`), then the
//! named schemas they reach (schema order), then inline types as they are met walking fields
//! in document order (`<Parent><Property>`, `…Item` for array items, `…Value` for map values).
//! A name already taken gets the first free numeric suffix (`Tag2`), so two types that both
//! call something `Tag` still get two Rust types.
//!
//! Two shapes of every struct: reads return the *read shape* (the model and every struct it
//! reaches: every member optional, members the schema does not list kept in an `extra` map),
//! creates and updates send the *input shape* (required members required, no `extra`). A nested
//! struct that an input reaches therefore gets a second type, its input twin, named
//! `<ReadName>Input` (claimed after every other name, so read names never change). String
//! enums are shared: they already keep unknown values (in the sealed `crate::UnknownValue`).

use crate::model::{MethodKind, Node, PropertySets, Resource, Service, Shape};
use crate::naming::{field_ident, setter_ident, type_ident, variant_ident};
use indexmap::{IndexMap, IndexSet};
use provider_spec::unique::UniqueNames;
use std::collections::BTreeSet;

/// Sets one CloudFormation flag on a field.
type MarkFn = fn(&mut Field);

/// Deepest chain of `$ref`s to non-object schemas followed before giving up with `Value`.
const MAX_ALIAS_DEPTH: usize = 32;

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// `::std::string::String`.
    String,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `::serde_json::Value`.
    Value,
    /// `::std::vec::Vec<T>`.
    Vec(Box<Ty>),
    /// `::std::collections::BTreeMap<::std::string::String, T>`.
    Map(Box<Ty>),
    /// A type of this service, by index in [`ServiceTypes::types`].
    Named(usize),
}

impl Ty {
    /// The named type directly held (not through a collection), if any.
    pub(crate) fn direct(&self) -> Option<usize> {
        match self {
            Ty::Named(index) => Some(*index),
            _ => None,
        }
    }

    /// The named type held directly or as collection element.
    pub(crate) fn element(&self) -> Option<usize> {
        match self {
            Ty::Named(index) => Some(*index),
            Ty::Vec(inner) | Ty::Map(inner) => inner.element(),
            _ => None,
        }
    }
}

/// A field of a generated struct.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Property name in CloudFormation's JSON (the serde name).
    pub serde: String,
    /// Rust identifier (possibly raw: `r#type`).
    pub ident: String,
    /// Setter name for optional fields (`with_…`).
    pub setter: String,
    /// Value type.
    pub ty: Ty,
    /// Listed in the object's `required`.
    pub required: bool,
    /// Whether `Option<T>` (for nested types: not required, or read-only/write-only somewhere).
    pub optional: bool,
    /// Whether the value is boxed (recursion).
    pub boxed: bool,
    /// Description of the property.
    pub description: Option<String>,
    /// Marked `x-read-only-properties`.
    pub read_only: bool,
    /// Marked `x-create-only-properties`.
    pub create_only: bool,
    /// Marked `x-write-only-properties`.
    pub write_only: bool,
}

/// Where a generated type comes from (decides its docs).
#[derive(Debug, Clone)]
pub(crate) enum Origin {
    /// The model of a CloudFormation resource type.
    Model {
        /// `AWS::CodeConnections::Connection`.
        type_name: String,
    },
    /// A named schema of `components.schemas`.
    Schema(String),
    /// An inline object or enum of a property.
    Inline {
        /// Rust name of the parent type.
        parent: String,
        /// Property path below the parent (`Tags`, `Tags[]`).
        property: String,
    },
}

/// Struct or enum.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// A struct with fields in document order.
    Struct(Vec<Field>),
    /// A string enum: `(variant ident, value)` in document order.
    Enum(Vec<(String, String)>),
}

/// Which side of the API a struct serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// What reads return: every member optional, unknown members kept in `extra`.
    Read,
    /// What creates and updates send: the input twin of the read shape at this index.
    Input {
        /// Index of the read shape in [`ServiceTypes::types`].
        read: usize,
    },
}

/// A generated type.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    /// Unique Rust name within the service.
    pub name: String,
    /// Description of the schema.
    pub description: Option<String>,
    /// Where it comes from.
    pub origin: Origin,
    /// Its shape.
    pub kind: Kind,
    /// Read shape or input twin (enums are always `Read`).
    pub role: Role,
    /// Rust name of the map of unknown members (`extra`, or `extra_2` when a property took
    /// `extra`): set on read-shape structs only.
    pub extra: Option<String>,
    /// Rust name of the struct of its required members that `new` takes (`TagInputRequired`):
    /// set on input twins with a required member only.
    pub required: Option<String>,
}

/// A create-input struct of a resource model.
#[derive(Debug, Clone)]
pub(crate) struct CreateInput {
    /// Unique Rust name (`CreateConnection`).
    pub name: String,
    /// The model type.
    pub model: usize,
    /// Fields: those of the model that are not read-only, with `optional` set for create.
    pub fields: Vec<Field>,
    /// Rust name of the struct of its required properties that `new` takes
    /// (`CreateConnectionRequired`), when it has any.
    pub required: Option<String>,
}

/// Every type of one service module.
#[derive(Debug, Clone, Default)]
pub(crate) struct ServiceTypes {
    /// Types in emission order.
    pub types: Vec<TypeDef>,
    /// Named schemas that became types.
    pub schema_types: IndexMap<String, usize>,
    /// Create inputs by model type index.
    pub creates: IndexMap<usize, CreateInput>,
    /// Input twins by read-shape index (nested structs that inputs reach).
    pub inputs: IndexMap<usize, usize>,
}

impl ServiceTypes {
    /// The model type of a resource, if it has a schema.
    pub(crate) fn model_of(&self, resource: &Resource) -> Option<usize> {
        resource
            .schema_name
            .as_ref()
            .and_then(|name| self.schema_types.get(name).copied())
    }

    /// `ty` as inputs hold it: named read shapes replaced by their input twins.
    pub(crate) fn input_ty(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Named(index) => Ty::Named(self.inputs.get(index).copied().unwrap_or(*index)),
            Ty::Vec(inner) => Ty::Vec(Box::new(self.input_ty(inner))),
            Ty::Map(inner) => Ty::Map(Box::new(self.input_ty(inner))),
            other => other.clone(),
        }
    }

    /// Fields of an input (create or update) built from model fields: types replaced by their
    /// input twins, `optional` as given.
    pub(crate) fn input_field(&self, field: &Field, optional: bool) -> Field {
        let mut out = field.clone();
        out.ty = self.input_ty(&field.ty);
        out.optional = optional;
        out
    }

    /// Every name the service's types take (types, create inputs, their `…Required` structs),
    /// for names decided later (`Update…`, `…Id`).
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        let types = self
            .types
            .iter()
            .flat_map(|t| std::iter::once(t.name.as_str()).chain(t.required.as_deref()));
        let creates = self
            .creates
            .values()
            .flat_map(|c| std::iter::once(c.name.as_str()).chain(c.required.as_deref()));
        types.chain(creates)
    }

    /// The fields of a struct type (empty for enums).
    pub(crate) fn fields(&self, index: usize) -> &[Field] {
        match &self.types[index].kind {
            Kind::Struct(fields) => fields,
            Kind::Enum(_) => &[],
        }
    }
}

/// Whether a resource has a create method (plural resources with `create_resource`).
pub(crate) fn has_create(resource: &Resource) -> bool {
    resource
        .methods
        .iter()
        .any(|m| m.kind == MethodKind::Create)
}

/// Resolves every type of a Cloud Control service.
pub(crate) fn build(service: &Service) -> ServiceTypes {
    let mut builder = Builder {
        service,
        namer: UniqueNames::new(),
        out: ServiceTypes::default(),
    };
    builder.run();
    builder.out
}

struct Builder<'a> {
    service: &'a Service,
    namer: UniqueNames,
    out: ServiceTypes,
}

impl<'a> Builder<'a> {
    fn run(&mut self) {
        let service = self.service;
        // Resource schemas, each with the first resource naming it (they share property sets).
        let mut model_resources: IndexMap<&str, &Resource> = IndexMap::new();
        for resource in &service.resources {
            if let Some(schema) = resource.schema_name.as_deref() {
                if service.schemas.contains_key(schema) {
                    model_resources.entry(schema).or_insert(resource);
                }
            }
        }
        let reachable = self.reachable(model_resources.keys().copied());
        // 1. Models, in schema order.
        let models: Vec<&str> = service
            .schemas
            .keys()
            .map(String::as_str)
            .filter(|name| model_resources.contains_key(name))
            .collect();
        for schema in &models {
            let resource = model_resources[schema];
            let name = self.namer.claim(&type_ident(schema), "");
            let type_name = resource
                .type_name
                .clone()
                .unwrap_or_else(|| (*schema).to_owned());
            let index = self.push(
                name,
                service.schemas[*schema].description.clone(),
                Origin::Model { type_name },
            );
            self.out.schema_types.insert((*schema).to_owned(), index);
        }
        // 2. Create inputs.
        let mut create_names = Vec::new();
        for schema in &models {
            let with_create = service
                .resources
                .iter()
                .any(|r| r.schema_name.as_deref() == Some(*schema) && has_create(r));
            if with_create {
                let model = self.out.schema_types[*schema];
                let name = self
                    .namer
                    .claim(&format!("Create{}", self.out.types[model].name), "");
                create_names.push((model, name));
            }
        }
        // 3. Named schemas reached from the models.
        for (schema, node) in &service.schemas {
            if self.out.schema_types.contains_key(schema) || !reachable.contains(schema.as_str()) {
                continue;
            }
            let named = match &node.shape {
                Shape::Object { .. } => true,
                Shape::String { enum_values } => !enum_values.is_empty(),
                _ => false,
            };
            if named {
                let name = self.namer.claim(&type_ident(schema), "");
                let index = self.push(
                    name,
                    node.description.clone(),
                    Origin::Schema(schema.clone()),
                );
                self.out.schema_types.insert(schema.clone(), index);
            }
        }
        // 4. Fill them in; inline types are appended as they are met.
        let named: Vec<(String, usize)> = self
            .out
            .schema_types
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        for (schema, index) in named {
            let node = &service.schemas[&schema];
            let kind = match &node.shape {
                Shape::Object {
                    properties,
                    required,
                    ..
                } => Kind::Struct(self.fields(index, properties, required)),
                Shape::String { enum_values } if !enum_values.is_empty() => {
                    Kind::Enum(variants(enum_values))
                }
                // A resource schema without properties: an empty model.
                _ => Kind::Struct(Vec::new()),
            };
            self.out.types[index].kind = kind;
        }
        // 5. Property sets, then optionality, boxing and create inputs.
        for schema in &models {
            let index = self.out.schema_types[*schema];
            self.mark(index, &model_resources[schema].properties);
        }
        // Input twins of the nested structs creates reach, with the strict optionality
        // (required unless read-only or write-only somewhere); read shapes all optional.
        let roots: Vec<usize> = create_names.iter().map(|(model, _)| *model).collect();
        self.input_twins(&roots);
        for def in &mut self.out.types {
            let strict = matches!(def.role, Role::Input { .. });
            if let Kind::Struct(fields) = &mut def.kind {
                for field in fields.iter_mut() {
                    field.optional =
                        !strict || !field.required || field.read_only || field.write_only;
                }
                if !strict {
                    let mut taken = UniqueNames::with_taken(fields.iter().map(|f| &f.ident));
                    def.extra = Some(taken.claim("extra", "_"));
                }
            }
        }
        self.box_recursion();
        for (model, name) in create_names {
            let Some(schema) = models.iter().find(|s| self.out.schema_types[**s] == model) else {
                continue;
            };
            let sets = &model_resources[schema].properties;
            let fields = self
                .out
                .fields(model)
                .iter()
                .filter(|f| !f.read_only)
                .map(|f| self.out.input_field(f, !sets.required.contains(&f.serde)))
                .collect();
            self.out.creates.insert(
                model,
                CreateInput {
                    name,
                    model,
                    fields,
                    required: None,
                },
            );
        }
        // 6. The `…Required` structs `new` takes, claimed last so no other name changes.
        for def in &mut self.out.types {
            let with_required = match &def.kind {
                Kind::Struct(fields) => fields.iter().any(|f| !f.optional),
                Kind::Enum(_) => false,
            };
            if matches!(def.role, Role::Input { .. }) && with_required {
                def.required = Some(self.namer.claim(&format!("{}Required", def.name), ""));
            }
        }
        for create in self.out.creates.values_mut() {
            if create.fields.iter().any(|f| !f.optional) {
                create.required = Some(self.namer.claim(&format!("{}Required", create.name), ""));
            }
        }
    }

    fn push(&mut self, name: String, description: Option<String>, origin: Origin) -> usize {
        self.out.types.push(TypeDef {
            name,
            description,
            origin,
            kind: Kind::Struct(Vec::new()),
            role: Role::Read,
            extra: None,
            required: None,
        });
        self.out.types.len() - 1
    }

    /// Adds an input twin (`<Name>Input`) for every nested struct the non-read-only fields of
    /// the `roots` (models with a create input) reach, in type order, with field types
    /// pointing at twins.
    fn input_twins(&mut self, roots: &[usize]) {
        let mut reached: BTreeSet<usize> = BTreeSet::new();
        let mut stack: Vec<usize> = Vec::new();
        for &root in roots {
            stack.extend(
                self.out
                    .fields(root)
                    .iter()
                    .filter(|f| !f.read_only)
                    .filter_map(|f| f.ty.element()),
            );
        }
        while let Some(index) = stack.pop() {
            let is_struct = matches!(self.out.types[index].kind, Kind::Struct(_));
            let is_model = matches!(self.out.types[index].origin, Origin::Model { .. });
            if !is_struct || is_model || !reached.insert(index) {
                continue;
            }
            stack.extend(self.out.fields(index).iter().filter_map(|f| f.ty.element()));
        }
        for &read in &reached {
            let def = &self.out.types[read];
            let name = self.namer.claim(&format!("{}Input", def.name), "");
            let twin = TypeDef {
                name,
                description: def.description.clone(),
                origin: def.origin.clone(),
                kind: def.kind.clone(),
                role: Role::Input { read },
                extra: None,
                required: None,
            };
            self.out.types.push(twin);
            let index = self.out.types.len() - 1;
            self.out.inputs.insert(read, index);
        }
        for &twin in self.out.inputs.values() {
            let fields: Vec<Field> = self
                .out
                .fields(twin)
                .iter()
                .map(|f| {
                    let mut f = f.clone();
                    f.ty = self.out.input_ty(&f.ty);
                    f
                })
                .collect();
            self.out.types[twin].kind = Kind::Struct(fields);
        }
    }

    /// Schema names reachable from `roots` through `$ref`s.
    fn reachable<'s>(&self, roots: impl Iterator<Item = &'s str>) -> IndexSet<String> {
        let mut seen: IndexSet<String> = IndexSet::new();
        let mut stack: Vec<String> = roots.map(str::to_owned).collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(node) = self.service.schemas.get(&name) {
                collect_refs(node, &mut stack);
            }
        }
        seen
    }

    fn fields(
        &mut self,
        parent: usize,
        properties: &IndexMap<String, Node>,
        required: &[String],
    ) -> Vec<Field> {
        let parent_name = self.out.types[parent].name.clone();
        let mut idents = UniqueNames::new();
        let mut setters = UniqueNames::new();
        let mut fields = Vec::with_capacity(properties.len());
        for (property, node) in properties {
            let hint = format!(
                "{parent_name}{}",
                type_ident(property).trim_start_matches('_')
            );
            let ty = self.resolve(node, &hint, &parent_name, property, 0);
            let ident = idents.claim(&field_ident(property), "_");
            let setter = setters.claim(&setter_ident(&ident), "_");
            let description = node
                .description
                .clone()
                .or_else(|| self.ref_description(node));
            fields.push(Field {
                serde: property.clone(),
                ident,
                setter,
                ty,
                required: required.iter().any(|r| r == property),
                optional: true,
                boxed: false,
                description,
                read_only: false,
                create_only: false,
                write_only: false,
            });
        }
        fields
    }

    /// The description of the schema a `$ref` property points at.
    fn ref_description(&self, node: &Node) -> Option<String> {
        match &node.shape {
            Shape::Ref(name) => self
                .service
                .schemas
                .get(name)
                .and_then(|n| n.description.clone()),
            _ => None,
        }
    }

    fn resolve(
        &mut self,
        node: &Node,
        hint: &str,
        parent: &str,
        property: &str,
        depth: usize,
    ) -> Ty {
        match &node.shape {
            Shape::Ref(name) => {
                if let Some(index) = self.out.schema_types.get(name) {
                    return Ty::Named(*index);
                }
                match self.service.schemas.get(name) {
                    // An alias of a non-object schema: its type, in place (cycles end as Value).
                    Some(target) if depth < MAX_ALIAS_DEPTH => {
                        let target = target.clone();
                        self.resolve(&target, &type_ident(name), parent, property, depth + 1)
                    }
                    _ => Ty::Value,
                }
            }
            Shape::String { enum_values } if enum_values.is_empty() => Ty::String,
            Shape::String { enum_values } => {
                let name = self.namer.claim(hint, "");
                let index = self.push(name, node.description.clone(), inline(parent, property));
                self.out.types[index].kind = Kind::Enum(variants(enum_values));
                Ty::Named(index)
            }
            Shape::Integer => Ty::I64,
            Shape::Number => Ty::F64,
            Shape::Boolean => Ty::Bool,
            Shape::Any => Ty::Value,
            Shape::Array(items) => Ty::Vec(Box::new(self.resolve(
                items,
                &format!("{hint}Item"),
                parent,
                &format!("{property}[]"),
                depth,
            ))),
            Shape::Map(values) => Ty::Map(Box::new(self.resolve(
                values,
                &format!("{hint}Value"),
                parent,
                &format!("{property}{{}}"),
                depth,
            ))),
            Shape::Object {
                properties,
                required,
                ..
            } => {
                let name = self.namer.claim(hint, "");
                let index = self.push(name, node.description.clone(), inline(parent, property));
                let fields = self.fields(index, properties, required);
                self.out.types[index].kind = Kind::Struct(fields);
                Ty::Named(index)
            }
        }
    }

    /// Applies the read-only / create-only / write-only paths of a resource to its model and
    /// the nested types they lead into.
    fn mark(&mut self, model: usize, sets: &PropertySets) {
        let lists: [(&[String], MarkFn); 3] = [
            (&sets.read_only, |f| f.read_only = true),
            (&sets.create_only, |f| f.create_only = true),
            (&sets.write_only, |f| f.write_only = true),
        ];
        for (paths, set) in lists {
            for path in paths {
                let segments: Vec<&str> = path
                    .split('/')
                    .filter(|s| !s.is_empty() && *s != "*")
                    .collect();
                let mut current = model;
                for (i, segment) in segments.iter().enumerate() {
                    let Kind::Struct(fields) = &mut self.out.types[current].kind else {
                        break;
                    };
                    let Some(field) = fields.iter_mut().find(|f| f.serde == *segment) else {
                        break;
                    };
                    if i + 1 == segments.len() {
                        set(field);
                    } else if let Some(next) = field.ty.element() {
                        current = next;
                    } else {
                        break;
                    }
                }
            }
        }
    }

    /// Boxes every field that holds (directly, not through a collection) a struct of its own
    /// strongly connected component: those are the recursive ones.
    fn box_recursion(&mut self) {
        let count = self.out.types.len();
        let edges: Vec<Vec<usize>> = (0..count)
            .map(|i| {
                self.out
                    .fields(i)
                    .iter()
                    .filter_map(|f| f.ty.direct())
                    .collect()
            })
            .collect();
        let component = strongly_connected(&edges);
        for i in 0..count {
            if let Kind::Struct(fields) = &mut self.out.types[i].kind {
                for field in fields.iter_mut() {
                    if let Some(target) = field.ty.direct() {
                        field.boxed = component[target] == component[i];
                    }
                }
            }
        }
    }
}

fn inline(parent: &str, property: &str) -> Origin {
    Origin::Inline {
        parent: parent.to_owned(),
        property: property.to_owned(),
    }
}

/// Enum variants of distinct values; `Unknown` is reserved for the catch-all.
fn variants(values: &[String]) -> Vec<(String, String)> {
    let mut used = UniqueNames::with_taken(["Unknown"]);
    let mut seen_values = BTreeSet::new();
    let mut out = Vec::with_capacity(values.len());
    for value in values {
        if !seen_values.insert(value.as_str()) {
            continue;
        }
        let ident = used.claim(&variant_ident(value), "");
        out.push((ident, value.clone()));
    }
    out
}

fn collect_refs(node: &Node, out: &mut Vec<String>) {
    match &node.shape {
        Shape::Ref(name) => out.push(name.clone()),
        Shape::Array(inner) | Shape::Map(inner) => collect_refs(inner, out),
        Shape::Object { properties, .. } => properties.values().for_each(|p| collect_refs(p, out)),
        _ => {}
    }
}

/// Tarjan's algorithm: the component id of every node (iterative, so deep schemas cannot
/// overflow the stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0usize;
    let mut next_component = 0usize;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Map from a struct's serde names to its fields (used to follow identifier paths).
pub(crate) fn field_by_serde<'t>(
    types: &'t ServiceTypes,
    index: usize,
    serde: &str,
) -> Option<&'t Field> {
    types.fields(index).iter().find(|f| f.serde == serde)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles_only() {
        // 0 -> 1 -> 0 (cycle), 2 -> 2 (self), 3 -> 0 (not in the cycle)
        let edges = vec![vec![1], vec![0], vec![2], vec![0]];
        let c = strongly_connected(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[3], c[0]);
    }

    #[test]
    fn variants_reserve_unknown_and_dedupe() {
        let values: Vec<String> = ["ENABLED", "Enabled", "UNKNOWN", "ENABLED"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let got = variants(&values);
        let idents: Vec<&str> = got.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(idents, ["Enabled", "Enabled2", "Unknown2"]);
    }
}
