//! The provider spec format's shared rules, used by both the generator (`cargo xtask gen`) and
//! the importer (`cargo xtask import`):
//!
//! - [`naming`]: how spec names become docs columns, Rust identifiers and inflected resource
//!   names;
//! - [`names`]: which provider, service, resource and type names are accepted at all (every
//!   name that becomes a path segment, a module, a Cargo feature or a TOML key is checked here,
//!   once, where it enters);
//! - [`unique`]: the one helper that makes names unique within a scope (numbered suffixes).

#![warn(missing_docs)]

pub mod names;
pub mod naming;
pub mod unique;
