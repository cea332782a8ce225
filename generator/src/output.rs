//! The set of files one generation produces, and how it reaches disk: changed files are
//! written into a staging directory first and renamed into place only when all were written,
//! so a failed generation leaves the previous output untouched; or compared with what is on
//! disk (`--check`).

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

/// What [`Output::write`] changed on disk.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or rewritten.
    pub written: usize,
    /// Files removed because they are no longer produced.
    pub removed: usize,
    /// Files already up to date.
    pub unchanged: usize,
}

impl Output {
    /// Adds a file; the first path segment becomes an owned root.
    pub fn add(&mut self, path: String, contents: String) {
        if let Some(root) = path.split('/').next() {
            self.roots.insert(root.to_owned());
        }
        self.files.insert(path, contents);
    }

    /// Brings `out_dir` in line with this output.
    ///
    /// Everything was rendered before this is called, so a bad spec never gets here. Files that
    /// differ from disk are first written into a staging directory inside `out_dir` (same file
    /// system); only when all of them are written are they renamed into place, and files under
    /// the owned roots that are no longer produced are removed. Unchanged files are not
    /// rewritten: regenerating an up-to-date tree touches nothing.
    pub fn write(&self, out_dir: &Path) -> Result<WriteReport> {
        std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
        let report = self.check(out_dir)?;
        let changed: Vec<&String> = report.stale.iter().chain(&report.missing).collect();
        if !changed.is_empty() {
            let staging = tempfile::Builder::new()
                .prefix(".gen-staging-")
                .tempdir_in(out_dir)
                .map_err(|e| Error::io(out_dir, e))?;
            // Flat names in the staging dir: one mkdir, not one per page folder.
            changed
                .par_iter()
                .enumerate()
                .try_for_each(|(index, path)| {
                    let staged = staging.path().join(index.to_string());
                    std::fs::write(&staged, &self.files[path.as_str()])
                        .map_err(|e| Error::io(&staged, e))
                })?;
            let dirs: BTreeSet<PathBuf> = changed
                .iter()
                .filter_map(|p| Path::new(p.as_str()).parent().map(|d| out_dir.join(d)))
                .collect();
            for dir in &dirs {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            for (index, path) in changed.iter().enumerate() {
                let target = out_dir.join(path.as_str());
                std::fs::rename(staging.path().join(index.to_string()), &target)
                    .map_err(|e| Error::io(&target, e))?;
            }
        }
        for path in &report.extra {
            let target = out_dir.join(path);
            std::fs::remove_file(&target).map_err(|e| Error::io(&target, e))?;
        }
        remove_empty_dirs(out_dir, &self.roots)?;
        Ok(WriteReport {
            written: changed.len(),
            removed: report.extra.len(),
            unchanged: self.files.len() - changed.len(),
        })
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
        report.extra = on_disk
            .into_iter()
            .filter(|p| !self.files.contains_key(p))
            .collect();
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

/// Removes folders left empty under the owned roots (a resource that no longer exists).
fn remove_empty_dirs(out_dir: &Path, roots: &BTreeSet<String>) -> Result<()> {
    fn prune(dir: &Path) -> Result<bool> {
        let mut empty = true;
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let path = entry.path();
            let is_dir = entry.file_type().map_err(|e| Error::io(&path, e))?.is_dir();
            if is_dir && entry.file_name() != "target" && prune(&path)? {
                std::fs::remove_dir(&path).map_err(|e| Error::io(&path, e))?;
            } else {
                empty = false;
            }
        }
        Ok(empty)
    }
    for root in roots {
        let dir = out_dir.join(root);
        if dir.is_dir() {
            prune(&dir)?;
        }
    }
    Ok(())
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
