//! Client construction: from the standard AWS environment or from explicit settings.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use aws_sdk_cloudcontrol as cc;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use cc::config::{BehaviorVersion, Region};

use crate::backoff::{PollConfig, RetrySettings};
use crate::error::Error;

/// Default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default timeout of one HTTP attempt (the SDK's own retries are off, see [`RetrySettings`]).
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// A Cloud Control API client shared by every runtime call.
///
/// Cheap to clone (the SDK clients and connection pool are shared). The region is chosen per
/// call; one SDK client per region is built on first use and cached.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    retry: RetrySettings,
    poll: PollConfig,
    progress: Option<ProgressHook>,
}

/// Called with the status of a request each time a wait learns it (the accepted event, then
/// every poll), e.g. to show progress. Must be cheap and must not block.
pub type ProgressHook = Arc<dyn Fn(&crate::requests::RequestStatus) + Send + Sync>;

struct Shared {
    base: cc::Config,
    default_region: Option<String>,
    endpoint_url: Option<String>,
    // BTreeMap keeps any future iteration deterministic; lookups dominate, writes are rare.
    regional: RwLock<BTreeMap<String, cc::Client>>,
}

// Hand-written so that nothing credential-shaped can ever reach a log line through `{:?}`.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("default_region", &self.shared.default_region)
            .field("endpoint_url", &self.shared.endpoint_url)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client configured from the standard AWS environment through `aws-config`: credentials
    /// from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, web identity or IMDS; default
    /// region from `AWS_REGION`/profile; endpoint from `AWS_ENDPOINT_URL_CLOUDCONTROL` or
    /// `AWS_ENDPOINT_URL`. Retry, timeout and polling settings are the defaults.
    pub async fn from_env() -> Client {
        ClientBuilder::default().load().await
    }

    /// A builder for explicit settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The same client with other polling settings (shares connections and caches).
    pub fn with_poll_config(&self, poll: PollConfig) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            retry: self.retry.clone(),
            poll,
            progress: self.progress.clone(),
        }
    }

    /// The same client, calling `hook` with every request status its waits see.
    pub fn with_progress(&self, hook: ProgressHook) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            retry: self.retry.clone(),
            poll: self.poll.clone(),
            progress: Some(hook),
        }
    }

    /// The progress hook in force, if any.
    pub fn progress_hook(&self) -> Option<&ProgressHook> {
        self.progress.as_ref()
    }

    /// The same client with other retry settings (shares connections and caches).
    pub fn with_retry(&self, retry: RetrySettings) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            retry,
            poll: self.poll.clone(),
            progress: self.progress.clone(),
        }
    }

    /// Retry settings in force.
    pub fn retry_settings(&self) -> &RetrySettings {
        &self.retry
    }

    /// Polling settings in force.
    pub fn poll_config(&self) -> &PollConfig {
        &self.poll
    }

    /// The region found in the environment or set on the builder, if any. Calls always name
    /// their region explicitly; this is for callers that want a default.
    pub fn default_region(&self) -> Option<&str> {
        self.shared.default_region.as_deref()
    }

    /// The custom endpoint, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.shared.endpoint_url.as_deref()
    }

    /// The underlying SDK client for `region` (escape hatch for operations the runtime does not
    /// wrap). It carries the same credentials, endpoint and timeouts, with SDK retries disabled.
    pub fn sdk(&self, region: &str) -> cc::Client {
        if let Some(c) = read_lock(&self.shared.regional).get(region) {
            return c.clone();
        }
        let client = cc::Client::from_conf(
            self.shared
                .base
                .to_builder()
                .region(Region::new(region.to_owned()))
                .build(),
        );
        let mut map = match self.shared.regional.write() {
            Ok(g) => g,
            // A panic elsewhere while holding the lock cannot corrupt a map of clients.
            Err(poisoned) => poisoned.into_inner(),
        };
        map.entry(region.to_owned()).or_insert(client).clone()
    }
}

fn read_lock<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    match lock.read() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Static credentials given to the builder.
#[derive(Clone)]
struct StaticCredentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl StaticCredentials {
    fn to_sdk(&self) -> cc::config::Credentials {
        cc::config::Credentials::new(
            self.access_key_id.clone(),
            self.secret_access_key.clone(),
            self.session_token.clone(),
            None,
            "cloudcontrol-runtime",
        )
    }
}

/// Builder for [`Client`]. Unset values come from the environment in [`ClientBuilder::load`];
/// [`ClientBuilder::build`] needs credentials and does not read the environment.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    endpoint_url: Option<String>,
    region: Option<String>,
    credentials: Option<StaticCredentials>,
    retry: Option<RetrySettings>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    poll: Option<PollConfig>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint_url", &self.endpoint_url)
            .field("region", &self.region)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "** redacted **"),
            )
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("poll", &self.poll)
            .finish()
    }
}

impl ClientBuilder {
    /// Sends every call to this endpoint (e.g. `http://127.0.0.1:4566` for the emulator).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Default region reported by [`Client::default_region`].
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Static credentials.
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        let session_token = self.credentials.take().and_then(|c| c.session_token);
        self.credentials = Some(StaticCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        });
        self
    }

    /// Session token for temporary static credentials (call after [`ClientBuilder::credentials`]).
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        if let Some(c) = self.credentials.as_mut() {
            c.session_token = Some(token.into());
        }
        self
    }

    /// Retry settings (default: [`RetrySettings::default`]).
    pub fn retry(mut self, retry: RetrySettings) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Timeout of one HTTP attempt, including reading the response (default 60 s).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Polling settings for create (default: [`PollConfig::default`]).
    pub fn poll(mut self, poll: PollConfig) -> Self {
        self.poll = Some(poll);
        self
    }

    /// Builds a client from the explicit settings only (no environment look-up).
    ///
    /// Fails when no credentials were given, or when the endpoint needs HTTPS and the crate was
    /// built without the `rustls` feature.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.clone().ok_or_else(|| Error::Config {
            message: "no credentials given: call .credentials(..) or use ClientBuilder::load() / \
                      Client::from_env() to read them from the environment"
                .to_owned(),
        })?;
        let http = http_client(self.endpoint_url.as_deref())?;
        let mut conf = cc::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .credentials_provider(credentials.to_sdk())
            .http_client(http);
        if let Some(url) = &self.endpoint_url {
            conf = conf.endpoint_url(url.clone());
        }
        let default_region = self.region.clone();
        if let Some(r) = &default_region {
            conf = conf.region(Region::new(r.clone()));
        }
        let endpoint_url = self.endpoint_url.clone();
        Ok(self.finish(conf, default_region, endpoint_url))
    }

    /// Builds a client, taking anything not set explicitly from the standard AWS environment
    /// (see [`Client::from_env`]).
    pub async fn load(self) -> Client {
        // With TLS compiled in, the HTTPS client also speaks plain HTTP, so an `http://`
        // endpoint found in the environment still works.
        let http = match http_client(self.endpoint_url.as_deref()) {
            Ok(h) => h,
            Err(_) => plain_http_client(),
        };
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http.clone());
        if let Some(r) = &self.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url.clone());
        }
        if let Some(c) = &self.credentials {
            loader = loader.credentials_provider(c.to_sdk());
        }
        let sdk = loader.load().await;
        let default_region = sdk.region().map(|r| r.to_string());
        let endpoint_url = sdk.endpoint_url().map(str::to_owned);
        let conf = cc::config::Builder::from(&sdk).http_client(http);
        self.finish(conf, default_region, endpoint_url)
    }

    fn finish(
        self,
        conf: cc::config::Builder,
        default_region: Option<String>,
        endpoint_url: Option<String>,
    ) -> Client {
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .operation_timeout(self.operation_timeout.unwrap_or(DEFAULT_OPERATION_TIMEOUT))
            .build();
        // The runtime retries in its own loop (see RetrySettings for why); SDK retries off.
        let base = conf
            .retry_config(RetryConfig::disabled())
            .timeout_config(timeouts)
            .build();
        Client {
            shared: Arc::new(Shared {
                base,
                default_region,
                endpoint_url,
                regional: RwLock::new(BTreeMap::new()),
            }),
            retry: self.retry.unwrap_or_default(),
            poll: self.poll.unwrap_or_default(),
            progress: None,
        }
    }
}

/// Plain HTTP (hyper 1, no TLS, no proxy): used for `http://` endpoints such as the emulator.
fn plain_http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new().build_http()
}

/// Picks the HTTP client for an endpoint: plain HTTP for `http://`, rustls otherwise.
fn http_client(endpoint_url: Option<&str>) -> Result<SharedHttpClient, Error> {
    let plain = endpoint_url
        .map(|u| u.trim_start().to_ascii_lowercase().starts_with("http://"))
        .unwrap_or(false);
    if plain {
        return Ok(plain_http_client());
    }
    https_client()
}

#[cfg(feature = "rustls")]
fn https_client() -> Result<SharedHttpClient, Error> {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    Ok(aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https())
}

#[cfg(not(feature = "rustls"))]
fn https_client() -> Result<SharedHttpClient, Error> {
    Err(Error::Config {
        message: "HTTPS endpoints need the `rustls` feature of cloudcontrol-runtime; \
                  without it only http:// endpoints (e.g. the local emulator) work"
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_requires_credentials() {
        let err = Client::builder()
            .endpoint_url("http://127.0.0.1:1")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
    }

    #[test]
    fn debug_output_redacts_credentials() {
        let b = Client::builder()
            .endpoint_url("http://127.0.0.1:1")
            .region("eu-west-1")
            .credentials("AKIDLEAKCHECK", "SECRETLEAKCHECK")
            .session_token("TOKENLEAKCHECK");
        let shown = format!("{b:?}");
        let client = b.build().unwrap();
        let shown = format!("{shown} {client:?}");
        for secret in ["AKIDLEAKCHECK", "SECRETLEAKCHECK", "TOKENLEAKCHECK"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("eu-west-1"));
        assert_eq!(client.default_region(), Some("eu-west-1"));
        assert_eq!(client.endpoint_url(), Some("http://127.0.0.1:1"));
    }

    #[test]
    fn regional_clients_are_cached_and_carry_their_region() {
        let client = Client::builder()
            .endpoint_url("http://127.0.0.1:1")
            .credentials("a", "b")
            .build()
            .unwrap();
        let east = client.sdk("us-east-1");
        let west = client.sdk("us-west-2");
        assert_eq!(
            east.config().region().map(|r| r.as_ref()),
            Some("us-east-1")
        );
        assert_eq!(
            west.config().region().map(|r| r.as_ref()),
            Some("us-west-2")
        );
        assert_eq!(read_lock(&client.shared.regional).len(), 2);
        let _again = client.sdk("us-east-1");
        assert_eq!(read_lock(&client.shared.regional).len(), 2);
    }

    #[cfg(not(feature = "rustls"))]
    #[test]
    fn https_without_tls_feature_is_a_config_error() {
        let err = Client::builder().credentials("a", "b").build().unwrap_err();
        assert!(err.to_string().contains("rustls"), "{err}");
    }
}
