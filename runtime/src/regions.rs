//! Lists across regions: every region listed concurrently (with a bound), rows tagged with their
//! region, and one region's failure reported without losing the other regions' rows.

use futures::StreamExt;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::decode::ListItem;
use crate::error::Error;

/// Default number of regions listed at the same time.
pub const DEFAULT_REGION_CONCURRENCY: usize = 8;

/// A row and the region it was listed in.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RegionRow<Row> {
    /// The region.
    pub region: String,
    /// The row.
    pub row: Row,
}

/// The outcome of [`list_regions`]: the rows of every region that listed, in the order the
/// regions were given, and the failure of every region that did not.
#[derive(Debug)]
#[non_exhaustive]
pub struct MultiRegion<Row> {
    /// Rows, region by region in the order given.
    pub rows: Vec<RegionRow<Row>>,
    /// `(region, error)` of each region whose listing failed.
    pub failures: Vec<(String, Error)>,
}

impl<Row> MultiRegion<Row> {
    /// Whether every region listed.
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }
}

/// One region's listing: the region and its items or its error.
type RegionResult<Row> = (String, Result<Vec<ListItem<Row>>, Error>);

/// Lists every resource of `type_name` in each of `regions`, at most `concurrency` regions at a
/// time (0 means [`DEFAULT_REGION_CONCURRENCY`]). Each region is a full [`crate::list`] (so each
/// row is a [`ListItem`]: a resource that does not decode into `Row` is kept undecoded); a
/// region that fails is reported in [`MultiRegion::failures`] and the others' rows are kept.
pub async fn list_regions<Row, R>(
    client: &Client,
    type_name: &str,
    regions: &[R],
    resource_model: Option<&serde_json::Value>,
    concurrency: usize,
) -> MultiRegion<ListItem<Row>>
where
    Row: DeserializeOwned + Send + 'static,
    R: AsRef<str>,
{
    let bound = if concurrency == 0 {
        DEFAULT_REGION_CONCURRENCY
    } else {
        concurrency
    };
    let results: Vec<RegionResult<Row>> = futures::stream::iter(regions.iter())
        .map(|region| {
            let region = region.as_ref().to_owned();
            async move {
                let result = crate::list::<Row>(client, type_name, &region, resource_model).await;
                (region, result)
            }
        })
        .buffered(bound)
        .collect()
        .await;
    let mut out = MultiRegion {
        rows: Vec::new(),
        failures: Vec::new(),
    };
    for (region, result) in results {
        match result {
            Ok(rows) => out.rows.extend(rows.into_iter().map(|row| RegionRow {
                region: region.clone(),
                row,
            })),
            Err(e) => out.failures.push((region, e)),
        }
    }
    out
}
