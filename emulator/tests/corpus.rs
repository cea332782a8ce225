//! Every resource type of the real StackQL corpus (`../shared/specs/2024-05`) loads, and a
//! minimal desired state built from its schema is created, read and listed through the SDK.
//! Skips with a message when `../shared` is absent.

mod common;

use std::time::Instant;

use aws_sdk_cloudcontrol::types::OperationStatus;
use cloudcontrol_emulator::{Config, Registry};
use common::*;
use serde_json::{json, Map, Value};

fn corpus() -> Option<std::path::PathBuf> {
    let p = shared()?.join("specs/2024-05");
    p.is_dir().then_some(p)
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

/// A value satisfying `schema`'s required structure, types, enums and length/count bounds.
fn sample(schema: &Value, defs: &Map<String, Value>, skip: &[String], depth: usize) -> Value {
    let s = resolve(schema, defs);
    if depth > 12 {
        return json!({});
    }
    if let Some(first) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alt) = s.get(key).and_then(Value::as_array).and_then(|a| a.first()) {
            // Alternatives usually only add `required` keys (or properties) to the parent.
            let alt = resolve(alt, defs);
            // Flatten an `allOf` of `required` lists inside the alternative.
            let mut alt = alt.clone();
            if let Some(all) = alt.get("allOf").and_then(Value::as_array).cloned() {
                let req: Vec<Value> = all
                    .iter()
                    .filter_map(|x| x.get("required").and_then(Value::as_array))
                    .flatten()
                    .cloned()
                    .collect();
                alt = json!({ "required": req });
            }
            let alt = &alt;
            let mut combined = strip(s, key);
            if let (Some(c), Some(a)) = (combined.as_object_mut(), alt.as_object()) {
                for (k, v) in a {
                    match (k.as_str(), c.get_mut(k)) {
                        ("required", Some(Value::Array(req))) => {
                            req.extend(v.as_array().cloned().unwrap_or_default())
                        }
                        ("properties", Some(Value::Object(props))) => {
                            for (pk, pv) in v.as_object().cloned().unwrap_or_default() {
                                props.entry(pk).or_insert(pv);
                            }
                        }
                        (_, None) => {
                            c.insert(k.clone(), v.clone());
                        }
                        _ => {}
                    }
                }
            }
            return sample(&combined, defs, skip, depth + 1);
        }
    }
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        return all.iter().fold(
            sample(&strip(s, "allOf"), defs, skip, depth + 1),
            |acc, sub| merge(acc, sample(sub, defs, skip, depth + 1)),
        );
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).unwrap_or("string"),
        _ if s.get("properties").is_some() => "object",
        _ => "string",
    };
    match ty {
        "object" => {
            let mut out = Map::new();
            let props = s.get("properties").and_then(Value::as_object);
            for r in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(name) = r.as_str() else { continue };
                if skip.iter().any(|x| x == name) {
                    continue;
                }
                let v = props
                    .and_then(|p| p.get(name))
                    .map(|ps| sample(ps, defs, &[], depth + 1))
                    .unwrap_or(json!("x"));
                out.insert(name.to_owned(), v);
            }
            Value::Object(out)
        }
        "array" => {
            let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = s.get("items").cloned().unwrap_or(json!({"type": "string"}));
            let items: Vec<Value> = (0..n)
                .map(|i| vary(sample(&item, defs, &[], depth + 1), i, &item, defs))
                .collect();
            Value::Array(items)
        }
        "integer" | "number" => {
            let min = s.get("minimum").and_then(Value::as_f64).unwrap_or(1.0);
            json!(min.max(
                s.get("exclusiveMinimum")
                    .and_then(Value::as_f64)
                    .map_or(min, |m| m + 1.0)
            ) as i64)
        }
        "boolean" => json!(true),
        _ => {
            let min = s
                .get("minLength")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1) as usize;
            let max = s.get("maxLength").and_then(Value::as_u64).unwrap_or(64) as usize;
            let mut text = String::from("sample");
            while text.len() < min {
                text.push('x');
            }
            text.truncate(max.max(min));
            // Patterns are checked: build a matching string from the pattern itself.
            let rules = cloudcontrol_emulator::sample::StringRules {
                pattern: s.get("pattern").and_then(Value::as_str),
                format: s.get("format").and_then(Value::as_str),
                min,
                max: s
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .map(|m| m as usize),
            };
            json!(cloudcontrol_emulator::sample::string(&rules, &text).unwrap_or(text))
        }
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
            let rules = cloudcontrol_emulator::sample::StringRules {
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

fn strip(s: &Value, key: &str) -> Value {
    let mut c = s.clone();
    if let Some(o) = c.as_object_mut() {
        o.remove(key);
    }
    c
}

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

#[tokio::test]
async fn every_corpus_type_creates_gets_and_lists() {
    let Some(root) = corpus() else {
        return;
    };
    let t = Instant::now();
    let registry = Registry::index(&root).unwrap();
    println!(
        "indexed {} types in {:?}",
        registry.type_count(),
        t.elapsed()
    );
    assert_eq!(registry.type_count(), 965);

    let mut config = Config::new(&root);
    config.polls_until_complete = 0;
    config.preload = true;
    let t = Instant::now();
    let emu = start(config).await;
    println!("started with every service parsed in {:?}", t.elapsed());
    let c = client(&emu);
    let names: Vec<String> = emu.registry().type_names().map(str::to_owned).collect();
    let mut failures = Vec::new();
    let mut created = 0;
    for name in &names {
        let ti = emu.registry().get(name).unwrap();
        assert!(!ti.primary_identifier.is_empty(), "{name}");
        if !ti.supports("create") {
            continue;
        }
        let state = sample(&ti.schema, &ti.definitions, &ti.read_only, 0);
        // An invalid sample is refused in the call itself (ValidationException): a failure too.
        let ev = match c
            .create_resource()
            .type_name(name)
            .desired_state(state.to_string())
            .send()
            .await
        {
            Ok(out) => out.progress_event.unwrap(),
            Err(e) => {
                failures.push(format!("{name}: {:?}", e.into_service_error()));
                continue;
            }
        };
        if ev.operation_status() != Some(&OperationStatus::Success) {
            failures.push(format!("{name}: {:?}", ev.status_message()));
            continue;
        }
        created += 1;
        let id = ev.identifier().unwrap();
        let got = c.get_resource().type_name(name).identifier(id).send().await;
        assert!(got.is_ok(), "{name} {id}: {got:?}");
        if ti.supports("list") {
            let page = c.list_resources().type_name(name).send().await.unwrap();
            assert_eq!(page.resource_descriptions().len(), 1, "{name}");
        }
    }
    println!("created {created} of {} corpus types", names.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(created > 900);
    emu.shutdown().await;
}
