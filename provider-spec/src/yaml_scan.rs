//! A linear pre-scan of a spec's YAML text, run before it is parsed: a key written twice in one
//! mapping, block (`a:` lines) or flow (`{a: 1, a: 2}`, also nested in block mappings and spread
//! over several lines), is an error naming both lines and the path of the mapping (serde keeps
//! the last silently), and nesting
//! deeper than [`MAX_DEPTH`] is refused before the parser's cost explodes (the YAML loader is
//! quadratic in depth: 40,000 levels took 77 s).
//!
//! The scan follows block structure by indentation, as every spec is written: a `key:` line
//! opens a mapping level, `- ` opens a sequence item (a fresh mapping), lines deeper than a key
//! that has a value on its line (a multi-line scalar, a block scalar `|`/`>`) are that value's
//! text. Flow collections (`[...]`, `{...}`) are followed token by token: their mappings' keys
//! are checked like block keys, and their brackets count towards depth. Quoted keys are
//! compared by their text (`'a'`, `"a"` and `a` are one key).

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
    let mut flow: Option<Flow> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let body = raw.trim_start_matches(' ');
        let mut column = raw.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if let Some(open) = flow.as_mut() {
            open.feed(body, line)?;
            if open.frames.is_empty() {
                flow = None;
            }
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
                    flow = Flow::start(&levels, value, line)?;
                } else {
                    // A scalar: deeper lines continue it (plain, quoted or `|`/`>` block).
                    scalar_above = Some(column);
                }
            }
            None => {
                if rest.starts_with('[') || rest.starts_with('{') {
                    flow = Flow::start(&levels, rest, line)?;
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
pub(crate) fn split_key(text: &str) -> Option<(String, &str)> {
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
            (unquote(text.get(..end)?), text.get(end..)?)
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

/// The text of a quoted key (`'it''s'` is `it's`, `"a\"b"` is `a"b`); anything else as is.
fn unquote(key: &str) -> String {
    let inner = |q: char| key.strip_prefix(q).and_then(|k| k.strip_suffix(q));
    if let Some(inner) = inner('\'') {
        inner.replace("''", "'")
    } else if let Some(inner) = inner('"') {
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        out
    } else {
        key.to_owned()
    }
}

/// The path of the value the open block levels end at (`paths./x.get`; `[]` for a list item).
fn value_path(levels: &[Level]) -> String {
    let parts: Vec<&str> = levels
        .iter()
        .map(|l| l.last.as_deref().unwrap_or("[]"))
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join(".")
    }
}

/// One open flow collection.
enum Frame {
    /// `[...]`: the index of the current item.
    Seq(usize),
    /// `{...}`: the keys seen with their lines, and the key whose value is being read.
    Map {
        keys: std::collections::HashMap<String, usize>,
        key: Option<String>,
    },
}

/// A flow collection being followed, possibly over several lines.
struct Flow {
    /// Path of the value the collection is (the block key holding it).
    base: String,
    /// Block levels around it (they count towards depth).
    block: usize,
    frames: Vec<Frame>,
    /// Inside a quoted scalar: its quote.
    quote: Option<char>,
    /// The scalar read so far, and whether there is one (an empty quoted key is one).
    token: String,
    has_token: bool,
    /// Line where the scalar started.
    token_line: usize,
    /// The last thing read was a closing quote (`"a":1` needs no space after `:`).
    after_quote: bool,
}

impl Flow {
    /// Starts following the flow collection that `text` opens; `None` when it closes on the
    /// same line.
    fn start(levels: &[Level], text: &str, line: usize) -> Result<Option<Flow>, ScanError> {
        let mut flow = Flow {
            base: value_path(levels),
            block: levels.len(),
            frames: Vec::new(),
            quote: None,
            token: String::new(),
            has_token: false,
            token_line: line,
            after_quote: false,
        };
        flow.feed(text, line)?;
        Ok((!flow.frames.is_empty()).then_some(flow))
    }

    /// The path of the innermost open collection.
    fn path(&self) -> String {
        let mut path = self.base.clone();
        for frame in self.frames.iter().take(self.frames.len().saturating_sub(1)) {
            match frame {
                Frame::Seq(index) => path.push_str(&format!("[{index}]")),
                Frame::Map { key, .. } => {
                    path.push('.');
                    path.push_str(key.as_deref().unwrap_or("?"));
                }
            }
        }
        path
    }

    /// Records the pending scalar as a key of the innermost mapping, if it is one.
    fn key(&mut self) -> Result<(), ScanError> {
        let at = self.path();
        let key = std::mem::take(&mut self.token).trim().to_owned();
        let line = self.token_line;
        self.has_token = false;
        if let Some(Frame::Map { keys, key: current }) = self.frames.last_mut() {
            if let Some(&first) = keys.get(&key) {
                return Err(ScanError::DuplicateKey {
                    key,
                    at,
                    first,
                    second: line,
                });
            }
            keys.insert(key.clone(), line);
            *current = Some(key);
        }
        Ok(())
    }

    /// Ends the current entry (at `,` or a closing bracket): a mapping entry without `:` is a
    /// key too (`{a, b}`).
    fn end_entry(&mut self) -> Result<(), ScanError> {
        if let Some(Frame::Map { key, .. }) = self.frames.last() {
            if key.is_none() && self.has_token {
                self.key()?;
            }
        }
        self.token.clear();
        self.has_token = false;
        self.after_quote = false;
        Ok(())
    }

    /// Follows one line of the collection.
    fn feed(&mut self, text: &str, line: usize) -> Result<(), ScanError> {
        let mut chars = text.chars().peekable();
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            if let Some(q) = self.quote {
                if c == q && q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    self.token.push('\'');
                } else if c == q {
                    self.quote = None;
                    self.after_quote = true;
                } else if c == '\\' && q == '"' {
                    self.token.extend(chars.next());
                } else {
                    self.token.push(c);
                }
                previous = c;
                continue;
            }
            let after_quote = self.after_quote;
            if !c.is_whitespace() {
                self.after_quote = false;
            }
            match c {
                '"' | '\'' if !self.has_token => {
                    self.quote = Some(c);
                    self.has_token = true;
                    self.token_line = line;
                }
                '#' if previous.is_whitespace() => break,
                '[' | '{' if !self.has_token => {
                    self.frames.push(if c == '[' {
                        Frame::Seq(0)
                    } else {
                        Frame::Map {
                            keys: std::collections::HashMap::new(),
                            key: None,
                        }
                    });
                    if self.block + self.frames.len() > MAX_DEPTH {
                        return Err(ScanError::TooDeep { line });
                    }
                }
                ']' | '}' => {
                    self.end_entry()?;
                    self.frames.pop();
                    if self.frames.is_empty() {
                        return Ok(());
                    }
                    // The collection just closed is a value (or key) of its parent.
                    self.has_token = false;
                }
                ',' => {
                    self.end_entry()?;
                    match self.frames.last_mut() {
                        Some(Frame::Seq(index)) => *index += 1,
                        Some(Frame::Map { key, .. }) => *key = None,
                        None => {}
                    }
                }
                ':' if after_quote
                    || matches!(
                        chars.peek(),
                        None | Some(' ' | '\t' | ',' | '[' | ']' | '{' | '}')
                    ) =>
                {
                    let awaiting_key =
                        matches!(self.frames.last(), Some(Frame::Map { key: None, .. }));
                    if awaiting_key {
                        self.key()?;
                    } else {
                        self.token.clear();
                        self.has_token = false;
                    }
                }
                c if c.is_whitespace() => {
                    if self.has_token {
                        self.token.push(' ');
                    }
                }
                c => {
                    if !self.has_token {
                        self.has_token = true;
                        self.token_line = line;
                    }
                    self.token.push(c);
                }
            }
            previous = c;
        }
        // A plain scalar goes on on the next line, folded.
        if self.has_token && self.quote.is_none() {
            self.token.push(' ');
        }
        Ok(())
    }
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

    fn dup(key: &str, at: &str, first: usize, second: usize) -> Result<(), ScanError> {
        Err(ScanError::DuplicateKey {
            key: key.into(),
            at: at.into(),
            first,
            second,
        })
    }

    #[test]
    fn flow_mapping_duplicates_name_both_lines_and_the_path() {
        assert_eq!(scan("{a: 1, a: 2}\n"), dup("a", ".", 1, 1));
        assert_eq!(scan("x:\n  y: {a: 1, b: 2, a: 3}\n"), dup("a", "x.y", 2, 2));
        // Quoted spellings are one key; JSON style needs no space after `:`.
        assert_eq!(scan("y: {\"a\":1, 'a': 2}\n"), dup("a", "y", 1, 1));
        assert_eq!(
            scan("y: {'it''s': 1, \"it's\": 2}\n"),
            dup("it's", "y", 1, 1)
        );
        // Nested in flow collections, over several lines, in a block list item.
        assert_eq!(
            scan("p:\n  - q: [1, {r: {s: 1,\n      t: 2,\n      s: 3}}]\n"),
            dup("s", "p.[].q[1].r", 2, 4)
        );
        assert_eq!(scan("l:\n  - {a: 1, a: 2}\n"), dup("a", "l.[]", 2, 2));
        // A key without a value counts too.
        assert_eq!(scan("m: {a, b, a}\n"), dup("a", "m", 1, 1));
    }

    #[test]
    fn flow_mappings_that_only_look_duplicated_pass() {
        let text = "a: [{k: 1}, {k: 2}]\nb: {k: {k: 1}, j: [k, k]}\nc: {u: 'http://x', v: http://y, w: \"a, b: c\", x: 'a}'}\nd: {k: 1} # {k: 2}\ne: {k: 1,\n  # k: 2\n  j: 2}\nf: [a:b, a:b]\n";
        assert_eq!(scan(text), Ok(()));
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
