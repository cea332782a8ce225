//! HTTP layer: hyper server, awsJson1_0 decoding/encoding, SigV4 check, fault injection and
//! dispatch of the Cloud Control operations to the store.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

use crate::faults::{Fault, Injector};
use crate::limits::RateLimitedLog;
use crate::specs::{Registry, TypeInfo};
use crate::store::{self, ApiError, Mutation, OpSettings, Operation, Store, UpdateStart};
use crate::{iam, sigv4, Config, Error, Stats};

const CONTENT_TYPE: &str = "application/x-amz-json-1.0";
/// Times an UpdateResource is recomputed when other requests keep changing its resource.
const UPDATE_ATTEMPTS: usize = 8;
/// Region used for resources seeded directly (no signed request to take it from).
const SEED_REGION: &str = "us-east-1";

/// The Cloud Control operations the emulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    ListResources,
    CreateResource,
    GetResourceRequestStatus,
    GetResource,
    UpdateResource,
    DeleteResource,
    ListResourceRequests,
    CancelResourceRequest,
}

impl Op {
    fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "ListResources" => Op::ListResources,
            "CreateResource" => Op::CreateResource,
            "GetResourceRequestStatus" => Op::GetResourceRequestStatus,
            "GetResource" => Op::GetResource,
            "UpdateResource" => Op::UpdateResource,
            "DeleteResource" => Op::DeleteResource,
            "ListResourceRequests" => Op::ListResourceRequests,
            "CancelResourceRequest" => Op::CancelResourceRequest,
            _ => return None,
        })
    }

    const ALL: [Op; 8] = [
        Op::ListResources,
        Op::CreateResource,
        Op::GetResourceRequestStatus,
        Op::GetResource,
        Op::UpdateResource,
        Op::DeleteResource,
        Op::ListResourceRequests,
        Op::CancelResourceRequest,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::ListResources => "ListResources",
            Op::CreateResource => "CreateResource",
            Op::GetResourceRequestStatus => "GetResourceRequestStatus",
            Op::GetResource => "GetResource",
            Op::UpdateResource => "UpdateResource",
            Op::DeleteResource => "DeleteResource",
            Op::ListResourceRequests => "ListResourceRequests",
            Op::CancelResourceRequest => "CancelResourceRequest",
        }
    }

    /// Whether the service model lists `ServiceInternalErrorException` among the operation's
    /// errors (see the operation error enums of `aws-sdk-cloudcontrol`): GetResourceRequestStatus,
    /// ListResourceRequests and CancelResourceRequest do not.
    fn models_internal_error(self) -> bool {
        !matches!(
            self,
            Op::GetResourceRequestStatus | Op::ListResourceRequests | Op::CancelResourceRequest
        )
    }

    fn mutating(self) -> bool {
        matches!(
            self,
            Op::CreateResource | Op::UpdateResource | Op::DeleteResource
        )
    }
}

/// Shared server state.
pub struct State {
    pub config: Config,
    pub registry: Arc<Registry>,
    /// One store per region, as AWS keeps each region's resources and requests apart.
    stores: Mutex<BTreeMap<String, Store>>,
    faults: Injector,
    settings: OpSettings,
    requests: AtomicU64,
    throttled: AtomicU64,
    server_errors: AtomicU64,
    auth_failures: AtomicU64,
    /// Authenticated requests per operation, indexed like `Op::ALL` (lock-free on the hot
    /// path). Nothing is kept per unknown target, so clients cannot grow it.
    known_operations: [AtomicU64; 8],
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the maps half-updated in a way that matters
    // more than refusing all further requests would, so poisoning is ignored.
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl State {
    pub fn new(config: Config, registry: Arc<Registry>) -> Self {
        let settings = OpSettings {
            polls: config.polls_until_complete,
            retry_after: config.retry_after,
            page_size: config.page_size.max(1),
        };
        State {
            stores: Mutex::new(BTreeMap::new()),
            faults: Injector::new(config.faults.clone()),
            settings,
            config,
            registry,
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            server_errors: AtomicU64::new(0),
            auth_failures: AtomicU64::new(0),
            known_operations: Default::default(),
        }
    }

    fn count_operation(&self, op: Op) {
        if let Some(i) = Op::ALL.iter().position(|o| *o == op) {
            self.known_operations[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    fn operations(&self) -> BTreeMap<String, u64> {
        let mut out = BTreeMap::new();
        for (op, n) in Op::ALL.iter().zip(&self.known_operations) {
            let n = n.load(Ordering::Relaxed);
            if n > 0 {
                out.insert(op.name().to_owned(), n);
            }
        }
        out
    }

    /// Runs `f` on the store of `region` (created empty on first use).
    fn with_store<R>(&self, region: &str, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut stores = lock(&self.stores);
        let store = stores
            .entry(region.to_owned())
            .or_insert_with(|| Store::new(self.config.faults.seed, &self.config.limits));
        f(store)
    }

    pub fn stats(&self) -> Stats {
        let stores = lock(&self.stores);
        let sum = |f: &dyn Fn(&Store) -> u64| stores.values().map(f).sum::<u64>();
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            operations: self.operations(),
            creates_performed: sum(&|s| s.counters.creates),
            updates_performed: sum(&|s| s.counters.updates),
            deletes_performed: sum(&|s| s.counters.deletes),
            idempotent_replays: sum(&|s| s.counters.replays),
            client_token_conflicts: sum(&|s| s.counters.conflicts),
            throttled: self.throttled.load(Ordering::Relaxed),
            server_errors: self.server_errors.load(Ordering::Relaxed),
            auth_failures: self.auth_failures.load(Ordering::Relaxed),
            resources: sum(&|s| s.resource_count()),
        }
    }

    pub fn seed_resource(&self, type_name: &str, properties: Value) -> Result<String, Error> {
        self.seed_resource_in(SEED_REGION, type_name, properties)
    }

    pub fn seed_resource_in(
        &self,
        region: &str,
        type_name: &str,
        properties: Value,
    ) -> Result<String, Error> {
        let ti = self.registry.get(type_name)?;
        store::check_seed(&ti, &properties, &self.config.limits)?;
        self.with_store(region, |s| s.seed(&ti, properties, region))
    }

    pub fn seed_raw_resource(
        &self,
        type_name: &str,
        identifier: &str,
        properties: Value,
    ) -> Result<(), Error> {
        let ti = self.registry.get(type_name)?;
        self.with_store(SEED_REGION, |s| s.seed_raw(&ti, identifier, properties));
        Ok(())
    }

    pub fn resource(&self, type_name: &str, identifier: &str) -> Option<Value> {
        self.resource_in(SEED_REGION, type_name, identifier)
    }

    pub fn resource_in(&self, region: &str, type_name: &str, identifier: &str) -> Option<Value> {
        self.with_store(region, |s| s.resource(type_name, identifier))
    }

    async fn type_info(&self, name: &str) -> Result<Arc<TypeInfo>, ApiError> {
        if let Some(t) = self.registry.get_loaded(name) {
            return Ok(t);
        }
        if !self.registry.contains(name) {
            return Err(type_not_found(name));
        }
        // First use of a service: parse its file off the async workers.
        let registry = self.registry.clone();
        let owned = name.to_owned();
        let loaded = tokio::task::spawn_blocking(move || registry.get(&owned))
            .await
            .map_err(|e| ApiError::new("InternalFailure", format!("spec loading failed: {e}")))?;
        loaded.map_err(|e| match e {
            Error::TypeNotFound(_) => type_not_found(name),
            other => ApiError::new("InternalFailure", other.to_string()),
        })
    }
}

fn type_not_found(name: &str) -> ApiError {
    ApiError::new(
        "TypeNotFoundException",
        format!("The type '{name}' cannot be found."),
    )
}

/// Accept loop; ends when the shutdown channel fires or its sender is dropped. At most
/// `Limits::max_connections` connections are served at once: the loop accepts only while it
/// holds a free permit, so further clients wait in the listen backlog.
pub async fn serve(listener: TcpListener, state: Arc<State>, mut shutdown: watch::Receiver<bool>) {
    let limits = state.config.limits.clone();
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut accept_errors = RateLimitedLog::new(limits.accept_error_log_interval);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = shutdown.changed() => break,
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Small request/response pairs on keep-alive connections: avoid Nagle stalls.
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, state.clone(), shutdown.clone(), permit));
                }
                Err(e) => {
                    // E.g. out of file descriptors: retried every 10 ms, logged at most once
                    // per interval.
                    if let Some(suppressed) = accept_errors.allow(Instant::now()) {
                        tracing::warn!(error = %e, suppressed, "accept failed");
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            _ = shutdown.changed() => break,
        }
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let header_read_timeout = state.config.limits.header_read_timeout;
    let svc = service_fn(move |req| {
        let state = state.clone();
        async move { Ok::<_, Infallible>(handle(&state, req).await) }
    });
    // hyper starts the header timer whenever it waits for a request head, so it closes both
    // half-sent requests and idle keep-alive connections.
    let conn = http1::Builder::new()
        .keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .serve_connection(TokioIo::new(stream), svc);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = shutdown.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

fn response(
    status: u16,
    body: Vec<u8>,
    request_id: &str,
    error_type: Option<&str>,
) -> Response<Full<Bytes>> {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-RequestId", request_id);
    if let Some(t) = error_type {
        // Must agree with `__type`: the Rust SDK prefers the header.
        b = b.header("x-amzn-ErrorType", t);
    }
    b.body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

fn error_response(e: &ApiError, request_id: &str) -> Response<Full<Bytes>> {
    let body = json!({"__type": e.code, "Message": e.message});
    response(
        e.status,
        body.to_string().into_bytes(),
        request_id,
        Some(e.code),
    )
}

async fn handle(state: &State, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let n = state.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = format!(
        "{:08x}-0000-4000-8000-{:012x}",
        state.config.faults.seed as u32, n
    );
    let limits = &state.config.limits;
    let (parts, body) = req.into_parts();
    // An oversized body is refused before any of it is read, signed or not.
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > limits.max_body_bytes as u64) {
        return closing(error_response(
            &body_too_large(format!(
                "Request body of {n} bytes exceeds the limit of {} bytes",
                limits.max_body_bytes
            )),
            &request_id,
        ));
    }
    let read = Limited::new(body, limits.max_body_bytes).collect();
    let body = match tokio::time::timeout(limits.body_read_timeout, read).await {
        Ok(Ok(c)) => c.to_bytes(),
        Ok(Err(_)) => {
            return closing(error_response(
                &body_too_large(format!(
                    "Request body too large (limit {} bytes) or unreadable",
                    limits.max_body_bytes
                )),
                &request_id,
            ))
        }
        Err(_) => {
            return closing(error_response(
                &ApiError {
                    code: "RequestTimeoutException",
                    status: 408,
                    message: format!(
                        "Request body not received within {} ms",
                        limits.body_read_timeout.as_millis()
                    ),
                },
                &request_id,
            ))
        }
    };
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let op_name = target.strip_prefix("CloudApiService.").unwrap_or(&target);

    let scope = match sigv4::verify(&parts, &body, &state.config.credentials) {
        Ok(s) => s,
        Err(e) => {
            state.auth_failures.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(code = e.code, "request rejected by SigV4 verification");
            return error_response(
                &ApiError {
                    code: e.code,
                    status: e.status,
                    message: e.message,
                },
                &request_id,
            );
        }
    };
    let op = match (parts.method == Method::POST, Op::parse(op_name)) {
        (true, Some(op)) if target.starts_with("CloudApiService.") => op,
        _ => {
            return error_response(
                &ApiError::new(
                    "UnknownOperationException",
                    format!("Unknown operation {target}"),
                ),
                &request_id,
            )
        }
    };
    // Counted only once authenticated and known, so clients cannot grow the counters.
    state.count_operation(op);
    // `--policy`: the Cloud Control action itself (IAM prefix `cloudformation`).
    if let Some(message) = iam::deny_api(state.config.policy.as_ref(), op.name()) {
        return error_response(
            &ApiError::new("AccessDeniedException", message),
            &request_id,
        );
    }
    let latency = state.faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if state
        .config
        .faults
        .unavailable_regions
        .contains(&scope.region)
    {
        state.server_errors.fetch_add(1, Ordering::Relaxed);
        return error_response(
            &ApiError::new(
                "ServiceUnavailable",
                format!("Service is unavailable in region {}", scope.region),
            ),
            &request_id,
        );
    }
    let fault = state.faults.draw(op.mutating());
    match fault {
        Fault::Throttle => {
            state.throttled.fetch_add(1, Ordering::Relaxed);
            return error_response(
                &ApiError::new("ThrottlingException", "Rate exceeded"),
                &request_id,
            );
        }
        Fault::ServerErrorBefore => {
            state.server_errors.fetch_add(1, Ordering::Relaxed);
            return error_response(&server_error(op, n), &request_id);
        }
        Fault::ServerErrorAfter | Fault::None => {}
    }
    let input = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => m,
        _ => {
            return error_response(
                &ApiError::new(
                    "SerializationException",
                    "Request body must be a JSON object",
                ),
                &request_id,
            )
        }
    };
    let result = dispatch(state, op, &input, &scope.region).await;
    if fault == Fault::ServerErrorAfter {
        state.server_errors.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(?op, "injected 5xx after applying the request");
        return error_response(&server_error(op, n), &request_id);
    }
    match result {
        Ok(body) => response(200, body.into_bytes(), &request_id, None),
        Err(e) => {
            tracing::debug!(?op, code = e.code, "request failed");
            error_response(&e, &request_id)
        }
    }
}

/// The answer to a body over `Limits::max_body_bytes` (HTTP 413).
fn body_too_large(message: String) -> ApiError {
    ApiError {
        code: "SerializationException",
        status: 413,
        message,
    }
}

/// Marks a response as the connection's last (its request body was not read).
fn closing(mut r: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    r.headers_mut().insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    r
}

/// The injected 5xx of an operation: its modelled `ServiceInternalErrorException` (502), or for
/// the operations that do not declare one the generic errors AWS answers on any operation,
/// `InternalFailure` (500) and `ServiceUnavailable` (503), alternating with the request number.
fn server_error(op: Op, request_number: u64) -> ApiError {
    let code = if op.models_internal_error() {
        "ServiceInternalErrorException"
    } else if request_number.is_multiple_of(2) {
        "InternalFailure"
    } else {
        "ServiceUnavailable"
    };
    ApiError::new(code, "Injected internal service error")
}

// ---- input decoding ----------------------------------------------------------------------

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn opt_str<'a>(input: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ApiError::new(
            "SerializationException",
            format!("{name} must be a string"),
        )),
    }
}

fn req_str<'a>(input: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    opt_str(input, name)?.ok_or_else(|| ApiError::missing_member(&lower_first(name)))
}

fn constraint(value: &str, member: &str, constraint: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        format!(
            "1 validation error detected: Value '{value}' at '{}' failed to satisfy constraint: {constraint}",
            lower_first(member)
        ),
    )
}

fn check_len(value: &str, member: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(constraint(
            value,
            member,
            &format!("Member must have length between {min} and {max}"),
        ));
    }
    Ok(())
}

fn token_chars(value: &str, member: &str) -> Result<(), ApiError> {
    check_len(value, member, 1, 128)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '/' | '='))
    {
        return Err(constraint(
            value,
            member,
            "Member must satisfy regular expression pattern: [-A-Za-z0-9+/=]+",
        ));
    }
    Ok(())
}

fn type_name(input: &Map<String, Value>) -> Result<&str, ApiError> {
    let t = req_str(input, "TypeName")?;
    let parts: Vec<&str> = t.split("::").collect();
    let ok = t.len() >= 10
        && t.len() <= 196
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| (2..=64).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !ok {
        return Err(constraint(
            t,
            "TypeName",
            "Member must satisfy regular expression pattern: [A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}",
        ));
    }
    Ok(t)
}

fn identifier(input: &Map<String, Value>) -> Result<&str, ApiError> {
    let id = req_str(input, "Identifier")?;
    check_len(id, "Identifier", 1, 1024)?;
    Ok(id)
}

fn max_results(input: &Map<String, Value>) -> Result<Option<usize>, ApiError> {
    match input.get("MaxResults") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(x) if (1..=100).contains(&x) => Ok(Some(x as usize)),
            _ => Err(constraint(
                &n.to_string(),
                "MaxResults",
                "Member must have value between 1 and 100",
            )),
        },
        Some(_) => Err(ApiError::new(
            "SerializationException",
            "MaxResults must be a number",
        )),
    }
}

fn properties_len(value: &str, member: &str) -> Result<(), ApiError> {
    check_len(value, member, 1, 262_144)
}

fn mutation<'a>(
    op: &str,
    input: &'a Map<String, Value>,
    type_name: &str,
    body: &str,
    region: &'a str,
) -> Result<Mutation<'a>, ApiError> {
    let client_token = opt_str(input, "ClientToken")?;
    if let Some(t) = client_token {
        token_chars(t, "ClientToken")?;
    }
    let version = opt_str(input, "TypeVersionId")?.unwrap_or("");
    let role = opt_str(input, "RoleArn")?.unwrap_or("");
    Ok(Mutation::new(
        client_token,
        &[op, type_name, version, role, body],
        region,
    ))
}

fn unsupported(ti: &TypeInfo, handler: &str) -> Result<(), ApiError> {
    if ti.supports(handler) {
        return Ok(());
    }
    Err(ApiError::new(
        "UnsupportedActionException",
        format!(
            "Resource type {} does not support {} action",
            ti.type_name,
            handler.to_ascii_uppercase()
        ),
    ))
}

/// `--policy` for a synchronous handler (read, list): `AccessDeniedException` naming the
/// handler permissions the policy does not allow.
fn handler_allowed(state: &State, ti: &TypeInfo, handler: &str) -> Result<(), ApiError> {
    match iam::deny_handler(state.config.policy.as_ref(), ti, handler) {
        Some(message) => Err(ApiError::new("AccessDeniedException", message)),
        None => Ok(()),
    }
}

fn progress(ev: Value) -> Value {
    json!({ "ProgressEvent": ev })
}

/// Runs one operation; the result is the serialized response body.
async fn dispatch(
    state: &State,
    op: Op,
    input: &Map<String, Value>,
    region: &str,
) -> Result<String, ApiError> {
    dispatch_value(state, op, input, region)
        .await
        .map(|v| match v {
            Reply::Json(v) => v.to_string(),
            Reply::Text(t) => t,
        })
}

enum Reply {
    Json(Value),
    /// An already serialized body (ListResources pages are written without a `Value` tree).
    Text(String),
}

#[derive(serde::Serialize)]
struct ListPage<'a> {
    #[serde(rename = "TypeName")]
    type_name: &'a str,
    #[serde(rename = "ResourceDescriptions")]
    descriptions: Vec<Description<'a>>,
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

#[derive(serde::Serialize)]
struct Description<'a> {
    #[serde(rename = "Identifier")]
    identifier: &'a str,
    #[serde(rename = "Properties")]
    properties: &'a str,
}

async fn dispatch_value(
    state: &State,
    op: Op,
    input: &Map<String, Value>,
    region: &str,
) -> Result<Reply, ApiError> {
    let settings = &state.settings;
    match op {
        Op::ListResources => {
            let tn = type_name(input)?;
            let limit = max_results(input)?
                .unwrap_or(settings.page_size)
                .min(settings.page_size);
            let model = opt_str(input, "ResourceModel")?;
            let next = opt_str(input, "NextToken")?;
            let ti = state.type_info(tn).await?;
            unsupported(&ti, "list")?;
            handler_allowed(state, &ti, "list")?;
            let filter = match model {
                None => None,
                Some(m) => match serde_json::from_str::<Value>(m) {
                    Ok(Value::Object(o)) => Some(o),
                    _ => {
                        return Err(ApiError::new(
                            "InvalidRequestException",
                            format!("Missing or invalid ResourceModel property in {tn} list handler request input. ResourceModel must be a JSON object"),
                        ))
                    }
                },
            };
            for k in &ti.list_required {
                if filter
                    .as_ref()
                    .and_then(|f| f.get(k))
                    .is_none_or(Value::is_null)
                {
                    return Err(ApiError::new(
                        "InvalidRequestException",
                        format!("Missing or invalid ResourceModel property in {tn} list handler request input.Required property: (#: required key [{k}] not found)"),
                    ));
                }
            }
            let after = match next {
                None => None,
                Some(t) => Some(store::decode_token(tn, t).ok_or_else(|| {
                    ApiError::new(
                        "InvalidRequestException",
                        "The NextToken is invalid or expired",
                    )
                })?),
            };
            let (items, next) = state.with_store(region, |s| {
                s.list(&ti, filter.as_ref(), after.as_deref(), limit)
            });
            let page = ListPage {
                type_name: tn,
                descriptions: items
                    .iter()
                    .map(|(id, props)| Description {
                        identifier: id,
                        properties: props,
                    })
                    .collect(),
                next_token: next,
            };
            serde_json::to_string(&page)
                .map(Reply::Text)
                .map_err(|e| ApiError::new("InternalFailure", e.to_string()))
        }
        Op::GetResource => {
            let tn = type_name(input)?;
            let id = identifier(input)?;
            let ti = state.type_info(tn).await?;
            unsupported(&ti, "read")?;
            handler_allowed(state, &ti, "read")?;
            let props = state.with_store(region, |s| s.get(&ti, id))?;
            Ok(Reply::Json(json!({
                "TypeName": tn,
                "ResourceDescription": {"Identifier": id, "Properties": props.as_ref()}
            })))
        }
        Op::CreateResource => {
            let tn = type_name(input)?;
            let desired = req_str(input, "DesiredState")?;
            properties_len(desired, "DesiredState")?;
            let m = mutation("CREATE", input, tn, desired, region)?;
            let ti = state.type_info(tn).await?;
            unsupported(&ti, "create")?;
            if let Some(message) = iam::deny_handler(state.config.policy.as_ref(), &ti, "create") {
                let ev = state.with_store(region, |s| {
                    s.denied(&ti, Operation::Create, None, message, &m, settings)
                })?;
                return Ok(Reply::Json(progress(ev)));
            }
            // Parsing and validation happen before the store lock is taken.
            let prepared = store::prepare_create(&ti, desired, &state.config.limits)?;
            let ev = state.with_store(region, |s| s.create(&ti, prepared, &m, settings))?;
            Ok(Reply::Json(progress(ev)))
        }
        Op::UpdateResource => {
            let tn = type_name(input)?;
            let id = identifier(input)?;
            let patch = req_str(input, "PatchDocument")?;
            properties_len(patch, "PatchDocument")?;
            let body = format!("{id}\u{0}{patch}");
            let m = mutation("UPDATE", input, tn, &body, region)?;
            let ti = state.type_info(tn).await?;
            unsupported(&ti, "update")?;
            if let Some(message) = iam::deny_handler(state.config.policy.as_ref(), &ti, "update") {
                let ev = state.with_store(region, |s| {
                    s.denied(&ti, Operation::Update, Some(id), message, &m, settings)
                })?;
                return Ok(Reply::Json(progress(ev)));
            }
            // The patch is applied and validated without the store lock, on the properties
            // read under it; if the resource changed meanwhile, the update starts again.
            for _ in 0..UPDATE_ATTEMPTS {
                let base =
                    match state.with_store(region, |s| s.update_start(&ti, id, &m, settings))? {
                        UpdateStart::Replay(ev) => return Ok(Reply::Json(progress(ev))),
                        UpdateStart::Current(base) => base,
                    };
                let prepared = store::prepare_update(&ti, id, base, patch, &state.config.limits)?;
                if let Some(ev) = state
                    .with_store(region, |s| s.update_commit(&ti, id, prepared, &m, settings))?
                {
                    return Ok(Reply::Json(progress(ev)));
                }
            }
            Err(ApiError::new(
                "ConcurrentOperationException",
                format!("Another request changed resource '{id}' of type {tn} while this update was applied"),
            ))
        }
        Op::DeleteResource => {
            let tn = type_name(input)?;
            let id = identifier(input)?;
            let m = mutation("DELETE", input, tn, id, region)?;
            let ti = state.type_info(tn).await?;
            unsupported(&ti, "delete")?;
            let ev = match iam::deny_handler(state.config.policy.as_ref(), &ti, "delete") {
                Some(message) => state.with_store(region, |s| {
                    s.denied(&ti, Operation::Delete, Some(id), message, &m, settings)
                })?,
                None => state.with_store(region, |s| s.delete(&ti, id, &m, settings))?,
            };
            Ok(Reply::Json(progress(ev)))
        }
        Op::GetResourceRequestStatus => {
            let token = req_str(input, "RequestToken")?;
            token_chars(token, "RequestToken")?;
            let ev = state.with_store(region, |s| s.request_status(token, settings))?;
            Ok(Reply::Json(progress(ev)))
        }
        Op::CancelResourceRequest => {
            let token = req_str(input, "RequestToken")?;
            token_chars(token, "RequestToken")?;
            let registry = state.registry.clone();
            let lookup = move |t: &str| registry.get_loaded(t);
            let ev = state.with_store(region, |s| s.cancel(token, &lookup))?;
            Ok(Reply::Json(progress(ev)))
        }
        Op::ListResourceRequests => {
            let limit = max_results(input)?.unwrap_or(20);
            let start = match opt_str(input, "NextToken")? {
                None => 0,
                Some(t) => t
                    .strip_prefix("req")
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| {
                        ApiError::new("ValidationException", "The NextToken is invalid")
                    })?,
            };
            let filter = input.get("ResourceRequestStatusFilter");
            let strings = |key: &str| -> Vec<String> {
                filter
                    .and_then(|f| f.get(key))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (events, next) = state.with_store(region, |s| {
                s.list_requests(
                    &strings("Operations"),
                    &strings("OperationStatuses"),
                    start,
                    limit,
                    settings,
                )
            });
            let mut out = Map::new();
            out.insert(
                "ResourceRequestStatusSummaries".into(),
                Value::Array(events),
            );
            if let Some(n) = next {
                out.insert("NextToken".into(), json!(format!("req{n}")));
            }
            Ok(Reply::Json(Value::Object(out)))
        }
    }
}
