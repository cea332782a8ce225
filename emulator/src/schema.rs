//! Validation of resource properties against a type's JSON schema, property-path helpers and
//! generation of read-only values.
//!
//! Messages follow the style of the validator behind CloudFormation handlers
//! (`#/Tags/0: required key [Key] not found`), so the property path is always named.
//! `pattern` and `patternProperties` are checked with an ECMAScript engine ([`crate::pattern`]);
//! a pattern that does not compile is skipped (and reported by [`crate::pattern::scan`]).
//! A resource's top level is closed (`additionalProperties: false`) even where the schema
//! leaves the keyword out: the registry meta-schema requires it, so AWS rejects unknown
//! top-level properties of every type.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use crate::limits::Budget;

/// Depth guard against recursive schemas and pathological documents.
const MAX_DEPTH: usize = 64;
/// Violations reported per validation (the message must stay under 2048 characters).
const MAX_VIOLATIONS: usize = 10;

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON-pointer-like path from the root `#`, e.g. `#/Tags/0/Key`.
    pub path: String,
    /// What is wrong, e.g. `expected maxLength: 32, actual: 40`.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Joins violations into one message.
pub fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Follows `$ref: '#/components/schemas/X'` chains.
pub fn resolve<'a>(mut schema: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    for _ in 0..MAX_DEPTH {
        let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
            return schema;
        };
        let Some(name) = provider_spec::refs::schema_name(r) else {
            return schema;
        };
        match defs.get(name.as_ref()) {
            Some(s) => schema = s,
            None => return schema,
        }
    }
    schema
}

fn type_label(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "Integer",
        Value::Number(_) => "Number",
        Value::String(_) => "String",
        Value::Array(_) => "JSONArray",
        Value::Object(_) => "JSONObject",
    }
}

fn schema_type_label(t: &str) -> &str {
    match t {
        "string" => "String",
        "integer" => "Integer",
        "number" => "Number",
        "boolean" => "Boolean",
        "array" => "JSONArray",
        "object" => "JSONObject",
        "null" => "Null",
        other => other,
    }
}

fn matches_type(v: &Value, t: &str) -> bool {
    match (t, v) {
        ("string", Value::String(_)) => true,
        ("boolean", Value::Bool(_)) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        ("array", Value::Array(_)) => true,
        ("object", Value::Object(_)) => true,
        ("null", Value::Null) => true,
        _ => false,
    }
}

fn push_seg(path: &str, seg: &str) -> String {
    format!("{path}/{seg}")
}

/// Validates `value` against `schema`, appending violations to `out`.
///
/// `self_name` is the type's own schema name: in the StackQL corpus a property definition that
/// collided with the type's name was mis-pointed at the type itself (e.g. the `Export` property
/// of `AWS::BCMDataExports::Export`), which would make the type impossible to satisfy. A nested
/// `$ref` back to the type's own schema is therefore accepted without checks.
///
/// Every schema node visited and every array item hashed for `uniqueItems` spends one unit of
/// `budget`; once it is used up validation stops (the caller checks [`Budget::exhausted`]).
/// Whether a value matches an `anyOf`/`oneOf` alternative is computed once per (value,
/// alternative) pair, and an alternative re-entered for the same value while it is being
/// checked counts as matching, so self-referencing alternatives cost near-linear time.
/// (Requests are checked with [`validate_resource`]; the tests check generated values with it.)
#[cfg(test)]
pub fn validate(
    value: &Value,
    schema: &Value,
    defs: &Map<String, Value>,
    path: &str,
    out: &mut Vec<Violation>,
    self_name: Option<&str>,
    budget: &Budget,
) {
    let ctx = Ctx {
        defs,
        self_name,
        budget,
        matched: RefCell::new(HashMap::new()),
        checking: RefCell::new(HashSet::new()),
        closed_top: false,
    };
    validate_at(value, schema, &ctx, path, out, 0);
}

/// Validates a resource's properties against its type's schema: like [`validate`] from `#`,
/// with the top level closed whether or not the schema says `additionalProperties: false`.
pub fn validate_resource(
    value: &Value,
    schema: &Value,
    defs: &Map<String, Value>,
    out: &mut Vec<Violation>,
    self_name: Option<&str>,
    budget: &Budget,
) {
    let ctx = Ctx {
        defs,
        self_name,
        budget,
        matched: RefCell::new(HashMap::new()),
        checking: RefCell::new(HashSet::new()),
        closed_top: true,
    };
    validate_at(value, schema, &ctx, "#", out, 0);
}

/// A (value, schema) pair identified by address: both trees are borrowed, unchanged, for the
/// whole validation.
type PairKey = (usize, usize);

struct Ctx<'a> {
    defs: &'a Map<String, Value>,
    self_name: Option<&'a str>,
    budget: &'a Budget,
    /// Results of alternative checks already made.
    matched: RefCell<HashMap<PairKey, bool>>,
    /// Alternative checks in progress (a cycle back into one of them counts as a match).
    checking: RefCell<HashSet<PairKey>>,
    /// Treat the depth-0 object as `additionalProperties: false` when it says nothing.
    closed_top: bool,
}

impl Ctx<'_> {
    /// Whether `value` satisfies the alternative `alt` (memoised).
    fn matches(&self, value: &Value, alt: &Value, path: &str, depth: usize) -> bool {
        let key = (
            value as *const Value as usize,
            resolve(alt, self.defs) as *const Value as usize,
        );
        if let Some(r) = self.matched.borrow().get(&key) {
            return *r;
        }
        if !self.checking.borrow_mut().insert(key) {
            return true;
        }
        let mut tmp = Vec::new();
        validate_at(value, alt, self, path, &mut tmp, depth);
        self.checking.borrow_mut().remove(&key);
        let ok = tmp.is_empty();
        if !self.budget.exhausted() {
            self.matched.borrow_mut().insert(key, ok);
        }
        ok
    }
}

/// Hash of a JSON value consistent with `==` (object member order ignored).
fn hash_value<H: Hasher>(v: &Value, h: &mut H) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => {
            2u8.hash(h);
            if let Some(u) = n.as_u64() {
                (0u8, u).hash(h);
            } else if let Some(i) = n.as_i64() {
                (1u8, i).hash(h);
            } else {
                // 0.0 == -0.0, so both hash alike.
                let f = n.as_f64().unwrap_or(0.0);
                (2u8, if f == 0.0 { 0 } else { f.to_bits() }).hash(h);
            }
        }
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(a) => {
            (4u8, a.len()).hash(h);
            for x in a {
                hash_value(x, h);
            }
        }
        Value::Object(m) => {
            // Members combine by addition so that their order does not matter.
            let mut sum = 0u64;
            for (k, x) in m {
                let mut e = std::collections::hash_map::DefaultHasher::new();
                k.hash(&mut e);
                hash_value(x, &mut e);
                sum = sum.wrapping_add(e.finish());
            }
            (5u8, m.len(), sum).hash(h);
        }
    }
}

/// A JSON value hashed by [`hash_value`] and compared with `==`.
struct ByValue<'a>(&'a Value);

impl Hash for ByValue<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        hash_value(self.0, h);
    }
}

impl PartialEq for ByValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for ByValue<'_> {}

/// Whether two items of `items` are equal, by hashing (near-linear); spends one unit per item.
fn has_duplicates(items: &[Value], budget: &Budget) -> bool {
    let mut seen = HashSet::with_capacity(items.len());
    for item in items {
        if !budget.spend(1) {
            return false;
        }
        if !seen.insert(ByValue(item)) {
            return true;
        }
    }
    false
}

fn is_self_ref(schema: &Value, ctx: &Ctx<'_>) -> bool {
    match (schema.get("$ref").and_then(Value::as_str), ctx.self_name) {
        (Some(r), Some(own)) => provider_spec::refs::schema_name(r).as_deref() == Some(own),
        _ => false,
    }
}

fn violation(out: &mut Vec<Violation>, path: &str, message: String) {
    if out.len() < MAX_VIOLATIONS {
        out.push(Violation {
            path: path.to_owned(),
            message,
        });
    }
}

fn validate_at(
    value: &Value,
    schema: &Value,
    ctx: &Ctx<'_>,
    path: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    if depth > MAX_DEPTH
        || out.len() >= MAX_VIOLATIONS
        || (depth > 0 && is_self_ref(schema, ctx))
        || !ctx.budget.spend(1)
    {
        return;
    }
    let defs = ctx.defs;
    let schema = resolve(schema, defs);
    let Some(s) = schema.as_object() else {
        return;
    };
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for sub in all {
            validate_at(value, sub, ctx, path, out, depth + 1);
        }
    }
    // anyOf and oneOf are checked leniently (at least one alternative must pass): CloudFormation
    // schemas use them for "one of these keys" and overlapping alternatives are common.
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = s.get(key).and_then(Value::as_array) {
            if !alts.is_empty()
                && !alts
                    .iter()
                    .any(|alt| ctx.matches(value, alt, path, depth + 1))
            {
                violation(
                    out,
                    path,
                    format!(
                        "#: no subschema matched out of the total {} subschemas ({key})",
                        alts.len()
                    ),
                );
            }
        }
    }
    match s.get("type") {
        Some(Value::String(t)) if !matches_type(value, t) => {
            violation(
                out,
                path,
                format!(
                    "expected type: {}, found: {}",
                    schema_type_label(t),
                    type_label(value)
                ),
            );
            return;
        }
        Some(Value::Array(ts)) => {
            let ok = ts
                .iter()
                .filter_map(Value::as_str)
                .any(|t| matches_type(value, t));
            if !ok && !ts.is_empty() {
                let want: Vec<&str> = ts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(schema_type_label)
                    .collect();
                violation(
                    out,
                    path,
                    format!(
                        "expected type is one of {}, found: {}",
                        want.join(", "),
                        type_label(value)
                    ),
                );
                return;
            }
        }
        _ => {}
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            violation(out, path, format!("{value} is not a valid enum value"));
        }
    }
    match value {
        Value::String(st) => {
            let len = st.chars().count() as u64;
            if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
                if len < min {
                    violation(
                        out,
                        path,
                        format!("expected minLength: {min}, actual: {len}"),
                    );
                }
            }
            if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
                if len > max {
                    violation(
                        out,
                        path,
                        format!("expected maxLength: {max}, actual: {len}"),
                    );
                }
            }
            if let Some(p) = s.get("pattern").and_then(Value::as_str) {
                if crate::pattern::is_match(p, st) == Some(false) {
                    violation(
                        out,
                        path,
                        "failed validation constraint for keyword [pattern]".to_owned(),
                    );
                }
            }
        }
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
                if x < min {
                    violation(out, path, format!("{n} is not greater or equal to {min}"));
                }
            }
            if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
                if x > max {
                    violation(out, path, format!("{n} is not less or equal to {max}"));
                }
            }
            if let Some(min) = s.get("exclusiveMinimum").and_then(Value::as_f64) {
                if x <= min {
                    violation(out, path, format!("{n} is not greater than {min}"));
                }
            }
            if let Some(max) = s.get("exclusiveMaximum").and_then(Value::as_f64) {
                if x >= max {
                    violation(out, path, format!("{n} is not less than {max}"));
                }
            }
        }
        Value::Array(items) => {
            let len = items.len() as u64;
            if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
                if len < min {
                    violation(
                        out,
                        path,
                        format!("expected minimum item count: {min}, found: {len}"),
                    );
                }
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
                if len > max {
                    violation(
                        out,
                        path,
                        format!("expected maximum item count: {max}, found: {len}"),
                    );
                }
            }
            if s.get("uniqueItems").and_then(Value::as_bool) == Some(true)
                && has_duplicates(items, ctx.budget)
            {
                violation(out, path, "array items are not unique".to_owned());
            }
            if let Some(item_schema) = s.get("items") {
                for (i, item) in items.iter().enumerate() {
                    validate_at(
                        item,
                        item_schema,
                        ctx,
                        &push_seg(path, &i.to_string()),
                        out,
                        depth + 1,
                    );
                }
            }
        }
        Value::Object(map) => {
            if let Some(req) = s.get("required").and_then(Value::as_array) {
                for k in req.iter().filter_map(Value::as_str) {
                    if !map.contains_key(k) {
                        violation(out, path, format!("required key [{k}] not found"));
                    }
                }
            }
            let props = s.get("properties").and_then(Value::as_object);
            let patterns = s
                .get("patternProperties")
                .or_else(|| s.get("x-patternProperties"))
                .and_then(Value::as_object);
            let additional = match s.get("additionalProperties") {
                None if depth == 0 && ctx.closed_top => Some(&Value::Bool(false)),
                other => other,
            };
            for (k, v) in map {
                let child = push_seg(path, k);
                if let Some(ps) = props.and_then(|p| p.get(k)) {
                    validate_at(v, ps, ctx, &child, out, depth + 1);
                    continue;
                }
                if let Some(patterns) = patterns {
                    let mut matched = false;
                    let mut unknown = false;
                    for (p, ps) in patterns {
                        match crate::pattern::is_match(p, k) {
                            Some(true) => {
                                matched = true;
                                validate_at(v, ps, ctx, &child, out, depth + 1);
                            }
                            Some(false) => {}
                            None => unknown = true,
                        }
                    }
                    // A key no compilable pattern matches is judged by additionalProperties;
                    // with an uncompilable pattern around it is accepted.
                    if matched || unknown {
                        continue;
                    }
                }
                match additional {
                    Some(Value::Bool(false)) => {
                        violation(out, path, format!("extraneous key [{k}] is not permitted"))
                    }
                    Some(extra @ Value::Object(_)) => {
                        validate_at(v, extra, ctx, &child, out, depth + 1)
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Splits a canonical property path (`A/B`, `A/*/B`: [`provider_spec::paths`]) into segments.
pub fn segments(path: &str) -> Vec<&str> {
    provider_spec::paths::steps(path).collect()
}

/// The value at a property path without wildcards (`A/B`).
pub fn get_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for seg in segments(path) {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Every concrete path (`#/A/0/B`) matching a pattern path with `*` wildcards, where present.
pub fn present_paths(v: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk_present(v, &segments(path), "#".to_owned(), &mut out);
    out
}

fn walk_present(v: &Value, segs: &[&str], at: String, out: &mut Vec<String>) {
    let Some((first, rest)) = segs.split_first() else {
        out.push(at);
        return;
    };
    match (v, *first) {
        (Value::Array(a), "*") => {
            for (i, item) in a.iter().enumerate() {
                walk_present(item, rest, format!("{at}/{i}"), out);
            }
        }
        (Value::Object(m), key) => {
            if let Some(child) = m.get(key) {
                walk_present(child, rest, format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Removes every value at a (wildcard) property path.
pub fn remove_path(v: &mut Value, path: &str) {
    remove_segs(v, &segments(path));
}

fn remove_segs(v: &mut Value, segs: &[&str]) {
    let Some((first, rest)) = segs.split_first() else {
        return;
    };
    match v {
        Value::Array(a) if *first == "*" => {
            for item in a {
                remove_segs(item, rest);
            }
        }
        Value::Object(m) => {
            if rest.is_empty() {
                m.remove(*first);
            } else if let Some(child) = m.get_mut(*first) {
                remove_segs(child, rest);
            }
        }
        _ => {}
    }
}

/// The schema of the property at a path (`*` steps into `items`), if the schema describes it.
pub fn schema_at<'a>(
    schema: &'a Value,
    defs: &'a Map<String, Value>,
    path: &str,
) -> Option<&'a Value> {
    let mut cur = resolve(schema, defs);
    for seg in segments(path) {
        cur = if seg == "*" {
            resolve(cur.get("items")?, defs)
        } else {
            resolve(cur.get("properties")?.get(seg)?, defs)
        };
    }
    Some(cur)
}

/// Sets a missing value at a path of object keys (`A/B`). Missing parent objects are created
/// only when `create_parents` is set (primary-identifier parts must exist); wildcards apply the
/// generator to every array element. Returns how many values were set.
pub fn set_missing_path(
    v: &mut Value,
    path: &str,
    make: &mut dyn FnMut() -> Option<Value>,
    create_parents: bool,
) -> usize {
    set_segs(v, &segments(path), make, create_parents)
}

fn set_segs(
    v: &mut Value,
    segs: &[&str],
    make: &mut dyn FnMut() -> Option<Value>,
    create_parents: bool,
) -> usize {
    let Some((first, rest)) = segs.split_first() else {
        return 0;
    };
    match v {
        Value::Array(a) if *first == "*" => a
            .iter_mut()
            .map(|i| set_segs(i, rest, make, create_parents))
            .sum(),
        Value::Object(m) => {
            if rest.is_empty() {
                if m.contains_key(*first) {
                    return 0;
                }
                match make() {
                    Some(val) => {
                        m.insert((*first).to_owned(), val);
                        1
                    }
                    None => 0,
                }
            } else {
                if create_parents && !m.contains_key(*first) && rest.first() != Some(&"*") {
                    m.insert((*first).to_owned(), Value::Object(Map::new()));
                }
                m.get_mut(*first)
                    .map_or(0, |c| set_segs(c, rest, make, create_parents))
            }
        }
        _ => 0,
    }
}

// Members of a schema, `allOf` (and for properties `oneOf`/`anyOf`) parts included: what
// example states, generated values and the read-model cases walk.

/// `required` of a schema, with those of its `allOf` parts.
pub(crate) fn required_names(s: &Value, defs: &Map<String, Value>) -> Vec<String> {
    let mut out: Vec<String> = s
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for part in s
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for name in required_names(resolve(part, defs), defs) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// `properties` of a schema, with those of its `allOf`, `oneOf` and `anyOf` parts.
pub(crate) fn properties(s: &Value, defs: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    collect_properties(s, defs, &mut out, 0);
    out
}

fn collect_properties(
    s: &Value,
    defs: &Map<String, Value>,
    out: &mut Map<String, Value>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in s.get(key).and_then(Value::as_array).into_iter().flatten() {
            collect_properties(resolve(part, defs), defs, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> Map<String, Value> {
        json!({
            "Tag": {"type": "object", "additionalProperties": false,
                    "properties": {"Key": {"type": "string", "minLength": 1, "maxLength": 5},
                                   "Value": {"type": "string"}},
                    "required": ["Key"]},
            "Thing": {"type": "object", "additionalProperties": false,
                      "properties": {"Name": {"type": "string", "maxLength": 4},
                                     "Size": {"type": "integer", "minimum": 1, "maximum": 10},
                                     "Mode": {"type": "string", "enum": ["A", "B"]},
                                     "Tags": {"type": "array", "maxItems": 2,
                                              "items": {"$ref": "#/components/schemas/Tag"}}},
                      "required": ["Name"]}
        })
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    fn check(v: Value) -> Vec<String> {
        let d = defs();
        let mut out = Vec::new();
        validate(
            &v,
            &json!({"$ref": "#/components/schemas/Thing"}),
            &d,
            "#",
            &mut out,
            None,
            &Budget::new(u64::MAX),
        );
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn self_referencing_alternatives_cost_near_linear_work() {
        // Each level has two alternatives that both recurse into the child and then fail on
        // the leaf: without memoising, 25 levels take 3^25 checks (the depth guard allows 32).
        let defs = json!({
            "Node": {"anyOf": [
                {"type": "object", "properties": {"C": {"$ref": "#/components/schemas/Node"}}, "required": ["A"]},
                {"type": "object", "properties": {"C": {"$ref": "#/components/schemas/Node"}}, "required": ["B"]},
                {"type": "object", "properties": {"C": {"$ref": "#/components/schemas/Node"}}, "required": ["D"]}
            ]}
        });
        let defs = defs.as_object().cloned().unwrap_or_default();
        let mut deep = json!({"C": 5});
        for _ in 0..25 {
            deep = json!({"B": 1, "C": deep});
        }
        let budget = Budget::new(100_000);
        let mut out = Vec::new();
        let schema = json!({"$ref": "#/components/schemas/Node"});
        validate(&deep, &schema, &defs, "#", &mut out, None, &budget);
        assert!(
            !budget.exhausted(),
            "validation needed more than 100,000 steps"
        );
        assert_eq!(
            out.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["#: #: no subschema matched out of the total 3 subschemas (anyOf)"]
        );
    }

    #[test]
    fn unique_items_are_checked_by_hashing_and_budgeted() {
        let schema = json!({"type": "array", "uniqueItems": true});
        let defs = Map::new();
        let mut items: Vec<Value> = (0..10_000).map(|i| json!({"k": i, "v": [i]})).collect();
        let run = |items: &Vec<Value>, budget: u64| {
            let b = Budget::new(budget);
            let mut out = Vec::new();
            validate(&json!(items), &schema, &defs, "#", &mut out, None, &b);
            (out.len(), b.exhausted())
        };
        // 10,000 distinct items: about one unit each (a pairwise check makes 5e7 comparisons).
        assert_eq!(run(&items, 12_000), (0, false));
        // Equal objects with members in another order are duplicates; so are 0.0 and -0.0.
        items.push(json!({"v": [7], "k": 7}));
        assert_eq!(run(&items, 12_000), (1, false));
        assert_eq!(run(&vec![json!(0.0), json!(-0.0)], 10), (1, false));
        assert_eq!(run(&vec![json!(1), json!(1.0), json!(-1)], 10), (0, false));
        // A small budget stops the check.
        assert!(run(&items, 1_000).1);
    }

    #[test]
    fn accepts_valid_document() {
        assert!(
            check(json!({"Name": "ab", "Size": 3, "Mode": "A", "Tags": [{"Key": "k"}]})).is_empty()
        );
    }

    #[test]
    fn names_each_violated_property() {
        assert_eq!(check(json!({})), vec!["#: required key [Name] not found"]);
        assert_eq!(
            check(json!({"Name": "toolong"})),
            vec!["#/Name: expected maxLength: 4, actual: 7"]
        );
        assert_eq!(
            check(json!({"Name": 5})),
            vec!["#/Name: expected type: String, found: Integer"]
        );
        assert_eq!(
            check(json!({"Name": "a", "Extra": 1})),
            vec!["#: extraneous key [Extra] is not permitted"]
        );
        assert_eq!(
            check(json!({"Name": "a", "Mode": "C"})),
            vec!["#/Mode: \"C\" is not a valid enum value"]
        );
        assert_eq!(
            check(json!({"Name": "a", "Size": 11})),
            vec!["#/Size: 11 is not less or equal to 10"]
        );
        assert_eq!(
            check(json!({"Name": "a", "Tags": [{"Key": ""}, {"Value": "v"}, {"Key": "x"}]})),
            vec![
                "#/Tags: expected maximum item count: 2, found: 3",
                "#/Tags/0/Key: expected minLength: 1, actual: 0",
                "#/Tags/1: required key [Key] not found",
            ]
        );
    }

    #[test]
    fn patterns_are_checked_with_ecmascript_semantics() {
        let d = Map::new();
        let schema = json!({"type": "object", "properties": {
            "Role": {"type": "string", "pattern": "^arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/.+$"},
            "Name": {"type": "string", "pattern": "^(?!aws:)[\\p{L}\\p{N}_.:/=+\\-@]*$"},
            "Odd": {"type": "string", "pattern": "(unclosed"},
            "Map": {"type": "object", "additionalProperties": false,
                    "patternProperties": {"^[a-z]+$": {"type": "string"}}}
        }});
        let run = |v: Value| {
            let mut out = Vec::new();
            validate(&v, &schema, &d, "#", &mut out, None, &Budget::new(u64::MAX));
            out.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        assert!(run(
            json!({"Role": "arn:aws:iam::123456789012:role/r", "Name": "héllo-1",
            "Odd": "anything", "Map": {"abc": "x"}})
        )
        .is_empty());
        assert_eq!(
            run(json!({"Role": "not-an-arn"})),
            vec!["#/Role: failed validation constraint for keyword [pattern]"]
        );
        assert_eq!(
            run(json!({"Name": "aws:reserved"})),
            vec!["#/Name: failed validation constraint for keyword [pattern]"]
        );
        assert_eq!(
            run(json!({"Map": {"ABC": "x", "abc": 1}})),
            vec![
                "#/Map: extraneous key [ABC] is not permitted",
                "#/Map/abc: expected type: String, found: Integer"
            ]
        );
    }

    #[test]
    fn a_resource_top_level_is_closed_even_without_the_keyword() {
        let d = Map::new();
        let open = json!({"type": "object", "properties": {"A": {"type": "object"}}});
        let mut out = Vec::new();
        validate_resource(
            &json!({"A": {"free": 1}, "NotAProperty": 1}),
            &open,
            &d,
            &mut out,
            None,
            &Budget::new(u64::MAX),
        );
        let got: Vec<String> = out.iter().map(ToString::to_string).collect();
        // Nested objects keep the schema's own (open) rule.
        assert_eq!(
            got,
            vec!["#: extraneous key [NotAProperty] is not permitted"]
        );
        let mut out = Vec::new();
        validate(
            &json!({"NotAProperty": 1}),
            &open,
            &d,
            "#",
            &mut out,
            None,
            &Budget::new(u64::MAX),
        );
        assert!(out.is_empty());
    }

    #[test]
    fn path_helpers_handle_wildcards() {
        let mut v = json!({"A": [{"B": 1}, {"C": 2}], "D": {"E": 3}});
        assert_eq!(present_paths(&v, "A/*/B"), vec!["#/A/0/B"]);
        assert_eq!(get_path(&v, "D/E"), Some(&json!(3)));
        let n = set_missing_path(&mut v, "A/*/B", &mut || Some(json!(9)), false);
        assert_eq!(n, 1);
        remove_path(&mut v, "D/E");
        assert_eq!(v, json!({"A": [{"B": 1}, {"C": 2, "B": 9}], "D": {}}));
    }
}
