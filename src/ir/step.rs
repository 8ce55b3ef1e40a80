//! The second parser: groggy's loop-body step format (`{"type": "core.mul", "output",
//! "a", "b"}`) into the same [`Node`] model as top-level nodes.

use serde_json::{Map, Value};

use super::error::shown;
use super::model::{Domain, Node, VarTable};
use super::op::Op;

/// Parses one body step. `id` is the step's name in reports (`node_11/3`).
///
/// An operand given as a number (`"if_true": 0.0`) is an inline literal and stays in
/// `metadata`; an operand given as a string is a variable read.
pub(crate) fn parse_step(step: &Map<String, Value>, id: String, vars: &mut VarTable) -> Result<Node, String> {
    let ty = match step.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => return Err(format!("step `type` must be a string like \"core.mul\", found {}", shown(other))),
        None => return Err("step has no `type`; body steps look like {\"type\": \"core.mul\", \"output\": ..., \"a\": ..., \"b\": ...}".into()),
    };
    let (domain, op) = match ty.split_once('.') {
        Some((d, o)) => (Domain::parse(d), Op::parse(o)),
        None => (Domain::Core, Op::parse(ty)),
    };
    let mut metadata = Map::new();
    let mut inputs = Vec::new();
    let mut output = None;

    let var_of = |key: &str, v: &Value| -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(format!("`{key}` must name a variable, found {}", shown(other))),
        }
    };

    if op == Op::Alias {
        let source = step.get("source").ok_or("alias step has no `source`")?;
        let target = step.get("target").ok_or("alias step has no `target`")?;
        inputs.push(vars.intern(&var_of("source", source)?));
        output = Some(vars.intern(&var_of("target", target)?));
        return Ok(Node {
            id,
            domain,
            op,
            inputs,
            output,
            implicit_reads: Vec::new(),
            metadata: metadata.into(),
            body: None,
        });
    }

    let keys = op.step_operand_keys();
    for key in keys {
        match step.get(*key) {
            Some(Value::String(name)) => inputs.push(vars.intern(name)),
            Some(literal) => {
                metadata.insert((*key).to_owned(), literal.clone());
            }
            None => {}
        }
    }
    for (key, value) in step {
        match key.as_str() {
            "type" => {}
            "output" | "target" => {
                if let Value::String(name) = value {
                    output = Some(vars.intern(name));
                } else if !value.is_null() {
                    return Err(format!("`{key}` must name a variable, found {}", shown(value)));
                }
            }
            "inputs" if op == Op::MapNodes => {
                let Value::Object(map) = value else {
                    return Err(format!("{op} `inputs` must be an object of name -> variable, found {}", shown(value)));
                };
                for (name, var) in map {
                    inputs.push(vars.intern(&var_of(name, var)?));
                }
                metadata.insert("map_inputs".to_owned(), value.clone());
            }
            k if keys.contains(&k) => {}
            _ => {
                metadata.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(Node { id, domain, op, inputs, output, implicit_reads: Vec::new(), metadata: metadata.into(), body: None })
}
