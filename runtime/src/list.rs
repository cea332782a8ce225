//! `ListResources`: pagination to the end with loop detection; each resource a
//! [`ListItem`] (typed, or undecoded with its identifier, raw JSON and the reason), or raw JSON.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_sdk_cloudcontrol::types::ResourceDescription;
use futures::Stream;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::call::{with_retries, Call};
use crate::client::Client;
use crate::decode::{list_item, raw_properties, ListItem};
use crate::error::Error;

const OPERATION: &str = "ListResources";

/// Turns one listed resource into the item a listing returns.
type Convert<I> = fn(&Lister, ResourceDescription) -> I;

fn typed<T: DeserializeOwned>(ctx: &Lister, d: ResourceDescription) -> ListItem<T> {
    list_item(
        &ctx.type_name,
        &ctx.region,
        d.identifier,
        d.properties.as_deref(),
    )
}

fn raw(_: &Lister, d: ResourceDescription) -> serde_json::Value {
    raw_properties(d.properties.as_deref())
}

/// Lists every resource of `type_name` in `region`, decoding each item's `Properties` into `T`.
///
/// `resource_model` carries the parent properties some types require for listing (e.g.
/// `{"ClusterName": "c1"}` for `AWS::EKS::Nodegroup`); it is sent as the `ResourceModel` JSON
/// string. Follows `NextToken` to the last page; a token the service already returned is an
/// [`Error::PaginationLoop`], never a silent stop.
///
/// A resource that does not decode does not end the listing: it is a
/// [`ListItem::Undecoded`] with its identifier, raw JSON and the decode error (JSON path and
/// reason), in its place among the others. Nothing is skipped. [`crate::all_decoded`] turns the
/// items into all-or-nothing rows.
///
/// The next page is requested while the current one is decoded, so
/// decoding adds little wall time over a bare paginator loop.
///
/// # Errors
///
/// The first request that fails (AWS refused it, throttling outlasted the retries, transport)
/// or a pagination loop ends the listing with that error.
pub async fn list<T>(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
) -> Result<Vec<ListItem<T>>, Error>
where
    T: DeserializeOwned + Send + 'static,
{
    collect(client, type_name, region, resource_model, typed::<T>).await
}

/// [`list`] without decoding: each resource's `Properties` as raw JSON (`null` when AWS sent
/// none, a JSON string holding the text when it is not JSON), for programs that need what AWS
/// sent.
///
/// # Errors
///
/// As [`list`].
pub async fn list_raw(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
) -> Result<Vec<serde_json::Value>, Error> {
    collect(client, type_name, region, resource_model, raw).await
}

async fn collect<I: Send + 'static>(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
    convert: Convert<I>,
) -> Result<Vec<I>, Error> {
    let ctx = Lister::new(client, type_name, region, resource_model)?;
    let span = ctx.span.clone();
    async move {
        let mut seen = SeenTokens::default();
        let mut items = Vec::new();
        let mut page = ctx.fetch(None).await?;
        let mut number = 1;
        loop {
            let next = match ctx.follow(&mut seen, page.next_token, number)? {
                Some(token) => {
                    let ctx = Arc::clone(&ctx);
                    // Spawned so the request makes progress while this task decodes.
                    Some(AbortOnDrop(tokio::spawn(async move {
                        ctx.fetch(Some(token)).await
                    })))
                }
                None => None,
            };
            if next.is_some() {
                // A task spawned from a worker waits in that worker's LIFO slot, which other
                // workers cannot steal: yield once so the page request goes out before this
                // task spends CPU on decoding.
                tokio::task::yield_now().await;
            }
            items.reserve(page.items.len());
            for d in page.items {
                items.push(convert(&ctx, d));
            }
            let Some(mut handle) = next else { break };
            page = (&mut handle.0)
                .await
                .map_err(|e| task_failed(&ctx, "page request", e))??;
            number += 1;
        }
        Ok(items)
    }
    .instrument(span)
    .await
}

fn task_failed(ctx: &Lister, what: &str, e: tokio::task::JoinError) -> Error {
    Error::Protocol {
        operation: OPERATION,
        type_name: ctx.type_name.clone(),
        message: format!("{what} task failed: {e}"),
    }
}

/// Streaming form of [`list`]: yields items as pages arrive, requesting the next page only
/// when the current one is used up. A resource that does not decode is an
/// [`ListItem::Undecoded`] item and the stream goes on; after an `Err` item (a failed request)
/// the stream ends.
pub fn list_stream<T>(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
) -> impl Stream<Item = Result<ListItem<T>, Error>> + Send + 'static
where
    T: DeserializeOwned + Send + 'static,
{
    stream(client, type_name, region, resource_model, typed::<T>)
}

/// Streaming form of [`list_raw`]: each resource's `Properties` as raw JSON.
pub fn list_stream_raw(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
) -> impl Stream<Item = Result<serde_json::Value, Error>> + Send + 'static {
    stream(client, type_name, region, resource_model, raw)
}

fn stream<I: Send + 'static>(
    client: &Client,
    type_name: &str,
    region: &str,
    resource_model: Option<&serde_json::Value>,
    convert: Convert<I>,
) -> impl Stream<Item = Result<I, Error>> + Send + 'static {
    let state = match Lister::new(client, type_name, region, resource_model) {
        Ok(ctx) => Pager {
            ctx: Some(ctx),
            next_token: None,
            seen: SeenTokens::default(),
            page: 0,
            buffer: Vec::new().into_iter(),
            done: false,
            pending_error: None,
        },
        Err(e) => Pager {
            ctx: None,
            next_token: None,
            seen: SeenTokens::default(),
            page: 0,
            buffer: Vec::new().into_iter(),
            done: true,
            pending_error: Some(e),
        },
    };
    futures::stream::unfold(state, move |mut st| async move {
        let item = st.next_item(convert).await?;
        Some((item, st))
    })
}

/// Aborts the page request when the listing ends early (decode error, caller dropped).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What every page request of one listing shares.
struct Lister {
    client: Client,
    sdk: aws_sdk_cloudcontrol::Client,
    type_name: String,
    region: String,
    resource_model: Option<String>,
    span: tracing::Span,
}

/// One page of results.
struct Page {
    items: Vec<ResourceDescription>,
    next_token: Option<String>,
}

impl Lister {
    fn new(
        client: &Client,
        type_name: &str,
        region: &str,
        resource_model: Option<&serde_json::Value>,
    ) -> Result<Arc<Lister>, Error> {
        let resource_model = resource_model
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Encode {
                type_name: type_name.to_owned(),
                message: format!("ResourceModel: {e}"),
            })?;
        Ok(Arc::new(Lister {
            client: client.clone(),
            sdk: client.sdk(region),
            type_name: type_name.to_owned(),
            region: region.to_owned(),
            resource_model,
            span: tracing::info_span!("cloudcontrol.list", type_name, region),
        }))
    }

    async fn fetch(&self, next_token: Option<String>) -> Result<Page, Error> {
        let call = Call {
            operation: OPERATION,
            type_name: &self.type_name,
            region: &self.region,
        };
        let out = with_retries(&call, self.client.retry_settings(), || {
            self.sdk
                .list_resources()
                .type_name(&self.type_name)
                .set_resource_model(self.resource_model.clone())
                .set_next_token(next_token.clone())
                .send()
        })
        .instrument(self.span.clone())
        .await?;
        let items = out.resource_descriptions.unwrap_or_default();
        tracing::debug!(parent: &self.span, items = items.len(), "page");
        Ok(Page {
            items,
            next_token: out.next_token,
        })
    }

    /// The token for the page after page number `page` (1-based), or a loop error.
    fn follow(
        &self,
        seen: &mut SeenTokens,
        token: Option<String>,
        page: usize,
    ) -> Result<Option<String>, Error> {
        seen.follow(token)
            .map_err(|RepeatedToken| Error::PaginationLoop {
                type_name: self.type_name.clone(),
                region: self.region.clone(),
                page,
            })
    }
}

/// State of a lazy listing.
struct Pager {
    ctx: Option<Arc<Lister>>,
    next_token: Option<String>,
    seen: SeenTokens,
    page: usize,
    buffer: std::vec::IntoIter<ResourceDescription>,
    done: bool,
    pending_error: Option<Error>,
}

impl Pager {
    async fn next_item<I>(&mut self, convert: Convert<I>) -> Option<Result<I, Error>> {
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Some(Err(e));
        }
        let ctx = Arc::clone(self.ctx.as_ref()?);
        loop {
            if let Some(d) = self.buffer.next() {
                return Some(Ok(convert(&ctx, d)));
            }
            if self.done {
                return None;
            }
            let step = async {
                let page = ctx.fetch(self.next_token.take()).await?;
                self.page += 1;
                self.buffer = page.items.into_iter();
                match ctx.follow(&mut self.seen, page.next_token, self.page)? {
                    Some(t) => self.next_token = Some(t),
                    None => self.done = true,
                }
                Ok::<(), Error>(())
            };
            if let Err(e) = step.await {
                self.done = true;
                self.buffer = Vec::new().into_iter();
                return Some(Err(e));
            }
        }
    }
}

/// Every `NextToken` received so far in one listing: a repeat means the service is looping.
#[derive(Default)]
struct SeenTokens(BTreeSet<String>);

/// The service returned a `NextToken` it had returned before.
#[derive(Debug, PartialEq)]
struct RepeatedToken;

impl SeenTokens {
    /// The token to send for the next page (`None`: last page reached). Like the SDK paginator,
    /// an absent or empty token ends the listing.
    fn follow(&mut self, token: Option<String>) -> Result<Option<String>, RepeatedToken> {
        match token.filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) if self.0.contains(&t) => Err(RepeatedToken),
            Some(t) => {
                self.0.insert(t.clone());
                Ok(Some(t))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_loops_are_detected_not_followed() {
        let mut seen = SeenTokens::default();
        assert_eq!(seen.follow(Some("a".into())), Ok(Some("a".into())));
        assert_eq!(seen.follow(Some("b".into())), Ok(Some("b".into())));
        // The same token as the one just sent: the naive loop would spin forever.
        assert_eq!(seen.follow(Some("b".into())), Err(RepeatedToken));
        // An older token: a longer cycle, also caught.
        assert_eq!(seen.follow(Some("a".into())), Err(RepeatedToken));
        assert_eq!(seen.follow(Some("c".into())), Ok(Some("c".into())));
        assert_eq!(seen.follow(Some(String::new())), Ok(None));
        assert_eq!(seen.follow(None), Ok(None));
    }
}
