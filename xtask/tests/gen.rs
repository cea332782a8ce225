//! `cargo xtask gen` as maintainers run it: `--check` finds hand-edited, missing and
//! no-longer-produced files; bad specs fail with the file and the path inside it and leave
//! the output untouched; the committed `generated/` is up to date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture_specs() -> PathBuf {
    repo().join("generator/tests/fixtures/specs")
}

fn xtask(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).expect("prefix").to_path_buf(),
                    std::fs::read(&path).expect("read"),
                );
            }
        }
    }
    files
}

fn gen_into(specs: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "gen",
        "--specs",
        specs.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
    ];
    args.extend_from_slice(extra);
    xtask(&args)
}

#[test]
fn check_reports_edited_missing_and_extra_files() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("generated");
    let specs = fixture_specs();
    let generated = gen_into(&specs, &out, &[]);
    assert!(generated.status.success(), "{}", stderr(&generated));
    assert!(
        stderr(&generated).contains("gen: 1 services, 2 resources"),
        "{}",
        stderr(&generated)
    );

    let clean = gen_into(&specs, &out, &["--check"]);
    assert!(
        clean.status.success(),
        "fresh output must be up to date: {}",
        stderr(&clean)
    );

    let docs = out.join("docs/aws-docs/providers/aws/widgets");
    let edited = docs.join("widget/index.md");
    let mut text = std::fs::read_to_string(&edited).expect("page");
    text.push_str("hand edit\n");
    std::fs::write(&edited, text).expect("edit");
    std::fs::remove_file(docs.join("widgets/index.md")).expect("remove");
    // A page an earlier gen wrote (listed in the manifest) that is no longer produced, a file
    // gen never wrote (never reported, never removed), and a staging folder a killed run left.
    std::fs::write(docs.join("old_resource.md"), "left over").expect("extra");
    let manifest = out.join(".gen-manifest");
    let mut listed = std::fs::read_to_string(&manifest).expect("manifest");
    assert!(
        listed.contains("docs/aws-docs/providers/aws/widgets/widget/index.md\n"),
        "{listed}"
    );
    listed.push_str("docs/aws-docs/providers/aws/widgets/old_resource.md\n");
    std::fs::write(&manifest, listed).expect("manifest");
    std::fs::write(docs.join("notes.md"), "mine").expect("unrelated");
    std::fs::create_dir_all(out.join(".gen-staging-killed")).expect("staging");

    let stale = gen_into(&specs, &out, &["--check"]);
    let report = stderr(&stale);
    assert!(!stale.status.success(), "check must fail: {report}");
    assert!(
        report.contains(&format!("stale: {}", edited.display())),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "missing: {}",
            docs.join("widgets/index.md").display()
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "no longer produced: {}",
            docs.join("old_resource.md").display()
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "leftover of an interrupted gen: {}",
            out.join(".gen-staging-killed").display()
        )),
        "{report}"
    );
    assert!(!report.contains("notes.md"), "{report}");
    assert!(
        // The edited page and the manifest (which lists the old page).
        report.contains("2 stale, 1 missing, 1 no longer produced, 1 leftovers"),
        "{report}"
    );

    // Regenerating repairs all four and leaves the unrelated file alone.
    assert!(gen_into(&specs, &out, &[]).status.success());
    let again = gen_into(&specs, &out, &["--check"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!docs.join("old_resource.md").exists());
    assert!(!out.join(".gen-staging-killed").exists());
    assert_eq!(
        std::fs::read_to_string(docs.join("notes.md")).expect("kept"),
        "mine"
    );
}

/// A bad spec: (what, file to change, replacements, expected fragments of the error).
type BadSpec = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// Each bad spec.
const BAD_SPECS: &[BadSpec] = &[
    (
        "malformed YAML",
        "services/widgets.yaml",
        &[("      x-type: list\n", "      x-type: [list\n")],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.widgets",
            "line",
        ],
    ),
    (
        "unresolvable $ref",
        "services/widgets.yaml",
        &[(
            "$ref: '#/components/schemas/Schedule'",
            "$ref: '#/components/schemas/Calendar'",
        )],
        &[
            "widgets.yaml",
            "components.schemas.Widget.properties.Schedule.$ref",
            "Calendar",
        ],
    ),
    (
        "x-cfn-schema-name naming no schema",
        "services/widgets.yaml",
        &[(
            "      id: aws.widgets.widget\n      x-cfn-schema-name: Widget\n",
            "      id: aws.widgets.widget\n      x-cfn-schema-name: Gadget\n",
        )],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.widget.x-cfn-schema-name",
            "Gadget",
        ],
    ),
    (
        "identifier that is not a property",
        "services/widgets.yaml",
        &[(
            "        - Schedule/ScheduleId\n",
            "        - ScheduleName\n",
        )],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.widgets.x-identifiers.1",
            "ScheduleName",
        ],
    ),
    (
        "two resources writing the same page",
        "services/widgets.yaml",
        &[
            (
                "    widget:\n      name: widget\n",
                "    Widgets:\n      name: Widgets\n",
            ),
            (
                "x-stackQL-resources/widget/methods",
                "x-stackQL-resources/Widgets/methods",
            ),
        ],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.Widgets",
            "resource name `Widgets` is not a valid name",
        ],
    ),
    (
        "a resource name that breaks a TOML key",
        "services/widgets.yaml",
        &[
            (
                "    widget:\n      name: widget\n",
                "    'a\"b c':\n      name: widget\n",
            ),
            (
                "x-stackQL-resources/widget/methods",
                "x-stackQL-resources/a\"b c/methods",
            ),
        ],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.a\\\"b c",
            "is not a valid name",
        ],
    ),
    (
        "duplicate key",
        "services/widgets.yaml",
        &[(
            "      x-type: list\n",
            "      x-type: list\n      x-type: get\n",
        )],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.widgets",
            "duplicate key `x-type`",
            "line 75: already at line 74",
        ],
    ),
    (
        "duplicate flow key",
        "services/widgets.yaml",
        &[(
            "      x-type: list\n",
            "      x-type: list\n      x-flow: [{a: 1,\n        b: {c: 2}, a: 3}]\n",
        )],
        &[
            "widgets.yaml",
            "components.x-stackQL-resources.widgets.x-flow[0]",
            "duplicate key `a`",
            "line 76: already at line 75",
        ],
    ),
    (
        "wrong shape",
        "provider.yaml",
        &[("providerServices:\n", "providerServices: 3\nx:\n")],
        &["provider.yaml", "providerServices"],
    ),
];

#[test]
fn bad_specs_fail_clearly_and_leave_output_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("generated");
    assert!(gen_into(&fixture_specs(), &out, &[]).status.success());
    let before = snapshot(&out);
    for (what, file, replacements, expected) in BAD_SPECS {
        let specs = tmp.path().join(format!("specs-{}", what.replace(' ', "-")));
        copy_dir(&fixture_specs(), &specs);
        let path = specs.join("aws").join(file);
        let mut text = std::fs::read_to_string(&path).expect("fixture");
        for (from, to) in *replacements {
            assert!(text.contains(from), "{what}: fixture lacks {from:?}");
            text = text.replacen(from, to, 1);
        }
        std::fs::write(&path, text).expect("write");
        let result = gen_into(&specs, &out, &[]);
        let message = stderr(&result);
        assert!(!result.status.success(), "{what}: must fail\n{message}");
        for fragment in *expected {
            assert!(
                message.contains(fragment),
                "{what}: error lacks {fragment:?}:\n{message}"
            );
        }
        assert_eq!(snapshot(&out), before, "{what}: output changed");
    }
}

#[test]
fn committed_generated_is_up_to_date() {
    let result = xtask(&["gen", "--check"]);
    assert!(
        result.status.success(),
        "generated/ is stale: run `cargo xtask gen`\n{}",
        stderr(&result)
    );
}

/// Service keys that are not one plain segment (`..` would put pages one level up, `a"b c`
/// breaks the crate's `Cargo.toml`) fail at `providerServices.<key>` of provider.yaml, before
/// anything is written, even when the service file exists under that name.
#[test]
fn hostile_service_keys_are_rejected_where_they_enter() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for key in ["..", ".", "a.b", "a\"b c", "Widgets"] {
        let specs = tmp.path().join("specs");
        let _ = std::fs::remove_dir_all(&specs);
        copy_dir(&fixture_specs(), &specs);
        let aws = specs.join("aws");
        std::fs::rename(
            aws.join("services/widgets.yaml"),
            aws.join(format!("services/{key}.yaml")),
        )
        .expect("rename");
        let provider = std::fs::read_to_string(aws.join("provider.yaml")).expect("provider");
        let quoted = format!("'{key}'");
        let provider = provider
            .replace("  widgets:\n", &format!("  {quoted}:\n"))
            .replace("services/widgets.yaml", &format!("services/{key}.yaml"));
        std::fs::write(aws.join("provider.yaml"), provider).expect("write");
        let out = tmp.path().join("nest/out");
        let result = gen_into(&specs, &out, &[]);
        let message = stderr(&result);
        assert!(!result.status.success(), "{key:?}: must fail\n{message}");
        assert!(message.contains("provider.yaml"), "{key:?}: {message}");
        assert!(
            message.contains(&format!("providerServices.{}", key.escape_debug())),
            "{key:?}: {message}"
        );
        assert!(message.contains("service key"), "{key:?}: {message}");
        assert!(!tmp.path().join("nest").exists(), "{key:?}: wrote output");
    }
}

/// 40,000 levels of nesting took the YAML parser 77 s; the pre-scan refuses them at once.
#[test]
fn deeply_nested_yaml_fails_fast() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let specs = tmp.path().join("specs");
    copy_dir(&fixture_specs(), &specs);
    let path = specs.join("aws/services/widgets.yaml");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let deep = format!(
        "      x-type: list\n      x-deep: {}{}\n",
        "[".repeat(40_000),
        "]".repeat(40_000)
    );
    std::fs::write(&path, text.replacen("      x-type: list\n", &deep, 1)).expect("write");
    let started = std::time::Instant::now();
    let result = gen_into(&specs, &tmp.path().join("out"), &[]);
    let message = stderr(&result);
    assert!(!result.status.success(), "{message}");
    assert!(message.contains("widgets.yaml"), "{message}");
    assert!(
        message.contains("nesting deeper than 128 levels"),
        "{message}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// Specs whose output differs from the fixture's in several files (docs pages and crate).
fn changed_specs(dir: &Path) -> PathBuf {
    let specs = dir.join("specs-new");
    copy_dir(&fixture_specs(), &specs);
    let file = specs.join("aws/services/widgets.yaml");
    let text = std::fs::read_to_string(&file).expect("fixture");
    let changed = text
        .replace("A widget {with braces}", "A changed widget {with braces}")
        .replace("The ARN.", "The changed ARN.")
        .replace("Id of the schedule.", "Changed id of the schedule.");
    assert_ne!(changed, text);
    std::fs::write(&file, changed).expect("write");
    specs
}

/// Runs `gen` with the test pause hook, waits until it pauses, and SIGKILLs it there.
fn gen_killed_at(specs: &Path, out: &Path, pause: &str, signal: &Path) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["gen", "--specs", specs.to_str().expect("utf8")])
        .args(["--out", out.to_str().expect("utf8")])
        .env(
            "XTASK_GEN_TEST_PAUSE",
            format!("{pause}:{}", signal.display()),
        )
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("xtask starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !signal.exists() {
        if let Some(status) = child.try_wait().expect("try_wait") {
            panic!("gen ended ({status}) before reaching the pause {pause}");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "gen never reached {pause}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "killed, not finished: {status}");
}

/// The files of a tree, without what an interrupted run leaves (journal, staging folders).
fn without_leftovers(
    files: BTreeMap<PathBuf, Vec<u8>>,
) -> (BTreeMap<PathBuf, Vec<u8>>, Vec<PathBuf>) {
    let (left, kept): (BTreeMap<_, _>, BTreeMap<_, _>) = files.into_iter().partition(|(p, _)| {
        let first = p.components().next().expect("component");
        let first = first.as_os_str().to_string_lossy();
        first == ".gen-journal" || first.starts_with(".gen-staging-")
    });
    (kept, left.into_keys().collect())
}

/// Issue 10 item 5 with a real process: `gen` SIGKILLed in the rename phase (after the
/// journal's commit and one rename) leaves a mix that `--check` reports as leftovers, and the next run
/// completes it into exactly the new tree; killed before the commit, the old tree is intact
/// and the next run removes the staging folder.
#[test]
fn a_sigkilled_gen_is_completed_or_rolled_back_by_the_next_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let new_specs = changed_specs(tmp.path());
    let reference_new = tmp.path().join("reference-new");
    assert!(gen_into(&new_specs, &reference_new, &[]).status.success());
    let new = snapshot(&reference_new);

    // Killed after one rename of the committed journal.
    let out = tmp.path().join("out");
    assert!(gen_into(&fixture_specs(), &out, &[]).status.success());
    let old = snapshot(&out);
    let differing = new.iter().filter(|(p, b)| old.get(*p) != Some(*b)).count();
    assert!(differing >= 3, "only {differing} files change");
    gen_killed_at(
        &new_specs,
        &out,
        "after-renames:1",
        &tmp.path().join("paused-renames"),
    );
    let (files, left) = without_leftovers(snapshot(&out));
    assert!(
        files != old && files != new,
        "killed midway: a mix of old and new files"
    );
    assert!(
        left.iter().any(|p| p == Path::new(".gen-journal")),
        "{left:?}"
    );
    let check = gen_into(&new_specs, &out, &["--check"]);
    assert!(!check.status.success());
    let message = stderr(&check);
    assert!(
        message.contains("leftover of an interrupted gen") && message.contains(".gen-journal"),
        "{message}"
    );
    let next = gen_into(&new_specs, &out, &[]);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(
        stderr(&next).contains("completed the write an interrupted run had committed"),
        "{}",
        stderr(&next)
    );
    assert_eq!(snapshot(&out), new, "wholly the new tree");
    assert!(gen_into(&new_specs, &out, &["--check"]).status.success());

    // Killed with every file staged but the journal not committed: the old tree.
    let out = tmp.path().join("out-before-commit");
    assert!(gen_into(&fixture_specs(), &out, &[]).status.success());
    gen_killed_at(
        &new_specs,
        &out,
        "before-commit",
        &tmp.path().join("paused-commit"),
    );
    let (files, left) = without_leftovers(snapshot(&out));
    assert_eq!(files, old, "wholly the old tree");
    assert!(!left.is_empty(), "the staged files are left");
    let check = gen_into(&fixture_specs(), &out, &["--check"]);
    assert!(!check.status.success());
    assert!(
        stderr(&check).contains(".gen-staging-"),
        "{}",
        stderr(&check)
    );
    assert!(gen_into(&fixture_specs(), &out, &[]).status.success());
    assert_eq!(snapshot(&out), old, "staging removed, old tree kept");
}
