//! The one waiter of every asynchronous request (create, update, delete): polls
//! `GetResourceRequestStatus` until a terminal status or the deadline.

use std::time::{Instant, SystemTime};

use aws_sdk_cloudcontrol as cc;
use cc::types::{OperationStatus, ProgressEvent};

use crate::call::{with_retries, Call};
use crate::client::Client;
use crate::error::Error;
use crate::requests::Operation;

/// What the waiter knows before the first event arrives.
pub(crate) struct Expect<'a> {
    /// The type the request is for, when known (a mismatch is a protocol error).
    pub type_name: Option<&'a str>,
    /// The operation of the request, when known.
    pub operation: Option<Operation>,
    /// The resource an update or delete is for, when known.
    pub identifier: Option<&'a str>,
}

pub(crate) fn protocol(call: &Call<'_>, message: &str) -> Error {
    Error::Protocol {
        operation: call.operation,
        type_name: call.type_name.to_owned(),
        message: message.to_owned(),
    }
}

pub(crate) fn status_name(ev: &ProgressEvent) -> String {
    ev.operation_status
        .as_ref()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_else(|| "<none>".to_owned())
}

/// The request token of the event an accepted mutation returned.
pub(crate) fn accepted_token(
    call: &Call<'_>,
    event: Option<&ProgressEvent>,
) -> Result<String, Error> {
    let event = event.ok_or_else(|| protocol(call, "no ProgressEvent"))?;
    event
        .request_token
        .clone()
        .ok_or_else(|| protocol(call, "ProgressEvent without RequestToken"))
}

/// Polls until a terminal status or the deadline (`started` + the client's poll deadline).
/// `first` is the event already in hand (from the mutating call); without one the first poll
/// is immediate. Transient poll failures (throttling, transport) do not end the wait: they
/// count as missed polls until the deadline. `FAILED` is [`Error::RequestFailed`],
/// `CANCEL_COMPLETE` [`Error::Cancelled`], the deadline [`Error::Deadline`]; a poll that fails
/// for good, or answers for another type, is [`Error::Wait`] around that failure. Each names
/// the operation, the type, the request token and the identifier when known (from a status, else
/// from `expect`).
pub(crate) async fn wait(
    client: &Client,
    sdk: &cc::Client,
    expect: Expect<'_>,
    region: &str,
    request_token: &str,
    first: Option<ProgressEvent>,
    started: Instant,
) -> Result<ProgressEvent, Error> {
    let poll = client.poll_config();
    let deadline = started + poll.deadline;
    let type_name = expect.type_name;
    let label = |ev: Option<&ProgressEvent>| -> String {
        type_name
            .map(str::to_owned)
            .or_else(|| ev.and_then(|e| e.type_name.clone()))
            .unwrap_or_else(|| "<unknown type>".to_owned())
    };
    let operation = |ev: Option<&ProgressEvent>| -> Operation {
        ev.and_then(|e| e.operation.as_ref())
            .map(Operation::from_sdk)
            .or(expect.operation)
            .unwrap_or(Operation::Unknown)
    };
    let identifier = |ev: Option<&ProgressEvent>| -> Option<String> {
        ev.and_then(|e| e.identifier.clone())
            .or_else(|| expect.identifier.map(str::to_owned))
    };
    // A wait that stops without an outcome still says which request it was waiting for.
    let stopped = |ev: Option<&ProgressEvent>, source: Error| Error::Wait {
        operation: operation(ev),
        type_name: label(ev),
        request_token: request_token.to_owned(),
        identifier: identifier(ev),
        source: Box::new(source),
    };
    let mut last: Option<ProgressEvent> = None;
    let mut next = first;
    let mut polls: u32 = 0;
    loop {
        if let Some(ev) = next.take() {
            if let Some(report) = client.progress_hook() {
                report(&crate::requests::RequestStatus::from_sdk(&ev));
            }
            if let (Some(expected), Some(actual)) = (type_name, ev.type_name.as_deref()) {
                if expected != actual {
                    let mismatch = Error::Protocol {
                        operation: "GetResourceRequestStatus",
                        type_name: expected.to_owned(),
                        message: format!("request {request_token} is for {actual}, not {expected}"),
                    };
                    return Err(stopped(last.as_ref(), mismatch));
                }
            }
            match ev.operation_status {
                Some(OperationStatus::Success) => return Ok(ev),
                // The handler was refused a permission: typed, with the missing actions.
                Some(OperationStatus::Failed)
                    if ev.error_code.as_ref().map(|c| c.as_str()) == Some("AccessDenied") =>
                {
                    return Err(crate::access::denied(
                        operation(Some(&ev)).as_str(),
                        &label(Some(&ev)),
                        ev.status_message.clone().unwrap_or_default(),
                        Some(request_token.to_owned()),
                    ));
                }
                Some(OperationStatus::Failed) => {
                    return Err(Error::RequestFailed {
                        operation: operation(Some(&ev)),
                        type_name: label(Some(&ev)),
                        error_code: ev
                            .error_code
                            .as_ref()
                            .map(|c| c.as_str().to_owned())
                            .unwrap_or_else(|| "<none>".to_owned()),
                        message: ev.status_message.clone().unwrap_or_default(),
                        request_token: request_token.to_owned(),
                        identifier: identifier(Some(&ev)),
                    })
                }
                Some(OperationStatus::CancelComplete) => {
                    return Err(Error::Cancelled {
                        operation: operation(Some(&ev)),
                        type_name: label(Some(&ev)),
                        request_token: request_token.to_owned(),
                        status_message: ev.status_message.clone().unwrap_or_default(),
                    })
                }
                // PENDING, IN_PROGRESS, CANCEL_IN_PROGRESS, or a status this SDK does not know:
                // keep waiting.
                _ => last = Some(ev),
            }
        }
        let now = Instant::now();
        // Nothing polled yet and no event in hand: poll once even at deadline zero.
        if last.is_some() || polls > 0 {
            if now >= deadline {
                return Err(Error::Deadline {
                    operation: operation(last.as_ref()),
                    type_name: label(last.as_ref()),
                    request_token: request_token.to_owned(),
                    identifier: identifier(last.as_ref()),
                    last_status: last
                        .as_ref()
                        .map(status_name)
                        .unwrap_or_else(|| "<unknown>".to_owned()),
                    waited: now.duration_since(started),
                });
            }
            let retry_after = last
                .as_ref()
                .and_then(|e| e.retry_after)
                .and_then(|t| SystemTime::try_from(t).ok());
            let delay = poll.delay(polls, retry_after, SystemTime::now());
            // Never sleep past the deadline: the last poll happens right at it.
            tokio::time::sleep(delay.min(deadline - now)).await;
        }
        polls += 1;
        let tn = label(last.as_ref());
        let call = Call {
            operation: "GetResourceRequestStatus",
            type_name: &tn,
            region,
        };
        let result = with_retries(&call, client.retry_settings(), || {
            sdk.get_resource_request_status()
                .request_token(request_token)
                .send()
        })
        .await;
        match result {
            Ok(out) => {
                let ev = out
                    .progress_event
                    .ok_or_else(|| stopped(last.as_ref(), protocol(&call, "no ProgressEvent")))?;
                tracing::trace!(poll = polls, status = %status_name(&ev), "polled");
                next = Some(ev);
            }
            Err(e @ (Error::Throttled { .. } | Error::Transport { .. })) => {
                tracing::warn!(error = %e, "status poll failed; will poll again until the deadline");
                if let Some(l) = last.as_mut() {
                    // A stale RetryAfter would mean hot polling: fall back to backoff.
                    l.retry_after = None;
                }
            }
            Err(e) => return Err(stopped(last.as_ref(), e)),
        }
    }
}
