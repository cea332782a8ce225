//! The runtime's single error type.
//!
//! Variants separate "AWS said no" ([`Error::Service`]) from throttling that outlasted the retries
//! ([`Error::Throttled`]), transport failures ([`Error::Transport`]), payloads that do not match the
//! typed model ([`Error::Decode`]), and the outcomes of asynchronous requests
//! ([`Error::RequestFailed`], [`Error::Cancelled`], [`Error::Deadline`], and [`Error::Wait`] for a
//! wait a failed status poll stopped: each names the operation, the request token and the
//! identifier when known), and a missing resource ([`Error::NotFound`]). Requests AWS refuses in the call itself have their own variants:
//! invalid properties ([`Error::Validation`]), a patch changing create-only properties
//! ([`Error::NotUpdatable`]) and a resource busy with another request
//! ([`Error::ResourceConflict`]).
//!
//! No variant ever holds credentials: messages are built from error codes, service messages and
//! transport descriptions only (see the `credentials_never_leak` test).

use std::time::Duration;

pub use crate::requests::Operation;

/// Everything that can go wrong in a runtime call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// AWS answered with an error response ("AWS said no"), e.g. `InvalidRequestException`.
    #[error("{operation} for {type_name} in {region} failed: {code}: {message}")]
    Service {
        /// Cloud Control operation, e.g. `ListResources`.
        operation: &'static str,
        /// CloudFormation type name (or the request token's type when unknown).
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// Error code as returned by AWS (`TypeNotFoundException`, `ValidationException`, ...).
        code: String,
        /// Error message as returned by AWS.
        message: String,
        /// HTTP status of the error response, when there was one.
        status: Option<u16>,
    },
    /// AWS kept throttling the call until the retry budget ran out.
    #[error("{operation} for {type_name} in {region} was throttled after {attempts} attempts: {code}: {message}")]
    Throttled {
        /// Cloud Control operation.
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// Throttling error code, e.g. `ThrottlingException`.
        code: String,
        /// Last throttling message.
        message: String,
        /// Attempts made, including the first.
        attempts: u32,
    },
    /// The request never got a usable answer: connect/IO failure, timeout, unparseable response,
    /// server faults (5xx) that outlasted the retries, or a client that cannot sign requests.
    #[error(
        "{operation} for {type_name} in {region} failed after {attempts} attempt(s): {message}"
    )]
    Transport {
        /// Cloud Control operation.
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// Description of the failure (never contains credentials).
        message: String,
        /// Attempts made, including the first.
        attempts: u32,
    },
    /// A resource's properties did not decode into the typed model. The raw JSON is attached,
    /// so the caller can still use what AWS sent.
    #[error("cannot decode {type_name} resource {} at {path}: {message}", identifier.as_deref().unwrap_or("<no identifier>"))]
    Decode {
        /// CloudFormation type name.
        type_name: String,
        /// Identifier of the resource, when known.
        identifier: Option<String>,
        /// JSON path of the value that did not decode (`Tags[0].Value`; `.` for the whole
        /// document).
        path: String,
        /// Why it did not decode.
        message: String,
        /// The properties as AWS sent them (`null` when there were none; a JSON string
        /// holding the text when it was not JSON). Boxed to keep `Error` small.
        raw: Box<serde_json::Value>,
    },
    /// The typed input could not be encoded as a JSON object for `DesiredState`.
    #[error("cannot encode the desired state of {type_name}: {message}")]
    Encode {
        /// CloudFormation type name.
        type_name: String,
        /// Encoder message.
        message: String,
    },
    /// The resource handler reported `FAILED` for a create, update or delete request.
    #[error("{operation} of {type_name}{} failed (request token {request_token}): {error_code}: {message}", of_identifier(identifier))]
    RequestFailed {
        /// The operation of the request.
        operation: Operation,
        /// CloudFormation type name.
        type_name: String,
        /// Handler error code, e.g. `InvalidRequest`, `AlreadyExists`, `NotFound`.
        error_code: String,
        /// Handler status message (names the offending property for validation failures).
        message: String,
        /// Request token of the failed request.
        request_token: String,
        /// Identifier: the one the handler reported, else the one an update or delete was
        /// for; `None` for a create that failed before one was assigned.
        identifier: Option<String>,
    },
    /// The request ended in `CANCEL_COMPLETE`.
    #[error("{operation} request {request_token} for {type_name} was cancelled: {status_message}")]
    Cancelled {
        /// The operation of the request.
        operation: Operation,
        /// CloudFormation type name.
        type_name: String,
        /// Request token of the cancelled request.
        request_token: String,
        /// Last status message, if any.
        status_message: String,
    },
    /// The request did not finish before the polling deadline. It may still complete: call
    /// [`crate::resume`] (or the typed [`crate::resume_create`]) with `request_token` to resume.
    #[error("gave up waiting for {operation} request {request_token} of {type_name}{} after {waited:?} (last status {last_status}); resume with the request token", of_identifier(identifier))]
    Deadline {
        /// The operation of the request (`Unknown` when no status was ever read).
        operation: Operation,
        /// CloudFormation type name.
        type_name: String,
        /// Request token to resume waiting with.
        request_token: String,
        /// Identifier, when already known (reported by the handler, or the one an update or
        /// delete was for).
        identifier: Option<String>,
        /// Last operation status seen (`IN_PROGRESS`, `PENDING`, ...).
        last_status: String,
        /// Time spent waiting.
        waited: Duration,
    },
    /// Waiting for an accepted create, update or delete stopped without its outcome: a status
    /// poll failed for good (`source`; throttling and transport failures do not stop the wait,
    /// they count as missed polls until the deadline) or answered what the protocol does not
    /// allow. The request may still complete: resume with `request_token`.
    #[error(
        "waiting for {operation} request {request_token} of {type_name}{} stopped: {source}",
        of_identifier(identifier)
    )]
    Wait {
        /// The operation of the request (`Unknown` when neither the caller nor a status said).
        operation: Operation,
        /// CloudFormation type name (`<unknown type>` when neither the caller nor a status
        /// said).
        type_name: String,
        /// Request token to resume waiting with.
        request_token: String,
        /// Identifier, when known.
        identifier: Option<String>,
        /// The failure that stopped the wait.
        source: Box<Error>,
    },
    /// The resource does not exist (`GetResource` answered `ResourceNotFoundException`).
    #[error("{type_name} {identifier} not found")]
    NotFound {
        /// CloudFormation type name.
        type_name: String,
        /// The identifier asked for.
        identifier: String,
    },
    /// ListResources returned a `NextToken` it had already returned: following it would loop.
    #[error("ListResources for {type_name} in {region} returned an already seen NextToken after page {page}: pagination loop")]
    PaginationLoop {
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// 1-based number of the page that repeated a token.
        page: usize,
    },
    /// AWS answered successfully but without a member the protocol guarantees (e.g. no
    /// `ProgressEvent` or no `RequestToken` after a create).
    #[error("{operation} for {type_name}: unexpected response: {message}")]
    Protocol {
        /// Cloud Control operation.
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// What was missing or malformed.
        message: String,
    },
    /// The request (create or update) succeeded but fetching or decoding the model failed.
    #[error("request {request_token} for {type_name} {identifier} succeeded but its model could not be read: {source}")]
    ModelFetch {
        /// CloudFormation type name.
        type_name: String,
        /// Identifier of the created resource.
        identifier: String,
        /// Request token of the successful create.
        request_token: String,
        /// Why the model could not be read.
        source: Box<Error>,
    },
    /// AWS refused for lack of IAM permissions: either the Cloud Control call itself
    /// (`AccessDeniedException`, e.g. no `cloudformation:CreateResource`) or, for a request
    /// already accepted, the resource handler (progress event `FAILED` with `ErrorCode:
    /// AccessDenied`, e.g. no `logs:CreateLogGroup`).
    #[error("access denied: {operation} of {type_name} needs {}: {message}", if missing_actions.is_empty() { "permissions not named by AWS".to_owned() } else { missing_actions.join(", ") })]
    AccessDenied {
        /// Cloud Control operation (`CreateResource`, `GetResourceRequestStatus`, ...).
        operation: String,
        /// CloudFormation type name.
        type_name: String,
        /// The IAM actions the message names as not allowed (`logs:CreateLogGroup`); empty
        /// when the message does not name them.
        missing_actions: Vec<String>,
        /// The message as AWS sent it.
        message: String,
        /// Request token, when a request was accepted and its handler was denied.
        request_token: Option<String>,
    },
    /// AWS refused the properties in the call itself (`ValidationException`, HTTP 400): a
    /// desired state or patched model that violates the type's schema (`Model validation failed
    /// (#/ConnectionName: expected maxLength: 32, actual: 40)`), or a patch changing read-only
    /// properties. Nothing was created or changed and no request token was issued.
    #[error("{operation} of {type_name} in {region} refused: invalid {}: {message}", property.as_deref().unwrap_or("request"))]
    Validation {
        /// Cloud Control operation (`CreateResource`, `UpdateResource`, ...).
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// The message as AWS sent it.
        message: String,
        /// The first offending property as a path below the resource (`ConnectionName`,
        /// `Tags/0/Key`), parsed from the message; `None` when the message names none.
        property: Option<String>,
    },
    /// AWS refused an update patch that changes create-only properties
    /// (`NotUpdatableException`, HTTP 400: `Invalid patch update: createOnlyProperties
    /// [/properties/LogGroupName] cannot be updated`). Changing them means replacing the
    /// resource: delete it and create it anew.
    #[error("{operation} of {type_name} in {region} refused: {} cannot be updated: {message}", if properties.is_empty() { "a property".to_owned() } else { properties.join(", ") })]
    NotUpdatable {
        /// Cloud Control operation (`UpdateResource`).
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// The message as AWS sent it.
        message: String,
        /// The properties the message names, as paths below the resource (`LogGroupName`,
        /// `DnsOptions/PrivateDnsPreference`).
        properties: Vec<String>,
    },
    /// AWS refused a create, update or delete because another request on the same resource is
    /// still in progress (`ResourceConflictException`, HTTP 409): AWS runs one mutating
    /// operation at a time per resource. Wait for that request (its token is usually in
    /// [`crate::list_requests`]) and try again.
    #[error("{operation} of {type_name} in {region} refused: the resource has another request in progress: {message}")]
    ResourceConflict {
        /// Cloud Control operation.
        operation: &'static str,
        /// CloudFormation type name.
        type_name: String,
        /// Region the call was sent to.
        region: String,
        /// The message as AWS sent it.
        message: String,
    },
    /// The client could not be built from the given settings.
    #[error("invalid Cloud Control client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The request token carried by the error, if any: use it with [`crate::wait_for_request`]
    /// after [`Error::Deadline`], or to look the request up after a failure.
    pub fn request_token(&self) -> Option<&str> {
        match self {
            Error::RequestFailed { request_token, .. }
            | Error::Cancelled { request_token, .. }
            | Error::Deadline { request_token, .. }
            | Error::Wait { request_token, .. }
            | Error::ModelFetch { request_token, .. } => Some(request_token),
            Error::AccessDenied { request_token, .. } => request_token.as_deref(),
            _ => None,
        }
    }

    /// The AWS error code (service errors, throttling, refused requests) or handler error code
    /// (failed requests).
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service { code, .. } | Error::Throttled { code, .. } => Some(code),
            Error::RequestFailed { error_code, .. } => Some(error_code),
            Error::Validation { .. } => Some("ValidationException"),
            Error::NotUpdatable { .. } => Some("NotUpdatableException"),
            Error::ResourceConflict { .. } => Some("ResourceConflictException"),
            Error::Wait { source, .. } => source.code(),
            _ => None,
        }
    }

    /// The property an error names: the first offending one of [`Error::Validation`] or
    /// [`Error::NotUpdatable`].
    pub fn property(&self) -> Option<&str> {
        match self {
            Error::Validation { property, .. } => property.as_deref(),
            Error::NotUpdatable { properties, .. } => properties.first().map(String::as_str),
            _ => None,
        }
    }

    /// Whether the error says the resource does not exist: [`Error::NotFound`], or a request
    /// that failed with the handler error code `NotFound`.
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::NotFound { .. } => true,
            Error::RequestFailed { error_code, .. } => error_code == "NotFound",
            Error::Service { code, .. } => code == "ResourceNotFoundException",
            _ => false,
        }
    }

    /// The operation of the asynchronous request the error is about, if any.
    pub fn operation(&self) -> Option<&Operation> {
        match self {
            Error::RequestFailed { operation, .. }
            | Error::Cancelled { operation, .. }
            | Error::Deadline { operation, .. }
            | Error::Wait { operation, .. } => Some(operation),
            _ => None,
        }
    }
}

/// ` <identifier>` after a type name in a message, or nothing.
fn of_identifier(identifier: &Option<String>) -> String {
    identifier
        .as_deref()
        .map(|identifier| format!(" {identifier}"))
        .unwrap_or_default()
}
