//! The lifecycle half of the generated crate: per CloudFormation type with an update handler an
//! `Update<Type>` (a typed RFC 6902 JSON Patch: `set_<prop>` for the properties an update may
//! change, `remove_<prop>` for the optional ones, `from_diff`, an untyped escape hatch), per
//! type with a compound primary identifier a `<Type>Id` (`Display` joins the parts with `|`,
//! `FromStr` splits them), and in every get-kind resource module `get`, `update` (only where the
//! type has an update handler) and `delete` (feature `runtime`).
//!
//! Setting a create-only or read-only property does not compile because `Update<Type>` has no
//! setter for it; `update` does not exist where the type cannot be updated.

use super::ast;
use super::items::{doc_attrs, ident};
use super::types::{Field, Origin, ServiceTypes};
use crate::model::{MethodKind, Resource, ResourceKind, Service};
use crate::naming::{column_ident, column_name, ident_text};
use indexmap::IndexMap;
use proc_macro2::{Literal, TokenStream};
use provider_spec::unique::UniqueNames;
use quote::quote;

/// Names of the lifecycle types of one service, decided once and shared by the service-level
/// items and the resource modules.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// `Update<Type>` by model type index.
    updates: IndexMap<usize, String>,
    /// `<Type>Id` (compound identifiers only) by model type index, with the identifier paths.
    ids: IndexMap<usize, (String, Vec<String>)>,
}

impl Plan {
    /// The `Update<Type>` of a model type, when its type has an update handler.
    pub(crate) fn update_name(&self, model: usize) -> Option<&str> {
        self.updates.get(&model).map(String::as_str)
    }

    /// The `<Type>Id` of a model type, when its primary identifier is compound.
    pub(crate) fn id_name(&self, model: usize) -> Option<&str> {
        self.ids.get(&model).map(|(name, _)| name.as_str())
    }
}

/// Whether a resource's type has an update handler (its docs page lists `update_resource`).
pub(crate) fn has_update(resource: &Resource) -> bool {
    resource
        .methods
        .iter()
        .any(|m| m.kind == MethodKind::Update)
}

/// Whether a resource's type has a delete handler (its docs page lists `delete_resource`).
pub(crate) fn has_delete(resource: &Resource) -> bool {
    resource
        .methods
        .iter()
        .any(|m| m.kind == MethodKind::Delete)
}

/// Decides the names: `Update<Model>` and `<Model>Id`, with a numeric suffix when a type of
/// the service already has the name.
pub(crate) fn plan(service: &Service, types: &ServiceTypes) -> Plan {
    let mut used = UniqueNames::with_taken(types.names());
    let mut claim = |base: String| -> String { used.claim(&base, "") };
    let mut plan = Plan::default();
    for resource in &service.resources {
        if resource.kind != ResourceKind::Get {
            continue;
        }
        let Some(model) = types.model_of(resource) else {
            continue;
        };
        let model_name = &types.types[model].name;
        if has_update(resource) && !plan.updates.contains_key(&model) {
            let name = claim(format!("Update{model_name}"));
            plan.updates.insert(model, name);
        }
        let identifiers = &resource.properties.primary_identifier;
        if identifiers.len() > 1 && !plan.ids.contains_key(&model) {
            let name = claim(format!("{model_name}Id"));
            plan.ids.insert(model, (name, identifiers.to_vec()));
        }
    }
    plan
}

/// The crate-level error types of the lifecycle API (in `lib.rs`, compiled without features).
pub(crate) fn lib_items() -> TokenStream {
    quote! {
        /// A difference `Update…::from_diff` cannot express as an update.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum DiffError {
            /// A create-only property differs: the change needs a new resource (a
            /// replacement), not an update.
            CreateOnlyChanged {
                /// CloudFormation type name.
                type_name: &'static str,
                /// The create-only property (CloudFormation name).
                property: &'static str,
            },
        }

        impl ::std::fmt::Display for DiffError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    DiffError::CreateOnlyChanged { type_name, property } => write!(
                        f,
                        "{type_name}: create-only property {property} differs; the change needs a replacement, not an update"
                    ),
                }
            }
        }

        impl ::std::error::Error for DiffError {}

        /// A compound identifier (`a|b`) with the wrong number of parts.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct IdentifierError {
            /// CloudFormation type name.
            pub type_name: &'static str,
            /// Parts the identifier has (one per primary-identifier property).
            pub expected: usize,
            /// Parts found.
            pub found: usize,
        }

        impl ::std::fmt::Display for IdentifierError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(
                    f,
                    "an identifier of {} has {} parts joined with `|`, found {}",
                    self.type_name, self.expected, self.found
                )
            }
        }

        impl ::std::error::Error for IdentifierError {}
    }
}

/// The service-level items: every `Update<Type>` and `<Type>Id`.
pub(crate) fn service_items(types: &ServiceTypes, plan: &Plan) -> TokenStream {
    let mut out = TokenStream::new();
    for (model, name) in &plan.updates {
        out.extend(update_struct(types, *model, name));
    }
    for (model, (name, identifiers)) in &plan.ids {
        out.extend(id_struct(types, *model, name, identifiers));
    }
    out
}

fn type_name_of(types: &ServiceTypes, model: usize) -> String {
    match &types.types[model].origin {
        Origin::Model { type_name } => type_name.clone(),
        _ => types.types[model].name.clone(),
    }
}

/// The JSON Pointer of a top-level property.
fn pointer(property: &str) -> String {
    format!("/{}", property.replace('~', "~0").replace('/', "~1"))
}

/// The name a field takes after `set_` / `remove_`.
fn method_suffix(field: &Field) -> String {
    ident_text(&field.ident).trim_matches('_').to_owned()
}

/// Whether a property may be changed by an update: neither read-only nor create-only.
fn is_updatable(field: &Field) -> bool {
    !field.read_only && !field.create_only
}

fn update_struct(types: &ServiceTypes, model: usize, name: &str) -> TokenStream {
    let type_name = type_name_of(types, model);
    let model_ident = ident(&types.types[model].name);
    let name_ident = ident(name);
    let fields = types.fields(model);
    let updatable: Vec<&Field> = fields.iter().filter(|f| is_updatable(f)).collect();
    let create_only: Vec<&Field> = fields.iter().filter(|f| f.create_only).collect();
    let mut methods = TokenStream::new();
    for field in &updatable {
        let suffix = method_suffix(field);
        let set = ident(&format!("set_{suffix}"));
        // Nested structs are taken in their strict input shapes (`…Input`), as creates take them.
        let ty = ast::ty(&types.input_ty(&field.ty), types, None);
        let path = Literal::string(&pointer(&field.serde));
        let doc = doc_attrs(&[format!(
            "Sets `{}` (a JSON Patch `add`, which replaces a present value).",
            field.serde
        )]);
        methods.extend(quote! {
            #doc
            #[must_use]
            pub fn #set(self, value: impl ::std::convert::Into<#ty>) -> Self {
                let value: #ty = value.into();
                self.with_operation("add", #path, ::std::option::Option::Some(to_json(&value)))
            }
        });
        if !field.required {
            let remove = ident(&format!("remove_{suffix}"));
            let doc = doc_attrs(&[format!(
                "Removes `{}` (a JSON Patch `remove`).",
                field.serde
            )]);
            methods.extend(quote! {
                #doc
                #[must_use]
                pub fn #remove(self) -> Self {
                    self.with_operation("remove", #path, ::std::option::Option::None)
                }
            });
        }
    }
    let create_only_checks = create_only.iter().map(|field| {
        let f = ident(&field.ident);
        let property = &field.serde;
        if field.optional {
            quote! {
                if desired.#f.is_some() && current.#f != desired.#f {
                    return ::std::result::Result::Err(crate::DiffError::CreateOnlyChanged { type_name: #type_name, property: #property });
                }
            }
        } else {
            quote! {
                if current.#f != desired.#f {
                    return ::std::result::Result::Err(crate::DiffError::CreateOnlyChanged { type_name: #type_name, property: #property });
                }
            }
        }
    });
    let diffs = updatable.iter().map(|field| {
        let f = ident(&field.ident);
        let path = Literal::string(&pointer(&field.serde));
        match (field.optional, field.required) {
            (true, false) => quote! {
                if current.#f != desired.#f {
                    patch = match &desired.#f {
                        ::std::option::Option::Some(value) => patch.with_operation("add", #path, ::std::option::Option::Some(to_json(value))),
                        ::std::option::Option::None => patch.with_operation("remove", #path, ::std::option::Option::None),
                    };
                }
            },
            // A required property is never removed: an absent desired value leaves it as it is.
            (true, true) => quote! {
                if let ::std::option::Option::Some(value) = &desired.#f {
                    if current.#f.as_ref() != ::std::option::Option::Some(value) {
                        patch = patch.with_operation("add", #path, ::std::option::Option::Some(to_json(value)));
                    }
                }
            },
            (false, _) => quote! {
                if current.#f != desired.#f {
                    patch = patch.with_operation("add", #path, ::std::option::Option::Some(to_json(&desired.#f)));
                }
            },
        }
    });
    let updatable_names = updatable.iter().map(|f| f.serde.as_str());
    let create_only_names = create_only.iter().map(|f| f.serde.as_str());
    let (current_binding, desired_binding) = if updatable.is_empty() && create_only.is_empty() {
        (quote! { _current }, quote! { _desired })
    } else {
        (quote! { current }, quote! { desired })
    };
    let patch_mut = if updatable.is_empty() {
        quote! { patch }
    } else {
        quote! { mut patch }
    };
    // Only typed setters and `from_diff` build operations: a type with nothing updatable (every
    // property create-only or read-only) has no use for the helper, and an unused private
    // function would be a dead-code warning in the generated crate.
    let with_operation = if updatable.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Replaces any earlier operation on `path`, then appends this one.
            fn with_operation(mut self, op: &str, path: &str, value: ::std::option::Option<::serde_json::Value>) -> Self {
                self.operations.retain(|o| o.get("path").and_then(::serde_json::Value::as_str) != ::std::option::Option::Some(path));
                let mut operation = ::serde_json::Map::new();
                operation.insert("op".to_owned(), ::serde_json::Value::from(op));
                operation.insert("path".to_owned(), ::serde_json::Value::from(path));
                if let ::std::option::Option::Some(value) = value {
                    operation.insert("value".to_owned(), value);
                }
                self.operations.push(::serde_json::Value::Object(operation));
                self
            }
        }
    };
    let struct_doc = doc_attrs(&[
        format!("A typed update of `{type_name}`: an RFC 6902 JSON Patch over the properties an update may change."),
        String::new(),
        "`set_…` exists for every property that is neither read-only nor create-only, `remove_…` for those that are not required, so a patch touching a create-only or read-only property does not compile. `from_diff` computes the minimal patch between two models; `with_raw_operation` and `from_json_patch` take any JSON Patch unchecked. Serializes to the JSON Patch array.".to_owned(),
    ]);
    let diff_doc = doc_attrs(&[
        "The minimal patch turning `current` into `desired` over the properties an update may change (nested values compared whole: a differing list or object is replaced as a whole). Properties absent from `desired` are removed, unless required. Read-only properties are ignored.".to_owned(),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "[`crate::DiffError::CreateOnlyChanged`] naming the first create-only property that `desired` sets to another value: that change needs a replacement, not an update.".to_owned(),
    ]);
    quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name_ident {
            operations: ::std::vec::Vec<::serde_json::Value>,
        }
        impl #name_ident {
            /// CloudFormation type name.
            pub const TYPE_NAME: &'static str = #type_name;
            /// Properties an update may change (neither read-only nor create-only).
            pub const UPDATABLE: &'static [&'static str] = &[#(#updatable_names),*];
            /// Create-only properties: changing one needs a replacement.
            pub const CREATE_ONLY: &'static [&'static str] = &[#(#create_only_names),*];
            /// An empty patch.
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }
            #methods
            /// Escape hatch: appends any RFC 6902 operation as it is (unchecked).
            #[must_use]
            pub fn with_raw_operation(mut self, operation: ::serde_json::Value) -> Self {
                self.operations.push(operation);
                self
            }
            /// Escape hatch: a patch of any RFC 6902 operations, as they are (unchecked).
            #[must_use]
            pub fn from_json_patch(operations: ::std::vec::Vec<::serde_json::Value>) -> Self {
                Self { operations }
            }
            /// The operations, in order.
            pub fn operations(&self) -> &[::serde_json::Value] {
                &self.operations
            }
            /// Whether the patch changes nothing.
            pub fn is_empty(&self) -> bool {
                self.operations.is_empty()
            }
            #diff_doc
            pub fn from_diff(#current_binding: &#model_ident, #desired_binding: &#model_ident) -> ::std::result::Result<Self, crate::DiffError> {
                #(#create_only_checks)*
                let #patch_mut = Self::new();
                #(#diffs)*
                ::std::result::Result::Ok(patch)
            }
            #with_operation
        }
        impl ::serde::Serialize for #name_ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.collect_seq(&self.operations)
            }
        }
    }
}

fn id_struct(
    types: &ServiceTypes,
    model: usize,
    name: &str,
    identifiers: &[String],
) -> TokenStream {
    let type_name = type_name_of(types, model);
    let name_ident = ident(name);
    let mut used = UniqueNames::new();
    let fields: Vec<(proc_macro2::Ident, &String)> = identifiers
        .iter()
        .map(|path| {
            let name = used.claim(&column_ident(&column_name(path)), "_");
            (ident(&name), path)
        })
        .collect();
    let count = Literal::usize_unsuffixed(fields.len());
    let decls = fields.iter().map(|(f, path)| {
        let doc = format!(" `{path}`.");
        quote! {
            #[doc = #doc]
            pub #f: ::std::string::String,
        }
    });
    let params = fields
        .iter()
        .map(|(f, _)| quote! { #f: impl ::std::convert::Into<::std::string::String> });
    let inits = fields.iter().map(|(f, _)| quote! { #f: #f.into() });
    let parts = fields.iter().enumerate().map(|(i, (f, _))| {
        let index = Literal::usize_unsuffixed(i);
        quote! { #f: parts[#index].to_owned() }
    });
    let writes = fields.iter().enumerate().map(|(i, (f, _))| {
        if i == 0 {
            quote! { f.write_str(&self.#f)?; }
        } else {
            quote! { f.write_str("|")?; f.write_str(&self.#f)?; }
        }
    });
    let joined = identifiers.join("|");
    let struct_doc = doc_attrs(&[
        format!("The primary identifier of `{type_name}`: `{joined}`."),
        String::new(),
        "`Display` joins the parts with `|` (Cloud Control's compound identifier); `FromStr` splits them back.".to_owned(),
    ]);
    let new_doc = doc_attrs(&["An identifier from its parts, in schema order.".to_owned()]);
    quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub struct #name_ident {
            #(#decls)*
        }
        impl #name_ident {
            #new_doc
            #[must_use]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
        impl ::std::fmt::Display for #name_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #(#writes)*
                ::std::result::Result::Ok(())
            }
        }
        impl ::std::str::FromStr for #name_ident {
            type Err = crate::IdentifierError;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                let parts: ::std::vec::Vec<&str> = text.split('|').collect();
                if parts.len() != #count {
                    return ::std::result::Result::Err(crate::IdentifierError { type_name: #type_name, expected: #count, found: parts.len() });
                }
                ::std::result::Result::Ok(Self { #(#parts),* })
            }
        }
    }
}

/// `get`, `update` and `delete` of a get-kind resource module (feature `runtime`); `update`
/// and `delete` only where the type has the handler.
pub(crate) fn resource_fns(resource: &Resource, types: &ServiceTypes, plan: &Plan) -> TokenStream {
    if resource.kind != ResourceKind::Get {
        return TokenStream::new();
    }
    let Some(model) = types.model_of(resource) else {
        return TokenStream::new();
    };
    let type_name = resource.type_name.clone().unwrap_or_default();
    let (id_param, id_expr, id_alias, id_note) = match plan.ids.get(&model) {
        Some((name, identifiers)) => {
            let name = ident(name);
            (
                quote! { id: &super::#name },
                quote! { &id.to_string() },
                quote! {
                    /// The compound primary identifier of this type.
                    pub type Id = super::#name;
                },
                format!(
                    "`id` is the compound identifier ({}), sent joined with `|`.",
                    identifiers.join(", ")
                ),
            )
        }
        None => (
            quote! { id: impl ::std::convert::AsRef<str> },
            quote! { id.as_ref() },
            TokenStream::new(),
            format!(
                "`id` is the primary identifier ({}).",
                resource.properties.primary_identifier.join(", ")
            ),
        ),
    };
    let get_doc = doc_attrs(&[
        format!("Reads one `{type_name}` in `region`. {id_note}"),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "`NotFound` (typed, with the type name and identifier) when the resource does not exist; otherwise as for any call.".to_owned(),
    ]);
    let get_raw_doc = doc_attrs(&[
        format!("Reads one `{type_name}` in `region` like [`get`], returning its properties as the raw JSON AWS sent (nothing decoded, nothing dropped). {id_note}"),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "`NotFound` (typed, with the type name and identifier) when the resource does not exist; `Decode` only when AWS sent text that is not JSON; otherwise as for any call.".to_owned(),
    ]);
    let delete_doc = doc_attrs(&[
        format!("Deletes one `{type_name}` in `region` and waits until Cloud Control reports the outcome. {id_note} One client token per call, reused on every retry."),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "`RequestFailed` (operation `DELETE`, the handler's error code, e.g. `NotFound`, message and request token) when the delete fails; `Deadline` with the request token (resume with `runtime::resume_delete`) when the client's poll deadline passes first; otherwise as for any call.".to_owned(),
    ]);
    let mut out = quote! {
        #id_alias
        #get_doc
        #[cfg(feature = "runtime")]
        pub async fn get(client: &crate::runtime::Client, region: &str, #id_param) -> ::std::result::Result<Model, crate::runtime::Error> {
            crate::runtime::get(client, TYPE_NAME, region, #id_expr).await
        }
        #get_raw_doc
        #[cfg(feature = "runtime")]
        pub async fn get_raw(client: &crate::runtime::Client, region: &str, #id_param) -> ::std::result::Result<::serde_json::Value, crate::runtime::Error> {
            crate::runtime::get::<::serde_json::Value>(client, TYPE_NAME, region, #id_expr).await
        }
    };
    if has_delete(resource) {
        out.extend(quote! {
            #delete_doc
            #[cfg(feature = "runtime")]
            pub async fn delete(client: &crate::runtime::Client, region: &str, #id_param) -> ::std::result::Result<crate::runtime::Deleted, crate::runtime::Error> {
                crate::runtime::delete(client, TYPE_NAME, region, #id_expr).await
            }
        });
    }
    if let Some(update) = plan.updates.get(&model).filter(|_| has_update(resource)) {
        let update = ident(update);
        let update_doc = doc_attrs(&[
            format!("Updates one `{type_name}` in `region` with a typed patch and waits until Cloud Control reports the outcome. {id_note} One client token per call, reused on every retry."),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "`RequestFailed` (operation `UPDATE`, the handler's error code, message and request token) when the update fails; `Deadline` with the request token (resume with `runtime::resume_update`) when the client's poll deadline passes first; otherwise as for any call.".to_owned(),
        ]);
        out.extend(quote! {
            /// The typed patch `update` takes.
            pub type Update = super::#update;
            #update_doc
            #[cfg(feature = "runtime")]
            pub async fn update(client: &crate::runtime::Client, region: &str, #id_param, patch: &super::#update) -> ::std::result::Result<crate::runtime::Updated<Model>, crate::runtime::Error> {
                crate::runtime::update(client, TYPE_NAME, region, #id_expr, patch).await
            }
        });
    }
    out
}

/// `to_json` of the service module: serializes a generated value (cannot fail for generated
/// types: string-keyed maps and plain data only).
pub(crate) fn service_helpers(types: &ServiceTypes, plan: &Plan) -> TokenStream {
    // Used only by the operations of types with something updatable (see `update_struct`).
    let used = plan
        .updates
        .keys()
        .any(|&model| types.fields(model).iter().any(is_updatable));
    if !used {
        return TokenStream::new();
    }
    quote! {
        /// A generated value as JSON. Generated types hold plain data and string-keyed maps, so
        /// serialization cannot fail; `Null` is the unreachable fallback.
        fn to_json<T: ::serde::Serialize + ?::std::marker::Sized>(value: &T) -> ::serde_json::Value {
            ::serde_json::to_value(value).unwrap_or(::serde_json::Value::Null)
        }
    }
}
