//! Emission of the types of a service: model structs, create inputs, nested structs and string
//! enums (as syn trees, through [`ast`]), plus the token helpers the resource modules and
//! `lib.rs` use. Everything uses full paths (`::std::option::Option`), so no generated name
//! can shadow what the code means.

use super::types::{CreateInput, Field, Kind, Origin, Role, ServiceTypes, TypeDef};
use super::{ast, placeholders, rustdoc};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier token from a name the naming rules produced (`r#type` becomes a raw
/// identifier). Anything that is not a valid identifier is sanitized rather than panicking.
pub(crate) fn ident(name: &str) -> Ident {
    let (raw, text) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let mut clean: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        clean.insert(0, '_');
    }
    if raw && !matches!(clean.as_str(), "self" | "Self" | "super" | "crate" | "_") {
        Ident::new_raw(&clean, Span::call_site())
    } else {
        Ident::new(&clean, Span::call_site())
    }
}

/// [`ast::doc_attrs`] as tokens, for the items written with `quote!`.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = ast::doc_attrs(lines);
    quote! { #(#attrs)* }
}

/// `#![doc = "..."]` attributes (module docs), like [`doc_attrs`].
pub(crate) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = placeholders::doc_values(lines)
        .into_iter()
        .map(|text| quote! { #![doc = #text] });
    quote! { #(#attrs)* }
}

/// Doc lines: an escaped description (or a fallback sentence), then our own paragraphs.
pub(crate) fn doc_lines(
    description: Option<&str>,
    fallback: &str,
    notes: &[String],
) -> Vec<String> {
    let mut lines = description.map(rustdoc::lines).unwrap_or_default();
    if lines.is_empty() {
        lines.push(fallback.to_owned());
    }
    for note in notes {
        lines.push(String::new());
        lines.push(note.clone());
    }
    lines
}

/// Where a field is declared, for its notes.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// A resource model (read shape).
    Model,
    /// A nested read shape.
    Read,
    /// A create input or an input twin.
    Input,
}

/// One paragraph about a field's CloudFormation flags and name.
fn field_note(field: &Field, place: Place) -> String {
    let mut note = String::new();
    if field.read_only {
        note.push_str("Read-only: set by AWS, never sent in a create. ");
    }
    if field.create_only {
        note.push_str("Create-only: changing it replaces the resource. ");
    }
    if field.write_only {
        note.push_str("Write-only: sent in creates and updates, never returned by reads. ");
    }
    if field.required && !field.read_only {
        match place {
            Place::Model => note.push_str("Required when creating. "),
            Place::Read => note.push_str("Required by the schema, but reads can leave it out. "),
            Place::Input => {}
        }
    }
    note.push_str(&format!("CloudFormation property `{}`.", field.serde));
    note
}

/// The syntax tree of a field with its docs and serde attribute.
fn field_ast(field: &Field, types: &ServiceTypes, place: Place) -> syn::Field {
    let mut attrs = ast::doc_attrs(&doc_lines(
        field.description.as_deref(),
        &format!("The `{}` property.", field.serde),
        &[field_note(field, place)],
    ));
    attrs.extend(ast::serde_attr(field));
    let value = ast::value_type(field, types);
    let ty = if field.optional {
        ast::path_type(true, &["std", "option", "Option"], vec![value])
    } else {
        value
    };
    ast::field(attrs, &field.ident, ty)
}

/// The map of members the schema does not list, flattened into the struct's JSON object.
fn extra_field_ast(name: &str) -> syn::Field {
    let mut attrs = ast::doc_attrs(&[
        "Members the schema does not list, as read (by JSON name). Re-serialising gives them back, so a read-modify-write keeps them.".to_owned(),
    ]);
    attrs.push(ast::list_attr("serde", quote! { flatten }));
    let string = ast::path_type(true, &["std", "string", "String"], Vec::new());
    let value = ast::path_type(true, &["serde_json", "Value"], Vec::new());
    let ty = ast::path_type(
        true,
        &["std", "collections", "BTreeMap"],
        vec![string, value],
    );
    ast::field(attrs, name, ty)
}

/// The `…Required` struct of an input (its required members, documented as on the input,
/// unboxed) and `impl Name { new(required) with_...() }`: `new` takes the `…Required` struct
/// (or nothing when no member is required), `with_` setters set the optional members.
fn constructors(
    name: &str,
    required_name: Option<&str>,
    fields: &[Field],
    types: &ServiceTypes,
    defaultable: bool,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let new_doc = match required_name {
        None => " Creates a value with every property unset.".to_owned(),
        Some(required_name) => {
            let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
            pieces.push(Piece::Item(Box::new(required_struct(
                name,
                required_name,
                &required,
                types,
            ))));
            let list: Vec<String> = required.iter().map(|f| format!("`{}`", f.serde)).collect();
            format!(
                " Creates a value from its required properties ({}), named in a [`{required_name}`] literal; the optional ones start unset.",
                list.join(", ")
            )
        }
    };
    let mut members = vec![ast::constructor(
        &new_doc,
        fields,
        defaultable,
        required_name,
    )];
    members.extend(
        fields
            .iter()
            .filter(|f| f.optional)
            .map(|f| ast::setter(f, types)),
    );
    pieces.push(Piece::Item(Box::new(ast::impl_item(name, members))));
    pieces
}

/// `pub struct <Name>Required { required members }`: what `<Name>::new` takes. Deliberately
/// not `#[non_exhaustive]`: users build it with a struct literal, which names every required
/// member (none can be swapped with another) and stops compiling, naming the member, when a
/// spec makes one more property required.
fn required_struct(
    name: &str,
    required_name: &str,
    required: &[&Field],
    types: &ServiceTypes,
) -> syn::Item {
    let mut attrs = ast::doc_attrs(&[format!(
        "The required properties of [`{name}`], which [`{name}::new`] takes: a struct literal names each one, so none can be left out or swapped."
    )]);
    attrs.push(ast::list_attr("derive", quote! { Debug, Clone, PartialEq }));
    let fields = required
        .iter()
        .map(|field| {
            let attrs = ast::doc_attrs(&doc_lines(
                field.description.as_deref(),
                &format!("The `{}` property.", field.serde),
                &[field_note(field, Place::Input)],
            ));
            ast::field(attrs, &field.ident, ast::ty(&field.ty, types, None))
        })
        .collect();
    ast::struct_item(attrs, required_name, fields)
}

/// A piece of a module: an item built as a syntax tree, or tokens still to be parsed.
pub(crate) enum Piece {
    /// A syntax tree (boxed: items are large).
    Item(Box<syn::Item>),
    /// Tokens of one or more items.
    Tokens(TokenStream),
}

/// The items of one generated type.
pub(crate) fn type_item(index: usize, types: &ServiceTypes) -> syn::Result<Vec<Piece>> {
    let def = &types.types[index];
    match &def.kind {
        Kind::Struct(fields) => struct_item(index, def, fields, types),
        Kind::Enum(variants) => enum_item(def, variants),
    }
}

fn struct_item(
    index: usize,
    def: &TypeDef,
    fields: &[Field],
    types: &ServiceTypes,
) -> syn::Result<Vec<Piece>> {
    let is_model = matches!(def.origin, Origin::Model { .. });
    let input = matches!(def.role, Role::Input { .. });
    let (fallback, mut notes) = match &def.origin {
        Origin::Model { type_name } => (
            format!("The model of `{type_name}`."),
            vec![format!(
                "The properties of `{type_name}` as reads return them. Every property is optional: reads leave out write-only properties, properties that are not set, and at times what the schema requires. Properties the schema does not list are kept in `{}`, so re-serialising gives back everything read.",
                def.extra.as_deref().unwrap_or("extra")
            )],
        ),
        Origin::Schema(schema) => (format!("The `{schema}` type."), Vec::new()),
        Origin::Inline { parent, property } => (format!("The type of `{parent}` property `{property}`."), Vec::new()),
    };
    match (def.role, &def.extra) {
        (Role::Input { read }, _) => notes.push(format!(
            "What creates and updates send; reads return [`{}`]. {}",
            types.types[read].name,
            match &def.required {
                Some(required) => format!("Required members are the fields of [`{required}`], which `new` takes, so they cannot be left out; optional ones are set with the `with_` setters."),
                None => "Every member is optional: `new` takes nothing and the `with_` setters set them.".to_owned(),
            }
        )),
        (Role::Read, Some(_)) if is_model => {}
        (Role::Read, Some(extra)) => {
            let twin = match types.inputs.get(&index) {
                Some(twin) => format!(" Creates and updates send [`{}`].", types.types[*twin].name),
                None => String::new(),
            };
            notes.push(format!(
                "As reads return it: every member is optional (AWS does not always send what the schema requires) and members the schema does not list are kept in `{extra}`, so nothing read is lost.{twin}"
            ));
        }
        (Role::Read, None) => {}
    }
    let mut attrs = ast::doc_attrs(&doc_lines(def.description.as_deref(), &fallback, &notes));
    let defaultable = fields.iter().all(|f| f.optional);
    let derives = match (input, defaultable) {
        (true, true) => quote! { Debug, Clone, PartialEq, Default, ::serde::Serialize },
        (true, false) => quote! { Debug, Clone, PartialEq, ::serde::Serialize },
        (false, true) => {
            quote! { Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize }
        }
        (false, false) => {
            quote! { Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize }
        }
    };
    attrs.push(ast::list_attr("derive", derives));
    attrs.push(ast::word_attr("non_exhaustive"));
    let place = match (input, is_model) {
        (true, _) => Place::Input,
        (false, true) => Place::Model,
        (false, false) => Place::Read,
    };
    let mut fields_ast: Vec<syn::Field> =
        fields.iter().map(|f| field_ast(f, types, place)).collect();
    if let Some(extra) = &def.extra {
        fields_ast.push(extra_field_ast(extra));
    }
    let mut pieces = vec![Piece::Item(Box::new(ast::struct_item(
        attrs, &def.name, fields_ast,
    )))];
    if input {
        pieces.extend(constructors(
            &def.name,
            def.required.as_deref(),
            fields,
            types,
            defaultable,
        ));
    }
    Ok(pieces)
}

fn enum_item(def: &TypeDef, variants: &[(String, String)]) -> syn::Result<Vec<Piece>> {
    let fallback = match &def.origin {
        Origin::Inline { parent, property } => {
            format!("The values of `{parent}` property `{property}`.")
        }
        Origin::Schema(schema) => format!("The values of `{schema}`."),
        Origin::Model { type_name } => format!("The values of `{type_name}`."),
    };
    let notes = vec![
        "Values this version does not know are kept in `Unknown`, so they survive a round trip; only parsing and deserialising make one (a known spelling always gives its own variant)."
            .to_owned(),
    ];
    let mut attrs = ast::doc_attrs(&doc_lines(def.description.as_deref(), &fallback, &notes));
    attrs.push(ast::list_attr(
        "derive",
        quote! { Debug, Clone, PartialEq, Eq, Hash },
    ));
    attrs.push(ast::word_attr("non_exhaustive"));
    let variants: Vec<(String, String, String)> = variants
        .iter()
        .map(|(ident, value)| {
            let doc = if value.is_empty() {
                " The empty string.".to_owned()
            } else {
                format!(" {}", rustdoc::code(value))
            };
            (ident.clone(), value.clone(), doc)
        })
        .collect();
    Ok(ast::string_enum(attrs, &def.name, &variants)?
        .into_iter()
        .map(|item| Piece::Item(Box::new(item)))
        .collect())
}

/// The items of a create-input struct.
pub(crate) fn create_item(create: &CreateInput, types: &ServiceTypes) -> syn::Result<Vec<Piece>> {
    let model = &types.types[create.model];
    let type_name = match &model.origin {
        Origin::Model { type_name } => type_name.as_str(),
        _ => model.name.as_str(),
    };
    let lines = vec![
        format!("What a create of `{type_name}` sends: every property that is not read-only."),
        String::new(),
        match &create.required {
            Some(required) => format!(
                "Required properties are the fields of [`{required}`], which `{}::new` takes, so they cannot be left out; optional ones are set with the `with_` setters. Read-only properties have no field, so they cannot be set.",
                create.name
            ),
            None => "Every property is optional: `new` takes nothing and the `with_` setters set them. Read-only properties have no field, so they cannot be set.".to_owned(),
        },
    ];
    let mut attrs = ast::doc_attrs(&lines);
    // Nothing required: `new()` takes no argument, and clippy wants `Default` beside it.
    let defaultable = create.fields.iter().all(|f| f.optional);
    let derives = if defaultable {
        quote! { Debug, Clone, PartialEq, Default, ::serde::Serialize }
    } else {
        quote! { Debug, Clone, PartialEq, ::serde::Serialize }
    };
    attrs.push(ast::list_attr("derive", derives));
    attrs.push(ast::word_attr("non_exhaustive"));
    let fields = create
        .fields
        .iter()
        .map(|f| field_ast(f, types, Place::Input))
        .collect();
    let mut pieces = vec![Piece::Item(Box::new(ast::struct_item(
        attrs,
        &create.name,
        fields,
    )))];
    pieces.extend(constructors(
        &create.name,
        create.required.as_deref(),
        &create.fields,
        types,
        defaultable,
    ));
    Ok(pieces)
}

/// `crate::UnknownValue` (in `lib.rs`, compiled without features): what the `Unknown` variant
/// of every string enum holds. Its field is private to the crate, so code using the crate
/// cannot build an unknown variant by hand (`Unknown("GitHub")` would not equal `GitHub`);
/// only the enums' `From<&str>`, `FromStr` and `Deserialize`, which map every known spelling
/// to its variant, make one.
pub(crate) fn unknown_value_item() -> TokenStream {
    quote! {
        /// A string-enum value this version of the crate does not know, kept as it was received
        /// (the `Unknown` variant of every string enum holds one).
        ///
        /// It cannot be built outside the crate: parse or deserialise the enum instead
        /// (`"GitHub".parse()`, `From<&str>`), which gives the known variant for a known
        /// spelling and `Unknown` only for the others, so two values that print the same are
        /// always equal.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnknownValue(pub(crate) ::std::string::String);

        impl UnknownValue {
            /// The value as received.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::AsRef<str> for UnknownValue {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    }
}
