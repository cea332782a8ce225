//! Times the phases of docs generation (load, render, check) over a specs root:
//! `cargo run --release -p generator --example phases -- <specs root> <out dir>`.

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let specs =
        std::path::PathBuf::from(args.next().ok_or("usage: phases <specs root> <out dir>")?);
    let out = std::path::PathBuf::from(args.next().ok_or("usage: phases <specs root> <out dir>")?);
    let started = Instant::now();
    let providers = generator::load_specs(&specs)?;
    let loaded = started.elapsed();
    let (_, output) =
        generator::render_providers(&providers, &generator::GenerateOptions { docs_only: true })?;
    let rendered = started.elapsed();
    let report = output.check(&out)?;
    let checked = started.elapsed();
    eprintln!(
        "load {loaded:.2?}, render {:.2?}, compare {:.2?} ({} stale, {} missing)",
        rendered - loaded,
        checked - rendered,
        report.stale.len(),
        report.missing.len()
    );
    Ok(())
}
