//! Requests AWS refuses in the call itself, typed: `ValidationException` (invalid properties),
//! `NotUpdatableException` (a patch changing create-only properties) and
//! `ResourceConflictException` (another request on the resource is in progress). The offending
//! properties are parsed from AWS's messages:
//!
//! - `Model validation failed (#/Tags/1: required key [Key] not found)` names `Tags/1/Key`;
//!   `(#: extraneous key [Colour] is not permitted)` names `Colour`;
//!   `(#/ConnectionName: expected maxLength: 32, actual: 40)` names `ConnectionName`;
//! - `Invalid patch update: createOnlyProperties [/properties/A, /properties/B/C] cannot be
//!   updated` names `A` and `B/C` (and the `readOnlyProperties` form of it likewise).

use crate::call::Call;
use crate::error::Error;

/// The typed error for a refused call with this code, or `None` for other codes.
pub(crate) fn typed(code: &str, call: &Call<'_>, message: &str) -> Option<Error> {
    let operation = call.operation;
    let type_name = call.type_name.to_owned();
    let region = call.region.to_owned();
    let message = message.to_owned();
    Some(match code {
        "ValidationException" => Error::Validation {
            operation,
            type_name,
            region,
            property: validation_property(&message),
            message,
        },
        "NotUpdatableException" => Error::NotUpdatable {
            operation,
            type_name,
            region,
            properties: bracketed_pointers(&message),
            message,
        },
        "ResourceConflictException" => Error::ResourceConflict {
            operation,
            type_name,
            region,
            message,
        },
        _ => return None,
    })
}

/// The first property a `ValidationException` message names, as a path below the resource.
pub(crate) fn validation_property(message: &str) -> Option<String> {
    if let Some(rest) = message.split("Model validation failed (").nth(1) {
        // One violation per line; the first is reported.
        let first = rest.lines().next().unwrap_or_default();
        return violation_property(first);
    }
    if message.starts_with("Invalid patch update:") {
        return bracketed_pointers(message).into_iter().next();
    }
    None
}

/// `#/A/0: message` → `A/0`, extended by the key a `required key [K]` or `extraneous key [K]`
/// message names.
fn violation_property(violation: &str) -> Option<String> {
    let rest = violation.strip_prefix('#')?;
    let (path, detail) = rest.split_once(": ")?;
    let mut parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let key = ["required key [", "extraneous key ["]
        .iter()
        .find_map(|lead| detail.split_once(lead))
        .and_then(|(_, after)| after.split_once(']'))
        .map(|(key, _)| key);
    if let Some(key) = key {
        parts.push(key);
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The pointers of the first `[...]` list of the message, without their `/properties/` prefix:
/// `[/properties/A, /properties/B/C]` → `A`, `B/C`.
fn bracketed_pointers(message: &str) -> Vec<String> {
    let Some((_, after)) = message.split_once('[') else {
        return Vec::new();
    };
    let Some((list, _)) = after.split_once(']') else {
        return Vec::new();
    };
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.strip_prefix("/properties/")
                .unwrap_or(p.trim_start_matches('/'))
                .to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(operation: &'static str, type_name: &'a str, region: &'a str) -> Call<'a> {
        Call {
            operation,
            type_name,
            region,
        }
    }

    #[test]
    fn validation_messages_name_the_property() {
        let cases = [
            (
                "Model validation failed (#: required key [AssumeRolePolicyDocument] not found)",
                Some("AssumeRolePolicyDocument"),
            ),
            (
                "Model validation failed (#: extraneous key [NotAProperty] is not permitted)",
                Some("NotAProperty"),
            ),
            (
                "Model validation failed (#/Role: failed validation constraint for keyword [pattern])",
                Some("Role"),
            ),
            (
                "Model validation failed (#/Tags/1: required key [Key] not found)",
                Some("Tags/1/Key"),
            ),
            (
                "Model validation failed (#/Tags/0/Key: expected minLength: 1, actual: 0)\n#/Name: x",
                Some("Tags/0/Key"),
            ),
            (
                "Invalid patch update: readOnlyProperties [/properties/Arn] cannot be updated",
                Some("Arn"),
            ),
            (
                "1 validation error detected: Value null at 'typeName' failed to satisfy constraint: Member must not be null",
                None,
            ),
            ("Model validation failed (#: expected type: JSONObject, found: JSONArray)", None),
        ];
        for (message, want) in cases {
            assert_eq!(validation_property(message).as_deref(), want, "{message}");
        }
    }

    #[test]
    fn not_updatable_messages_name_every_property() {
        let e = typed(
            "NotUpdatableException",
            &call("UpdateResource", "AWS::EC2::VPCEndpoint", "us-east-1"),
            "Invalid patch update: createOnlyProperties [/properties/DnsOptions/PrivateDnsPreference, /properties/VpcId] cannot be updated",
        );
        match e {
            Some(Error::NotUpdatable { properties, .. }) => {
                assert_eq!(properties, ["DnsOptions/PrivateDnsPreference", "VpcId"])
            }
            other => panic!("{other:?}"),
        }
        assert!(typed("ThrottlingException", &call("X", "T", "r"), "m").is_none());
    }

    #[test]
    fn refused_errors_keep_code_and_context() {
        let e = typed(
            "ResourceConflictException",
            &call("DeleteResource", "AWS::Logs::LogGroup", "eu-west-1"),
            "busy",
        )
        .unwrap();
        assert_eq!(e.code(), Some("ResourceConflictException"));
        let shown = e.to_string();
        assert!(
            shown.contains("AWS::Logs::LogGroup") && shown.contains("eu-west-1"),
            "{shown}"
        );
        let e = typed(
            "ValidationException",
            &call("CreateResource", "AWS::IAM::Role", "us-east-1"),
            "Model validation failed (#: required key [AssumeRolePolicyDocument] not found)",
        )
        .unwrap();
        assert_eq!(e.property(), Some("AssumeRolePolicyDocument"));
        assert!(
            e.to_string().contains("invalid AssumeRolePolicyDocument"),
            "{e}"
        );
    }
}
