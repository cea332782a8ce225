//! A linear pre-scan of a spec's YAML text, run before it is parsed: a key written twice in one
//! block mapping is an error naming both lines (serde keeps the last silently), and nesting
//! deeper than [`MAX_DEPTH`] is refused before the parser's cost explodes (the YAML loader is
//! quadratic in depth: 40,000 levels took 77 s).
//!
//! The scan follows block structure by indentation, as every spec is written: a `key:` line
//! opens a mapping level, `- ` opens a sequence item (a fresh mapping), lines deeper than a key
//! that has a value on its line (a multi-line scalar, a block scalar `|`/`>`) are that value's
//! text. Flow collections (`[...]`, `{...}`) count towards depth, bracket by bracket.

/// Deepest nesting accepted, counting block levels, `- ` items and flow brackets (the
/// deepest real spec nests about 30 levels).
pub const MAX_DEPTH: usize = 128;

/// What the scan found wrong, with 1-based line numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// `key` appears twice in one mapping.
    DuplicateKey {
        /// The key.
        key: String,
        /// The path of the mapping holding it.
        at: String,
        /// Line of the first occurrence.
        first: usize,
        /// Line of the second.
        second: usize,
    },
    /// Nesting deeper than [`MAX_DEPTH`] at `line`.
    TooDeep {
        /// The line where the limit was passed.
        line: usize,
    },
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::DuplicateKey {
                key,
                at,
                first,
                second,
            } => write!(
                f,
                "duplicate key `{}` in `{at}` at line {second}: already at line {first} of the same mapping",
                key.escape_debug()
            ),
            ScanError::TooDeep { line } => write!(
                f,
                "nesting deeper than {MAX_DEPTH} levels at line {line}; refused before parsing"
            ),
        }
    }
}

/// One open block mapping (or sequence item): its key column, the keys seen with their
/// lines, and the last key (whose value may open the next level).
struct Level {
    column: usize,
    keys: std::collections::HashMap<String, usize>,
    last: Option<String>,
}

impl Level {
    fn new(column: usize) -> Level {
        Level {
            column,
            keys: std::collections::HashMap::new(),
            last: None,
        }
    }
}

/// The dotted path of the open levels (`components.schemas.Widget`), `[]` for a list item.
fn path(levels: &[Level]) -> String {
    let parts: Vec<&str> = levels
        .iter()
        .take(levels.len().saturating_sub(1))
        .map(|l| l.last.as_deref().unwrap_or("[]"))
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join(".")
    }
}

/// Scans `text`; see the module docs.
pub fn scan(text: &str) -> Result<(), ScanError> {
    let mut levels: Vec<Level> = Vec::new();
    // Lines deeper than this column belong to a scalar value.
    let mut scalar_above: Option<usize> = None;
    let mut flow_depth: usize = 0;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let body = raw.trim_start_matches(' ');
        let mut column = raw.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if flow_depth > 0 {
            flow_depth = flow(body, flow_depth, levels.len(), line)?;
            continue;
        }
        if let Some(limit) = scalar_above {
            if column > limit {
                continue;
            }
            scalar_above = None;
        }
        let mut rest = body;
        // `- ` items, possibly several on one line (`- - x`): each opens a fresh mapping.
        while rest == "-" || rest.starts_with("- ") {
            let inner = rest[1..].trim_start_matches(' ');
            let next = column + (rest.len() - inner.len());
            while levels.last().is_some_and(|l| l.column >= column) {
                levels.pop();
            }
            levels.push(Level::new(column));
            if levels.len() > MAX_DEPTH {
                return Err(ScanError::TooDeep { line });
            }
            rest = inner;
            column = next;
            if rest.is_empty() {
                break;
            }
        }
        if rest.is_empty() {
            continue;
        }
        while levels.last().is_some_and(|l| l.column > column) {
            levels.pop();
        }
        match split_key(rest) {
            Some((key, value)) => {
                let open = levels.last().is_some_and(|l| l.column == column);
                if !open {
                    levels.push(Level::new(column));
                    if levels.len() > MAX_DEPTH {
                        return Err(ScanError::TooDeep { line });
                    }
                }
                if let Some(&first) = levels.last().and_then(|l| l.keys.get(&key)) {
                    return Err(ScanError::DuplicateKey {
                        at: path(&levels),
                        key,
                        first,
                        second: line,
                    });
                }
                if let Some(level) = levels.last_mut() {
                    level.keys.insert(key.clone(), line);
                    level.last = Some(key);
                }
                let value = value.trim();
                if value.is_empty() || value.starts_with('#') {
                    // A nested block follows (or nothing).
                } else if value.starts_with('[') || value.starts_with('{') {
                    flow_depth = flow(value, 0, levels.len(), line)?;
                } else {
                    // A scalar: deeper lines continue it (plain, quoted or `|`/`>` block).
                    scalar_above = Some(column);
                }
            }
            None => {
                if rest.starts_with('[') || rest.starts_with('{') {
                    flow_depth = flow(rest, 0, levels.len(), line)?;
                } else {
                    scalar_above = Some(column.saturating_sub(1));
                }
            }
        }
    }
    Ok(())
}

/// Splits `key: value` (plain, `'quoted'` or `"quoted"` key); `None` for a line that is not a
/// mapping entry.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = match text.as_bytes().first()? {
        b'\'' | b'"' => {
            let quote = text.as_bytes()[0];
            let mut i = 1;
            let bytes = text.as_bytes();
            while i < bytes.len() {
                if bytes[i] == b'\\' && quote == b'"' {
                    i += 2;
                    continue;
                }
                if bytes[i] == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            let end = (i + 1).min(text.len());
            (text.get(..end)?.to_owned(), text.get(end..)?)
        }
        b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' => return None,
        _ => {
            let colon = text
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| matches!(text.as_bytes().get(i + 1), None | Some(b' ')))?;
            (text[..colon].trim_end().to_owned(), &text[colon..])
        }
    };
    let value = after.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((key, value))
}

/// Follows flow brackets on one line from `depth`; returns the depth at its end.
fn flow(text: &str, mut depth: usize, block: usize, line: usize) -> Result<usize, ScanError> {
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if block + depth > MAX_DEPTH {
                    return Err(ScanError::TooDeep { line });
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '#') => break,
            _ => {}
        }
    }
    Ok(depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_shapes_pass() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - y: 1\n      z: 2\n    - y: 3\n  d: |\n    d: 1\n    d: 2\n  e: plain\n    e: continued\n  f: [1, {g: 2}]\n'h': 1\n\"i j\": 2\n";
        assert_eq!(scan(text), Ok(()));
    }

    #[test]
    fn duplicates_name_both_lines() {
        assert_eq!(
            scan("a:\n  b: 1\n  c: 2\n  b: 3\n"),
            Err(ScanError::DuplicateKey {
                key: "b".into(),
                at: "a".into(),
                first: 2,
                second: 4
            })
        );
        assert_eq!(
            scan("- a: 1\n  a: 2\n"),
            Err(ScanError::DuplicateKey {
                key: "a".into(),
                at: "[]".into(),
                first: 1,
                second: 2
            })
        );
        assert_eq!(scan("- a: 1\n- a: 2\n"), Ok(()));
    }

    #[test]
    fn deep_nesting_fails_fast() {
        let deep = format!("a: {}{}\n", "[".repeat(40_000), "]".repeat(40_000));
        assert_eq!(scan(&deep), Err(ScanError::TooDeep { line: 1 }));
        let dashes = format!("{}x\n", "- ".repeat(40_000));
        assert_eq!(scan(&dashes), Err(ScanError::TooDeep { line: 1 }));
        let ok = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(scan(&ok), Ok(()));
    }
}
