//! End to end through the generated typed modules (`codeconnections::connections`,
//! `eks::nodegroups`), the runtime and the real `aws-sdk-cloudcontrol` over HTTP, against the
//! in-process emulator serving the repository's provider specs.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use aws_cloudcontrol_resources::codeconnections::{self, connections};
use aws_cloudcontrol_resources::eks::nodegroups;
use aws_cloudcontrol_resources::runtime::{all_decoded, Client, Error, PollConfig, RetrySettings};
use cloudcontrol_emulator::{Config, Credentials, Emulator, Faults};
use futures::TryStreamExt;
use serde_json::json;

const REGION: &str = "us-east-1";

fn specs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../provider-specs")
}

async fn start(adjust: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config::new(specs());
    adjust(&mut config);
    Emulator::start(config).await.expect("emulator starts")
}

/// Fast polling: tests don't wait on production delays.
fn fast_poll() -> PollConfig {
    PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(50),
        Duration::from_millis(1),
        Duration::from_millis(100),
        Duration::from_secs(20),
    )
}

fn client(emu: &Emulator) -> Client {
    let creds = Credentials::default();
    Client::builder()
        .endpoint_url(emu.endpoint_url())
        .region(REGION)
        .credentials(creds.access_key_id, creds.secret_access_key)
        .retry(RetrySettings::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(50),
        ))
        .poll(fast_poll())
        .build()
        .expect("client builds")
}

fn github(name: &str) -> connections::CreateInput {
    codeconnections::CreateConnection::new(codeconnections::CreateConnectionRequired {
        connection_name: name.to_owned(),
    })
    .with_provider_type(codeconnections::ConnectionProviderType::GitHub)
}

#[tokio::test]
async fn create_then_list_through_the_generated_module() {
    let emu = start(|_| {}).await;
    let client = client(&emu);
    let created = connections::create(&client, REGION, &github("first"))
        .await
        .unwrap();
    let model: &codeconnections::Connection = created.model.as_ref().expect("model returned");
    assert_eq!(model.connection_name.as_deref(), Some("first"));
    assert_eq!(
        model.provider_type,
        Some(codeconnections::ConnectionProviderType::GitHub)
    );
    let arn = model
        .connection_arn
        .clone()
        .expect("read-only ARN generated");
    assert_eq!(created.identifier, arn);

    let rows: Vec<connections::Row> =
        all_decoded(connections::list(&client, REGION).await.unwrap()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].connection_arn.as_deref(), Some(arn.as_str()));
    assert_eq!(rows[0].region, REGION);

    let streamed: Vec<_> = connections::list_stream(&client, REGION)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all_decoded(streamed).unwrap(), rows);
    emu.shutdown().await;
}

#[tokio::test]
async fn lists_250_resources_across_pages() {
    let emu = start(|c| c.page_size = 100).await;
    for i in 0..250 {
        emu.seed_resource(
            connections::TYPE_NAME,
            json!({"ConnectionName": format!("c{i:03}"), "ProviderType": "GitHub"}),
        )
        .unwrap();
    }
    let client = client(&emu);
    let rows = all_decoded(connections::list(&client, REGION).await.unwrap()).unwrap();
    let arns: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| r.connection_arn.clone())
        .collect();
    assert_eq!(rows.len(), 250);
    assert_eq!(
        arns.len(),
        250,
        "no duplicates, every row has its identifier"
    );
    assert!(rows.iter().all(|r| r.region == REGION));
    let pages = emu.stats().operations.get("ListResources").copied();
    assert_eq!(pages, Some(3), "250 rows in pages of 100");

    let streamed: Vec<_> = connections::list_stream(&client, REGION)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all_decoded(streamed).unwrap(), rows);
    emu.shutdown().await;
}

#[tokio::test]
async fn invalid_desired_state_is_a_typed_error_naming_the_property() {
    let emu = start(|_| {}).await;
    let client = client(&emu);
    // The typed input cannot leave out ConnectionName, but it cannot check lengths: 40
    // characters break the schema's maxLength of 32.
    let too_long = "x".repeat(40);
    let err = connections::create(&client, REGION, &github(&too_long))
        .await
        .unwrap_err();
    // AWS refuses it in the CreateResource call itself: a typed error naming the property.
    match &err {
        Error::Validation {
            message,
            property,
            type_name,
            ..
        } => {
            assert_eq!(property.as_deref(), Some("ConnectionName"));
            assert!(message.contains("ConnectionName"), "{message}");
            assert_eq!(type_name, connections::TYPE_NAME);
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    // A nested violation: a tag with an empty key (minLength 1) is reported by its path.
    let tagged = github("tagged").with_tags(vec![codeconnections::TagInput::new(
        codeconnections::TagInputRequired {
            key: String::new(),
            value: "v".to_owned(),
        },
    )]);
    let err = connections::create(&client, REGION, &tagged)
        .await
        .unwrap_err();
    assert_eq!(err.property(), Some("Tags/0/Key"), "{err:?}");
    // An enum value the schema does not know, parsed into the sealed `Unknown`.
    let odd = codeconnections::CreateConnection::new(codeconnections::CreateConnectionRequired {
        connection_name: "odd".to_owned(),
    })
    .with_provider_type(
        "Nope"
            .parse::<codeconnections::ConnectionProviderType>()
            .unwrap(),
    );
    let err = connections::create(&client, REGION, &odd)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(err.property(), Some("ProviderType"));
    assert!(err.to_string().contains("ProviderType"), "{err}");
    assert_eq!(emu.stats().creates_performed, 0);
    emu.shutdown().await;
}

#[tokio::test]
async fn throttled_batch_of_creates_succeeds_without_duplicates() {
    let emu = start(|c| {
        c.faults = Faults {
            throttle_rate: 0.3,
            seed: 11,
            ..Faults::default()
        };
    })
    .await;
    let client = client(&emu).with_retry(RetrySettings::new(
        12,
        Duration::from_millis(2),
        Duration::from_millis(40),
    ));
    let names: Vec<String> = (0..40).map(|i| format!("t{i:02}")).collect();
    let results = futures::future::join_all(names.iter().map(|name| {
        let client = client.clone();
        async move { connections::create(&client, REGION, &github(name)).await }
    }))
    .await;
    let ids: BTreeSet<String> = results.into_iter().map(|r| r.unwrap().identifier).collect();
    assert_eq!(ids.len(), 40);
    let stats = emu.stats();
    assert!(stats.throttled > 0, "faults were injected: {stats:?}");
    assert_eq!(
        stats.creates_performed, 40,
        "one resource per create: {stats:?}"
    );
    let listed = connections::list(&client, REGION).await.unwrap();
    assert_eq!(listed.len(), 40, "no duplicate resources");
    emu.shutdown().await;
}

#[tokio::test]
async fn create_past_its_deadline_returns_the_request_token() {
    let emu = start(|c| c.polls_until_complete = 6).await;
    let patient = client(&emu);
    let hasty = patient.with_poll_config(PollConfig::new(
        Duration::from_millis(20),
        Duration::from_millis(20),
        Duration::from_millis(1),
        Duration::from_millis(20),
        Duration::from_millis(50),
    ));
    let err = connections::create(&hasty, REGION, &github("slow"))
        .await
        .unwrap_err();
    let token = match &err {
        Error::Deadline { request_token, .. } => request_token.clone(),
        other => panic!("expected Deadline, got {other:?}"),
    };
    assert_eq!(err.request_token(), Some(token.as_str()));
    let created = aws_cloudcontrol_resources::runtime::resume_create::<connections::Model>(
        &patient,
        connections::TYPE_NAME,
        REGION,
        &token,
    )
    .await
    .unwrap();
    assert_eq!(
        created.model.unwrap().connection_name.as_deref(),
        Some("slow")
    );
    assert_eq!(emu.stats().creates_performed, 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn parent_scoped_list_fails_clearly_without_the_parent_and_works_with_it() {
    assert_eq!(nodegroups::LIST_REQUIRED_PROPERTIES, ["ClusterName"]);
    let emu = start(|_| {}).await;
    for (cluster, name) in [("c1", "ng-a"), ("c1", "ng-b"), ("c2", "ng-c")] {
        emu.seed_resource(
            nodegroups::TYPE_NAME,
            json!({
                "ClusterName": cluster,
                "NodegroupName": name,
                "NodeRole": "arn:aws:iam::123456789012:role/node",
                "Subnets": ["subnet-1"],
            }),
        )
        .unwrap();
    }
    let client = client(&emu);
    let err = nodegroups::list_with(&client, REGION, &json!({}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Service { .. }), "{err:?}");
    assert!(err.to_string().contains("ClusterName"), "{err}");

    let c1 = all_decoded(nodegroups::list(&client, REGION, "c1").await.unwrap()).unwrap();
    assert_eq!(c1.len(), 2, "{c1:?}");
    assert!(c1
        .iter()
        .all(|row| row.id.is_some() && row.region == REGION));
    let c2: Vec<_> = nodegroups::list_stream(&client, REGION, "c2")
        .try_collect()
        .await
        .unwrap();
    let c2: Vec<nodegroups::Row> = all_decoded(c2).unwrap();
    assert_eq!(c2.len(), 1);
    let with = all_decoded(
        nodegroups::list_with(&client, REGION, &json!({"ClusterName": "c1"}))
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(with, c1);
    emu.shutdown().await;
}

/// The registry is complete without any service feature: the CLI relies on it.
#[test]
fn registry_is_sorted_and_finds_every_resource() {
    let resources = aws_cloudcontrol_resources::RESOURCES;
    assert!(resources.len() > 3000);
    assert!(resources.windows(2).all(|w| w[0].id < w[1].id));
    let info = aws_cloudcontrol_resources::resource("aws.codeconnections.connections").unwrap();
    assert_eq!(info, &connections::RESOURCE);
    assert_eq!(info.identifier_columns, ["connection_arn"]);
    assert!(aws_cloudcontrol_resources::resource("aws.s3.buckets").is_some());
}

/// Issue 14: one bad resource never sinks a list. 1,000 resources, 3 of them stored with values
/// the model cannot decode (a number where a string belongs, an object for a list, a string for
/// an enum list item's object): the generated `list` returns 997 typed rows and 3 undecoded
/// items naming their identifiers, with the raw JSON and the JSON path; the stream does the
/// same; nothing is skipped. Nested required members missing and unknown members are not
/// failures: they decode, and the unknown members survive a re-serialisation.
#[tokio::test]
async fn a_list_of_1000_with_3_undecodable_resources_returns_997_rows_and_3_undecoded_items() {
    use aws_cloudcontrol_resources::runtime::ListItem;
    let emu = start(|c| c.page_size = 100).await;
    let arn =
        |i: usize| format!("arn:aws:codeconnections:us-east-1:123456789012:connection/bad-{i}");
    let mut bad: BTreeSet<String> = BTreeSet::new();
    let bad_values = [
        json!({"ConnectionName": 42}),
        json!({"ConnectionName": "b", "Tags": {"Key": "not-a-list"}}),
        json!({"ConnectionName": "c", "Tags": ["not-an-object"]}),
    ];
    for (i, value) in bad_values.into_iter().enumerate() {
        let mut value = value;
        value["ConnectionArn"] = json!(arn(i));
        emu.seed_raw_resource(connections::TYPE_NAME, &arn(i), value)
            .unwrap();
        bad.insert(arn(i));
    }
    // Lenient but decodable: a nested required member (`Value`) missing, unknown members at
    // the top and in a nested object.
    let odd = "arn:aws:codeconnections:us-east-1:123456789012:connection/odd";
    emu.seed_raw_resource(
        connections::TYPE_NAME,
        odd,
        json!({"ConnectionArn": odd, "ConnectionName": "odd", "Tags": [{"Key": "a", "Colour": "red"}], "NewProp": 1}),
    )
    .unwrap();
    for i in 0..996 {
        emu.seed_resource(
            connections::TYPE_NAME,
            json!({"ConnectionName": format!("c{i:04}"), "ProviderType": "GitHub"}),
        )
        .unwrap();
    }
    let client = client(&emu);
    let items = connections::list(&client, REGION).await.unwrap();
    assert_eq!(items.len(), 1000, "nothing skipped");
    let rows: Vec<&connections::Row> = items.iter().filter_map(ListItem::decoded).collect();
    let undecoded: Vec<_> = items.iter().filter_map(ListItem::undecoded).collect();
    assert_eq!(rows.len(), 997);
    assert_eq!(undecoded.len(), 3);
    let named: BTreeSet<String> = undecoded
        .iter()
        .filter_map(|u| u.identifier.clone())
        .collect();
    assert_eq!(named, bad);
    for u in &undecoded {
        assert_eq!(u.type_name, connections::TYPE_NAME);
        assert_eq!(u.region, REGION);
        assert_eq!(
            u.raw["ConnectionArn"].as_str(),
            u.identifier.as_deref(),
            "raw JSON attached"
        );
        assert!(
            u.path == "ConnectionName" || u.path.starts_with("Tags"),
            "JSON path named: {}",
            u.path
        );
    }
    assert!(rows
        .iter()
        .any(|r| r.connection_arn.as_deref() == Some(odd)));

    // The stream yields the same items and goes on past the undecoded ones.
    let streamed: Vec<_> = connections::list_stream(&client, REGION)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, items);

    // The raw sibling returns every resource as JSON, the odd one with its unknown members.
    let raw = connections::list_raw(&client, REGION).await.unwrap();
    assert_eq!(raw.len(), 1000);
    let odd_raw = raw
        .iter()
        .find(|v| v["ConnectionArn"] == odd)
        .expect("odd resource listed raw");
    assert_eq!(odd_raw["NewProp"], 1);

    // The typed model of the odd resource keeps the unknown members at every depth.
    let model: codeconnections::Connection = serde_json::from_value(odd_raw.clone()).unwrap();
    assert_eq!(model.extra["NewProp"], 1);
    let tags = model.tags.as_ref().expect("tags");
    assert_eq!(
        tags[0].value, None,
        "missing nested required member decodes"
    );
    assert_eq!(tags[0].extra["Colour"], "red");
    assert_eq!(serde_json::to_value(&model).unwrap(), *odd_raw);
    emu.shutdown().await;
}

/// `get_raw`, the raw sibling of the generated `get` (issue 14 point 4): it returns the
/// properties JSON as AWS sent it, unknown members included, even where the typed `get` fails
/// to decode (and then carries the same JSON); a missing resource is `NotFound` for both.
#[tokio::test]
async fn get_raw_returns_the_json_that_get_decodes_or_cannot_decode() {
    use aws_cloudcontrol_resources::codeconnections::connection;
    let emu = start(|_| {}).await;
    let client = client(&emu);
    let created = connections::create(&client, REGION, &github("raw"))
        .await
        .unwrap();
    let typed: codeconnections::Connection = connection::get(&client, REGION, &created.identifier)
        .await
        .unwrap();
    let raw = connection::get_raw(&client, REGION, &created.identifier)
        .await
        .unwrap();
    assert_eq!(raw["ConnectionName"], "raw");
    assert_eq!(raw, serde_json::to_value(&typed).unwrap());

    // A value the model cannot decode: `get` fails, `get_raw` returns it untouched.
    let bad = "arn:aws:codeconnections:us-east-1:123456789012:connection/bad";
    let sent = json!({"ConnectionArn": bad, "ConnectionName": 42, "NewProp": {"a": [1, 2]}});
    emu.seed_raw_resource(connection::TYPE_NAME, bad, sent.clone())
        .unwrap();
    match connection::get(&client, REGION, bad).await {
        Err(Error::Decode { path, raw, .. }) => {
            assert_eq!(path, "ConnectionName");
            assert_eq!(*raw, sent);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        connection::get_raw(&client, REGION, bad).await.unwrap(),
        sent
    );

    let missing = "arn:aws:codeconnections:us-east-1:123456789012:connection/none";
    assert!(matches!(
        connection::get_raw(&client, REGION, missing).await,
        Err(Error::NotFound { .. })
    ));
    emu.shutdown().await;
}
