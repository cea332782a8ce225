//! Sibling links of the committed docs (`generated/docs`, written from `provider-specs/` and kept
//! current by `cargo xtask gen --check`): a list or create-only page names its `get` sibling and a
//! `get` page its list sibling ("use `x` to operate on an individual resource"). The sibling is
//! found through the model (same CloudFormation type, other kind), so no page may name itself,
//! every named sibling must be a page of the same service, and that page must name this one back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn services_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("generated/docs/aws-docs/providers/aws")
}

/// The sibling a summary names, if any: the `X` of `use <code>X</code>`.
fn named_sibling(summary: &str) -> Option<&str> {
    let rest = summary.split_once(", use <code>")?.1;
    Some(rest.split_once("</code>")?.0)
}

/// The summary line of a resource page: the first line after the front matter.
fn summary(page: &str) -> Option<&str> {
    let body = page.strip_prefix("---\n")?;
    let (_, after) = body.split_once("\n---\n")?;
    after.lines().next()
}

#[test]
fn no_page_names_itself_as_its_sibling_and_siblings_name_each_other() {
    let dir = services_dir();
    let Ok(services) = fs::read_dir(&dir) else {
        panic!(
            "{}: no generated docs; run `cargo xtask gen`",
            dir.display()
        );
    };
    // (service, resource) -> the sibling its summary names.
    let mut named: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    for service in services {
        let service = service.expect("service folder reads").path();
        if !service.is_dir() {
            continue;
        }
        let service_name = service
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 folder name")
            .to_owned();
        for resource in fs::read_dir(&service).expect("service folder lists") {
            let resource = resource.expect("resource folder reads").path();
            let page_path = resource.join("index.md");
            if !page_path.is_file() {
                continue;
            }
            let name = resource
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 folder name")
                .to_owned();
            let page = fs::read_to_string(&page_path)
                .unwrap_or_else(|e| panic!("{}: {e}", page_path.display()));
            let line = summary(&page)
                .unwrap_or_else(|| panic!("{}: no summary line", page_path.display()));
            named.insert(
                (service_name.clone(), name),
                named_sibling(line).map(str::to_owned),
            );
        }
    }
    assert!(
        named.len() > 1000,
        "expected the committed corpus, found {} resource pages",
        named.len()
    );
    let mut problems = Vec::new();
    for ((service, name), sibling) in &named {
        let Some(sibling) = sibling else { continue };
        if sibling == name {
            problems.push(format!("{service}/{name}: names itself as its sibling"));
            continue;
        }
        match named.get(&(service.clone(), sibling.clone())) {
            None => problems.push(format!(
                "{service}/{name}: names {sibling}, which has no page in {service}"
            )),
            Some(back) if back.as_deref() != Some(name.as_str()) => problems.push(format!(
                "{service}/{name}: names {sibling}, which names {back:?} back"
            )),
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} sibling problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The importer's `_list` names are the case inflection got wrong.
    assert_eq!(
        named
            .get(&("datasync".into(), "location_efs_list".into()))
            .cloned()
            .flatten()
            .as_deref(),
        Some("location_efs")
    );
}

#[test]
fn the_named_sibling_is_read_from_the_summary() {
    assert_eq!(
        named_sibling("Used to retrieve a list of <code>a</code> in a region or create a <code>a</code> resource, use <code>b</code> to operate on an individual resource."),
        Some("b")
    );
    assert_eq!(
        named_sibling("Gets or operates on an individual <code>a</code> resource."),
        None
    );
    assert_eq!(summary("---\ntitle: x\n---\nFirst\n\nrest"), Some("First"));
}
