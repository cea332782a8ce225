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

use crate::schema::{self, Violation};
use crate::specs::TypeInfo;

use generated::Generator;
use requests::{failed, NewRequest, Outcome, Requests, Undo};
use resources::{not_found, public_json, Resources};
use validate::{kind, validate, validation_message};

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
    /// Operation, TypeName, TypeVersionId, RoleArn and body, joined.
    pub fingerprint: String,
    pub region: &'a str,
}

/// All emulator state.
pub struct Store {
    resources: Resources,
    requests: Requests,
    generator: Generator,
    pub counters: Counters,
}

impl Store {
    pub fn new(seed: u64) -> Self {
        Store {
            resources: Resources::default(),
            requests: Requests::default(),
            generator: Generator::new(seed),
            counters: Counters::default(),
        }
    }

    /// Number of stored resources.
    pub fn resource_count(&self) -> u64 {
        self.resources.count()
    }

    pub fn resource(&self, type_name: &str, id: &str) -> Option<Value> {
        self.resources.props(type_name, id).cloned()
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
        let v = validate(ti, &props, true);
        if !v.is_empty() {
            return Err(crate::Error::InvalidProperties {
                type_name: ti.type_name.clone(),
                message: schema::describe(&v),
            });
        }
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

    /// Records a request under a fresh token; returns its first progress event.
    fn record(&mut self, m: &Mutation<'_>, new: NewRequest, settings: &OpSettings) -> Value {
        let token = self.generator.uuid();
        self.requests.record(token, m, new, settings)
    }

    pub fn create(
        &mut self,
        ti: &TypeInfo,
        desired_state: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
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
                let v = validate(ti, &props, false);
                if !v.is_empty() {
                    failed("InvalidRequest", validation_message(ti, &v))
                } else {
                    self.generator.generate(ti, &mut props, m.region);
                    match identifier_of(ti, &props) {
                        None => failed(
                            "InvalidRequest",
                            "The primary identifier could not be determined from the desired state"
                                .into(),
                        ),
                        Some(id) => {
                            if self.resources.contains(&ti.type_name, &id) {
                                failed(
                                    "AlreadyExists",
                                    format!("Resource of type '{}' with identifier '{id}' already exists.", ti.type_name),
                                )
                            } else {
                                model = Some(self.resources.insert(ti, id.clone(), props));
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
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation: Operation::Create,
            identifier,
            outcome,
            model,
            undo,
        };
        Ok(self.record(m, new, settings))
    }

    pub fn update(
        &mut self,
        ti: &TypeInfo,
        id: &str,
        patch_document: &str,
        m: &Mutation<'_>,
        settings: &OpSettings,
    ) -> Result<Value, ApiError> {
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(ev);
        }
        let current = self.resources.props(&ti.type_name, id).cloned();
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
        let new = NewRequest {
            type_name: ti.type_name.clone(),
            operation: Operation::Update,
            identifier: Some(id.to_owned()),
            outcome,
            model,
            undo,
        };
        Ok(self.record(m, new, settings))
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
        let v = validate(ti, &new, true);
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
        self.resources.replace(&ti.type_name, id, new, json);
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
        if let Some(ev) = self.requests.check_token(m, settings, &mut self.counters)? {
            return Ok(ev);
        }
        let (outcome, undo) = match self.resources.remove(&ti.type_name, id) {
            None => (failed("NotFound", not_found(ti, id)), None),
            Some(props) => {
                self.counters.deletes += 1;
                (
                    Outcome::Success,
                    Some(Undo::Restore {
                        type_name: ti.type_name.clone(),
                        id: id.to_owned(),
                        props,
                    }),
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

    /// CancelResourceRequest: an unfinished request is reverted and ends as CANCEL_COMPLETE.
    pub fn cancel(
        &mut self,
        token: &str,
        ti_json: &dyn Fn(&str) -> Option<Arc<TypeInfo>>,
    ) -> Result<Value, ApiError> {
        let (ev, undo) = self.requests.cancel(token)?;
        match undo {
            Some(Undo::Remove { type_name, id }) => {
                self.resources.remove(&type_name, &id);
            }
            Some(Undo::Restore {
                type_name,
                id,
                props,
            }) => {
                if let Some(ti) = ti_json(&type_name) {
                    self.resources.insert(&ti, id, props);
                }
            }
            None => {}
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
        &self,
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
