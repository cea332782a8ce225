//! Hostile input to the importer: names that would become paths outside `--out`, duplicate
//! keys, deep nesting and zip bombs all fail with an error naming the file, and write nothing.

use serde_json::json;
use std::path::Path;

fn schema(type_name: &str) -> serde_json::Value {
    json!({
        "typeName": type_name,
        "description": "d",
        "properties": {"Arn": {"type": "string"}},
        "primaryIdentifier": ["/properties/Arn"],
        "handlers": {"create": {"permissions": ["x:Create"]}, "list": {"permissions": ["x:List"]}},
    })
}

/// Every file under `dir`, relative.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn type_names_that_would_escape_the_output_are_rejected() {
    for type_name in [
        "AWS::../../x::Thing",
        "AWS::/tmp/victim::Thing",
        "AWS::a.b::Thing",
        "AWS::A::..",
        "AWS::A\"b c::Thing",
        "AWS::A::Thing\n",
        "AWS::Con::Thing",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(
            input.join("t.json"),
            serde_json::to_vec(&schema(type_name)).unwrap(),
        )
        .unwrap();
        let out = tmp.path().join("a/b/out");
        let err = cfn_import::import(&input, &cfn_import::ImportOptions::default(), &out)
            .expect_err(type_name);
        let message = err.to_string();
        assert!(message.contains("t.json"), "{type_name:?}: {message}");
        assert!(message.contains("/typeName"), "{type_name:?}: {message}");
        assert!(
            message.contains("not a valid name"),
            "{type_name:?}: {message}"
        );
        assert_eq!(
            files_under(tmp.path()),
            ["in/t.json"],
            "{type_name:?} wrote files"
        );
    }
}

#[test]
fn duplicate_keys_name_both_places() {
    let file = cfn_import::SourceFile {
        name: "dup.json".into(),
        bytes: br#"{"typeName": "AWS::A::B",
  "properties": {
    "Arn": {"type": "string"},
    "Arn": {"type": "integer"}
  }
}"#
        .to_vec(),
    };
    let err = cfn_import::parse(&file).unwrap_err().to_string();
    assert_eq!(
        err,
        "dup.json: duplicate key `Arn` in the object at path `properties`: first at line 3 column 5, again at line 4 column 5"
    );
}

#[test]
fn deep_nesting_fails_fast() {
    let mut text = String::from(r#"{"typeName": "AWS::A::B", "x": "#);
    text.push_str(&"[".repeat(40_000));
    text.push_str(&"]".repeat(40_000));
    text.push('}');
    let file = cfn_import::SourceFile {
        name: "deep.json".into(),
        bytes: text.into_bytes(),
    };
    let started = std::time::Instant::now();
    let err = cfn_import::parse(&file).unwrap_err().to_string();
    assert!(err.starts_with("deep.json: "), "{err}");
    assert!(err.contains("recursion limit"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Writes a zip of `(name, size in bytes of spaces)` entries, deflated (a few KB on disk).
fn zip_of(path: &Path, entries: &[(&str, usize)]) {
    zip_with(path, entries, zip::CompressionMethod::Deflated);
}

fn zip_with(path: &Path, entries: &[(&str, usize)], method: zip::CompressionMethod) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, size) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(&vec![b' '; *size]).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zip_entries_and_totals_are_capped() {
    let tmp = tempfile::tempdir().unwrap();
    let limits = cfn_import::ZipLimits {
        max_entry_bytes: 1 << 20,
        max_total_bytes: 3 << 19,
    };
    let region = cfn_import::WheelRegion::default();

    let bomb = tmp.path().join("bomb.zip");
    zip_of(&bomb, &[("aws-a-b.json", 2 << 20)]);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 64 << 10);
    let err = cfn_import::read_source_limited(&bomb, &region, &limits)
        .unwrap_err()
        .to_string();
    assert!(err.contains("bomb.zip!aws-a-b.json"), "{err}");
    assert!(
        err.contains("more than 1048576 bytes, the limit for one entry"),
        "{err}"
    );

    let many = tmp.path().join("many.zip");
    zip_of(&many, &[("a.json", 900 << 10), ("b.json", 900 << 10)]);
    let err = cfn_import::read_source_limited(&many, &region, &limits)
        .unwrap_err()
        .to_string();
    assert!(err.contains("many.zip!b.json"), "{err}");
    assert!(
        err.contains("more than 1572864 bytes, the limit for all entries together"),
        "{err}"
    );

    // The defaults, which `import` uses: 16 MiB per entry, 256 MiB in all.
    assert_eq!(cfn_import::ZipLimits::default().max_entry_bytes, 16 << 20);
    assert_eq!(cfn_import::ZipLimits::default().max_total_bytes, 256 << 20);
    let big = tmp.path().join("big.zip");
    // Stored, not deflated: deflating 16 MiB in a debug build takes seconds.
    zip_with(
        &big,
        &[("aws-a-b.json", (16 << 20) + 1)],
        zip::CompressionMethod::Stored,
    );
    let out = tmp.path().join("out");
    let err = cfn_import::import(&big, &cfn_import::ImportOptions::default(), &out)
        .unwrap_err()
        .to_string();
    assert!(err.contains("the limit for one entry"), "{err}");
    assert!(!out.exists());
}
