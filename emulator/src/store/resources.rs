//! Stored resources: one map per type keyed by primary identifier, each resource with the
//! properties as stored and the JSON that Get/List return (write-only properties removed,
//! serialized once), plus ListResources keyset paging and its tokens.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::ApiError;
use crate::schema;
use crate::specs::TypeInfo;

struct Resource {
    /// Shared so that an update can work on the properties outside the store lock; a new
    /// `Arc` on every change, so pointer equality tells whether they changed meanwhile.
    props: Arc<Value>,
    /// Properties as returned by Get/List (write-only ones removed), serialized once.
    json: Arc<str>,
}

/// Properties as returned by Get/List: write-only ones removed, serialized.
pub(super) fn public_json(ti: &TypeInfo, props: &Value) -> Arc<str> {
    let mut shown = props.clone();
    for p in &ti.write_only {
        schema::remove_path(&mut shown, p);
    }
    Arc::from(shown.to_string())
}

/// The primary identifier of a resource (`|`-joined parts), if every part is present.
pub fn identifier_of(ti: &TypeInfo, props: &Value) -> Option<String> {
    let mut parts = Vec::with_capacity(ti.primary_identifier.len());
    for p in &ti.primary_identifier {
        parts.push(match schema::get_path(props, p)? {
            Value::String(s) => s.clone(),
            Value::Null => return None,
            other => other.to_string(),
        });
    }
    Some(parts.join("|"))
}

/// The `NotFound` / `ResourceNotFoundException` message.
pub(super) fn not_found(ti: &TypeInfo, id: &str) -> String {
    format!(
        "Resource of type '{}' with identifier '{id}' was not found.",
        ti.type_name
    )
}

/// All stored resources, by type name then primary identifier.
#[derive(Default)]
pub(super) struct Resources {
    types: BTreeMap<String, BTreeMap<String, Resource>>,
}

impl Resources {
    /// Number of stored resources (all types).
    pub(super) fn count(&self) -> u64 {
        self.types.values().map(|m| m.len() as u64).sum()
    }

    /// A stored resource's properties (write-only ones included).
    pub(super) fn props(&self, type_name: &str, id: &str) -> Option<&Arc<Value>> {
        Some(&self.types.get(type_name)?.get(id)?.props)
    }

    /// Whether a resource of this type has this identifier.
    pub(super) fn contains(&self, type_name: &str, id: &str) -> bool {
        self.types
            .get(type_name)
            .is_some_and(|b| b.contains_key(id))
    }

    /// Stores (or replaces) a resource; returns the JSON Get/List will show for it.
    pub(super) fn insert(&mut self, ti: &TypeInfo, id: String, props: Value) -> Arc<str> {
        let json = public_json(ti, &props);
        self.types.entry(ti.type_name.clone()).or_default().insert(
            id,
            Resource {
                props: Arc::new(props),
                json: json.clone(),
            },
        );
        json
    }

    /// Replaces the properties of an existing resource (no effect if it is gone).
    pub(super) fn replace(&mut self, type_name: &str, id: &str, props: Value, json: Arc<str>) {
        if let Some(r) = self.types.get_mut(type_name).and_then(|b| b.get_mut(id)) {
            r.props = Arc::new(props);
            r.json = json;
        }
    }

    /// Removes a resource; returns its properties and the length of its shown JSON.
    pub(super) fn remove(&mut self, type_name: &str, id: &str) -> Option<(Arc<Value>, usize)> {
        self.types
            .get_mut(type_name)
            .and_then(|b| b.remove(id))
            .map(|r| (r.props, r.json.len()))
    }

    /// GetResource: the shown JSON of one resource.
    pub(super) fn get(&self, ti: &TypeInfo, id: &str) -> Result<Arc<str>, ApiError> {
        self.types
            .get(&ti.type_name)
            .and_then(|b| b.get(id))
            .map(|r| r.json.clone())
            .ok_or_else(|| ApiError::new("ResourceNotFoundException", not_found(ti, id)))
    }

    /// One ListResources page: `(identifier, properties)` items and the next token.
    pub(super) fn list(
        &self,
        ti: &TypeInfo,
        filter: Option<&Map<String, Value>>,
        after: Option<&str>,
        limit: usize,
    ) -> (Vec<(String, Arc<str>)>, Option<String>) {
        let Some(bucket) = self.types.get(&ti.type_name) else {
            return (Vec::new(), None);
        };
        use std::ops::Bound;
        let lower = match after {
            Some(a) => Bound::Excluded(a.to_owned()),
            None => Bound::Unbounded,
        };
        let mut items = Vec::with_capacity(limit.min(bucket.len()));
        let mut more = false;
        for (id, r) in bucket.range((lower, Bound::Unbounded)) {
            let keep = filter.is_none_or(|f| f.iter().all(|(k, v)| r.props.get(k) == Some(v)));
            if !keep {
                continue;
            }
            if items.len() == limit {
                more = true;
                break;
            }
            items.push((id.clone(), r.json.clone()));
        }
        let next = if more {
            items.last().map(|(id, _)| encode_token(&ti.type_name, id))
        } else {
            None
        };
        (items, next)
    }
}

/// ListResources tokens are opaque hex of `v1\n<type>\n<last identifier>`: each page's token
/// differs because the last identifier does, and resources created meanwhile do not shift pages.
pub fn encode_token(type_name: &str, last_id: &str) -> String {
    hex::encode(format!("v1\n{type_name}\n{last_id}"))
}

/// Decodes a ListResources token for the given type.
pub fn decode_token(type_name: &str, token: &str) -> Option<String> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    let rest = raw.strip_prefix("v1\n")?;
    let (t, id) = rest.split_once('\n')?;
    (t == type_name).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_bound_to_their_type() {
        let t = encode_token("AWS::A::B", "id|1");
        assert_eq!(decode_token("AWS::A::B", &t).as_deref(), Some("id|1"));
        assert_eq!(decode_token("AWS::A::C", &t), None);
        assert_eq!(decode_token("AWS::A::B", "zz"), None);
        assert_ne!(t, encode_token("AWS::A::B", "id|2"));
    }
}
