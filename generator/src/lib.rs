//! Reads StackQL provider specs and generates the provider's documentation pages and a typed
//! Rust crate per provider.
//!
//! The pipeline: [`load`] parses and checks the documents ([`spec`] → [`lower`]) into the
//! [`model`]; the emitters ([`docs`], [`rust`]) turn the model into files; [`output`] writes
//! them atomically or compares them with disk.

pub mod docs;
pub mod error;
pub mod load;
pub mod lower;
pub mod model;
pub use provider_spec::naming;
pub mod output;
pub mod rust;
pub mod sidebar;
pub mod spec;
pub mod yaml_scan;

pub use error::{Error, Result};
pub use load::{load_provider, load_specs};
pub use output::{CheckReport, Output, WriteReport};

use std::collections::BTreeMap;
use std::path::Path;

/// Options of one generation.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// Produce only the documentation pages (no Rust crates).
    pub docs_only: bool,
}

/// What a generation produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Providers.
    pub providers: usize,
    /// Services.
    pub services: usize,
    /// Resources.
    pub resources: usize,
    /// Markdown pages.
    pub pages: usize,
    /// All files (pages, crates, sidebars).
    pub files: usize,
}

/// Name of the generated crate of a provider.
pub fn rust_crate_name(provider: &str) -> String {
    format!("{provider}-cloudcontrol-resources")
}

/// Loads the specs under `specs_root` and renders every output file, without touching disk.
pub fn render(specs_root: &Path, options: &GenerateOptions) -> Result<(Summary, Output)> {
    let providers = load_specs(specs_root)?;
    render_providers(&providers, options)
}

/// Renders the output of already loaded providers.
pub fn render_providers(
    providers: &[model::Provider],
    options: &GenerateOptions,
) -> Result<(Summary, Output)> {
    let mut output = Output::default();
    let mut summary = Summary {
        providers: providers.len(),
        ..Summary::default()
    };
    for provider in providers {
        let pages = render_docs(provider)?;
        summary.services += provider.services.len();
        summary.resources += provider
            .services
            .iter()
            .map(|s| s.resources.len())
            .sum::<usize>();
        summary.pages += pages.len();
        for (path, contents) in pages {
            output.add(format!("docs/{path}"), contents);
        }
        let (sidebar_path, sidebar) = render_sidebar(provider);
        output.add(format!("docs/{sidebar_path}"), sidebar);
        if !options.docs_only {
            let (files, panels) = rust::render_crate_and_panels(provider)?;
            for (path, contents) in files {
                output.add(format!("{}/{path}", provider.name), contents);
            }
            for (path, contents) in panels {
                output.add(format!("docs/{path}"), contents);
            }
        }
    }
    summary.files = output.files.len();
    Ok((summary, output))
}

/// Renders every docs page of a provider, keyed by path under the docs root. Two resources
/// that would write the same page (names equal but for case, which collide on
/// case-insensitive file systems and in URLs) are an error.
pub fn render_docs(provider: &model::Provider) -> Result<BTreeMap<String, String>> {
    use rayon::prelude::*;
    let name = provider.name.as_str();
    let mut seen: BTreeMap<String, (String, &Path)> = BTreeMap::new();
    for service in &provider.services {
        for resource in &service.resources {
            let path = docs::resource_page_path(name, &service.name, &resource.name);
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
    let mut pages: BTreeMap<String, String> = provider
        .services
        .par_iter()
        .flat_map_iter(|service| {
            let resource_pages = service.resources.iter().map(move |resource| {
                (
                    docs::resource_page_path(name, &service.name, &resource.name),
                    docs::resource_page(name, service, resource),
                )
            });
            std::iter::once((
                docs::service_page_path(name, &service.name),
                docs::service_page(name, service),
            ))
            .chain(resource_pages)
        })
        .collect();
    pages.insert(
        docs::provider_page_path(name),
        docs::provider_page(provider),
    );
    Ok(pages)
}

/// The sidebar definition of a provider's docs site, keyed by its path under the docs root.
pub fn render_sidebar(provider: &model::Provider) -> (String, String) {
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
        docs::provider_dir(&provider.name),
        sidebar::SIDEBAR_FILE_NAME
    );
    (path, sidebar::sidebar_file(&provider.name, &services))
}

/// Generates into `out_dir`: renders everything first, then writes atomically per owned root.
pub fn generate(specs_root: &Path, out_dir: &Path, options: &GenerateOptions) -> Result<Summary> {
    let (summary, output) = render(specs_root, options)?;
    output.write(out_dir)?;
    Ok(summary)
}

/// Compares what would be generated with the files in `out_dir`.
pub fn check(
    specs_root: &Path,
    out_dir: &Path,
    options: &GenerateOptions,
) -> Result<(Summary, CheckReport)> {
    let (summary, output) = render(specs_root, options)?;
    Ok((summary, output.check(out_dir)?))
}
