//! The provider spec format, read one way by every crate: the generator (`cargo xtask gen`),
//! the emulator and the importer (`cargo xtask import`).
//!
//! - [`document`]: the document types (provider, service, resource, schema) and their YAML
//!   parsing, after the hostile-input pre-scan [`yaml_scan`], with errors ([`SpecError`])
//!   naming the file and the path inside it;
//! - [`refs`]: which `$ref`s a spec may use and what they resolve to;
//! - [`paths`]: property paths (`/properties/A/*/B` and the other written forms → `A/*/B`);
//! - [`index`]: which resources are Cloud Control types, their primary identifier, and the type
//!   index of a service;
//! - [`naming`]: how spec names become docs columns, Rust identifiers and inflected resource
//!   names;
//! - [`names`]: which provider, service, resource and type names are accepted at all (every
//!   name that becomes a path segment, a module, a Cargo feature or a TOML key is checked here,
//!   once, where it enters);
//! - [`unique`]: the one helper that makes names unique within a scope (numbered suffixes);
//! - [`kinds`]: the closed vocabularies of a resource entry as types (resource kinds, method
//!   kinds, SQL verbs), each spelled once.

#![warn(missing_docs)]

pub mod document;
mod error;
pub mod index;
mod index_scan;
pub mod kinds;
pub mod names;
pub mod naming;
pub mod paths;
pub mod refs;
pub mod unique;
pub mod yaml_scan;

pub use document::{parse_yaml, read_yaml};
pub use error::SpecError;
