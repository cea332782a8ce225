//! `cloudcontrol list <resource> --region a,b,c`: one type listed in several regions
//! concurrently; rows tagged with their region; a failed region is reported on stderr (exit 1)
//! without losing the other regions' rows.

use std::io::Write;

use aws_cloudcontrol_resources::ResourceInfo;
use cloudcontrol_runtime as runtime;
use serde_json::Value;

use crate::{CliError, Format};

/// Lists `info` in every region of `regions`.
pub async fn list(
    client: &runtime::Client,
    info: &'static ResourceInfo,
    regions: &[&str],
    parent: Option<&Value>,
    format: Format,
) -> Result<(), CliError> {
    let all = runtime::list_regions::<Value, _>(
        client,
        info.type_name,
        regions,
        parent,
        runtime::DEFAULT_REGION_CONCURRENCY,
    )
    .await;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Table => {
            // Rows grouped by region, in the order the regions were given.
            for region in regions {
                let rows: Vec<Value> = all
                    .rows
                    .iter()
                    .filter(|r| r.region == *region)
                    .map(|r| row_value(&r.row))
                    .collect();
                if all.failures.iter().any(|(r, _)| r == region) {
                    continue;
                }
                crate::output::write_table(&mut stdout, info, region, &rows)?;
            }
        }
        Format::Json | Format::Jsonl => {
            let rows: Vec<Value> = all
                .rows
                .into_iter()
                .map(|r| {
                    let mut row = row_value(&r.row);
                    if let Value::Object(map) = &mut row {
                        map.insert("region".to_owned(), Value::from(r.region));
                    }
                    row
                })
                .collect();
            if format == Format::Json {
                writeln!(
                    stdout,
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                )?;
            } else {
                for row in rows {
                    writeln!(stdout, "{row}")?;
                }
            }
        }
    }
    stdout.flush()?;
    for (region, error) in &all.failures {
        eprintln!("error: {region}: {error}");
    }
    if all.failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::RegionsFailed {
            failed: all.failures.len(),
            total: regions.len(),
        })
    }
}

/// A listed resource's JSON (a `Value` always decodes; an undecoded item keeps its raw JSON).
fn row_value(item: &runtime::ListItem<Value>) -> Value {
    match item {
        runtime::ListItem::Decoded(value) => value.clone(),
        runtime::ListItem::Undecoded(undecoded) => undecoded.raw.clone(),
        _ => Value::Null,
    }
}
