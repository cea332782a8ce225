//! `cloudcontrol update <resource> <identifier>` with `--patch '<JSON Patch>'` and/or
//! `--set Prop=<json>` / `--remove Prop`: update and wait for the outcome.

use std::time::Duration;

use cloudcontrol_runtime as runtime;
use serde_json::{json, Value};

use crate::{print_value, CliError, Format};

/// Arguments of `update`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Resource id, singular or plural (`aws.logs.log_group`).
    pub resource: String,
    /// Primary identifier (compound identifiers joined with `|`).
    pub identifier: String,
    /// Region; defaults to the environment's (`AWS_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// An RFC 6902 JSON Patch (a JSON array of operations), sent as it is.
    #[arg(long)]
    pub patch: Option<String>,
    /// `Prop=<json>`: sets a top-level property (a JSON Patch `add`). A value that is not JSON
    /// is taken as a string. Repeatable.
    #[arg(long = "set", value_name = "PROP=JSON")]
    pub set: Vec<String>,
    /// Removes a top-level property (a JSON Patch `remove`). Repeatable.
    #[arg(long = "remove", value_name = "PROP")]
    pub remove: Vec<String>,
    /// Give up waiting after this many seconds (the request token is printed to resume).
    #[arg(long)]
    pub wait_deadline: Option<u64>,
    /// Output: `table`, `json` or `jsonl`.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The JSON Patch of the arguments: `--patch` operations first, then `--set`, then `--remove`.
pub fn patch_of(
    patch: Option<&str>,
    set: &[String],
    remove: &[String],
) -> Result<Vec<Value>, CliError> {
    let mut ops: Vec<Value> = match patch {
        None => Vec::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(ops)) => ops,
            Ok(_) => {
                return Err(CliError::BadJson {
                    flag: "patch",
                    message: "expected a JSON Patch array `[{\"op\": ..., \"path\": ...}]`"
                        .to_owned(),
                })
            }
            Err(e) => {
                return Err(CliError::BadJson {
                    flag: "patch",
                    message: e.to_string(),
                })
            }
        },
    };
    for item in set {
        let Some((property, value)) = item.split_once('=') else {
            return Err(CliError::BadJson {
                flag: "set",
                message: format!("`{item}` is not PROP=VALUE"),
            });
        };
        let value = serde_json::from_str::<Value>(value).unwrap_or_else(|_| Value::from(value));
        ops.push(json!({"op": "add", "path": pointer(property), "value": value}));
    }
    for property in remove {
        ops.push(json!({"op": "remove", "path": pointer(property)}));
    }
    if ops.is_empty() {
        return Err(CliError::BadJson {
            flag: "patch",
            message: "nothing to update: pass --patch, --set or --remove".to_owned(),
        });
    }
    Ok(ops)
}

fn pointer(property: &str) -> String {
    format!("/{}", property.trim_start_matches('/').replace('~', "~0"))
}

/// Runs `update`.
pub async fn run(args: Args) -> Result<(), CliError> {
    let info = crate::lookup::find(&args.resource)?;
    crate::require_handler(info, "update_resource", "updated")?;
    let patch = patch_of(args.patch.as_deref(), &args.set, &args.remove)?;
    let client = crate::client(args.wait_deadline.map(Duration::from_secs)).await;
    let region = crate::region_of(args.region, &client)?;
    let updated: runtime::Updated<Value> =
        runtime::update(&client, info.type_name, &region, &args.identifier, &patch).await?;
    let out = json!({
        "identifier": updated.identifier,
        "request_token": updated.request_token,
        "model": updated.model,
    });
    print_value(&out, args.format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_remove_and_patch_make_one_document() {
        let ops = patch_of(
            Some(r#"[{"op":"test","path":"/A","value":1}]"#),
            &[
                "RetentionInDays=30".to_owned(),
                "Name=plain text".to_owned(),
            ],
            &["Tags".to_owned()],
        )
        .unwrap();
        assert_eq!(
            Value::Array(ops),
            json!([
                {"op": "test", "path": "/A", "value": 1},
                {"op": "add", "path": "/RetentionInDays", "value": 30},
                {"op": "add", "path": "/Name", "value": "plain text"},
                {"op": "remove", "path": "/Tags"}
            ])
        );
        assert!(patch_of(None, &[], &[]).is_err());
        assert!(patch_of(Some("{}"), &[], &[]).is_err());
        assert!(patch_of(None, &["NoEquals".to_owned()], &[]).is_err());
    }
}
