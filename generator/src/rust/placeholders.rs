//! Doc comments kept out of the token pipeline.
//!
//! About a third of a service module is documentation text. Sending it through quote, syn and
//! prettyplease costs time (escaped into literals, tokenized, unescaped twice) and changes
//! nothing: prettyplease prints each `#[doc = " text"]` attribute (single line, not starting
//! with `/`) as `/// text` on its own line, at the item's indentation, and doc lines never
//! influence how the surrounding code is laid out. So while a module is built, doc attributes
//! hold a short placeholder (`\u{7f}<n>`), and the formatted text gets the real lines back.
//! A test checks that the result equals formatting the real attributes.

use std::cell::RefCell;

/// Marks a placeholder doc line; a DEL character never occurs in escaped descriptions.
const MARK: char = '\u{7f}';

thread_local! {
    /// Doc blocks of the module being built on this thread (`None`: attributes are inline).
    static TABLE: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Runs `build` with placeholders on (when `enabled`) and returns its result with the doc
/// blocks collected. The module is built on one thread (no rayon inside), so a thread-local
/// table is enough.
pub(crate) fn collect<T>(enabled: bool, build: impl FnOnce() -> T) -> (T, Vec<Vec<String>>) {
    if !enabled {
        return (build(), Vec::new());
    }
    let previous = TABLE.with(|t| t.borrow_mut().replace(Vec::new()));
    let value = build();
    let table = TABLE
        .with(|t| std::mem::replace(&mut *t.borrow_mut(), previous))
        .unwrap_or_default();
    (value, table)
}

/// The doc attribute values for `lines` (each `" line"`, or `""` for a blank line): the
/// lines themselves, or one placeholder standing for all of them.
///
/// Every doc attribute of a generated module passes here, so this is where each line goes
/// through [`super::rustdoc::doc_line`]: no spec text can break out of its comment.
pub(crate) fn doc_values(lines: &[String]) -> Vec<String> {
    let inline = || {
        lines
            .iter()
            .map(|line| {
                if line.is_empty() {
                    String::new()
                } else {
                    format!(" {}", super::rustdoc::doc_line(line))
                }
            })
            .collect()
    };
    TABLE.with(|t| match t.borrow_mut().as_mut() {
        Some(table) if !lines.is_empty() => {
            table.push(
                lines
                    .iter()
                    .map(|line| super::rustdoc::doc_line(line).into_owned())
                    .collect(),
            );
            vec![format!("{MARK}{}", table.len() - 1)]
        }
        _ => inline(),
    })
}

/// Replaces every placeholder line of formatted text by its doc lines.
pub(crate) fn expand(text: &str, table: &[Vec<String>]) -> String {
    if table.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(
        text.len() + table.iter().flatten().map(|l| l.len() + 8).sum::<usize>(),
    );
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let placeholder = ["///", "//!"].iter().find_map(|prefix| {
            let rest = trimmed.strip_prefix(prefix)?.strip_prefix(MARK)?;
            let index: usize = rest.trim_end().parse().ok()?;
            Some((*prefix, table.get(index)?))
        });
        match placeholder {
            Some((prefix, lines)) => {
                for doc in lines {
                    out.push_str(indent);
                    out.push_str(prefix);
                    if !doc.is_empty() {
                        out.push(' ');
                        out.push_str(doc);
                    }
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    out
}
