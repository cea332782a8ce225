//! Turns CloudFormation descriptions (plain text with stray Markdown, HTML and URLs) into
//! rustdoc text that renders as written and trips no rustdoc lint: no broken intra-doc links
//! (`[...]`), no HTML tags (`<p>`), no bare URLs, no code blocks (fenced or indented — they
//! would also become doctests), no headings.
//!
//! It is also the one escaping path of spec text into generated Rust: descriptions go through
//! [`lines`], names quoted in our own sentences (titles, type and property names) through
//! [`code`], and every doc line, whatever its origin, through [`doc_line`] when it becomes an
//! attribute (`placeholders::doc_values`), so no spec text can start a line of code (a
//! newline followed by `#![cfg(any())]`). String literals are escaped by the token printer;
//! identifiers are made of ASCII letters, digits and `_` by `crate::naming`.

/// ASCII punctuation that Markdown could read as syntax, escaped with a backslash. `.`, `-`,
/// `+`, `!`, `(`, `)`, `#` and `|` only matter at special positions and are left alone (`#`
/// is handled at line start).
const ESCAPED: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '~', '{', '}'];

/// Rustdoc lines for a description: trimmed, escaped, one entry per line (without the leading
/// space, which the emitter adds). Blank lines separate paragraphs; runs of them collapse.
pub fn lines(text: &str) -> Vec<String> {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    for raw in normalized.split('\n') {
        // Leading indentation would make an indented code block.
        let line = raw.trim();
        if line.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        out.push(escape_line(line));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// A doc line made safe to print after `///` or `//!`: line breaks and other control
/// characters (a newline would end the comment and start a line of code; DEL marks a
/// placeholder) become spaces.
pub fn doc_line(line: &str) -> std::borrow::Cow<'_, str> {
    if line.chars().any(char::is_control) {
        std::borrow::Cow::Owned(
            line.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(line)
    }
}

/// Spec text (a title, a type or property name) quoted in a doc sentence: `` `text` ``, on one
/// line; text holding a backtick, which would end the code span, is escaped as plain text.
pub fn code(text: &str) -> String {
    let flat = doc_line(text);
    if flat.contains('`') || flat.trim().is_empty() {
        escape_line(flat.trim())
    } else {
        format!("`{flat}`")
    }
}

/// Escapes one trimmed, non-empty line.
pub fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut at_start = true;
    while !rest.is_empty() {
        if let Some((url, after)) = split_url(rest) {
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = after;
            at_start = false;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        let width = c.len_utf8();
        if c.is_control() {
            out.push(' ');
        } else if ESCAPED.contains(&c) || (at_start && matches!(c, '#' | '=' | '+' | '-' | '|')) {
            out.push('\\');
            out.push(c);
        } else if c == '&' {
            // `&lt;` would render as `<`; keep entities literal.
            out.push_str("&amp;");
        } else {
            out.push(c);
        }
        at_start = false;
        rest = &rest[width..];
        // A URL may start right after a word boundary only.
        if !(c.is_alphanumeric()) {
            continue;
        }
        // Copy the rest of a word in one go so `xhttps://` is not split.
        let word_end = rest
            .find(|ch: char| !ch.is_alphanumeric())
            .unwrap_or(rest.len());
        out.push_str(&rest[..word_end]);
        rest = &rest[word_end..];
    }
    out
}

/// A URL at the start of `text` (`http://` or `https://` up to whitespace or a character
/// that cannot be in an autolink, without trailing punctuation), and the text after it.
fn split_url(text: &str) -> Option<(&str, &str)> {
    let scheme = if text.starts_with("https://") {
        8
    } else if text.starts_with("http://") {
        7
    } else {
        return None;
    };
    let end = text
        .find(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '"' | '`' | '[' | ']' | '{' | '}' | '|' | '\\' | '^'
                )
        })
        .unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '_', '~']);
        // A closing parenthesis belongs to the URL only when it has an opening one.
        let trimmed = if trimmed.ends_with(')')
            && trimmed.matches('(').count() < trimmed.matches(')').count()
        {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    if url.len() <= scheme {
        return None;
    }
    Some((url, &text[url.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markdown_and_html() {
        assert_eq!(
            escape_line("see [Tags](x) and <p>bold</p>"),
            r"see \[Tags\](x) and \<p\>bold\</p\>"
        );
        assert_eq!(
            escape_line("a `b` *c* _d_ ~e~ {f}"),
            r"a \`b\` \*c\* \_d\_ \~e\~ \{f\}"
        );
        assert_eq!(escape_line("# not a heading"), r"\# not a heading");
        assert_eq!(escape_line("- item"), r"\- item");
        assert_eq!(escape_line("a - b"), "a - b");
        assert_eq!(escape_line("&lt;p&gt;"), "&amp;lt;p&amp;gt;");
        assert_eq!(escape_line("back\\slash"), r"back\\slash");
    }

    #[test]
    fn spec_text_cannot_start_a_line_of_code() {
        let title = "T\n#![doc = include_str!(\"/etc/hostname\")]\r\n#![cfg(any())]\u{7f}0";
        assert_eq!(
            doc_line(title),
            "T #![doc = include_str!(\"/etc/hostname\")]  #![cfg(any())] 0"
        );
        assert_eq!(code("AWS::A::B"), "`AWS::A::B`");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(code("a`b<c>"), r"a\`b\<c\>");
        assert_eq!(code(""), "");
    }

    #[test]
    fn wraps_urls() {
        assert_eq!(
            escape_line("See https://docs.aws.amazon.com/a_b/c.html."),
            "See <https://docs.aws.amazon.com/a_b/c.html>."
        );
        assert_eq!(escape_line("(http://x.io/p)"), "(<http://x.io/p>)");
        assert_eq!(escape_line("http://w.org/A_(b)"), "<http://w.org/A_(b)>");
        assert_eq!(escape_line("xhttps://no"), "xhttps://no");
        assert_eq!(escape_line("https://"), "https://");
    }

    #[test]
    fn removes_indentation_and_fences() {
        let got = lines("Intro:\r\n\n\n    code here\n```\nfenced\n```\n\n");
        assert_eq!(
            got,
            vec!["Intro:", "", "code here", r"\`\`\`", "fenced", r"\`\`\`"]
        );
    }
}
