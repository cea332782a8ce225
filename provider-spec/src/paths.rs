//! Property paths: how `x-read-only-properties`, `x-create-only-properties`,
//! `x-write-only-properties` and `x-stackql-primary-identifier` name a property.
//!
//! They are written in several forms: CloudFormation's pointers (`/properties/A`,
//! `/properties/A/properties/B`, `/properties/A/*/B`), the StackQL conversion's (`A`, `A/B`,
//! `A/*/B`, `A/properties/B`: it removes only the first `/properties/`). Every form reads as one
//! canonical path: property names separated by `/`, with `*` for "every item of the array"
//! (`A/*/B`). Consumers split it on `/`; one that does not care about arrays skips the `*`
//! steps.

/// The JSON schema keyword between an object and its property names.
const PROPERTIES: &str = "properties";
/// The step into every item of an array.
pub const ITEMS: &str = "*";

/// The canonical form of a property path as written (see the module docs): a leading
/// `/properties/` is dropped, and so is every `properties` keyword that stands between a
/// property (or `*`) and the next name; empty segments are dropped.
pub fn property_path(written: &str) -> String {
    let rest = written.strip_prefix("/properties/").unwrap_or(written);
    let mut out: Vec<&str> = Vec::new();
    let mut segments = rest.split('/').filter(|s| !s.is_empty()).peekable();
    // After a property or `*` a `properties` keyword may follow; after the keyword, a name.
    let mut keyword_may_follow = false;
    while let Some(segment) = segments.next() {
        if segment == PROPERTIES && keyword_may_follow && segments.peek().is_some() {
            keyword_may_follow = false;
            continue;
        }
        out.push(segment);
        keyword_may_follow = true;
    }
    out.join("/")
}

/// How the StackQL conversion (and so `cargo xtask import`) writes a CloudFormation property
/// pointer: the first `/properties/` is removed, the rest kept (`/properties/A/properties/B` →
/// `A/properties/B`). [`property_path`] reads the result back as the pointer itself.
pub fn stackql_form(pointer: &str) -> String {
    pointer.replacen("/properties/", "", 1)
}

/// [`property_path`] of every path of an optional list, in order.
pub fn property_paths<T: AsRef<str>>(written: Option<&[T]>) -> Vec<String> {
    written
        .into_iter()
        .flatten()
        .map(|p| property_path(p.as_ref()))
        .collect()
}

/// The steps of a canonical path: property names and [`ITEMS`].
pub fn steps(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_reads_as_one_path() {
        let cases = [
            ("/properties/Arn", "Arn"),
            ("Arn", "Arn"),
            ("/properties/Config/properties/Id", "Config/Id"),
            ("/properties/Config/Id", "Config/Id"),
            ("Config/Id", "Config/Id"),
            // What the StackQL conversion writes for `/properties/Config/properties/Id`.
            ("Config/properties/Id", "Config/Id"),
            ("/properties/Tags/*/Key", "Tags/*/Key"),
            ("Tags/*/Key", "Tags/*/Key"),
            ("Tags/*/properties/Key", "Tags/*/Key"),
            ("Matrix/*/*/Cell", "Matrix/*/*/Cell"),
            // A property named `properties`: last, or right after the keyword.
            ("Config/properties", "Config/properties"),
            ("/properties/properties", "properties"),
        ];
        for (written, canonical) in cases {
            assert_eq!(property_path(written), canonical, "{written}");
            // Canonical paths read as themselves.
            assert_eq!(property_path(canonical), canonical, "{canonical}");
        }
    }

    #[test]
    fn a_property_named_properties_after_the_keyword_is_a_name() {
        assert_eq!(
            property_path("/properties/A/properties/properties/B"),
            "A/properties/B"
        );
    }

    #[test]
    fn the_stackql_form_reads_back_as_the_pointer() {
        for pointer in [
            "/properties/Arn",
            "/properties/A/properties/B",
            "/properties/A/B",
            "/properties/Tags/*/Key",
            "/properties/Tags/*/properties/Key",
        ] {
            let written = stackql_form(pointer);
            assert!(!written.starts_with('/'), "{written}");
            assert_eq!(property_path(&written), property_path(pointer), "{pointer}");
        }
        assert_eq!(stackql_form("/properties/A/properties/B"), "A/properties/B");
    }

    #[test]
    fn lists_keep_their_order_and_absent_lists_are_empty() {
        let written = ["/properties/B", "A"];
        assert_eq!(property_paths(Some(&written[..])), ["B", "A"]);
        assert!(property_paths::<String>(None).is_empty());
        assert_eq!(
            steps("Tags/*/Key").collect::<Vec<_>>(),
            ["Tags", "*", "Key"]
        );
    }
}
