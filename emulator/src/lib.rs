//! A local AWS Cloud Control API emulator driven by StackQL provider specs.
//!
//! The emulator is a real HTTP/1.1 server on 127.0.0.1 speaking `awsJson1_0`
//! (`X-Amz-Target: CloudApiService.<Operation>`), so the unmodified
//! `aws-sdk-cloudcontrol` (or boto3, or the AWS CLI) can talk to it. Every resource type of the
//! provider specs (`<specs_root>/<provider>/services/*.yaml`, read with `provider-spec`'s rules,
//! so exactly the types the generator generates) works:
//! desired states are validated against the type's JSON schema, read-only properties are
//! generated, primary identifiers are unique, requests are SigV4-verified, `ClientToken`s are
//! idempotent, and throttling / 5xx faults / latency can be injected with a seeded RNG.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudcontrol_emulator::Error> {
//! use cloudcontrol_emulator::{Config, Emulator};
//! let emulator = Emulator::start(Config::new("provider-specs")).await?;
//! println!("endpoint: {}", emulator.endpoint_url());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Behaviour notes (see also `../shared/cloudcontrol.md`):
//! - Create, Update and Delete are decided and applied when the request arrives (so the
//!   resource is visible to GetResource/ListResources at once), but the request reports
//!   `IN_PROGRESS` for [`Config::polls_until_complete`] calls of GetResourceRequestStatus before
//!   its terminal status (`SUCCESS` or `FAILED`).
//! - As in AWS, an invalid desired state or patch is refused in the call itself
//!   (`ValidationException`, `NotUpdatableException`), a resource with a request in progress
//!   refuses another (`ResourceConflictException`), and handler decisions (AlreadyExists,
//!   NotFound) are `FAILED` progress events; malformed API input gives `ValidationException` /
//!   `InvalidRequestException`.
//! - Injected throttling happens before the request is processed; an injected 5xx happens before
//!   processing or, for half of the mutating requests, after it (the "lost response" case), which
//!   is what exercises a client's `ClientToken` reuse.

#![deny(missing_docs)]

mod error;
pub mod example;
mod faults;
mod iam;
mod limits;
mod patch;
mod pattern;
pub mod sample;
mod schema;
mod server;
mod sigv4;
mod specs;
mod store;
mod time;
mod values;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use error::Error;
pub use iam::{Decision, IdentityPolicy, PolicyError};
pub use limits::Limits;
pub use pattern::{BadPattern, PatternReport};
pub use schema::Violation;
pub use specs::{Registry, TypeInfo};

/// The access key pair requests must be signed with.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Access key id expected in the SigV4 `Credential=` scope.
    pub access_key_id: String,
    /// Secret key used to recompute signatures. Never logged or printed.
    pub secret_access_key: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            access_key_id: "AKIDEXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
        }
    }
}

impl std::fmt::Debug for Credentials {
    // The secret must never reach logs, so Debug redacts it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .finish()
    }
}

/// Fault injection settings. The default injects nothing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// Probability (0.0–1.0) that a request is answered with `ThrottlingException` (HTTP 429)
    /// before it is processed.
    pub throttle_rate: f64,
    /// Probability (0.0–1.0) that a request is answered with a 5xx: the operation's modelled
    /// `ServiceInternalErrorException` (HTTP 502), or `InternalFailure` (500) /
    /// `ServiceUnavailable` (503) for the operations whose model does not declare it. For
    /// Create/Update/Delete half of these happen after the request was applied.
    pub server_error_rate: f64,
    /// Latency added to every authenticated request.
    pub latency: Duration,
    /// Seed of the RNG deciding faults and generated identifiers (reproducible runs).
    pub seed: u64,
    /// Regions in an outage: every authenticated request signed for one of them is answered
    /// `ServiceUnavailable` (HTTP 503) without being processed, while other regions answer
    /// normally.
    pub unavailable_regions: std::collections::BTreeSet<String>,
}

/// Emulator configuration. Build it with [`Config::new`] and adjust the public fields.
#[derive(Debug, Clone)]
pub struct Config {
    /// Directory holding `<provider>/services/*.yaml` (a provider directory, holding
    /// `services/` itself, is accepted too); `provider.yaml` is not read.
    pub specs_root: PathBuf,
    /// Credentials requests must be signed with.
    pub credentials: Credentials,
    /// Maximum ListResources page size; a request's `MaxResults` can only lower it.
    pub page_size: usize,
    /// Number of GetResourceRequestStatus calls answered `IN_PROGRESS` before the terminal
    /// status. 0 makes Create/Update/Delete answer with the terminal status at once.
    pub polls_until_complete: u32,
    /// Fault injection.
    pub faults: Faults,
    /// When set, non-terminal progress events carry `RetryAfter` = now + this delay.
    pub retry_after: Option<Duration>,
    /// Parse every service file at start (in parallel) instead of on first use of a type.
    pub preload: bool,
    /// Request sizes, per-request work, kept records and connection limits.
    pub limits: Limits,
    /// The caller's IAM identity policy (`--policy FILE`). `None` allows everything. When set,
    /// a Cloud Control action it does not allow is answered with HTTP 400
    /// `AccessDeniedException`, and a create, update or delete whose handler permissions it
    /// does not all allow ends `FAILED` with `ErrorCode: AccessDenied` naming the missing
    /// actions (a read or list: `AccessDeniedException` at once).
    pub policy: Option<IdentityPolicy>,
}

impl Config {
    /// A configuration with default credentials (`AKIDEXAMPLE`), a page size of 100, one
    /// `IN_PROGRESS` poll, no faults, lazy spec loading, [`Limits::default`].
    pub fn new(specs_root: impl Into<PathBuf>) -> Self {
        Config {
            specs_root: specs_root.into(),
            credentials: Credentials::default(),
            page_size: 100,
            polls_until_complete: 1,
            faults: Faults::default(),
            retry_after: None,
            preload: false,
            limits: Limits::default(),
            policy: None,
        }
    }
}

/// Counters describing what the emulator did since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests received (including rejected ones).
    pub requests: u64,
    /// Authenticated requests per Cloud Control operation name (only the eight operations the
    /// emulator implements are counted; other targets are not, so they cannot grow this map).
    pub operations: std::collections::BTreeMap<String, u64>,
    /// Resources actually created by CreateResource (idempotent replays and failures excluded).
    pub creates_performed: u64,
    /// Resources actually updated by UpdateResource.
    pub updates_performed: u64,
    /// Resources actually deleted by DeleteResource.
    pub deletes_performed: u64,
    /// Create/Update/Delete requests answered from the ClientToken cache (no second effect).
    pub idempotent_replays: u64,
    /// ClientTokenConflictException responses.
    pub client_token_conflicts: u64,
    /// Injected ThrottlingException responses.
    pub throttled: u64,
    /// Injected 5xx responses.
    pub server_errors: u64,
    /// Requests rejected by SigV4 verification.
    pub auth_failures: u64,
    /// Resources currently stored (all types).
    pub resources: u64,
}

/// A running emulator. Dropping it stops the server too; [`Emulator::shutdown`] waits for it.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<server::State>,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    /// Starts the emulator on an ephemeral port of 127.0.0.1.
    pub async fn start(config: Config) -> Result<Emulator, Error> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts the emulator on the given address (port 0 picks a free port).
    pub async fn start_on(config: Config, addr: SocketAddr) -> Result<Emulator, Error> {
        let root = config.specs_root.clone();
        let preload = config.preload;
        // Indexing reads every file; do it off the async workers.
        let registry = tokio::task::spawn_blocking(move || -> Result<Registry, Error> {
            let registry = Registry::index(&root)?;
            if preload {
                registry.load_all()?;
            }
            Ok(registry)
        })
        .await
        .map_err(|e| Error::Internal(format!("spec loading task failed: {e}")))??;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| Error::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| Error::Bind { addr, source })?;
        let state = Arc::new(server::State::new(config, Arc::new(registry)));
        let (shutdown, rx) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(server::serve(listener, state.clone(), rx));
        tracing::info!(%addr, types = state.registry.type_count(), "cloud control emulator listening");
        Ok(Emulator {
            addr,
            state,
            shutdown,
            task: Some(task),
        })
    }

    /// The endpoint to give the SDK, e.g. `http://127.0.0.1:40123`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The loaded provider specs.
    pub fn registry(&self) -> &Registry {
        &self.state.registry
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// Stops accepting connections, closes open ones and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Stores a resource directly (no request record, no polling), e.g. to preload 10,000
    /// resources for list tests. The properties are validated against the schema except that
    /// read-only properties may be given; missing read-only properties and a missing primary
    /// identifier are generated. Returns the primary identifier. Stored in `us-east-1` (each
    /// region has its own resources and requests, as in AWS; see [`Emulator::seed_resource_in`]).
    pub fn seed_resource(
        &self,
        type_name: &str,
        properties: serde_json::Value,
    ) -> Result<String, Error> {
        self.state.seed_resource(type_name, properties)
    }

    /// Stores a resource exactly as given under `identifier`: no validation, no generated
    /// values, so Get and List return these properties (write-only ones removed) even when they
    /// break the schema (missing required members, unknown properties, values of another
    /// type). This is how AWS read handlers sometimes answer; tests use it to check that
    /// clients survive it. A resource with the same identifier is replaced. Stored in
    /// `us-east-1`.
    pub fn seed_raw_resource(
        &self,
        type_name: &str,
        identifier: &str,
        properties: serde_json::Value,
    ) -> Result<(), Error> {
        self.state
            .seed_raw_resource(type_name, identifier, properties)
    }

    /// [`Emulator::seed_resource`] into the store of `region`.
    pub fn seed_resource_in(
        &self,
        region: &str,
        type_name: &str,
        properties: serde_json::Value,
    ) -> Result<String, Error> {
        self.state.seed_resource_in(region, type_name, properties)
    }

    /// Returns a stored resource's properties in `us-east-1` (write-only ones included), if
    /// present.
    pub fn resource(&self, type_name: &str, identifier: &str) -> Option<serde_json::Value> {
        self.state.resource(type_name, identifier)
    }

    /// [`Emulator::resource`] in the store of `region`.
    pub fn resource_in(
        &self,
        region: &str,
        type_name: &str,
        identifier: &str,
    ) -> Option<serde_json::Value> {
        self.state.resource_in(region, type_name, identifier)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
