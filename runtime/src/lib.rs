//! Thin typed runtime over AWS Cloud Control API.
//!
//! The generated resource modules call four generic functions:
//! - [`list`] / [`list_stream`]: `ListResources` to the last page (repeated tokens are an error),
//!   each item's `Properties` decoded into a typed row;
//! - [`create`]: `CreateResource` with one `ClientToken` per call, then polling
//!   `GetResourceRequestStatus` with `RetryAfter` bounds, backoff and a deadline;
//! - [`wait_for_request`] / [`resume_create`]: resume waiting on a request token.
//!
//! Build a [`Client`] with [`Client::from_env`] (standard AWS environment) or
//! [`Client::builder`]. The region is given per call.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudcontrol_runtime::Error> {
//! #[derive(serde::Deserialize)]
//! struct Row { #[serde(rename = "ConnectionArn")] arn: String }
//! let client = cloudcontrol_runtime::Client::from_env().await;
//! let rows: Vec<Row> =
//!     cloudcontrol_runtime::list(&client, "AWS::CodeConnections::Connection", "us-east-1", None).await?;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod backoff;
mod call;
mod client;
mod create;
mod error;
mod list;

pub use backoff::{PollConfig, RetrySettings};
pub use client::{Client, ClientBuilder};
pub use create::{create, resume_create, wait_for_request, Created, RequestOutcome};
pub use error::Error;
pub use list::{list, list_stream};

/// The SDK crate the runtime is built on, for callers that need the escape hatch
/// ([`Client::sdk`]).
pub use aws_sdk_cloudcontrol as sdk;

#[cfg(test)]
mod tests {
    /// Callers spawn these futures and streams on multi-threaded runtimes: they must be `Send`.
    #[test]
    fn futures_and_streams_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = crate::Client::builder()
            .endpoint_url("http://127.0.0.1:1")
            .credentials("a", "b")
            .build()
            .unwrap();
        let input = serde_json::json!({});
        assert_send(&crate::list::<serde_json::Value>(
            &client, "A::B::C", "r", None,
        ));
        assert_send(&crate::list_stream::<serde_json::Value>(
            &client, "A::B::C", "r", None,
        ));
        assert_send(&crate::create::<_, serde_json::Value>(
            &client, "A::B::C", "r", &input,
        ));
        assert_send(&crate::wait_for_request(&client, "r", "t"));
        assert_send(&crate::resume_create::<serde_json::Value>(
            &client, "A::B::C", "r", "t",
        ));
    }
}
