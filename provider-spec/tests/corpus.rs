//! The committed corpus (`provider-specs/aws`, 301 service files, 27 MB): the type index read
//! by following indentation (the emulator's start-up) is the parser's, for every file, and no
//! file needs the parser.

use provider_spec::document::{SchemaHead, ServiceComponents};
use provider_spec::index::{parse_service_types, reads_fast, service_types};
use std::path::Path;

#[test]
fn every_committed_service_indexes_fast_and_as_the_parser_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider-specs/aws/services");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("provider-specs/aws/services")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() > 250, "{} files", files.len());
    let mut types = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        assert!(reads_fast(&text), "{} needs the parser", file.display());
        let fast = parse_service_types(file, &text).expect("indexes");
        let parsed: ServiceComponents<SchemaHead> =
            provider_spec::parse_yaml(file, &text).expect("parses");
        assert_eq!(
            fast,
            service_types(&parsed.components),
            "{}",
            file.display()
        );
        types += fast.len();
    }
    assert!(types > 1500, "{types} types");
}
