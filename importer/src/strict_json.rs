//! Strict JSON parsing of schema files: a key twice in one object is an error naming both
//! places (serde_json's own `Value` keeps the last silently). Nesting is bounded by serde_json's
//! recursion limit (128 levels), checked as the parser descends, before any cost explodes.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Deserializes a [`Value`], rejecting duplicate object keys.
pub(crate) struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

/// Wrapper so [`Strict`] can be used where a `Deserialize` type is expected.
pub(crate) struct StrictValue(pub Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Strict.deserialize(deserializer).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(A::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = access.next_value_seed(Strict)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

/// A 1-based line and column.
pub(crate) type Place = (usize, usize);

/// The first key written twice in one object of `text`, with the 1-based line and column of
/// both occurrences, found by a small scan of the JSON text in document order (the order the
/// parser met it). Only run once the parser reported a duplicate, to name both places.
pub(crate) fn first_duplicate_key(text: &[u8]) -> Option<(String, Place, Place)> {
    // Per open container: `Some(keys seen)` for an object, `None` for an array.
    let mut stack: Vec<Option<std::collections::HashMap<String, (usize, usize)>>> = Vec::new();
    let (mut line, mut col) = (1usize, 1usize);
    let mut i = 0;
    let mut expect_key = false;
    while i < text.len() {
        let c = text[i];
        match c {
            b'{' => {
                stack.push(Some(std::collections::HashMap::new()));
                expect_key = true;
            }
            b'[' => {
                stack.push(None);
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => expect_key = matches!(stack.last(), Some(Some(_))),
            b':' => expect_key = false,
            b'"' => {
                let start = (line, col);
                let mut j = i + 1;
                while j < text.len() && text[j] != b'"' {
                    if text[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                let raw = &text[i..(j + 1).min(text.len())];
                if expect_key {
                    let key: String = serde_json::from_slice(raw).unwrap_or_default();
                    if let Some(Some(keys)) = stack.last_mut() {
                        if let Some(first) = keys.get(&key) {
                            return Some((key, *first, start));
                        }
                        keys.insert(key, start);
                    }
                }
                // A JSON string holds no raw newline.
                col += j + 1 - i;
                i = j + 1;
                continue;
            }
            b'\n' => {
                line += 1;
                col = 0;
            }
            _ => {}
        }
        i += 1;
        col += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_places_of_a_duplicate() {
        let text = br#"{"a": {"x": 1, "y": [{"x": 2}]},
 "b": {"k": "v\"", "k": 3}}"#;
        assert_eq!(
            first_duplicate_key(text),
            Some(("k".to_owned(), (2, 8), (2, 20)))
        );
        assert_eq!(first_duplicate_key(br#"{"a": 1, "b": {"a": 2}}"#), None);
    }
}
