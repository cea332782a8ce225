//! `CreateResource` and the wait for its outcome (`GetResourceRequestStatus` polling).

use std::time::{Instant, SystemTime};

use aws_sdk_cloudcontrol as cc;
use cc::types::{OperationStatus, ProgressEvent};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::call::{with_retries, Call};
use crate::client::Client;
use crate::error::Error;

/// The result of a successful create.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Created<Model> {
    /// Primary identifier of the new resource.
    pub identifier: String,
    /// Request token of the create request.
    pub request_token: String,
    /// The resource's model: from the final progress event's `ResourceModel` when present,
    /// otherwise read back with `GetResource`; `None` when `GetResource` does not find it yet
    /// (eventual consistency).
    pub model: Option<Model>,
}

/// A finished asynchronous request, as reported by [`wait_for_request`] (untyped).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestOutcome {
    /// Request token that was waited on.
    pub request_token: String,
    /// CloudFormation type name, as reported by the service.
    pub type_name: Option<String>,
    /// `CREATE`, `UPDATE` or `DELETE`, as reported by the service.
    pub operation: Option<String>,
    /// Primary identifier of the resource.
    pub identifier: Option<String>,
    /// `ResourceModel` JSON string from the final event, when present.
    pub resource_model: Option<String>,
    /// Final status message, if any.
    pub status_message: Option<String>,
}

/// Creates a resource of `type_name` in `region` from `input` (serialized as `DesiredState`)
/// and waits until the request finishes.
///
/// One `ClientToken` (UUID v4) is generated per call and sent on every attempt of that call, so
/// a retried create never creates twice. Polling honours `RetryAfter` within the client's
/// [`crate::PollConfig`] bounds, backs off exponentially otherwise, and stops at the overall
/// deadline with [`Error::Deadline`] carrying the request token (resume with [`resume_create`]).
/// A `FAILED` request is [`Error::CreateFailed`]; `CANCEL_COMPLETE` is [`Error::Cancelled`].
pub async fn create<Input, Model>(
    client: &Client,
    type_name: &str,
    region: &str,
    input: &Input,
) -> Result<Created<Model>, Error>
where
    Input: Serialize + ?Sized,
    Model: DeserializeOwned,
{
    let span = tracing::info_span!(
        "cloudcontrol.create",
        type_name,
        region,
        request_token = tracing::field::Empty
    );
    create_inner(client, type_name, region, input, &span)
        .instrument(span.clone())
        .await
}

async fn create_inner<Input, Model>(
    client: &Client,
    type_name: &str,
    region: &str,
    input: &Input,
    span: &tracing::Span,
) -> Result<Created<Model>, Error>
where
    Input: Serialize + ?Sized,
    Model: DeserializeOwned,
{
    let started = Instant::now();
    let desired_state = desired_state(type_name, input)?;
    let client_token = uuid::Uuid::new_v4().to_string();
    let sdk = client.sdk(region);
    let call = Call {
        operation: "CreateResource",
        type_name,
        region,
    };
    let out = with_retries(&call, client.retry_settings(), || {
        sdk.create_resource()
            .type_name(type_name)
            .desired_state(desired_state.clone())
            .client_token(client_token.clone())
            .send()
    })
    .await?;
    let event = out
        .progress_event
        .ok_or_else(|| protocol(&call, "no ProgressEvent"))?;
    let request_token = event
        .request_token
        .clone()
        .ok_or_else(|| protocol(&call, "ProgressEvent without RequestToken"))?;
    span.record("request_token", request_token.as_str());
    tracing::debug!(status = ?event.operation_status, "create accepted");
    let done = wait(
        client,
        &sdk,
        Some(type_name),
        region,
        &request_token,
        Some(event),
        started,
    )
    .await?;
    finish(client, &sdk, type_name, region, request_token, done).await
}

/// Waits for the request `request_token` (from any create) to finish, without decoding the
/// model: [`Error::CreateFailed`] on `FAILED`, [`Error::Cancelled`] on `CANCEL_COMPLETE`,
/// [`Error::Deadline`] when the client's poll deadline (counted from this call) passes first.
pub async fn wait_for_request(
    client: &Client,
    region: &str,
    request_token: &str,
) -> Result<RequestOutcome, Error> {
    let span = tracing::info_span!("cloudcontrol.wait", region, request_token);
    async {
        let sdk = client.sdk(region);
        let ev = wait(
            client,
            &sdk,
            None,
            region,
            request_token,
            None,
            Instant::now(),
        )
        .await?;
        Ok(RequestOutcome {
            request_token: request_token.to_owned(),
            type_name: ev.type_name,
            operation: ev.operation.map(|o| o.as_str().to_owned()),
            identifier: ev.identifier,
            resource_model: ev.resource_model,
            status_message: ev.status_message,
        })
    }
    .instrument(span)
    .await
}

/// Resumes waiting for a create of `type_name` (typically after [`Error::Deadline`]) and
/// returns the same [`Created`] as [`create`] would have.
pub async fn resume_create<Model: DeserializeOwned>(
    client: &Client,
    type_name: &str,
    region: &str,
    request_token: &str,
) -> Result<Created<Model>, Error> {
    let span = tracing::info_span!(
        "cloudcontrol.resume_create",
        type_name,
        region,
        request_token
    );
    async {
        let sdk = client.sdk(region);
        let ev = wait(
            client,
            &sdk,
            Some(type_name),
            region,
            request_token,
            None,
            Instant::now(),
        )
        .await?;
        finish(
            client,
            &sdk,
            type_name,
            region,
            request_token.to_owned(),
            ev,
        )
        .await
    }
    .instrument(span)
    .await
}

/// Serializes the typed input into the `DesiredState` JSON string; it must be a JSON object.
fn desired_state<Input: Serialize + ?Sized>(
    type_name: &str,
    input: &Input,
) -> Result<String, Error> {
    let encode = |message: String| Error::Encode {
        type_name: type_name.to_owned(),
        message,
    };
    let value = serde_json::to_value(input).map_err(|e| encode(e.to_string()))?;
    if !value.is_object() {
        return Err(encode(
            "the desired state must serialize to a JSON object".to_owned(),
        ));
    }
    serde_json::to_string(&value).map_err(|e| encode(e.to_string()))
}

fn protocol(call: &Call<'_>, message: &str) -> Error {
    Error::Protocol {
        operation: call.operation,
        type_name: call.type_name.to_owned(),
        message: message.to_owned(),
    }
}

fn status_name(ev: &ProgressEvent) -> String {
    ev.operation_status
        .as_ref()
        .map(|s| s.as_str().to_owned())
        .unwrap_or_else(|| "<none>".to_owned())
}

/// Polls until a terminal status or the deadline (`started` + the client's poll deadline).
/// `first` is the event already in hand (from CreateResource); without one the first poll is
/// immediate. Transient poll failures (throttling, transport) do not end the wait: they count
/// as missed polls until the deadline.
async fn wait(
    client: &Client,
    sdk: &cc::Client,
    type_name: Option<&str>,
    region: &str,
    request_token: &str,
    first: Option<ProgressEvent>,
    started: Instant,
) -> Result<ProgressEvent, Error> {
    let poll = client.poll_config();
    let deadline = started + poll.deadline;
    let label = |ev: Option<&ProgressEvent>| -> String {
        type_name
            .map(str::to_owned)
            .or_else(|| ev.and_then(|e| e.type_name.clone()))
            .unwrap_or_else(|| "<unknown type>".to_owned())
    };
    let mut last: Option<ProgressEvent> = None;
    let mut next = first;
    let mut polls: u32 = 0;
    loop {
        if let Some(ev) = next.take() {
            if let (Some(expected), Some(actual)) = (type_name, ev.type_name.as_deref()) {
                if expected != actual {
                    return Err(Error::Protocol {
                        operation: "GetResourceRequestStatus",
                        type_name: expected.to_owned(),
                        message: format!("request {request_token} is for {actual}, not {expected}"),
                    });
                }
            }
            match ev.operation_status {
                Some(OperationStatus::Success) => return Ok(ev),
                Some(OperationStatus::Failed) => {
                    return Err(Error::CreateFailed {
                        type_name: label(Some(&ev)),
                        error_code: ev
                            .error_code
                            .as_ref()
                            .map(|c| c.as_str().to_owned())
                            .unwrap_or_else(|| "<none>".to_owned()),
                        status_message: ev.status_message.clone().unwrap_or_default(),
                        request_token: request_token.to_owned(),
                        identifier: ev.identifier.clone(),
                    })
                }
                Some(OperationStatus::CancelComplete) => {
                    return Err(Error::Cancelled {
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
        // `first == None` means nothing has been polled yet: poll once even at deadline zero.
        if last.is_some() || polls > 0 {
            if now >= deadline {
                return Err(Error::Deadline {
                    type_name: label(last.as_ref()),
                    request_token: request_token.to_owned(),
                    identifier: last.as_ref().and_then(|e| e.identifier.clone()),
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
                    .ok_or_else(|| protocol(&call, "no ProgressEvent"))?;
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
            Err(e) => return Err(e),
        }
    }
}

/// Turns a SUCCESS event into [`Created`], reading the model.
async fn finish<Model: DeserializeOwned>(
    client: &Client,
    sdk: &cc::Client,
    type_name: &str,
    region: &str,
    request_token: String,
    ev: ProgressEvent,
) -> Result<Created<Model>, Error> {
    let call = Call {
        operation: "GetResourceRequestStatus",
        type_name,
        region,
    };
    let identifier = ev
        .identifier
        .ok_or_else(|| protocol(&call, "SUCCESS without Identifier"))?;
    let wrap = |source: Error| Error::ModelFetch {
        type_name: type_name.to_owned(),
        identifier: identifier.clone(),
        request_token: request_token.clone(),
        source: Box::new(source),
    };
    let decode = |json: &str| -> Result<Model, Error> {
        serde_json::from_str(json).map_err(|e| Error::Decode {
            type_name: type_name.to_owned(),
            identifier: identifier.clone(),
            message: e.to_string(),
        })
    };
    let model = match ev.resource_model.as_deref() {
        Some(json) => Some(decode(json).map_err(wrap)?),
        None => {
            let get = Call {
                operation: "GetResource",
                type_name,
                region,
            };
            let result = with_retries(&get, client.retry_settings(), || {
                sdk.get_resource()
                    .type_name(type_name)
                    .identifier(identifier.clone())
                    .send()
            })
            .await;
            match result {
                Ok(out) => match out.resource_description.and_then(|d| d.properties) {
                    Some(json) => Some(decode(&json).map_err(wrap)?),
                    None => None,
                },
                Err(Error::Service { code, .. }) if code == "ResourceNotFoundException" => {
                    tracing::warn!(%identifier, "created resource not visible to GetResource yet");
                    None
                }
                Err(e) => return Err(wrap(e)),
            }
        }
    };
    tracing::debug!(%identifier, "created");
    Ok(Created {
        identifier,
        request_token,
        model,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desired_state_must_be_an_object() {
        let ok = desired_state("AWS::A::B", &serde_json::json!({"B": 1, "A": 2})).unwrap();
        assert_eq!(ok, r#"{"B":1,"A":2}"#);
        let err = desired_state("AWS::A::B", &vec![1, 2]).unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err}");
        assert!(err.to_string().contains("AWS::A::B"));
    }
}
