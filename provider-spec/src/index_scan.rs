//! A fast reader of what the type index needs from a service document, for start-up: the
//! `x-cfn-schema-name`, `x-cfn-type-name` and `x-identifiers` of each resource and the
//! `x-type-name` and `x-stackql-primary-identifier` of each schema, read by following the
//! block structure (indentation) of `components` instead of parsing the whole document (the
//! YAML parser needs about 1 CPU-second for the 27 MB of `provider-specs/aws`; this reader, a
//! few tens of milliseconds).
//!
//! It reads only what it can read exactly as the parser does: block mappings, plain scalars
//! that are strings, one-line quoted scalars without escapes, one-line flow lists of such
//! scalars, and block lists. Anything else on its way (flow-style `components`, an anchor, a
//! tag, a block scalar, a multi-line value, a key written twice, a number or `null` where a
//! name is expected) makes it answer `None`, and the caller parses the document instead. What
//! it reads goes through the same rules ([`crate::index::service_types`]) as a parsed document.
//! The fields it does not read (`methods`, the schema bodies) are not checked here: the full
//! read of the document, at first use, reports what is wrong in them.

use crate::document::{RawComponents, RawResource, SchemaHead};
use crate::yaml_scan::split_key;

/// Which part of `components` the reader is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Other,
    Schemas,
    Resources,
}

/// A field whose value is a block list being read, and the column of its key.
#[derive(Clone, Copy)]
enum ListField {
    PrimaryIdentifier,
    Identifiers,
}

/// The components the type index reads, or `None` when the text uses a form this reader does
/// not follow.
pub(crate) fn scan(text: &str) -> Option<RawComponents<SchemaHead>> {
    let mut out: RawComponents<SchemaHead> = RawComponents::default();
    let mut seen_components = false;
    let mut in_components = false;
    let mut seen_sections = (false, false);
    let mut section = Section::Other;
    // Columns of the components' keys, of the section's entries, and of the entry's fields.
    let (mut c1, mut c2, mut c3): (Option<usize>, Option<usize>, Option<usize>) =
        (None, None, None);
    let mut entry: Option<String> = None;
    let mut fields_seen: Vec<&'static str> = Vec::new();
    let mut list: Option<(ListField, usize, Vec<String>)> = None;
    // A one-line value was just read at this column: a deeper line would continue it.
    let mut continues_above: Option<usize> = None;
    for raw in text.lines() {
        // Most lines are deeper than anything read here (schema bodies, methods, other
        // top-level keys): skip them on their leading spaces alone.
        if list.is_none() && continues_above.is_none() {
            let deeper_than = if !in_components {
                Some(0)
            } else if section == Section::Other {
                c1
            } else if entry.is_some() {
                c3
            } else {
                None
            };
            if let Some(n) = deeper_than {
                if raw
                    .as_bytes()
                    .get(..=n)
                    .is_some_and(|b| b.iter().all(|&c| c == b' '))
                {
                    continue;
                }
            }
        }
        let line = raw.trim_end();
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if body.starts_with('\t') {
            return None;
        }
        let col = line.len() - body.len();
        if let Some(limit) = continues_above.take() {
            if col > limit {
                return None;
            }
        }
        if let Some((field, key_col, mut items)) = list.take() {
            let is_item = body == "-" || body.starts_with("- ");
            if is_item && col >= key_col {
                items.push(plain_or_quoted(body[1..].trim_start())?);
                continues_above = Some(col);
                list = Some((field, key_col, items));
                continue;
            }
            if col > key_col || items.is_empty() {
                return None;
            }
            store_list(&mut out, section, entry.as_deref()?, field, items)?;
        }
        if col == 0 {
            if body.starts_with("---") || body.starts_with("...") {
                return None;
            }
            let (key, value) = key_value(body)?;
            in_components = key == "components";
            if in_components {
                if seen_components || !value.is_empty() {
                    return None;
                }
                seen_components = true;
            }
            section = Section::Other;
            (c1, c2, c3, entry) = (None, None, None, None);
            continue;
        }
        if !in_components {
            continue;
        }
        let components_col = *c1.get_or_insert(col);
        if col < components_col {
            return None;
        }
        if col == components_col {
            let (key, value) = key_value(body)?;
            section = match key.as_str() {
                "schemas" => Section::Schemas,
                "x-stackQL-resources" => Section::Resources,
                _ => Section::Other,
            };
            let seen = match section {
                Section::Schemas => &mut seen_sections.0,
                Section::Resources => &mut seen_sections.1,
                Section::Other => {
                    (c2, c3, entry) = (None, None, None);
                    continue;
                }
            };
            if *seen {
                return None;
            }
            *seen = true;
            match value {
                "" => {}
                "{}" => section = Section::Other,
                _ => return None,
            }
            (c2, c3, entry) = (None, None, None);
            continue;
        }
        if section == Section::Other {
            continue;
        }
        let entry_col = *c2.get_or_insert(col);
        if col < entry_col {
            return None;
        }
        if col == entry_col {
            let (key, value) = key_value(body)?;
            if !value.is_empty() {
                return None;
            }
            let fresh = match section {
                Section::Schemas => out
                    .schemas
                    .insert(key.clone(), SchemaHead::default())
                    .is_none(),
                _ => out
                    .resources
                    .insert(key.clone(), RawResource::default())
                    .is_none(),
            };
            if !fresh {
                return None;
            }
            (c3, entry) = (None, Some(key));
            fields_seen.clear();
            continue;
        }
        let field_col = *c3.get_or_insert(col);
        if col < field_col {
            return None;
        }
        if col > field_col || !body.starts_with(['x', '\'', '"']) {
            // Inside a field's value, an item of a list under a field not read here, or a
            // field not read here (every field read starts with `x-`, perhaps quoted).
            continue;
        }
        let (key, value) = key_value(body)?;
        let field: &'static str = match (section, key.as_str()) {
            (Section::Schemas, "x-type-name") => "x-type-name",
            (Section::Schemas, "x-stackql-primary-identifier") => "x-stackql-primary-identifier",
            (Section::Resources, "x-cfn-schema-name") => "x-cfn-schema-name",
            (Section::Resources, "x-cfn-type-name") => "x-cfn-type-name",
            (Section::Resources, "x-identifiers") => "x-identifiers",
            _ => continue,
        };
        if fields_seen.contains(&field) {
            return None;
        }
        fields_seen.push(field);
        let name = entry.as_deref()?;
        let list_field = match field {
            "x-stackql-primary-identifier" => Some(ListField::PrimaryIdentifier),
            "x-identifiers" => Some(ListField::Identifiers),
            _ => None,
        };
        match list_field {
            Some(list_field) if value.is_empty() => {
                list = Some((list_field, field_col, Vec::new()));
            }
            Some(list_field) => {
                let items = flow_list(value)?;
                store_list(&mut out, section, name, list_field, items)?;
                continues_above = Some(field_col);
            }
            None => {
                let scalar = Some(plain_or_quoted(value)?);
                match (section, field) {
                    (Section::Schemas, _) => out.schemas.get_mut(name)?.type_name = scalar,
                    (_, "x-cfn-schema-name") => out.resources.get_mut(name)?.schema_name = scalar,
                    _ => out.resources.get_mut(name)?.type_name = scalar,
                }
                continues_above = Some(field_col);
            }
        }
    }
    if let Some((field, _, items)) = list {
        if items.is_empty() {
            return None;
        }
        store_list(&mut out, section, entry.as_deref()?, field, items)?;
    }
    Some(out)
}

/// `key: value` with the value's trailing comment removed; `None` for anything else.
fn key_value(body: &str) -> Option<(String, &str)> {
    if body.starts_with("- ") || body == "-" {
        return None;
    }
    let (key, value) = split_key(body)?;
    let value = value.trim();
    let value = if value.starts_with('#') { "" } else { value };
    Some((key, value))
}

fn store_list(
    out: &mut RawComponents<SchemaHead>,
    section: Section,
    entry: &str,
    field: ListField,
    items: Vec<String>,
) -> Option<()> {
    match (section, field) {
        (Section::Schemas, ListField::PrimaryIdentifier) => {
            out.schemas.get_mut(entry)?.primary_identifier = Some(items);
        }
        (Section::Resources, ListField::Identifiers) => {
            out.resources.get_mut(entry)?.identifiers = items;
        }
        _ => return None,
    }
    Some(())
}

/// A one-line scalar that the parser reads as this string: a plain scalar starting with a
/// letter, `/` or `_` (so not a number, `null` or a boolean), or a quoted one without escapes;
/// a trailing comment is dropped.
fn plain_or_quoted(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    match first {
        '\'' => {
            let inner = &value[1..];
            let mut out = String::new();
            let mut chars = inner.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().map(|p| p.1) == Some('\'') {
                        chars.next();
                        out.push('\'');
                        continue;
                    }
                    return only_comment(&inner[i + 1..]).then_some(out);
                }
                out.push(c);
            }
            None
        }
        '"' => {
            let inner = &value[1..];
            let end = inner.find('"')?;
            let text = &inner[..end];
            (!text.contains('\\') && only_comment(&inner[end + 1..])).then(|| text.to_owned())
        }
        c if c.is_ascii_alphabetic() || c == '/' || c == '_' => {
            let text = match value.find(" #") {
                Some(i) => &value[..i],
                None => value,
            }
            .trim_end();
            let special = matches!(
                text,
                "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            );
            let indicator = text.contains(": ")
                || text.ends_with(':')
                || text.contains(['[', ']', '{', '}', ',', '\'', '"', '\t']);
            (!special && !indicator).then(|| text.to_owned())
        }
        _ => None,
    }
}

/// Whether what follows a closing quote or bracket is nothing, or a comment after a space.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start();
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// A one-line flow list of scalars (`[A, 'B']`), trailing comment allowed.
fn flow_list(value: &str) -> Option<Vec<String>> {
    let inner = value.strip_prefix('[')?;
    let end = inner.find(']')?;
    if !only_comment(&inner[end + 1..]) {
        return None;
    }
    let inner = &inner[..end];
    if inner.contains(['[', '{', '}', '#', '"', '\'']) {
        return None;
    }
    let mut items = Vec::new();
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    for (index, part) in parts.iter().enumerate() {
        if part.is_empty() {
            // `[]`, or one trailing comma.
            if index + 1 == parts.len() {
                continue;
            }
            return None;
        }
        items.push(plain_or_quoted(part)?);
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse_yaml, ServiceComponents};
    use crate::index::service_types;
    use std::path::Path;

    /// The scan, or `None`; when it answers, its index equals the parser's.
    fn scanned(text: &str) -> Option<Vec<(String, Vec<String>)>> {
        let fast = scan(text)?;
        let parsed: ServiceComponents<SchemaHead> =
            parse_yaml(Path::new("t.yaml"), text).expect("the parser reads what the scan reads");
        let index = service_types(&fast);
        assert_eq!(index, service_types(&parsed.components), "{text}");
        Some(
            index
                .into_values()
                .map(|t| (t.type_name, t.primary_identifier))
                .collect(),
        )
    }

    fn one(type_name: &str, identifier: &[&str]) -> Option<Vec<(String, Vec<String>)>> {
        Some(vec![(
            type_name.to_owned(),
            identifier.iter().map(|s| (*s).to_owned()).collect(),
        )])
    }

    #[test]
    fn block_and_flow_forms_read_as_the_parser_reads_them() {
        let text = "openapi: 3.0.0
info:
  title: T # comment
components:
  parameters: {}
  schemas:
    Thing:
      type: object
      description: |
        x-type-name: AWS::Not::This
      properties:
        Nested:
          x-type-name: AWS::Not::This
      x-type-name: 'AWS::A::Thing' # quoted
      x-stackql-primary-identifier:
      - /properties/Id
      - \"Other\"
  x-stackQL-resources:
    things:
      x-cfn-schema-name: Thing
      x-identifiers: [Id, Other,]
      config:
        x-cfn-type-name: AWS::Not::This
paths: {}
";
        assert_eq!(scanned(text), one("AWS::A::Thing", &["Id", "Other"]));
        let text = "components:\n  x-stackQL-resources:\n    things:\n      x-cfn-schema-name: \"Thing\"\n      x-cfn-type-name: AWS::A::Thing\n      x-identifiers:\n        - Id\n";
        assert_eq!(scanned(text), one("AWS::A::Thing", &["Id"]));
    }

    #[test]
    fn forms_it_does_not_follow_are_left_to_the_parser() {
        let resource = |field: &str| {
            format!("components:\n  x-stackQL-resources:\n    things:\n      x-cfn-schema-name: Thing\n{field}")
        };
        for text in [
            "components: {x-stackQL-resources: {}}\n".to_owned(),
            resource("      x-cfn-type-name: &a AWS::A::Thing\n"),
            resource("      x-cfn-type-name: !!str AWS::A::Thing\n"),
            resource("      x-cfn-type-name: >-\n        AWS::A::Thing\n"),
            resource("      x-cfn-type-name: AWS::A::\n        Thing\n"),
            resource("      x-cfn-type-name: \"AWS::A::\\u0054hing\"\n"),
            resource("      x-cfn-type-name: null\n"),
            resource("      x-cfn-type-name: 12\n"),
            resource("      x-cfn-type-name: A\n      x-cfn-type-name: B\n"),
            resource("      x-identifiers: [[A]]\n"),
            resource("      x-identifiers:\n      - a: b\n"),
            resource("      x-identifiers:\n      x-type: list\n"),
            format!("{}  x-stackQL-resources: {{}}\n", resource("")),
            "---\ncomponents: {}\n".to_owned(),
        ] {
            assert!(scan(&text).is_none(), "{text}");
        }
    }

    #[test]
    fn an_empty_or_absent_section_has_no_types() {
        assert_eq!(
            scanned("components:\n  x-stackQL-resources: {}\n"),
            Some(vec![])
        );
        assert_eq!(scanned("openapi: 3.0.0\n"), Some(vec![]));
    }
}
