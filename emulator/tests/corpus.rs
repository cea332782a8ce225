//! Every resource type of the real StackQL corpus (`../shared/specs/2024-05`) loads, and a
//! minimal desired state built from its schema (`example::desired_state`) is created, read and listed through the SDK.
//! Skips with a message when `../shared` is absent.

mod common;

use std::time::Instant;

use aws_sdk_cloudcontrol::types::OperationStatus;
use cloudcontrol_emulator::example::{self, Fill};
use cloudcontrol_emulator::{Config, Registry};
use common::*;

fn corpus() -> Option<std::path::PathBuf> {
    let p = test_support::shared(&[test_support::CORPUS])?.join("specs/2024-05");
    p.is_dir().then_some(p)
}

#[tokio::test]
async fn every_corpus_type_creates_gets_and_lists() {
    let Some(root) = corpus() else {
        return;
    };
    let t = Instant::now();
    let registry = Registry::index(&root).unwrap();
    println!(
        "indexed {} types in {:?}",
        registry.type_count(),
        t.elapsed()
    );
    assert_eq!(registry.type_count(), 965);

    let mut config = Config::new(&root);
    config.polls_until_complete = 0;
    config.preload = true;
    let t = Instant::now();
    let emu = start(config).await;
    println!("started with every service parsed in {:?}", t.elapsed());
    let c = client(&emu);
    let names: Vec<String> = emu.registry().type_names().map(str::to_owned).collect();
    let mut failures = Vec::new();
    let mut created = 0;
    for name in &names {
        let ti = emu.registry().get(name).unwrap();
        assert!(!ti.primary_identifier.is_empty(), "{name}");
        if !ti.supports("create") {
            continue;
        }
        let state = example::desired_state(&ti, Fill::Required);
        // An invalid sample is refused in the call itself (ValidationException): a failure too.
        let ev = match c
            .create_resource()
            .type_name(name)
            .desired_state(state.to_string())
            .send()
            .await
        {
            Ok(out) => out.progress_event.unwrap(),
            Err(e) => {
                failures.push(format!("{name}: {:?}", e.into_service_error()));
                continue;
            }
        };
        if ev.operation_status() != Some(&OperationStatus::Success) {
            failures.push(format!("{name}: {:?}", ev.status_message()));
            continue;
        }
        created += 1;
        let id = ev.identifier().unwrap();
        let got = c.get_resource().type_name(name).identifier(id).send().await;
        assert!(got.is_ok(), "{name} {id}: {got:?}");
        if ti.supports("list") {
            let page = c.list_resources().type_name(name).send().await.unwrap();
            assert_eq!(page.resource_descriptions().len(), 1, "{name}");
        }
    }
    println!("created {created} of {} corpus types", names.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(created > 900);
    emu.shutdown().await;
}
