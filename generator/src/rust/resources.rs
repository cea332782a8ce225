//! One module per StackQL resource (`connections`, `connection`, ...): its constants (type
//! name, identifiers, methods, IAM permissions per handler), the type of its rows (the fields
//! of its docs page, then `region`) and its registry entry. Functions that call AWS (`list`,
//! `create`, ...) are added to these modules by the runtime's emitter.

use super::items::{doc_attrs, doc_lines, ident, inner_doc_attrs, ty_tokens};
use super::rustdoc;
use super::types::{field_by_serde, ServiceTypes, Ty};
use crate::model::{Resource, ResourceKind, Service};
use crate::naming::{column_ident, ident_text, module_ident, permissions_const};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

/// Path of a resource's registry entry from the crate root (`codeconnections::connections`),
/// for `RESOURCES`.
pub(crate) fn module_path(service: &Service, resource: &Resource) -> (String, String) {
    (module_ident(&service.name), module_ident(&resource.name))
}

/// A row field and how `from_model` fills it.
struct RowField {
    ident: String,
    column: String,
    ty: TokenStream,
    /// An expression computed before the model is moved (nested paths), or `None` to move
    /// the model's top-level field of the same serde name.
    computed: Option<TokenStream>,
    /// Top-level model field moved into the row.
    moved: Option<String>,
    description: Option<String>,
    property: String,
}

/// Tokens of a resource module.
///
/// `sibling` is an earlier resource module of the same CloudFormation type (same permissions):
/// its permission arrays are reused rather than written again.
pub(crate) fn resource_module(
    service: &Service,
    resource: &Resource,
    types: &ServiceTypes,
    sibling: Option<&Resource>,
) -> TokenStream {
    let module = ident(&module_ident(&resource.name));
    let type_name = resource.type_name.clone().unwrap_or_default();
    let id = &resource.id;
    let model = types.model_of(resource);
    let super_prefix = quote! { super:: };

    let summary = match resource.kind {
        ResourceKind::List => {
            format!("lists `{type_name}` resources (and creates them where the type allows).")
        }
        ResourceKind::CreateOnly => {
            format!("creates `{type_name}` resources; the type cannot be listed.")
        }
        ResourceKind::Get => {
            format!("reads, updates and deletes one `{type_name}` by its identifier.")
        }
        ResourceKind::CustomList => format!("a view over `{type_name}` resources."),
        ResourceKind::Api => format!("API operations of `{}`.", resource.name),
    };
    let mut lines = vec![format!("The `{id}` resource: {summary}")];
    if let Some(description) = resource.description.as_deref() {
        let described = rustdoc::lines(description);
        if !described.is_empty() {
            lines.push(String::new());
            lines.extend(described);
        }
    }
    let inner_docs = inner_doc_attrs(&lines);

    let identifiers = &resource.identifiers;
    let model_alias = model.map(|index| {
        let name = ident(&types.types[index].name);
        quote! {
            /// The model reads return.
            pub type Model = super::#name;
        }
    });
    let create_alias = model
        .and_then(|index| types.creates.get(&index))
        .filter(|_| super::types::has_create(resource))
        .map(|create| {
            let name = ident(&create.name);
            quote! {
                /// What a create sends.
                pub type CreateInput = super::#name;
            }
        });

    let row = row_tokens(resource, types, model, &super_prefix);

    let methods = resource.methods.iter().map(|method| {
        let name = &method.name;
        let verb = ident(match method.verb.as_str() {
            "SELECT" => "Select",
            "INSERT" => "Insert",
            "UPDATE" => "Update",
            "DELETE" => "Delete",
            _ => "Exec",
        });
        let params = &method.required_params;
        quote! { crate::Method { name: #name, verb: crate::SqlVerb::#verb, required_params: &[#(#params),*] } }
    });

    let mut const_names = BTreeSet::new();
    let mut permission_consts = Vec::new();
    let mut permission_entries = Vec::new();
    for (handler, actions) in resource.permissions.iter().flatten() {
        let mut name = permissions_const(handler);
        let mut n = 2;
        while !const_names.insert(name.clone()) {
            name = format!("{}_{n}", permissions_const(handler));
            n += 1;
        }
        let const_ident = ident(&name);
        let doc = format!(" IAM permissions the `{handler}` handler needs.");
        let shared = sibling.filter(|s| s.permissions == resource.permissions);
        let value = match shared {
            Some(sibling) => {
                let sibling = ident(&module_ident(&sibling.name));
                quote! { super::#sibling::#const_ident }
            }
            None => quote! { &[#(#actions),*] },
        };
        permission_consts.push(quote! {
            #[doc = #doc]
            pub const #const_ident: &[&str] = #value;
        });
        permission_entries
            .push(quote! { crate::Permissions { handler: #handler, actions: #const_ident } });
    }

    let kind = ident(match resource.kind {
        ResourceKind::List => "List",
        ResourceKind::Get => "Get",
        ResourceKind::CustomList => "CustomList",
        ResourceKind::CreateOnly => "CreateOnly",
        ResourceKind::Api => "Api",
    });
    let service_name = &service.name;
    let resource_name = &resource.name;
    let list_required = &resource.properties.list_required;

    quote! {
        pub mod #module {
            #inner_docs
            /// StackQL resource id.
            pub const ID: &str = #id;
            /// CloudFormation type name.
            pub const TYPE_NAME: &str = #type_name;
            /// Identifier properties, in order (`Outer/Inner` for nested ones).
            pub const IDENTIFIERS: &[&str] = &[#(#identifiers),*];
            /// Properties a list request needs (`x-list-required-properties`).
            pub const LIST_REQUIRED_PROPERTIES: &[&str] = &[#(#list_required),*];
            #model_alias
            #create_alias
            #row
            /// Methods of the resource (as on its docs page): name, SQL verb, required params.
            pub const METHODS: &[crate::Method] = &[#(#methods),*];
            #(#permission_consts)*
            /// Registry entry of this resource.
            pub const RESOURCE: crate::ResourceInfo = crate::ResourceInfo {
                id: ID,
                service: #service_name,
                name: #resource_name,
                type_name: TYPE_NAME,
                kind: crate::ResourceKind::#kind,
                identifiers: IDENTIFIERS,
                list_required_properties: LIST_REQUIRED_PROPERTIES,
                methods: METHODS,
                permissions: &[#(#permission_entries),*],
            };
        }
    }
}

/// The row type and `from_model`.
fn row_tokens(
    resource: &Resource,
    types: &ServiceTypes,
    model: Option<usize>,
    prefix: &TokenStream,
) -> TokenStream {
    if let Some(model) = model {
        let model_fields = types.fields(model);
        let whole_model = matches!(resource.kind, ResourceKind::Get | ResourceKind::CustomList)
            && resource.fields.len() == model_fields.len()
            && resource
                .fields
                .iter()
                .zip(model_fields)
                .all(|(field, property)| field.name == property.serde);
        if whole_model {
            return whole_model_row(types, model, prefix);
        }
    }
    let mut used: BTreeSet<String> = BTreeSet::from(["region".to_owned()]);
    let mut columns: BTreeSet<String> = BTreeSet::from(["region".to_owned()]);
    let mut fields = Vec::with_capacity(resource.fields.len());
    for field in &resource.fields {
        let mut row_ident = column_ident(&field.column);
        let mut n = 2;
        while !used.insert(row_ident.clone()) {
            row_ident = format!("{}_{n}", ident_text(&column_ident(&field.column)));
            n += 1;
        }
        // Serialized under its column name, unless two fields share it.
        let column = if columns.insert(field.column.clone()) {
            field.column.clone()
        } else {
            ident_text(&row_ident).to_owned()
        };
        let (ty, computed, moved) = row_value(&field.name, types, model, prefix);
        fields.push(RowField {
            ident: row_ident,
            column,
            ty,
            computed,
            moved,
            description: field.description.clone(),
            property: field.name.clone(),
        });
    }
    let decls = fields.iter().map(|f| {
        let name = ident(&f.ident);
        let ty = &f.ty;
        let note = format!("Column `{}` (CloudFormation `{}`).", f.column, f.property);
        let docs = doc_attrs(&doc_lines(
            f.description.as_deref(),
            &format!("The `{}` column.", f.column),
            &[note],
        ));
        let rename = if ident_text(&f.ident) == f.column {
            TokenStream::new()
        } else {
            let column = &f.column;
            quote! { #[serde(rename = #column)] }
        };
        quote! {
            #docs
            #rename
            pub #name: ::std::option::Option<#ty>,
        }
    });
    let model_param = match model {
        Some(index) => {
            let name = ident(&types.types[index].name);
            quote! { #prefix #name }
        }
        None => quote! { ::serde_json::Value },
    };
    let lets = fields.iter().filter_map(|f| {
        let name = ident(&f.ident);
        f.computed
            .as_ref()
            .map(|expr| quote! { let #name = #expr; })
    });
    let inits = fields.iter().map(|f| {
        let name = ident(&f.ident);
        match (&f.computed, &f.moved) {
            (Some(_), _) => quote! { #name },
            (None, Some(model_field)) => {
                let model_field = ident(model_field);
                quote! { #name: model.#model_field }
            }
            (None, None) => quote! { #name: ::std::option::Option::None },
        }
    });
    let uses_model = fields
        .iter()
        .any(|f| f.computed.is_some() || f.moved.is_some());
    let model_binding = if uses_model {
        quote! { model }
    } else {
        quote! { _model }
    };
    quote! {
        /// A row of the resource as its docs page lists it: the fields, then `region`.
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct Row {
            #(#decls)*
            /// The region the resource lives in.
            pub region: ::std::string::String,
        }
        impl Row {
            /// The row of a resource read in `region`.
            #[must_use]
            pub fn from_model(region: impl ::std::convert::Into<::std::string::String>, #model_binding: #model_param) -> Self {
                #(#lets)*
                Self { #(#inits,)* region: region.into() }
            }
        }
    }
}

/// The row of a resource whose docs page lists every property: the model itself (not a copy
/// of its fields), serialized flat beside `region`.
fn whole_model_row(types: &ServiceTypes, model: usize, prefix: &TokenStream) -> TokenStream {
    let name = ident(&types.types[model].name);
    quote! {
        /// A row of the resource as its docs page lists it: every property of the model, then
        /// `region`. Serialized flat: the properties under their CloudFormation names, then
        /// `region`.
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct Row {
            /// The resource's properties.
            #[serde(flatten)]
            pub properties: #prefix #name,
            /// The region the resource lives in.
            pub region: ::std::string::String,
        }
        impl Row {
            /// The row of a resource read in `region`.
            #[must_use]
            pub fn from_model(region: impl ::std::convert::Into<::std::string::String>, model: #prefix #name) -> Self {
                Self { properties: model, region: region.into() }
            }
        }
    }
}

/// Type and extraction of one row field from a property name or `Outer/Inner` path.
fn row_value(
    path: &str,
    types: &ServiceTypes,
    model: Option<usize>,
    prefix: &TokenStream,
) -> (TokenStream, Option<TokenStream>, Option<String>) {
    let segments: Vec<&str> = path.split('/').collect();
    let fallback = || {
        let pointer: String = segments
            .iter()
            .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
            .collect();
        let pointer = Literal::string(&pointer);
        (
            quote! { ::serde_json::Value },
            Some(
                quote! { ::serde_json::to_value(&model).ok().and_then(|value| value.pointer(#pointer).cloned()) },
            ),
            None,
        )
    };
    let Some(model) = model else {
        return fallback();
    };
    // Walk typed fields; anything but structs along the way falls back to JSON.
    let mut current = model;
    let mut chain: Vec<&super::types::Field> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let Some(field) = field_by_serde(types, current, segment) else {
            return fallback();
        };
        chain.push(field);
        if i + 1 < segments.len() {
            match &field.ty {
                Ty::Named(next) if !types.fields(*next).is_empty() => current = *next,
                _ => return fallback(),
            }
        }
    }
    let Some(last) = chain.last() else {
        return fallback();
    };
    let base = ty_tokens(&last.ty, types, prefix);
    let ty = if last.boxed {
        quote! { ::std::boxed::Box<#base> }
    } else {
        base
    };
    if chain.len() == 1 {
        return (ty, None, Some(last.ident.clone()));
    }
    let first = ident(&chain[0].ident);
    let mut expr = quote! { model.#first.as_ref() };
    for (i, field) in chain.iter().enumerate().skip(1) {
        let name = ident(&field.ident);
        let is_last = i + 1 == chain.len();
        expr = match (is_last, field.optional) {
            (false, true) => quote! { #expr.and_then(|value| value.#name.as_ref()) },
            (false, false) => quote! { #expr.map(|value| &value.#name) },
            (true, true) => quote! { #expr.and_then(|value| value.#name.clone()) },
            (true, false) => quote! { #expr.map(|value| value.#name.clone()) },
        };
    }
    (ty, Some(expr), None)
}
