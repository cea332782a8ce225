//! `tests/read_models.rs` of the generated crate: per service (behind its feature) a test
//! that every read model of the service decodes what the emulator produces for its type, with
//! each nested required member removed in turn and with unknown members added, and writes it
//! back unchanged (`cloudcontrol_emulator::example::check_read_model`).
//!
//! Run over the whole crate with
//! `cargo test -p <crate> --no-default-features --features full --test read_models`.

use super::items::ident;
use crate::error::Result;
use crate::model::{Provider, Service};
use crate::naming::module_ident;
use quote::quote;
use std::collections::BTreeSet;

/// The test file; one test function per service.
pub(crate) fn read_models_rs(provider: &Provider, services: &[&Service]) -> Result<String> {
    let crate_ident = ident(&crate::rust_crate_name(&provider.name).replace('-', "_"));
    let tests = services.iter().map(|service| {
        let feature = &service.name;
        let module = ident(&module_ident(&service.name));
        let test = ident(&format!(
            "{}_read_models",
            module_ident(&service.name).trim_start_matches("r#")
        ));
        // One check per CloudFormation type, through the first resource module of that type
        // (its `Model` alias and `TYPE_NAME`).
        let mut seen = BTreeSet::new();
        let checks = service
            .resources
            .iter()
            .filter(|r| r.schema_name.is_some())
            .filter(|r| r.type_name.as_ref().is_some_and(|t| seen.insert(t.clone())))
            .map(|resource| {
                let resource = ident(&module_ident(&resource.name));
                quote! {
                    check::<#crate_ident::#module::#resource::Model>(
                        #crate_ident::#module::#resource::TYPE_NAME,
                        &mut failures,
                    );
                }
            });
        let doc = format!(" The read models of `{}`.", service.name);
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            #[test]
            fn #test() {
                let mut failures = ::std::vec::Vec::new();
                #(#checks)*
                assert!(failures.is_empty(), "{}", failures.join("\n"));
            }
        }
    });
    let doc = [
        " Every read model decodes what the emulator produces for its type: the model itself, the model with each nested required member removed in turn, and the model with an unknown member at the top and in each nested object; and writes each back unchanged.",
        "",
        " One test per service, behind the service's feature. The specs are read from `$CLOUDCONTROL_SPECS`, else from `../../provider-specs` (the repository layout); without them the tests skip with a message, and fail when `CI=true`.",
    ];
    let tokens = quote! {
        #(#![doc = #doc])*
        #![allow(unused)]

        use ::std::path::PathBuf;
        use ::std::sync::OnceLock;

        /// The emulator's index of the specs the crate was generated from.
        fn registry() -> ::std::option::Option<&'static cloudcontrol_emulator::Registry> {
            static REGISTRY: OnceLock<::std::option::Option<cloudcontrol_emulator::Registry>> = OnceLock::new();
            REGISTRY
                .get_or_init(|| {
                    let root = ::std::env::var_os("CLOUDCONTROL_SPECS")
                        .map(PathBuf::from)
                        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../provider-specs"));
                    match cloudcontrol_emulator::Registry::index(&root) {
                        Ok(registry) => Some(registry),
                        Err(e) if ::std::env::var("CI").as_deref() != Ok("true") => {
                            eprintln!("skipping the read-model tests: no specs at {}: {e}", root.display());
                            None
                        }
                        Err(e) => panic!("no specs at {} (set CLOUDCONTROL_SPECS): {e}", root.display()),
                    }
                })
                .as_ref()
        }

        /// Checks the read model `T` of `type_name`, adding what fails to `failures`.
        fn check<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
            type_name: &str,
            failures: &mut ::std::vec::Vec<::std::string::String>,
        ) {
            let Some(registry) = registry() else { return };
            match registry.get(type_name) {
                Ok(info) => {
                    if let Err(e) = cloudcontrol_emulator::example::check_read_model::<T>(&info) {
                        failures.push(e);
                    }
                }
                Err(e) => failures.push(format!("{type_name}: {e}")),
            }
        }

        #(#tests)*
    };
    super::format_file(tokens, "tests/read_models.rs")
}
