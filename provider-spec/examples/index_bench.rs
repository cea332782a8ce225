//! Times the type index of every service file under a directory (default: the committed
//! `provider-specs/aws/services`), single-threaded, files already in memory: the fast reader
//! against the parser. `cargo run --release -p provider-spec --example index_bench [DIR]`.

use provider_spec::document::{SchemaHead, ServiceComponents};
use provider_spec::index::{parse_service_types, service_types};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs/aws/services")
        });
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            texts.push((path, text));
        }
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let best = |f: &dyn Fn() -> usize| {
        let mut best = Duration::MAX;
        let mut types = 0;
        for _ in 0..5 {
            let t = Instant::now();
            types = f();
            best = best.min(t.elapsed());
        }
        (best, types)
    };
    let (fast, n) = best(&|| {
        texts
            .iter()
            .map(|(p, t)| parse_service_types(p, t).expect("indexes").len())
            .sum()
    });
    let (parsed, m) = best(&|| {
        texts
            .iter()
            .map(|(p, t)| {
                let doc: ServiceComponents<SchemaHead> =
                    provider_spec::parse_yaml(p, t).expect("parses");
                service_types(&doc.components).len()
            })
            .sum()
    });
    println!(
        "{} files, {:.1} MB, {n} types: fast reader {:?}, parser {:?} ({m} types); best of 5, one thread",
        texts.len(),
        bytes as f64 / 1e6,
        fast,
        parsed
    );
}
