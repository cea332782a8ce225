//! Validation of resource properties against the type's schema, and the synchronous errors
//! (`ValidationException`, `NotUpdatableException`) AWS answers for violations.

use serde_json::Value;

use super::ApiError;
use crate::limits::Budget;
use crate::schema::{self, Violation};
use crate::specs::TypeInfo;

/// The synchronous `ValidationException` (HTTP 400) AWS answers for a desired state, or a
/// patched model, that violates the schema: `Model validation failed (#: required key [X] not
/// found)`, one line per violation.
pub(super) fn model_validation_failed(v: &[Violation]) -> ApiError {
    let lines: Vec<String> = v.iter().map(ToString::to_string).collect();
    ApiError::new(
        "ValidationException",
        format!("Model validation failed ({})", lines.join("\n")),
    )
}

/// The synchronous error for an UpdateResource patch that changes properties the update may not
/// touch, naming them as pointers (`/properties/LogGroupName`): `NotUpdatableException` for
/// create-only properties, `ValidationException` for read-only ones, as AWS answers.
pub(super) fn not_updatable(code: &'static str, kind: &str, pointers: &[String]) -> ApiError {
    ApiError::new(
        code,
        format!(
            "Invalid patch update: {kind} [{}] cannot be updated",
            pointers.join(", ")
        ),
    )
}

/// The `ValidationException` answered when a request used up its work budget.
pub(super) fn over_budget(budget: &Budget, what: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        format!(
            "1 validation error detected: {what} needs more than the emulator's work budget of {} steps (Limits::work_budget)",
            budget.limit()
        ),
    )
}

/// Violations of `props` against the type's schema. Read-only properties are the emulator's own
/// and are not held to the schema; unless `allow_read_only`, giving one is a violation. Runs
/// without the store lock; an exhausted `budget` is the caller's to check.
pub(super) fn validate(
    ti: &TypeInfo,
    props: &Value,
    allow_read_only: bool,
    budget: &Budget,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut checked = props.clone();
    for p in &ti.read_only {
        if !allow_read_only {
            for at in schema::present_paths(props, p) {
                let name = at.rsplit('/').next().unwrap_or_default().to_owned();
                out.push(Violation {
                    path: at,
                    message: format!("read-only property [{name}] cannot be set"),
                });
            }
        }
        // Read-only values are the emulator's own; they are not held to the schema.
        schema::remove_path(&mut checked, p);
    }
    // Required read-only properties cannot come from the caller.
    let is_read_only = |r: &Value| {
        r.as_str()
            .is_some_and(|r| ti.read_only.iter().any(|p| p == r))
    };
    let requires_read_only = ti
        .schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|req| req.iter().any(is_read_only));
    let stripped;
    let s = if requires_read_only {
        let mut copy = ti.schema.clone();
        if let Some(req) = copy.get_mut("required").and_then(Value::as_array_mut) {
            req.retain(|r| !is_read_only(r));
        }
        stripped = copy;
        &stripped
    } else {
        &ti.schema
    };
    schema::validate_resource(
        &checked,
        s,
        &ti.definitions,
        &mut out,
        Some(&ti.schema_name),
        budget,
    );
    out
}

/// The JSON type name used in `expected type: …` messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}
