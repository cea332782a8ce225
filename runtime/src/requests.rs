//! Request tracking: the operation and status of asynchronous requests, listing them with
//! Cloud Control's filters, cancelling one, and resuming the wait for any of them.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Instant;

use aws_sdk_cloudcontrol as cc;
use cc::types::ProgressEvent;
use tracing::Instrument;

use crate::call::{with_retries, Call};
use crate::client::Client;
use crate::error::Error;
use crate::wait::{protocol, wait, Expect};

/// The operation of an asynchronous Cloud Control request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `CREATE`.
    Create,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// An operation this runtime does not know (or not reported yet).
    Unknown,
}

impl Operation {
    /// Cloud Control's spelling: `CREATE`, `UPDATE`, `DELETE`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Unknown => "UNKNOWN",
        }
    }

    /// Parses Cloud Control's spelling (case-insensitive); anything else is [`Operation::Unknown`].
    pub fn parse(text: &str) -> Operation {
        match text.to_ascii_uppercase().as_str() {
            "CREATE" => Operation::Create,
            "UPDATE" => Operation::Update,
            "DELETE" => Operation::Delete,
            _ => Operation::Unknown,
        }
    }

    pub(crate) fn from_sdk(op: &cc::types::Operation) -> Operation {
        Operation::parse(op.as_str())
    }

    fn to_sdk(self) -> cc::types::Operation {
        cc::types::Operation::from(self.as_str())
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of one request, as `GetResourceRequestStatus`, `ListResourceRequests` or
/// `CancelResourceRequest` report it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct RequestStatus {
    /// The request token.
    pub request_token: String,
    /// `CREATE`, `UPDATE` or `DELETE`.
    #[serde(serialize_with = "operation_text")]
    pub operation: Option<Operation>,
    /// `PENDING`, `IN_PROGRESS`, `SUCCESS`, `FAILED`, `CANCEL_IN_PROGRESS`, `CANCEL_COMPLETE`.
    pub status: String,
    /// CloudFormation type name.
    pub type_name: Option<String>,
    /// Primary identifier of the resource, once known.
    pub identifier: Option<String>,
    /// Handler error code of a failed request.
    pub error_code: Option<String>,
    /// Status message.
    pub status_message: Option<String>,
    /// When the status was recorded (RFC 3339).
    pub event_time: Option<String>,
}

fn operation_text<S: serde::Serializer>(op: &Option<Operation>, s: S) -> Result<S::Ok, S::Error> {
    match op {
        Some(op) => s.serialize_str(op.as_str()),
        None => s.serialize_none(),
    }
}

impl RequestStatus {
    /// A status with only its request token and status text (the other fields `None`), e.g.
    /// to test a [`crate::ProgressHook`]; set the public fields to fill in the rest.
    pub fn new(request_token: impl Into<String>, status: impl Into<String>) -> RequestStatus {
        RequestStatus {
            request_token: request_token.into(),
            operation: None,
            status: status.into(),
            type_name: None,
            identifier: None,
            error_code: None,
            status_message: None,
            event_time: None,
        }
    }

    pub(crate) fn from_sdk(ev: &ProgressEvent) -> RequestStatus {
        RequestStatus {
            request_token: ev.request_token.clone().unwrap_or_default(),
            operation: ev.operation.as_ref().map(Operation::from_sdk),
            status: crate::wait::status_name(ev),
            type_name: ev.type_name.clone(),
            identifier: ev.identifier.clone(),
            error_code: ev.error_code.as_ref().map(|c| c.as_str().to_owned()),
            status_message: ev.status_message.clone(),
            event_time: ev
                .event_time
                .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
        }
    }

    /// Whether the request has finished (`SUCCESS`, `FAILED` or `CANCEL_COMPLETE`).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self.status.as_str(),
            "SUCCESS" | "FAILED" | "CANCEL_COMPLETE"
        )
    }
}

/// Which requests [`list_requests`] returns: Cloud Control's `ResourceRequestStatusFilter`.
/// Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestFilter {
    /// Operations to keep.
    pub operations: Vec<Operation>,
    /// Statuses to keep (`PENDING`, `IN_PROGRESS`, `SUCCESS`, `FAILED`, `CANCEL_IN_PROGRESS`,
    /// `CANCEL_COMPLETE`).
    pub statuses: Vec<String>,
}

impl RequestFilter {
    /// Any request.
    pub fn new() -> RequestFilter {
        RequestFilter::default()
    }

    /// Also keeps requests of `operation`.
    pub fn operation(mut self, operation: Operation) -> RequestFilter {
        self.operations.push(operation);
        self
    }

    /// Also keeps requests in `status`.
    pub fn status(mut self, status: impl Into<String>) -> RequestFilter {
        self.statuses.push(status.into().to_ascii_uppercase());
        self
    }
}

/// A finished asynchronous request, as reported by [`resume`] (untyped).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestOutcome {
    /// Request token that was waited on.
    pub request_token: String,
    /// CloudFormation type name, as reported by the service.
    pub type_name: Option<String>,
    /// The operation, as reported by the service.
    pub operation: Option<Operation>,
    /// Primary identifier of the resource.
    pub identifier: Option<String>,
    /// `ResourceModel` JSON string from the final event, when present.
    pub resource_model: Option<String>,
    /// Final status message, if any.
    pub status_message: Option<String>,
}

/// Lists the requests of the last days in `region` matching `filter`, following every page.
pub async fn list_requests(
    client: &Client,
    region: &str,
    filter: &RequestFilter,
) -> Result<Vec<RequestStatus>, Error> {
    let sdk = client.sdk(region);
    let call = Call {
        operation: "ListResourceRequests",
        type_name: "<any type>",
        region,
    };
    let sdk_filter = if filter.operations.is_empty() && filter.statuses.is_empty() {
        None
    } else {
        Some(
            cc::types::ResourceRequestStatusFilter::builder()
                .set_operations(
                    (!filter.operations.is_empty())
                        .then(|| filter.operations.iter().map(|o| o.to_sdk()).collect()),
                )
                .set_operation_statuses((!filter.statuses.is_empty()).then(|| {
                    filter
                        .statuses
                        .iter()
                        .map(|s| cc::types::OperationStatus::from(s.as_str()))
                        .collect()
                }))
                .build(),
        )
    };
    let mut seen = BTreeSet::new();
    let mut next: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let page = with_retries(&call, client.retry_settings(), || {
            sdk.list_resource_requests()
                .set_resource_request_status_filter(sdk_filter.clone())
                .set_next_token(next.clone())
                .send()
        })
        .await?;
        out.extend(
            page.resource_request_status_summaries
                .unwrap_or_default()
                .iter()
                .map(RequestStatus::from_sdk),
        );
        match page.next_token.filter(|t| !t.is_empty()) {
            None => return Ok(out),
            Some(t) if !seen.insert(t.clone()) => {
                return Err(protocol(&call, "ListResourceRequests repeated a NextToken"))
            }
            Some(t) => next = Some(t),
        }
    }
}

/// The current status of one request (one `GetResourceRequestStatus`, no waiting).
pub async fn request_status(
    client: &Client,
    region: &str,
    request_token: &str,
) -> Result<RequestStatus, Error> {
    let sdk = client.sdk(region);
    let call = Call {
        operation: "GetResourceRequestStatus",
        type_name: "<any type>",
        region,
    };
    let out = with_retries(&call, client.retry_settings(), || {
        sdk.get_resource_request_status()
            .request_token(request_token)
            .send()
    })
    .await?;
    let ev = out
        .progress_event
        .ok_or_else(|| protocol(&call, "no ProgressEvent"))?;
    Ok(RequestStatus::from_sdk(&ev))
}

/// Cancels an unfinished request (`CancelResourceRequest`); returns its status as the service
/// reports it (usually `CANCEL_IN_PROGRESS`). A finished request cannot be cancelled: the service
/// answers `ConcurrentModificationException` ([`Error::Service`]).
pub async fn cancel(
    client: &Client,
    region: &str,
    request_token: &str,
) -> Result<RequestStatus, Error> {
    let sdk = client.sdk(region);
    let call = Call {
        operation: "CancelResourceRequest",
        type_name: "<any type>",
        region,
    };
    let out = with_retries(&call, client.retry_settings(), || {
        sdk.cancel_resource_request()
            .request_token(request_token)
            .send()
    })
    .await?;
    let ev = out
        .progress_event
        .ok_or_else(|| protocol(&call, "no ProgressEvent"))?;
    Ok(RequestStatus::from_sdk(&ev))
}

/// Waits for the request `request_token` (of any operation) to finish, without decoding the
/// model: [`Error::RequestFailed`] on `FAILED`, [`Error::Cancelled`] on `CANCEL_COMPLETE`,
/// [`Error::Deadline`] when the client's poll deadline (counted from this call) passes first.
/// Typed forms: [`crate::resume_create`], [`crate::resume_update`], [`crate::resume_delete`].
pub async fn resume(
    client: &Client,
    region: &str,
    request_token: &str,
) -> Result<RequestOutcome, Error> {
    let span = tracing::info_span!("cloudcontrol.resume", region, request_token);
    async {
        let sdk = client.sdk(region);
        let expect = Expect {
            type_name: None,
            operation: None,
            identifier: None,
        };
        let ev = wait(
            client,
            &sdk,
            expect,
            region,
            request_token,
            None,
            Instant::now(),
        )
        .await?;
        Ok(RequestOutcome {
            request_token: request_token.to_owned(),
            type_name: ev.type_name,
            operation: ev.operation.as_ref().map(Operation::from_sdk),
            identifier: ev.identifier,
            resource_model: ev.resource_model,
            status_message: ev.status_message,
        })
    }
    .instrument(span)
    .await
}

/// The former name of [`resume`].
pub async fn wait_for_request(
    client: &Client,
    region: &str,
    request_token: &str,
) -> Result<RequestOutcome, Error> {
    resume(client, region, request_token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_round_trip_cloud_control_spelling() {
        for op in [Operation::Create, Operation::Update, Operation::Delete] {
            assert_eq!(Operation::parse(op.as_str()), op);
            assert_eq!(Operation::from_sdk(&op.to_sdk()), op);
        }
        assert_eq!(Operation::parse("delete"), Operation::Delete);
        assert_eq!(Operation::parse("MOVE"), Operation::Unknown);
    }

    #[test]
    fn filter_statuses_are_upper_case() {
        let f = RequestFilter::new()
            .status("in_progress")
            .operation(Operation::Delete);
        assert_eq!(f.statuses, vec!["IN_PROGRESS".to_owned()]);
        assert_eq!(f.operations, vec![Operation::Delete]);
    }
}
