//! Finds providers under a specs root, parses their documents in parallel and builds the model.

use crate::error::{Error, Result};
use crate::model::Provider;
use provider_spec::document::{RawProvider, RawService};
use provider_spec::names;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Loads every provider under `root` (`<root>/<provider>/provider.yaml`), sorted by name.
pub fn load_specs(root: &Path) -> Result<Vec<Provider>> {
    let entries = std::fs::read_dir(root).map_err(|e| Error::io(root, e))?;
    let mut dirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(root, e))?;
        let path = entry.path();
        if path.join("provider.yaml").is_file() {
            dirs.push(path);
        }
    }
    if dirs.is_empty() {
        return Err(Error::NoProvider {
            root: root.to_path_buf(),
        });
    }
    dirs.sort();
    dirs.iter().map(|dir| load_provider(dir)).collect()
}

/// Loads one provider folder (`provider.yaml` and `services/*.yaml`).
pub fn load_provider(dir: &Path) -> Result<Provider> {
    let provider_file = dir.join("provider.yaml");
    let raw: RawProvider = provider_spec::read_yaml(&provider_file)?;
    names::check_provider(&raw.name)
        .map_err(|e| Error::invalid(&provider_file, "name", e.to_string()))?;
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if raw.name != folder {
        return Err(Error::invalid(
            &provider_file,
            "name",
            format!("provider `{}` lives in folder `{folder}`", raw.name),
        ));
    }
    let services_dir = dir.join("services");
    let mut listed: Vec<(String, PathBuf)> = Vec::with_capacity(raw.provider_services.len());
    for (key, service) in &raw.provider_services {
        names::check_service(key).map_err(|e| {
            Error::invalid(
                &provider_file,
                format!("providerServices.{}", key.escape_debug()),
                e.to_string(),
            )
        })?;
        let at = format!("providerServices.{key}.service.$ref");
        let stem = Path::new(&service.service.reference)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .ok_or_else(|| Error::invalid(&provider_file, &at, "service $ref names no file"))?;
        if stem != *key {
            return Err(Error::invalid(
                &provider_file,
                &at,
                format!("service `{key}` points at `{stem}.yaml`"),
            ));
        }
        let file = services_dir.join(format!("{stem}.yaml"));
        if !file.is_file() {
            return Err(Error::invalid(
                &provider_file,
                &at,
                format!("service file {} does not exist", file.display()),
            ));
        }
        listed.push((stem, file));
    }
    check_unlisted_files(&provider_file, &services_dir, &listed)?;
    // Largest files first, so that the biggest parse (a 4 MB service) does not start last and
    // leave the other cores idle; the order of the result does not depend on it.
    let mut by_size: Vec<(u64, &(String, PathBuf))> = listed
        .iter()
        .map(|entry| (std::fs::metadata(&entry.1).map_or(0, |m| m.len()), entry))
        .collect();
    by_size.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut services = by_size
        .into_par_iter()
        .map(|(_, entry)| entry)
        .map(|(name, file)| {
            let document: RawService = provider_spec::read_yaml(file)?;
            crate::lower::service(&raw.name, name, file, &document)
        })
        .collect::<Result<Vec<_>>>()?;
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Provider {
        name: raw.name.clone(),
        version: raw.version.clone().unwrap_or_default(),
        services,
    })
}

/// A service file that `provider.yaml` does not list would silently produce nothing.
fn check_unlisted_files(
    provider_file: &Path,
    services_dir: &Path,
    listed: &[(String, PathBuf)],
) -> Result<()> {
    let entries = std::fs::read_dir(services_dir).map_err(|e| Error::io(services_dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io(services_dir, e))?.path();
        if path.extension().is_some_and(|e| e == "yaml") && !listed.iter().any(|(_, f)| *f == path)
        {
            return Err(Error::invalid(
                provider_file,
                "providerServices",
                format!("{} is not listed in providerServices", path.display()),
            ));
        }
    }
    Ok(())
}
