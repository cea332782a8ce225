//! Differential test: the emulator's validation against cfn-lint's schema rules (E3002, E3003,
//! E3012, E3017, E3018, E3030–E3034, E3037), which check resource properties against the same
//! registry schemas (cfn-lint 1.58.0 ships the schemas `provider-specs/aws` was imported from).
//!
//! For a deterministic sample of types across services (one per service, evenly spaced), a
//! valid state is built from the schema ([`example::desired_state`]) and then mutated once at a
//! time: a required member dropped (top level and nested), an unknown member added (top level,
//! a closed nested object, an open nested object), a value of the wrong type (string, number,
//! boolean, array, object), out of its enum, not matching its pattern, too long or too short,
//! too many or too few items, out of range, and duplicated in a `uniqueItems` array. The
//! emulator's verdict is its library validator (`Emulator::seed_resource`); cfn-lint's is the
//! schema errors of the mutated state that the valid one does not have
//! (`tests/python/cfn_lint_verdicts.py`, all cases linted in one template).
//!
//! The emulator must never reject what cfn-lint accepts; where it accepts what cfn-lint
//! rejects, the reason must be one of [`Lenient`], each a README row that says why.
//! Skips with a message when `target/python-env` is missing; fails under `CI=true`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use cloudcontrol_emulator::example::{desired_state, Fill};
use cloudcontrol_emulator::{Config, Emulator, Error, TypeInfo};
use serde_json::{json, Map, Value};

/// Types sampled: one per service, evenly spaced over the sorted services.
const TYPES: usize = 48;
/// Largest valid state (compact JSON bytes) built with every member; larger ones use the
/// required members only.
const MAX_ALL_BYTES: usize = 1_500;
/// The mutation kinds, each of which the sample must exercise.
const KINDS: &[&str] = &[
    "required",
    "required-nested",
    "unknown-top",
    "unknown-nested-closed",
    "unknown-nested-open",
    "type-string",
    "type-integer",
    "type-number",
    "type-boolean",
    "type-array",
    "type-object",
    "enum",
    "pattern",
    "max-length",
    "min-length",
    "max-items",
    "min-items",
    "maximum",
    "minimum",
    "unique-items",
];
/// The member name no schema has.
const UNKNOWN: &str = "NotAPropertyOfThisType";

/// Why the emulator may accept what cfn-lint rejects: each is a row of the README's
/// "Behaviour vs AWS" (the test prints how often each was seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lenient {
    /// `format` (`ipv4-network`, `AWS::KMS::Key.Arn`, …) is not checked, alone or as the only
    /// content of `anyOf` alternatives.
    Format,
    /// `minProperties` / `maxProperties` are not checked.
    PropertyCount,
    /// `oneOf` is checked as "at least one alternative".
    OneOfAtLeastOne,
    /// cfn-lint's own constraints beyond the registry schema (its `extensions` and `patches`):
    /// our schema has no such keyword at that member, or one the value satisfies.
    CfnLintExtension,
    /// A `type` beside a `$ref` (ignored, as draft-07 ignores `$ref` siblings), or a `type`
    /// the importer dropped (given as an array, `["object"]`).
    TypeBesideRefOrDropped,
}

/// The reason cfn-lint's `rule`/`message` at member `at` is one the emulator does not check.
fn why_lenient(rule: &str, at: &str, message: &str, nodes: &[Node<'_>]) -> Option<Lenient> {
    let node = nodes.iter().find(|n| n.at == at.trim_end_matches('/'));
    if message.contains("is valid under each of") {
        return Some(Lenient::OneOfAtLeastOne);
    }
    if message.contains("property count") {
        return Some(Lenient::PropertyCount);
    }
    if message.contains("is not a '") {
        return Some(Lenient::Format);
    }
    let node = node?;
    let only_formats = |key: &str| {
        node.schema
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|alts| {
                alts.iter().all(|a| {
                    a.as_object()
                        .is_some_and(|o| o.keys().all(|k| k == "format"))
                })
            })
    };
    match rule {
        "E3017" | "E3018" if only_formats("anyOf") || only_formats("oneOf") => {
            Some(Lenient::Format)
        }
        "E3012"
            if node.schema.get("type").is_none()
                || (node.raw.get("$ref").is_some()
                    && node
                        .raw
                        .get("type")
                        .is_some_and(|t| Some(t) != node.schema.get("type"))) =>
        {
            Some(Lenient::TypeBesideRefOrDropped)
        }
        "E3030" if node.schema.get("enum").is_none() => Some(Lenient::CfnLintExtension),
        "E3032" => {
            let n = node.value.as_array().map_or(0, Vec::len) as f64;
            let min = num(node.schema, "minItems").unwrap_or(0.0);
            let max = num(node.schema, "maxItems").unwrap_or(f64::MAX);
            (min <= n && n <= max).then_some(Lenient::CfnLintExtension)
        }
        _ => None,
    }
}

/// One property set to judge.
struct Case {
    id: String,
    type_name: String,
    kind: &'static str,
    /// JSON Pointer of the mutated member (empty for the valid state).
    at: String,
    properties: Value,
}

fn resolve<'a>(mut s: &'a Value, defs: &'a Map<String, Value>) -> &'a Value {
    for _ in 0..32 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => match defs.get(r.rsplit('/').next().unwrap_or(r)) {
                Some(t) => s = t,
                None => break,
            },
            None => break,
        }
    }
    s
}

/// A member of a property set with its schema.
struct Node<'a> {
    /// JSON Pointer.
    at: String,
    /// The schema as written (a `$ref` not followed).
    raw: &'a Value,
    /// The schema with `$ref`s followed.
    schema: &'a Value,
    value: Value,
}

/// Every member of `value` (depth first, document order) with its JSON Pointer and schema;
/// array items are visited through the first item only.
fn members<'a>(
    value: &Value,
    schema: &'a Value,
    defs: &'a Map<String, Value>,
    at: String,
    out: &mut Vec<Node<'a>>,
) {
    let s = resolve(schema, defs);
    out.push(Node {
        at: at.clone(),
        raw: schema,
        schema: s,
        value: value.clone(),
    });
    match value {
        Value::Object(obj) => {
            for (k, v) in obj {
                if let Some(ps) = s.get("properties").and_then(|p| p.get(k)) {
                    members(v, ps, defs, format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let (Some(first), Some(is)) = (items.first(), s.get("items")) {
                members(first, is, defs, format!("{at}/0"), out);
            }
        }
        _ => {}
    }
}

fn type_of(s: &Value) -> Option<&str> {
    s.get("type").and_then(Value::as_str)
}

fn num(s: &Value, key: &str) -> Option<f64> {
    s.get(key).and_then(Value::as_f64)
}

/// A string the ECMAScript `pattern` does not match, if one of a few candidates is.
fn not_matching(pattern: &str) -> Option<String> {
    let re = regress::Regex::new(pattern).ok()?;
    ["", " ", "!", "~~~ ~~~", "\u{7f}\u{7f}", "a", "0"]
        .iter()
        .find(|c| re.find(c).is_none())
        .map(|c| (*c).to_owned())
}

/// The single mutations of `base` (`None` where the schema gives no target), in a fixed order.
fn mutations(ti: &TypeInfo, base: &Value) -> Vec<(&'static str, String, Value)> {
    let defs = &ti.definitions;
    let mut all = Vec::new();
    members(base, &ti.schema, defs, String::new(), &mut all);
    let nested = || all.iter().filter(|n| !n.at.is_empty());
    let first = |f: &dyn Fn(&Value, &Value) -> Option<Value>| {
        nested().find_map(|n| f(n.schema, &n.value).map(|new| (n.at.clone(), new)))
    };
    let mut out: Vec<(&'static str, String, Value)> = Vec::new();
    // Required members dropped: at the top level, and in a nested object.
    let required = |s: &Value, v: &Value| -> Option<String> {
        let req = s.get("required")?.as_array()?;
        req.iter()
            .filter_map(Value::as_str)
            .find(|r| v.get(r).is_some() && !ti.read_only.iter().any(|p| p == r))
            .map(str::to_owned)
    };
    if let Some(r) = required(resolve(&ti.schema, defs), base) {
        let mut props = base.clone();
        props.as_object_mut().map(|o| o.remove(&r));
        out.push(("required", format!("/{r}"), props));
    }
    let mut props = base.clone();
    props
        .as_object_mut()
        .map(|o| o.insert(UNKNOWN.into(), json!(1)));
    out.push(("unknown-top", format!("/{UNKNOWN}"), props));
    let mut set = |kind: &'static str, found: Option<(String, Value)>| {
        if let Some((at, new)) = found {
            let mut props = base.clone();
            if let Some(slot) = props.pointer_mut(&at) {
                *slot = new;
                out.push((kind, at, props));
            }
        }
    };
    if let Some(n) =
        nested().find(|n| n.value.is_object() && required(n.schema, &n.value).is_some())
    {
        let mut new = n.value.clone();
        let r = required(n.schema, &n.value).unwrap_or_default();
        new.as_object_mut().map(|o| o.remove(&r));
        set("required-nested", Some((n.at.clone(), new)));
    }
    // Unknown members.
    let with_unknown = |v: &Value| {
        let mut new = v.clone();
        new.as_object_mut()
            .map(|o| o.insert(UNKNOWN.into(), json!(1)));
        new
    };
    let closed = |s: &Value| s.get("additionalProperties") == Some(&json!(false));
    let is_struct = |s: &Value, v: &Value| v.is_object() && s.get("properties").is_some();
    set(
        "unknown-nested-closed",
        first(&|s, v| (is_struct(s, v) && closed(s)).then(|| with_unknown(v))),
    );
    set(
        "unknown-nested-open",
        first(&|s, v| {
            (is_struct(s, v)
                && s.get("additionalProperties").is_none()
                && s.get("patternProperties").is_none())
            .then(|| with_unknown(v))
        }),
    );
    // Wrong types: values cfn-lint does not coerce either.
    for (kind, ty, wrong) in [
        ("type-string", "string", json!({"not": "a string"})),
        ("type-integer", "integer", json!("not-a-number")),
        ("type-number", "number", json!("not-a-number")),
        ("type-boolean", "boolean", json!("not-a-boolean")),
        ("type-array", "array", json!("not-an-array")),
        ("type-object", "object", json!("not-an-object")),
    ] {
        set(
            kind,
            first(&|s, _| (type_of(s) == Some(ty)).then(|| wrong.clone())),
        );
    }
    // Enums.
    set(
        "enum",
        first(&|s, v| {
            let e = s.get("enum")?.as_array()?;
            match v {
                Value::String(_) => Some(json!("NOT_IN_THE_ENUM_VALUE")),
                Value::Number(_) => {
                    let max = e.iter().filter_map(Value::as_i64).max()?;
                    Some(json!(max + 1))
                }
                _ => None,
            }
        }),
    );
    // Pattern, lengths, item counts, ranges, unique items.
    set(
        "pattern",
        first(&|s, v| {
            if !v.is_string() || s.get("enum").is_some() {
                return None;
            }
            not_matching(s.get("pattern")?.as_str()?).map(Value::String)
        }),
    );
    set(
        "max-length",
        first(&|s, v| {
            let max = num(s, "maxLength")? as usize;
            (v.is_string() && max < 10_000).then(|| json!("a".repeat(max + 1)))
        }),
    );
    set(
        "min-length",
        first(&|s, v| (v.is_string() && num(s, "minLength")? >= 2.0).then(|| json!("a"))),
    );
    set(
        "max-items",
        first(&|s, v| {
            let max = num(s, "maxItems")? as usize;
            let item = v.as_array()?.first()?.clone();
            (max < 1_000).then(|| Value::Array(vec![item; max + 1]))
        }),
    );
    set(
        "min-items",
        first(&|s, v| (v.is_array() && num(s, "minItems")? >= 1.0).then(|| json!([]))),
    );
    let bound = |s: &Value, v: &Value, key: &str, delta: f64| -> Option<Value> {
        let b = num(s, key)?;
        if !v.is_number() || s.get("enum").is_some() {
            return None;
        }
        Some(if type_of(s) == Some("integer") {
            json!((b + delta) as i64)
        } else {
            json!(b + delta)
        })
    };
    set("maximum", first(&|s, v| bound(s, v, "maximum", 1.0)));
    set("minimum", first(&|s, v| bound(s, v, "minimum", -1.0)));
    set(
        "unique-items",
        first(&|s, v| {
            let item = v.as_array()?.first()?.clone();
            (s.get("uniqueItems") == Some(&json!(true))).then(|| json!([item.clone(), item]))
        }),
    );
    out
}

/// The sampled types: the first type (by name) of every k-th service.
fn sample(names: &[String]) -> Vec<String> {
    let mut by_service: BTreeMap<&str, &String> = BTreeMap::new();
    for n in names {
        let service = n.rsplit_once("::").map_or(n.as_str(), |(s, _)| s);
        by_service.entry(service).or_insert(n);
    }
    let services: Vec<&String> = by_service.into_values().collect();
    let step = (services.len() / TYPES).max(1);
    services
        .into_iter()
        .step_by(step)
        .take(TYPES)
        .cloned()
        .collect()
}

/// The emulator's verdict: `Some(message)` when its validator rejects the properties.
fn emulator_rejects(
    emu: &Emulator,
    region: &str,
    type_name: &str,
    props: &Value,
) -> Option<String> {
    match emu.seed_resource_in(region, type_name, props.clone()) {
        Err(Error::InvalidProperties { message, .. }) => Some(message),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn emulator_validation_is_never_stricter_than_cfn_lint() {
    let Some(python) = test_support::python_env() else {
        return;
    };
    let started = Instant::now();
    let repo = test_support::repo_root();
    let emu = Emulator::start(Config::new(repo.join("provider-specs")))
        .await
        .expect("emulator starts");
    let names: Vec<String> = emu.registry().type_names().map(str::to_owned).collect();
    let types = sample(&names);
    assert!(types.len() >= 40, "only {} types sampled", types.len());

    // Valid states (the emulator accepts them), then their mutations.
    let mut infos = BTreeMap::new();
    let mut bases = BTreeMap::new();
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for (n, type_name) in types.iter().enumerate() {
        let ti = emu.registry().get(type_name).expect("type loads");
        let region = format!("base-{n}");
        // Every member where that stays small (cfn-lint's time grows with the size), else the
        // required ones.
        let all = desired_state(&ti, Fill::All);
        let order = if all.to_string().len() <= MAX_ALL_BYTES {
            [all, desired_state(&ti, Fill::Required)]
        } else {
            [desired_state(&ti, Fill::Required), all]
        };
        let base = order
            .into_iter()
            .find(|state| emulator_rejects(&emu, &region, type_name, state).is_none());
        let Some(base) = base else {
            skipped.push(type_name.clone());
            continue;
        };
        cases.push(Case {
            id: format!("{type_name} valid"),
            type_name: type_name.clone(),
            kind: "valid",
            at: String::new(),
            properties: base.clone(),
        });
        for (kind, at, properties) in mutations(&ti, &base) {
            cases.push(Case {
                id: format!("{type_name} {kind} {at}"),
                type_name: type_name.clone(),
                kind,
                at,
                properties,
            });
        }
        bases.insert(type_name.clone(), base);
        infos.insert(type_name.clone(), ti);
    }

    // cfn-lint judges all cases in one run while the emulator judges them here.
    let input: Vec<Value> = cases
        .iter()
        .map(|c| json!({"id": c.id, "type": c.type_name, "properties": c.properties}))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&input).expect("json")).expect("cases written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/cfn_lint_verdicts.py");
    let child = Command::new(&python)
        .arg(&script)
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the venv's python runs");
    let built = started.elapsed();
    let emulator: Vec<Option<String>> = cases
        .iter()
        .enumerate()
        .map(|(n, c)| {
            (c.kind != "valid")
                .then(|| emulator_rejects(&emu, &format!("case-{n}"), &c.type_name, &c.properties))
                .flatten()
        })
        .collect();
    let judged = started.elapsed();
    let out = child.wait_with_output().expect("cfn_lint_verdicts.py ends");
    assert!(
        out.status.success(),
        "cfn_lint_verdicts.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lint: BTreeMap<String, Vec<(String, String, String)>> =
        serde_json::from_slice(&out.stdout).expect("verdicts are JSON");

    // Compare: cfn-lint's verdict on a mutation is the errors the valid state does not have.
    let mut base_errors: BTreeMap<&str, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut stricter = Vec::new();
    let mut unexplained = Vec::new();
    let mut lenient: BTreeMap<Lenient, usize> = BTreeMap::new();
    let mut agreed: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, emu_verdict) in cases.iter().zip(emulator) {
        let found = &lint[&c.id];
        assert!(
            found.iter().all(|(r, _, _)| r != "E3006"),
            "cfn-lint does not know {} in us-east-1",
            c.type_name
        );
        if c.kind == "valid" {
            base_errors.insert(
                &c.type_name,
                found
                    .iter()
                    .map(|(r, p, _)| (r.clone(), p.clone()))
                    .collect(),
            );
        }
        let known = &base_errors[c.type_name.as_str()];
        let new: Vec<&(String, String, String)> = found
            .iter()
            .filter(|(r, p, _)| c.kind == "valid" || !known.contains(&(r.clone(), p.clone())))
            .collect();
        match (emu_verdict, new.is_empty()) {
            (Some(message), true) => {
                stricter.push(format!("{} (at {:?}): emulator: {message}", c.id, c.at))
            }
            (None, false) => {
                let mut nodes = Vec::new();
                let ti = &infos[&c.type_name];
                members(
                    &c.properties,
                    &ti.schema,
                    &ti.definitions,
                    String::new(),
                    &mut nodes,
                );
                for (rule, at, message) in new {
                    match why_lenient(rule, at, message, &nodes) {
                        Some(reason) => {
                            *lenient.entry(reason).or_default() += 1;
                            eprintln!(
                                "lenient ({reason:?}): {}: cfn-lint {rule} at {at}: {message}",
                                c.id
                            );
                        }
                        None => unexplained
                            .push(format!("{}: cfn-lint {rule} at {at}: {message}", c.id)),
                    }
                }
            }
            _ => *agreed.entry(c.kind).or_default() += 1,
        }
    }
    eprintln!(
        "{} types ({} skipped: no valid state), {} cases; built in {} ms, emulator verdicts in {} ms, \
         cfn-lint done at {} ms; agreed per kind: {agreed:?}; emulator more lenient: {lenient:?}",
        types.len() - skipped.len(),
        skipped.len(),
        cases.len(),
        built.as_millis(),
        (judged - built).as_millis(),
        started.elapsed().as_millis(),
    );
    assert!(
        stricter.is_empty(),
        "the emulator rejects what cfn-lint accepts:\n{}",
        stricter.join("\n")
    );
    assert!(
        unexplained.is_empty(),
        "the emulator accepts what cfn-lint rejects, for no reason in `Lenient` (README, Behaviour vs AWS):\n{}",
        unexplained.join("\n")
    );
    assert!(types.len() - skipped.len() >= 40, "skipped: {skipped:?}");
    // Every mutation kind was exercised somewhere (the sample is not vacuous).
    for kind in KINDS {
        assert!(
            agreed.contains_key(kind),
            "no case of kind {kind}: {agreed:?}"
        );
    }
}
