//! The library's error type.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Errors from starting the emulator, loading specs or seeding resources.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A spec file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A spec file is malformed.
    #[error("{file}: at {path}: {message}")]
    Spec {
        /// The spec file.
        file: PathBuf,
        /// Path inside the file (e.g. `components.x-stackQL-resources.connections`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No service file (`<root>/<provider>/services/*.yaml` or `<root>/services/*.yaml`, also
    /// `.yml`) was found under the specs root; `provider.yaml` is not read.
    #[error(
        "no service specs under {0} (looked for <provider>/services/*.yaml and services/*.yaml)"
    )]
    NoSpecs(PathBuf),
    /// The listening socket could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The resource type is not in the provider specs.
    #[error("resource type {0} is not in the provider specs")]
    TypeNotFound(String),
    /// Properties do not satisfy the type's schema.
    #[error("invalid properties for {type_name}: {message}")]
    InvalidProperties {
        /// The resource type.
        type_name: String,
        /// The violations, each naming its property path.
        message: String,
    },
    /// A resource with the same primary identifier exists.
    #[error("resource of type {type_name} with identifier {identifier} already exists")]
    AlreadyExists {
        /// The resource type.
        type_name: String,
        /// The primary identifier.
        identifier: String,
    },
    /// An internal failure (a background task died).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<provider_spec::SpecError> for Error {
    fn from(e: provider_spec::SpecError) -> Self {
        match e {
            provider_spec::SpecError::Io { path, source } => Error::Io { path, source },
            provider_spec::SpecError::Parse { file, at, message } => Error::Spec {
                file,
                path: at,
                message,
            },
        }
    }
}
