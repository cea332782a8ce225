//! The `cloudcontrol` binary against the in-process emulator (repository provider specs),
//! configured only through the standard AWS environment variables.

use std::path::PathBuf;
use std::process::{Command, Output};

use cloudcontrol_emulator::{Config, Credentials, Emulator};
use serde_json::{json, Value};

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs")
}

async fn start(polls: u32) -> Emulator {
    let mut config = Config::new(specs());
    config.polls_until_complete = polls;
    Emulator::start(config).await.expect("emulator starts")
}

/// Runs the binary with the environment pointing at `emu` (and nothing from the user's AWS
/// configuration).
async fn run(emu: &Emulator, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cloudcontrol"));
    command.args(args);
    output(aws_environment(command, emu)).await
}

/// `command` with the environment pointing at `emu` (and nothing from the user's AWS
/// configuration).
fn aws_environment(mut command: Command, emu: &Emulator) -> Command {
    let creds = Credentials::default();
    command
        .env("AWS_ENDPOINT_URL", emu.endpoint_url())
        .env("AWS_ACCESS_KEY_ID", creds.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL_CLOUDCONTROL");
    command
}

async fn output(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("binary runs"))
        .await
        .expect("join")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_then_list_as_table_and_jsonl() {
    let emu = start(1).await;
    let out = run(
        &emu,
        &[
            "create",
            "codeconnections.connections",
            "--region",
            "us-east-1",
            "--data",
            r#"{"ConnectionName":"demo","ProviderType":"GitHub"}"#,
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let created: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let arn = created["identifier"].as_str().unwrap().to_owned();
    assert!(arn.starts_with("arn:aws:codeconnections:us-east-1:"));
    assert_eq!(created["model"]["ConnectionName"], "demo");
    assert!(created["request_token"].is_string());

    let out = run(
        &emu,
        &[
            "list",
            "aws.codeconnections.connections",
            "--region",
            "us-east-1",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["connection_arn", "region"]);
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(row, [arn.as_str(), "us-east-1"]);

    let out = run(
        &emu,
        &["list", "codeconnections.connections", "--format", "jsonl"],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ConnectionArn"], json!(arn));
    assert_eq!(rows[0]["region"], "us-east-1");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_create_exits_non_zero_with_code_message_and_property() {
    let emu = start(0).await;
    let out = run(
        &emu,
        &[
            "create",
            "aws.codeconnections.connections",
            "--data",
            r#"{"ConnectionName":"x","ProviderType":"Nope"}"#,
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // Refused in the call itself (as AWS does): code, message and property, no request token.
    assert!(err.contains("error code: ValidationException"), "{err}");
    assert!(
        err.contains("message: Model validation failed (#/ProviderType: "),
        "{err}"
    );
    assert!(err.lines().any(|l| l == "property: ProviderType"), "{err}");
    assert!(!err.contains("request token: "), "{err}");
    assert!(stdout(&out).is_empty());
    assert_eq!(emu.stats().creates_performed, 0);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_past_the_wait_deadline_prints_the_request_token() {
    let emu = start(50).await;
    let out = run(
        &emu,
        &[
            "create",
            "aws.codeconnections.connections",
            "--data",
            r#"{"ConnectionName":"slow","ProviderType":"GitHub"}"#,
            "--wait-deadline",
            "1",
        ],
    )
    .await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("gave up waiting"), "{err}");
    assert!(
        err.lines().any(|l| l.starts_with("request token: ")),
        "{err}"
    );
    // The wait lasted over a second, but stderr is a pipe, not a terminal: no progress line.
    assert!(!err.contains('\r') && !err.contains("\x1b["), "{err:?}");
    assert!(!err.contains("s, request token "), "{err:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_get_suggestions_and_unsupported_verbs_are_refused() {
    let emu = start(0).await;
    let out = run(&emu, &["list", "codeconnections.conections"]).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("unknown resource id `codeconnections.conections`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean aws.codeconnections.connections"),
        "{err}"
    );

    let out = run(
        &emu,
        &["create", "aws.codeconnections.connection", "--data", "{}"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot be created"),
        "{}",
        stderr(&out)
    );

    let out = run(&emu, &["list", "aws.codeconnections.connection"]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("list with `aws.codeconnections.connections`"),
        "{}",
        stderr(&out)
    );

    let out = run(
        &emu,
        &["create", "aws.codeconnections.connections", "--data", "[1]"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--data is not a JSON object"),
        "{}",
        stderr(&out)
    );
    assert_eq!(emu.stats().requests, 0, "refused before any request");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parent_scoped_list_needs_the_parent() {
    let emu = start(0).await;
    emu.seed_resource(
        "AWS::EKS::Nodegroup",
        json!({"ClusterName": "c1", "NodegroupName": "ng", "NodeRole": "arn:aws:iam::123456789012:role/r", "Subnets": ["s"]}),
    )
    .unwrap();
    let out = run(&emu, &["list", "aws.eks.nodegroups"]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("pass --parent with ClusterName"),
        "{}",
        stderr(&out)
    );

    let out = run(
        &emu,
        &[
            "list",
            "aws.eks.nodegroups",
            "--parent",
            r#"{"ClusterName":"c1"}"#,
            "--format",
            "jsonl",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ClusterName"], "c1");

    let out = run(
        &emu,
        &[
            "list",
            "aws.eks.nodegroups",
            "--parent",
            r#"{"ClusterName":"other"}"#,
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "header only");
    emu.shutdown().await;
}

/// A new user's lifecycle of a log group through the binary: create, get, update (--set,
/// --remove, --patch), list across regions, delete, get of the deleted one (exit 1), request
/// tracking, and a usage error (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_get_update_delete_requests_and_exit_codes() {
    let emu = start(1).await;
    let ok = |out: &Output| assert!(out.status.success(), "{}\n{}", stdout(out), stderr(out));
    let out = run(
        &emu,
        &[
            "create",
            "aws.logs.log_groups",
            "--data",
            r#"{"LogGroupName":"app-logs"}"#,
        ],
    )
    .await;
    ok(&out);

    let out = run(
        &emu,
        &["get", "aws.logs.log_group", "app-logs", "--format", "json"],
    )
    .await;
    ok(&out);
    let model: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(model["LogGroupName"], "app-logs");
    assert!(model.get("RetentionInDays").is_none());

    let out = run(
        &emu,
        &[
            "update",
            "logs.log_group",
            "app-logs",
            "--set",
            "RetentionInDays=30",
        ],
    )
    .await;
    ok(&out);
    let out = run(&emu, &["get", "aws.logs.log_group", "app-logs"]).await;
    ok(&out);
    let table = stdout(&out);
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["RetentionInDays", "30"]),
        "{table}"
    );
    let out = run(
        &emu,
        &[
            "update",
            "aws.logs.log_group",
            "app-logs",
            "--remove",
            "RetentionInDays",
            "--format",
            "jsonl",
        ],
    )
    .await;
    ok(&out);
    let updated: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert!(updated["request_token"].is_string());
    assert!(
        updated["model"].get("RetentionInDays").is_none(),
        "{updated}"
    );
    let out = run(
        &emu,
        &[
            "update",
            "aws.logs.log_group",
            "app-logs",
            "--patch",
            r#"[{"op":"add","path":"/RetentionInDays","value":7}]"#,
        ],
    )
    .await;
    ok(&out);
    // A create-only property cannot be updated: refused at once (exit 1), the property named.
    let out = run(
        &emu,
        &[
            "update",
            "aws.logs.log_group",
            "app-logs",
            "--set",
            "LogGroupName=renamed",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error code: NotUpdatableException"), "{err}");
    assert!(err.lines().any(|l| l == "property: LogGroupName"), "{err}");
    assert!(!err.contains("request token: "), "{err}");

    // Two regions: each has its own resources, rows tagged with their region.
    let out = run(
        &emu,
        &[
            "create",
            "aws.logs.log_groups",
            "--region",
            "eu-west-1",
            "--data",
            r#"{"LogGroupName":"west"}"#,
        ],
    )
    .await;
    ok(&out);
    let out = run(
        &emu,
        &[
            "list",
            "aws.logs.log_groups",
            "--region",
            "us-east-1,eu-west-1",
            "--format",
            "jsonl",
        ],
    )
    .await;
    ok(&out);
    let rows: Vec<(String, String)> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| {
            (
                v["LogGroupName"].as_str().unwrap().to_owned(),
                v["region"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("app-logs".to_owned(), "us-east-1".to_owned()),
            ("west".to_owned(), "eu-west-1".to_owned())
        ]
    );

    let out = run(
        &emu,
        &[
            "delete",
            "aws.logs.log_group",
            "app-logs",
            "--format",
            "json",
        ],
    )
    .await;
    ok(&out);
    let deleted: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let token = deleted["request_token"].as_str().unwrap().to_owned();

    // Reading the deleted resource fails: exit 1 with the error on stderr.
    let out = run(&emu, &["get", "aws.logs.log_group", "app-logs"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
    // Deleting it again: the request fails; its error code and request token are printed.
    let out = run(&emu, &["delete", "aws.logs.log_group", "app-logs"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error code: NotFound"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("request token: "), "{}", stderr(&out));

    let out = run(
        &emu,
        &[
            "requests",
            "--operation",
            "delete",
            "--status",
            "success",
            "--format",
            "jsonl",
        ],
    )
    .await;
    ok(&out);
    let listed: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        listed.iter().any(|r| r["request_token"] == json!(token)),
        "{listed:?}"
    );
    assert!(listed
        .iter()
        .all(|r| r["operation"] == "DELETE" && r["status"] == "SUCCESS"));
    let out = run(&emu, &["resume", &token, "--format", "json"]).await;
    ok(&out);
    let resumed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(resumed["operation"], "DELETE");
    // A finished request cannot be cancelled: AWS says no (exit 1).
    let out = run(&emu, &["cancel", &token]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // Usage errors exit 2: a missing patch, an unknown resource, a bad filter value.
    let out = run(&emu, &["update", "aws.logs.log_group", "app-logs"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&emu, &["get", "aws.logs.log_grup", "x"]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = run(&emu, &["requests", "--status", "DONE"]).await;
    assert_eq!(out.status.code(), Some(2));
    emu.shutdown().await;
}

/// `list --region a,b,c` with one region in an outage (every request answered
/// `ServiceUnavailable`): the other regions' rows are all printed, the failure names its region
/// on stderr, and the exit status is 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_in_an_outage_keeps_the_other_regions_rows() {
    let mut config = Config::new(specs());
    config
        .faults
        .unavailable_regions
        .insert("ap-southeast-2".to_owned());
    let emu = Emulator::start(config).await.expect("emulator starts");
    for (region, count) in [("us-east-1", 120), ("eu-west-1", 3)] {
        for i in 0..count {
            emu.seed_resource_in(
                region,
                "AWS::Logs::LogGroup",
                json!({"LogGroupName": format!("{region}-{i:03}")}),
            )
            .expect("seeded");
        }
    }
    let out = run(
        &emu,
        &[
            "list",
            "aws.logs.log_groups",
            "--region",
            "us-east-1,ap-southeast-2,eu-west-1",
            "--format",
            "jsonl",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let in_region = |region: &str| rows.iter().filter(|r| r["region"] == region).count();
    assert_eq!(in_region("us-east-1"), 120);
    assert_eq!(in_region("eu-west-1"), 3);
    assert_eq!(rows.len(), 123);
    let err = stderr(&out);
    assert!(err.contains("error: ap-southeast-2: "), "{err}");
    assert!(err.contains("ServiceUnavailable"), "{err}");
    assert!(err.contains("1 of 3 regions failed"), "{err}");
    emu.shutdown().await;
}

/// On a terminal (a pseudo-terminal from util-linux `script`), a wait longer than a second
/// shows its status and request token on stderr, redrawn in place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_wait_on_a_terminal_shows_status_and_request_token() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` (a pseudo-terminal) is not installed");
        return;
    }
    let emu = start(50).await;
    let cli = env!("CARGO_BIN_EXE_cloudcontrol");
    let mut command = Command::new("script");
    command.args([
        "-qec",
        &format!(
            "'{cli}' create aws.codeconnections.connections --wait-deadline 2 \
             --data '{{\"ConnectionName\":\"tty\",\"ProviderType\":\"GitHub\"}}'"
        ),
        "/dev/null",
    ]);
    let out = output(aws_environment(command, &emu)).await;
    // The terminal's bytes: the progress line(s), then the error once the deadline passed.
    let screen = stdout(&out);
    assert!(
        screen.contains("\r\x1b[2KCREATE AWS::CodeConnections::Connection IN_PROGRESS ("),
        "{screen:?}"
    );
    let token = screen
        .lines()
        .find_map(|l| l.strip_prefix("request token: "))
        .expect("the error prints the request token")
        .trim();
    assert!(
        screen.contains(&format!("s, request token {token})")),
        "{screen:?}"
    );
    emu.shutdown().await;
}
