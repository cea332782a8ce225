//! `pattern` and `patternProperties` regular expressions.
//!
//! Registry schemas use ECMAScript regular expressions (JSON Schema's dialect), so they are
//! compiled with `regress`, an ECMAScript engine: first in Unicode mode (`u`, which `\p{L}`
//! needs), then, if that fails, without it (where `\-` or `\_` identity escapes are allowed).
//! A pattern that compiles in neither mode is not checked: it is counted and reported by
//! [`scan`] instead of rejecting values the real service may accept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Map, Value};

/// A compiled pattern, or why it does not compile.
pub type Compiled = Result<Arc<regress::Regex>, String>;

fn cache() -> &'static Mutex<HashMap<String, Compiled>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Compiled>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The compiled patterns that only compile in the legacy (non-Unicode) mode.
fn legacy_mode() -> &'static Mutex<std::collections::HashSet<String>> {
    static LEGACY: OnceLock<Mutex<std::collections::HashSet<String>>> = OnceLock::new();
    LEGACY.get_or_init(|| Mutex::new(std::collections::HashSet::new()))
}

/// Compiles a pattern (cached process-wide: the set of patterns is bounded by the specs).
pub fn compile(original: &str) -> Compiled {
    let pattern = original;
    let mut map = match cache().lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    if let Some(c) = map.get(original) {
        return c.clone();
    }
    let unicode = regress::Flags {
        unicode: true,
        ..regress::Flags::default()
    };
    // A trailing `\Z` (end of input in the Java and Python regexes the schemas were written
    // for, e.g. AWS::Logs::LogGroup's LogGroupName) is `$` in ECMAScript.
    let source = match pattern.strip_suffix("\\Z") {
        Some(head) if !head.ends_with('\\') => format!("{head}$"),
        _ => pattern.to_owned(),
    };
    // Java's POSIX classes (`\\p{Print}`, e.g. AWS::ApplicationAutoScaling::ScalingPolicy's
    // PolicyName) are not ECMAScript: without the u flag `\\p{Print}` would be the literal
    // text `p{Print}`, which no real name matches. They become the ASCII ranges Java gives them.
    let source = java_posix_classes(&source).unwrap_or(source);
    let pattern = source.as_str();
    let compiled = regress::Regex::with_flags(pattern, unicode)
        .or_else(|first| {
            let legacy = regress::Regex::with_flags(pattern, regress::Flags::default())
                .map_err(|second| format!("{first}; without the u flag: {second}"))?;
            let mut modes = match legacy_mode().lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            modes.insert(original.to_owned());
            Ok(legacy)
        })
        .map(Arc::new);
    map.insert(original.to_owned(), compiled.clone());
    compiled
}

/// Whether the pattern is compiled in Unicode mode (`Some(false)`: the legacy mode, where
/// `\p{..}` is no property class); `None` when it does not compile.
pub fn unicode_mode(pattern: &str) -> Option<bool> {
    compile(pattern).ok()?;
    let modes = match legacy_mode().lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    Some(!modes.contains(pattern))
}

/// The ranges of Java's POSIX character classes (`java.util.regex.Pattern`, US-ASCII only).
const JAVA_POSIX: &[(&str, &str)] = &[
    ("Lower", "a-z"),
    ("Upper", "A-Z"),
    ("ASCII", "\\x00-\\x7F"),
    ("Alpha", "a-zA-Z"),
    ("Digit", "0-9"),
    ("Alnum", "a-zA-Z0-9"),
    ("Punct", "!-\\/:-@\\[-`{-~"),
    ("Graph", "!-~"),
    ("Print", " -~"),
    ("Blank", " \\t"),
    ("Cntrl", "\\x00-\\x1F\\x7F"),
    ("XDigit", "0-9a-fA-F"),
    ("Space", " \\t\\n\\x0B\\f\\r"),
];

/// `pattern` with Java's POSIX classes (`\\p{Print}`) written as ECMAScript ranges: `[ -~]`
/// outside a character class, ` -~` inside one. `None` when it has none.
fn java_posix_classes(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut in_class = false;
    let mut changed = false;
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let replaced = rest.strip_prefix("\\p{").and_then(|tail| {
                let (name, after) = tail.split_once('}')?;
                let (_, ranges) = JAVA_POSIX.iter().find(|(n, _)| *n == name)?;
                Some((*ranges, after))
            });
            if let Some((ranges, after)) = replaced {
                if in_class {
                    out.push_str(ranges);
                } else {
                    out.push('[');
                    out.push_str(ranges);
                    out.push(']');
                }
                changed = true;
                rest = after;
                continue;
            }
            // Any other escape is copied whole, so `\\[` never opens a class.
            let mut chars = rest.chars();
            chars.next();
            out.push('\\');
            if let Some(next) = chars.next() {
                out.push(next);
            }
            rest = chars.as_str();
            continue;
        }
        match c {
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    changed.then_some(out)
}

/// Whether `text` matches `pattern` anywhere (JSON Schema patterns are not anchored).
/// `None` when the pattern does not compile.
pub fn is_match(pattern: &str, text: &str) -> Option<bool> {
    compile(pattern).ok().map(|re| re.find(text).is_some())
}

/// A pattern found in a schema that the ECMAScript engine rejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPattern {
    /// Where it is, e.g. `components.schemas.Bucket.properties.Name.pattern`.
    pub path: String,
    /// The pattern.
    pub pattern: String,
    /// The compiler's message.
    pub error: String,
}

/// Counts of the patterns in a set of schemas.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatternReport {
    /// `pattern` keywords and `patternProperties` keys found.
    pub total: usize,
    /// Those that do not compile (and are therefore not checked).
    pub bad: Vec<BadPattern>,
}

/// Finds every `pattern` keyword and `patternProperties` key under `components.schemas` and
/// compiles each. `prefix` starts the reported paths.
pub fn scan(schemas: &Map<String, Value>, prefix: &str) -> PatternReport {
    let mut report = PatternReport::default();
    for (name, s) in schemas {
        walk(s, &format!("{prefix}.{name}"), &mut report, 0);
    }
    report
}

fn check(pattern: &str, path: String, report: &mut PatternReport) {
    report.total += 1;
    if let Err(error) = compile(pattern) {
        report.bad.push(BadPattern {
            path,
            pattern: pattern.to_owned(),
            error,
        });
    }
}

fn walk(schema: &Value, path: &str, report: &mut PatternReport, depth: usize) {
    if depth > 64 {
        return;
    }
    match schema {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), report, depth + 1);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let at = format!("{path}.{k}");
                match (k.as_str(), v) {
                    ("pattern", Value::String(p)) => check(p, at, report),
                    ("patternProperties" | "x-patternProperties", Value::Object(pp)) => {
                        for (p, sub) in pp {
                            check(p, format!("{at}.{p}"), report);
                            walk(sub, &format!("{at}.{p}"), report, depth + 1);
                        }
                    }
                    // Property names are not keywords: a property called `pattern` is a schema.
                    ("properties", Value::Object(props)) => {
                        for (name, sub) in props {
                            walk(sub, &format!("{at}.{name}"), report, depth + 1);
                        }
                    }
                    ("enum" | "examples" | "default" | "const" | "example", _) => {}
                    (_, Value::Object(_) | Value::Array(_)) => walk(v, &at, report, depth + 1),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ecmascript_semantics() {
        // Unanchored search, as JSON Schema specifies.
        assert_eq!(is_match("[0-9]+", "abc123"), Some(true));
        assert_eq!(is_match("^[0-9]+$", "abc123"), Some(false));
        // Unicode property escapes need the u flag.
        assert_eq!(is_match(r"^[\p{L}\p{Z}]+$", "héllo wörld"), Some(true));
        assert_eq!(is_match(r"^[\p{L}]+$", "a1"), Some(false));
        // Identity escapes that only the non-Unicode mode allows.
        assert_eq!(is_match(r"^[a-z\_]+$", "a_b"), Some(true));
        // Lookahead is ECMAScript (the Rust `regex` crate has none).
        assert_eq!(is_match(r"^(?!aws:).*$", "aws:x"), Some(false));
        assert_eq!(is_match(r"^(?!aws:).*$", "mine"), Some(true));
        // Not a regex in either mode.
        assert_eq!(is_match("(unclosed", "x"), None);
    }

    #[test]
    fn java_posix_classes_are_their_ascii_ranges() {
        // AWS::ApplicationAutoScaling::ScalingPolicy's PolicyName.
        assert_eq!(is_match(r"^\p{Print}+$", "my-policy 1"), Some(true));
        assert_eq!(is_match(r"^\p{Print}+$", "tab\there"), Some(false));
        assert_eq!(is_match(r"^[\p{Alnum}_]+$", "a_1"), Some(true));
        assert_eq!(is_match(r"^[\p{Alnum}_]+$", "a-1"), Some(false));
        // Escaped brackets do not open a class; unknown names and Unicode ones are left alone.
        assert_eq!(
            java_posix_classes(r"\[\p{Digit}\]").as_deref(),
            Some(r"\[[0-9]\]")
        );
        assert_eq!(java_posix_classes(r"[\p{L}]"), None);
        assert_eq!(is_match(r"^\p{Lu}$", "A"), Some(true));
    }

    #[test]
    fn trailing_backslash_z_is_end_of_input() {
        // Java/Python `\Z` (as in AWS::Logs::LogGroup's LogGroupName) ends the input.
        assert_eq!(
            is_match(r"^[.\-_/#A-Za-z0-9]{1,512}\Z", "/aws/lambda/f"),
            Some(true)
        );
        assert_eq!(is_match(r"^[a-z]+\Z", "abc"), Some(true));
        assert_eq!(is_match(r"^[a-z]+\Z", "abc1"), Some(false));
        // An escaped backslash before `Z` is a literal backslash and a literal `Z`.
        assert_eq!(is_match(r"^a\\Z", r"a\Z"), Some(true));
    }

    #[test]
    fn scan_counts_and_reports_bad_patterns() {
        let schemas = json!({
            "A": {"properties": {
                "pattern": {"type": "string", "pattern": "^a$"},
                "B": {"type": "string", "pattern": "(bad"},
                "C": {"type": "object", "x-patternProperties": {"^[a-z]+$": {"type": "string"}}},
                "D": {"enum": [{"pattern": "(ignored"}]}
            }}
        });
        let r = scan(
            schemas.as_object().unwrap_or(&Map::new()),
            "components.schemas",
        );
        assert_eq!(r.total, 3);
        assert_eq!(r.bad.len(), 1);
        assert_eq!(r.bad[0].path, "components.schemas.A.properties.B.pattern");
        assert_eq!(r.bad[0].pattern, "(bad");
    }
}
