//! Hostile clients: oversized and self-multiplying requests, pathological schemas, unbounded
//! bookkeeping and slow connections (issue 10, items 8-12). Limits are lowered through
//! `Config::limits` so that every test takes well under a second of waiting.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_cloudcontrol as cc;
use cc::error::ProvideErrorMetadata;
use cc::types::OperationStatus;
use cloudcontrol_emulator::{Config, Credentials, Limits};
use common::*;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const THING: &str = "AWS::Hostile::Thing";

/// A spec whose `Node` alternatives all recurse into the child (exponential without
/// memoising) and whose `Items` must be unique.
fn hostile_specs(dir: &Path) {
    let services = dir.join("aws/services");
    std::fs::create_dir_all(&services).expect("create spec dir");
    std::fs::write(
        dir.join("aws/provider.yaml"),
        "id: aws\nname: aws\nversion: v0\nproviderServices:\n  hostile:\n    id: hostile:v0\n    name: hostile\n    service:\n      $ref: aws/v0/services/hostile.yaml\n",
    )
    .expect("write provider.yaml");
    let node = |required: &str| {
        json!({"type": "object", "required": [required],
               "properties": {"C": {"$ref": "#/components/schemas/Node"}}})
    };
    let spec = json!({
        "openapi": "3.0.0",
        "info": {"title": "Hostile", "version": "1.0.0"},
        "components": {
            "schemas": {
                "Node": {"anyOf": [node("A"), node("B"), node("D")]},
                "Thing": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "Name": {"type": "string"},
                        "Node": {"$ref": "#/components/schemas/Node"},
                        "Items": {"type": "array", "uniqueItems": true, "items": {"type": "integer"}}
                    },
                    "required": ["Name"],
                    "x-type-name": THING,
                    "x-stackql-primary-identifier": ["Name"]
                }
            },
            "x-stackQL-resources": {
                "things": {
                    "name": "things",
                    "id": "aws.hostile.things",
                    "x-cfn-schema-name": "Thing",
                    "x-cfn-type-name": THING,
                    "x-identifiers": ["Name"],
                    "x-type": "list"
                }
            }
        }
    });
    // Written in block style, as every spec is.
    let yaml = serde_yaml::to_string(&spec).expect("spec as YAML");
    std::fs::write(services.join("hostile.yaml"), yaml).expect("write service");
}

fn config_with(limits: Limits) -> Config {
    let mut config = Config::new(fixtures());
    config.polls_until_complete = 0;
    config.limits = limits;
    config
}

fn service_code<E: ProvideErrorMetadata>(e: &E) -> String {
    format!("{:?}: {:?}", e.code(), e.message())
}

// ---- item 8 ---------------------------------------------------------------------------------

#[tokio::test]
async fn a_patch_that_copies_the_document_into_itself_stops_at_the_size_limit() {
    let emu = start(config_with(Limits::default())).await;
    let c = client(&emu);
    let ev = create(&c, LOG_GROUP, json!({"LogGroupName": "g"})).await;
    assert_eq!(ev.operation_status(), Some(&OperationStatus::Success));
    // 1 KB of patch: each `copy` from "" doubles the document (2^30 times its size at the end).
    let ops: Vec<Value> = (0..30)
        .map(|i| json!({"op": "copy", "from": "", "path": format!("/DataProtectionPolicy{i}")}))
        .collect();
    let patch = Value::Array(ops).to_string();
    assert!(patch.len() < 2048);
    let started = Instant::now();
    let err = c
        .update_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .patch_document(patch)
        .send()
        .await
        .expect_err("refused");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        err.code(),
        Some("ValidationException"),
        "{}",
        service_code(&err)
    );
    let msg = err.message().unwrap_or_default();
    assert!(msg.contains("262144") && msg.contains("operation"), "{msg}");
    // Nothing changed and the server still answers.
    let got = c
        .get_resource()
        .type_name(LOG_GROUP)
        .identifier("g")
        .send()
        .await
        .expect("get");
    let props: Value = serde_json::from_str(
        got.resource_description()
            .and_then(|d| d.properties())
            .unwrap_or("{}"),
    )
    .expect("json");
    assert_eq!(props["LogGroupName"], "g");
    assert!(props.get("DataProtectionPolicy0").is_none());
    emu.shutdown().await;
}

// ---- item 9 ---------------------------------------------------------------------------------

#[tokio::test]
async fn pathological_schemas_cost_near_linear_work_within_a_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    hostile_specs(dir.path());
    let mut config = Config::new(dir.path());
    config.polls_until_complete = 0;
    let emu = start(config).await;
    let c = client(&emu);

    // 25 levels where every alternative fails at the leaf: 3^25 checks without memoising.
    let mut node = json!({"C": 5});
    for _ in 0..25 {
        node = json!({"B": 1, "C": node});
    }
    let started = Instant::now();
    let (code, message) = create_refused(&c, THING, json!({"Name": "deep", "Node": node})).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, "ValidationException");
    assert!(message.contains("no subschema matched"), "{message}");

    // 44,000 unique items (a pairwise check makes ~1e9 comparisons under the lock).
    let items: Vec<u64> = (0..44_000).collect();
    let state = json!({"Name": "wide", "Items": items});
    assert!(state.to_string().len() < 262_144);
    let started = Instant::now();
    let ev = create(&c, THING, state).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        ev.operation_status(),
        Some(&OperationStatus::Success),
        "{:?}",
        ev.status_message()
    );
    let mut dup: Vec<u64> = (0..44_000).collect();
    dup.push(43_999);
    let (_, message) = create_refused(&c, THING, json!({"Name": "dup", "Items": dup})).await;
    assert!(message.contains("array items are not unique"), "{message}");
    emu.shutdown().await;

    // A request needing more than its work budget is refused as a whole.
    let mut config = Config::new(dir.path());
    config.limits.work_budget = 1_000;
    let emu = start(config).await;
    let c = client(&emu);
    let items: Vec<u64> = (0..5_000).collect();
    let err = c
        .create_resource()
        .type_name(THING)
        .desired_state(json!({"Name": "big", "Items": items}).to_string())
        .send()
        .await
        .expect_err("over budget");
    assert_eq!(
        err.code(),
        Some("ValidationException"),
        "{}",
        service_code(&err)
    );
    assert!(err.message().unwrap_or_default().contains("work budget"));
    assert_eq!(emu.stats().resources, 0);
    emu.shutdown().await;
}

// ---- raw HTTP helpers -------------------------------------------------------------------------

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// A complete SigV4-signed awsJson1_0 request, as raw HTTP/1.1 bytes.
fn signed_request(addr: SocketAddr, target: &str, body: &str) -> Vec<u8> {
    let creds = Credentials::default();
    let host = addr.to_string();
    let amz_date = "20250101T120000Z";
    let date = &amz_date[..8];
    let canonical_headers = format!(
        "content-type:application/x-amz-json-1.0\nhost:{host}\nx-amz-date:{amz_date}\nx-amz-target:{target}\n"
    );
    let signed = "content-type;host;x-amz-date;x-amz-target";
    let cr = format!(
        "POST\n/\n\n{canonical_headers}\n{signed}\n{}",
        hex::encode(Sha256::digest(body.as_bytes()))
    );
    let scope = format!("{date}/us-east-1/cloudcontrolapi/aws4_request");
    let sts = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(cr.as_bytes()))
    );
    let k = hmac(
        format!("AWS4{}", creds.secret_access_key).as_bytes(),
        date.as_bytes(),
    );
    let k = hmac(&k, b"us-east-1");
    let k = hmac(&k, b"cloudcontrolapi");
    let k = hmac(&k, b"aws4_request");
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={}",
        creds.access_key_id,
        hex::encode(hmac(&k, sts.as_bytes()))
    );
    format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-date: {amz_date}\r\nx-amz-target: {target}\r\nauthorization: {auth}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn unsigned_request(target: &str, body: &str) -> Vec<u8> {
    format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: {target}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Reads one response head (status line and headers) and its Content-Length body; `None` on
/// EOF, or when nothing complete arrives within `wait`.
async fn read_response(s: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut buf = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Some(String::from_utf8_lossy(&buf[..end + 4 + len]).into_owned());
            }
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return None,
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Whether the server closes the connection within `wait` (EOF or reset, no response).
async fn closed_within(s: &mut TcpStream, wait: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    loop {
        match tokio::time::timeout(wait, s.read(&mut chunk)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

// ---- item 11 --------------------------------------------------------------------------------

#[tokio::test]
async fn only_known_authenticated_operations_are_counted() {
    let emu = start(config_with(Limits::default())).await;
    let addr = emu.local_addr();
    let mut s = TcpStream::connect(addr).await.expect("connect");
    for i in 0..50 {
        let target = format!("CloudApiService.{}{i}", "X".repeat(2000));
        s.write_all(&unsigned_request(&target, "{}"))
            .await
            .expect("send");
        let r = read_response(&mut s, Duration::from_secs(5))
            .await
            .expect("answer");
        assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    }
    // Signed, but not an operation of the service.
    let target = format!("CloudApiService.{}", "Y".repeat(2000));
    s.write_all(&signed_request(addr, &target, "{}"))
        .await
        .expect("send");
    let r = read_response(&mut s, Duration::from_secs(5))
        .await
        .expect("answer");
    assert!(r.contains("UnknownOperationException"), "{r}");
    // An unsigned known operation is not counted either; a signed one is.
    s.write_all(&unsigned_request("CloudApiService.GetResource", "{}"))
        .await
        .expect("send");
    read_response(&mut s, Duration::from_secs(5))
        .await
        .expect("answer");
    s.write_all(&signed_request(
        addr,
        "CloudApiService.ListResources",
        &json!({"TypeName": LOG_GROUP}).to_string(),
    ))
    .await
    .expect("send");
    let r = read_response(&mut s, Duration::from_secs(5))
        .await
        .expect("answer");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
    let stats = emu.stats();
    assert_eq!(stats.requests, 53);
    assert_eq!(
        stats.operations.into_iter().collect::<Vec<_>>(),
        vec![("ListResources".to_owned(), 1)]
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn request_and_client_token_records_are_bounded_by_count_and_age() {
    let limits = Limits {
        max_request_records: 3,
        ..Limits::default()
    };
    let emu = start(config_with(limits)).await;
    let c = client(&emu);
    let mut tokens = Vec::new();
    for i in 0..5 {
        let ev = c
            .create_resource()
            .type_name(LOG_GROUP)
            .desired_state(json!({"LogGroupName": format!("g{i}")}).to_string())
            .client_token(format!("ct{i}"))
            .send()
            .await
            .expect("create")
            .progress_event
            .expect("event");
        tokens.push(ev.request_token().unwrap_or_default().to_owned());
    }
    let listed = c.list_resource_requests().send().await.expect("list");
    let listed: Vec<&str> = listed
        .resource_request_status_summaries()
        .iter()
        .filter_map(|e| e.request_token())
        .collect();
    assert_eq!(
        listed,
        tokens[2..].iter().map(String::as_str).collect::<Vec<_>>()
    );
    let err = c
        .get_resource_request_status()
        .request_token(&tokens[0])
        .send()
        .await
        .expect_err("dropped");
    assert!(err
        .into_service_error()
        .is_request_token_not_found_exception());
    // The ClientToken record went with its request: reusing `ct0` is a new request.
    let ev = c
        .create_resource()
        .type_name(LOG_GROUP)
        .desired_state(json!({"LogGroupName": "other"}).to_string())
        .client_token("ct0")
        .send()
        .await
        .expect("not a conflict")
        .progress_event
        .expect("event");
    assert_ne!(ev.request_token(), Some(tokens[0].as_str()));
    // A kept one still replays.
    let ev = c
        .create_resource()
        .type_name(LOG_GROUP)
        .desired_state(json!({"LogGroupName": "g4"}).to_string())
        .client_token("ct4")
        .send()
        .await
        .expect("replay")
        .progress_event
        .expect("event");
    assert_eq!(ev.request_token(), Some(tokens[4].as_str()));
    emu.shutdown().await;

    let limits = Limits {
        request_record_ttl: Duration::from_millis(200),
        ..Limits::default()
    };
    let emu = start(config_with(limits)).await;
    let c = client(&emu);
    let ev = create(&c, LOG_GROUP, json!({"LogGroupName": "old"})).await;
    let token = ev.request_token().unwrap_or_default().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let err = c
        .get_resource_request_status()
        .request_token(&token)
        .send()
        .await
        .expect_err("expired");
    assert!(err
        .into_service_error()
        .is_request_token_not_found_exception());
    let listed = c.list_resource_requests().send().await.expect("list");
    assert!(listed.resource_request_status_summaries().is_empty());
    emu.shutdown().await;
}

// ---- item 12 --------------------------------------------------------------------------------

fn slow_client_limits() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(300),
        body_read_timeout: Duration::from_millis(300),
        max_body_bytes: 1000,
        ..Limits::default()
    }
}

#[tokio::test]
async fn half_sent_and_idle_connections_are_closed() {
    let emu = start(config_with(slow_client_limits())).await;
    let addr = emu.local_addr();
    // Half a request head.
    let mut half = TcpStream::connect(addr).await.expect("connect");
    half.write_all(b"POST / HTTP/1.1\r\nhost: x\r\n")
        .await
        .expect("send");
    // A connection that never sends anything.
    let mut silent = TcpStream::connect(addr).await.expect("connect");
    // A keep-alive connection idle after one answered request.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    idle.write_all(&unsigned_request("CloudApiService.GetResource", "{}"))
        .await
        .expect("send");
    read_response(&mut idle, Duration::from_secs(5))
        .await
        .expect("answer");
    // A head with half its body.
    let mut slow_body = TcpStream::connect(addr).await.expect("connect");
    slow_body
        .write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n12345")
        .await
        .expect("send");
    for (name, s) in [
        ("half head", &mut half),
        ("silent", &mut silent),
        ("idle", &mut idle),
    ] {
        assert!(
            closed_within(s, Duration::from_secs(3)).await,
            "{name} connection stayed open"
        );
    }
    let r = read_response(&mut slow_body, Duration::from_secs(3))
        .await
        .expect("slow body answered");
    assert!(r.starts_with("HTTP/1.1 408"), "{r}");
    emu.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_before_they_are_read() {
    let emu = start(config_with(slow_client_limits())).await;
    let addr = emu.local_addr();
    // Announces 10 MB, sends none of it, and is not signed: answered at once.
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10000000\r\n\r\n")
        .await
        .expect("send");
    let r = read_response(&mut s, Duration::from_secs(2))
        .await
        .expect("answered before the body");
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    assert!(r.contains("exceeds the limit of 1000 bytes"), "{r}");
    // Chunked (no length announced): cut off at the limit.
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let chunk = "x".repeat(1500);
    s.write_all(
        format!(
            "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n",
            chunk.len()
        )
        .as_bytes(),
    )
    .await
    .expect("send");
    let r = read_response(&mut s, Duration::from_secs(2))
        .await
        .expect("answered");
    assert!(r.starts_with("HTTP/1.1 413"), "{r}");
    emu.shutdown().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let limits = Limits {
        max_connections: 2,
        ..slow_client_limits()
    };
    let emu = start(config_with(limits)).await;
    let addr = emu.local_addr();
    let started = Instant::now();
    let _a = TcpStream::connect(addr).await.expect("connect");
    let _b = TcpStream::connect(addr).await.expect("connect");
    // The third is accepted only when one of the silent two is closed by the header timeout.
    let mut third = TcpStream::connect(addr).await.expect("connect (backlog)");
    third
        .write_all(&unsigned_request("CloudApiService.GetResource", "{}"))
        .await
        .expect("send");
    let r = read_response(&mut third, Duration::from_secs(3))
        .await
        .expect("served once a slot is free");
    assert!(r.starts_with("HTTP/1.1 403"), "{r}");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "served after {:?}, before a slot was free",
        started.elapsed()
    );
    emu.shutdown().await;
}

#[test]
fn default_limits_are_the_ones_the_readme_states() {
    let l = Limits::default();
    let expected = Limits {
        max_body_bytes: 1_048_576,
        max_document_bytes: 262_144,
        work_budget: 10_000_000,
        max_request_records: 10_000,
        max_request_record_bytes: 64 << 20,
        request_record_ttl: Duration::from_secs(24 * 3600),
        header_read_timeout: Duration::from_secs(10),
        body_read_timeout: Duration::from_secs(10),
        max_connections: 512,
        accept_error_log_interval: Duration::from_secs(5),
    };
    assert_eq!(l, expected);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README");
    let section = readme
        .split("### Emulator")
        .nth(1)
        .expect("README has a '### Emulator' limits subsection");
    for figure in [
        "1,048,576 bytes",
        "262,144 bytes",
        "10,000,000",
        "10,000 records",
        "64 MiB",
        "24 hours",
        "10 s",
        "512 connections",
        "once per 5 s",
    ] {
        assert!(
            section.contains(figure),
            "README limits do not mention {figure}"
        );
    }
}
