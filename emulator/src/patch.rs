//! RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over `serde_json::Value`.

use serde_json::Value;

use crate::limits::{json_len_capped, Budget};

/// Why a patch was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchError {
    /// The patch is malformed or an operation does not apply (a handler failure).
    Invalid(String),
    /// The document grew past the size limit after operation `op` (0-based).
    TooLarge { op: usize, limit: usize },
    /// The request's work budget ran out during operation `op`.
    Budget { op: usize },
}

/// Applies a patch document (a JSON array of operations) to `doc`. After every operation the
/// document must stay within `max_bytes` of compact JSON, and measuring it is charged to
/// `budget` (one unit per 16 bytes; so a patch that copies the document into itself stops at the limit instead of
/// doubling it). On error `doc` may be partially modified; callers patch a copy.
pub fn apply(
    doc: &mut Value,
    patch: &Value,
    max_bytes: usize,
    budget: &Budget,
) -> Result<(), PatchError> {
    let ops = patch.as_array().ok_or_else(|| {
        PatchError::Invalid("PatchDocument must be a JSON array of operations".to_owned())
    })?;
    for (i, op) in ops.iter().enumerate() {
        apply_one(doc, op).map_err(|e| PatchError::Invalid(format!("patch operation {i}: {e}")))?;
        let len = json_len_capped(doc, max_bytes);
        let measured = len.unwrap_or(max_bytes) as u64 + 1;
        if !budget.spend(measured.div_ceil(16)) {
            return Err(PatchError::Budget { op: i });
        }
        if len.is_none() {
            return Err(PatchError::TooLarge {
                op: i,
                limit: max_bytes,
            });
        }
    }
    Ok(())
}

fn field<'a>(op: &'a Value, name: &str) -> Result<&'a Value, String> {
    op.get(name).ok_or_else(|| format!("missing \"{name}\""))
}

fn str_field<'a>(op: &'a Value, name: &str) -> Result<&'a str, String> {
    field(op, name)?
        .as_str()
        .ok_or_else(|| format!("\"{name}\" must be a string"))
}

fn apply_one(doc: &mut Value, op: &Value) -> Result<(), String> {
    let kind = str_field(op, "op")?;
    let path = parse_pointer(str_field(op, "path")?)?;
    match kind {
        "add" => add(doc, &path, field(op, "value")?.clone()),
        "remove" => remove(doc, &path).map(|_| ()),
        "replace" => {
            let target = get_mut(doc, &path)?;
            *target = field(op, "value")?.clone();
            Ok(())
        }
        "move" => {
            let from = parse_pointer(str_field(op, "from")?)?;
            if path.len() > from.len() && path[..from.len()] == from[..] {
                return Err("cannot move a value into one of its children".to_owned());
            }
            let v = remove(doc, &from)?;
            add(doc, &path, v)
        }
        "copy" => {
            let from = parse_pointer(str_field(op, "from")?)?;
            let v = get_mut(doc, &from)?.clone();
            add(doc, &path, v)
        }
        "test" => {
            if get_mut(doc, &path)? == field(op, "value")? {
                Ok(())
            } else {
                Err(format!("test failed at {}", display(&path)))
            }
        }
        other => Err(format!("unknown op \"{other}\"")),
    }
}

fn display(path: &[String]) -> String {
    path.iter().map(|s| format!("/{s}")).collect()
}

/// Parses an RFC 6901 JSON pointer into unescaped tokens.
pub fn parse_pointer(p: &str) -> Result<Vec<String>, String> {
    if p.is_empty() {
        return Ok(Vec::new());
    }
    let rest = p
        .strip_prefix('/')
        .ok_or_else(|| format!("invalid JSON pointer \"{p}\""))?;
    Ok(rest
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn get_mut<'a>(doc: &'a mut Value, path: &[String]) -> Result<&'a mut Value, String> {
    let mut cur = doc;
    for (depth, tok) in path.iter().enumerate() {
        let here = || display(&path[..=depth]);
        cur = match cur {
            Value::Object(m) => m
                .get_mut(tok)
                .ok_or_else(|| format!("no value at {}", here()))?,
            Value::Array(a) => {
                let i = array_index(tok, a.len())?;
                a.get_mut(i)
                    .ok_or_else(|| format!("no value at {}", here()))?
            }
            _ => return Err(format!("no value at {}", here())),
        };
    }
    Ok(cur)
}

fn array_index(tok: &str, len: usize) -> Result<usize, String> {
    if tok == "-" {
        return Ok(len);
    }
    if tok.len() > 1 && tok.starts_with('0') {
        return Err(format!("invalid array index \"{tok}\""));
    }
    tok.parse::<usize>()
        .map_err(|_| format!("invalid array index \"{tok}\""))
}

fn add(doc: &mut Value, path: &[String], v: Value) -> Result<(), String> {
    let Some((last, parent)) = path.split_last() else {
        *doc = v;
        return Ok(());
    };
    match get_mut(doc, parent)? {
        Value::Object(m) => {
            m.insert(last.clone(), v);
            Ok(())
        }
        Value::Array(a) => {
            let i = array_index(last, a.len())?;
            if i > a.len() {
                return Err(format!("index out of bounds at {}", display(path)));
            }
            a.insert(i, v);
            Ok(())
        }
        _ => Err(format!("parent of {} is not a container", display(path))),
    }
}

fn remove(doc: &mut Value, path: &[String]) -> Result<Value, String> {
    let (last, parent) = path
        .split_last()
        .ok_or_else(|| "cannot remove the whole document".to_owned())?;
    match get_mut(doc, parent)? {
        Value::Object(m) => m
            .remove(last)
            .ok_or_else(|| format!("no value at {}", display(path))),
        Value::Array(a) => {
            let i = array_index(last, a.len())?;
            if i >= a.len() {
                return Err(format!("no value at {}", display(path)));
            }
            Ok(a.remove(i))
        }
        _ => Err(format!("no value at {}", display(path))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(doc: &mut Value, patch: &Value) -> Result<(), PatchError> {
        super::apply(doc, patch, 1 << 20, &Budget::new(u64::MAX))
    }

    #[test]
    fn copying_the_document_into_itself_stops_at_the_size_limit() {
        // Each `copy` from "" doubles the document: 40 of them would need 2^40 times its size.
        let mut doc = json!({"Name": "x".repeat(100)});
        let ops: Vec<Value> = (0..40)
            .map(|i| json!({"op": "copy", "from": "", "path": format!("/c{i}")}))
            .collect();
        let err = super::apply(&mut doc, &Value::Array(ops), 4096, &Budget::new(u64::MAX));
        assert_eq!(err, Err(PatchError::TooLarge { op: 5, limit: 4096 }));
        // The budget bounds the work even when the size limit is generous.
        let ops: Vec<Value> = (0..2000)
            .map(|_| json!({"op": "replace", "path": "/Name", "value": "y"}))
            .collect();
        let err = super::apply(&mut doc, &Value::Array(ops), 1 << 20, &Budget::new(10_000));
        assert!(matches!(err, Err(PatchError::Budget { .. })), "{err:?}");
    }

    #[test]
    fn applies_rfc6902_operations() {
        let mut doc = json!({"a": 1, "l": [1, 2], "o": {"x": "y"}});
        apply(
            &mut doc,
            &json!([
                {"op": "replace", "path": "/a", "value": 2},
                {"op": "add", "path": "/l/-", "value": 3},
                {"op": "add", "path": "/l/0", "value": 0},
                {"op": "remove", "path": "/o/x"},
                {"op": "copy", "from": "/a", "path": "/b"},
                {"op": "move", "from": "/b", "path": "/o/b"},
                {"op": "test", "path": "/o/b", "value": 2}
            ]),
        )
        .unwrap();
        assert_eq!(doc, json!({"a": 2, "l": [0, 1, 2, 3], "o": {"b": 2}}));
    }

    #[test]
    fn rejects_bad_operations() {
        let mut doc = json!({"a": 1});
        assert!(apply(&mut doc, &json!([{"op": "remove", "path": "/zz"}])).is_err());
        assert!(apply(
            &mut doc,
            &json!([{"op": "replace", "path": "/zz", "value": 1}])
        )
        .is_err());
        assert!(apply(&mut doc, &json!([{"op": "test", "path": "/a", "value": 2}])).is_err());
        assert!(apply(&mut doc, &json!({"op": "add"})).is_err());
        assert_eq!(parse_pointer("/a~1b/c~0d").unwrap(), vec!["a/b", "c~d"]);
    }
}
