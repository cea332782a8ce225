//! In-memory resources, request records and ClientToken cache, and the Cloud Control operation
//! semantics on top of them. Everything here is synchronous and runs under one mutex; the HTTP
//! layer (`server.rs`) decodes the wire input and encodes the results.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use crate::schema::{self, Violation};
use crate::specs::TypeInfo;
use crate::time;

/// The AWS account id used in generated ARNs and account-id properties.
pub const ACCOUNT_ID: &str = "123456789012";

/// An error answered as an API error (non-2xx with `__type`).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

impl ApiError {
    /// An error with the HTTP status the Cloud Control model gives its shape.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let status = match code {
            "ClientTokenConflictException"
            | "ConcurrentOperationException"
            | "ResourceConflictException" => 409,
            "ConcurrentModificationException" | "InternalFailure" => 500,
            "HandlerFailureException"
            | "HandlerInternalFailureException"
            | "NetworkFailureException"
            | "ServiceInternalErrorException" => 502,
            "InvalidCredentialsException" => 401,
            "RequestTokenNotFoundException"
            | "ResourceNotFoundException"
            | "TypeNotFoundException" => 404,
            "ThrottlingException" => 429,
            "UnsupportedActionException" => 405,
            "ServiceUnavailable" => 503,
            _ => 400,
        };
        ApiError {
            code,
            status,
            message: message.into(),
        }
    }

    /// `ValidationException` in the wording AWS uses for a missing member.
    pub fn missing_member(member: &str) -> Self {
        ApiError::new(
            "ValidationException",
            format!(
                "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
            ),
        )
    }
}

struct Resource {
    props: Value,
    /// Properties as returned by Get/List (write-only ones removed), serialized once.
    json: Arc<str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone)]
enum Outcome {
    Success,
    Failed { code: &'static str, message: String },
}

/// How to revert an applied request when it is cancelled while still in progress.
enum Undo {
    Remove {
        type_name: String,
        id: String,
    },
    Restore {
        type_name: String,
        id: String,
        props: Value,
    },
}

struct Request {
    token: String,
    type_name: String,
    operation: Operation,
    identifier: Option<String>,
    event_time: f64,
    polls_left: u32,
    outcome: Outcome,
    model: Option<Arc<str>>,
    cancelled: bool,
    undo: Option<Undo>,
}

impl Request {
    fn status(&self) -> &'static str {
        if self.cancelled {
            "CANCEL_COMPLETE"
        } else if self.polls_left > 0 {
            "IN_PROGRESS"
        } else {
            match self.outcome {
                Outcome::Success => "SUCCESS",
                Outcome::Failed { .. } => "FAILED",
            }
        }
    }

    fn event(&self, retry_after: Option<Duration>) -> Value {
        let status = self.status();
        let mut ev = Map::new();
        ev.insert("TypeName".into(), json!(self.type_name));
        if let Some(id) = &self.identifier {
            ev.insert("Identifier".into(), json!(id));
        }
        ev.insert("RequestToken".into(), json!(self.token));
        ev.insert("Operation".into(), json!(self.operation.as_str()));
        ev.insert("OperationStatus".into(), json!(status));
        ev.insert("EventTime".into(), json!(self.event_time));
        match (status, &self.outcome) {
            ("SUCCESS", _) => {
                if let Some(m) = &self.model {
                    ev.insert("ResourceModel".into(), json!(m.as_ref()));
                }
            }
            ("FAILED", Outcome::Failed { code, message }) => {
                ev.insert("ErrorCode".into(), json!(code));
                ev.insert("StatusMessage".into(), json!(message));
            }
            ("IN_PROGRESS", _) => {
                if let Some(d) = retry_after {
                    ev.insert(
                        "RetryAfter".into(),
                        json!(time::epoch_seconds() + d.as_secs_f64()),
                    );
                }
            }
            _ => {}
        }
        Value::Object(ev)
    }
}

/// Counters kept under the store lock.
#[derive(Debug, Default, Clone)]
pub struct Counters {
    pub creates: u64,
    pub updates: u64,
    pub deletes: u64,
    pub replays: u64,
    pub conflicts: u64,
}

/// Settings the operations need.
#[derive(Debug, Clone)]
pub struct OpSettings {
    pub polls: u32,
    pub retry_after: Option<Duration>,
    pub page_size: usize,
}

/// A mutating request as the idempotency cache sees it.
pub struct Mutation<'a> {
    pub client_token: Option<&'a str>,
    /// Operation, TypeName, TypeVersionId, RoleArn and body, joined.
    pub fingerprint: String,
    pub region: &'a str,
}

/// All emulator state.
pub struct Store {
    types: BTreeMap<String, BTreeMap<String, Resource>>,
    requests: HashMap<String, Request>,
    /// Request tokens in creation order (ListResourceRequests pages over it).
    request_order: Vec<String>,
    client_tokens: HashMap<String, (String, String)>,
    rng: ChaCha8Rng,
    seq: u64,
    pub counters: Counters,
}

fn public_json(ti: &TypeInfo, props: &Value) -> Arc<str> {
    let mut shown = props.clone();
    for p in &ti.write_only {
        schema::remove_path(&mut shown, p);
    }
    Arc::from(shown.to_string())
}

/// The primary identifier of a resource (`|`-joined parts), if every part is present.
pub fn identifier_of(ti: &TypeInfo, props: &Value) -> Option<String> {
    let mut parts = Vec::with_capacity(ti.primary_identifier.len());
    for p in &ti.primary_identifier {
        parts.push(match schema::get_path(props, p)? {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            other => other.to_string(),
        });
    }
    Some(parts.join("|"))
}

fn failed(code: &'static str, message: String) -> Outcome {
    Outcome::Failed { code, message }
}

fn validation_message(ti: &TypeInfo, v: &[Violation]) -> String {
    format!(
        "Properties validation failed for resource {} with message: {}",
        ti.type_name,
        schema::describe(v)
    )
}

impl Store {
    pub fn new(seed: u64) -> Self {
        Store {
            types: BTreeMap::new(),
            requests: HashMap::new(),
            request_order: Vec::new(),
            client_tokens: HashMap::new(),
            // Identifiers use their own stream so fault draws do not shift them.
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x05ee_d1d5),
            seq: 0,
            counters: Counters::default(),
        }
    }

    /// Number of stored resources.
    pub fn resource_count(&self) -> u64 {
        self.types.values().map(|m| m.len() as u64).sum()
    }

    pub fn resource(&self, type_name: &str, id: &str) -> Option<Value> {
        Some(self.types.get(type_name)?.get(id)?.props.clone())
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.rng.random_range(0..16u32), 16).unwrap_or('0'))
            .collect()
    }

    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-a{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A plausible value for a generated (read-only or omitted identifier) property.
    fn generate_value(
        &mut self,
        ti: &TypeInfo,
        name: &str,
        prop_schema: Option<&Value>,
        region: &str,
    ) -> Option<Value> {
        let s = prop_schema.map(|s| schema::resolve(s, &ti.definitions));
        if let Some(first) = s
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return Some(first.clone());
        }
        let ty = s
            .and_then(|s| s.get("type"))
            .and_then(|t| match t {
                Value::String(t) => Some(t.as_str()),
                Value::Array(a) => a.first().and_then(Value::as_str),
                _ => None,
            })
            .unwrap_or("string");
        self.seq += 1;
        let value = match ty {
            "integer" | "number" => json!(self.seq),
            "boolean" => json!(false),
            "array" => json!([]),
            "object" => json!({}),
            _ => {
                let lower = name.to_ascii_lowercase();
                let parts: Vec<&str> = ti.type_name.split("::").collect();
                let svc = parts
                    .get(1)
                    .map(|s| s.to_ascii_lowercase())
                    .unwrap_or_default();
                let res = parts
                    .get(2)
                    .map(|s| s.to_ascii_lowercase())
                    .unwrap_or_default();
                let text = if lower.ends_with("arn") {
                    format!("arn:aws:{svc}:{region}:{ACCOUNT_ID}:{res}/{}", self.uuid())
                } else if lower.contains("accountid") || lower == "owner" || lower == "ownerid" {
                    ACCOUNT_ID.to_owned()
                } else if lower.ends_with("time")
                    || lower.ends_with("date")
                    || lower.ends_with("at")
                    || lower.ends_with("timestamp")
                {
                    time::rfc3339(time::epoch_seconds() as u64)
                } else if lower == "region" {
                    region.to_owned()
                } else if lower.ends_with("id") || lower.ends_with("identifier") {
                    let prefix: String = res
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(8)
                        .collect();
                    format!("{prefix}-{}", self.hex(17))
                } else if lower.ends_with("status") || lower.ends_with("state") {
                    "AVAILABLE".to_owned()
                } else {
                    format!(
                        "{}-{}",
                        lower.chars().take(24).collect::<String>(),
                        self.hex(12)
                    )
                };
                let text = fit_length(text, s);
                json!(text)
            }
        };
        Some(value)
    }

    /// Fills missing read-only properties and missing primary-identifier parts.
    fn generate(&mut self, ti: &TypeInfo, props: &mut Value, region: &str) {
        let paths: Vec<(&String, bool)> = ti
            .read_only
            .iter()
            .map(|p| (p, false))
            .chain(ti.primary_identifier.iter().map(|p| (p, true)))
            .collect();
        for (path, is_identifier) in paths {
            let name = schema::segments(path)
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let prop_schema = schema::schema_at(&ti.schema, &ti.definitions, path).cloned();
            schema::set_missing_path(
                props,
                path,
                &mut || self.generate_value(ti, &name, prop_schema.as_ref(), region),
                is_identifier,
            );
        }
    }

    fn validate(ti: &TypeInfo, props: &Value, allow_read_only: bool) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut checked = props.clone();
        for p in &ti.read_only {
            if !allow_read_only {
                for at in schema::present_paths(props, p) {
                    let name = at.rsplit('/').next().unwrap_or_default().to_owned();
                    out.push(Violation {
                        path: at,
                        message: format!("read-only property [{name}] cannot be set"),
                    });
                }
            }
            // Read-only values are the emulator's own; they are not held to the schema.
            schema::remove_path(&mut checked, p);
        }
        // Required read-only properties cannot come from the caller.
        let is_read_only = |r: &Value| {
            r.as_str()
                .is_some_and(|r| ti.read_only.iter().any(|p| p == r))
        };
        let requires_read_only = ti
            .schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|req| req.iter().any(is_read_only));
        let stripped;
        let s = if requires_read_only {
            let mut copy = ti.schema.clone();
            if let Some(req) = copy.get_mut("required").and_then(Value::as_array_mut) {
                req.retain(|r| !is_read_only(r));
            }
            stripped = copy;
            &stripped
        } else {
            &ti.schema
        };
        schema::validate(
            &checked,
            s,
            &ti.definitions,
            "#",
            &mut out,
            Some(&ti.schema_name),
        );
        out
    }

    /// Stores a resource directly (bypassing requests).
    pub fn seed(
        &mut self,
        ti: &TypeInfo,
        mut props: Value,
        region: &str,
    ) -> Result<String, crate::Error> {
        if !props.is_object() {
            return Err(crate::Error::InvalidProperties {
                type_name: ti.type_name.clone(),
                message: "#: expected type: JSONObject".into(),
            });
        }
        let v = Self::validate(ti, &props, true);
        if !v.is_empty() {
            return Err(crate::Error::InvalidProperties {
                type_name: ti.type_name.clone(),
                message: schema::describe(&v),
            });
        }
        self.generate(ti, &mut props, region);
        let id = identifier_of(ti, &props).ok_or_else(|| crate::Error::InvalidProperties {
            type_name: ti.type_name.clone(),
            message: "primary identifier could not be determined".into(),
        })?;
        let bucket = self.types.entry(ti.type_name.clone()).or_default();
        if bucket.contains_key(&id) {
            return Err(crate::Error::AlreadyExists {
                type_name: ti.type_name.clone(),
                identifier: id,
            });
        }
        let json = public_json(ti, &props);
        bucket.insert(id.clone(), Resource { props, json });
        Ok(id)
    }

    /// Looks up the ClientToken cache: `Ok(Some(event))` for a replay, an error for a conflict.
    fn check_token(
        &mut self,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Option<Value>, ApiError> {
        let Some(token) = m.client_token else {
            return Ok(None);
        };
        let Some((fp, req_token)) = self.client_tokens.get(token) else {
            return Ok(None);
        };
        if *fp != m.fingerprint {
            self.counters.conflicts += 1;
            return Err(ApiError::new(
                "ClientTokenConflictException",
                format!("Client token {token} was already used for a different request."),
            ));
        }
        let ev = self
            .requests
            .get(req_token)
            .map(|r| r.event(settings.retry_after))
            .ok_or_else(|| ApiError::new("InternalFailure", "request record missing"))?;
        self.counters.replays += 1;
        Ok(Some(ev))
    }

    fn new_request_token(&mut self) -> String {
        self.uuid()
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        m: &Mutation<'_>,
        ti: &TypeInfo,
        operation: Operation,
        identifier: Option<String>,
        outcome: Outcome,
        model: Option<Arc<str>>,
        undo: Option<Undo>,
        settings: &OpSettings,
    ) -> Value {
        let token = self.new_request_token();
        let req = Request {
            token: token.clone(),
            type_name: ti.type_name.clone(),
            operation,
            identifier,
            event_time: time::epoch_seconds(),
            polls_left: settings.polls,
            outcome,
            model,
            cancelled: false,
            undo,
        };
        let ev = req.event(settings.retry_after);
        if let Some(ct) = m.client_token {
            self.client_tokens
                .insert(ct.to_owned(), (m.fingerprint.clone(), token.clone()));
        }
        self.requests.insert(token.clone(), req);
        self.request_order.push(token);
        ev
    }

    pub fn create(
        &mut self,
        ti: &TypeInfo,
        desired_state: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.check_token(m, settings)? {
            return Ok(ev);
        }
        let mut identifier = None;
        let mut model = None;
        let mut undo = None;
        let outcome = match serde_json::from_str::<Value>(desired_state) {
            Err(e) => failed(
                "InvalidRequest",
                format!("DesiredState is not valid JSON: {e}"),
            ),
            Ok(props) if !props.is_object() => failed(
                "InvalidRequest",
                validation_message(
                    ti,
                    &[Violation {
                        path: "#".into(),
                        message: format!("expected type: JSONObject, found: {}", kind(&props)),
                    }],
                ),
            ),
            Ok(mut props) => {
                let v = Self::validate(ti, &props, false);
                if !v.is_empty() {
                    failed("InvalidRequest", validation_message(ti, &v))
                } else {
                    self.generate(ti, &mut props, m.region);
                    match identifier_of(ti, &props) {
                        None => failed(
                            "InvalidRequest",
                            "The primary identifier could not be determined from the desired state"
                                .into(),
                        ),
                        Some(id) => {
                            let bucket = self.types.entry(ti.type_name.clone()).or_default();
                            if bucket.contains_key(&id) {
                                identifier = None;
                                failed(
                                    "AlreadyExists",
                                    format!("Resource of type '{}' with identifier '{id}' already exists.", ti.type_name),
                                )
                            } else {
                                let json = public_json(ti, &props);
                                model = Some(json.clone());
                                bucket.insert(id.clone(), Resource { props, json });
                                self.counters.creates += 1;
                                undo = Some(Undo::Remove {
                                    type_name: ti.type_name.clone(),
                                    id: id.clone(),
                                });
                                identifier = Some(id);
                                Outcome::Success
                            }
                        }
                    }
                }
            }
        };
        Ok(self.record(
            m,
            ti,
            Operation::Create,
            identifier,
            outcome,
            model,
            undo,
            settings,
        ))
    }

    pub fn update(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        patch_document: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.check_token(m, settings)? {
            return Ok(ev);
        }
        let current = self
            .types
            .get(&ti.type_name)
            .and_then(|b| b.get(id))
            .map(|r| r.props.clone());
        let mut model = None;
        let mut undo = None;
        let outcome = match current {
            None => failed("NotFound", not_found(ti, id)),
            Some(old) => match serde_json::from_str::<Value>(patch_document) {
                Err(e) => failed(
                    "InvalidRequest",
                    format!("PatchDocument is not valid JSON: {e}"),
                ),
                Ok(patch) => {
                    let mut new = old.clone();
                    match crate::patch::apply(&mut new, &patch) {
                        Err(e) => failed("InvalidRequest", format!("Invalid patch: {e}")),
                        Ok(()) => self.check_update(ti, id, &old, new, &mut model, &mut undo),
                    }
                }
            },
        };
        Ok(self.record(
            m,
            ti,
            Operation::Update,
            Some(id.to_owned()),
            outcome,
            model,
            undo,
            settings,
        ))
    }

    fn check_update(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        old: &Value,
        new: Value,
        model: &mut Option<Arc<str>>,
        undo: &mut Option<Undo>,
    ) -> Outcome {
        for p in &ti.create_only {
            if schema::get_path(old, p) != schema::get_path(&new, p) {
                return failed(
                    "NotUpdatable",
                    format!("Resource of type '{}' with identifier '{id}' is not updatable with the requested changes: create-only property [{p}] cannot be changed", ti.type_name),
                );
            }
        }
        for p in &ti.read_only {
            if schema::get_path(old, p) != schema::get_path(&new, p) {
                return failed(
                    "InvalidRequest",
                    validation_message(
                        ti,
                        &[Violation {
                            path: format!("#/{p}"),
                            message: format!("read-only property [{p}] cannot be updated"),
                        }],
                    ),
                );
            }
        }
        let v = Self::validate(ti, &new, true);
        if !v.is_empty() {
            return failed("InvalidRequest", validation_message(ti, &v));
        }
        if identifier_of(ti, &new).as_deref() != Some(id) {
            return failed(
                "NotUpdatable",
                "The primary identifier cannot be changed".into(),
            );
        }
        let json = public_json(ti, &new);
        *model = Some(json.clone());
        if let Some(r) = self
            .types
            .get_mut(&ti.type_name)
            .and_then(|b| b.get_mut(id))
        {
            r.props = new;
            r.json = json;
        }
        *undo = Some(Undo::Restore {
            type_name: ti.type_name.clone(),
            id: id.to_owned(),
            props: old.clone(),
        });
        self.counters.updates += 1;
        Outcome::Success
    }

    pub fn delete(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.check_token(m, settings)? {
            return Ok(ev);
        }
        let removed = self.types.get_mut(&ti.type_name).and_then(|b| b.remove(id));
        let (outcome, undo) = match removed {
            None => (failed("NotFound", not_found(ti, id)), None),
            Some(r) => {
                self.counters.deletes += 1;
                (
                    Outcome::Success,
                    Some(Undo::Restore {
                        type_name: ti.type_name.clone(),
                        id: id.to_owned(),
                        props: r.props,
                    }),
                )
            }
        };
        Ok(self.record(
            m,
            ti,
            Operation::Delete,
            Some(id.to_owned()),
            outcome,
            None,
            undo,
            settings,
        ))
    }

    /// GetResourceRequestStatus: each call on an unfinished request consumes one poll.
    pub fn request_status(
        &mut self,
        token: &str,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        let req = self.requests.get_mut(token).ok_or_else(|| {
            ApiError::new(
                "RequestTokenNotFoundException",
                format!("Request with token {token} was not found"),
            )
        })?;
        let ev = req.event(settings.retry_after);
        if req.polls_left > 0 && !req.cancelled {
            req.polls_left -= 1;
        }
        Ok(ev)
    }

    /// CancelResourceRequest: an unfinished request is reverted and ends as CANCEL_COMPLETE.
    pub fn cancel(
        &mut self,
        token: &str,
        ti_json: &dyn Fn(&str) -> Option<Arc<TypeInfo>>,
    ) -> Result<Value, ApiError> {
        let req = self.requests.get_mut(token).ok_or_else(|| {
            ApiError::new(
                "RequestTokenNotFoundException",
                format!("Request with token {token} was not found"),
            )
        })?;
        if req.cancelled || req.polls_left == 0 {
            return Err(ApiError::new(
                "ConcurrentModificationException",
                format!("Request {token} is already complete and cannot be cancelled"),
            ));
        }
        req.cancelled = true;
        let undo = req.undo.take();
        let ev = req.event(None);
        match undo {
            Some(Undo::Remove { type_name, id }) => {
                if let Some(b) = self.types.get_mut(&type_name) {
                    b.remove(&id);
                }
            }
            Some(Undo::Restore {
                type_name,
                id,
                props,
            }) => {
                if let Some(ti) = ti_json(&type_name) {
                    let json = public_json(&ti, &props);
                    self.types
                        .entry(type_name)
                        .or_default()
                        .insert(id, Resource { props, json });
                }
            }
            None => {}
        }
        Ok(ev)
    }

    pub fn get(&self, ti: &TypeInfo, id: &str) -> Result<Arc<str>, ApiError> {
        self.types
            .get(&ti.type_name)
            .and_then(|b| b.get(id))
            .map(|r| r.json.clone())
            .ok_or_else(|| ApiError::new("ResourceNotFoundException", not_found(ti, id)))
    }

    /// One ListResources page: `(identifier, properties)` items and the next token.
    pub fn list(
        &self,
        ti: &TypeInfo,
        filter: Option<&Map<String, Value>>,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<(String, Arc<str>)>, Option<String>) {
        let Some(bucket) = self.types.get(&ti.type_name) else {
            return (Vec::new(), None);
        };
        use std::ops::Bound;
        let lower = match after {
            Some(a) => Bound::Excluded(a.to_owned()),
            None => Bound::Unbounded,
        };
        let mut items = Vec::with_capacity(limit.min(bucket.len()));
        let mut more = false;
        for (id, r) in bucket.range((lower, Bound::Unbounded)) {
            let keep = filter.is_none_or(|f| f.iter().all(|(k, v)| r.props.get(k) == Some(v)));
            if !keep {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            items.push((id.clone(), r.json.clone()));
        }
        let next = if more {
            items.last().map(|(id, _)| encode_token(&ti.type_name, id))
        } else {
            None
        };
        (items, next)
    }

    /// ListResourceRequests over the request records in creation order.
    pub fn list_requests(
        &self,
        operations: &[String],
        statuses: &[String],
        start: usize,
        limit: usize,
        settings: &OpSettings,
    ) -> (Vec<Value>, Option<usize>) {
        let mut out = Vec::new();
        let mut idx = start;
        while idx < self.request_order.len() {
            let Some(r) = self.requests.get(&self.request_order[idx]) else {
                idx += 1;
                continue;
            };
            let op_ok =
                operations.is_empty() || operations.iter().any(|o| o == r.operation.as_str());
            let st_ok = statuses.is_empty() || statuses.iter().any(|s| s == r.status());
            if op_ok && st_ok {
                if out.len() == limit {
                    return (out, Some(idx));
                }
                out.push(r.event(settings.retry_after));
            }
            idx += 1;
        }
        (out, None)
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}

fn not_found(ti: &TypeInfo, id: &str) -> String {
    format!(
        "Resource of type '{}' with identifier '{id}' was not found.",
        ti.type_name
    )
}

fn fit_length(mut text: String, s: Option<&Value>) -> String {
    if let Some(max) = s.and_then(|s| s.get("maxLength")).and_then(Value::as_u64) {
        let max = max as usize;
        if text.chars().count() > max {
            text = text.chars().take(max).collect();
        }
    }
    if let Some(min) = s.and_then(|s| s.get("minLength")).and_then(Value::as_u64) {
        while (text.chars().count() as u64) < min {
            text.push('0');
        }
    }
    text
}

/// ListResources tokens are opaque hex of `v1\n<type>\n<last identifier>`: each page's token
/// differs because the last identifier does, and resources created meanwhile do not shift pages.
pub fn encode_token(type_name: &str, last_id: &str) -> String {
    hex::encode(format!("v1\n{type_name}\n{last_id}"))
}

/// Decodes a ListResources token for the given type.
pub fn decode_token(type_name: &str, token: &str) -> Option<String> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    let rest = raw.strip_prefix("v1\n")?;
    let (t, id) = rest.split_once('\n')?;
    (t == type_name).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_bound_to_their_type() {
        let t = encode_token("AWS::A::B", "id|1");
        assert_eq!(decode_token("AWS::A::B", &t).as_deref(), Some("id|1"));
        assert_eq!(decode_token("AWS::A::C", &t), None);
        assert_eq!(decode_token("AWS::A::B", "zz"), None);
        assert_ne!(t, encode_token("AWS::A::B", "id|2"));
    }

    #[test]
    fn generated_strings_fit_length_limits() {
        let s = json!({"maxLength": 5, "minLength": 3});
        assert_eq!(fit_length("abcdefgh".into(), Some(&s)), "abcde");
        assert_eq!(fit_length("a".into(), Some(&s)), "a00");
    }
}
