//! The Rust emitter on the real AWS provider of May 2024 (`../shared/specs/2024-05`).
//!
//! - the crate renders: a module per Cloud Control service, a feature per service, a
//!   `RESOURCES` entry per resource, docs-only services left out, the fast path formatting like
//!   quote + syn + prettyplease;
//! - real CloudFormation models (an S3 bucket, a Lambda function, a CodeConnections connection)
//!   deserialize into the generated model structs and serialize back to equal JSON, and unknown
//!   enum values survive the round trip (builds the crate with three service features);
//! - ignored (heavy, run in CI with `--ignored`): the whole crate type-checks with
//!   `--all-features` and `cargo doc` without a warning; one feature is built and timed.
//!
//! Skips (with a message) when `../shared` is not beside the checkout.

mod support;

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

use generator::model::Provider;

fn corpus() -> Option<&'static (Provider, BTreeMap<String, String>)> {
    static CORPUS: OnceLock<(Provider, BTreeMap<String, String>)> = OnceLock::new();
    let shared = test_support::shared(&[test_support::CORPUS])?;
    Some(CORPUS.get_or_init(|| {
        let mut providers =
            generator::load_specs(&shared.join("specs/2024-05")).expect("the 2024-05 corpus loads");
        let provider = providers.remove(0);
        let files = generator::rust::render_crate(&provider).expect("the 2024-05 crate renders");
        (provider, files)
    }))
}

#[test]
fn corpus_crate_has_a_module_and_feature_per_cloud_control_service() {
    let Some((provider, files)) = corpus() else {
        return;
    };
    let cloud_control: Vec<&str> = provider
        .services
        .iter()
        .filter(|s| s.cloud_control)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        cloud_control.len(),
        213,
        "Cloud Control services of 2024-05"
    );
    assert_eq!(
        files.len(),
        cloud_control.len() + 5,
        "a module per service, Cargo.toml, lib.rs, registry.rs, policy.rs and tests/read_models.rs"
    );
    assert!(files.contains_key("src/policy.rs"), "the policy module");
    let read_models = &files["tests/read_models.rs"];
    for service in &cloud_control {
        assert!(
            read_models.contains(&format!(
                "#[cfg(feature = \"{service}\")]\n#[test]\nfn {service}_read_models()"
            )),
            "{service} has no read-model test"
        );
    }
    for name in ["iam_api", "ec2_api", "s3_api", "cloud_control", "cloudhsm"] {
        assert!(
            !files.contains_key(&format!("src/{name}.rs")),
            "docs-only service {name} got a module"
        );
    }
    let manifest = &files["Cargo.toml"];
    let lib = &files["src/lib.rs"];
    for service in &cloud_control {
        assert!(
            files.contains_key(&format!("src/{service}.rs")),
            "{service} has no module"
        );
        assert!(
            manifest.contains(&format!("\n{service} = []\n")),
            "{service} has no feature"
        );
        assert!(
            lib.contains(&format!(
                "#[cfg(feature = \"{service}\")]\npub mod {service};"
            )),
            "{service} is not declared in lib.rs"
        );
    }
    let resources: usize = provider
        .services
        .iter()
        .filter(|s| s.cloud_control)
        .map(|s| s.resources.len())
        .sum();
    assert_eq!(
        lib.matches("crate::registry::").count(),
        resources,
        "one RESOURCES entry per resource"
    );
    assert_eq!(
        files["src/registry.rs"].matches("pub const ").count(),
        resources,
        "one registry constant per resource"
    );
    for (path, text) in files.iter() {
        if path.ends_with(".rs") {
            assert!(
                text.starts_with(generator::rust::HEADER),
                "{path} lacks the header"
            );
        }
    }
}

/// The fast path (doc placeholders, directly built syntax trees) formats exactly like sending
/// everything through tokens, syn's parser and prettyplease — for every service.
#[test]
fn fast_path_formats_like_quote_parse_and_prettyplease() {
    let Some((provider, files)) = corpus() else {
        return;
    };
    let mismatches: Vec<&str> = provider
        .services
        .iter()
        .filter(|s| s.cloud_control)
        .filter(|service| {
            let slow = generator::rust::render_service_with(provider, service, false, true)
                .expect("renders");
            files[&format!("src/{}.rs", service.name)] != slow
        })
        .map(|s| s.name.as_str())
        .collect();
    assert!(
        mismatches.is_empty(),
        "fast path differs for {mismatches:?}"
    );
}

#[test]
fn corpus_crate_is_deterministic() {
    let Some((provider, files)) = corpus() else {
        return;
    };
    let again = generator::rust::render_crate(provider).expect("renders again");
    assert!(again == *files, "two renders of the corpus differ");
}

fn model_path(name: &str) -> String {
    support::repo_root()
        .join("generator/tests/fixtures/rust/models")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn real_cloudformation_models_round_trip() {
    let Some((_, files)) = corpus() else { return };
    let Some(harness) = support::Harness::new("models") else {
        return;
    };
    harness.write_crate(files);
    let program = format!(
        r##"#![deny(warnings)]
use aws_cloudcontrol_resources::{{codeconnections, lambda, s3}};
use serde_json::Value;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, json: &Value) -> T {{
    let model: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{{name}}: {{e}}"));
    let back = serde_json::to_value(&model).unwrap();
    assert_eq!(&back, json, "{{name}} does not round trip");
    model
}}

fn main() {{
    let bucket_json: Value = serde_json::from_str(include_str!({bucket:?})).unwrap();
    let function_json: Value = serde_json::from_str(include_str!({function:?})).unwrap();
    let connection_json: Value = serde_json::from_str(include_str!({connection:?})).unwrap();

    let bucket: s3::Bucket = round_trip("bucket", &bucket_json);
    let versioning = bucket.versioning_configuration.as_ref().unwrap();
    assert_eq!(versioning.status, Some(s3::VersioningConfigurationStatus::Enabled));
    let rule = &bucket.bucket_encryption.as_ref().unwrap().server_side_encryption_configuration.as_ref().unwrap()[0];
    let default = rule.server_side_encryption_by_default.as_ref().unwrap();
    assert_eq!(default.sse_algorithm.as_ref().unwrap().as_str(), "aws:kms");
    assert_eq!(bucket.lifecycle_configuration.as_ref().unwrap().rules.as_ref().unwrap()[0].expiration_in_days, Some(365));

    let function: lambda::Function = round_trip("function", &function_json);
    assert_eq!(function.package_type, Some(lambda::FunctionPackageType::Zip));
    assert_eq!(function.memory_size, Some(512));
    assert_eq!(function.environment.as_ref().unwrap().variables.as_ref().unwrap()["TABLE_NAME"], "orders");

    let connection: codeconnections::Connection = round_trip("connection", &connection_json);
    assert_eq!(connection.connection_name.as_deref(), Some("my-github-connection"));
    let row = codeconnections::connections::Row::from_model("us-east-1", connection.clone());
    assert_eq!(row.connection_arn, connection.connection_arn);
    let get_row = codeconnections::connection::Row::from_model("us-east-1", connection);
    let mut expected = connection_json.clone();
    expected["region"] = Value::from("us-east-1");
    assert_eq!(serde_json::to_value(&get_row).unwrap(), expected);

    // Values newer than the specs survive.
    let mut newer = bucket_json.clone();
    newer["VersioningConfiguration"]["Status"] = Value::from("Paused");
    newer["OwnershipControls"]["Rules"][0]["ObjectOwnership"] = Value::from("SomethingNew");
    let bucket: s3::Bucket = round_trip("bucket with unknown values", &newer);
    let status = bucket.versioning_configuration.unwrap().status.unwrap();
    assert_eq!(status, s3::VersioningConfigurationStatus::from("Paused"));
    assert!(matches!(&status, s3::VersioningConfigurationStatus::Unknown(value) if value.as_str() == "Paused"));
    let mut newer = function_json.clone();
    newer["Architectures"] = serde_json::json!(["riscv64", "x86_64"]);
    let function: lambda::Function = round_trip("function with unknown values", &newer);
    assert_eq!(
        function.architectures.unwrap(),
        vec![lambda::FunctionArchitecturesItem::from("riscv64"), lambda::FunctionArchitecturesItem::X86_64]
    );

    // A known spelling parses to its variant, never to `Unknown`.
    assert_eq!("Zip".parse::<lambda::FunctionPackageType>(), Ok(lambda::FunctionPackageType::Zip));
    let odd: lambda::FunctionPackageType = "Nope".parse().unwrap();
    assert_ne!(odd, lambda::FunctionPackageType::Zip);
    assert_eq!(serde_json::to_value(&odd).unwrap(), "Nope");
    assert_eq!(lambda::FunctionPackageType::values(), &["Image", "Zip"]);

    // A create input leaves read-only properties out and requires what the schema requires.
    let input = codeconnections::CreateConnection::new(codeconnections::CreateConnectionRequired {{ connection_name: "my-github-connection".into() }}).with_provider_type("GitHub");
    assert_eq!(serde_json::to_value(&input).unwrap(), serde_json::json!({{"ConnectionName": "my-github-connection", "ProviderType": "GitHub"}}));
    println!("ok");
}}
"##,
        bucket = model_path("s3_bucket.json"),
        function = model_path("lambda_function.json"),
        connection = model_path("codeconnections_connection.json"),
    );
    harness.add_bin("models", &program);
    harness.finish(&["s3", "lambda", "codeconnections"]);
    harness.add_dependency("serde = \"1\"");
    let run = harness.cargo(&["run", "--bin", "models"]);
    assert!(
        run.status.success(),
        "round trips failed:\n{}\n{}",
        run.stdout_text(),
        run.stderr_text()
    );
    assert!(run.stdout_text().contains("ok"));
}

/// Heavy: checks and documents the whole crate. `cargo test -p generator --test rust_corpus -- --ignored`.
#[test]
#[ignore = "checks and documents the crate of the whole corpus (minutes); run in CI with --ignored"]
fn full_corpus_crate_type_checks_and_documents_without_warnings() {
    let Some((_, files)) = corpus() else { return };
    let Some(harness) = support::Harness::new("full") else {
        return;
    };
    harness.write_crate(files);
    harness.finish(&[]);

    let started = Instant::now();
    let deps = harness.cargo(&[
        "build",
        "-p",
        "serde",
        "-p",
        "serde_json",
        "-p",
        "cloudcontrol-runtime",
    ]);
    assert!(deps.status.success(), "{}", deps.stderr_text());
    eprintln!("dependencies: {:.1?}", started.elapsed());

    let started = Instant::now();
    let one = harness.cargo(&[
        "build",
        "-p",
        "aws-cloudcontrol-resources",
        "--features",
        "codeconnections",
    ]);
    assert!(one.status.success(), "{}", one.stderr_text());
    eprintln!(
        "build with feature codeconnections: {:.1?}",
        started.elapsed()
    );

    // Types only (no runtime), and the registry alone (no feature at all).
    for args in [
        &[
            "check",
            "-p",
            "aws-cloudcontrol-resources",
            "--no-default-features",
            "--features",
            "codeconnections",
        ][..],
        &[
            "check",
            "-p",
            "aws-cloudcontrol-resources",
            "--no-default-features",
        ][..],
    ] {
        let run = harness.cargo(args);
        assert!(run.status.success(), "{args:?}:\n{}", run.stderr_text());
    }

    // Every service together is type-checked, not code-generated: the one-feature build above
    // already proves the generated code builds and links, and code generation of the whole
    // crate checks nothing more of what we emit (on the 2-core CI machine: 297 s for the check
    // against 756 s for the build).
    let started = Instant::now();
    let full = harness.cargo(&[
        "check",
        "-p",
        "aws-cloudcontrol-resources",
        "--all-features",
    ]);
    assert!(
        full.status.success(),
        "the full crate does not compile without warnings:\n{}",
        full.stderr_text()
    );
    eprintln!("check with --all-features: {:.1?}", started.elapsed());

    let started = Instant::now();
    let doc = harness.cargo_doc_generated(&["--all-features"]);
    assert!(
        doc.status.success(),
        "cargo doc reported warnings:\n{}",
        doc.stderr_text()
    );
    eprintln!("cargo doc --all-features: {:.1?}", started.elapsed());
}
