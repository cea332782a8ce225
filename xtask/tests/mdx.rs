//! Every generated docs page must be valid MDX: the docs site (Docusaurus, `website/`) compiles
//! `.md` pages as MDX, where a stray `<`, `{` or unclosed `<br>` breaks the build.
//!
//! The pages are parsed with the `markdown` crate's MDX mode plus what Docusaurus adds (front
//! matter, GFM). Beyond syntax, a page may not contain anything that MDX would run as code:
//! ESM (`import`/`export`), `{expressions}`, components (capitalised tags) or `attr={…}` values.
//! The generator escapes text, so any of these means some text escaped unescaped.
//!
//! Checked trees: `generated/docs` or `$MDX_PAGES_DIR` (skipped when it has no pages yet) and the golden pages in
//! `../shared/golden` (skipped when absent).

use markdown::mdast::{AttributeContent, AttributeValue, Node};
use markdown::ParseOptions;
use std::fs;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// MDX as Docusaurus 3 parses it: MDX, front matter and GFM (remark-gfm).
fn docusaurus_mdx() -> ParseOptions {
    let mut options = ParseOptions::mdx();
    options.constructs.frontmatter = true;
    options.constructs.gfm_autolink_literal = true;
    options.constructs.gfm_footnote_definition = true;
    options.constructs.gfm_label_start_footnote = true;
    options.constructs.gfm_strikethrough = true;
    options.constructs.gfm_table = true;
    options.constructs.gfm_task_list_item = true;
    options
}

/// Problems in one page's text, each as `line:column: reason`.
fn check_page(text: &str) -> Vec<String> {
    match markdown::to_mdast(text, &docusaurus_mdx()) {
        Err(message) => vec![message.to_string()],
        Ok(tree) => {
            let mut problems = Vec::new();
            check_node(&tree, &mut problems);
            problems
        }
    }
}

fn at(node: &Node) -> String {
    node.position()
        .map(|p| format!("{}:{}", p.start.line, p.start.column))
        .unwrap_or_else(|| "?:?".into())
}

fn check_node(node: &Node, problems: &mut Vec<String>) {
    match node {
        Node::MdxjsEsm(esm) => problems.push(format!(
            "{}: ESM (import/export) in a generated page: {:?}",
            at(node),
            esm.value
        )),
        Node::MdxFlowExpression(e) => problems.push(format!(
            "{}: MDX expression {{{}}} (unescaped `{{`)",
            at(node),
            e.value
        )),
        Node::MdxTextExpression(e) => problems.push(format!(
            "{}: MDX expression {{{}}} (unescaped `{{`)",
            at(node),
            e.value
        )),
        Node::MdxJsxFlowElement(el) => {
            check_element(node, el.name.as_deref(), &el.attributes, problems)
        }
        Node::MdxJsxTextElement(el) => {
            check_element(node, el.name.as_deref(), &el.attributes, problems)
        }
        _ => {}
    }
    if let Some(children) = node.children() {
        for child in children {
            check_node(child, problems);
        }
    }
}

fn check_element(
    node: &Node,
    name: Option<&str>,
    attributes: &[AttributeContent],
    problems: &mut Vec<String>,
) {
    match name {
        None => problems.push(format!("{}: JSX fragment `<>`", at(node))),
        // A capitalised or dotted name is a React component reference, not HTML.
        Some(name)
            if !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) =>
        {
            problems.push(format!("{}: <{name}> is not an HTML element", at(node)))
        }
        Some(_) => {}
    }
    for attribute in attributes {
        match attribute {
            AttributeContent::Expression(e) => problems.push(format!(
                "{}: JSX spread attribute {{{}}}",
                at(node),
                e.value
            )),
            AttributeContent::Property(p) => {
                if let Some(AttributeValue::Expression(e)) = &p.value {
                    problems.push(format!(
                        "{}: attribute {}={{{}}} is an expression",
                        at(node),
                        p.name,
                        e.value
                    ));
                }
            }
        }
    }
}

/// All `.md`/`.mdx` files under `root`, sorted so failures are reported in a stable order.
fn pages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("md" | "mdx")
            ) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Checks every page under `root` on all cores; returns the page count and the problems, each
/// as `page:line:column: reason`.
fn check_tree(root: &Path) -> (usize, Vec<String>) {
    let pages = pages(root);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pages.len().div_ceil(threads).max(1);
    let mut problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut problems = Vec::new();
                    for page in chunk {
                        match fs::read_to_string(page) {
                            Err(e) => problems.push(format!("{}: {e}", page.display())),
                            Ok(text) => problems.extend(
                                check_page(&text)
                                    .into_iter()
                                    .map(|p| format!("{}:{p}", page.display())),
                            ),
                        }
                    }
                    problems
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    problems.sort();
    (pages.len(), problems)
}

fn assert_tree_is_mdx(root: &Path, what: &str) {
    let (count, problems) = check_tree(root);
    assert!(count > 0, "no pages under {} ({what})", root.display());
    println!("checked {count} pages under {}", root.display());
    assert!(
        problems.is_empty(),
        "{} of {count} pages are not valid MDX:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `generated/docs`, or the tree named by `MDX_PAGES_DIR` (e.g. the whole corpus generated with
/// `cargo xtask gen --specs ../shared/specs/2024-05 --out /tmp/full`, then
/// `MDX_PAGES_DIR=/tmp/full/docs`).
#[test]
fn generated_pages_are_valid_mdx() {
    let dir = std::env::var_os("MDX_PAGES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("generated").join("docs"));
    assert_tree_is_mdx(&dir, "run `cargo xtask gen` to generate them");
}

#[test]
fn golden_pages_are_valid_mdx() {
    let Some(shared) = test_support::shared(&["golden"]) else {
        return;
    };
    let golden = shared.join("golden");
    assert_tree_is_mdx(&golden, "golden pages");
}

/// A minimal page in the generated format, with `body` in a description cell.
fn page_with(body: &str) -> String {
    format!(
        "---\ntitle: x\nkeywords:\n  - x\ncustom_edit_url: null\n---\nSummary <code>x</code>.\n\n\
         ## Fields\n<table><tbody>\n<tr><th>Name</th></tr>\n\
         <tr><td><code>a</code></td><td>{body}</td></tr>\n\n</tbody></table>\n\n\
         :::info Service Summary\n\n<div class=\"row\">\n<div class=\"providerDocColumn\">\n\
         <span>total:&nbsp;<b>2</b></span><br />\n</div>\n</div>\n\n:::\n"
    )
}

#[test]
fn escaped_text_is_valid() {
    // The escapes of docs-format.md: newline, `/`, `<`, `>`, `{`, `}`, `[`, `]`.
    let escaped = "a < b &lt;br&#x2F;&gt; b &#123;c&#125; &#91;d&#93; e &amp; f's `g`";
    assert_eq!(check_page(&page_with(escaped)), Vec::<String>::new());
}

#[test]
fn unescaped_text_is_reported_with_its_position() {
    // The description cell is on line 12 of `page_with`'s page.
    let cases = [
        ("see <br> here", "12:"), // unclosed element
        ("a <5 b", "12:"),
        ("<https://example.com>", "12:"), // autolink syntax is not MDX               // bare `<`
        ("{\"json\": 1", "12:"),          // unclosed expression
        ("set {x} here", "12:"),          // expression that parses
        ("<Tabs>x</Tabs>", "12:"),        // component
        ("<a href={url}>x</a>", "12:"),   // expression attribute
    ];
    for (body, position) in cases {
        let problems = check_page(&page_with(body));
        assert_eq!(problems.len(), 1, "{body}: {problems:?}");
        assert!(problems[0].starts_with(position), "{body}: {problems:?}");
    }
}

#[test]
fn tree_check_names_the_page_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("aws-docs/providers/aws/s3/index.md");
    let bad = dir.path().join("aws-docs/providers/aws/s3/bucket/index.md");
    fs::create_dir_all(bad.parent().unwrap()).unwrap();
    fs::write(&good, page_with("fine")).unwrap();
    fs::write(&bad, page_with("x { y")).unwrap();
    let (count, problems) = check_tree(dir.path());
    assert_eq!(count, 2);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let expected = format!("{}:12:", bad.display());
    assert!(problems[0].starts_with(&expected), "{problems:?}");
}

#[test]
fn empty_tree_has_no_pages() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(check_tree(dir.path()), (0, Vec::new()));
}
