//! How generation reaches disk: only files an earlier run recorded in the manifest are ever
//! removed; a failed or killed write leaves the old tree or the new one, never a mix.

use generator::output::{FaultInjection, Output, JOURNAL_FILE, MANIFEST_FILE};
use std::collections::BTreeMap;
use std::path::Path;

fn output(files: &[(&str, &str)]) -> Output {
    let mut out = Output::default();
    for (path, contents) in files {
        out.add((*path).to_owned(), (*contents).to_owned());
    }
    out
}

/// Every file under `dir` with its contents (the manifest and dot-files included).
fn tree(dir: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                found.insert(rel, std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    found
}

const OLD: &[(&str, &str)] = &[
    ("docs/a/index.md", "a1"),
    ("docs/b/index.md", "b1"),
    ("docs/c/index.md", "c1"),
    ("aws/src/lib.rs", "lib1"),
];
const NEW: &[(&str, &str)] = &[
    ("docs/a/index.md", "a2"),
    ("docs/b/index.md", "b2"),
    ("docs/d/index.md", "d2"),
    ("aws/src/lib.rs", "lib2"),
];

#[test]
fn only_manifest_listed_files_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    std::fs::create_dir_all(out.join("docs/mine")).unwrap();
    std::fs::write(out.join("docs/mine/notes.md"), "not generated").unwrap();
    std::fs::create_dir_all(out.join("aws")).unwrap();
    std::fs::write(out.join("aws/README.md"), "not generated").unwrap();
    output(OLD).write(out).unwrap();
    let manifest = std::fs::read_to_string(out.join(MANIFEST_FILE)).unwrap();
    assert!(manifest.contains("\ndocs/c/index.md\n"), "{manifest}");
    assert!(!manifest.contains("notes.md"), "{manifest}");

    let new = output(NEW);
    let report = new.check(out).unwrap();
    assert_eq!(report.extra, ["docs/c/index.md"]);
    let written = new.write(out).unwrap();
    assert_eq!(written.removed, 1);
    assert!(!out.join("docs/c/index.md").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("docs/mine/notes.md")).unwrap(),
        "not generated"
    );
    assert!(out.join("aws/README.md").exists());
    assert!(new.check(out).unwrap().is_clean());
}

#[test]
fn an_up_to_date_tree_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    output(OLD).write(out).unwrap();
    let report = output(OLD).write(out).unwrap();
    assert_eq!((report.written, report.removed), (0, 0));
    assert_eq!(report.unchanged, OLD.len());
}

#[test]
fn a_failed_rename_rolls_back_to_the_old_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    output(OLD).write(out).unwrap();
    let before = tree(out);
    // `docs/d/index.md` cannot be created: a non-empty folder has its name. It is renamed
    // after `aws/src/lib.rs`, `docs/a` and `docs/b`, which must be restored.
    std::fs::create_dir_all(out.join("docs/d/index.md/x")).unwrap();
    let err = output(NEW).write(out).unwrap_err().to_string();
    assert!(err.contains("docs/d/index.md"), "{err}");
    let after = tree(out);
    let without_blocker: BTreeMap<_, _> = after
        .into_iter()
        .filter(|(p, _)| !p.starts_with("docs/d/"))
        .collect();
    assert_eq!(without_blocker, before);
}

#[test]
fn a_killed_write_is_completed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    output(OLD).write(out).unwrap();
    let new = output(NEW);
    // Killed after two of the renames: a mix on disk, and the journal.
    new.write_with(
        out,
        FaultInjection {
            kill_after_renames: Some(2),
            ..FaultInjection::default()
        },
    )
    .unwrap();
    assert!(out.join(JOURNAL_FILE).exists());
    let report = new.check(out).unwrap();
    assert!(!report.is_clean());
    assert!(
        report.leftovers.iter().any(|l| l == JOURNAL_FILE),
        "{report:?}"
    );
    assert!(report
        .leftovers
        .iter()
        .any(|l| l.starts_with(".gen-staging-")));
    // The next run (of any output) first completes the journal: the new tree.
    let written = new.write(out).unwrap();
    assert!(written.recovered);
    assert!(new.check(out).unwrap().is_clean());
    let files = tree(out);
    assert_eq!(files["docs/a/index.md"], "a2");
    assert_eq!(files["docs/d/index.md"], "d2");
    assert!(!files.contains_key("docs/c/index.md"));
    assert!(!files
        .keys()
        .any(|p| p.starts_with(".gen-staging-") || p == JOURNAL_FILE));
}

#[test]
fn stale_staging_is_cleaned_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    output(OLD).write(out).unwrap();
    std::fs::create_dir_all(out.join(".gen-staging-abc")).unwrap();
    std::fs::write(out.join(".gen-staging-abc/0"), "half").unwrap();
    let report = output(OLD).check(out).unwrap();
    assert_eq!(report.leftovers, [".gen-staging-abc"]);
    output(OLD).write(out).unwrap();
    assert!(!out.join(".gen-staging-abc").exists());
    assert!(output(OLD).check(out).unwrap().is_clean());
}

#[test]
fn a_manifest_cannot_point_outside_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(tmp.path().join("victim"), "keep").unwrap();
    std::fs::write(
        out.join(MANIFEST_FILE),
        "# x\n../victim\n/etc/passwd\ndocs/../../victim\n",
    )
    .unwrap();
    output(OLD).write(&out).unwrap();
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("victim")).unwrap(),
        "keep"
    );
}

#[test]
fn without_a_manifest_only_files_with_our_header_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    // A tree written before manifests existed: a generated module that is no longer
    // produced, a Markdown page (no header, so not provably ours) and someone's file.
    std::fs::create_dir_all(out.join("aws/src")).unwrap();
    std::fs::write(
        out.join("aws/src/gone.rs"),
        "// generated by `cargo xtask gen`, do not edit\npub struct Gone;\n",
    )
    .unwrap();
    std::fs::write(out.join("aws/src/mine.rs"), "// hand written\n").unwrap();
    std::fs::create_dir_all(out.join("docs/old")).unwrap();
    std::fs::write(out.join("docs/old/index.md"), "---\ntitle: old\n---\n").unwrap();
    std::fs::create_dir_all(out.join("docs/empty-by-hand")).unwrap();
    let new = output(NEW);
    assert_eq!(new.check(out).unwrap().extra, ["aws/src/gone.rs"]);
    let written = new.write(out).unwrap();
    assert_eq!(written.removed, 1);
    assert!(!out.join("aws/src/gone.rs").exists());
    assert!(out.join("aws/src/mine.rs").exists());
    assert!(out.join("docs/old/index.md").exists());
    assert!(out.join("docs/empty-by-hand").is_dir());
    // From now on the manifest decides: it lists what this run produced, nothing else.
    let manifest = std::fs::read_to_string(out.join(MANIFEST_FILE)).unwrap();
    assert!(manifest.contains("\naws/src/lib.rs\n"), "{manifest}");
    assert!(
        !manifest.contains("mine.rs") && !manifest.contains("docs/old"),
        "{manifest}"
    );
    assert!(new.check(out).unwrap().is_clean());
}

#[test]
fn removing_a_listed_file_prunes_only_the_folders_it_emptied() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    output(OLD).write(out).unwrap();
    std::fs::create_dir_all(out.join("docs/keep-me")).unwrap();
    output(NEW).write(out).unwrap();
    assert!(!out.join("docs/c").exists(), "emptied by the removal");
    assert!(out.join("docs/keep-me").is_dir(), "empty, but not ours");
}
