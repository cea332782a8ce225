//! The real AWS provider of May 2024 (`../shared/specs/2024-05`): every page generates, the
//! page counts are right, and the golden pages come out byte for byte.
//! Skips (with a message) when `../shared` is not beside the checkout.

use generator::model::Provider;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// What the tests read from `../shared`.
const REQUIRED: &[&str] = &[test_support::CORPUS, "golden/aws-docs"];

/// Loads and renders the corpus once for every test of this file.
fn corpus() -> Option<&'static (Vec<Provider>, BTreeMap<String, String>)> {
    static CORPUS: OnceLock<(Vec<Provider>, BTreeMap<String, String>)> = OnceLock::new();
    let shared = test_support::shared(REQUIRED)?;
    Some(CORPUS.get_or_init(|| {
        let providers =
            generator::load_specs(&shared.join("specs/2024-05")).expect("the 2024-05 corpus loads");
        let pages =
            generator::docs::render_docs(&providers[0]).expect("the 2024-05 corpus renders");
        (providers, pages)
    }))
}

#[test]
fn golden_pages_match_byte_for_byte() {
    let (Some(shared), Some((_, pages))) = (test_support::shared(REQUIRED), corpus()) else {
        return;
    };
    let golden_root = shared.join("golden");
    let mut golden = Vec::new();
    collect(&golden_root, &golden_root, &mut golden);
    assert_eq!(golden.len(), 32, "expected the 32 golden pages");
    let mut mismatches = Vec::new();
    for relative in &golden {
        let expected =
            std::fs::read_to_string(golden_root.join(relative)).expect("golden page reads");
        match pages.get(relative.as_str()) {
            Some(actual) if *actual == expected => {}
            Some(actual) => mismatches.push(format!(
                "{relative}: differs at byte {}",
                first_difference(actual, &expected)
            )),
            None => mismatches.push(format!("{relative}: not generated")),
        }
    }
    assert!(
        mismatches.is_empty(),
        "golden mismatches:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn page_counts_are_right() {
    let Some((providers, pages)) = corpus() else {
        return;
    };
    let aws = &providers[0];
    assert_eq!(aws.services.len(), 220);
    let cloud_control: Vec<_> = aws.services.iter().filter(|s| s.cloud_control).collect();
    let others: Vec<_> = aws.services.iter().filter(|s| !s.cloud_control).collect();
    let cc_pages: usize = cloud_control.iter().map(|s| 1 + s.resources.len()).sum();
    assert_eq!(cc_pages, 2128, "Cloud Control resource and service pages");
    let other_names: Vec<&str> = others.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        other_names,
        [
            "cloud_control",
            "cloudhsm",
            "cloudwatch_api",
            "ec2_api",
            "iam_api",
            "s3_api",
            "transfer_api"
        ]
    );
    let other_pages: usize = others.iter().map(|s| 1 + s.resources.len()).sum();
    assert_eq!(other_pages, 7 + 354);
    // Every page written, plus the provider page.
    assert_eq!(pages.len(), cc_pages + other_pages + 1);
}

#[test]
fn non_cloud_control_pages_descend_the_object_key() {
    let Some((_, pages)) = corpus() else { return };
    // `/*/ListAccessKeysResult/AccessKeyMetadata/member` leads to the access key metadata.
    let page = &pages["aws-docs/providers/aws/iam_api/access_keys/index.md"];
    for column in ["AccessKeyId", "UserName", "Status", "CreateDate"] {
        assert!(
            page.contains(&format!("<tr><td><code>{column}</code></td>")),
            "{column} missing:\n{page}"
        );
    }
    assert!(
        page.contains("<td><code>access_keys_List</code></td>\n    <td><code>SELECT</code></td>"),
        "{page}"
    );
    // Required parameters of the operation, then region; methods no verb reaches are EXEC.
    assert!(page.contains("<td><code>access_keys_Delete</code></td>\n    <td><code>DELETE</code></td>\n    <td><code>AccessKeyId, region</code></td>"), "{page}");
    assert!(page.contains("<td><code>access_keys_Update</code></td>\n    <td><code>EXEC</code></td>\n    <td><code>AccessKeyId, Status, region</code></td>"), "{page}");
    // JSON object keys (`$.ResourceDescriptions`) are followed too.
    let page = &pages["aws-docs/providers/aws/cloud_control/resources/index.md"];
    assert!(
        page.contains("<tr><td><code>Identifier</code></td><td><code>string</code></td>"),
        "{page}"
    );
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("golden dir reads") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let relative = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            out.push(relative);
        }
    }
    out.sort();
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}
