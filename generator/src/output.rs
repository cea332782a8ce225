//! The set of files one generation produces, and how it reaches disk: written into a temporary
//! directory first and swapped in only when everything was written, so a failed generation
//! leaves the previous output untouched; or compared with what is on disk (`--check`).

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files produced by one generation, keyed by path relative to the output directory.
#[derive(Debug, Default)]
pub struct Output {
    /// File contents by relative path (`/`-separated), in sorted order.
    pub files: BTreeMap<String, String>,
    /// Top-level folders of the output directory this generation owns: everything under them
    /// is replaced, and a file there that is no longer produced is stale.
    pub roots: BTreeSet<String>,
}

/// Differences between an output and the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Files whose content differs from what would be generated.
    pub stale: Vec<String>,
    /// Files that would be generated but do not exist.
    pub missing: Vec<String>,
    /// Files under the owned roots that would no longer be produced.
    pub extra: Vec<String>,
}

impl CheckReport {
    /// True when disk and output agree.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl Output {
    /// Adds a file; the first path segment becomes an owned root.
    pub fn add(&mut self, path: String, contents: String) {
        if let Some(root) = path.split('/').next() {
            self.roots.insert(root.to_owned());
        }
        self.files.insert(path, contents);
    }

    /// Writes every file under `out_dir`, replacing each owned root as a whole.
    pub fn write(&self, out_dir: &Path) -> Result<()> {
        std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
        let staging = tempfile::Builder::new()
            .prefix(".gen-staging-")
            .tempdir_in(out_dir)
            .map_err(|e| Error::io(out_dir, e))?;
        let dirs: BTreeSet<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| Path::new(p).parent().map(|d| staging.path().join(d)))
            .collect();
        for dir in &dirs {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        self.files.par_iter().try_for_each(|(path, contents)| {
            let target = staging.path().join(path);
            std::fs::write(&target, contents).map_err(|e| Error::io(&target, e))
        })?;
        // Everything is written: swap each owned root in. The old tree goes to a second temp
        // dir that is removed afterwards.
        let retired = tempfile::Builder::new()
            .prefix(".gen-retired-")
            .tempdir_in(out_dir)
            .map_err(|e| Error::io(out_dir, e))?;
        for root in &self.roots {
            let live = out_dir.join(root);
            if live.exists() {
                let old = retired.path().join(root);
                std::fs::rename(&live, &old).map_err(|e| Error::io(&live, e))?;
            }
            let fresh = staging.path().join(root);
            std::fs::rename(&fresh, &live).map_err(|e| Error::io(&live, e))?;
        }
        Ok(())
    }

    /// Compares the output with the files under `out_dir`.
    pub fn check(&self, out_dir: &Path) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let on_disk = self.files_on_disk(out_dir)?;
        let results: Vec<(String, Option<bool>)> = self
            .files
            .par_iter()
            .map(|(path, contents)| {
                let file = out_dir.join(path);
                let state = match std::fs::read(&file) {
                    Ok(bytes) => Some(bytes == contents.as_bytes()),
                    Err(_) => None,
                };
                (path.clone(), state)
            })
            .collect();
        for (path, state) in results {
            match state {
                Some(true) => {}
                Some(false) => report.stale.push(path),
                None => report.missing.push(path),
            }
        }
        report.extra = on_disk.into_iter().filter(|p| !self.files.contains_key(p)).collect();
        Ok(report)
    }

    /// Relative paths of every file under the owned roots of `out_dir`.
    fn files_on_disk(&self, out_dir: &Path) -> Result<BTreeSet<String>> {
        let mut found = BTreeSet::new();
        for root in &self.roots {
            let dir = out_dir.join(root);
            if dir.is_dir() {
                walk(&dir, root, &mut found)?;
            }
        }
        Ok(found)
    }
}

fn walk(dir: &Path, relative: &str, found: &mut BTreeSet<String>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{relative}/{name}");
        let file_type = entry.file_type().map_err(|e| Error::io(&entry.path(), e))?;
        if file_type.is_dir() {
            // Build output of the generated crate is not ours to police.
            if name != "target" {
                walk(&entry.path(), &path, found)?;
            }
        } else {
            found.insert(path);
        }
    }
    Ok(())
}
