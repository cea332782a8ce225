//! Example states and models built from a type's schema, for tests of programs that read and
//! write these types.
//!
//! - [`desired_state`]: a desired state that passes the emulator's validation, with the
//!   required members only ([`Fill::Required`]) or with every writable member the schema
//!   lists, nested ones included ([`Fill::All`]);
//! - [`model`]: what the emulator stores and Get returns for such a state: read-only values
//!   generated, write-only ones left out;
//! - [`read_cases`] and [`check_read_model`]: the variations of a model a lenient client must
//!   read (each nested required member removed in turn, an unknown member added at the top and
//!   in each nested object), and the check that a Rust type decodes each of them and writes it
//!   back unchanged.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::limits::Limits;
use crate::schema::{properties, required_names, resolve};
use crate::specs::TypeInfo;
use crate::store::{check_seed, Store};
use crate::values::{Builder, Leaves, MAX_DEPTH};
use crate::Error;

/// Which members [`desired_state`] fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fill {
    /// Required members only (and what they need).
    Required,
    /// Every member the schema lists, nested ones included, up to a bounded size; required
    /// members only beyond it and in recursive schemas.
    All,
}

/// Values an [`Fill::All`] state may hold before further optional members are left out: keeps
/// wide schemas (WAF rule statements, Glue tables) to a few thousand values.
const ALL_VALUE_BUDGET: usize = 4_000;
/// Depth beyond which optional members are left out (recursive schemas).
const ALL_MAX_DEPTH: usize = 8;

/// A desired state of `ti` built from its schema: every required member (read-only ones
/// excepted: they are the emulator's to generate), and with [`Fill::All`] every other writable
/// member too. Strings satisfy their pattern, length and format ([`crate::sample`]), numbers
/// their bounds, arrays their item counts (one item at least with [`Fill::All`]).
///
/// The state is built, not checked: [`model`] checks it, and some schemas (`oneOf` between
/// members, say) cannot take every member at once.
pub fn desired_state(ti: &TypeInfo, fill: Fill) -> Value {
    let skip: Vec<&str> = ti
        .read_only
        .iter()
        .filter(|p| !p.contains('/'))
        .map(String::as_str)
        .collect();
    Builder::new(&ti.definitions, Example { fill }, ALL_VALUE_BUDGET)
        .value(&ti.schema, "", &skip, 0)
}

/// The scalars of example states, and the members they fill.
struct Example {
    fill: Fill,
}

impl Leaves for Example {
    fn fill_all(&self, depth: usize) -> bool {
        self.fill == Fill::All && depth < ALL_MAX_DEPTH
    }

    fn text(&mut self, _name: &str, _depth: usize) -> String {
        "sample".into()
    }

    /// The least value the bounds allow, 1 without bounds.
    fn number(&mut self, s: &Value) -> i64 {
        let min = s.get("minimum").and_then(Value::as_f64).unwrap_or(1.0);
        let min = s
            .get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .map_or(min, |m| min.max(m + 1.0));
        min.ceil() as i64
    }

    fn boolean(&mut self) -> bool {
        true
    }
}

/// The model the emulator stores for [`desired_state`]`(ti, Fill::All)` (or, when a schema
/// cannot take every member at once, for the required members only), as Get returns it:
/// read-only values and a missing primary identifier generated, write-only members left out.
/// Also returns which fill was used.
///
/// Errors when neither state passes the type's schema (a bug here or an unsatisfiable schema).
pub fn model(ti: &TypeInfo) -> Result<(Value, Fill), Error> {
    let limits = Limits::default();
    let mut last = None;
    for fill in [Fill::All, Fill::Required] {
        let state = desired_state(ti, fill);
        if let Err(e) = check_seed(ti, &state, &limits) {
            last = Some(e);
            continue;
        }
        let mut store = Store::new(0, &limits);
        let id = store.seed(ti, state, "us-east-1")?;
        let json = store
            .get(ti, &id)
            .map_err(|e| Error::Internal(format!("a seeded resource cannot be read: {e:?}")))?;
        let value = serde_json::from_str(&json)
            .map_err(|e| Error::Internal(format!("stored JSON does not parse: {e}")))?;
        return Ok((value, fill));
    }
    Err(last.unwrap_or_else(|| Error::Internal("no state was tried".into())))
}

/// One variation of a model that a lenient reader must accept.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Case {
    /// What was changed, e.g. `without /Tags/0/Value` or `unknown member at /Config`.
    pub label: String,
    /// The model as changed.
    pub value: Value,
}

/// Name of the member [`read_cases`] adds: no schema of the corpus has it.
pub const UNKNOWN_MEMBER: &str = "ZzNotInTheSchema";

/// Cases per type at most (the first ones in document order are kept).
const MAX_CASES: usize = 200;

/// The model itself, then the model with each nested required member removed in turn (members
/// that a nested object's schema lists in `required` and the model holds; the top level's
/// required members are left alone), then the model with [`UNKNOWN_MEMBER`] added at the top
/// and in each nested object (array items included) that is not a map. At most 200 cases.
pub fn read_cases(ti: &TypeInfo, model: &Value) -> Vec<Case> {
    let mut removals = Vec::new();
    let mut objects = Vec::new();
    walk(
        model,
        &ti.schema,
        &ti.definitions,
        String::new(),
        0,
        &mut removals,
        &mut objects,
    );
    let mut cases = vec![Case {
        label: "as generated".into(),
        value: model.clone(),
    }];
    for pointer in removals {
        let mut value = model.clone();
        if remove_pointer(&mut value, &pointer) {
            cases.push(Case {
                label: format!("without {pointer}"),
                value,
            });
        }
    }
    for pointer in objects {
        let mut value = model.clone();
        if let Some(Value::Object(object)) = value.pointer_mut(&pointer) {
            object.insert(UNKNOWN_MEMBER.into(), json!({"kept": [1, "two"]}));
            let at = if pointer.is_empty() { "/" } else { &pointer };
            cases.push(Case {
                label: format!("unknown member at {at}"),
                value,
            });
        }
    }
    cases.truncate(MAX_CASES);
    cases
}

/// Decodes every [`read_cases`] case of `ti`'s [`model`] into `T` and writes it back, which
/// must give the case's JSON again (numbers compared by value, so `30` and `30.0` agree).
/// Returns how many cases passed and which fill the model used, or every failing case with
/// its JSON path and error.
pub fn check_read_model<T: DeserializeOwned + Serialize>(
    ti: &TypeInfo,
) -> Result<(usize, Fill), String> {
    let (model, fill) = model(ti).map_err(|e| format!("{}: no model: {e}", ti.type_name))?;
    let cases = read_cases(ti, &model);
    let mut failures = Vec::new();
    for case in &cases {
        let decoded: T = match serde_path_to_error::deserialize(&case.value) {
            Ok(decoded) => decoded,
            Err(e) => {
                failures.push(format!(
                    "{} ({}): does not decode at {}: {}",
                    ti.type_name,
                    case.label,
                    e.path(),
                    e.inner()
                ));
                continue;
            }
        };
        match serde_json::to_value(&decoded) {
            Ok(back) => {
                if let Some(at) = first_difference(&case.value, &back, String::new()) {
                    failures.push(format!(
                        "{} ({}): written back differently at {at}: read {}, wrote {}",
                        ti.type_name,
                        case.label,
                        case.value
                            .pointer(&at)
                            .map_or("nothing".into(), Value::to_string),
                        back.pointer(&at).map_or("nothing".into(), Value::to_string),
                    ));
                }
            }
            Err(e) => failures.push(format!(
                "{} ({}): does not serialize: {e}",
                ti.type_name, case.label
            )),
        }
    }
    if failures.is_empty() {
        Ok((cases.len(), fill))
    } else {
        Err(failures.join("\n"))
    }
}

/// The JSON pointer of the first place where `a` and `b` differ, numbers compared by value.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => (x.as_f64() != y.as_f64()).then_some(at),
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{at}/{}", escape(k));
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, here) {
                            return Some(d);
                        }
                    }
                    None => return Some(here),
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{at}/{}", escape(k)))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at);
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| first_difference(v, w, format!("{at}/{i}")))
        }
        _ => (a != b).then_some(at),
    }
}

/// A member name as a JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Removes the member at `pointer`; false when there is none.
fn remove_pointer(value: &mut Value, pointer: &str) -> bool {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return false;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(Value::Object(object)) => object.remove(&key).is_some(),
        _ => false,
    }
}

/// Collects, under `value` (at `pointer`, described by `schema`), the pointers of nested
/// required members present and of every object.
fn walk(
    value: &Value,
    schema: &Value,
    defs: &Map<String, Value>,
    pointer: String,
    depth: usize,
    removals: &mut Vec<String>,
    objects: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let s = resolve(schema, defs);
    match value {
        Value::Object(members) => {
            // A map (`patternProperties`, written `x-patternProperties` in OpenAPI specs, or
            // `additionalProperties` with a value schema, and no `properties`) has no fixed members, so no member is unknown to it: any key is
            // one of its entries and must hold a value of the map's type.
            let is_map = s.get("properties").is_none()
                && (s.get("patternProperties").is_some()
                    || s.get("x-patternProperties").is_some()
                    || s.get("additionalProperties").is_some_and(Value::is_object));
            if !is_map {
                objects.push(pointer.clone());
            }
            if depth > 0 {
                for name in required_names(s, defs) {
                    if members.contains_key(&name) {
                        removals.push(format!("{pointer}/{}", escape(&name)));
                    }
                }
            }
            let props = properties(s, defs);
            for (name, member) in members {
                let member_schema = match props.get(name) {
                    Some(schema) => schema,
                    None => entry_schema(s, name),
                };
                walk(
                    member,
                    member_schema,
                    defs,
                    format!("{pointer}/{}", escape(name)),
                    depth + 1,
                    removals,
                    objects,
                );
            }
        }
        Value::Array(items) => {
            let item_schema = s.get("items").unwrap_or(&Value::Null);
            for (i, item) in items.iter().enumerate() {
                walk(
                    item,
                    item_schema,
                    defs,
                    format!("{pointer}/{i}"),
                    depth + 1,
                    removals,
                    objects,
                );
            }
        }
        _ => {}
    }
}

/// The schema of a map's entry `key`: the first key pattern it matches (or the first one),
/// else `additionalProperties` when it is a schema; `Null` when the schema says nothing.
fn entry_schema<'a>(s: &'a Value, key: &str) -> &'a Value {
    let patterns = s
        .get("patternProperties")
        .or_else(|| s.get("x-patternProperties"))
        .and_then(Value::as_object);
    if let Some(patterns) = patterns {
        let matching = patterns
            .iter()
            .find(|(pattern, _)| crate::pattern::is_match(pattern, key) == Some(true))
            .or_else(|| patterns.iter().next());
        if let Some((_, schema)) = matching {
            return schema;
        }
    }
    match s.get("additionalProperties") {
        Some(schema @ Value::Object(_)) => schema,
        _ => &Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_remove() {
        let mut v = json!({"a/b": {"c~d": 1, "e": 2}});
        assert!(remove_pointer(
            &mut v,
            &format!("/{}/{}", escape("a/b"), escape("c~d"))
        ));
        assert_eq!(v, json!({"a/b": {"e": 2}}));
        assert!(!remove_pointer(&mut v, "/nope/x"));
    }

    #[test]
    fn numbers_compare_by_value_and_missing_members_are_found() {
        assert_eq!(
            first_difference(&json!({"a": 30}), &json!({"a": 30.0}), String::new()),
            None
        );
        assert_eq!(
            first_difference(
                &json!({"a": [1, {"b": 1}]}),
                &json!({"a": [1, {}]}),
                String::new()
            ),
            Some("/a/1/b".into())
        );
        assert_eq!(
            first_difference(&json!({}), &json!({"x": null}), String::new()),
            Some("/x".into())
        );
    }
}
