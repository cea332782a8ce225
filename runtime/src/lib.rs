//! Thin typed runtime over AWS Cloud Control API.
//!
//! The generated resource modules call these generic functions:
//! - [`list`] / [`list_stream`]: `ListResources` to the last page (repeated tokens are an error),
//!   each resource a [`ListItem`]: decoded into the typed model, or [`Undecoded`] (identifier,
//!   raw JSON, JSON path and reason) without ending the listing; [`list_raw`] /
//!   [`list_stream_raw`] give the raw JSON;
//! - [`decode_model`]: a resource's properties into a typed model, or [`Error::Decode`] with
//!   the JSON path and the raw JSON;
//! - [`get`]: `GetResource`, a missing resource being [`Error::NotFound`];
//! - [`create`], [`update`] (RFC 6902 JSON Patch), [`delete`]: one `ClientToken` per call,
//!   reused on every retry, then one waiter polling `GetResourceRequestStatus` with
//!   `RetryAfter` bounds, backoff and a deadline;
//! - [`resume`] (any operation) / [`resume_create`] / [`resume_update`] / [`resume_delete`]:
//!   resume waiting on a request token; [`cancel`], [`request_status`] and [`list_requests`]
//!   (Cloud Control's operation and status filters) track requests;
//! - [`list_regions`]: one type listed in several regions concurrently, rows tagged with their
//!   region, failed regions reported beside the others' rows.
//!
//! Build a [`Client`] with [`Client::from_env`] (standard AWS environment) or
//! [`Client::builder`]. The region is given per call.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudcontrol_runtime::Error> {
//! #[derive(serde::Deserialize)]
//! struct Row { #[serde(rename = "ConnectionArn")] arn: String }
//! let client = cloudcontrol_runtime::Client::from_env().await;
//! let items: Vec<cloudcontrol_runtime::ListItem<Row>> =
//!     cloudcontrol_runtime::list(&client, "AWS::CodeConnections::Connection", "us-east-1", None).await?;
//! for item in items {
//!     match item {
//!         cloudcontrol_runtime::ListItem::Decoded(row) => println!("{}", row.arn),
//!         cloudcontrol_runtime::ListItem::Undecoded(raw) => eprintln!("{raw}"),
//!         _ => {}
//!     }
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod access;
mod backoff;
mod call;
mod client;
mod create;
mod decode;
mod error;
mod list;
mod ops;
mod refused;
mod regions;
mod requests;
mod wait;

pub use backoff::{PollConfig, RetrySettings};
pub use client::{Client, ClientBuilder, ProgressHook};
pub use create::{create, resume_create, Created};
pub use decode::{all_decoded, decode_model, ListItem, Undecoded};
pub use error::Error;
pub use list::{list, list_raw, list_stream, list_stream_raw};
pub use ops::{delete, get, resume_delete, resume_update, update, Deleted, Updated};
pub use regions::{list_regions, MultiRegion, RegionRow, DEFAULT_REGION_CONCURRENCY};
pub use requests::{
    cancel, list_requests, request_status, resume, wait_for_request, Operation, RequestFilter,
    RequestOutcome, RequestStatus,
};

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
        assert_send(&crate::list_raw(&client, "A::B::C", "r", None));
        assert_send(&crate::list_stream_raw(&client, "A::B::C", "r", None));
        assert_send(&crate::create::<_, serde_json::Value>(
            &client, "A::B::C", "r", &input,
        ));
        assert_send(&crate::wait_for_request(&client, "r", "t"));
        assert_send(&crate::resume(&client, "r", "t"));
        assert_send(&crate::get::<serde_json::Value>(
            &client, "A::B::C", "r", "id",
        ));
        assert_send(&crate::update::<_, serde_json::Value>(
            &client, "A::B::C", "r", "id", &input,
        ));
        assert_send(&crate::delete(&client, "A::B::C", "r", "id"));
        assert_send(&crate::cancel(&client, "r", "t"));
        assert_send(&crate::list_requests(
            &client,
            "r",
            &crate::RequestFilter::new(),
        ));
        assert_send(&crate::resume_create::<serde_json::Value>(
            &client, "A::B::C", "r", "t",
        ));
    }
}
