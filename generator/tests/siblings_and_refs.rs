//! Two docs rules on a small fixture (`tests/fixtures/siblings`) and on the committed memorydb
//! spec:
//! - a resource page names its sibling found through the model (same CloudFormation type, other
//!   kind), also when the names do not inflect into each other (`location_efs` /
//!   `location_efs_list`, as the importer names them);
//! - a `$ref` with a sibling `type` takes the referenced schema's type (OpenAPI 3.0 ignores the
//!   siblings of `$ref`), in the docs and in the Rust types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/siblings")
}

fn render(specs: &Path) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let providers = generator::load_specs(specs).expect("specs load");
    let docs = generator::docs::render_docs(&providers[0]).expect("docs render");
    let rust = generator::rust::render_crate(&providers[0]).expect("crate renders");
    (docs, rust)
}

/// The summary line of a page (the first line after the front matter).
fn summary(page: &str) -> &str {
    let (_, body) = page
        .strip_prefix("---\n")
        .and_then(|p| p.split_once("\n---\n"))
        .expect("front matter");
    body.lines().next().expect("summary line")
}

/// The Datatype cell of a column's row in a page's Fields table.
fn datatype<'p>(page: &'p str, column: &str) -> &'p str {
    let start = format!("<tr><td><code>{column}</code></td><td><code>");
    let rest = page
        .lines()
        .find_map(|line| line.strip_prefix(start.as_str()))
        .unwrap_or_else(|| panic!("no row for {column}"));
    rest.split_once("</code>").expect("closed cell").0
}

#[test]
fn siblings_are_found_through_the_model() {
    let (docs, _) = render(&fixture());
    let page = |name: &str| {
        docs.get(&format!("aws-docs/providers/aws/datasync/{name}/index.md"))
            .unwrap_or_else(|| panic!("no page for {name}"))
    };
    assert_eq!(
        summary(page("location_efs_list")),
        "Used to retrieve a list of <code>location_efs_list</code> in a region or create a <code>location_efs_list</code> resource, use <code>location_efs</code> to operate on an individual resource."
    );
    assert_eq!(
        summary(page("location_efs")),
        "Gets or operates on an individual <code>location_efs</code> resource, use <code>location_efs_list</code> to retrieve a list of resources or to create a resource."
    );
}

#[test]
fn a_ref_with_a_sibling_type_takes_the_referenced_type_in_docs_and_rust() {
    let (docs, rust) = render(&fixture());
    let page = &docs["aws-docs/providers/aws/datasync/location_efs/index.md"];
    assert_eq!(datatype(page, "tiering"), "string");
    let module = rust
        .iter()
        .find(|(path, _)| path.ends_with("datasync.rs"))
        .map(|(_, text)| text)
        .expect("datasync module");
    assert!(
        module.contains("pub enum Tiering"),
        "the referenced string enum is a Rust enum:\n{module}"
    );
    assert!(
        module.contains("pub tiering: ::std::option::Option<Tiering>,"),
        "the property has the referenced enum's type, not a struct or an open value:\n{module}"
    );
}

/// memorydb `Cluster.DataTiering` in the committed specs: `$ref: DataTieringStatus` (a string
/// enum) with `type: object` beside it.
#[test]
fn memorydb_data_tiering_is_a_string() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("provider-specs/aws/services/memorydb.yaml");
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    assert!(
        text.contains("$ref: '#/components/schemas/DataTieringStatus'"),
        "{}: the case this test is about is gone",
        spec.display()
    );
    // A one-service provider holding the committed memorydb spec.
    let dir = std::env::temp_dir().join(format!("siblings-and-refs-{}", std::process::id()));
    let services = dir.join("aws/services");
    std::fs::create_dir_all(&services).expect("temp dir");
    let provider = std::fs::read_to_string(fixture().join("aws/provider.yaml"))
        .expect("fixture provider")
        .replace("datasync", "memorydb");
    std::fs::write(dir.join("aws/provider.yaml"), provider).expect("provider written");
    std::fs::write(services.join("memorydb.yaml"), &text).expect("spec written");
    let rendered = std::panic::catch_unwind(|| render(&dir));
    let _ = std::fs::remove_dir_all(&dir);
    let (docs, rust) = rendered.expect("memorydb renders");
    let page = &docs["aws-docs/providers/aws/memorydb/cluster/index.md"];
    assert_eq!(datatype(page, "data_tiering"), "string");
    let module = rust
        .iter()
        .find(|(path, _)| path.ends_with("memorydb.rs"))
        .map(|(_, text)| text)
        .expect("memorydb module");
    assert!(module.contains("pub enum DataTieringStatus"));
    assert!(module.contains("pub data_tiering: ::std::option::Option<DataTieringStatus>,"));
}
