//! `$ref` resolution: which references a spec may use and what they point at.
//!
//! A schema reference is `#/components/schemas/<name>`, the name JSON-pointer encoded (`~1` is
//! `/`, `~0` is `~`); a parameter reference `#/components/parameters/<name>`; an operation
//! reference `#/paths/<path>/<method>`. Anything else is refused, and a chain of references is
//! followed at most [`MAX_REF_DEPTH`] steps (a longer one is a cycle).

use indexmap::IndexMap;
use std::borrow::Cow;

/// Prefix of a schema reference.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";
/// Prefix of a parameter reference.
pub const PARAMETER_REF_PREFIX: &str = "#/components/parameters/";
/// Prefix of an operation reference.
pub const PATH_REF_PREFIX: &str = "#/paths/";
/// Deepest `$ref` chain followed before declaring a cycle.
pub const MAX_REF_DEPTH: usize = 64;

/// Why a schema reference does not resolve; the caller adds the file and the path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// The reference is not of the form `#/components/schemas/<name>`.
    #[error("unsupported $ref `{0}` (expected {SCHEMA_REF_PREFIX}<name>)")]
    Unsupported(String),
    /// No schema of that name.
    #[error("unresolvable $ref `{reference}`: no schema `{name}` in components.schemas")]
    Unresolvable {
        /// The reference as written.
        reference: String,
        /// The decoded schema name.
        name: String,
    },
}

/// Decodes a JSON pointer segment (`~1` → `/`, `~0` → `~`).
pub fn unescape_pointer(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// The schema name a schema reference names (decoded), or `None` when it is not of the form
/// `#/components/schemas/<name>`.
pub fn schema_name(reference: &str) -> Option<Cow<'_, str>> {
    reference
        .strip_prefix(SCHEMA_REF_PREFIX)
        .map(unescape_pointer)
}

/// The schema a reference names in `schemas`, with its key.
pub fn resolve<'s, S>(
    schemas: &'s IndexMap<String, S>,
    reference: &str,
) -> Result<(&'s str, &'s S), RefError> {
    let name = schema_name(reference).ok_or_else(|| RefError::Unsupported(reference.to_owned()))?;
    match schemas.get_key_value(name.as_ref()) {
        Some((key, schema)) => Ok((key.as_str(), schema)),
        None => Err(RefError::Unresolvable {
            reference: reference.to_owned(),
            name: name.into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_references_decode_their_name() {
        assert_eq!(
            schema_name("#/components/schemas/Tag").as_deref(),
            Some("Tag")
        );
        assert_eq!(
            schema_name("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(schema_name("#/definitions/Tag"), None);
    }

    #[test]
    fn resolve_names_what_is_wrong() {
        let mut schemas = IndexMap::new();
        schemas.insert("a/b".to_owned(), 1);
        assert_eq!(
            resolve(&schemas, "#/components/schemas/a~1b"),
            Ok(("a/b", &1))
        );
        assert_eq!(
            resolve(&schemas, "#/components/schemas/Nope")
                .unwrap_err()
                .to_string(),
            "unresolvable $ref `#/components/schemas/Nope`: no schema `Nope` in components.schemas"
        );
        assert_eq!(
            resolve(&schemas, "#/definitions/X")
                .unwrap_err()
                .to_string(),
            "unsupported $ref `#/definitions/X` (expected #/components/schemas/<name>)"
        );
    }
}
