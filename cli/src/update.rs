//! `cloudcontrol update <resource> <identifier>` with `--patch '<JSON Patch>'` and/or
//! `--set Prop=<json>` / `--remove Prop`: update and wait for the outcome.

use aws_cloudcontrol_resources::MethodKind;
use cloudcontrol_runtime as runtime;
use serde_json::{json, Value};

use crate::target::{Target, Wait};
use crate::{print_value, CliError};

/// Arguments of `update`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The resource, identifier, region and output format.
    #[command(flatten)]
    pub target: Target,
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
    /// The wait.
    #[command(flatten)]
    pub wait: Wait,
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
    // Usage errors first, before any client is built: an unknown id, then a bad patch.
    crate::lookup::find(&args.target.resource)?;
    let patch = patch_of(args.patch.as_deref(), &args.set, &args.remove)?;
    let t = args
        .target
        .resolve(Some((MethodKind::Update, "updated")), Some(&args.wait))
        .await?;
    let updated: runtime::Updated<Value> = runtime::update(
        &t.client,
        t.info.type_name,
        &t.region,
        &args.target.identifier,
        &patch,
    )
    .await?;
    let out = json!({
        "identifier": updated.identifier,
        "request_token": updated.request_token,
        "model": updated.model,
    });
    print_value(&out, args.target.format)
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
