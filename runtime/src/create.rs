//! `CreateResource` and the wait for its outcome (`GetResourceRequestStatus` polling).

use aws_sdk_cloudcontrol as cc;
use cc::types::ProgressEvent;
use futures::TryFutureExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::call::Call;
use crate::client::Client;
use crate::error::Error;
use crate::ops::{send_and_wait, wait_again, Mutation};
use crate::requests::Operation;
use crate::wait::protocol;

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

/// Creates a resource of `type_name` in `region` from `input` (serialized as `DesiredState`)
/// and waits until the request finishes.
///
/// One `ClientToken` (UUID v4) is generated per call and sent on every attempt of that call, so
/// a retried create never creates twice. Polling honours `RetryAfter` within the client's
/// [`crate::PollConfig`] bounds, backs off exponentially otherwise, and stops at the overall
/// deadline with [`Error::Deadline`] carrying the request token (resume with [`resume_create`]).
/// A `FAILED` request is [`Error::RequestFailed`]; `CANCEL_COMPLETE` is [`Error::Cancelled`].
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
    async {
        let desired_state = desired_state(type_name, input)?;
        let mutation = Mutation {
            operation: Operation::Create,
            api: "CreateResource",
            type_name,
            region,
            identifier: None,
        };
        let (sdk, request_token, done) =
            send_and_wait(client, &mutation, |sdk: &cc::Client, token: &str| {
                sdk.create_resource()
                    .type_name(type_name)
                    .desired_state(desired_state.clone())
                    .client_token(token)
                    .send()
                    .map_ok(|out| out.progress_event)
            })
            .await?;
        let (identifier, model) =
            finish(client, &sdk, type_name, region, &request_token, done).await?;
        Ok(Created {
            identifier,
            request_token,
            model,
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
        let (sdk, ev) =
            wait_again(client, Operation::Create, type_name, region, request_token).await?;
        let (identifier, model) =
            finish(client, &sdk, type_name, region, request_token, ev).await?;
        Ok(Created {
            identifier,
            request_token: request_token.to_owned(),
            model,
        })
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

/// The identifier and model of a SUCCESS event: the model from the event's `ResourceModel`
/// when present, otherwise read back with `GetResource` (`None` when it is not visible yet).
pub(crate) async fn finish<Model: DeserializeOwned>(
    client: &Client,
    sdk: &cc::Client,
    type_name: &str,
    region: &str,
    request_token: &str,
    ev: ProgressEvent,
) -> Result<(String, Option<Model>), Error> {
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
        request_token: request_token.to_owned(),
        source: Box::new(source),
    };
    let model = match ev.resource_model.as_deref() {
        Some(json) => Some(crate::ops::decode(type_name, Some(&identifier), json).map_err(wrap)?),
        None => match crate::ops::get_properties(client, sdk, type_name, region, &identifier).await
        {
            Ok(json) => {
                Some(crate::ops::decode(type_name, Some(&identifier), &json).map_err(wrap)?)
            }
            Err(Error::NotFound { .. }) => {
                tracing::warn!(%identifier, "resource not visible to GetResource yet");
                None
            }
            Err(e) => return Err(wrap(e)),
        },
    };
    tracing::debug!(%identifier, "finished");
    Ok((identifier, model))
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
