//! Times the Rust emitter over a specs root, one service after the other on one thread, with
//! and without doc placeholders: `cargo run --release -p generator --example rust_phases --
//! <specs root>`. (`cargo xtask gen` renders the services in parallel.)

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let specs = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/specs/2024-05".to_owned());
    let started = Instant::now();
    let providers = match generator::load_specs(std::path::Path::new(&specs)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("load (parallel): {:.3?}", started.elapsed());
    for provider in &providers {
        let started = Instant::now();
        let docs = generator::docs::render_docs(provider)
            .map(|d| d.values().map(String::len).sum::<usize>());
        eprintln!(
            "docs (parallel): {:.3?}, {:?} bytes",
            started.elapsed(),
            docs.ok()
        );
        for placeholders in [true, false] {
            let started = Instant::now();
            let mut bytes = 0;
            for service in provider.services.iter().filter(|s| s.cloud_control) {
                match generator::rust::render_service_with(
                    provider,
                    service,
                    placeholders,
                    !placeholders,
                ) {
                    Ok(text) => bytes += text.len(),
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            eprintln!(
                "rust (one thread, fast path {placeholders}): {:.3?}, {bytes} bytes",
                started.elapsed()
            );
        }
    }
}
