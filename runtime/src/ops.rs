//! `GetResource`, `UpdateResource` and `DeleteResource`, and the typed resumes of updates and
//! deletes. Updates and deletes wait through the same waiter as creates.

use std::future::Future;
use std::time::Instant;

use aws_sdk_cloudcontrol as cc;
use aws_sdk_cloudcontrol::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use cc::types::ProgressEvent;
use futures::TryFutureExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use crate::call::{with_retries, Call};
use crate::client::Client;
use crate::error::Error;
use crate::requests::Operation;
use crate::wait::{accepted_token, wait, Expect};

/// The result of a successful update.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Updated<Model> {
    /// Primary identifier of the resource.
    pub identifier: String,
    /// Request token of the update request.
    pub request_token: String,
    /// The resource's model after the update: from the final progress event's `ResourceModel`
    /// when present, otherwise read back with `GetResource`.
    pub model: Option<Model>,
}

/// The result of a successful delete.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deleted {
    /// Primary identifier of the deleted resource.
    pub identifier: String,
    /// Request token of the delete request.
    pub request_token: String,
}

/// Decodes a resource's `Properties` JSON into the typed model.
pub(crate) fn decode<Model: DeserializeOwned>(
    type_name: &str,
    identifier: Option<&str>,
    json: &str,
) -> Result<Model, Error> {
    crate::decode::decode_model(type_name, identifier, json)
}

/// `GetResource`: the properties JSON of one resource; `ResourceNotFoundException` is
/// [`Error::NotFound`].
pub(crate) async fn get_properties(
    client: &Client,
    sdk: &cc::Client,
    type_name: &str,
    region: &str,
    identifier: &str,
) -> Result<String, Error> {
    let call = Call {
        operation: "GetResource",
        type_name,
        region,
    };
    let result = with_retries(&call, client.retry_settings(), || {
        sdk.get_resource()
            .type_name(type_name)
            .identifier(identifier)
            .send()
    })
    .await;
    match result {
        Ok(out) => out
            .resource_description
            .and_then(|d| d.properties)
            .ok_or_else(|| Error::Protocol {
                operation: "GetResource",
                type_name: type_name.to_owned(),
                message: format!("no Properties for {identifier}"),
            }),
        Err(Error::Service { code, .. }) if code == "ResourceNotFoundException" => {
            Err(Error::NotFound {
                type_name: type_name.to_owned(),
                identifier: identifier.to_owned(),
            })
        }
        Err(e) => Err(e),
    }
}

/// Reads one resource of `type_name` by its primary identifier (compound identifiers joined
/// with `|`) and decodes it. A missing resource is [`Error::NotFound`].
pub async fn get<Model: DeserializeOwned>(
    client: &Client,
    type_name: &str,
    region: &str,
    identifier: &str,
) -> Result<Model, Error> {
    let span = tracing::info_span!("cloudcontrol.get", type_name, region, identifier);
    async {
        let sdk = client.sdk(region);
        let json = get_properties(client, &sdk, type_name, region, identifier).await?;
        decode(type_name, Some(identifier), &json)
    }
    .instrument(span)
    .await
}

/// Updates one resource with an RFC 6902 JSON Patch (`patch` must serialize to a JSON array)
/// and waits until the request finishes.
///
/// One `ClientToken` per call, sent on every attempt, so a retried update is applied once.
/// `FAILED` is [`Error::RequestFailed`] (handler code `NotFound` for a missing resource,
/// `NotUpdatable` for a create-only change), the deadline [`Error::Deadline`] (resume with
/// [`resume_update`]).
pub async fn update<Patch, Model>(
    client: &Client,
    type_name: &str,
    region: &str,
    identifier: &str,
    patch: &Patch,
) -> Result<Updated<Model>, Error>
where
    Patch: Serialize + ?Sized,
    Model: DeserializeOwned,
{
    let span = tracing::info_span!(
        "cloudcontrol.update",
        type_name,
        region,
        identifier,
        request_token = tracing::field::Empty
    );
    async {
        let document = patch_document(type_name, patch)?;
        let mutation = Mutation {
            operation: Operation::Update,
            api: "UpdateResource",
            type_name,
            region,
            identifier: Some(identifier),
        };
        let (sdk, request_token, ev) =
            send_and_wait(client, &mutation, |sdk: &cc::Client, token: &str| {
                sdk.update_resource()
                    .type_name(type_name)
                    .identifier(identifier)
                    .patch_document(document.clone())
                    .client_token(token)
                    .send()
                    .map_ok(|out| out.progress_event)
            })
            .await?;
        let (identifier, model) =
            crate::create::finish(client, &sdk, type_name, region, &request_token, ev).await?;
        Ok(Updated {
            identifier,
            request_token,
            model,
        })
    }
    .instrument(span)
    .await
}

/// Deletes one resource and waits until the request finishes. One `ClientToken` per call,
/// reused on every retry. `FAILED` is [`Error::RequestFailed`] (handler code `NotFound` for a
/// missing resource), the deadline [`Error::Deadline`] (resume with [`resume_delete`]).
pub async fn delete(
    client: &Client,
    type_name: &str,
    region: &str,
    identifier: &str,
) -> Result<Deleted, Error> {
    let span = tracing::info_span!(
        "cloudcontrol.delete",
        type_name,
        region,
        identifier,
        request_token = tracing::field::Empty
    );
    async {
        let mutation = Mutation {
            operation: Operation::Delete,
            api: "DeleteResource",
            type_name,
            region,
            identifier: Some(identifier),
        };
        let (_, request_token, ev) =
            send_and_wait(client, &mutation, |sdk: &cc::Client, token: &str| {
                sdk.delete_resource()
                    .type_name(type_name)
                    .identifier(identifier)
                    .client_token(token)
                    .send()
                    .map_ok(|out| out.progress_event)
            })
            .await?;
        Ok(Deleted {
            identifier: ev.identifier.unwrap_or_else(|| identifier.to_owned()),
            request_token,
        })
    }
    .instrument(span)
    .await
}

/// Resumes waiting for an update of `type_name` (typically after [`Error::Deadline`]) and
/// returns what [`update`] would have.
pub async fn resume_update<Model: DeserializeOwned>(
    client: &Client,
    type_name: &str,
    region: &str,
    request_token: &str,
) -> Result<Updated<Model>, Error> {
    let (sdk, ev) = wait_again(client, Operation::Update, type_name, region, request_token).await?;
    let (identifier, model) =
        crate::create::finish(client, &sdk, type_name, region, request_token, ev).await?;
    Ok(Updated {
        identifier,
        request_token: request_token.to_owned(),
        model,
    })
}

/// Resumes waiting for a delete of `type_name` (typically after [`Error::Deadline`]) and
/// returns what [`delete`] would have.
pub async fn resume_delete(
    client: &Client,
    type_name: &str,
    region: &str,
    request_token: &str,
) -> Result<Deleted, Error> {
    let (_, ev) = wait_again(client, Operation::Delete, type_name, region, request_token).await?;
    Ok(Deleted {
        identifier: ev.identifier.unwrap_or_default(),
        request_token: request_token.to_owned(),
    })
}

/// What a mutating request is, for [`send_and_wait`].
pub(crate) struct Mutation<'a> {
    /// The operation the waiter expects.
    pub operation: Operation,
    /// The Cloud Control API call (`CreateResource`, ...), for errors and logs.
    pub api: &'static str,
    /// CloudFormation type name.
    pub type_name: &'a str,
    /// Region the request goes to.
    pub region: &'a str,
    /// The resource an update or delete is for: a synchronous `ResourceNotFoundException`
    /// is then [`Error::NotFound`].
    pub identifier: Option<&'a str>,
}

/// The one path of every create, update and delete: sends the request through the retry
/// loop with one `ClientToken` (UUID v4) reused on every attempt (`send` gets the region's SDK
/// client and the token, and must build the same request each time), records the request
/// token on the current span, then waits for the outcome. Returns the SDK client used, the
/// request token and the `SUCCESS` event.
pub(crate) async fn send_and_wait<E, F, Fut>(
    client: &Client,
    m: &Mutation<'_>,
    mut send: F,
) -> Result<(cc::Client, String, ProgressEvent), Error>
where
    F: FnMut(&cc::Client, &str) -> Fut,
    Fut: Future<Output = Result<Option<ProgressEvent>, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let started = Instant::now();
    let client_token = uuid::Uuid::new_v4().to_string();
    let sdk = client.sdk(m.region);
    let call = Call {
        operation: m.api,
        type_name: m.type_name,
        region: m.region,
    };
    let first = with_retries(&call, client.retry_settings(), || send(&sdk, &client_token))
        .await
        .map_err(|e| match m.identifier {
            Some(identifier) => not_found(e, m.type_name, identifier),
            None => e,
        })?;
    let request_token = accepted_token(&call, first.as_ref())?;
    tracing::Span::current().record("request_token", request_token.as_str());
    tracing::debug!(status = ?first.as_ref().and_then(|e| e.operation_status.as_ref()), "accepted");
    let expect = Expect {
        type_name: Some(m.type_name),
        operation: Some(m.operation),
        identifier: m.identifier,
    };
    let ev = wait(
        client,
        &sdk,
        expect,
        m.region,
        &request_token,
        first,
        started,
    )
    .await?;
    Ok((sdk, request_token, ev))
}

/// The wait of a typed resume: polls `request_token` (expected to be `operation` on
/// `type_name`) from now until a terminal status or the client's deadline.
pub(crate) async fn wait_again(
    client: &Client,
    operation: Operation,
    type_name: &str,
    region: &str,
    request_token: &str,
) -> Result<(cc::Client, ProgressEvent), Error> {
    let sdk = client.sdk(region);
    let expect = Expect {
        type_name: Some(type_name),
        operation: Some(operation),
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
    Ok((sdk, ev))
}

/// A synchronous `ResourceNotFoundException` from Update/DeleteResource is [`Error::NotFound`].
fn not_found(e: Error, type_name: &str, identifier: &str) -> Error {
    match e {
        Error::Service { code, .. } if code == "ResourceNotFoundException" => Error::NotFound {
            type_name: type_name.to_owned(),
            identifier: identifier.to_owned(),
        },
        e => e,
    }
}

/// Serializes a patch into the `PatchDocument` string; it must be a JSON array.
fn patch_document<Patch: Serialize + ?Sized>(
    type_name: &str,
    patch: &Patch,
) -> Result<String, Error> {
    let encode = |message: String| Error::Encode {
        type_name: type_name.to_owned(),
        message,
    };
    let value = serde_json::to_value(patch).map_err(|e| encode(e.to_string()))?;
    if !value.is_array() {
        return Err(encode(
            "a patch document must serialize to a JSON array (RFC 6902)".to_owned(),
        ));
    }
    serde_json::to_string(&value).map_err(|e| encode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_documents_must_be_arrays() {
        let ok = patch_document(
            "AWS::A::B",
            &serde_json::json!([{"op": "remove", "path": "/X"}]),
        )
        .unwrap();
        assert_eq!(ok, r#"[{"op":"remove","path":"/X"}]"#);
        let err = patch_document("AWS::A::B", &serde_json::json!({"op": "remove"})).unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err}");
    }
}
