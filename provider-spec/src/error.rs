//! Errors from reading a spec document. Each names the file and the path inside it; the
//! generator and the emulator turn them into their own error types with the same text.

use std::path::{Path, PathBuf};

/// A spec file that could not be read or does not have the shape of a spec document.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not valid YAML, repeats a key, nests too deep, or does not have the shape of
    /// the document type.
    #[error("{}: at `{at}`: {message}", file.display())]
    Parse {
        /// The spec file.
        file: PathBuf,
        /// Path inside the document (`components.schemas.Foo.properties`), `.` for the root.
        at: String,
        /// What the parser said, with line and column where it knows them.
        message: String,
    },
}

impl SpecError {
    /// Builds a [`SpecError::Io`].
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        SpecError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
