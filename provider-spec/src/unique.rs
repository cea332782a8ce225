//! Unique names within one scope: the one helper every emitter uses when two things want the
//! same name (two types called `Tag`, two fields that both become `r#type`, a permissions
//! constant met twice, a row column equal to `region`).
//!
//! The first claim of a name gets it as it is; later claims get the first free numbered form,
//! `<name><separator><n>` from `n = 2` (`Tag2` with separator `""`, `name_2` with `"_"`).
//! Names are compared as Rust does: a raw identifier is the same name as its text (`r#type`
//! and `type`), and the numbered form is built from the text (`r#type` → `type_2`, no longer
//! a keyword).

use std::collections::BTreeSet;

/// The names taken in one scope.
#[derive(Debug, Clone, Default)]
pub struct UniqueNames {
    used: BTreeSet<String>,
}

/// The text of a name (`r#type` → `type`).
fn text(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

impl UniqueNames {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `taken` are already used (reserved words, names of another kind that
    /// share the namespace).
    pub fn with_taken<I, S>(taken: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut names = Self::default();
        for name in taken {
            names.take(name.as_ref());
        }
        names
    }

    /// Marks `name` used; `false` when it already was.
    pub fn take(&mut self, name: &str) -> bool {
        self.used.insert(text(name).to_owned())
    }

    /// Whether `name` is used.
    pub fn is_taken(&self, name: &str) -> bool {
        self.used.contains(text(name))
    }

    /// `base` when it is free, else `<base><separator><n>` for the first free `n` from 2; the
    /// result is marked used.
    pub fn claim(&mut self, base: &str, separator: &str) -> String {
        if self.take(base) {
            return base.to_owned();
        }
        let stem = text(base);
        let mut n = 2usize;
        loop {
            let candidate = format!("{stem}{separator}{n}");
            if self.take(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UniqueNames;

    #[test]
    fn first_claim_keeps_the_name_later_ones_are_numbered_from_two() {
        let mut names = UniqueNames::new();
        assert_eq!(names.claim("Tag", ""), "Tag");
        assert_eq!(names.claim("Tag", ""), "Tag2");
        assert_eq!(names.claim("Tag", ""), "Tag3");
        assert_eq!(names.claim("name", "_"), "name");
        assert_eq!(names.claim("name", "_"), "name_2");
    }

    #[test]
    fn a_numbered_form_already_taken_is_skipped() {
        let mut names = UniqueNames::with_taken(["Tag", "Tag2"]);
        assert_eq!(names.claim("Tag", ""), "Tag3");
        // A name that looks numbered is an ordinary name.
        assert_eq!(names.claim("Tag2", ""), "Tag22");
    }

    #[test]
    fn raw_identifiers_are_their_text() {
        let mut names = UniqueNames::with_taken(["region"]);
        assert_eq!(names.claim("r#type", "_"), "r#type");
        assert_eq!(names.claim("r#type", "_"), "type_2");
        assert!(names.is_taken("type"));
        assert!(!names.take("r#type"));
        assert_eq!(names.claim("region", "_"), "region_2");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut names = UniqueNames::with_taken(["Unknown"]);
        assert_eq!(names.claim("Unknown", ""), "Unknown2");
        assert_eq!(names.claim("Known", ""), "Known");
    }
}
