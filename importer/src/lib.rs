//! `cfn-import`: converts AWS CloudFormation registry resource schemas into a StackQL-format
//! AWS provider (`provider.yaml` + `services/<service>.yaml`), following StackQL's own converter
//! (see `cfn-import.md` in the shared reference data) except where it loses information:
//!
//! - definitions never replace another type's resource schema or each other: colliding names
//!   are qualified with the type's key, and every `$ref` points at its own type's definition;
//! - a plural resource name equal to its singular gets the suffix [`naming::SAME_PLURAL_SUFFIX`];
//! - a type that cannot be converted is skipped with a [`Warning`] naming it;
//! - a list handler's required properties are kept as `x-list-required-properties`;
//! - a resource schema keeps its top-level `additionalProperties` (the registry meta-schema
//!   requires `false` there, and CloudFormation rejects unknown top-level properties).
//!
//! ```no_run
//! let report = cfn_import::import(
//!     std::path::Path::new("schemas/"),
//!     &cfn_import::ImportOptions::default(),
//!     std::path::Path::new("provider-specs"),
//! )?;
//! for warning in &report.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! # Ok::<(), cfn_import::Error>(())
//! ```

#![warn(missing_docs)]

mod convert;
mod error;
pub mod naming;
mod output;
mod resources;
mod schema;
mod source;
mod strict_json;
pub mod yaml;

pub use convert::Service;
pub use error::{Error, Result};
pub use output::{render, render_service, write_provider, OutputFile, PROVIDER_DIR};
pub use schema::{parse, CfnType, HANDLERS};
pub use source::{
    read_source, read_source_for, read_source_limited, SourceFile, WheelRegion, ZipLimits,
};

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What to import.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Type names to convert. `None`: every `AWS::` type that has handlers.
    pub allowlist: Option<BTreeSet<String>>,
    /// Which schemas [`import`] reads from a cfn-lint wheel (default: us-east-1).
    pub wheel_region: WheelRegion,
    /// Caps on what a zip input may inflate to.
    pub zip_limits: ZipLimits,
}

impl ImportOptions {
    /// Options converting exactly the listed types.
    pub fn with_allowlist(types: impl IntoIterator<Item = String>) -> ImportOptions {
        ImportOptions {
            allowlist: Some(types.into_iter().collect()),
            ..ImportOptions::default()
        }
    }
}

/// A type that was not converted, or converted with a change worth knowing about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// An allowlisted type is not in the input.
    NotInInput {
        /// The type name.
        type_name: String,
    },
    /// An allowlisted type is not an `AWS::` type (e.g. `Alexa::ASK::Skill`).
    NotAws {
        /// The type name.
        type_name: String,
    },
    /// The type has no handlers, so Cloud Control cannot manage it.
    NoHandlers {
        /// The type name.
        type_name: String,
        /// Its schema file.
        file: String,
    },
    /// The type has handlers, but none of create/read/update/delete/list with permissions.
    NoUsableHandlers {
        /// The type name.
        type_name: String,
        /// Its schema file.
        file: String,
    },
    /// The type has no `primaryIdentifier`, so its resources could not be addressed.
    NoPrimaryIdentifier {
        /// The type name.
        type_name: String,
        /// Its schema file.
        file: String,
    },
    /// Two types of one service differ only in the case of their namespace and share a key.
    DuplicateSchemaKey {
        /// The skipped type.
        type_name: String,
        /// The type kept.
        kept: String,
    },
    /// A definition is only a `$ref` to itself and no patch is known for it (kept as is).
    SelfReferencingDefinition {
        /// The type name.
        type_name: String,
        /// The definition.
        definition: String,
    },
    /// A resource name was already used by another type of the service.
    RenamedResource {
        /// The type name.
        type_name: String,
        /// The name the rules give.
        wanted: String,
        /// The name used instead.
        used: String,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::NotInInput { type_name } => {
                write!(f, "{type_name}: allowlisted but not in the input; skipped")
            }
            Warning::NotAws { type_name } => write!(f, "{type_name}: not an AWS:: type; skipped"),
            Warning::NoHandlers { type_name, file } => {
                write!(f, "{type_name} ({file}): no handlers; skipped")
            }
            Warning::NoUsableHandlers { type_name, file } => {
                write!(f, "{type_name} ({file}): no create/read/update/delete/list handler with permissions; skipped")
            }
            Warning::NoPrimaryIdentifier { type_name, file } => {
                write!(f, "{type_name} ({file}): no primaryIdentifier; skipped")
            }
            Warning::DuplicateSchemaKey { type_name, kept } => {
                write!(
                    f,
                    "{type_name}: same service and schema key as {kept}; skipped"
                )
            }
            Warning::SelfReferencingDefinition {
                type_name,
                definition,
            } => {
                write!(
                    f,
                    "{type_name}: definition {definition} only refers to itself; kept unchanged"
                )
            }
            Warning::RenamedResource {
                type_name,
                wanted,
                used,
            } => {
                write!(
                    f,
                    "{type_name}: resource name {wanted} is taken in its service; named {used}"
                )
            }
        }
    }
}

/// Counts describing an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Schema files read.
    pub files: usize,
    /// `AWS::` types among them.
    pub aws_types: usize,
    /// Types selected (allowlisted, or with handlers).
    pub selected: usize,
    /// Types converted.
    pub converted: usize,
    /// Services written.
    pub services: usize,
    /// Resources (`x-stackQL-resources` entries).
    pub resources: usize,
    /// Schemas (`components.schemas` entries: resource schemas and definitions).
    pub schemas: usize,
}

/// The converted provider.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Import {
    /// Services in name order; services without resources are left out.
    pub services: Vec<Service>,
    /// Warnings in a deterministic order (input checks, then per service).
    pub warnings: Vec<Warning>,
    /// Counts.
    pub stats: Stats,
}

/// Reads an allowlist file: one type name per line; blank lines and `#` comments are ignored.
pub fn read_allowlist(path: &Path) -> Result<BTreeSet<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut types = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.split("::").count() != 3 || line.contains(char::is_whitespace) {
            return Err(Error::Allowlist {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("expected a type name such as AWS::S3::Bucket, found `{line}`"),
            });
        }
        types.insert(line.to_string());
    }
    Ok(types)
}

/// Parses and converts schema files. Fails on the first malformed file (in input order).
pub fn convert(files: &[SourceFile], options: &ImportOptions) -> Result<Import> {
    let parsed: Vec<Result<CfnType>> = files.par_iter().map(schema::parse).collect();
    let mut types = Vec::with_capacity(parsed.len());
    for p in parsed {
        types.push(p?);
    }
    let mut stats = Stats {
        files: files.len(),
        ..Stats::default()
    };
    let mut warnings = Vec::new();

    let mut by_name: BTreeMap<&str, &CfnType> = BTreeMap::new();
    for t in &types {
        if let Some(first) = by_name.insert(&t.type_name, t) {
            return Err(Error::DuplicateType {
                type_name: t.type_name.clone(),
                first: first.file.clone(),
                second: t.file.clone(),
            });
        }
    }
    stats.aws_types = types.iter().filter(|t| t.vendor == "AWS").count();

    let mut selected: Vec<&CfnType> = Vec::new();
    match &options.allowlist {
        Some(allow) => {
            for name in allow {
                match by_name.get(name.as_str()) {
                    None => warnings.push(Warning::NotInInput {
                        type_name: name.clone(),
                    }),
                    Some(t) if t.vendor != "AWS" => warnings.push(Warning::NotAws {
                        type_name: name.clone(),
                    }),
                    Some(t) => selected.push(t),
                }
            }
        }
        None => selected.extend(
            by_name
                .values()
                .filter(|t| t.vendor == "AWS" && t.has_handlers()),
        ),
    }
    stats.selected = selected.len();

    let mut convertible = Vec::with_capacity(selected.len());
    let mut keys: BTreeMap<(String, String), &str> = BTreeMap::new();
    for t in selected {
        let (type_name, file) = (t.type_name.clone(), t.file.clone());
        if !t.has_handlers() {
            warnings.push(Warning::NoHandlers { type_name, file });
            continue;
        }
        let handlers = t.doc.get("handlers").and_then(serde_json::Value::as_object);
        let usable = handlers.is_some_and(|h| {
            HANDLERS
                .iter()
                .any(|n| h.get(*n).is_some_and(|h| h.get("permissions").is_some()))
        });
        if !usable {
            warnings.push(Warning::NoUsableHandlers { type_name, file });
            continue;
        }
        let has_id = t
            .doc
            .get("primaryIdentifier")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|a| !a.is_empty());
        if !has_id {
            warnings.push(Warning::NoPrimaryIdentifier { type_name, file });
            continue;
        }
        check_derived_names(t)?;
        let key = (naming::service_name(&t.namespace), t.key.clone());
        if let Some(kept) = keys.get(&key) {
            warnings.push(Warning::DuplicateSchemaKey {
                type_name,
                kept: (*kept).to_string(),
            });
            continue;
        }
        keys.insert(key, &t.type_name);
        convertible.push(t);
    }

    let grouped: Vec<(String, Vec<&CfnType>)> = convert::group_by_service(&convertible)
        .into_iter()
        .collect();
    let converted: Vec<(Service, Vec<Warning>)> = grouped
        .par_iter()
        .map(|(name, types)| {
            let mut w = Vec::new();
            let service = convert::convert_service(name, types, &mut w);
            (service, w)
        })
        .collect();
    let mut services = Vec::with_capacity(converted.len());
    for (service, w) in converted {
        warnings.extend(w);
        if service.resources.is_empty() {
            continue;
        }
        stats.converted += service.types.len();
        stats.resources += service.resources.len();
        stats.schemas += service.schemas.len();
        services.push(service);
    }
    stats.services = services.len();
    Ok(Import {
        services,
        warnings,
        stats,
    })
}

/// The service key and resource names a type produces must pass the checks `gen` applies
/// ([`provider_spec::names`]); the type name's segments already did, when it was parsed.
fn check_derived_names(t: &CfnType) -> Result<()> {
    let service = naming::service_name(&t.namespace);
    let names = naming::resource_names(&service, &t.key);
    provider_spec::names::check_service(&service)
        .and_then(|()| provider_spec::names::check_resource(&names.singular))
        .and_then(|()| provider_spec::names::check_resource(&names.plural))
        .map_err(|e| Error::Schema {
            file: t.file.clone(),
            pointer: "/typeName".into(),
            message: e.to_string(),
        })
}

/// Reads `source` (directory, CloudformationSchema.zip or cfn-lint wheel), converts it and
/// replaces `<out_root>/aws` with the result. On any error `out_root` is left as it was.
pub fn import(source: &Path, options: &ImportOptions, out_root: &Path) -> Result<Import> {
    // The raw bytes are not needed once parsed: free them before rendering.
    let import = {
        let files = read_source_limited(source, &options.wheel_region, &options.zip_limits)?;
        convert(&files, options)?
    };
    let rendered = render(&import);
    write_provider(out_root, &rendered)?;
    Ok(import)
}
