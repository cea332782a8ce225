//! End to end: import the 2026 schemas, generate the docs with the generator, and compare the
//! codeconnections `connections` page with the golden page byte for byte. Skips (with a
//! message) when `<repo>/../shared` is absent.

#[test]
fn imported_codeconnections_connections_page_equals_the_golden_page() {
    let golden_page = "golden/aws-docs/providers/aws/codeconnections/connections/index.md";
    let Some(shared) = test_support::shared(&["cfn-schemas/2026-10", golden_page]) else {
        return;
    };
    let schemas = shared.join("cfn-schemas/2026-10");
    let golden = shared.join(golden_page);
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    let out = tmp.path().join("out");
    cfn_import::import(&schemas, &cfn_import::ImportOptions::default(), &specs).unwrap();
    // `..Default::default()` keeps this compiling when the generator grows more options.
    #[allow(clippy::needless_update)]
    let options = generator::GenerateOptions {
        docs_only: true,
        ..Default::default()
    };
    generator::generate(&specs, &out, &options).unwrap();
    let page = out.join("docs/aws-docs/providers/aws/codeconnections/connections/index.md");
    let ours = std::fs::read_to_string(&page).unwrap();
    let want = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(ours, want);
}
