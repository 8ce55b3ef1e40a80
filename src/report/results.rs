//! Writes a run's values: JSON `{"node_id": [...], "<var>": [...], "scalars": {...}}`
//! (null for "no value"), or CSV with a `node_id` column and one column per variable.

use std::fmt::Write;
use std::sync::Arc;

use serde_json::{Map, Number, Value as Json};

use crate::exec::Value;

/// The variables to write: `(name, value)` in the order given.
pub type Columns<'a> = Vec<(&'a str, &'a Arc<Value>)>;

fn number(x: f64, int: bool) -> Json {
    if x.is_nan() {
        Json::Null
    } else if int && x.fract() == 0.0 && x.abs() < 9.0e15 {
        Json::from(x as i64)
    } else {
        Number::from_f64(x).map_or(Json::Null, Json::Number)
    }
}

/// The JSON document for `columns` on a graph of `nodes` nodes.
pub fn to_json(nodes: usize, columns: &Columns) -> Json {
    let mut doc = Map::new();
    doc.insert("node_id".into(), Json::from((0..nodes).collect::<Vec<_>>()));
    let mut scalars = Map::new();
    for (name, value) in columns {
        match value.as_ref() {
            Value::Map(m) => {
                doc.insert((*name).to_owned(), m.values.iter().map(|&x| number(x, m.int)).collect());
            }
            Value::Scalar(s) => {
                scalars.insert((*name).to_owned(), number(s.value, s.int));
            }
            Value::Lists(l) => {
                let lists = l.lists.iter().map(|xs| xs.iter().map(|&x| number(x, l.int)).collect::<Json>()).collect();
                doc.insert((*name).to_owned(), lists);
            }
        }
    }
    doc.insert("scalars".into(), Json::Object(scalars));
    Json::Object(doc)
}

/// CSV: `node_id` then one column per node-map variable; empty cells for no value.
/// Scalars and lists are left out (they have no per-node column).
pub fn to_csv(nodes: usize, columns: &Columns) -> String {
    let maps: Vec<(&str, &crate::exec::value::NodeMap)> =
        columns.iter().filter_map(|(n, v)| if let Value::Map(m) = v.as_ref() { Some((*n, m)) } else { None }).collect();
    let mut out = String::from("node_id");
    for (name, _) in &maps {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    for i in 0..nodes {
        let _ = write!(out, "{i}");
        for (_, m) in &maps {
            out.push(',');
            match m.values.get(i) {
                Some(x) if !x.is_nan() => {
                    if let Json::Number(n) = number(*x, m.int) {
                        let _ = write!(out, "{n}");
                    }
                }
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}
