//! Strings that satisfy a schema's `pattern`, length bounds and `format`.
//!
//! Generated read-only values (and the example states tests build) must pass the same checks
//! the emulator applies to callers, so a string is built from the pattern itself: a small
//! parser covers the ECMAScript constructs the registry schemas use (classes, escapes,
//! groups, alternation, quantifiers, anchors, lookarounds), candidates with growing repetition
//! counts and different alternatives are tried, and each is confirmed with the real ECMAScript
//! engine ([`crate::pattern`]) and the length bounds before it is used.

/// Length bounds and the optional pattern / format of a string property.
#[derive(Debug, Clone, Copy, Default)]
pub struct StringRules<'a> {
    /// `pattern` (ECMAScript, unanchored).
    pub pattern: Option<&'a str>,
    /// `format` (`date-time`, `uri`, `email`, `ipv4`, ...).
    pub format: Option<&'a str>,
    /// `minLength`.
    pub min: usize,
    /// `maxLength`.
    pub max: Option<usize>,
}

impl StringRules<'_> {
    /// Whether `s` satisfies the rules (a pattern that does not compile is not checked).
    pub fn accepts(&self, s: &str) -> bool {
        let n = s.chars().count();
        n >= self.min
            && self.max.is_none_or(|m| n <= m)
            && self
                .pattern
                .is_none_or(|p| crate::pattern::is_match(p, s) != Some(false))
    }
}

/// A string satisfying `rules`, preferring `preferred` when it already does. `None` when no
/// candidate was found (the caller then keeps its own value).
pub fn string(rules: &StringRules<'_>, preferred: &str) -> Option<String> {
    string_where(rules, preferred, &|_| true)
}

/// [`string`], keeping only candidates `also` accepts too (a second pattern the value must
/// match, such as an `anyOf` alternative's).
pub fn string_where(
    rules: &StringRules<'_>,
    preferred: &str,
    also: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let rules = &Both { rules, also };
    if rules.accepts(preferred) {
        return Some(preferred.to_owned());
    }
    if let Some(f) = rules.format.and_then(format_example) {
        if rules.accepts(f) {
            return Some(f.to_owned());
        }
    }
    let Some(pattern) = rules.pattern else {
        let fitted = fit(preferred, rules.min, rules.max);
        return (rules.also)(&fitted).then_some(fitted);
    };
    let ast = Parser::new(pattern).parse()?;
    let mut reps: Vec<usize> = vec![1, 0, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64];
    if rules.min > 0 {
        reps.push(rules.min);
        reps.push(rules.min.div_ceil(2));
    }
    for alt in 0..4 {
        for &rep in &reps {
            let mut out = String::new();
            gen(&ast, &Choice { rep, alt }, &mut out);
            if rules.accepts(&out) {
                return Some(out);
            }
            // Unanchored or open-ended patterns may take padding at the end.
            if out.chars().count() < rules.min {
                let padded = fit(&out, rules.min, rules.max);
                if rules.accepts(&padded) {
                    return Some(padded);
                }
            }
        }
    }
    None
}

/// Rules plus an extra condition, seen by the candidate search as one set of rules.
struct Both<'r, 'a> {
    rules: &'r StringRules<'a>,
    also: &'r dyn Fn(&str) -> bool,
}

impl Both<'_, '_> {
    fn accepts(&self, s: &str) -> bool {
        self.rules.accepts(s) && (self.also)(s)
    }
}

impl<'a> std::ops::Deref for Both<'_, 'a> {
    type Target = StringRules<'a>;
    fn deref(&self) -> &StringRules<'a> {
        self.rules
    }
}

/// `s` cut to `max` characters, or padded with `a` to `min`.
pub(crate) fn fit(s: &str, min: usize, max: Option<usize>) -> String {
    let mut t: String = match max {
        Some(m) => s.chars().take(m).collect(),
        None => s.to_owned(),
    };
    while t.chars().count() < min {
        t.push('a');
    }
    t
}

fn format_example(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2026-01-01T00:00:00Z",
        "date" => "2026-01-01",
        "time" => "00:00:00Z",
        "uri" | "uri-reference" | "url" => "https://example.com/resource",
        "email" => "user@example.com",
        "ipv4" => "10.0.0.1",
        "ipv6" => "2001:db8::1",
        "hostname" => "host.example.com",
        "uuid" => "3f1c1a2e-0c1d-4a7e-9b1a-5d8f2c3b4a5e",
        _ => return None,
    })
}

struct Choice {
    /// Repetitions for quantifiers (clamped to each quantifier's bounds).
    rep: usize,
    /// Which alternative of each alternation to take (modulo its length).
    alt: usize,
}

#[derive(Debug, Clone)]
enum ClassItem {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
    /// `\p{..}` (true) / `\P{..}` (false): letters, numbers, or anything printable.
    Prop(String, bool),
}

impl ClassItem {
    fn contains(&self, c: char) -> bool {
        match self {
            ClassItem::Range(a, b) => (*a..=*b).contains(&c),
            ClassItem::Digit(pos) => c.is_ascii_digit() == *pos,
            ClassItem::Word(pos) => (c.is_ascii_alphanumeric() || c == '_') == *pos,
            ClassItem::Space(pos) => c.is_whitespace() == *pos,
            ClassItem::Prop(name, pos) => {
                let n = name.trim_start_matches("General_Category=");
                let is = match n {
                    "L" | "Letter" | "Lu" | "Ll" | "Alphabetic" | "Alpha" => {
                        c.is_alphabetic()
                            && (n != "Lu" || c.is_uppercase())
                            && (n != "Ll" || c.is_lowercase())
                    }
                    "N" | "Nd" | "Number" => c.is_numeric(),
                    "Z" | "Zs" | "White_Space" => c.is_whitespace(),
                    "P" | "Punct" | "S" => c.is_ascii_punctuation(),
                    _ => c.is_alphanumeric(),
                };
                is == *pos
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Node {
    Lit(char),
    Class(Vec<ClassItem>, bool),
    Any,
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, usize, Option<usize>),
    /// Anchors, word boundaries, lookarounds, back-references: produce nothing.
    Empty,
}

/// Characters tried, in order, when a class must produce one.
const CANDIDATES: &str = "aA0bB1xX9-_.:/@ =+,zZ#%*~!?&()[]{}|^$'\"\\;<>\t";

fn gen(node: &Node, ch: &Choice, out: &mut String) {
    match node {
        Node::Lit(c) => out.push(*c),
        Node::Any => out.push('a'),
        Node::Class(items, negated) => {
            let hit = |c: char| items.iter().any(|i| i.contains(c)) != *negated;
            let mut pick = CANDIDATES.chars().find(|c| hit(*c));
            if pick.is_none() && !*negated {
                pick = items.iter().find_map(|i| match i {
                    ClassItem::Range(a, _) => Some(*a),
                    _ => None,
                });
            }
            if pick.is_none() {
                pick = (0x20u32..0x3000)
                    .filter_map(char::from_u32)
                    .find(|c| hit(*c));
            }
            if let Some(c) = pick {
                out.push(c);
            }
        }
        Node::Seq(items) => items.iter().for_each(|n| gen(n, ch, out)),
        Node::Alt(alts) => {
            if !alts.is_empty() {
                gen(&alts[ch.alt % alts.len()], ch, out);
            }
        }
        Node::Repeat(inner, min, max) => {
            let n = ch.rep.max(*min).min(max.unwrap_or(usize::MAX));
            for _ in 0..n {
                gen(inner, ch, out);
            }
        }
        Node::Empty => {}
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Whether the engine runs the pattern in Unicode mode ([`crate::pattern::compile`] falls
    /// back to the legacy mode, where `\p` is a plain `p`).
    unicode: bool,
}

impl Parser {
    fn new(p: &str) -> Self {
        Parser {
            chars: p.chars().collect(),
            pos: 0,
            unicode: crate::pattern::unicode_mode(p).unwrap_or(true),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse(mut self) -> Option<Node> {
        let n = self.alternation(0)?;
        (self.pos == self.chars.len()).then_some(n)
    }

    fn alternation(&mut self, depth: usize) -> Option<Node> {
        if depth > 32 {
            return None;
        }
        let mut alts = vec![self.sequence(depth)?];
        while self.eat('|') {
            alts.push(self.sequence(depth)?);
        }
        Some(if alts.len() == 1 {
            alts.pop()?
        } else {
            Node::Alt(alts)
        })
    }

    fn sequence(&mut self, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Some(Node::Seq(items))
    }

    fn quantifier(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => match self.braces() {
                Some(b) => b,
                None => return Some(atom),
            },
            _ => return Some(atom),
        };
        self.eat('?'); // lazy
        Some(Node::Repeat(Box::new(atom), min, max))
    }

    /// `{n}`, `{n,}`, `{n,m}`; anything else leaves the position and is a literal `{`.
    fn braces(&mut self) -> Option<(usize, Option<usize>)> {
        let start = self.pos;
        self.pos += 1;
        let num = |p: &mut Parser| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.chars[s..p.pos]
                .iter()
                .collect::<String>()
                .parse::<usize>()
                .ok()
        };
        let result = (|| {
            let min = num(self)?;
            let max = if self.eat(',') {
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(num(self)?)
                }
            } else {
                Some(min)
            };
            self.eat('}').then_some((min, max))
        })();
        if result.is_none() {
            self.pos = start;
        }
        result
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        Some(match c {
            '^' | '$' => Node::Empty,
            '.' => Node::Any,
            '(' => {
                let mut look = false;
                if self.eat('?') {
                    if self.eat(':') {
                    } else if self.eat('=') || self.eat('!') {
                        look = true;
                    } else if self.eat('<') {
                        if self.eat('=') || self.eat('!') {
                            look = true;
                        } else {
                            while self.peek().is_some_and(|c| c != '>') {
                                self.pos += 1;
                            }
                            self.eat('>');
                        }
                    } else {
                        return None;
                    }
                }
                let inner = self.alternation(depth + 1)?;
                if !self.eat(')') {
                    return None;
                }
                if look {
                    Node::Empty
                } else {
                    inner
                }
            }
            '[' => self.class()?,
            '\\' => self.escape(false)?,
            '{' => Node::Lit('{'),
            other => Node::Lit(other),
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            if c == ']' {
                // `[]` matches nothing in ECMAScript; `[^]` anything.
                self.pos += 1;
                return Some(if negated {
                    Node::Any
                } else {
                    Node::Class(items, false)
                });
            }
            first = false;
            self.pos += 1;
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Node::Lit(l) => l,
                    Node::Class(mut inner, false) => {
                        items.append(&mut inner);
                        continue;
                    }
                    _ => continue,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                self.pos += 1;
                let h = self.peek()?;
                self.pos += 1;
                let hi = if h == '\\' {
                    match self.escape(true)? {
                        Node::Lit(l) => l,
                        _ => {
                            items.push(ClassItem::Range(lo, lo));
                            items.push(ClassItem::Range('-', '-'));
                            continue;
                        }
                    }
                } else {
                    h
                };
                items.push(ClassItem::Range(lo, hi.max(lo)));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Some(Node::Class(items, negated))
    }

    /// After a backslash. Inside a class `\b` is a backspace.
    fn escape(&mut self, in_class: bool) -> Option<Node> {
        let c = self.peek()?;
        self.pos += 1;
        let class = |i: ClassItem| Some(Node::Class(vec![i], false));
        match c {
            'd' => class(ClassItem::Digit(true)),
            'D' => class(ClassItem::Digit(false)),
            'w' => class(ClassItem::Word(true)),
            'W' => class(ClassItem::Word(false)),
            's' => class(ClassItem::Space(true)),
            'S' => class(ClassItem::Space(false)),
            'p' | 'P' if !self.unicode => Some(Node::Lit(c)),
            'p' | 'P' => {
                let mut name = String::new();
                if self.eat('{') {
                    while let Some(ch) = self.peek() {
                        self.pos += 1;
                        if ch == '}' {
                            break;
                        }
                        name.push(ch);
                    }
                    class(ClassItem::Prop(name, c == 'p'))
                } else {
                    Some(Node::Lit(c))
                }
            }
            'b' if in_class => Some(Node::Lit('\u{8}')),
            'b' | 'B' => Some(Node::Empty),
            // A trailing `\Z` (Java/Python end of input) is `$`, as in [`crate::pattern`].
            'Z' if !in_class && self.peek().is_none() => Some(Node::Empty),
            'n' => Some(Node::Lit('\n')),
            't' => Some(Node::Lit('\t')),
            'r' => Some(Node::Lit('\r')),
            'f' => Some(Node::Lit('\u{c}')),
            'v' => Some(Node::Lit('\u{b}')),
            '0' => Some(Node::Lit('\0')),
            '1'..='9' if !in_class => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                Some(Node::Empty)
            }
            'x' => self.hex(2).map(Node::Lit),
            'u' => {
                if self.eat('{') {
                    let s = self.pos;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.pos += 1;
                    }
                    let h: String = self.chars[s..self.pos].iter().collect();
                    self.eat('}');
                    u32::from_str_radix(&h, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .map(Node::Lit)
                } else {
                    self.hex(4).map(Node::Lit)
                }
            }
            'c' => {
                let l = self.peek()?;
                self.pos += 1;
                char::from_u32(l as u32 % 32).map(Node::Lit)
            }
            other => Some(Node::Lit(other)),
        }
    }

    fn hex(&mut self, n: usize) -> Option<char> {
        let s: String = self.chars.get(self.pos..self.pos + n)?.iter().collect();
        self.pos += n;
        u32::from_str_radix(&s, 16).ok().and_then(char::from_u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
        let rules = StringRules {
            pattern: Some(pattern),
            format: None,
            min,
            max,
        };
        let s = string(&rules, "")?;
        assert!(rules.accepts(&s), "{pattern}: {s:?}");
        Some(s)
    }

    #[test]
    fn strings_match_registry_patterns() {
        for (p, min, max) in [
            (
                "^arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/[a-zA-Z0-9+=,.@_-]+$",
                1,
                Some(2048),
            ),
            ("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", 1, Some(63)),
            ("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", 1, Some(128)),
            ("^[0-9]{12}$", 12, Some(12)),
            (
                "^(([0-9]{1,3}\\.){3}[0-9]{1,3})/([0-9]|[1-2][0-9]|3[0-2])$",
                0,
                None,
            ),
            ("[\\w+=,.@-]+", 1, Some(64)),
            ("^[^\\s]+@[^\\s]+\\.[a-z]{2,}$", 5, None),
            ("^(FOO|BAR|BAZ)$", 0, None),
            ("^\\$[a-z]+$", 0, None),
            ("^[\\u0020-\\u00FF]{3,5}$", 4, Some(5)),
            (
                "^arn:aws(-[\\w]+)*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
                0,
                None,
            ),
            ("^[a-z][a-z0-9-]+$", 40, Some(40)),
            // AWS::MSK::VpcConnection's VpcId.
            ("^(vpc-)([a-z0-9]+)\\Z", 0, None),
        ] {
            assert!(make(p, min, max).is_some(), "{p}");
        }
    }

    #[test]
    fn preferred_value_and_formats() {
        let r = StringRules {
            pattern: Some("^vpc-[0-9a-f]+$"),
            ..StringRules::default()
        };
        assert_eq!(string(&r, "vpc-0abc").as_deref(), Some("vpc-0abc"));
        assert_eq!(string(&r, "nope").as_deref(), Some("vpc-a"));
        let f = StringRules {
            format: Some("date-time"),
            pattern: Some("^\\d{4}-"),
            ..StringRules::default()
        };
        assert_eq!(string(&f, "x").as_deref(), Some("2026-01-01T00:00:00Z"));
        // Lengths without a pattern.
        let l = StringRules {
            min: 3,
            max: Some(4),
            ..StringRules::default()
        };
        assert_eq!(string(&l, "abcdef").as_deref(), Some("abcd"));
        assert_eq!(string(&l, "a").as_deref(), Some("aaa"));
    }
}
