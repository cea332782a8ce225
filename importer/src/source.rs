//! Reading the input: a directory of JSON schema files, AWS's `CloudformationSchema.zip`, or a
//! cfn-lint wheel (whose us-east-1 schemas are selected through
//! `cfnlint/data/schemas/providers/us-east-1.json`).

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// One input schema file, not yet parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Display name: the path, or `archive!entry` for files inside a zip.
    pub name: String,
    /// The raw JSON bytes.
    pub bytes: Vec<u8>,
}

/// Caps on what a zip archive (CloudformationSchema.zip, a cfn-lint wheel) may inflate to, so a
/// small archive cannot make the importer decompress gigabytes (a zip bomb). The largest AWS
/// schema is under 300 KB and a whole wheel's schemas inflate to well under 100 MB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Largest decompressed size of one entry, in bytes (default [`ZipLimits::ENTRY_BYTES`]).
    pub max_entry_bytes: u64,
    /// Largest decompressed size of all entries read, in bytes (default
    /// [`ZipLimits::TOTAL_BYTES`]).
    pub max_total_bytes: u64,
}

impl ZipLimits {
    /// Default cap of one entry: 16 MiB.
    pub const ENTRY_BYTES: u64 = 16 << 20;
    /// Default cap of all entries together: 256 MiB.
    pub const TOTAL_BYTES: u64 = 256 << 20;
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_entry_bytes: Self::ENTRY_BYTES,
            max_total_bytes: Self::TOTAL_BYTES,
        }
    }
}

/// Where cfn-lint ≥ 1.x keeps one schema per distinct content, named by hash.
const WHEEL_RESOURCES: &str = "cfnlint/data/schemas/resources/";
/// cfn-lint ≥ 1.x: `<region>.json` maps typeName → hash of the region's schemas.
const WHEEL_PROVIDERS: &str = "cfnlint/data/schemas/providers/";

/// Which schemas to take from a cfn-lint wheel (directories and AWS's zip hold one region's
/// schemas already, so this only applies to wheels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WheelRegion {
    /// The types available in one region (`us-east-1`, as StackQL imports).
    Region(String),
    /// Every schema in the wheel, whatever region has it (the union cfn-lint ships).
    All,
}

impl Default for WheelRegion {
    fn default() -> Self {
        WheelRegion::Region("us-east-1".to_string())
    }
}

impl std::str::FromStr for WheelRegion {
    type Err = std::convert::Infallible;

    /// `all`, or a region name such as `us-east-1`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(if s == "all" {
            WheelRegion::All
        } else {
            WheelRegion::Region(s.to_string())
        })
    }
}

/// Reads every schema file of `path` (a directory or a zip archive), taking us-east-1's schemas
/// from a cfn-lint wheel. See [`read_source_for`].
pub fn read_source(path: &Path) -> Result<Vec<SourceFile>> {
    read_source_for(path, &WheelRegion::default())
}

/// Reads every schema file of `path` (a directory or a zip archive). Files are returned in
/// byte order of their names; the importer reorders types itself, so the order here only makes
/// error reporting deterministic.
pub fn read_source_for(path: &Path, region: &WheelRegion) -> Result<Vec<SourceFile>> {
    read_source_limited(path, region, &ZipLimits::default())
}

/// [`read_source_for`] with explicit caps on what a zip archive may inflate to.
pub fn read_source_limited(
    path: &Path,
    region: &WheelRegion,
    limits: &ZipLimits,
) -> Result<Vec<SourceFile>> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let files = if meta.is_dir() {
        read_dir(path)?
    } else {
        read_zip(path, region, limits)?
    };
    if files.is_empty() {
        return Err(Error::NoSchemas {
            path: path.to_path_buf(),
        });
    }
    Ok(files)
}

fn read_dir(dir: &Path) -> Result<Vec<SourceFile>> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "json") && p.is_file() {
            paths.push(p);
        }
    }
    paths.sort();
    paths
        .par_iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            Ok(SourceFile {
                name: p.display().to_string(),
                bytes,
            })
        })
        .collect()
}

fn read_zip(path: &Path, region: &WheelRegion, limits: &ZipLimits) -> Result<Vec<SourceFile>> {
    let zip_err = |source| Error::Zip {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_err)?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let display = path.display().to_string();
    let mut total: u64 = 0;
    let mut read_entry = |name: &str| -> Result<SourceFile> {
        let entry = archive.by_name(name).map_err(zip_err)?;
        let too_large = |limit: u64, what: &'static str| Error::TooLarge {
            file: format!("{display}!{name}"),
            limit,
            what,
        };
        // The declared size is checked first; the read is capped too, as the header may lie.
        let room = limits.max_total_bytes.saturating_sub(total);
        if entry.size() > limits.max_entry_bytes {
            return Err(too_large(limits.max_entry_bytes, "one entry"));
        }
        if entry.size() > room {
            return Err(too_large(limits.max_total_bytes, "all entries together"));
        }
        let cap = limits.max_entry_bytes.min(room);
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Io {
                path: path.join(name),
                source,
            })?;
        let read = bytes.len() as u64;
        if read > cap {
            return Err(if cap == limits.max_entry_bytes {
                too_large(limits.max_entry_bytes, "one entry")
            } else {
                too_large(limits.max_total_bytes, "all entries together")
            });
        }
        total += read;
        Ok(SourceFile {
            name: format!("{display}!{name}"),
            bytes,
        })
    };

    let is_wheel = names.iter().any(|n| n.starts_with(WHEEL_PROVIDERS));
    let selected: Vec<String> = match region {
        WheelRegion::All if is_wheel => names
            .iter()
            .filter(|n| n.starts_with(WHEEL_RESOURCES) && n.ends_with(".json"))
            .cloned()
            .collect(),
        WheelRegion::Region(region) if is_wheel => {
            let map_name = format!("{WHEEL_PROVIDERS}{region}.json");
            // Older wheels: full schemas under providers/<region with underscores>/.
            let old_dir = format!("{WHEEL_PROVIDERS}{}/", region.replace('-', "_"));
            if names.contains(&map_name) {
                // cfn-lint ≥ 1.x: {"AWS::S3::Bucket": "<hash>", ...} → resources/<hash>.json.
                let map_file = read_entry(&map_name)?;
                let map: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_slice(&map_file.bytes).map_err(|source| Error::Json {
                        file: map_file.name.clone(),
                        path: ".".into(),
                        source,
                    })?;
                let mut hashes = Vec::with_capacity(map.len());
                for (type_name, hash) in &map {
                    let Some(hash) = hash.as_str() else {
                        return Err(Error::Schema {
                            file: map_file.name.clone(),
                            pointer: format!("/{}", escape_pointer(type_name)),
                            message: "expected the hash of the type's schema file (a string)"
                                .into(),
                        });
                    };
                    hashes.push(format!("{WHEEL_RESOURCES}{hash}.json"));
                }
                hashes.sort();
                hashes.dedup();
                hashes
            } else if names.iter().any(|n| n.starts_with(&old_dir)) {
                names
                    .iter()
                    .filter(|n| n.starts_with(&old_dir) && n.ends_with(".json"))
                    .cloned()
                    .collect()
            } else {
                return Err(Error::NoRegion {
                    path: path.to_path_buf(),
                    region: region.clone(),
                });
            }
        }
        // CloudformationSchema.zip: one `aws-<service>-<type>.json` per type at the root.
        _ => names
            .iter()
            .filter(|n| n.ends_with(".json") && !n.ends_with('/'))
            .cloned()
            .collect(),
    };
    let mut selected = selected;
    selected.sort();
    selected.iter().map(|n| read_entry(n)).collect()
}

/// Escapes a JSON pointer token (RFC 6901).
pub(crate) fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
