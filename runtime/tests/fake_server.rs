//! Behaviour the emulator cannot provoke on demand (looping tokens, endless throttling,
//! server faults on create, leaks into errors and logs), driven through the real SDK over HTTP
//! against a scripted loopback server.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudcontrol_runtime::{Client, Error, PollConfig, RetrySettings};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One recorded request: the operation (from `X-Amz-Target`) and its JSON body.
#[derive(Debug, Clone)]
struct Seen {
    operation: String,
    body: Value,
}

type Handler = dyn Fn(usize, &str, &Value) -> (u16, Value) + Send + Sync;

/// Starts a minimal awsJson1_0 server on 127.0.0.1 answering with `handler(n, op, body)`
/// where `n` counts requests of that operation from 0.
async fn serve(handler: Arc<Handler>) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let handler = Arc::clone(&handler);
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut reader = BufReader::new(sock);
                loop {
                    let mut target = String::new();
                    let mut len = 0usize;
                    let mut line = String::new();
                    // Request line, then headers up to the blank line.
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() {
                            break;
                        }
                        let (k, v) = l.split_once(':').unwrap_or((l, ""));
                        match k.to_ascii_lowercase().as_str() {
                            "content-length" => len = v.trim().parse().unwrap_or(0),
                            "x-amz-target" => target = v.trim().to_owned(),
                            _ => {}
                        }
                    }
                    let mut body = vec![0u8; len];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    let op = target.rsplit('.').next().unwrap_or("").to_owned();
                    let n = {
                        let mut l = log.lock().unwrap();
                        let n = l.iter().filter(|s| s.operation == op).count();
                        l.push(Seen {
                            operation: op.clone(),
                            body: body.clone(),
                        });
                        n
                    };
                    let (status, reply) = handler(n, &op, &body);
                    let reply = reply.to_string();
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.0\r\n\
                         x-amzn-requestid: r-{n}\r\ncontent-length: {}\r\n\r\n",
                        reply.len()
                    );
                    let sock = reader.get_mut();
                    if sock.write_all(head.as_bytes()).await.is_err()
                        || sock.write_all(reply.as_bytes()).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    (url, seen)
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETLEAK";
const ACCESS: &str = "AKIDACCESSLEAK";

fn client(url: &str, attempts: u32) -> Client {
    Client::builder()
        .endpoint_url(url)
        .credentials(ACCESS, SECRET)
        .retry(RetrySettings::new(
            attempts,
            Duration::from_millis(2),
            Duration::from_millis(10),
        ))
        .poll(PollConfig::new(
            Duration::from_millis(5),
            Duration::from_millis(20),
            Duration::from_millis(5),
            Duration::from_millis(50),
            Duration::from_secs(5),
        ))
        .build()
        .unwrap()
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[derive(serde::Deserialize, Debug)]
struct Row {
    #[serde(rename = "Name")]
    name: String,
}

#[tokio::test]
async fn repeated_next_token_is_a_pagination_loop_error() {
    // Page 1 returns token "t1"; every later page returns "t1" again (a buggy service).
    let (url, seen) = serve(Arc::new(|n, _op, _body| {
        let items = json!([{"Identifier": format!("id{n}"), "Properties": format!("{{\"Name\":\"r{n}\"}}")}]);
        (200, json!({"TypeName": "AWS::A::B", "ResourceDescriptions": items, "NextToken": "t1"}))
    }))
    .await;
    let err = cloudcontrol_runtime::list::<Row>(&client(&url, 1), "AWS::A::B", "us-east-1", None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PaginationLoop { page: 2, .. }),
        "{err:?}"
    );
    // Exactly two pages were fetched: the loop was detected, not followed.
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn empty_pages_with_tokens_are_followed_and_resource_model_is_sent() {
    let (url, seen) = serve(Arc::new(|n, _op, _body| match n {
        0 => (200, json!({"ResourceDescriptions": [], "NextToken": "a"})),
        1 => (200, json!({"ResourceDescriptions": [{"Identifier": "x", "Properties": "{\"Name\":\"x\"}"}], "NextToken": "b"})),
        _ => (200, json!({"ResourceDescriptions": [{"Identifier": "y", "Properties": "{\"Name\":\"y\"}"}]})),
    }))
    .await;
    let parent = json!({"ClusterName": "c1"});
    let items = cloudcontrol_runtime::list::<Row>(
        &client(&url, 1),
        "AWS::A::B",
        "us-east-1",
        Some(&parent),
    )
    .await
    .unwrap();
    let rows = cloudcontrol_runtime::all_decoded(items).unwrap();
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["x", "y"]);
    let seen = seen.lock().unwrap();
    let tokens: Vec<_> = seen
        .iter()
        .map(|s| s.body.get("NextToken").cloned())
        .collect();
    assert_eq!(tokens, [None, Some(json!("a")), Some(json!("b"))]);
    for s in seen.iter() {
        // ResourceModel travels as a JSON *string*, on every page.
        assert_eq!(s.body["ResourceModel"], json!("{\"ClusterName\":\"c1\"}"));
    }
}

#[tokio::test]
async fn endless_throttling_becomes_throttled_after_the_configured_attempts() {
    let (url, seen) = serve(Arc::new(|_, _, _| {
        (
            429,
            json!({"__type": "ThrottlingException", "Message": "Rate exceeded"}),
        )
    }))
    .await;
    let err = cloudcontrol_runtime::list::<Row>(&client(&url, 4), "AWS::A::B", "us-east-1", None)
        .await
        .unwrap_err();
    match &err {
        Error::Throttled { attempts, code, .. } => {
            assert_eq!(*attempts, 4);
            assert_eq!(code, "ThrottlingException");
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(seen.lock().unwrap().len(), 4);
}

#[tokio::test]
async fn service_errors_are_not_retried_and_keep_the_code() {
    let (url, seen) = serve(Arc::new(|_, _, _| {
        (
            404,
            json!({"__type": "TypeNotFoundException", "Message": "no such type AWS::A::B"}),
        )
    }))
    .await;
    let err = cloudcontrol_runtime::list::<Row>(&client(&url, 5), "AWS::A::B", "us-east-1", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Service { code, status: Some(404), .. } if code == "TypeNotFoundException"),
        "{err:?}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn create_retries_reuse_one_client_token_and_honour_retry_after() {
    // CreateResource: two server faults, then accepted. Status: IN_PROGRESS twice with a
    // RetryAfter, then SUCCESS with a ResourceModel (so no GetResource is needed).
    let (url, seen) = serve(Arc::new(|n, op, _body| match (op, n) {
        ("CreateResource", 0 | 1) => (502, json!({"__type": "HandlerInternalFailureException", "Message": "boom"})),
        ("CreateResource", _) => (200, json!({"ProgressEvent": {
            "TypeName": "AWS::A::B", "RequestToken": "req-1", "Operation": "CREATE",
            "OperationStatus": "IN_PROGRESS", "EventTime": now(), "RetryAfter": now() + 0.15}})),
        ("GetResourceRequestStatus", 0 | 1) => (200, json!({"ProgressEvent": {
            "TypeName": "AWS::A::B", "RequestToken": "req-1", "OperationStatus": "IN_PROGRESS",
            "Identifier": "n1", "RetryAfter": now() + 0.15}})),
        _ => (200, json!({"ProgressEvent": {"TypeName": "AWS::A::B", "RequestToken": "req-1",
            "OperationStatus": "SUCCESS", "Identifier": "n1", "ResourceModel": "{\"Name\":\"n1\"}"}})),
    }))
    .await;
    // RetryAfter bounds wide enough to honour the 150 ms the server asks for; without RetryAfter
    // the backoff (5, 10, 20 ms) would finish three polls in ~35 ms.
    let c = client(&url, 5).with_poll_config(PollConfig::new(
        Duration::from_millis(5),
        Duration::from_millis(20),
        Duration::from_millis(5),
        Duration::from_secs(1),
        Duration::from_secs(5),
    ));
    let started = std::time::Instant::now();
    let created = cloudcontrol_runtime::create::<_, Row>(
        &c,
        "AWS::A::B",
        "us-east-1",
        &json!({"Name": "n1"}),
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(300),
        "RetryAfter ignored: {elapsed:?}"
    );
    assert_eq!(created.identifier, "n1");
    assert_eq!(created.request_token, "req-1");
    assert_eq!(created.model.unwrap().name, "n1");
    let seen = seen.lock().unwrap();
    let creates: Vec<_> = seen
        .iter()
        .filter(|s| s.operation == "CreateResource")
        .collect();
    assert_eq!(creates.len(), 3);
    let token = creates[0].body["ClientToken"].as_str().unwrap();
    assert!(!token.is_empty());
    assert!(
        creates
            .iter()
            .all(|c| c.body["ClientToken"] == json!(token)),
        "{creates:?}"
    );
    assert_eq!(creates[0].body["DesiredState"], json!("{\"Name\":\"n1\"}"));
    let polls = seen
        .iter()
        .filter(|s| s.operation == "GetResourceRequestStatus")
        .count();
    assert_eq!(polls, 3);
    assert!(seen.iter().all(|s| s.operation != "GetResource"));
}

#[tokio::test]
async fn two_creates_use_different_client_tokens() {
    let (url, seen) = serve(Arc::new(|n, _op, _body| {
        (200, json!({"ProgressEvent": {"TypeName": "AWS::A::B", "RequestToken": format!("r{n}"),
            "OperationStatus": "SUCCESS", "Identifier": format!("i{n}"), "ResourceModel": "{\"Name\":\"x\"}"}}))
    }))
    .await;
    let c = client(&url, 1);
    for _ in 0..2 {
        cloudcontrol_runtime::create::<_, Row>(&c, "AWS::A::B", "us-east-1", &json!({"Name": "x"}))
            .await
            .unwrap();
    }
    let seen = seen.lock().unwrap();
    assert_ne!(seen[0].body["ClientToken"], seen[1].body["ClientToken"]);
}

#[tokio::test]
async fn success_without_model_reads_it_back_with_get_resource() {
    let (url, seen) = serve(Arc::new(|_, op, body| match op {
        "CreateResource" => (200, json!({"ProgressEvent": {"RequestToken": "q", "OperationStatus": "SUCCESS", "Identifier": "i9"}})),
        _ => {
            assert_eq!(body["Identifier"], json!("i9"));
            (200, json!({"TypeName": "AWS::A::B", "ResourceDescription": {"Identifier": "i9", "Properties": "{\"Name\":\"from-get\"}"}}))
        }
    }))
    .await;
    let created = cloudcontrol_runtime::create::<_, Row>(
        &client(&url, 1),
        "AWS::A::B",
        "us-east-1",
        &json!({}),
    )
    .await
    .unwrap();
    assert_eq!(created.model.unwrap().name, "from-get");
    assert_eq!(
        seen.lock().unwrap().last().unwrap().operation,
        "GetResource"
    );
}

#[tokio::test]
async fn cancel_complete_is_an_error_not_a_success() {
    let (url, _) = serve(Arc::new(|_, _, _| {
        (
            200,
            json!({"ProgressEvent": {"RequestToken": "q", "OperationStatus": "CANCEL_COMPLETE"}}),
        )
    }))
    .await;
    let err = cloudcontrol_runtime::create::<_, Row>(
        &client(&url, 1),
        "AWS::A::B",
        "us-east-1",
        &json!({}),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::Cancelled { request_token, .. } if request_token == "q"),
        "{err:?}"
    );
}

/// A failed, timed-out or stopped wait says which request it was: the operation, the type, the
/// request token and the identifier the delete was for (the events here carry none).
#[tokio::test]
async fn waiter_errors_name_the_operation_the_token_and_the_identifier() {
    let accepted = json!({"ProgressEvent": {"RequestToken": "tok-del", "OperationStatus": "IN_PROGRESS", "Operation": "DELETE", "TypeName": "AWS::A::B"}});
    // FAILED.
    let reply = accepted.clone();
    let (url, _) = serve(Arc::new(move |_, op, _| match op {
        "DeleteResource" => (200, reply.clone()),
        _ => (200, json!({"ProgressEvent": {"RequestToken": "tok-del", "OperationStatus": "FAILED", "ErrorCode": "InternalFailure", "StatusMessage": "boom"}})),
    }))
    .await;
    let failed = cloudcontrol_runtime::delete(&client(&url, 1), "AWS::A::B", "us-east-1", "grp-7")
        .await
        .unwrap_err();
    // A status poll refused for good (not throttling): the wait stops, naming the request.
    let reply = accepted.clone();
    let (url, _) = serve(Arc::new(move |_, op, _| match op {
        "DeleteResource" => (200, reply.clone()),
        _ => (
            400,
            json!({"__type": "InvalidRequestException", "Message": "no status for you"}),
        ),
    }))
    .await;
    let stopped = cloudcontrol_runtime::delete(&client(&url, 1), "AWS::A::B", "us-east-1", "grp-7")
        .await
        .unwrap_err();
    // Still IN_PROGRESS at the deadline.
    let reply = accepted.clone();
    let (url, _) = serve(Arc::new(move |_, _, _| (200, reply.clone()))).await;
    let short = client(&url, 1);
    let short = short.with_poll_config(
        short
            .poll_config()
            .clone()
            .with_deadline(Duration::from_millis(30)),
    );
    let timed_out = cloudcontrol_runtime::delete(&short, "AWS::A::B", "us-east-1", "grp-7")
        .await
        .unwrap_err();

    assert!(matches!(&failed, Error::RequestFailed { .. }), "{failed:?}");
    assert!(
        matches!(&timed_out, Error::Deadline { .. }),
        "{timed_out:?}"
    );
    match &stopped {
        Error::Wait { source, .. } => assert!(
            matches!(source.as_ref(), Error::Service { code, .. } if code == "InvalidRequestException"),
            "{source:?}"
        ),
        other => panic!("expected Error::Wait, got {other:?}"),
    }
    assert_eq!(stopped.code(), Some("InvalidRequestException"));
    for err in [&failed, &stopped, &timed_out] {
        let text = err.to_string();
        for part in ["DELETE", "AWS::A::B", "grp-7", "tok-del"] {
            assert!(text.contains(part), "`{part}` missing from: {text}");
        }
        assert_eq!(err.request_token(), Some("tok-del"));
        assert_eq!(
            err.operation(),
            Some(&cloudcontrol_runtime::Operation::Delete)
        );
    }
}

/// Collects every log line (all targets, TRACE) so the leak test can search them.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn credentials_never_leak_into_errors_or_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let shown = tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
            let mut shown = Vec::new();
            // A service error, a failed create, throttling, and a connection refused.
            let (url, _) = serve(Arc::new(|_, op, _| match op {
                "ListResources" => (
                    400,
                    json!({"__type": "InvalidRequestException", "Message": "bad"}),
                ),
                "CreateResource" => (
                    200,
                    json!({"ProgressEvent": {"RequestToken": "q", "OperationStatus": "FAILED",
                    "ErrorCode": "InvalidRequest", "StatusMessage": "Name is required"}}),
                ),
                _ => (
                    429,
                    json!({"__type": "ThrottlingException", "Message": "slow"}),
                ),
            }))
            .await;
            let c = client(&url, 2);
            let e1 = cloudcontrol_runtime::list::<Row>(&c, "AWS::A::B", "us-east-1", None)
                .await
                .unwrap_err();
            let e2 =
                cloudcontrol_runtime::create::<_, Row>(&c, "AWS::A::B", "us-east-1", &json!({}))
                    .await
                    .unwrap_err();
            let short = c.with_poll_config(
                c.poll_config()
                    .clone()
                    .with_deadline(Duration::from_millis(200)),
            );
            let e3 = cloudcontrol_runtime::wait_for_request(&short, "us-east-1", "q")
                .await
                .unwrap_err();
            // Port 9 on loopback: nothing listens, so the connection is refused.
            let dead = client("http://127.0.0.1:9", 2);
            let e4 = cloudcontrol_runtime::list::<Row>(&dead, "AWS::A::B", "us-east-1", None)
                .await
                .unwrap_err();
            assert!(matches!(e1, Error::Service { .. }), "{e1:?}");
            assert!(matches!(e2, Error::RequestFailed { .. }), "{e2:?}");
            assert!(
                matches!(e3, Error::Deadline { .. } | Error::Throttled { .. }),
                "{e3:?}"
            );
            assert!(matches!(e4, Error::Transport { attempts: 2, .. }), "{e4:?}");
            for e in [e1, e2, e3, e4] {
                shown.push(format!("{e} {e:?}"));
            }
            shown.push(format!("{c:?}"));
            shown
        })
    });
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("cloudcontrol.list"),
        "spans were not logged: {logs}"
    );
    for text in shown.iter().chain([&logs]) {
        assert!(!text.contains(SECRET), "secret key leaked: {text}");
        // The secret's distinctive tail, in case something logs a prefix or a slice of it.
        assert!(!text.contains("SECRETLEAK"), "secret key leaked: {text}");
    }
    for text in &shown {
        assert!(
            !text.contains(ACCESS),
            "access key id leaked into an error: {text}"
        );
    }
}
