//! Reads StackQL provider specs and generates the provider's documentation pages and a typed
//! Rust crate per provider.
//!
//! The pipeline: [`load`] parses the documents with `provider-spec` ([`provider_spec::document`])
//! and checks them ([`lower`]) into the [`model`]; the emitters ([`docs`], [`rust`]) turn the
//! model into files; [`output`] compares them with disk or writes them: changed files staged
//! inside the output directory, one journal of their renames and removals committed, then the
//! renames (a failed one rolls back those done, a killed run's journal is completed by the next
//! run; a concurrent reader may see the renames one by one).

pub mod docs;
pub mod error;
pub mod load;
pub mod lower;
pub mod model;
pub use provider_spec::naming;
pub mod output;
pub mod rust;

pub use error::{Error, Result};
pub use load::{load_provider, load_specs};
pub use output::{CheckReport, Output, WriteReport};

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
        let pages = docs::render_docs(provider)?;
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
        let (sidebar_path, sidebar) = docs::render_sidebar(provider);
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

/// Generates into `out_dir`: renders everything in memory first (a bad spec leaves `out_dir`
/// untouched), then writes through [`Output::write`]: staged files, one journal for the whole
/// directory, renames rolled back on failure and completed after a kill; stale files are removed
/// only when an earlier manifest lists them under a root this run produces.
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
