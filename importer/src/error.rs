//! Errors of the importer. Each names the file (and, for schema problems, the JSON path inside
//! it) so that a bad input can be fixed without a debugger.

use std::path::PathBuf;

/// An import failure. Nothing is written to the output directory when one occurs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A zip archive (CloudformationSchema.zip or a cfn-lint wheel) could not be read.
    #[error("{}: {source}", path.display())]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The underlying error.
        source: zip::result::ZipError,
    },
    /// A schema file is not valid JSON.
    #[error("{file}: invalid JSON at path `{path}`: {source}")]
    Json {
        /// The file (inside an archive: `archive.zip!entry`).
        file: String,
        /// The JSON path where parsing stopped (`.` for the document root).
        path: String,
        /// The parser error (with line and column).
        source: serde_json::Error,
    },
    /// A schema file holds one key twice in an object (JSON parsers disagree on which wins).
    #[error("{file}: duplicate key `{key}` in the object at path `{path}`: first at line {} column {}, again at line {} column {}", first.0, first.1, second.0, second.1)]
    DuplicateKey {
        /// The file (inside an archive: `archive.zip!entry`).
        file: String,
        /// The JSON path of the object.
        path: String,
        /// The key.
        key: String,
        /// Line and column of the first occurrence.
        first: (usize, usize),
        /// Line and column of the second.
        second: (usize, usize),
    },
    /// A schema file is valid JSON but not a usable CloudFormation resource schema.
    #[error("{file}: at JSON pointer `{pointer}`: {message}")]
    Schema {
        /// The file (inside an archive: `archive.zip!entry`).
        file: String,
        /// The JSON pointer (RFC 6901) of the offending value; empty for the document root.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// Two input files declare the same `typeName`.
    #[error("type {type_name} is declared by both {first} and {second}")]
    DuplicateType {
        /// The type name.
        type_name: String,
        /// The first file declaring it.
        first: String,
        /// The second file declaring it.
        second: String,
    },
    /// The input holds no schema files at all.
    #[error("{}: no CloudFormation schema files found (expected *.json files, CloudformationSchema.zip or a cfn-lint wheel)", path.display())]
    NoSchemas {
        /// The input path.
        path: PathBuf,
    },
    /// A zip entry inflates beyond a cap of [`crate::ZipLimits`] (a zip bomb, or not a schema
    /// archive).
    #[error("{file}: decompresses to more than {limit} bytes, the limit for {what} of an archive; not read")]
    TooLarge {
        /// The entry (`archive.zip!entry`).
        file: String,
        /// The cap that was reached, in bytes.
        limit: u64,
        /// Which cap: `one entry` or `all entries together`.
        what: &'static str,
    },
    /// A cfn-lint wheel has no schemas for the requested region.
    #[error("{}: this cfn-lint wheel has no schemas for region {region}", path.display())]
    NoRegion {
        /// The wheel.
        path: PathBuf,
        /// The requested region.
        region: String,
    },
    /// The allowlist file has a malformed line.
    #[error("{}:{line}: {message}", path.display())]
    Allowlist {
        /// The allowlist file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The output directory could not be replaced.
    #[error("cannot write {}: {message}", path.display())]
    Output {
        /// The directory.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// Result alias of the importer.
pub type Result<T, E = Error> = std::result::Result<T, E>;
