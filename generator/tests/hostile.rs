//! Spec text from a hostile fixture (`tests/fixtures/hostile`: an `info.title` with a newline
//! and `#![doc = include_str!("/etc/hostname")]`, `#![cfg(any())]` in property, schema and enum
//! names, markup in names, `type` values and permissions) reaches the generated crate only as
//! documentation or string literals, and the docs pages only escaped. The crate generated from
//! it is compiled (warnings denied), so the injected attributes are proven inert.

mod support;

use proc_macro2::{TokenStream, TokenTree};
use std::path::Path;

fn hostile() -> generator::model::Provider {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut providers = generator::load_specs(&root).expect("hostile fixture loads");
    providers.remove(0)
}

/// Every identifier of a token stream, groups included; literals (doc text, strings) are
/// opaque, so spec text inside them is not code.
fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => out.push(ident.to_string()),
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

#[test]
fn spec_text_never_becomes_code() {
    let provider = hostile();
    let files = generator::rust::render_crate(&provider).expect("renders");
    assert!(files.contains_key("src/widgets.rs"));
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        // `#![cfg(any())]` would silently drop the module, `include_str!` read a local file.
        for attr in &file.attrs {
            let lint = ["doc", "forbid", "deny", "warn", "allow"]
                .iter()
                .any(|name| attr.path().is_ident(name));
            assert!(
                lint,
                "{path}: inner attribute {}",
                quote::ToTokens::to_token_stream(attr)
            );
        }
        assert!(!file.items.is_empty(), "{path}: no items");
        let mut found = Vec::new();
        idents(quote::ToTokens::to_token_stream(&file), &mut found);
        for bad in ["include_str", "any", "injected", "script", "alert"] {
            assert!(
                !found.iter().any(|i| i == bad),
                "{path}: `{bad}` became code"
            );
        }
        // No doc comment line carries a line break of the spec.
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("#![cfg") || trimmed.starts_with("#![doc") {
                panic!("{path}: code line from spec text: {line}");
            }
        }
    }
    let lib = &files["src/lib.rs"];
    assert!(lib.contains("pub mod widgets;"), "{lib}");
    let module = &files["src/widgets.rs"];
    assert!(
        module.contains(
            r#"//! Widgets #!\[doc = include\_str!("/etc/hostname")\] #!\[cfg(any())\] \`x\` \</code\>\<script\>\{alert(1)\}\</script\> (`widgets`)"#
        ),
        "the title is one doc line:\n{module}"
    );
}

#[test]
fn hostile_fixture_fast_path_formats_like_the_token_path() {
    let provider = hostile();
    let service = &provider.services[0];
    let fast = generator::rust::render_service_with(&provider, service, true, false).expect("fast");
    let slow = generator::rust::render_service_with(&provider, service, false, true).expect("slow");
    assert_eq!(fast, slow);
}

/// The page without the contents of its fenced code blocks (which MDX shows literally).
fn outside_fences(page: &str) -> String {
    let mut out = String::new();
    let mut open: Option<String> = None;
    for line in page.lines() {
        match &open {
            Some(fence) => {
                if line == fence {
                    open = None;
                }
            }
            None => {
                let ticks = line.len() - line.trim_start_matches('`').len();
                if ticks >= 3 {
                    open = Some("`".repeat(ticks));
                }
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    assert!(open.is_none(), "unclosed fence");
    out
}

#[test]
fn docs_pages_escape_names_types_and_permissions() {
    let provider = hostile();
    let pages = generator::docs::render_docs(&provider).expect("renders");
    for (path, page) in &pages {
        let text = outside_fences(page);
        for bad in [
            "<script", "{x}", "{y}", "{z}", "{w}", "\n#![cfg", "Injected",
        ] {
            assert!(!text.contains(bad), "{path}: {bad:?} outside code:\n{page}");
        }
    }
    let page = &pages["aws-docs/providers/aws/widgets/widgets/index.md"];
    assert!(
        page.contains("````json\nwidgets:ListWidgets,\n``` <script>{z}</script>,\nx:Y ``` ## Injected {w}\n````\n"),
        "permissions stay inside a longer fence:\n{page}"
    );
    let page = &pages["aws-docs/providers/aws/widgets/widget/index.md"];
    assert!(
        page.contains("<code>na me&lt;/code&gt;&lt;script&gt;&#123;x&#125;&lt;/script&gt;</code>"),
        "property names are escaped:\n{page}"
    );
}

/// Uses the hostile crate: the `widgets` module, its types and resource modules exist (an
/// injected `#![cfg(any())]` would have removed them) and hold the spec text as data.
const USES_HOSTILE: &str = r#"use aws_cloudcontrol_resources::widgets;
fn main() {
    let _: Option<widgets::Widget> = None;
    println!("{} {}", widgets::widgets::TYPE_NAME, widgets::widget::TYPE_NAME);
    println!("{}", aws_cloudcontrol_resources::RESOURCES.len());
}
"#;

/// The crate generated from the hostile fixture compiles without warnings, with
/// `include_str!` pointed at a file that does not exist (it would fail the build if it were
/// code), and a program using the `widgets` module runs.
#[test]
fn hostile_crate_compiles_and_its_injections_are_inert() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/aws");
    let specs = tmp.path().join("aws");
    std::fs::create_dir_all(specs.join("services")).expect("mkdir");
    std::fs::copy(source.join("provider.yaml"), specs.join("provider.yaml")).expect("copy");
    let service = std::fs::read_to_string(source.join("services/widgets.yaml")).expect("read");
    let probe = "/nonexistent/hostile-probe";
    assert!(service.contains("/etc/hostname"));
    std::fs::write(
        specs.join("services/widgets.yaml"),
        service.replace("/etc/hostname", probe),
    )
    .expect("write");
    let provider = generator::load_specs(tmp.path()).expect("loads").remove(0);
    let files = generator::rust::render_crate(&provider).expect("renders");
    assert!(
        files.values().any(|text| text.contains(probe)),
        "probe kept as text"
    );
    let Some(harness) = support::Harness::new("hostile") else {
        return;
    };
    harness.write_crate(&files);
    harness.add_bin("uses_hostile", USES_HOSTILE);
    harness.finish(&["full"]);
    let run = harness.cargo(&["run", "--bin", "uses_hostile"]);
    assert!(
        run.status.success(),
        "the hostile crate does not build cleanly:\n{}",
        run.stderr_text()
    );
    assert_eq!(
        run.stdout_text(),
        "AWS::Widgets::Widget AWS::Widgets::Widget\n2\n"
    );
    let types_only = harness.cargo(&[
        "check",
        "-p",
        "aws-cloudcontrol-resources",
        "--no-default-features",
        "--features",
        "full",
    ]);
    assert!(
        types_only.status.success(),
        "types-only build:\n{}",
        types_only.stderr_text()
    );
}
