//! One module per StackQL resource (`connections`, `connection`, ...): its constants (type
//! name, identifiers, methods, IAM permissions per handler), the type of its rows (the fields
//! of its docs page, then `region`), its entry of the always-compiled registry
//! (`crate::registry`), and behind the `runtime` feature the functions calling Cloud Control
//! (`list`, `list_stream`, `list_with`, `create`).

use super::ast;
use super::items::{doc_attrs, doc_lines, ident, inner_doc_attrs};
use super::rustdoc;
use super::types::{field_by_serde, ServiceTypes, Ty};
use crate::model::{Resource, ResourceKind, Service};
use crate::naming::{column_ident, ident_text, module_ident, permissions_const};
use proc_macro2::{Literal, TokenStream};
use provider_spec::unique::UniqueNames;
use quote::{quote, ToTokens};
use std::collections::BTreeSet;

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

/// Tokens of a resource module: constants read from its registry entry, the row type, and the
/// functions calling the runtime.
pub(crate) fn resource_module(
    service: &Service,
    resource: &Resource,
    types: &ServiceTypes,
    plan: &super::update::Plan,
) -> TokenStream {
    let module = ident(&module_ident(&resource.name));
    let type_name = resource.type_name.clone().unwrap_or_default();
    let id = &resource.id;
    let model = types.model_of(resource);
    // The row types live in the resource module, the service's types one level up.
    let super_prefix = Some("super");

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

    let row = row_tokens(resource, types, model, super_prefix);

    // The metadata lives in the always-compiled registry (`crate::registry`); the module's
    // constants read it, so the two cannot disagree.
    let registry_path = registry_path(service, resource);
    let mut const_names = UniqueNames::new();
    let mut permission_consts = Vec::new();
    for (index, (handler, _)) in resource.permissions.iter().flatten().enumerate() {
        let const_ident = ident(&const_names.claim(&permissions_const(handler), "_"));
        let doc = format!(
            " IAM permissions the {} handler needs.",
            rustdoc::code(handler)
        );
        let index = Literal::usize_unsuffixed(index);
        permission_consts.push(quote! {
            #[doc = #doc]
            pub const #const_ident: &[&str] = RESOURCE.permissions[#index].actions;
        });
    }
    let runtime = runtime_fns(resource, types, model, create_alias.is_some());
    let lifecycle = super::update::resource_fns(resource, types, plan);

    quote! {
        pub mod #module {
            #inner_docs
            /// Registry entry of this resource.
            pub const RESOURCE: crate::ResourceInfo = #registry_path;
            /// StackQL resource id.
            pub const ID: &str = RESOURCE.id;
            /// CloudFormation type name.
            pub const TYPE_NAME: &str = RESOURCE.type_name;
            /// Identifier properties, in order (`Outer/Inner` for nested ones).
            pub const IDENTIFIERS: &[&str] = RESOURCE.identifiers;
            /// Properties a list request needs (`x-list-required-properties`).
            pub const LIST_REQUIRED_PROPERTIES: &[&str] = RESOURCE.list_required_properties;
            #model_alias
            #create_alias
            #row
            /// Methods of the resource (as on its docs page): name, SQL verb, required params.
            pub const METHODS: &[crate::Method] = RESOURCE.methods;
            #(#permission_consts)*
            #runtime
            #lifecycle
        }
    }
}

/// `crate::registry::<service>::<RESOURCE>`: the registry constant of a resource.
pub(crate) fn registry_path(service: &Service, resource: &Resource) -> TokenStream {
    let service_module = ident(&module_ident(&service.name));
    let name = ident(&registry_const(&resource.name));
    quote! { crate::registry::#service_module::#name }
}

/// The name of a resource's constant in its service's registry module: its module name in
/// capitals (`connections` → `CONNECTIONS`, `r#type` → `TYPE`). Unique within a service
/// because module names are.
pub(crate) fn registry_const(resource_name: &str) -> String {
    ident_text(&module_ident(resource_name)).to_ascii_uppercase()
}

/// The `ResourceInfo` value of a resource. `sibling` is the registry constant of an earlier
/// resource of the same service with the same permissions, whose table is reused.
pub(crate) fn registry_entry(
    service: &Service,
    resource: &Resource,
    sibling: Option<&str>,
) -> TokenStream {
    let id = &resource.id;
    let type_name = resource.type_name.clone().unwrap_or_default();
    let identifiers = &resource.identifiers;
    let columns: Vec<String> = identifiers
        .iter()
        .map(|identifier| crate::naming::column_name(identifier))
        .collect();
    let methods = resource.methods.iter().map(|method| {
        let name = method.kind.as_str();
        let verb = ident(super::crate_root::sql_verb_variant(method.verb));
        let params = &method.required_params;
        quote! { crate::Method { name: #name, verb: crate::SqlVerb::#verb, required_params: &[#(#params),*] } }
    });
    let permissions =
        match sibling {
            Some(sibling) => {
                let sibling = ident(sibling);
                quote! { #sibling.permissions }
            }
            None => {
                let entries = resource.permissions.iter().flatten().map(|(handler, actions)| {
                quote! { crate::Permissions { handler: #handler, actions: &[#(#actions),*] } }
            });
                quote! { &[#(#entries),*] }
            }
        };
    let kind = super::policy::kind_variant(resource.kind);
    let service_name = &service.name;
    let resource_name = &resource.name;
    let list_required = &resource.properties.list_required;
    quote! {
        crate::ResourceInfo {
            id: #id,
            service: #service_name,
            name: #resource_name,
            type_name: #type_name,
            kind: crate::ResourceKind::#kind,
            identifiers: &[#(#identifiers),*],
            identifier_columns: &[#(#columns),*],
            list_required_properties: &[#(#list_required),*],
            methods: &[#(#methods),*],
            permissions: #permissions,
        }
    }
}

/// A typed parameter of `list` for one list-required property.
pub(crate) struct ListParam {
    /// The parameter's identifier.
    pub(crate) ident: TokenStream,
    ty: TokenStream,
    /// Expression turning the parameter into a JSON value.
    value: TokenStream,
    property: String,
}

/// The functions calling Cloud Control through the runtime (feature `runtime`): `list`,
/// `list_stream` and, for types whose list needs parent properties, `list_with`, on list
/// resources; `create` on resources with a create method and a create input.
fn runtime_fns(
    resource: &Resource,
    types: &ServiceTypes,
    model: Option<usize>,
    has_create_input: bool,
) -> TokenStream {
    let type_name = resource.type_name.clone().unwrap_or_default();
    let model_ty = match model {
        Some(_) => quote! { Model },
        None => quote! { ::serde_json::Value },
    };
    let mut out = TokenStream::new();
    if matches!(resource.kind, ResourceKind::List) {
        let params = list_params(resource, types, model);
        let decls = params.iter().map(|p| {
            let name = &p.ident;
            let ty = &p.ty;
            quote! { #name: #ty }
        });
        let decls2 = decls.clone();
        let (parent_build, parent_arg) = if params.is_empty() {
            (TokenStream::new(), quote! { ::std::option::Option::None })
        } else {
            let inserts = params.iter().map(|p| {
                let property = &p.property;
                let value = &p.value;
                quote! { parent.insert(::std::string::String::from(#property), #value); }
            });
            (
                quote! {
                    let mut parent = ::serde_json::Map::new();
                    #(#inserts)*
                    let parent = ::serde_json::Value::Object(parent);
                },
                quote! { ::std::option::Option::Some(&parent) },
            )
        };
        let parent_build2 = parent_build.clone();
        let parent_arg2 = parent_arg.clone();
        let required_note = if params.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = params.iter().map(|p| format!("`{}`", p.property)).collect();
            format!(
                " The type lists only under a parent: {} (sent as the request's `ResourceModel`).",
                names.join(", ")
            )
        };
        let parent_build3 = parent_build.clone();
        let parent_arg3 = parent_arg.clone();
        let parent_build4 = parent_build.clone();
        let parent_arg4 = parent_arg.clone();
        let decls3 = decls.clone();
        let decls4 = decls.clone();
        let list_doc = doc_attrs(&[
            format!("Lists every `{type_name}` in `region`, following every page, as rows of the docs page.{required_note}"),
            String::new(),
            "A resource that does not decode does not end the listing: it is a `ListItem::Undecoded` item (identifier, raw JSON, JSON path and reason) in its place among the rows. [`list_raw`] gives the raw JSON of every resource.".to_owned(),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "The runtime's error: AWS refused a request, throttling outlasted the retries, or the transport failed.".to_owned(),
        ]);
        let raw_doc = doc_attrs(&[
            "[`list`] without decoding: each resource's properties as AWS sent them.".to_owned(),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "As [`list`].".to_owned(),
        ]);
        let stream_doc = doc_attrs(&[format!(
            "Streaming form of [`list`]: items of `{type_name}` as pages arrive; the next page is requested when the current one is used up. A resource that does not decode is an undecoded item and the stream goes on; after an error the stream ends."
        )]);
        let stream_raw_doc = doc_attrs(&[
            "Streaming form of [`list_raw`]: each resource's properties as AWS sent them."
                .to_owned(),
        ]);
        out.extend(quote! {
            #list_doc
            #[cfg(feature = "runtime")]
            pub async fn list(client: &crate::runtime::Client, region: &str, #(#decls),*) -> ::std::result::Result<::std::vec::Vec<crate::runtime::ListItem<Row>>, crate::runtime::Error> {
                #parent_build
                let items: ::std::vec::Vec<crate::runtime::ListItem<#model_ty>> = crate::runtime::list(client, TYPE_NAME, region, #parent_arg).await?;
                ::std::result::Result::Ok(items.into_iter().map(|item| item.map(|model| Row::from_model(region, model))).collect())
            }
            #raw_doc
            #[cfg(feature = "runtime")]
            pub async fn list_raw(client: &crate::runtime::Client, region: &str, #(#decls3),*) -> ::std::result::Result<::std::vec::Vec<::serde_json::Value>, crate::runtime::Error> {
                #parent_build3
                crate::runtime::list_raw(client, TYPE_NAME, region, #parent_arg3).await
            }
            #stream_doc
            #[cfg(feature = "runtime")]
            pub fn list_stream(client: &crate::runtime::Client, region: &str, #(#decls2),*) -> impl ::futures_util::Stream<Item = ::std::result::Result<crate::runtime::ListItem<Row>, crate::runtime::Error>> + ::std::marker::Send + 'static {
                #parent_build2
                let region = ::std::string::String::from(region);
                ::futures_util::StreamExt::map(
                    crate::runtime::list_stream::<#model_ty>(client, TYPE_NAME, &region, #parent_arg2),
                    move |item| item.map(|item| item.map(|model| Row::from_model(region.as_str(), model))),
                )
            }
            #stream_raw_doc
            #[cfg(feature = "runtime")]
            pub fn list_stream_raw(client: &crate::runtime::Client, region: &str, #(#decls4),*) -> impl ::futures_util::Stream<Item = ::std::result::Result<::serde_json::Value, crate::runtime::Error>> + ::std::marker::Send + 'static {
                #parent_build4
                crate::runtime::list_stream_raw(client, TYPE_NAME, region, #parent_arg4)
            }
        });
        if !params.is_empty() {
            let with_doc = doc_attrs(&[
                format!(
                    "[`list`] with the parent properties given as a JSON object (CloudFormation names, e.g. `{{\"{}\": ...}}`), sent as the request's `ResourceModel`. Cloud Control refuses a parent that lacks a required property.",
                    params[0].property
                ),
                String::new(),
                "# Errors".to_owned(),
                String::new(),
                "As [`list`].".to_owned(),
            ]);
            let with_raw_doc = doc_attrs(&[
                "[`list_with`] without decoding: each resource's properties as AWS sent them."
                    .to_owned(),
                String::new(),
                "# Errors".to_owned(),
                String::new(),
                "As [`list`].".to_owned(),
            ]);
            out.extend(quote! {
                #with_doc
                #[cfg(feature = "runtime")]
                pub async fn list_with(client: &crate::runtime::Client, region: &str, parent: &::serde_json::Value) -> ::std::result::Result<::std::vec::Vec<crate::runtime::ListItem<Row>>, crate::runtime::Error> {
                    let items: ::std::vec::Vec<crate::runtime::ListItem<#model_ty>> = crate::runtime::list(client, TYPE_NAME, region, ::std::option::Option::Some(parent)).await?;
                    ::std::result::Result::Ok(items.into_iter().map(|item| item.map(|model| Row::from_model(region, model))).collect())
                }
                #with_raw_doc
                #[cfg(feature = "runtime")]
                pub async fn list_with_raw(client: &crate::runtime::Client, region: &str, parent: &::serde_json::Value) -> ::std::result::Result<::std::vec::Vec<::serde_json::Value>, crate::runtime::Error> {
                    crate::runtime::list_raw(client, TYPE_NAME, region, ::std::option::Option::Some(parent)).await
                }
            });
        }
    }
    if has_create_input && model.is_some() {
        let create_doc = doc_attrs(&[
            format!("Creates a `{type_name}` in `region` from `input` and waits until Cloud Control reports the outcome. One client token per call, reused on every retry, so a retried create never creates twice."),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "`RequestFailed` with the handler's error code, message and request token when the create fails; `Deadline` with the request token (resume with `runtime::resume_create`) when the client's poll deadline passes first; otherwise as for any call.".to_owned(),
        ]);
        out.extend(quote! {
            #create_doc
            #[cfg(feature = "runtime")]
            pub async fn create(client: &crate::runtime::Client, region: &str, input: &CreateInput) -> ::std::result::Result<crate::runtime::Created<Model>, crate::runtime::Error> {
                crate::runtime::create(client, TYPE_NAME, region, input).await
            }
        });
    }
    out
}

/// The typed `list` parameters of a resource's list-required properties: `&str` for strings,
/// `i64`/`f64`/`bool` for scalars, `&serde_json::Value` otherwise.
pub(crate) fn list_params(
    resource: &Resource,
    types: &ServiceTypes,
    model: Option<usize>,
) -> Vec<ListParam> {
    let mut used = UniqueNames::with_taken(["client", "region"]);
    resource
        .properties
        .list_required
        .iter()
        .map(|property| {
            let field = model.and_then(|m| field_by_serde(types, m, property));
            let base = field
                .map(|f| f.ident.clone())
                .unwrap_or_else(|| crate::naming::field_ident(property));
            let name_ident = ident(&used.claim(&base, "_"));
            let (ty, value) = match field.map(|f| &f.ty) {
                Some(Ty::String) => (
                    quote! { &str },
                    quote! { ::serde_json::Value::from(#name_ident) },
                ),
                Some(Ty::I64) => (
                    quote! { i64 },
                    quote! { ::serde_json::Value::from(#name_ident) },
                ),
                Some(Ty::F64) => (
                    quote! { f64 },
                    quote! { ::serde_json::Value::from(#name_ident) },
                ),
                Some(Ty::Bool) => (
                    quote! { bool },
                    quote! { ::serde_json::Value::from(#name_ident) },
                ),
                _ => (
                    quote! { &::serde_json::Value },
                    quote! { ::std::clone::Clone::clone(#name_ident) },
                ),
            };
            ListParam {
                ident: quote! { #name_ident },
                ty,
                value,
                property: property.clone(),
            }
        })
        .collect()
}

/// The row type and `from_model`.
fn row_tokens(
    resource: &Resource,
    types: &ServiceTypes,
    model: Option<usize>,
    prefix: Option<&str>,
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
    let mut used = UniqueNames::with_taken(["region"]);
    let mut columns: BTreeSet<String> = BTreeSet::from(["region".to_owned()]);
    let mut fields = Vec::with_capacity(resource.fields.len());
    for field in &resource.fields {
        let row_ident = used.claim(&column_ident(&field.column), "_");
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
        Some(index) => ast::ty(&Ty::Named(index), types, prefix).into_token_stream(),
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
fn whole_model_row(types: &ServiceTypes, model: usize, prefix: Option<&str>) -> TokenStream {
    let model = ast::ty(&Ty::Named(model), types, prefix);
    quote! {
        /// A row of the resource as its docs page lists it: every property of the model, then
        /// `region`. Serialized flat: the properties under their CloudFormation names, then
        /// `region`.
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct Row {
            /// The resource's properties.
            #[serde(flatten)]
            pub properties: #model,
            /// The region the resource lives in.
            pub region: ::std::string::String,
        }
        impl Row {
            /// The row of a resource read in `region`.
            #[must_use]
            pub fn from_model(region: impl ::std::convert::Into<::std::string::String>, model: #model) -> Self {
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
    prefix: Option<&str>,
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
    let base = ast::ty(&last.ty, types, prefix);
    let ty = if last.boxed {
        quote! { ::std::boxed::Box<#base> }
    } else {
        base.into_token_stream()
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

#[cfg(test)]
mod tests {
    use super::registry_const;

    #[test]
    fn registry_constants_are_module_names_in_capitals() {
        assert_eq!(registry_const("connections"), "CONNECTIONS");
        assert_eq!(registry_const("type"), "TYPE");
        assert_eq!(registry_const("vpc_endpoints"), "VPC_ENDPOINTS");
    }
}
