//! A small YAML emitter in the style of js-yaml (which wrote StackQL's specs): block mappings,
//! sequences indented under their key, `|-` literals for multi-line text, single quotes only
//! where a plain scalar would be read back differently. serde_yaml's emitter would produce
//! valid YAML too, but with unindented sequences and a different quoting style, so the output
//! would look unlike every other StackQL provider; the importer's tests parse everything this
//! module writes back with serde_yaml and compare it with the source value.

use serde_json::{Map, Value};
use std::fmt::Write as _;

/// Appends the entries of `map` as a block mapping indented by `indent` spaces.
pub fn write_mapping(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (k, v) in map {
        push_indent(out, indent);
        write_entry(out, k, v, indent);
    }
}

/// Renders a whole document (a mapping at the top level).
pub fn to_string(map: &Map<String, Value>) -> String {
    let mut out = String::new();
    write_mapping(&mut out, map, 0);
    out
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// `key: value` where the cursor is already at the key's column.
fn write_entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    write_scalar_str(out, key, indent, true);
    out.push(':');
    write_child(out, value, indent);
}

/// The value after `key:` or `-` (a block child is indented two more spaces).
fn write_child(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(m) if m.is_empty() => out.push_str(" {}\n"),
        Value::Array(a) if a.is_empty() => out.push_str(" []\n"),
        Value::Object(m) => {
            out.push('\n');
            write_mapping(out, m, indent + 2);
        }
        Value::Array(a) => {
            out.push('\n');
            write_sequence(out, a, indent + 2);
        }
        scalar => {
            out.push(' ');
            write_scalar(out, scalar, indent);
            out.push('\n');
        }
    }
}

fn write_sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        write_item(out, item, indent);
    }
}

/// `- item` where the cursor is at the dash's column; nested collections start on the dash line.
fn write_item(out: &mut String, item: &Value, indent: usize) {
    out.push('-');
    match item {
        Value::Object(m) if !m.is_empty() => {
            out.push(' ');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    push_indent(out, indent + 2);
                }
                write_entry(out, k, v, indent + 2);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            out.push(' ');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    push_indent(out, indent + 2);
                }
                write_item(out, v, indent + 2);
            }
        }
        other => write_child(out, other, indent),
    }
}

fn write_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => write_scalar_str(out, s, indent, false),
        // Collections are handled by the callers.
        Value::Array(_) | Value::Object(_) => out.push_str("null"),
    }
}

/// js-yaml's `lineWidth` in StackQL's converter: longer lines are folded (`>-`).
const LINE_WIDTH: usize = 500;
/// Indentation per level; also the block indentation indicator when one is needed.
const INDENT_STEP: usize = 2;

/// Writes a string scalar choosing the style as js-yaml does (`chooseScalarStyle`): plain when
/// safe and unambiguous, else single-quoted; multi-line text as a `|` literal block, text with a
/// line longer than the line width as a `>` folded block; double quotes (with escapes) when a
/// character is not printable. Keys are never written as blocks. One deliberate difference:
/// YAML 1.1 booleans (`yes`, `off`, ...) are quoted, since StackQL reads specs with a YAML 1.1
/// parser.
fn write_scalar_str(out: &mut String, s: &str, indent: usize, is_key: bool) {
    let has_unprintable = s.chars().any(|c| c != '\n' && !is_printable(c));
    if is_key || has_unprintable || (!s.contains('\n') && !has_foldable_line(s, indent)) {
        if has_unprintable || s.contains('\n') {
            write_double_quoted(out, s);
        } else if is_plain_safe(s) {
            out.push_str(s);
        } else {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        return;
    }
    let content_indent = indent + INDENT_STEP;
    let (style, body) = if has_foldable_line(s, indent) {
        ('>', fold_string(s, line_width(indent)))
    } else {
        ('|', s.to_string())
    };
    out.push(style);
    out.push_str(&block_header(s));
    let mut indented = indent_lines(&body, content_indent);
    if indented.ends_with('\n') {
        indented.pop();
    }
    out.push_str(&indented);
}

/// The folding width for a scalar whose key is at column `indent` (js-yaml:
/// `max(min(lineWidth, 40), lineWidth - indent)` with the content's indentation).
fn line_width(indent: usize) -> usize {
    LINE_WIDTH.saturating_sub(indent + INDENT_STEP).max(40)
}

/// Whether a line is longer than the width and not more-indented (js-yaml's `hasFoldableLine`).
fn has_foldable_line(s: &str, indent: usize) -> bool {
    let width = line_width(indent);
    s.split('\n')
        .any(|line| line.chars().count() > width && !line.starts_with(' '))
}

/// Indentation indicator (when the text starts with spaces, after any empty lines) and
/// chomping indicator, then the line break.
fn block_header(s: &str) -> String {
    let needs_indicator = s.trim_start_matches('\n').starts_with(' ');
    let clip = s.ends_with('\n');
    let keep = clip && (s.ends_with("\n\n") || s == "\n");
    let chomp = if keep {
        "+"
    } else if clip {
        ""
    } else {
        "-"
    };
    let indicator = if needs_indicator {
        INDENT_STEP.to_string()
    } else {
        String::new()
    };
    format!("{indicator}{chomp}\n")
}

/// Prefixes every non-empty line with `indent` spaces (js-yaml's `indentString`).
fn indent_lines(s: &str, indent: usize) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for line in s.split_inclusive('\n') {
        if line != "\n" {
            push_indent(&mut out, indent);
        }
        out.push_str(line);
    }
    out
}

/// js-yaml's `foldString`: folds each line at `width`; a line break between two ordinary lines
/// becomes an empty line, since a single break reads back as a space in a folded block.
fn fold_string(s: &str, width: usize) -> String {
    let first_end = s.find('\n').unwrap_or(s.len());
    let mut result = fold_line(&s[..first_end], width);
    let mut prev_more_indented = s.starts_with('\n') || s.starts_with(' ');
    let mut rest = &s[first_end..];
    while !rest.is_empty() {
        let breaks = rest.len() - rest.trim_start_matches('\n').len();
        let after = &rest[breaks..];
        let line_end = after.find('\n').unwrap_or(after.len());
        let line = &after[..line_end];
        let more_indented = line.starts_with(' ');
        result.push_str(&rest[..breaks]);
        if !prev_more_indented && !more_indented && !line.is_empty() {
            result.push('\n');
        }
        result.push_str(&fold_line(line, width));
        prev_more_indented = more_indented;
        rest = &after[line_end..];
    }
    result
}

/// js-yaml's `foldLine`: breaks a line at single spaces (a space followed by a non-space) so
/// that each piece is at most `width` characters where possible.
fn fold_line(line: &str, width: usize) -> String {
    if line.is_empty() || line.starts_with(' ') {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let (mut start, mut curr) = (0usize, 0usize);
    let mut result = String::with_capacity(line.len() + 8);
    for next in 0..chars.len().saturating_sub(1) {
        if chars[next] != ' ' || chars[next + 1] == ' ' {
            continue;
        }
        if next - start > width {
            let end = if curr > start { curr } else { next };
            result.push('\n');
            result.push_str(&slice(start, end));
            start = end + 1;
        }
        curr = next;
    }
    result.push('\n');
    if chars.len() - start > width && curr > start {
        result.push_str(&slice(start, curr));
        result.push('\n');
        result.push_str(&slice(curr + 1, chars.len()));
    } else {
        result.push_str(&slice(start, chars.len()));
    }
    result.remove(0);
    result
}

/// js-yaml's `isPrintable`: what may appear outside double quotes.
fn is_printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A1}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Words that YAML 1.1 or 1.2 would read as null, booleans or special floats.
const SPECIAL_WORDS: [&str; 12] = [
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", ".nan",
];

/// js-yaml's plain-scalar test (`isPlainSafeFirst`/`isPlainSafe`/`isPlainSafeLast`, block
/// context) plus its ambiguous-type test.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let last = s.chars().last().unwrap_or(first);
    if first == ' ' || last == ' ' || last == ':' || "-?:,[]{}#&*!|=>'\"%@`".contains(first) {
        return false;
    }
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if !is_printable(c) {
            return false;
        }
        // `#` only directly after a non-space; `:` only directly before a non-space.
        if c == '#' && prev == Some(' ') {
            return false;
        }
        if prev == Some(':') && c == ' ' {
            return false;
        }
        prev = Some(c);
    }
    !is_ambiguous(s)
}

/// Whether a plain scalar would be read as something other than a string.
fn is_ambiguous(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if SPECIAL_WORDS.contains(&lower.as_str()) || s == "<<" {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let lower_unsigned = unsigned.to_ascii_lowercase();
    if lower_unsigned == ".inf" {
        return true;
    }
    is_number_like(unsigned) || is_timestamp_like(s)
}

/// Integers (decimal, `0x`, `0o`, `0b`, with `_`), floats (`1.5`, `.5`, `1e3`) and YAML 1.1
/// sexagesimal numbers (`1:30`).
fn is_number_like(s: &str) -> bool {
    let digits =
        |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c == '_' || c.is_digit(radix));
    if let Some(rest) = s.strip_prefix("0x") {
        return digits(rest, 16);
    }
    if let Some(rest) = s.strip_prefix("0o") {
        return digits(rest, 8);
    }
    if let Some(rest) = s.strip_prefix("0b") {
        return digits(rest, 2);
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) && s.contains(':') {
        return s
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '_' || c == '.');
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let int_ok =
        int.is_empty() || (int.starts_with(|c: char| c.is_ascii_digit()) && digits(int, 10));
    let frac_ok = frac.is_none_or(|f| f.is_empty() || digits(f, 10));
    let has_digit =
        !int.is_empty() || frac.is_some_and(|f| f.starts_with(|c: char| c.is_ascii_digit()));
    let exp_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    has_digit && int_ok && frac_ok && exp_ok
}

/// `YYYY-M...`: the start of a YAML 1.1 timestamp.
fn is_timestamp_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{B}' => out.push_str("\\v"),
            '\u{C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1B}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{A0}' => out.push_str("\\_"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if is_printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(v: Value) -> String {
        to_string(v.as_object().unwrap())
    }

    #[test]
    fn js_yaml_layout() {
        let text = render(json!({
            "a": "plain text",
            "list": ["x", {"k": 1, "l": [true]}, [1, 2]],
            "empty": {}, "none": [],
            "nested": {"ddl": "SELECT\nregion\nFROM t", "$ref": "#/components/x"},
            "200": "200",
        }));
        assert_eq!(
            text,
            "a: plain text\nlist:\n  - x\n  - k: 1\n    l:\n      - true\n  - - 1\n    - 2\nempty: {}\nnone: []\nnested:\n  ddl: |-\n    SELECT\n    region\n    FROM t\n  $ref: '#/components/x'\n'200': '200'\n"
        );
    }

    #[test]
    fn quoting_matches_the_corpus_style() {
        let text = render(json!({
            "p": "arn:aws(-[\\w]+)*:.+:.+:[0-9]{12}:.+",
            "q": "[0-9]{12}",
            "r": "The key: value",
            "s": "it's",
            "t": "true", "u": "", "v": " lead", "w": "a\tb", "x": "1.5", "y": "line\n", "z": "\u{1}",
            "uuid": "7c89cbd1-0f4e-40e3-861d-afb906952b77", "date": "2021-09-30", "hash": "a#b", "comment": "a #b",
            "predicate": "sqlDialect == \"sqlite3\"",
        }));
        assert_eq!(
            text,
            "p: arn:aws(-[\\w]+)*:.+:.+:[0-9]{12}:.+\nq: '[0-9]{12}'\nr: 'The key: value'\ns: it's\nt: 'true'\nu: ''\nv: ' lead'\nw: \"a\\tb\"\nx: '1.5'\n'y': |\n  line\nz: \"\\x01\"\nuuid: 7c89cbd1-0f4e-40e3-861d-afb906952b77\ndate: '2021-09-30'\nhash: a#b\ncomment: 'a #b'\npredicate: sqlDialect == \"sqlite3\"\n"
        );
    }

    #[test]
    fn round_trips_through_serde_yaml() {
        let v = json!({
            "strings": ["", " ", "a: b", "#x", "- x", "x #y", "null", "No", "~", "0x1F", "1e3", ".5", "+1",
                "multi\nline", "\nleading", "trailing\n", "  indented\nx", "blank\n  \nx", "tab\there",
                "quote'\"", "uni é ✓", "\u{85}", "\u{2028}", "\u{FEFF}x", "<<", "=", "key:", "a\r\nb",
                "emptyline\n\nafter", "two\n\n", "\n", "\n\n", " \n x", "\n  y", "trailing space \n  \nz", "@at", "`tick", "%pct", "!bang", "|pipe", ">gt", "{b}", "[s]", "*a", "&a", "?q", ",c"],
            "numbers": [0, -1, 1.5, 1e300, u64::MAX],
            "nested": [[["deep"]], [{}], [[]], {"k": {}}],
            "weird key: x": {"multi\nline key": 1, "": 2},
        });
        let text = render(v.clone());
        let back: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, v, "{text}");
    }

    #[test]
    fn long_lines_are_folded_and_read_back() {
        let words = |n: usize| {
            (0..n)
                .map(|i| format!("word{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let long = words(120);
        let cases = vec![
            long.clone(),
            format!("{long}\n{long}"),
            format!("{long}\n\n  indented\n{long}\n"),
            format!(" {long}"),
            format!("{long}\n\n"),
            "x".repeat(600),
            format!("{}  {}", "a".repeat(300), "b".repeat(300)),
        ];
        for s in cases {
            let v = json!({ "nested": { "description": s } });
            let text = render(v.clone());
            let back: Value = serde_yaml::from_str(&text).unwrap();
            assert_eq!(back, v, "{text}");
        }
        let text = render(json!({ "d": long }));
        assert!(text.starts_with("d: >-\n  word0 word1"), "{text}");
        assert!(text.lines().all(|l| l.len() <= 500));
    }
}
