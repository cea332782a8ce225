//! The generator's error type. Every variant that comes from a spec names the file and the
//! path inside it, so a maintainer can go straight to the offending line.

use std::path::PathBuf;

/// Everything that can go wrong while loading specs or generating output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A spec file is not valid YAML, or does not have the shape of a provider or service spec.
    #[error("{}: at `{at}`: {message}", file.display())]
    Parse {
        /// The spec file.
        file: PathBuf,
        /// Path inside the document (`components.schemas.Foo.properties`), `.` for the root.
        at: String,
        /// What the parser said, with line and column where it knows them.
        message: String,
    },
    /// A spec parsed but says something inconsistent (a `$ref` to nothing, an identifier that
    /// is not a property, two resources writing one page, ...).
    #[error("{}: at `{at}`: {message}", file.display())]
    Invalid {
        /// The spec file.
        file: PathBuf,
        /// Path inside the document.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// An emitter could not produce a file of the generated crate (Rust code that does not
    /// parse, a `Cargo.toml` that cannot be serialized): a generator bug, not a spec error (the
    /// spec text that reaches code is escaped), so it names the generated file.
    #[error("cannot generate {file} (a generator bug): {message}")]
    Emit {
        /// The generated file, relative to the crate folder (`src/lib.rs`, `src/logs.rs`,
        /// `Cargo.toml`).
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The specs root holds no provider.
    #[error("{}: no provider found (expected <root>/<provider>/provider.yaml)", root.display())]
    NoProvider {
        /// The specs root that was searched.
        root: PathBuf,
    },
}

impl Error {
    /// Builds an [`Error::Invalid`] for `file` at `at`.
    pub(crate) fn invalid(
        file: &std::path::Path,
        at: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            file: file.to_path_buf(),
            at: at.into(),
            message: message.into(),
        }
    }

    /// Builds an [`Error::Io`].
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<provider_spec::SpecError> for Error {
    fn from(e: provider_spec::SpecError) -> Self {
        match e {
            provider_spec::SpecError::Io { path, source } => Error::Io { path, source },
            provider_spec::SpecError::Parse { file, at, message } => {
                Error::Parse { file, at, message }
            }
        }
    }
}

/// Result alias used throughout the generator.
pub type Result<T, E = Error> = std::result::Result<T, E>;
