//! The plan JSON schema in README.md ("`irtop plan` JSON") matches what `irtop plan`
//! writes: every key the binary writes is documented, with the documented type, and every
//! documented key is written somewhere. And the default sections are groggy's fields plus
//! irtop's summaries.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

const README: &str = include_str!("../README.md");

/// The jsonc block of the README's plan section, without its comments, parsed.
fn documented_schema() -> Value {
    let section = README.split("## `irtop plan` JSON").nth(1).expect("README has a plan JSON section");
    let block = section.split("```jsonc").nth(1).and_then(|b| b.split("```").next()).expect("a jsonc block");
    serde_json::from_str(&strip_comments(block)).unwrap_or_else(|e| panic!("the README's schema is not JSON: {e}"))
}

/// Removes `// ...` to the end of each line, outside strings.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let (mut in_string, mut escaped, mut cut) = (false, false, line.len());
        let bytes = line.as_bytes();
        for i in 0..bytes.len() {
            match bytes[i] {
                _ if escaped => escaped = false,
                b'\\' if in_string => escaped = true,
                b'"' => in_string = !in_string,
                b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

fn plan(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_irtop")).arg("plan").args(args).output().expect("irtop runs");
    assert!(out.status.success(), "irtop plan {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("the plan is JSON")
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// Compares `actual` at `path` with the documented `schema`; records which keys of each
/// documented object were seen, and every mismatch.
fn check(
    schema: &Value,
    actual: &Value,
    path: &str,
    seen: &mut BTreeMap<String, BTreeSet<String>>,
    errors: &mut Vec<String>,
) {
    if schema.is_null() || actual.is_null() {
        return; // `null` documents any value; any value may be null
    }
    if kind(schema) != kind(actual) {
        errors.push(format!("{path}: documented as a {}, written as a {}", kind(schema), kind(actual)));
        return;
    }
    match (schema, actual) {
        (Value::Array(s), Value::Array(a)) => {
            if let Some(element) = s.first() {
                for item in a {
                    check(element, item, &format!("{path}[]"), seen, errors);
                }
            }
        }
        (Value::Object(s), Value::Object(a)) => {
            let wildcard = s.iter().find(|(k, _)| k.starts_with('<'));
            for (key, value) in a {
                let documented = match wildcard {
                    Some((_, v)) => v,
                    None => match s.get(key) {
                        Some(v) => v,
                        None => {
                            errors.push(format!("{path}.{key}: written but not documented"));
                            continue;
                        }
                    },
                };
                seen.entry(path.to_owned()).or_default().insert(key.clone());
                check(documented, value, &format!("{path}.{key}"), seen, errors);
            }
        }
        _ => {}
    }
}

/// Documented keys (outside wildcard objects), by path.
fn documented_keys(schema: &Value, path: &str, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match schema {
        Value::Array(s) => {
            if let Some(element) = s.first() {
                documented_keys(element, &format!("{path}[]"), out);
            }
        }
        Value::Object(s) if !s.keys().any(|k| k.starts_with('<')) => {
            out.insert(path.to_owned(), s.keys().cloned().collect());
            for (k, v) in s {
                documented_keys(v, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_readme_schema_matches_the_plan_with_every_section() {
    let schema = documented_schema();
    let mut seen = BTreeMap::new();
    let mut errors = Vec::new();
    // pagerank_loop has a loop (a node with a body) and notes; lpa_sweep_in_place has
    // constants and a write-after-read edge.
    for sample in ["samples/pagerank_loop.json", "samples/lpa_sweep_in_place.json", "samples/mixed.json"] {
        check(&schema, &plan(&[sample, "--fields", "all"]), "plan", &mut seen, &mut errors);
    }
    let mut documented = BTreeMap::new();
    documented_keys(&schema, "plan", &mut documented);
    for (path, keys) in &documented {
        let written = seen.get(path).cloned().unwrap_or_default();
        for key in keys.difference(&written) {
            errors.push(format!("{path}.{key}: documented but never written"));
        }
    }
    assert!(errors.is_empty(), "README.md's plan schema and `irtop plan --fields all` differ:\n{}", errors.join("\n"));
}

#[test]
fn the_default_plan_is_groggys_fields_and_irtops_summaries() {
    let plan = plan(&["samples/pagerank_loop.json"]);
    let keys: Vec<&str> = plan.as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "name",
            "groups",
            "sequential_plan",
            "estimated_speedup",
            "use_parallel",
            "levels",
            "critical_path",
            "longest_chain",
            "work",
            "span",
            "parallelism",
            "diagnostics"
        ]
    );
    let seq: Vec<&str> = plan["sequential_plan"].as_object().expect("an object").keys().map(String::as_str).collect();
    assert_eq!(seq, ["operations", "variable_slots", "constant_values", "max_live_variables", "execution_order"]);
}

#[test]
fn fields_pick_sections_and_an_unknown_one_is_refused() {
    let plan = plan(&["samples/diamond.json", "--fields", "edges,levels"]);
    let keys: BTreeSet<&str> = plan.as_object().expect("an object").keys().map(String::as_str).collect();
    let want: BTreeSet<&str> =
        ["name", "estimated_speedup", "use_parallel", "work", "span", "parallelism", "edges", "levels"].into();
    assert_eq!(keys, want);

    let out = Command::new(env!("CARGO_BIN_EXE_irtop"))
        .args(["plan", "samples/diamond.json", "--fields", "levels,edgez"])
        .output()
        .expect("irtop runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--fields") && err.contains("`edgez`") && err.contains("critical_path"), "{err}");
}
