//! RFC 6902 JSON Patch (add, remove, replace, move, copy, test) over `serde_json::Value`.

use serde_json::Value;

/// Applies a patch document (a JSON array of operations) to `doc`. On error `doc` may be
/// partially modified; callers patch a copy.
pub fn apply(doc: &mut Value, patch: &Value) -> Result<(), String> {
    let ops = patch
        .as_array()
        .ok_or_else(|| "PatchDocument must be a JSON array of operations".to_owned())?;
    for (i, op) in ops.iter().enumerate() {
        apply_one(doc, op).map_err(|e| format!("patch operation {i}: {e}"))?;
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
