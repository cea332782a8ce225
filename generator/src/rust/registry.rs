//! `src/registry.rs` of the generated crate: a module per service holding a `ResourceInfo`
//! constant per resource. It is compiled without any feature, so tools such as the CLI can look
//! resources up by id without compiling the services' types.

use super::items::ident;
use super::resources::{registry_const, registry_entry};
use crate::error::Result;
use crate::model::{Provider, Service};
use crate::naming::module_ident;
use quote::quote;

/// `src/registry.rs`: a module per service holding a `ResourceInfo` constant per resource.
pub(crate) fn registry_rs(provider: &Provider, services: &[&Service]) -> Result<String> {
    let modules = services.iter().map(|service| {
        let module = ident(&module_ident(&service.name));
        let doc = format!(" Registry entries of the `{}` resources.", service.name);
        let consts = service
            .resources
            .iter()
            .enumerate()
            .map(|(index, resource)| {
                // Resources of one CloudFormation type share their permission tables.
                let sibling = service.resources[..index]
                    .iter()
                    .find(|r| {
                        r.schema_name.is_some()
                            && r.schema_name == resource.schema_name
                            && r.permissions == resource.permissions
                    })
                    .map(|r| registry_const(&r.name));
                let name = ident(&registry_const(&resource.name));
                let entry = registry_entry(service, resource, sibling.as_deref());
                let doc = format!(" {}.", super::rustdoc::code(&resource.id));
                quote! {
                    #[doc = #doc]
                    pub const #name: crate::ResourceInfo = #entry;
                }
            });
        quote! {
            #[doc = #doc]
            pub mod #module {
                #(#consts)*
            }
        }
    });
    let doc = format!(
        " Metadata of every resource of the `{}` provider, by service: always compiled (no feature), read by [`crate::RESOURCES`] and by each resource module's `RESOURCE`.",
        provider.name
    );
    let tokens = quote! {
        #![doc = #doc]
        #(#modules)*
    };
    super::format_file(tokens, "src/registry.rs")
}
