//! Emulator state and the Cloud Control operation semantics on top of it. Everything here is
//! synchronous and runs under one mutex; the HTTP layer (`server.rs`) decodes the wire input and
//! encodes the results.
//!
//! - [`resources`]: the stored resources, Get/List and ListResources paging tokens;
//! - [`requests`]: request records (tokens, status, cancel, ListResourceRequests) and ClientToken
//!   records;
//! - [`generated`]: request tokens and the values generated for read-only properties;
//! - [`validate`]: schema validation of properties and its handler messages.
//!
//! This module ties them together into Create/Update/Delete/Cancel.

mod generated;
mod requests;
mod resources;
mod validate;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::limits::{json_len_capped, Budget, Limits};
use crate::patch::PatchError;
use crate::schema::{self, Violation};
use crate::specs::TypeInfo;

use generated::Generator;
use requests::{failed, NewRequest, Outcome, Requests, Undo};
use resources::{not_found, public_json, Resources};
use validate::{kind, model_validation_failed, not_updatable, over_budget, validate};

pub use requests::Operation;
pub use resources::{decode_token, identifier_of};

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
    /// SHA-256 of the operation, TypeName, TypeVersionId, RoleArn and body: the ClientToken
    /// record keeps this instead of the request.
    pub fingerprint: [u8; 32],
    pub region: &'a str,
}

impl<'a> Mutation<'a> {
    /// A mutation whose fingerprint covers `parts` (NUL-separated).
    pub fn new(client_token: Option<&'a str>, parts: &[&str], region: &'a str) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for p in parts {
            h.update(p.as_bytes());
            h.update([0u8]);
        }
        Mutation {
            client_token,
            fingerprint: h.finalize().into(),
            region,
        }
    }
}

/// A CreateResource whose desired state was parsed and validated without the store lock:
/// the properties to store, or the handler failure to record.
pub struct PreparedCreate(Result<Value, Outcome>);

/// Checks a CreateResource's desired state without the store lock. Schema violations are a
/// synchronous `ValidationException` (`Model validation failed (…)`), as AWS answers, and so is
/// running out of the work budget; unparseable JSON is the request's FAILED outcome.
pub fn prepare_create(
    ti: &TypeInfo,
    desired_state: &str,
    limits: &Limits,
) -> Result<PreparedCreate, ApiError> {
    let props = match serde_json::from_str::<Value>(desired_state) {
        Err(e) => {
            return Ok(PreparedCreate(Err(failed(
                "InvalidRequest",
                format!("DesiredState is not valid JSON: {e}"),
            ))))
        }
        Ok(props) => props,
    };
    if !props.is_object() {
        return Err(model_validation_failed(&[Violation {
            path: "#".into(),
            message: format!("expected type: JSONObject, found: {}", kind(&props)),
        }]));
    }
    let budget = Budget::new(limits.work_budget);
    let v = validate(ti, &props, false, &budget);
    if budget.exhausted() {
        return Err(over_budget(&budget, "validating DesiredState"));
    }
    if !v.is_empty() {
        return Err(model_validation_failed(&v));
    }
    Ok(PreparedCreate(Ok(props)))
}

/// What [`Store::update_start`] found.
pub enum UpdateStart {
    /// A ClientToken replay: the recorded event.
    Replay(Value),
    /// The current properties, if the resource exists.
    Current(Option<Arc<Value>>),
}

/// An UpdateResource computed without the store lock from the properties it started from.
pub struct PreparedUpdate {
    base: Option<Arc<Value>>,
    /// Length of `base` as JSON (what its undo copy costs a request record).
    base_len: usize,
    /// The new properties and their shown JSON, or the handler failure to record.
    outcome: Result<(Value, Arc<str>), Outcome>,
}

/// Applies and checks an UpdateResource patch without the store lock. The patched document is
/// held to [`Limits::max_document_bytes`] after every operation and the whole request to
/// [`Limits::work_budget`]; either failing is a `ValidationException`. A patch that changes a
/// create-only property is a synchronous `NotUpdatableException`, one that changes a read-only
/// property or leaves the model invalid a synchronous `ValidationException` (as AWS answers);
/// a missing resource or an inapplicable patch is the request's FAILED outcome.
pub fn prepare_update(
    ti: &TypeInfo,
    id: &str,
    base: Option<Arc<Value>>,
    patch_document: &str,
    limits: &Limits,
) -> Result<PreparedUpdate, ApiError> {
    let budget = Budget::new(limits.work_budget);
    let outcome = match &base {
        None => Err(failed("NotFound", not_found(ti, id))),
        Some(old) => match serde_json::from_str::<Value>(patch_document) {
            Err(e) => Err(failed(
                "InvalidRequest",
                format!("PatchDocument is not valid JSON: {e}"),
            )),
            Ok(patch) => {
                let mut new = Value::clone(old);
                match crate::patch::apply(&mut new, &patch, limits.max_document_bytes, &budget) {
                    Err(PatchError::Invalid(e)) => {
                        Err(failed("InvalidRequest", format!("Invalid patch: {e}")))
                    }
                    Err(PatchError::TooLarge { op, limit }) => {
                        return Err(ApiError::new(
                            "ValidationException",
                            format!(
                                "1 validation error detected: PatchDocument operation {op} makes the resource document longer than {limit} bytes (the DesiredState limit)"
                            ),
                        ))
                    }
                    Err(PatchError::Budget { op }) => {
                        return Err(over_budget(
                            &budget,
                            &format!("PatchDocument operation {op}"),
                        ))
                    }
                    Ok(()) => {
                        let checked = check_update(ti, id, old, new, &budget);
                        if budget.exhausted() {
                            return Err(over_budget(&budget, "validating the patched document"));
                        }
                        Ok(checked?)
                    }
                }
            }
        },
    };
    let base_len = base
        .as_deref()
        .and_then(|b| json_len_capped(b, usize::MAX))
        .unwrap_or(0);
    Ok(PreparedUpdate {
        base,
        base_len,
        outcome,
    })
}

/// The checks of a patched document against the one it was patched from: the synchronous
/// errors AWS answers for a patch it refuses.
fn check_update(
    ti: &TypeInfo,
    id: &str,
    old: &Value,
    new: Value,
    budget: &Budget,
) -> Result<(Value, Arc<str>), ApiError> {
    let changed = |paths: &[String]| -> Vec<String> {
        paths
            .iter()
            .filter(|p| schema::get_path(old, p) != schema::get_path(&new, p))
            .map(|p| format!("/properties/{p}"))
            .collect()
    };
    let create_only = changed(&ti.create_only);
    if !create_only.is_empty() {
        return Err(not_updatable(
            "NotUpdatableException",
            "createOnlyProperties",
            &create_only,
        ));
    }
    let read_only = changed(&ti.read_only);
    if !read_only.is_empty() {
        return Err(not_updatable(
            "ValidationException",
            "readOnlyProperties",
            &read_only,
        ));
    }
    let v = validate(ti, &new, true, budget);
    if !v.is_empty() {
        return Err(model_validation_failed(&v));
    }
    if identifier_of(ti, &new).as_deref() != Some(id) {
        // Only reached when a primary identifier part is neither create-only nor read-only.
        let parts: Vec<String> = ti
            .primary_identifier
            .iter()
            .map(|p| format!("/properties/{p}"))
            .collect();
        return Err(not_updatable(
            "NotUpdatableException",
            "primaryIdentifier",
            &parts,
        ));
    }
    let json = public_json(ti, &new);
    Ok((new, json))
}

/// Checks properties given to [`Store::seed`] without the store lock (read-only ones allowed).
pub fn check_seed(ti: &TypeInfo, props: &Value, limits: &Limits) -> Result<(), crate::Error> {
    let invalid = |message: String| crate::Error::InvalidProperties {
        type_name: ti.type_name.clone(),
        message,
    };
    if !props.is_object() {
        return Err(invalid("#: expected type: JSONObject".into()));
    }
    let budget = Budget::new(limits.work_budget);
    let v = validate(ti, props, true, &budget);
    if budget.exhausted() {
        return Err(invalid(
            over_budget(&budget, "validating the properties").message,
        ));
    }
    if !v.is_empty() {
        return Err(invalid(schema::describe(&v)));
    }
    Ok(())
}

/// All emulator state.
pub struct Store {
    resources: Resources,
    requests: Requests,
    generator: Generator,
    pub counters: Counters,
}

impl Store {
    pub fn new(seed: u64, limits: &Limits) -> Self {
        Store {
            resources: Resources::default(),
            requests: Requests::new(limits),
            generator: Generator::new(seed),
            counters: Counters::default(),
        }
    }

    /// Number of stored resources.
    pub fn resource_count(&self) -> u64 {
        self.resources.count()
    }

    pub fn resource(&self, type_name: &str, id: &str) -> Option<Value> {
        self.resources.props(type_name, id).map(|p| Value::clone(p))
    }

    /// Stores a resource directly (bypassing requests); `props` were checked by
    /// [`check_seed`] outside the lock.
    pub fn seed(
        &mut self,
        ti: &TypeInfo,
        mut props: Value,
        region: &str,
    ) -> Result<String, crate::Error> {
        self.generator.generate(ti, &mut props, region);
        let id = identifier_of(ti, &props).ok_or_else(|| crate::Error::InvalidProperties {
            type_name: ti.type_name.clone(),
            message: "primary identifier could not be determined".into(),
        })?;
        if self.resources.contains(&ti.type_name, &id) {
            return Err(crate::Error::AlreadyExists {
                type_name: ti.type_name.clone(),
                identifier: id,
            });
        }
        self.resources.insert(ti, id.clone(), props);
        Ok(id)
    }

    /// Stores a resource exactly as given under `identifier` (no validation, nothing
    /// generated), so tests can serve what a schema does not promise: missing required members,
    /// unknown properties, values of another type. Replaces a resource with that identifier.
    pub fn seed_raw(&mut self, ti: &TypeInfo, identifier: &str, props: Value) {
        self.resources.insert(ti, identifier.to_owned(), props);
    }

    /// Records a request under a fresh token; returns its first progress event.
    fn record(&mut self, m: &Mutation<'_>, new: NewRequest, settings: &OpSettings) -> Value {
        let token = self.generator.uuid();
        self.requests.record(token, m, new, settings)
    }

    /// CreateResource, once [`prepare_create`] has checked the desired state without the lock.
    pub fn create(
        &mut self,
        ti: &TypeInfo,
        prepared: PreparedCreate,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(ev);
        }
        let mut identifier = None;
        let mut model = None;
        let mut undo = None;
        let outcome = match prepared.0 {
            Err(failure) => failure,
            Ok(mut props) => {
                self.generator.generate(ti, &mut props, m.region);
                match identifier_of(ti, &props) {
                    None => failed(
                        "InvalidRequest",
                        "The primary identifier could not be determined from the desired state"
                            .into(),
                    ),
                    Some(id) => {
                        self.requests.check_conflict(&ti.type_name, &id)?;
                        if self.resources.contains(&ti.type_name, &id) {
                            failed(
                                "AlreadyExists",
                                format!(
                                    "Resource of type '{}' with identifier '{id}' already exists.",
                                    ti.type_name
                                ),
                            )
                        } else {
                            model = Some(self.resources.insert(ti, id.clone(), props));
                            self.counters.creates += 1;
                            undo = Some(Undo {
                                type_name: ti.type_name.clone(),
                                id: id.clone(),
                                before: None,
                                left: self.resources.props(&ti.type_name, &id).cloned(),
                            });
                            identifier = Some(id);
                            Outcome::Success
                        }
                    }
                }
            }
        };
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation: Operation::Create,
            identifier,
            outcome,
            model,
            undo,
            undo_bytes: 0,
        };
        Ok(self.record(m, new, settings))
    }

    /// First step of UpdateResource, under the lock: a ClientToken replay, or the resource's
    /// current properties (shared, to be patched by [`prepare_update`] without the lock).
    pub fn update_start(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<UpdateStart, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(UpdateStart::Replay(ev));
        }
        self.requests.check_conflict(&ti.type_name, id)?;
        Ok(UpdateStart::Current(
            self.resources.props(&ti.type_name, id).cloned(),
        ))
    }

    /// Last step of UpdateResource, under the lock. `None` when the resource changed since
    /// [`Store::update_start`] (the caller starts again); otherwise the progress event.
    pub fn update_commit(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        prepared: PreparedUpdate,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Option<Value>, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(Some(ev));
        }
        self.requests.check_conflict(&ti.type_name, id)?;
        let now = self.resources.props(&ti.type_name, id);
        let unchanged = match (&prepared.base, now) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        if !unchanged {
            return Ok(None);
        }
        let mut model = None;
        let mut undo = None;
        let mut undo_bytes = 0;
        let outcome = match prepared.outcome {
            Err(failure) => failure,
            Ok((new, json)) => {
                model = Some(json.clone());
                self.resources.replace(&ti.type_name, id, new, json);
                if let Some(old) = prepared.base {
                    undo_bytes = prepared.base_len;
                    undo = Some(Undo {
                        type_name: ti.type_name.clone(),
                        id: id.to_owned(),
                        before: Some(old),
                        left: self.resources.props(&ti.type_name, id).cloned(),
                    });
                }
                self.counters.updates += 1;
                Outcome::Success
            }
        };
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation: Operation::Update,
            identifier: Some(id.to_owned()),
            outcome,
            model,
            undo,
            undo_bytes,
        };
        Ok(Some(self.record(m, new, settings)))
    }

    pub fn delete(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(ev);
        }
        self.requests.check_conflict(&ti.type_name, id)?;
        let (outcome, undo, undo_bytes) = match self.resources.remove(&ti.type_name, id) {
            None => (failed("NotFound", not_found(ti, id)), None, 0),
            Some((props, len)) => {
                self.counters.deletes += 1;
                (
                    Outcome::Success,
                    Some(Undo {
                        type_name: ti.type_name.clone(),
                        id: id.to_owned(),
                        before: Some(props),
                        left: None,
                    }),
                    len,
                )
            }
        };
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation: Operation::Delete,
            identifier: Some(id.to_owned()),
            outcome,
            model: None,
            undo,
            undo_bytes,
        };
        Ok(self.record(m, new, settings))
    }

    /// A create, update or delete whose handler permissions the caller's policy (`--policy`)
    /// does not allow: nothing changes, and the request ends `FAILED` with `ErrorCode:
    /// AccessDenied` and `message` (idempotent by ClientToken like any other request).
    pub fn denied(
        &mut self,
        ti: &TypeInfo,
        operation: Operation,
        identifier: Option<&str>,
        message: String,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(ev);
        }
        if let Some(id) = identifier {
            self.requests.check_conflict(&ti.type_name, id)?;
        }
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation,
            identifier: identifier.map(str::to_owned),
            outcome: failed("AccessDenied", message),
            model: None,
            undo: None,
            undo_bytes: 0,
        };
        Ok(self.record(m, new, settings))
    }

    /// GetResourceRequestStatus: each call on an unfinished request consumes one poll.
    pub fn request_status(
        &mut self,
        token: &str,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        self.requests.status(token, settings)
    }

    /// CancelResourceRequest: an unfinished request is reverted; it reports
    /// `CANCEL_IN_PROGRESS`, then `CANCEL_COMPLETE` once a status call has seen that. The
    /// revert happens only while the resource is still as the request left it (it is: other
    /// mutating requests are refused while this one is unfinished).
    pub fn cancel(
        &mut self,
        token: &str,
        ti_json: &dyn Fn(&str) -> Option<Arc<TypeInfo>>,
    ) -> Result<Value, ApiError> {
        let (ev, undo) = self.requests.cancel(token)?;
        let Some(undo) = undo else {
            return Ok(ev);
        };
        let now = self.resources.props(&undo.type_name, &undo.id);
        let untouched = match (&undo.left, now) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        if !untouched {
            return Ok(ev);
        }
        match undo.before {
            None => {
                self.resources.remove(&undo.type_name, &undo.id);
            }
            Some(props) => {
                if let Some(ti) = ti_json(&undo.type_name) {
                    let props = Arc::unwrap_or_clone(props);
                    self.resources.insert(&ti, undo.id, props);
                }
            }
        }
        Ok(ev)
    }

    pub fn get(&self, ti: &TypeInfo, id: &str) -> Result<Arc<str>, ApiError> {
        self.resources.get(ti, id)
    }

    /// One ListResources page: `(identifier, properties)` items and the next token.
    pub fn list(
        &self,
        ti: &TypeInfo,
        filter: Option<&Map<String, Value>>,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<(String, Arc<str>)>, Option<String>) {
        self.resources.list(ti, filter, after, limit)
    }

    /// ListResourceRequests over the request records in creation order.
    pub fn list_requests(
        &mut self,
        operations: &[String],
        statuses: &[String],
        start: usize,
        limit: usize,
        settings: &OpSettings,
    ) -> (Vec<Value>, Option<usize>) {
        self.requests
            .list(operations, statuses, start, limit, settings)
    }
}
