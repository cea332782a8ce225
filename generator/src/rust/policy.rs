//! `src/policy.rs` of the generated crate: the `Operation` enum and the `Policy` builder that
//! turns resources and operations into a least-privilege IAM policy document.
//!
//! Always compiled (no feature): it reads only the registry ([`crate::model::Resource::permissions`]
//! through each `ResourceInfo::permissions`, the same data as the docs pages' Permissions
//! sections) and the kind-to-handlers table [`crate::model::ResourceKind::handlers`], which the
//! docs pages use too, so a resource's default operations are the sections its page shows.

use crate::model::{Provider, Resource, ResourceKind, Service};
use quote::{format_ident, quote};

use crate::error::Result;

/// Every kind, for the generated `match` over `ResourceKind`.
const KINDS: [ResourceKind; 5] = [
    ResourceKind::List,
    ResourceKind::Get,
    ResourceKind::CustomList,
    ResourceKind::CreateOnly,
    ResourceKind::Api,
];

/// The variant of the generated crate's `ResourceKind` for a kind (used by the registry
/// entries and the policy's `match`).
pub(super) fn kind_variant(kind: ResourceKind) -> proc_macro2::Ident {
    let variant = match kind {
        ResourceKind::List => "List",
        ResourceKind::Get => "Get",
        ResourceKind::CustomList => "CustomList",
        ResourceKind::CreateOnly => "CreateOnly",
        ResourceKind::Api => "Api",
    };
    format_ident!("{variant}")
}

/// The variant of the generated `Operation` for a handler name.
fn operation_variant(handler: &str) -> proc_macro2::Ident {
    let variant = match handler {
        "create" => "Create",
        "read" => "Read",
        "update" => "Update",
        "delete" => "Delete",
        _ => "List",
    };
    format_ident!("{variant}")
}

/// `src/policy.rs` of the generated crate.
pub(crate) fn policy_rs(provider: &Provider, services: &[&Service]) -> Result<String> {
    let arms = KINDS.iter().map(|kind| {
        let variant = kind_variant(*kind);
        let operations = kind.handlers().iter().map(|h| operation_variant(h));
        quote! { crate::ResourceKind::#variant => &[#(Operation::#operations),*], }
    });
    let example = example(provider, services);
    let tokens = quote! {
        //! Least-privilege IAM policies for Cloud Control operations, from the registry's
        //! handler permissions (the same data as each docs page's Permissions section).
        //!
        #(#example)*
        //! The document has one `Allow` statement per service prefix, sorted by prefix, each
        //! with a stable `Sid` (the prefix in camel case: `Cloudformation`, `Logs`), its actions deduplicated case-insensitively and sorted, and
        //! `"Resource": "*"`: handler permissions carry no ARN scoping. The same calls always
        //! give the same bytes.

        use crate::{ResourceInfo, ResourceKind};

        /// An operation on a resource through AWS Cloud Control API; each runs the resource
        /// type's handler of the same name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            /// `CreateResource`, then waits (`create` handler).
            Create,
            /// `GetResource` (`read` handler).
            Read,
            /// `UpdateResource`, then waits (`update` handler).
            Update,
            /// `DeleteResource`, then waits (`delete` handler).
            Delete,
            /// `ListResources` (`list` handler).
            List,
        }

        impl Operation {
            /// Every operation.
            pub const ALL: [Operation; 5] = [
                Operation::Create,
                Operation::Read,
                Operation::Update,
                Operation::Delete,
                Operation::List,
            ];

            /// The handler name (`create`, `read`, `update`, `delete`, `list`).
            pub fn handler(self) -> &'static str {
                match self {
                    Operation::Create => "create",
                    Operation::Read => "read",
                    Operation::Update => "update",
                    Operation::Delete => "delete",
                    Operation::List => "list",
                }
            }

            /// The operation of a handler name, case-insensitively (`get` is accepted for `read`).
            pub fn from_name(name: &str) -> ::std::option::Option<Operation> {
                let name = name.trim().to_ascii_lowercase();
                if name == "get" {
                    return ::std::option::Option::Some(Operation::Read);
                }
                Operation::ALL.into_iter().find(|op| op.handler() == name)
            }

            /// The Cloud Control API actions the operation calls (IAM prefix `cloudformation`):
            /// the request, plus `GetResourceRequestStatus` for the wait of a mutation.
            pub fn cloud_control_actions(self) -> &'static [&'static str] {
                match self {
                    Operation::Create => &["cloudformation:CreateResource", "cloudformation:GetResourceRequestStatus"],
                    Operation::Read => &["cloudformation:GetResource"],
                    Operation::Update => &["cloudformation:UpdateResource", "cloudformation:GetResourceRequestStatus"],
                    Operation::Delete => &["cloudformation:DeleteResource", "cloudformation:GetResourceRequestStatus"],
                    Operation::List => &["cloudformation:ListResources"],
                }
            }

            /// The IAM permissions the resource type's handler for this operation needs, as the
            /// schema lists them; `None` when the type has no such handler.
            pub fn handler_permissions(self, resource: &ResourceInfo) -> ::std::option::Option<&'static [&'static str]> {
                resource
                    .permissions
                    .iter()
                    .find(|p| p.handler == self.handler())
                    .map(|p| p.actions)
            }

            /// Whether the resource's type has a handler for this operation.
            pub fn is_supported_by(self, resource: &ResourceInfo) -> bool {
                self.handler_permissions(resource).is_some()
            }

            /// The operations a resource of `kind` offers, as its docs page's Permissions
            /// section lists them (generated from the same table).
            pub fn of_kind(kind: ResourceKind) -> &'static [Operation] {
                match kind {
                    #(#arms)*
                    #[allow(unreachable_patterns)]
                    _ => &[],
                }
            }

            /// The operations [`Operation::of_kind`] gives for the resource that its type has a
            /// handler for: what the resource's docs page lists.
            pub fn defaults(resource: &ResourceInfo) -> ::std::vec::Vec<Operation> {
                Operation::of_kind(resource.kind)
                    .iter()
                    .copied()
                    .filter(|op| op.is_supported_by(resource))
                    .collect()
            }
        }

        impl ::std::fmt::Display for Operation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.handler())
            }
        }

        /// An IAM identity policy being built: the union of the actions of the operations
        /// allowed so far. Rendered by [`Policy::to_json`] (or `Display`).
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct Policy {
            /// `(prefix, lowercase action name)` to the spelling rendered (prefix lowercased,
            /// the smallest spelling of the name, so the result does not depend on call order).
            actions: ::std::collections::BTreeMap<(::std::string::String, ::std::string::String), ::std::string::String>,
        }

        impl Policy {
            /// An empty policy.
            pub fn new() -> Self {
                Self::default()
            }

            /// Allows `operations` on `resource`: their Cloud Control actions and the
            /// permissions of the type's handlers for them. An operation whose handler the type
            /// lacks (see [`Operation::is_supported_by`]) adds its Cloud Control actions only.
            pub fn allow(mut self, resource: &ResourceInfo, operations: &[Operation]) -> Self {
                for operation in operations {
                    for action in operation.cloud_control_actions() {
                        self.insert(action);
                    }
                    for action in operation.handler_permissions(resource).unwrap_or(&[]) {
                        self.insert(action);
                    }
                }
                self
            }

            /// Also allows `cloudformation:CancelResourceRequest` (cancelling a create, update
            /// or delete in progress).
            pub fn allow_cancel(mut self) -> Self {
                self.insert("cloudformation:CancelResourceRequest");
                self
            }

            /// Also allows `cloudformation:ListResourceRequests` (listing requests in progress).
            pub fn allow_list_requests(mut self) -> Self {
                self.insert("cloudformation:ListResourceRequests");
                self
            }

            /// Adds one action; blank strings are skipped.
            fn insert(&mut self, action: &str) {
                let action = action.trim();
                if action.is_empty() {
                    return;
                }
                let (prefix, name) = match action.split_once(':') {
                    ::std::option::Option::Some((prefix, name)) => (prefix.to_ascii_lowercase(), name),
                    ::std::option::Option::None => (::std::string::String::new(), action),
                };
                let spelling = if prefix.is_empty() {
                    name.to_owned()
                } else {
                    ::std::format!("{prefix}:{name}")
                };
                let entry = self
                    .actions
                    .entry((prefix, name.to_ascii_lowercase()))
                    .or_insert_with(|| spelling.clone());
                if spelling < *entry {
                    *entry = spelling;
                }
            }

            /// Every action of the policy, sorted by service prefix then name.
            pub fn actions(&self) -> ::std::vec::Vec<::std::string::String> {
                self.actions.values().cloned().collect()
            }

            /// The IAM policy document (`"Version": "2012-10-17"`), pretty-printed with two-space
            /// indents and a final newline: the policy's `Display`.
            pub fn to_json(&self) -> ::std::string::String {
                self.to_string()
            }

            /// The document: one statement per service prefix, in prefix order.
            fn document(&self) -> Document<'_> {
                let mut statements: ::std::vec::Vec<Statement<'_>> = ::std::vec::Vec::new();
                for ((prefix, _), spelling) in &self.actions {
                    match statements.last_mut() {
                        ::std::option::Option::Some(last) if last.prefix == prefix.as_str() => last.action.push(spelling),
                        _ => statements.push(Statement {
                            prefix: prefix.as_str(),
                            sid: sid(prefix),
                            effect: "Allow",
                            action: ::std::vec![spelling.as_str()],
                            resource: "*",
                        }),
                    }
                }
                Document { version: "2012-10-17", statement: statements }
            }
        }

        /// Serializes as the IAM policy document, so a policy can be embedded in another
        /// document (a CloudFormation template's `PolicyDocument`, say).
        impl ::serde::Serialize for Policy {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.document(), serializer)
            }
        }

        /// The JSON of [`Policy::to_json`]. The document holds strings only, which serde_json
        /// always serializes; its error would become `fmt::Error`.
        impl ::std::fmt::Display for Policy {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let text = serde_json::to_string_pretty(&self.document()).map_err(|_| ::std::fmt::Error)?;
                f.write_str(&text)?;
                f.write_str("\n")
            }
        }

        /// An IAM policy document, in the member order IAM's documentation writes.
        #[derive(::serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Document<'a> {
            version: &'static str,
            statement: ::std::vec::Vec<Statement<'a>>,
        }

        /// One statement: the actions of one service prefix.
        #[derive(::serde::Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Statement<'a> {
            /// The service prefix the statement groups (not serialized).
            #[serde(skip)]
            prefix: &'a str,
            sid: ::std::string::String,
            effect: &'static str,
            action: ::std::vec::Vec<&'a str>,
            resource: &'static str,
        }

        /// The statement id of a service prefix: its alphanumeric runs capitalized
        /// (`logs` → `Logs`, `execute-api` → `ExecuteApi`); `Unprefixed` for actions without one.
        fn sid(prefix: &str) -> ::std::string::String {
            let sid: ::std::string::String = prefix
                .split(|c: char| !c.is_ascii_alphanumeric())
                .flat_map(|part| {
                    let mut chars = part.chars();
                    chars
                        .next()
                        .map(|first| first.to_ascii_uppercase())
                        .into_iter()
                        .chain(chars)
                })
                .collect();
            if sid.is_empty() {
                "Unprefixed".to_owned()
            } else {
                sid
            }
        }
    };
    super::format_file(tokens, "src/policy.rs")
}

/// The resources the examples use: a list resource of the provider (`aws.logs.log_groups`
/// when there is one, else the first with list and create permissions) and the singular
/// resource of its type.
fn example_resources<'a>(
    services: &[&'a Service],
    provider: &Provider,
) -> Option<(&'a Resource, Option<&'a Resource>)> {
    let resources = || services.iter().flat_map(|s| s.resources.iter());
    let has = |r: &crate::model::Resource, handler: &str| {
        r.permissions
            .as_ref()
            .is_some_and(|p| p.get(handler).is_some_and(|a| !a.is_empty()))
    };
    let list = resources()
        .find(|r| r.id == format!("{}.logs.log_groups", provider.name))
        .or_else(|| {
            resources().find(|r| r.kind == ResourceKind::List && has(r, "list") && has(r, "create"))
        });
    let list = list?;
    let single = resources().find(|r| r.kind == ResourceKind::Get && r.type_name == list.type_name);
    Some((list, single))
}

/// The provider docs page's section on least-privilege policies (empty when the provider has
/// no resource to show): the `cloudcontrol policy` command and the crate's `policy` module.
pub fn docs_section(provider: &Provider) -> String {
    let services: Vec<&Service> = provider
        .services
        .iter()
        .filter(|s| s.cloud_control)
        .collect();
    let Some((list, single)) = example_resources(&services, provider) else {
        return String::new();
    };
    let crate_name = crate::rust_crate_name(&provider.name).replace('-', "_");
    let mut command = format!("cloudcontrol policy {}:list,create", list.id);
    if let Some(single) = single {
        command.push_str(&format!(" {}:read,update,delete", single.id));
    }
    format!(
        "## Least-privilege IAM policies\n\n\
Each resource page's Permissions section lists what its handlers need. <code>cloudcontrol policy</code> turns the operations you use into an IAM policy: \
the Cloud Control API actions (IAM prefix <code>cloudformation</code>, with <code>GetResourceRequestStatus</code> for the waits) and the union of the handlers' permissions, \
one statement per service prefix, sorted, the same bytes every time:\n\n\
```sh\n{command}\n```\n\n\
The crate builds the same document (no feature needed):\n\n\
```rust\nuse {crate_name}::policy::{{Operation, Policy}};\n\n\
let resource = {crate_name}::resource(\"{}\").expect(\"in the registry\");\n\
let policy = Policy::new().allow(resource, &[Operation::List, Operation::Create]);\n\
println!(\"{{policy}}\");\n```\n\n\
The local Cloud Control emulator enforces such a policy (<code>--policy FILE</code>): a Cloud Control action it does not allow is an <code>AccessDeniedException</code>, \
a missing handler permission fails the request with <code>AccessDenied</code> naming it.\n\n",
        list.id
    )
}

/// The doc example of the module, through `resource(id)` so it compiles without any service
/// feature.
fn example(provider: &Provider, services: &[&Service]) -> Vec<proc_macro2::TokenStream> {
    let Some((list, single)) = example_resources(services, provider) else {
        return Vec::new();
    };
    let crate_name = crate::rust_crate_name(&provider.name).replace('-', "_");
    let mut lines = vec![
        "```".to_owned(),
        format!("use {crate_name}::policy::{{Operation, Policy}};"),
        String::new(),
        format!(
            "let list = {crate_name}::resource(\"{}\").expect(\"in the registry\");",
            list.id
        ),
    ];
    let mut chain =
        "let policy = Policy::new().allow(list, &[Operation::List, Operation::Create])".to_owned();
    if let Some(single) = single {
        lines.push(format!(
            "let single = {crate_name}::resource(\"{}\").expect(\"in the registry\");",
            single.id
        ));
        chain.push_str(".allow(single, &[Operation::Read, Operation::Update, Operation::Delete])");
    }
    chain.push(';');
    lines.push(chain);
    lines.push(
        "assert!(policy.actions().contains(&\"cloudformation:ListResources\".to_owned()));"
            .to_owned(),
    );
    lines.push("println!(\"{policy}\");".to_owned());
    lines.push("```".to_owned());
    lines.push(String::new());
    lines
        .into_iter()
        .map(|line| {
            let text = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            quote! { #![doc = #text] }
        })
        .collect()
}
