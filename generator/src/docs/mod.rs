//! The documentation emitter: the provider's docs site, as [`crate::rust`] is its crate.
//!
//! Layout (paths under the docs root, `<out>/docs/`), each file with the module that writes it:
//! - `<provider>-docs/providers/<provider>/index.md`, `.../<service>/index.md` and
//!   `.../<service>/<resource>/index.md` ([`pages`]): the Markdown pages, in the format of the
//!   StackQL provider docs site (the golden pages settle every byte); the provider page's
//!   lifecycle example is `docs/snippets/lifecycle.rs`, which the CLI's tests compile;
//! - `<provider>-docs/sidebars.js` ([`sidebar`]): the Docusaurus sidebar.
//!
//! The Rust panel data beside the pages (`rust-panel.json`) needs the crate's type names, so
//! [`crate::rust::panel`] writes it with the crate.

pub mod pages;
pub mod sidebar;

pub use pages::{provider_dir, provider_page_path, resource_page_path, service_page_path};

use crate::error::{Error, Result};
use crate::model::Provider;
use std::collections::BTreeMap;
use std::path::Path;

/// Renders every docs page of a provider, keyed by path under the docs root. Two resources
/// that would write the same page (names equal but for case, which collide on
/// case-insensitive file systems and in URLs) are an error.
pub fn render_docs(provider: &Provider) -> Result<BTreeMap<String, String>> {
    use rayon::prelude::*;
    let name = provider.name.as_str();
    let mut seen: BTreeMap<String, (String, &Path)> = BTreeMap::new();
    for service in &provider.services {
        for resource in &service.resources {
            let path = pages::resource_page_path(name, &service.name, &resource.name);
            let key = path.to_lowercase();
            if let Some((other, other_file)) = seen.get(&key) {
                return Err(Error::invalid(
                    &service.file,
                    format!("components.x-stackQL-resources.{}", resource.name),
                    format!(
                        "resource writes page {path}, already written by {other} in {}",
                        other_file.display()
                    ),
                ));
            }
            seen.insert(
                key,
                (format!("resource `{}`", resource.name), &service.file),
            );
        }
    }
    let mut files: BTreeMap<String, String> = provider
        .services
        .par_iter()
        .flat_map_iter(|service| {
            let resource_pages = service.resources.iter().map(move |resource| {
                (
                    pages::resource_page_path(name, &service.name, &resource.name),
                    pages::resource_page(name, service, resource),
                )
            });
            std::iter::once((
                pages::service_page_path(name, &service.name),
                pages::service_page(name, service),
            ))
            .chain(resource_pages)
        })
        .collect();
    files.insert(
        pages::provider_page_path(name),
        pages::provider_page(provider),
    );
    Ok(files)
}

/// The sidebar definition of a provider's docs site, keyed by its path under the docs root.
pub fn render_sidebar(provider: &Provider) -> (String, String) {
    let services: Vec<(String, Vec<String>)> = provider
        .services
        .iter()
        .map(|service| {
            (
                service.name.clone(),
                service.resources.iter().map(|r| r.name.clone()).collect(),
            )
        })
        .collect();
    let path = format!(
        "{}/{}",
        pages::provider_dir(&provider.name),
        sidebar::SIDEBAR_FILE_NAME
    );
    (path, sidebar::sidebar_file(&provider.name, &services))
}
