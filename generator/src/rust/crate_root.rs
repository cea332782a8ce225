//! `src/lib.rs` of the generated crate: the crate docs, the registry types (`ResourceKind`,
//! `SqlVerb`, `Method`, `Permissions`, `ResourceInfo`), a module per service behind its feature,
//! and the `RESOURCES` table with its `resource(id)` lookup.

use super::items::ident;
use super::resources::registry_path;
use crate::error::Result;
use crate::model::{MethodKind, Provider, Service, SqlVerb};
use crate::naming::module_ident;
use quote::quote;

/// `src/lib.rs` of the generated crate.
pub(crate) fn lib_rs(provider: &Provider, services: &[&Service]) -> Result<String> {
    let crate_name = crate::rust_crate_name(&provider.name);
    let provider_name = &provider.name;
    let doc_lines = [
        format!("Typed models of every AWS Cloud Control resource type of the `{provider_name}` provider, with the metadata of each StackQL resource."),
        String::new(),
        "Each service is a module behind a Cargo feature of the same name (`full` enables all): a user who needs `codeconnections` compiles `codeconnections` only.".to_owned(),
        String::new(),
        "Per CloudFormation type a service module has a model struct (what reads return; every property optional), a `Create…` struct (what creates send: `new` takes the required properties as a `…Required` struct literal, read-only ones cannot be set) and the nested types of its schema. Per StackQL resource it has a module with `TYPE_NAME`, `IDENTIFIERS`, `METHODS`, the IAM permissions per handler (`CREATE_PERMISSIONS`, ...), the `Row` type of its docs page and its `RESOURCE` entry of the [`RESOURCES`] table.".to_owned(),
        String::new(),
        "With the `runtime` feature (on by default) the resource modules call AWS Cloud Control API through `runtime` (the re-exported `cloudcontrol-runtime`): list resources have `list(&client, region, <parent properties>)`, `list_stream` and, when the type lists under a parent, `list_with(&client, region, &parent_json)`, returning one item per resource: a typed row, or an undecoded item (identifier, raw JSON, decode error) that does not end the listing; each has a `_raw` sibling (`list_raw`, ...) returning the JSON as AWS sent it; get resources have `get`, and its raw sibling `get_raw`, by identifier; resources with a create method have `create(&client, region, &input)`. `default-features = false` builds the types only.".to_owned(),
        String::new(),
        "The [`registry`] (every resource's metadata) and [`RESOURCES`] are compiled without any feature, so tools can look resources up by id; so is [`policy`], which turns resources and [`Operation`]s into a least-privilege IAM policy.".to_owned(),
        String::new(),
        format!("Crate `{crate_name}`, generated from the provider specs; do not edit."),
    ];
    let docs = doc_lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #text] }
    });
    let modules = services.iter().map(|service| {
        let feature = &service.name;
        let module = ident(&module_ident(&service.name));
        let doc = format!(
            " {} resources (feature `{}`).",
            super::rustdoc::code(&service.title),
            service.name
        );
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let mut entries: Vec<(&str, proc_macro2::TokenStream)> = Vec::new();
    for service in services {
        for resource in &service.resources {
            entries.push((resource.id.as_str(), registry_path(service, resource)));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let entries = entries.iter().map(|(_, path)| path);
    let lifecycle = super::update::lib_items();
    let unknown_value = super::items::unknown_value_item();
    // The generated `SqlVerb` and `MethodKind` spell verbs and method names with the model's
    // `as_str`, so the registry's strings and the generator's enums cannot drift apart.
    let verb_variants: Vec<_> = SqlVerb::ALL
        .iter()
        .map(|&verb| {
            let variant = ident(sql_verb_variant(verb));
            let doc = format!(" `{}`.", verb.as_str());
            quote! { #[doc = #doc] #variant, }
        })
        .collect();
    let verb_arms: Vec<_> = SqlVerb::ALL
        .iter()
        .map(|&verb| {
            let variant = ident(sql_verb_variant(verb));
            let text = verb.as_str();
            quote! { SqlVerb::#variant => #text, }
        })
        .collect();
    let kind_variants: Vec<_> = MethodKind::NAMED
        .iter()
        .map(|kind| {
            let variant = ident(method_kind_variant(kind));
            let doc = format!(" `{}`.", kind.as_str());
            quote! { #[doc = #doc] #variant, }
        })
        .collect();
    let kind_names: Vec<_> = MethodKind::NAMED
        .iter()
        .map(|kind| {
            let variant = ident(method_kind_variant(kind));
            let text = kind.as_str().to_owned();
            quote! { MethodKind::#variant => ::std::option::Option::Some(#text), }
        })
        .collect();
    let kind_arms: Vec<_> = MethodKind::NAMED
        .iter()
        .map(|kind| {
            let variant = ident(method_kind_variant(kind));
            let text = kind.as_str().to_owned();
            quote! { #text => MethodKind::#variant, }
        })
        .collect();
    let tokens = quote! {
        #(#docs)*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // By design: a compound identifier's `new` and a list under a parent take every part,
        // and resource modules keep their StackQL names even when a service has a resource of
        // its own name. The runtime's error is one rich enum (codes, messages, request tokens) by
        // design, and the generated functions return it as it is.
        #![allow(clippy::too_many_arguments, clippy::module_inception, clippy::result_large_err)]

        /// What a StackQL resource is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ResourceKind {
            /// Plural resource: list and create.
            List,
            /// Singular resource: read, update and delete one by identifier.
            Get,
            /// A custom view over another resource.
            CustomList,
            /// Plural resource of a type that cannot be listed: create only.
            CreateOnly,
            /// Plain API operations.
            Api,
        }

        /// The SQL verb of a method.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SqlVerb {
            #(#verb_variants)*
        }

        impl SqlVerb {
            /// The verb as SQL spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#verb_arms)*
                }
            }
        }

        /// What a method does: one of the Cloud Control methods (by their names), or another.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum MethodKind {
            #(#kind_variants)*
            /// A method with another name (an API operation's own).
            Other,
        }

        impl MethodKind {
            /// The method name of this kind (`create_resource`); `None` for [`MethodKind::Other`].
            pub fn name(self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#kind_names)*
                    MethodKind::Other => ::std::option::Option::None,
                }
            }
        }

        impl Method {
            /// What the method does, from its name.
            pub fn kind(&self) -> MethodKind {
                match self.name {
                    #(#kind_arms)*
                    _ => MethodKind::Other,
                }
            }
        }

        /// A method of a resource, as its docs page lists it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct Method {
            /// Method name (`create_resource`, `list_resource`, ...).
            pub name: &'static str,
            /// SQL verb.
            pub verb: SqlVerb,
            /// Required parameters, `region` last.
            pub required_params: &'static [&'static str],
        }

        /// The IAM permissions one handler (`create`, `read`, `update`, `delete`, `list`) needs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct Permissions {
            /// Handler name.
            pub handler: &'static str,
            /// IAM actions.
            pub actions: &'static [&'static str],
        }

        /// Registry entry of a StackQL resource.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub struct ResourceInfo {
            /// StackQL id (`aws.codeconnections.connections`).
            pub id: &'static str,
            /// Service (and Cargo feature) name.
            pub service: &'static str,
            /// Resource name within the service.
            pub name: &'static str,
            /// CloudFormation type name.
            pub type_name: &'static str,
            /// What the resource is.
            pub kind: ResourceKind,
            /// Identifier properties, in order.
            pub identifiers: &'static [&'static str],
            /// Docs column names of the identifiers, in the same order (`connection_arn`).
            pub identifier_columns: &'static [&'static str],
            /// Properties a list request needs.
            pub list_required_properties: &'static [&'static str],
            /// Methods, as on the docs page.
            pub methods: &'static [Method],
            /// IAM permissions per handler, in schema order.
            pub permissions: &'static [Permissions],
        }

        /// The runtime the resource modules' `list` and `create` call (feature `runtime`).
        #[cfg(feature = "runtime")]
        pub use cloudcontrol_runtime as runtime;

        pub mod registry;

        /// Least-privilege IAM policies from the registry's handler permissions (no feature needed).
        pub mod policy;
        pub use policy::Operation;
        #lifecycle
        #unknown_value

        #(#modules)*

        /// Every resource of every service, sorted by id. Compiled without any service feature:
        /// the metadata is small, and tools look resources up by id.
        pub static RESOURCES: &[ResourceInfo] = &[#(#entries),*];

        /// The registry entry of a resource id (`aws.codeconnections.connections`).
        pub fn resource(id: &str) -> ::std::option::Option<&'static ResourceInfo> {
            RESOURCES.binary_search_by(|entry| entry.id.cmp(id)).ok().and_then(|index| RESOURCES.get(index))
        }
    };
    super::format_file(tokens, "src/lib.rs")
}

/// The variant of the generated `SqlVerb` for a verb.
pub(crate) fn sql_verb_variant(verb: SqlVerb) -> &'static str {
    match verb {
        SqlVerb::Select => "Select",
        SqlVerb::Insert => "Insert",
        SqlVerb::Update => "Update",
        SqlVerb::Replace => "Replace",
        SqlVerb::Delete => "Delete",
        SqlVerb::Exec => "Exec",
    }
}

/// The variant of the generated `MethodKind` for a method kind.
fn method_kind_variant(kind: &MethodKind) -> &'static str {
    match kind {
        MethodKind::Create => "Create",
        MethodKind::Get => "Get",
        MethodKind::Update => "Update",
        MethodKind::Delete => "Delete",
        MethodKind::List => "List",
        MethodKind::View => "View",
        MethodKind::Other(_) => "Other",
    }
}
