//! Acceptance of least-privilege policies end to end: the policy `cloudcontrol policy` prints
//! for list + create + get + update + delete on `AWS::Logs::LogGroup` is given to the emulator
//! (`Config::policy`, as `--policy FILE` does), and a program doing those five operations through
//! the generated crate (`logs::log_groups::list` / `create`, `logs::log_group::get` / `update` /
//! `delete`) runs clean under it. Removing any single action makes exactly the operations that need it fail with
//! `Error::AccessDenied` naming it; `Deny` beats `Allow`; `logs:*`, `logs:Describe*` and
//! `NotAction` work.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use aws_cloudcontrol_resources::logs::{log_group, log_groups, CreateLogGroup, UpdateLogGroup};
use aws_cloudcontrol_resources::policy::Operation;
use aws_cloudcontrol_resources::registry;
use aws_cloudcontrol_resources::runtime::{Client, Error, PollConfig, RetrySettings};
use cloudcontrol_emulator::{Config, Credentials, Emulator, IdentityPolicy};
use serde_json::{json, Value};

const REGION: &str = "us-east-1";
const TYPE: &str = "AWS::Logs::LogGroup";

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs")
}

/// What `cloudcontrol policy` prints for the acceptance scenario.
fn cli_policy() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cloudcontrol"))
        .args([
            "policy",
            "aws.logs.log_groups:list,create",
            "aws.logs.log_group:read,update,delete",
        ])
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

async fn start(policy: &str) -> Emulator {
    let mut config = Config::new(specs());
    config.polls_until_complete = 1;
    config.policy = Some(IdentityPolicy::from_json(policy).expect("policy parses"));
    let emu = Emulator::start(config).await.expect("emulator starts");
    for name in ["seeded-read", "seeded-update", "seeded-delete"] {
        emu.seed_resource(TYPE, json!({ "LogGroupName": name }))
            .expect("seeded");
    }
    emu
}

fn client(emu: &Emulator) -> Client {
    let creds = Credentials::default();
    Client::builder()
        .endpoint_url(emu.endpoint_url())
        .region(REGION)
        .credentials(creds.access_key_id, creds.secret_access_key)
        .retry(RetrySettings::new(
            2,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ))
        .poll(PollConfig::new(
            Duration::from_millis(2),
            Duration::from_millis(10),
            Duration::from_millis(1),
            Duration::from_millis(20),
            Duration::from_secs(20),
        ))
        .build()
        .expect("client builds")
}

/// `Ok` or the missing actions of an access denial; any other failure fails the test.
type Outcome = Result<(), Vec<String>>;

fn denied(error: Error) -> Outcome {
    match error {
        Error::AccessDenied {
            missing_actions, ..
        } => Err(missing_actions),
        // The status poll of an accepted request was refused: the wait names the request
        // around the denial.
        Error::Wait { source, .. } => denied(*source),
        other => panic!("expected access denied, got {other}"),
    }
}

/// Runs the five operations, each on its own resource so that one failing does not hide
/// another, and reports each outcome.
async fn scenario(emu: &Emulator) -> BTreeMap<Operation, Outcome> {
    let client = client(emu);
    let mut out = BTreeMap::new();

    let list = log_groups::list(&client, REGION).await;
    out.insert(Operation::List, list.map(|_| ()).or_else(denied));

    let input = CreateLogGroup::new().with_log_group_name("created");
    let create = log_groups::create(&client, REGION, &input).await;
    out.insert(Operation::Create, create.map(|_| ()).or_else(denied));

    let read = log_group::get(&client, REGION, "seeded-read").await;
    out.insert(Operation::Read, read.map(|_| ()).or_else(denied));

    let patch = UpdateLogGroup::new().set_retention_in_days(7);
    let update = log_group::update(&client, REGION, "seeded-update", &patch).await;
    out.insert(Operation::Update, update.map(|_| ()).or_else(denied));

    let delete = log_group::delete(&client, REGION, "seeded-delete").await;
    out.insert(Operation::Delete, delete.map(|_| ()).or_else(denied));
    out
}

/// The actions each operation needs, from the registry (Cloud Control actions + handler).
fn needs() -> BTreeMap<Operation, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (info, ops) in [
        (
            &registry::logs::LOG_GROUPS,
            &[Operation::List, Operation::Create][..],
        ),
        (
            &registry::logs::LOG_GROUP,
            &[Operation::Read, Operation::Update, Operation::Delete][..],
        ),
    ] {
        for op in ops {
            let mut actions: BTreeSet<String> = op
                .cloud_control_actions()
                .iter()
                .map(|a| a.to_ascii_lowercase())
                .collect();
            for a in op.handler_permissions(info).expect("handler") {
                actions.insert(a.to_ascii_lowercase());
            }
            out.insert(*op, actions);
        }
    }
    out
}

fn all_ok() -> BTreeMap<Operation, Outcome> {
    [
        Operation::Create,
        Operation::Read,
        Operation::Update,
        Operation::Delete,
        Operation::List,
    ]
    .into_iter()
    .map(|op| (op, Ok(())))
    .collect()
}

/// The printed policy with one action removed from its statement.
fn without(policy: &str, action: &str) -> String {
    let mut doc: Value = serde_json::from_str(policy).expect("policy JSON");
    for statement in doc["Statement"].as_array_mut().expect("statements") {
        let actions = statement["Action"].as_array_mut().expect("actions");
        actions.retain(|a| a != action);
    }
    doc.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printed_policy_is_exactly_enough() {
    let policy = cli_policy();
    let emu = start(&policy).await;
    assert_eq!(scenario(&emu).await, all_ok(), "under the printed policy");
    assert!(emu.resource(TYPE, "created").is_some());
    assert!(emu.resource(TYPE, "seeded-delete").is_none());
    assert_eq!(
        emu.resource(TYPE, "seeded-update").expect("kept")["RetentionInDays"],
        7
    );
    emu.shutdown().await;

    // Remove each action in turn: exactly the operations needing it fail, naming it alone.
    let doc: Value = serde_json::from_str(&policy).expect("policy JSON");
    let actions: Vec<String> = doc["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .flat_map(|s| s["Action"].as_array().expect("actions").clone())
        .map(|a| a.as_str().expect("string").to_owned())
        .collect();
    assert!(actions.len() > 20, "{actions:?}");
    let needs = needs();
    for action in &actions {
        let emu = start(&without(&policy, action)).await;
        let outcomes = scenario(&emu).await;
        emu.shutdown().await;
        let expected: BTreeMap<Operation, Outcome> = needs
            .iter()
            .map(|(op, needed)| {
                let outcome = if needed.contains(&action.to_ascii_lowercase()) {
                    Err(vec![action.clone()])
                } else {
                    Ok(())
                };
                (*op, outcome)
            })
            .collect();
        assert_eq!(outcomes, expected, "without {action}");
        assert!(
            outcomes.values().any(Result::is_err),
            "{action} is in the policy but no operation needs it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_beats_allow_and_wildcards_and_not_action_work() {
    let cloud_control = r#"{"Effect":"Allow","Action":"cloudformation:*","Resource":"*"}"#;
    let other = r#"{"Effect":"Allow","Action":["s3:*","firehose:*"],"Resource":"*"}"#;

    // `logs:*` allows every handler.
    let all_logs = format!(
        r#"{{"Version":"2012-10-17","Statement":[{cloud_control},{other},{{"Effect":"Allow","Action":"logs:*","Resource":"*"}}]}}"#
    );
    let emu = start(&all_logs).await;
    assert_eq!(scenario(&emu).await, all_ok(), "logs:*");
    emu.shutdown().await;

    // An explicit Deny beats `logs:*`: only create (the one handler needing it) fails.
    let deny = format!(
        r#"{{"Version":"2012-10-17","Statement":[{cloud_control},{other},{{"Effect":"Allow","Action":"logs:*","Resource":"*"}},{{"Effect":"Deny","Action":"logs:createloggroup","Resource":"*"}}]}}"#
    );
    let emu = start(&deny).await;
    let outcomes = scenario(&emu).await;
    emu.shutdown().await;
    let mut expected = all_ok();
    expected.insert(
        Operation::Create,
        Err(vec!["logs:CreateLogGroup".to_owned()]),
    );
    assert_eq!(outcomes, expected, "Deny logs:CreateLogGroup");

    // A Deny on a Cloud Control action is a 400 AccessDeniedException at once.
    let deny_list = format!(
        r#"{{"Version":"2012-10-17","Statement":[{cloud_control},{other},{{"Effect":"Allow","Action":"logs:*","Resource":"*"}},{{"Effect":"Deny","Action":"cloudformation:List*","Resource":"*"}}]}}"#
    );
    let emu = start(&deny_list).await;
    let outcomes = scenario(&emu).await;
    emu.shutdown().await;
    let mut expected = all_ok();
    expected.insert(
        Operation::List,
        Err(vec!["cloudformation:ListResources".to_owned()]),
    );
    assert_eq!(outcomes, expected, "Deny cloudformation:List*");

    // `logs:Describe*` + `logs:ListTagsForResource` is the list handler: list works, the
    // others are denied the logs actions they need beyond it.
    let describe = format!(
        r#"{{"Version":"2012-10-17","Statement":[{cloud_control},{{"Effect":"Allow","Action":["logs:Describe*","logs:ListTagsForResource"],"Resource":"*"}}]}}"#
    );
    let emu = start(&describe).await;
    let outcomes = scenario(&emu).await;
    emu.shutdown().await;
    assert_eq!(outcomes[&Operation::List], Ok(()), "logs:Describe*");
    let Err(missing) = &outcomes[&Operation::Delete] else {
        panic!("delete needs logs:DeleteLogGroup: {outcomes:?}");
    };
    assert!(
        missing.contains(&"logs:DeleteLogGroup".to_owned()),
        "{missing:?}"
    );
    assert!(
        !missing.iter().any(|a| a.starts_with("logs:Describe")),
        "{missing:?}"
    );

    // NotAction: everything except logs:Delete* is allowed, so exactly the operations whose
    // handlers need a logs:Delete* action fail, naming those (delete, and update here).
    let not_action = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"logs:Delete*","Resource":"*"}]}"#;
    let emu = start(not_action).await;
    let outcomes = scenario(&emu).await;
    emu.shutdown().await;
    let expected: BTreeMap<Operation, Outcome> = all_ok()
        .into_keys()
        .map(|op| {
            let mut missing: Vec<String> = Vec::new();
            for action in op
                .handler_permissions(&registry::logs::LOG_GROUP)
                .expect("handler")
            {
                if action.to_ascii_lowercase().starts_with("logs:delete")
                    && !missing.contains(&(*action).to_owned())
                {
                    missing.push((*action).to_owned());
                }
            }
            (
                op,
                if missing.is_empty() {
                    Ok(())
                } else {
                    Err(missing)
                },
            )
        })
        .collect();
    assert!(expected[&Operation::Delete].is_err());
    assert_eq!(outcomes, expected, "NotAction logs:Delete*");
}
