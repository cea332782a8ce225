//! Request records: one per Create/Update/Delete, keyed by request token, with the status that
//! GetResourceRequestStatus, CancelResourceRequest and ListResourceRequests report, plus the
//! ClientToken records that make a repeated mutating request idempotent.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::{ApiError, Counters, Mutation, OpSettings};
use crate::limits::Limits;
use crate::time;

/// The mutating operation a request record belongs to.
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

/// The terminal result a request reports once its polls are used up.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Success,
    Failed { code: &'static str, message: String },
}

/// A failed outcome with the given handler error code.
pub(super) fn failed(code: &'static str, message: String) -> Outcome {
    Outcome::Failed { code, message }
}

/// How to revert an applied request when it is cancelled while still in progress.
pub(super) struct Undo {
    pub type_name: String,
    pub id: String,
    /// The properties before the request (`None`: the resource did not exist).
    pub before: Option<Arc<Value>>,
    /// The properties the request left (`None`: it removed the resource). The revert happens
    /// only while the resource is still exactly this, so a cancel never rolls back over a
    /// later change.
    pub left: Option<Arc<Value>>,
}

/// What a new request record holds besides its token and timing.
pub(super) struct NewRequest {
    pub type_name: String,
    pub operation: Operation,
    pub identifier: Option<String>,
    pub outcome: Outcome,
    pub model: Option<Arc<str>>,
    pub undo: Option<Undo>,
    /// Approximate bytes the undo copy holds (its JSON length).
    pub undo_bytes: usize,
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
    cancel: Cancel,
    undo: Option<Undo>,
    undo_bytes: usize,
    created: Instant,
    client_token: Option<String>,
}

/// Where a request is in its cancellation: AWS reports `CANCEL_IN_PROGRESS` before
/// `CANCEL_COMPLETE`. The emulator's progress clock (GetResourceRequestStatus calls) moves it
/// on: the CancelResourceRequest answer and the next status call say `CANCEL_IN_PROGRESS`, the
/// calls after that `CANCEL_COMPLETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cancel {
    No,
    InProgress,
    Complete,
}

impl Request {
    /// Bytes of model and undo copy this record keeps alive (approximate).
    fn bytes(&self) -> usize {
        self.model.as_ref().map_or(0, |m| m.len()) + self.undo_bytes
    }

    /// Whether the request still holds its resource: it is `IN_PROGRESS` or
    /// `CANCEL_IN_PROGRESS`, so another mutating request on the resource is refused.
    fn unfinished(&self) -> bool {
        match self.cancel {
            Cancel::No => self.polls_left > 0,
            Cancel::InProgress => true,
            Cancel::Complete => false,
        }
    }

    fn status(&self) -> &'static str {
        if self.cancel == Cancel::InProgress {
            "CANCEL_IN_PROGRESS"
        } else if self.cancel == Cancel::Complete {
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

fn token_not_found(token: &str) -> ApiError {
    ApiError::new(
        "RequestTokenNotFoundException",
        format!("Request with token {token} was not found"),
    )
}

/// Request records and ClientToken records, bounded by count, bytes and age
/// ([`Limits::max_request_records`], [`Limits::max_request_record_bytes`],
/// [`Limits::request_record_ttl`]); a ClientToken record goes with its request record.
pub(super) struct Requests {
    requests: HashMap<String, Request>,
    /// Request tokens in creation order (ListResourceRequests pages over it).
    order: VecDeque<String>,
    /// Records dropped from the front of `order` so far: `order[i]` is record number
    /// `dropped + i`, the number ListResourceRequests tokens carry.
    dropped: usize,
    /// ClientToken → (SHA-256 of the request, request token).
    client_tokens: HashMap<String, ([u8; 32], String)>,
    /// (type name, primary identifier) → token of the latest request on that resource.
    latest: HashMap<(String, String), String>,
    /// Sum of `Request::bytes` over the records.
    bytes: usize,
    max_records: usize,
    max_bytes: usize,
    ttl: Duration,
}

impl Requests {
    /// Empty records kept within `limits`.
    pub(super) fn new(limits: &Limits) -> Self {
        Requests {
            requests: HashMap::new(),
            order: VecDeque::new(),
            dropped: 0,
            client_tokens: HashMap::new(),
            latest: HashMap::new(),
            bytes: 0,
            max_records: limits.max_request_records.max(1),
            max_bytes: limits.max_request_record_bytes,
            ttl: limits.request_record_ttl,
        }
    }

    /// Drops the oldest records while there are too many, they hold too many bytes, or they
    /// are older than the time to live.
    fn evict(&mut self, now: Instant) {
        while let Some(front) = self.order.front() {
            let expired = self
                .requests
                .get(front)
                .is_none_or(|r| now.saturating_duration_since(r.created) >= self.ttl);
            if !expired && self.order.len() <= self.max_records && self.bytes <= self.max_bytes {
                break;
            }
            let Some(token) = self.order.pop_front() else {
                break;
            };
            self.dropped += 1;
            if let Some(r) = self.requests.remove(&token) {
                self.bytes -= r.bytes();
                if let Some(id) = &r.identifier {
                    let key = (r.type_name.clone(), id.clone());
                    if self.latest.get(&key) == Some(&token) {
                        self.latest.remove(&key);
                    }
                }
                if let Some(ct) = r.client_token {
                    if self
                        .client_tokens
                        .get(&ct)
                        .is_some_and(|(_, t)| *t == token)
                    {
                        self.client_tokens.remove(&ct);
                    }
                }
            }
        }
    }

    /// `ResourceConflictException` (409) while a request on this resource (same type and
    /// primary identifier) is `IN_PROGRESS` or `CANCEL_IN_PROGRESS`: AWS runs one mutating
    /// operation at a time per resource.
    pub(super) fn check_conflict(&self, type_name: &str, id: &str) -> Result<(), ApiError> {
        let key = (type_name.to_owned(), id.to_owned());
        let Some(token) = self.latest.get(&key) else {
            return Ok(());
        };
        match self.requests.get(token) {
            Some(r) if r.unfinished() => Err(ApiError::new(
                "ResourceConflictException",
                format!(
                    "The resource is currently being modified by another operation: {} request {token} on {type_name} with identifier '{id}' is {}.",
                    r.operation.as_str(),
                    r.status()
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Looks up the ClientToken records: `Ok(Some(event))` for a replay, an error for a conflict.
    pub(super) fn check_token(
        &mut self,
        m: &Mutation<'_>,
        settings: &OpSettings,
        counters: &mut Counters,
    ) -> Result<Option<Value>, ApiError> {
        let Some(token) = m.client_token else {
            return Ok(None);
        };
        self.evict(Instant::now());
        let Some((fp, req_token)) = self.client_tokens.get(token) else {
            return Ok(None);
        };
        if *fp != m.fingerprint {
            counters.conflicts += 1;
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
        counters.replays += 1;
        Ok(Some(ev))
    }

    /// Records a new request under `token` (and its ClientToken, if any); returns its first
    /// progress event.
    pub(super) fn record(
        &mut self,
        token: String,
        m: &Mutation<'_>,
        new: NewRequest,
        settings: &OpSettings,
    ) -> Value {
        let mut req = Request {
            token: token.clone(),
            type_name: new.type_name,
            operation: new.operation,
            identifier: new.identifier,
            event_time: time::epoch_seconds(),
            polls_left: settings.polls,
            outcome: new.outcome,
            model: new.model,
            cancel: Cancel::No,
            undo: new.undo,
            undo_bytes: new.undo_bytes,
            created: Instant::now(),
            client_token: m.client_token.map(str::to_owned),
        };
        if req.polls_left == 0 {
            // Already terminal: it can no longer be cancelled, so the undo copy is not needed.
            req.undo = None;
            req.undo_bytes = 0;
        }
        let ev = req.event(settings.retry_after);
        if let Some(id) = &req.identifier {
            self.latest
                .insert((req.type_name.clone(), id.clone()), token.clone());
        }
        if let Some(ct) = m.client_token {
            self.client_tokens
                .insert(ct.to_owned(), (m.fingerprint, token.clone()));
        }
        self.bytes += req.bytes();
        let created = req.created;
        self.requests.insert(token.clone(), req);
        self.order.push_back(token);
        self.evict(created);
        ev
    }

    /// GetResourceRequestStatus: each call on an unfinished request consumes one poll.
    pub(super) fn status(&mut self, token: &str, settings: &OpSettings) -> Result<Value, ApiError> {
        self.evict(Instant::now());
        let req = self
            .requests
            .get_mut(token)
            .ok_or_else(|| token_not_found(token))?;
        let ev = req.event(settings.retry_after);
        if req.cancel == Cancel::InProgress {
            // The cancellation completes once a status call has seen it in progress.
            req.cancel = Cancel::Complete;
        } else if req.polls_left > 0 && req.cancel == Cancel::No {
            req.polls_left -= 1;
            if req.polls_left == 0 {
                // Terminal now: it can no longer be cancelled.
                req.undo = None;
                self.bytes -= std::mem::take(&mut req.undo_bytes);
            }
        }
        Ok(ev)
    }

    /// Marks an unfinished request `CANCEL_IN_PROGRESS` (see [`Cancel`]); returns its event and
    /// how to revert it.
    pub(super) fn cancel(&mut self, token: &str) -> Result<(Value, Option<Undo>), ApiError> {
        self.evict(Instant::now());
        let req = self
            .requests
            .get_mut(token)
            .ok_or_else(|| token_not_found(token))?;
        if req.cancel != Cancel::No || req.polls_left == 0 {
            return Err(ApiError::new(
                "ConcurrentModificationException",
                format!(
                    "Request {token} is {} and cannot be cancelled: only PENDING or IN_PROGRESS requests can be",
                    req.status()
                ),
            ));
        }
        req.cancel = Cancel::InProgress;
        let undo = req.undo.take();
        self.bytes -= std::mem::take(&mut req.undo_bytes);
        Ok((req.event(None), undo))
    }

    /// ListResourceRequests over the request records in creation order; `start` and the
    /// returned position count records since the emulator started (dropped ones included).
    pub(super) fn list(
        &mut self,
        operations: &[String],
        statuses: &[String],
        start: usize,
        limit: usize,
        settings: &OpSettings,
    ) -> (Vec<Value>, Option<usize>) {
        self.evict(Instant::now());
        let mut out = Vec::new();
        let mut idx = start.max(self.dropped);
        while idx < self.dropped + self.order.len() {
            let Some(r) = self.requests.get(&self.order[idx - self.dropped]) else {
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
