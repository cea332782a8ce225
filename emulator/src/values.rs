//! Values built from a schema. One walk over `enum`, `const`, `oneOf`/`anyOf`, `allOf`,
//! objects, maps, arrays, numbers and strings serves both users:
//!
//! - the example states of [`crate::example`] (required members, or every writable member);
//! - the values the store generates for read-only properties and an omitted primary
//!   identifier (`store::generated`: ARNs, ids, timestamps named after the property).
//!
//! What differs between them (which members an object gets, and the scalars) is behind
//! [`Leaves`]. Strings are fitted to their `pattern`, length and `format` by [`crate::sample`].

use serde_json::{json, Map, Value};

use crate::sample::{self, StringRules};
use crate::schema::{required_names, resolve};

/// Depth beyond which nothing more is built (recursive schemas); so no built value, nor a
/// model made from one, is deeper.
pub(crate) const MAX_DEPTH: usize = 12;

/// What a [`Builder`]'s user decides.
pub(crate) trait Leaves {
    /// Whether an object at `depth` gets every member its schema lists (and a map one entry),
    /// not only its required members.
    fn fill_all(&self, depth: usize) -> bool;
    /// The text a string gets before its rules are applied; `name` is the property (or, in
    /// arrays, the array's property), `depth` 0 the value asked for.
    fn text(&mut self, name: &str, depth: usize) -> String;
    /// An integer or number within the schema's bounds.
    fn number(&mut self, schema: &Value) -> i64;
    /// A boolean.
    fn boolean(&mut self) -> bool;
}

/// Builds values for the schemas of one type (`defs`: its `components.schemas`); `budget`
/// counts the values a filled state may still hold before optional members are left out.
pub(crate) struct Builder<'a, L> {
    defs: &'a Map<String, Value>,
    leaves: L,
    budget: usize,
}

impl<'a, L: Leaves> Builder<'a, L> {
    /// A builder over `defs` with at most `budget` values in filled objects.
    pub(crate) fn new(defs: &'a Map<String, Value>, leaves: L, budget: usize) -> Self {
        Builder {
            defs,
            leaves,
            budget,
        }
    }

    /// The leaves, for what they recorded.
    #[cfg(test)]
    pub(crate) fn leaves(&self) -> &L {
        &self.leaves
    }

    fn fill_all(&self, depth: usize) -> bool {
        self.budget > 0 && self.leaves.fill_all(depth)
    }

    /// A value satisfying `schema`'s structure, types, enums and bounds. `name` is the
    /// property it is for; `skip` names members of this object to leave out (the top level's
    /// read-only ones, or other `oneOf` alternatives' members).
    pub(crate) fn value(
        &mut self,
        schema: &Value,
        name: &str,
        skip: &[&str],
        depth: usize,
    ) -> Value {
        let s = resolve(schema, self.defs);
        if depth > MAX_DEPTH {
            return json!({});
        }
        self.budget = self.budget.saturating_sub(1);
        if let Some(first) = s
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return first.clone();
        }
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        if let Some(text) = self.string_alternatives(s, name, depth) {
            return json!(text);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alt) = s.get(key).and_then(Value::as_array).and_then(|a| a.first()) {
                return self.first_alternative(s, key, alt, name, skip, depth);
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            let base = self.value(&without(s, "allOf"), name, skip, depth + 1);
            return all.iter().fold(base, |acc, part| {
                let more = self.value(part, name, skip, depth + 1);
                merge(acc, more)
            });
        }
        let ty = match s.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(a)) => a.first().and_then(Value::as_str).unwrap_or("string"),
            // A map written without `type` (`x-patternProperties` only, e.g.
            // AWS::Glue::UsageProfile's JobConfiguration) is an object too: the generated
            // Rust type is a map.
            _ if s.get("properties").is_some()
                || s.get("patternProperties").is_some()
                || s.get("x-patternProperties").is_some() =>
            {
                "object"
            }
            _ => "string",
        };
        match ty {
            "object" => self.object(s, skip, depth),
            "array" => {
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = s
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX);
                let n = if self.fill_all(depth) {
                    min.max(1).min(max)
                } else {
                    min
                };
                let item = s.get("items").cloned().unwrap_or(json!({"type": "string"}));
                (0..n)
                    .map(|i| {
                        let v = self.value(&item, name, &[], depth + 1);
                        vary(v, i, &item, self.defs)
                    })
                    .collect::<Vec<_>>()
                    .into()
            }
            "integer" | "number" => json!(self.leaves.number(s)),
            "boolean" => json!(self.leaves.boolean()),
            _ => {
                let rules = string_rules(s);
                let text = self.leaves.text(name, depth);
                let fitted = sample::fit(&text, rules.min, rules.max);
                json!(sample::string(&rules, &text).unwrap_or(fitted))
            }
        }
    }

    /// A `oneOf`/`anyOf` schema: alternatives mostly add `required` members (or properties) to
    /// the parent, so the first one is merged into it, and the members only other
    /// alternatives require are left out (they would make a `oneOf` ambiguous).
    fn first_alternative(
        &mut self,
        s: &Value,
        key: &str,
        alt: &Value,
        name: &str,
        skip: &[&str],
        depth: usize,
    ) -> Value {
        let alt = resolve(alt, self.defs).clone();
        let alt = match alt.get("allOf").and_then(Value::as_array) {
            Some(all) => {
                let required: Vec<Value> = all
                    .iter()
                    .filter_map(|x| x.get("required").and_then(Value::as_array))
                    .flatten()
                    .cloned()
                    .collect();
                json!({ "required": required })
            }
            None => alt,
        };
        let mut combined = without(s, key);
        if let (Some(c), Some(a)) = (combined.as_object_mut(), alt.as_object()) {
            for (k, v) in a {
                match (c.get_mut(k), v) {
                    (Some(Value::Array(mine)), Value::Array(theirs)) => {
                        for x in theirs {
                            if !mine.contains(x) {
                                mine.push(x.clone());
                            }
                        }
                    }
                    (Some(Value::Object(mine)), Value::Object(theirs)) => {
                        for (pk, pv) in theirs {
                            mine.entry(pk.clone()).or_insert_with(|| pv.clone());
                        }
                    }
                    (None, v) => {
                        c.insert(k.clone(), v.clone());
                    }
                    _ => {}
                }
            }
        }
        let mut skip_more: Vec<&str> = skip.to_vec();
        let others: Vec<String> = s
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .skip(1)
            .flat_map(|o| required_names(resolve(o, self.defs), self.defs))
            .collect();
        let kept = required_names(&combined, self.defs);
        for other in &others {
            if !kept.contains(other) {
                skip_more.push(other);
            }
        }
        self.value(&combined, name, &skip_more, depth + 1)
    }

    /// A string for a string schema whose `anyOf`/`oneOf` alternatives are string schemas with
    /// their own patterns (AWS::Lambda::ResourcePolicy's ResourceArn): a string built for one
    /// alternative that the parent's rules accept too, or one built for the parent that an
    /// alternative accepts. `None` when the schema is not such a string or nothing fits.
    fn string_alternatives(&mut self, s: &Value, name: &str, depth: usize) -> Option<String> {
        let alternatives = s
            .get("anyOf")
            .or_else(|| s.get("oneOf"))
            .and_then(Value::as_array)?;
        let is_string = |x: &Value| x.get("type").and_then(Value::as_str) == Some("string");
        let parts: Vec<&Value> = alternatives.iter().map(|a| resolve(a, self.defs)).collect();
        if !is_string(s)
            || !parts
                .iter()
                .all(|p| is_string(p) || p.get("pattern").is_some())
        {
            return None;
        }
        let parent = string_rules(s);
        let text = self.leaves.text(name, depth);
        for part in &parts {
            if let Some(values) = part.get("enum").and_then(Value::as_array) {
                let fits = values
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|v| parent.accepts(v));
                if let Some(value) = fits {
                    return Some(value.to_owned());
                }
                continue;
            }
            let own = string_rules(part);
            for (build, check) in [(&own, &parent), (&parent, &own)] {
                let found = sample::string_where(build, &text, &|t| check.accepts(t));
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }

    fn object(&mut self, s: &Value, skip: &[&str], depth: usize) -> Value {
        let mut out = Map::new();
        let props = s.get("properties").and_then(Value::as_object);
        for name in required_names(s, self.defs) {
            if skip.contains(&name.as_str()) {
                continue;
            }
            let member = props.and_then(|p| p.get(&name)).unwrap_or(&Value::Null);
            let v = self.value(member, &name, &[], depth + 1);
            out.insert(name, v);
        }
        if self.fill_all(depth) && props.is_none() {
            // A map: one entry whose key matches the first key pattern, so that the values'
            // type is exercised too.
            let entries = s
                .get("patternProperties")
                .or_else(|| s.get("x-patternProperties"))
                .and_then(Value::as_object)
                .and_then(|m| m.iter().next());
            if let Some((pattern, value_schema)) = entries {
                let rules = StringRules {
                    pattern: Some(pattern),
                    format: None,
                    min: 1,
                    max: None,
                };
                if let Some(key) = sample::string(&rules, "key1") {
                    let v = self.value(value_schema, &key, &[], depth + 1);
                    out.insert(key, v);
                }
            }
        }
        if self.fill_all(depth) {
            for (name, ps) in props.into_iter().flatten() {
                if self.budget == 0 {
                    break;
                }
                if out.contains_key(name) || skip.contains(&name.as_str()) {
                    continue;
                }
                let v = self.value(ps, name, &[], depth + 1);
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    }
}

/// The string rules of a schema (`minLength` at least 1: no generated string is empty).
pub(crate) fn string_rules(x: &Value) -> StringRules<'_> {
    StringRules {
        pattern: x.get("pattern").and_then(Value::as_str),
        format: x.get("format").and_then(Value::as_str),
        min: x
            .get("minLength")
            .and_then(Value::as_u64)
            .unwrap_or(1)
            .max(1) as usize,
        max: x
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize),
    }
}

/// Makes the i-th array item differ from the others (for `uniqueItems`) without breaking enums.
fn vary(v: Value, i: u64, schema: &Value, defs: &Map<String, Value>) -> Value {
    let s = resolve(schema, defs);
    if i == 0 || s.get("enum").is_some() {
        return v;
    }
    match v {
        Value::String(x) => {
            // Keep the item valid: change its last character to one the pattern accepts.
            let rules = StringRules {
                pattern: s.get("pattern").and_then(Value::as_str),
                format: None,
                min: 0,
                max: s
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .map(|m| m as usize),
            };
            let stem: String = x
                .chars()
                .take(x.chars().count().saturating_sub(1))
                .collect();
            let candidates = [format!("{x}{i}"), format!("{stem}{i}")]
                .into_iter()
                .chain("0123456789abcdef".chars().map(|c| format!("{stem}{c}")));
            let mut out = json!(format!("{x}{i}"));
            for c in candidates {
                if c != x && rules.accepts(&c) {
                    out = json!(c);
                    break;
                }
            }
            out
        }
        Value::Number(_) => json!(i + 1),
        Value::Object(mut m) => {
            let props = s.get("properties").and_then(Value::as_object);
            for (k, val) in m.iter_mut() {
                let Some(ps) = props.and_then(|p| p.get(k)) else {
                    continue;
                };
                let before = val.clone();
                *val = vary(before.clone(), i, ps, defs);
                if *val != before {
                    break;
                }
            }
            Value::Object(m)
        }
        other => other,
    }
}

/// `s` without the member `key`.
fn without(s: &Value, key: &str) -> Value {
    let mut c = s.clone();
    if let Some(o) = c.as_object_mut() {
        o.remove(key);
    }
    c
}

/// `a` with the members of `b` it lacks (objects), else `b`.
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut x), Value::Object(y)) => {
            for (k, v) in y {
                x.entry(k).or_insert(v);
            }
            Value::Object(x)
        }
        (a @ Value::Object(_), _) => a,
        (_, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leaves that fill every member and record the names strings were asked for.
    struct Recording {
        names: Vec<String>,
    }

    impl Leaves for Recording {
        fn fill_all(&self, _depth: usize) -> bool {
            true
        }
        fn text(&mut self, name: &str, _depth: usize) -> String {
            self.names.push(name.to_owned());
            format!("{name}-text")
        }
        fn number(&mut self, _schema: &Value) -> i64 {
            7
        }
        fn boolean(&mut self) -> bool {
            false
        }
    }

    #[test]
    fn leaves_decide_scalars_and_strings_get_their_property_name_and_rules() {
        let defs = Map::new();
        let schema = json!({
            "type": "object",
            "required": ["Id"],
            "properties": {
                "Id": {"type": "string", "maxLength": 4},
                "Count": {"type": "integer"},
                "On": {"type": "boolean"},
                "Names": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z-]+$"}},
            }
        });
        let mut b = Builder::new(&defs, Recording { names: vec![] }, 100);
        let v = b.value(&schema, "Top", &[], 0);
        assert_eq!(
            v,
            json!({"Id": "Id-t", "Count": 7, "On": false, "Names": ["Names-text"]})
        );
        assert_eq!(b.leaves().names, ["Id", "Names"]);
    }

    #[test]
    fn required_members_only_when_not_filling_and_skipped_members_left_out() {
        struct Required;
        impl Leaves for Required {
            fn fill_all(&self, _depth: usize) -> bool {
                false
            }
            fn text(&mut self, _name: &str, _depth: usize) -> String {
                "t".into()
            }
            fn number(&mut self, _schema: &Value) -> i64 {
                1
            }
            fn boolean(&mut self) -> bool {
                true
            }
        }
        let defs = Map::new();
        let schema = json!({
            "type": "object",
            "required": ["A", "B"],
            "properties": {"A": {"type": "string"}, "B": {"type": "boolean"}, "C": {"type": "string"}}
        });
        let v = Builder::new(&defs, Required, 100).value(&schema, "", &["A"], 0);
        assert_eq!(v, json!({"B": true}));
    }
}
