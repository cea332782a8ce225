//! `cloudcontrol policy`, run as a new user would (empty environment, no AWS configuration,
//! fresh HOME), and the generated `policy::Policy` builder: outputs compared byte for byte with
//! the golden files in `tests/golden/policy/` (regenerate with
//! `UPDATE_EXPECTED=1 cargo test -p cloudcontrol-cli --test policy`, then review the diff).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aws_cloudcontrol_resources::policy::{Operation, Policy};
use aws_cloudcontrol_resources::{registry, resource};

/// Runs the binary with nothing inherited from the environment but `PATH`.
fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp HOME");
    Command::new(env!("CARGO_BIN_EXE_cloudcontrol"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .current_dir(home.path())
        .output()
        .expect("binary runs")
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/policy")
}

/// Compares `actual` with the golden file `name` (or rewrites it under `UPDATE_EXPECTED`).
fn assert_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(golden_dir()).expect("golden dir");
        std::fs::write(&path, actual).expect("golden written");
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_EXPECTED=1)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the output:\n{actual}",
        path.display()
    );
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn log_group_acceptance_policy_is_byte_stable() {
    let out = run(&[
        "policy",
        "aws.logs.log_groups:list,create",
        "aws.logs.log_group:read,update,delete",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("log_group.json", &stdout(&out));

    // The builder gives the same bytes, whatever the order of the calls and operations.
    let built = Policy::new()
        .allow(
            &registry::logs::LOG_GROUP,
            &[Operation::Delete, Operation::Update, Operation::Read],
        )
        .allow(
            &registry::logs::LOG_GROUPS,
            &[Operation::Create, Operation::List, Operation::Create],
        );
    assert_eq!(built.to_json(), stdout(&out));
    assert_eq!(built.to_string(), stdout(&out));

    // It is a policy document, and it holds what the issue asks for.
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(doc["Version"], "2012-10-17");
    let actions = built.actions();
    for action in [
        "cloudformation:ListResources",
        "cloudformation:CreateResource",
        "cloudformation:GetResource",
        "cloudformation:UpdateResource",
        "cloudformation:DeleteResource",
        "cloudformation:GetResourceRequestStatus",
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} missing");
    }
    assert!(!actions.iter().any(|a| a.contains("CancelResourceRequest")));
    for statement in doc["Statement"].as_array().expect("statements") {
        assert_eq!(statement["Effect"], "Allow");
        assert_eq!(statement["Resource"], "*");
    }

    // It serializes as that document, so it can be embedded in another one.
    let embedded = serde_json::json!({ "PolicyName": "logs", "PolicyDocument": &built });
    assert_eq!(embedded["PolicyDocument"], doc);
}

#[test]
fn an_empty_policy_is_a_document_without_statements() {
    let empty = Policy::new();
    assert_eq!(
        empty.to_json(),
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n"
    );
    assert_eq!(
        serde_json::to_value(&empty).expect("serializes"),
        serde_json::json!({ "Version": "2012-10-17", "Statement": [] })
    );
}

#[test]
fn parent_list_parameter_resource_defaults_and_request_actions() {
    // log_streams lists under a parent (LogGroupName); defaults are its page's create + list.
    assert_eq!(
        resource("aws.logs.log_streams")
            .expect("registered")
            .list_required_properties,
        ["LogGroupName"]
    );
    let out = run(&["policy", "logs.log_streams", "--cancel", "--list-requests"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("log_streams.json", &stdout(&out));
    let built = Policy::new()
        .allow(
            &registry::logs::LOG_STREAMS,
            &[Operation::Create, Operation::List],
        )
        .allow_list_requests()
        .allow_cancel();
    assert_eq!(built.to_json(), stdout(&out));
}

#[test]
fn create_only_type_defaults_to_create() {
    let info = resource("aws.acmpca.certificates").expect("registered");
    assert_eq!(Operation::defaults(info), [Operation::Create]);
    let out = run(&["policy", "aws.acmpca.certificates"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("acmpca_certificates.json", &stdout(&out));
    assert!(!stdout(&out).contains("cloudformation:ListResources"));
}

#[test]
fn mixed_case_prefixes_are_merged_and_deduplicated() {
    // AWS::Batch::JobQueue's schema spells its prefix `Batch:` and `batch:`, and has
    // both `UnTagResource` and `UntagResource`.
    let info = resource("aws.batch.job_queues").expect("registered");
    let policy = Policy::new().allow(info, &Operation::ALL);
    let actions = policy.actions();
    assert!(
        actions.iter().all(|a| !a.starts_with("Batch:")),
        "{actions:?}"
    );
    let mut lower: Vec<String> = actions.iter().map(|a| a.to_ascii_lowercase()).collect();
    lower.dedup();
    assert_eq!(lower.len(), actions.len(), "case-insensitive duplicates");
    let mut sorted = lower.clone();
    sorted.sort();
    assert_eq!(sorted, lower);
}

#[test]
fn unknown_ids_and_operations_exit_2_with_a_clear_message() {
    let out = run(&["policy", "aws.logs.log_grups:list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out)
            .contains("unknown resource id `aws.logs.log_grups`; did you mean aws.logs.log_groups"),
        "{}",
        stderr(&out)
    );

    let out = run(&["policy", "aws.logs.log_groups:list,craete"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown operation `craete`"),
        "{}",
        stderr(&out)
    );

    let out = run(&["policy", "aws.acmpca.certificates:list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no `list` handler; it supports: create"),
        "{}",
        stderr(&out)
    );

    // No resource at all: clap's usage error, also status 2.
    let out = run(&["policy"]);
    assert_eq!(out.status.code(), Some(2));
}
