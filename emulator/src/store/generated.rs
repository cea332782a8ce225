//! Generated values: request tokens and the plausible values given to read-only properties and
//! to an omitted primary identifier (ARNs, ids, account ids, timestamps), drawn from one seeded
//! RNG so that runs with the same seed produce the same identifiers.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use super::ACCOUNT_ID;
use crate::schema;
use crate::specs::TypeInfo;
use crate::time;

/// The identifier RNG and the counter numbering generated numeric values.
pub(super) struct Generator {
    rng: ChaCha8Rng,
    seq: u64,
}

impl Generator {
    /// A generator whose stream depends only on `seed`.
    pub(super) fn new(seed: u64) -> Self {
        Generator {
            // Identifiers use their own stream so fault draws do not shift them.
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x05ee_d1d5),
            seq: 0,
        }
    }

    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from_digit(self.rng.random_range(0..16u32), 16).unwrap_or('0'))
            .collect()
    }

    /// A random version-4-shaped UUID (request tokens, ARN suffixes).
    pub(super) fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-a{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A plausible value for a generated (read-only or omitted identifier) property.
    fn generate_value(
        &mut self,
        ti: &TypeInfo,
        name: &str,
        prop_schema: Option<&Value>,
        region: &str,
    ) -> Option<Value> {
        let s = prop_schema.map(|s| schema::resolve(s, &ti.definitions));
        if let Some(first) = s
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return Some(first.clone());
        }
        let ty = s
            .and_then(|s| s.get("type"))
            .and_then(|t| match t {
                Value::String(t) => Some(t.as_str()),
                Value::Array(a) => a.first().and_then(Value::as_str),
                _ => None,
            })
            .unwrap_or("string");
        self.seq += 1;
        let value = match ty {
            "integer" | "number" => json!(self.seq),
            "boolean" => json!(false),
            "array" => json!([]),
            "object" => json!({}),
            _ => {
                let lower = name.to_ascii_lowercase();
                let parts: Vec<&str> = ti.type_name.split("::").collect();
                let svc = parts
                    .get(1)
                    .map(|s| s.to_ascii_lowercase())
                    .unwrap_or_default();
                let res = parts
                    .get(2)
                    .map(|s| s.to_ascii_lowercase())
                    .unwrap_or_default();
                let text = if lower.ends_with("arn") {
                    format!("arn:aws:{svc}:{region}:{ACCOUNT_ID}:{res}/{}", self.uuid())
                } else if lower.contains("accountid") || lower == "owner" || lower == "ownerid" {
                    ACCOUNT_ID.to_owned()
                } else if lower.ends_with("time")
                    || lower.ends_with("date")
                    || lower.ends_with("at")
                    || lower.ends_with("timestamp")
                {
                    time::rfc3339(time::epoch_seconds() as u64)
                } else if lower == "region" {
                    region.to_owned()
                } else if lower.ends_with("id") || lower.ends_with("identifier") {
                    let prefix: String = res
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(8)
                        .collect();
                    format!("{prefix}-{}", self.hex(17))
                } else if lower.ends_with("status") || lower.ends_with("state") {
                    "AVAILABLE".to_owned()
                } else {
                    format!(
                        "{}-{}",
                        lower.chars().take(24).collect::<String>(),
                        self.hex(12)
                    )
                };
                let text = fit_length(text, s);
                json!(text)
            }
        };
        Some(value)
    }

    /// Fills missing read-only properties and missing primary-identifier parts.
    pub(super) fn generate(&mut self, ti: &TypeInfo, props: &mut Value, region: &str) {
        let paths: Vec<(&String, bool)> = ti
            .read_only
            .iter()
            .map(|p| (p, false))
            .chain(ti.primary_identifier.iter().map(|p| (p, true)))
            .collect();
        for (path, is_identifier) in paths {
            let name = schema::segments(path)
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default();
            let prop_schema = schema::schema_at(&ti.schema, &ti.definitions, path).cloned();
            schema::set_missing_path(
                props,
                path,
                &mut || self.generate_value(ti, &name, prop_schema.as_ref(), region),
                is_identifier,
            );
        }
    }
}

fn fit_length(mut text: String, s: Option<&Value>) -> String {
    if let Some(max) = s.and_then(|s| s.get("maxLength")).and_then(Value::as_u64) {
        let max = max as usize;
        if text.chars().count() > max {
            text = text.chars().take(max).collect();
        }
    }
    if let Some(min) = s.and_then(|s| s.get("minLength")).and_then(Value::as_u64) {
        while (text.chars().count() as u64) < min {
            text.push('0');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_strings_fit_length_limits() {
        let s = json!({"maxLength": 5, "minLength": 3});
        assert_eq!(fit_length("abcdefgh".into(), Some(&s)), "abcde");
        assert_eq!(fit_length("a".into(), Some(&s)), "a00");
    }
}
