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
