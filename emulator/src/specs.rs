//! Loading resource types from StackQL provider specs.
//!
//! Start-up only *indexes* the specs: each service file is read as text and scanned for
//! `x-cfn-type-name:` lines, which is fast even for the 21 MB corpus. A service file is parsed
//! (YAML → `serde_json::Value`) the first time one of its types is used, or all at once in
//! parallel with [`Registry::load_all`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    /// Primary identifier property paths (`x-identifiers`, else `x-stackql-primary-identifier`).
    pub primary_identifier: Vec<String>,
    /// `x-read-only-properties` paths (`A/B`, `A/*/B`).
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

/// Extracts the type name from a `x-cfn-type-name: AWS::A::B` line.
fn scan_type_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("x-cfn-type-name:") {
            let name = rest.trim().trim_matches(|c| c == '\'' || c == '"');
            if !name.is_empty() && !out.iter().any(|n: &String| n == name) {
                out.push(name.to_owned());
            }
        }
    }
    out
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
    /// `provider.yaml` beside them is not needed. Fails when no service file is found.
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
        let scanned: Vec<Result<Vec<String>, Error>> = files
            .par_iter()
            .map(|(_, p)| {
                std::fs::read_to_string(p)
                    .map(|t| scan_type_names(&t))
                    .map_err(|source| Error::Io {
                        path: p.clone(),
                        source,
                    })
            })
            .collect();
        let mut types = BTreeMap::new();
        let mut services = Vec::new();
        for ((provider, path), names) in files.into_iter().zip(scanned) {
            let names = names?;
            if names.is_empty() {
                // Hand-written services (cloud_control, ec2_api, ...) hold no CFN types.
                continue;
            }
            let idx = services.len();
            for n in names {
                // First service (in sorted order) wins for a type declared twice.
                types.entry(n).or_insert(idx);
            }
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            services.push(ServiceSlot {
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
        let loaded = slot
            .loaded
            .get_or_init(|| load_service(&slot.provider, &slot.name, &slot.path));
        loaded.clone().map_err(|(path, message)| Error::Spec {
            file: slot.path.clone(),
            path,
            message,
        })
    }
}

fn load_service(
    provider: &str,
    service: &str,
    file: &Path,
) -> Result<Arc<ServiceTypes>, (String, String)> {
    let text = std::fs::read_to_string(file).map_err(|e| (String::new(), e.to_string()))?;
    let doc: Value =
        serde_yaml::from_str(&text).map_err(|e| (String::new(), format!("invalid YAML: {e}")))?;
    let components = doc
        .get("components")
        .ok_or_else(|| ("components".to_owned(), "missing".to_owned()))?;
    let definitions = Arc::new(
        components
            .get("schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    );
    let resources = components
        .get("x-stackQL-resources")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            (
                "components.x-stackQL-resources".to_owned(),
                "missing or not a mapping".to_owned(),
            )
        })?;
    let mut out = ServiceTypes::new();
    for (res_name, res) in resources {
        let (Some(type_name), Some(schema_name)) = (
            res.get("x-cfn-type-name").and_then(Value::as_str),
            res.get("x-cfn-schema-name").and_then(Value::as_str),
        ) else {
            continue;
        };
        let here = format!("components.x-stackQL-resources.{res_name}");
        let schema = definitions.get(schema_name).ok_or_else(|| {
            (
                format!("{here}.x-cfn-schema-name"),
                format!("schema {schema_name} is not in components.schemas"),
            )
        })?;
        let mut primary = string_list(res.get("x-identifiers"));
        if primary.is_empty() {
            primary = string_list(schema.get("x-stackql-primary-identifier"));
        }
        if let Some(existing) = out.get(type_name) {
            // The plural (list) and singular (get) resources describe the same type; keep the
            // first unless it lacked identifiers.
            if !existing.primary_identifier.is_empty() || primary.is_empty() {
                continue;
            }
        }
        if primary.is_empty() {
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
        out.insert(
            type_name.to_owned(),
            Arc::new(TypeInfo {
                type_name: type_name.to_owned(),
                provider: provider.to_owned(),
                service: service.to_owned(),
                file: file.to_owned(),
                schema_name: schema_name.to_owned(),
                schema: schema.clone(),
                definitions: definitions.clone(),
                primary_identifier: primary,
                read_only: string_list(schema.get("x-read-only-properties")),
                create_only: string_list(schema.get("x-create-only-properties")),
                write_only: string_list(schema.get("x-write-only-properties")),
                list_required: string_list(schema.get("x-list-required-properties")),
                handlers,
                permissions,
            }),
        );
    }
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_plain_and_quoted_type_names() {
        let text = "a:\n      x-cfn-type-name: AWS::A::B\n  x-cfn-type-name: 'AWS::C::D'\n    x-cfn-type-name: AWS::A::B\n";
        assert_eq!(scan_type_names(text), vec!["AWS::A::B", "AWS::C::D"]);
    }
}
