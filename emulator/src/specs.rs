//! Loading resource types from StackQL provider specs, read through `provider-spec`.
//!
//! Start-up only *indexes* the specs: each service file is read for its type index
//! ([`provider_spec::index::read_service_types`]: the resources and the schemas' type names,
//! schema bodies skipped), with the generator's rule for which resources are Cloud Control types.
//! A service file is read in full (`components`, schemas as `serde_json::Value` for validation)
//! the first time one of its types is used, or all at once in parallel with
//! [`Registry::load_all`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use indexmap::IndexMap;
use provider_spec::document::ServiceComponents;
use provider_spec::index::ServiceType;
use provider_spec::paths::property_paths;
use provider_spec::SpecError;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::Error;

/// One resource type as the emulator needs it.
#[derive(Debug)]
pub struct TypeInfo {
    /// `AWS::Service::Type`.
    pub type_name: String,
    /// Provider folder name (e.g. `aws`).
    pub provider: String,
    /// Service file stem (e.g. `codeconnections`).
    pub service: String,
    /// The service file.
    pub file: PathBuf,
    /// Key of the type's schema in `components.schemas`.
    pub schema_name: String,
    /// The type's schema (`components.schemas.<schema_name>`).
    pub schema: Value,
    /// `components.schemas` of the service, to resolve `$ref`s.
    pub definitions: Arc<Map<String, Value>>,
    /// Primary identifier property paths ([`provider_spec::index::primary_identifier`]: the
    /// schema's `x-stackql-primary-identifier`, else the resource's `x-identifiers`).
    pub primary_identifier: Vec<String>,
    /// `x-read-only-properties` paths, canonical ([`provider_spec::paths`]: `A/B`, `A/*/B`).
    pub read_only: Vec<String>,
    /// `x-create-only-properties` paths.
    pub create_only: Vec<String>,
    /// `x-write-only-properties` paths (never returned by Get/List).
    pub write_only: Vec<String>,
    /// `x-list-required-properties`: properties ListResources needs in `ResourceModel`.
    pub list_required: Vec<String>,
    /// Handlers declared by `x-required-permissions` (`create`, `read`, `update`, `delete`,
    /// `list`); `None` when the schema does not declare permissions (everything allowed).
    pub handlers: Option<Vec<String>>,
    /// `x-required-permissions`: the IAM actions per handler (checked against `--policy`).
    pub permissions: BTreeMap<String, Vec<String>>,
}

impl TypeInfo {
    /// Whether the type declares the handler (types without permission data support all).
    pub fn supports(&self, handler: &str) -> bool {
        match &self.handlers {
            Some(h) => h.iter().any(|x| x == handler),
            None => true,
        }
    }
}

type ServiceTypes = BTreeMap<String, Arc<TypeInfo>>;

struct ServiceSlot {
    /// The service's type index (`provider_spec::index`), in document order.
    index: IndexMap<String, ServiceType>,
    provider: String,
    name: String,
    path: PathBuf,
    // The parse error is kept as text so every caller sees the same failure.
    loaded: OnceLock<Result<Arc<ServiceTypes>, (String, String)>>,
}

/// All resource types of the provider specs under a root directory.
pub struct Registry {
    root: PathBuf,
    types: BTreeMap<String, usize>,
    services: Vec<ServiceSlot>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("root", &self.root)
            .field("types", &self.types.len())
            .field("services", &self.services.len())
            .finish()
    }
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        out.push(entry.map_err(io)?.path());
    }
    out.sort();
    Ok(out)
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl Registry {
    /// Indexes `<root>/<provider>/services/*.yaml` (or `<root>/services/*.yaml`); the
    /// `provider.yaml` beside them is not needed. Fails when no service file is found
    /// ([`Error::NoSpecs`]), or when a service file cannot be read for its type index (the
    /// error names the file and the path inside it).
    pub fn index(root: &Path) -> Result<Registry, Error> {
        let mut provider_dirs = Vec::new();
        // provider.yaml is not required: only the service files carry resource types.
        if root.join("services").is_dir() {
            provider_dirs.push(root.to_owned());
        } else {
            for p in read_dir_sorted(root)? {
                if p.join("services").is_dir() {
                    provider_dirs.push(p);
                }
            }
        }
        let mut files = Vec::new();
        for dir in &provider_dirs {
            let provider = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let services = dir.join("services");
            if !services.is_dir() {
                continue;
            }
            for p in read_dir_sorted(&services)? {
                if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    files.push((provider.clone(), p));
                }
            }
        }
        if files.is_empty() {
            return Err(Error::NoSpecs(root.to_owned()));
        }
        let indexed: Vec<Result<IndexMap<String, ServiceType>, Error>> = files
            .par_iter()
            .map(|(_, p)| provider_spec::index::read_service_types(p).map_err(Error::from))
            .collect();
        let mut types = BTreeMap::new();
        let mut services = Vec::new();
        for ((provider, path), index) in files.into_iter().zip(indexed) {
            let index = index?;
            if index.is_empty() {
                // Hand-written services (cloud_control, ec2_api, ...) hold no CFN types.
                continue;
            }
            let idx = services.len();
            for n in index.keys().cloned() {
                // First service (in sorted order) wins for a type declared twice.
                types.entry(n).or_insert(idx);
            }
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            services.push(ServiceSlot {
                index,
                provider,
                name,
                path,
                loaded: OnceLock::new(),
            });
        }
        Ok(Registry {
            root: root.to_owned(),
            types,
            services,
        })
    }

    /// Number of indexed resource types.
    pub fn type_count(&self) -> usize {
        self.types.len()
    }

    /// Indexed type names, sorted.
    pub fn type_names(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// The type's entry in its service's type index (resources, schema, primary identifier),
    /// known from start-up without reading the service in full.
    pub fn service_type(&self, type_name: &str) -> Option<&ServiceType> {
        self.services[*self.types.get(type_name)?]
            .index
            .get(type_name)
    }

    /// Whether the type is indexed.
    pub fn contains(&self, type_name: &str) -> bool {
        self.types.contains_key(type_name)
    }

    /// The type if its service file is already parsed (never blocks on parsing).
    pub fn get_loaded(&self, type_name: &str) -> Option<Arc<TypeInfo>> {
        let slot = &self.services[*self.types.get(type_name)?];
        match slot.loaded.get()? {
            Ok(types) => types.get(type_name).cloned(),
            Err(_) => None,
        }
    }

    /// The type, parsing its service file if needed (blocking).
    pub fn get(&self, type_name: &str) -> Result<Arc<TypeInfo>, Error> {
        let idx = *self
            .types
            .get(type_name)
            .ok_or_else(|| Error::TypeNotFound(type_name.to_owned()))?;
        let types = self.load_slot(idx)?;
        types
            .get(type_name)
            .cloned()
            .ok_or_else(|| Error::TypeNotFound(type_name.to_owned()))
    }

    /// Parses every service file in parallel; fails on the first malformed file.
    pub fn load_all(&self) -> Result<(), Error> {
        (0..self.services.len())
            .into_par_iter()
            .try_for_each(|i| self.load_slot(i).map(|_| ()))
    }

    /// Compiles every `pattern` of the parsed service files (all of them after
    /// [`Registry::load_all`]) and reports those the ECMAScript engine rejects: they are the
    /// only patterns the emulator does not check.
    pub fn pattern_report(&self) -> crate::PatternReport {
        let mut report = crate::PatternReport::default();
        for slot in &self.services {
            let Some(Ok(types)) = slot.loaded.get() else {
                continue;
            };
            let Some(ti) = types.values().next() else {
                continue;
            };
            let prefix = format!("{}: components.schemas", slot.path.display());
            let one = crate::pattern::scan(&ti.definitions, &prefix);
            report.total += one.total;
            report.bad.extend(one.bad);
        }
        report
    }

    fn load_slot(&self, idx: usize) -> Result<Arc<ServiceTypes>, Error> {
        let slot = &self.services[idx];
        let loaded = slot.loaded.get_or_init(|| load_service(slot));
        loaded.clone().map_err(|(path, message)| Error::Spec {
            file: slot.path.clone(),
            path,
            message,
        })
    }
}

/// Reads a service's `components` in full; its types are those of the index read at start-up.
fn load_service(slot: &ServiceSlot) -> Result<Arc<ServiceTypes>, (String, String)> {
    let (provider, service, file) = (&slot.provider, &slot.name, &slot.path);
    let doc: ServiceComponents<Value> = provider_spec::read_yaml(file).map_err(|e| match e {
        SpecError::Io { source, .. } => (String::new(), source.to_string()),
        SpecError::Parse { at, message, .. } => (at, message),
    })?;
    let definitions: Arc<Map<String, Value>> =
        Arc::new(doc.components.schemas.into_iter().collect());
    let mut out = ServiceTypes::new();
    for (type_name, entry) in slot.index.clone() {
        let here = format!(
            "components.x-stackQL-resources.{}",
            entry
                .resources
                .first()
                .map(String::as_str)
                .unwrap_or_default()
        );
        let schema = definitions.get(&entry.schema_name).ok_or_else(|| {
            (
                format!("{here}.x-cfn-schema-name"),
                format!("schema {} is not in components.schemas", entry.schema_name),
            )
        })?;
        if entry.primary_identifier.is_empty() {
            return Err((
                format!("{here}.x-identifiers"),
                format!("type {type_name} has no primary identifier"),
            ));
        }
        let handlers = schema
            .get("x-required-permissions")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect());
        let permissions = schema
            .get("x-required-permissions")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(handler, actions)| (handler.clone(), string_list(Some(actions))))
                    .collect()
            })
            .unwrap_or_default();
        let paths =
            |keyword: &str| property_paths(Some(string_list(schema.get(keyword)).as_slice()));
        out.insert(
            type_name.clone(),
            Arc::new(TypeInfo {
                type_name,
                provider: provider.to_owned(),
                service: service.to_owned(),
                file: file.to_owned(),
                schema: schema.clone(),
                schema_name: entry.schema_name,
                definitions: definitions.clone(),
                primary_identifier: entry.primary_identifier,
                read_only: paths("x-read-only-properties"),
                create_only: paths("x-create-only-properties"),
                write_only: paths("x-write-only-properties"),
                list_required: string_list(schema.get("x-list-required-properties")),
                handlers,
                permissions,
            }),
        );
    }
    Ok(Arc::new(out))
}
