//! Writes a run's values: JSON `{"node_id": [...], "<var>": [...], "scalars": {...}}`, or
//! CSV with a `node_id` column and one column per node-map variable. NaN ("no value": a min
//! over no neighbours) is `null` in JSON and an empty cell in CSV; infinities are `"inf"` and
//! `"-inf"` (strings: JSON has no infinity) and `inf`, `-inf` in CSV.
//!
//! Both are streamed to the writer (a run on millions of nodes writes hundreds of MB, which
//! are never held in memory). [`check_columns`] refuses what a format cannot hold before
//! anything is written.

use std::io::{self, Write};
use std::sync::Arc;

use serde_json::Number;

use super::escape::escape_control;
use super::format::Format;
use crate::exec::Value;
use crate::exec::value::NodeMap;

/// The variables to write: `(name, value)` in the order given.
pub(crate) type Columns<'a> = Vec<(&'a str, &'a Arc<Value>)>;

/// Refuses columns `format` cannot write: a node-map or list variable named `node_id` (or,
/// in JSON, `scalars`) would overwrite the key or column irtop writes under that name; in
/// CSV a scalar or a list has no per-node column, so one asked for by name (`requested`) is
/// refused rather than left out. Returns the names CSV leaves out otherwise (for a note).
pub(crate) fn check_columns(format: Format, columns: &Columns, requested: bool) -> Result<Vec<String>, String> {
    let mut left_out = Vec::new();
    for (name, value) in columns {
        let per_node = !matches!(value.as_ref(), Value::Scalar(_));
        // JSON (the other format a run's values have) reserves `scalars` too.
        let reserved = if format == Format::Csv { *name == "node_id" } else { ["node_id", "scalars"].contains(name) };
        if per_node && reserved {
            return Err(format!(
                "variable `{}` has the name of the `{name}` {} irtop writes; it cannot be written beside it. \
                 Choose the variables to write with --var, or rename it in the IR",
                escape_control(name),
                if format == Format::Csv { "column" } else { "key" }
            ));
        }
        let no_column = format == Format::Csv && !matches!(value.as_ref(), Value::Map(_));
        if no_column && requested {
            let kind = if matches!(value.as_ref(), Value::Scalar(_)) { "a scalar" } else { "a list per node" };
            return Err(format!(
                "--var {}: {kind}, which has no column in CSV (one value per node); write JSON (--format json), \
                 which holds it, or leave it out",
                escape_control(name)
            ));
        }
        if no_column {
            left_out.push(escape_control(name).into_owned());
        }
    }
    Ok(left_out)
}

/// A value as JSON: `null` for NaN, `"inf"`/`"-inf"`, an integer for an integer map's
/// whole values, else the shortest text that reads back as the same `f64`.
fn write_json_number(out: &mut dyn Write, x: f64, int: bool) -> io::Result<()> {
    if x.is_nan() {
        out.write_all(b"null")
    } else if x.is_infinite() {
        out.write_all(if x > 0.0 { b"\"inf\"" } else { b"\"-inf\"" })
    } else if int && x.fract() == 0.0 && x.abs() < 9.0e15 {
        write!(out, "{}", x as i64)
    } else {
        match Number::from_f64(x) {
            Some(n) => write!(out, "{n}"),
            None => out.write_all(b"null"),
        }
    }
}

/// A JSON string.
fn write_json_string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    super::escape::to_writer(out, s)
}

fn write_json_list(out: &mut dyn Write, xs: &[f64], int: bool) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, &x) in xs.iter().enumerate() {
        if i > 0 {
            out.write_all(b", ")?;
        }
        write_json_number(out, x, int)?;
    }
    out.write_all(b"]")
}

/// Writes the JSON document for `columns` on a graph of `nodes` nodes: one line per key.
pub(crate) fn write_json(out: &mut dyn Write, nodes: usize, columns: &Columns) -> io::Result<()> {
    out.write_all(b"{\n  \"node_id\": [")?;
    for i in 0..nodes {
        if i > 0 {
            out.write_all(b", ")?;
        }
        write!(out, "{i}")?;
    }
    out.write_all(b"]")?;
    for (name, value) in columns {
        match value.as_ref() {
            Value::Map(m) => {
                out.write_all(b",\n  ")?;
                write_json_string(out, name)?;
                out.write_all(b": ")?;
                write_json_list(out, &m.values, m.int)?;
            }
            Value::Lists(l) => {
                out.write_all(b",\n  ")?;
                write_json_string(out, name)?;
                out.write_all(b": [")?;
                for (i, xs) in l.lists.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b", ")?;
                    }
                    write_json_list(out, xs, l.int)?;
                }
                out.write_all(b"]")?;
            }
            Value::Scalar(_) => {}
        }
    }
    out.write_all(b",\n  \"scalars\": {")?;
    let scalars =
        columns.iter().filter_map(|(n, v)| if let Value::Scalar(s) = v.as_ref() { Some((n, s)) } else { None });
    for (i, (name, s)) in scalars.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"\n    ")?;
        write_json_string(out, name)?;
        out.write_all(b": ")?;
        write_json_number(out, s.value, s.int)?;
    }
    out.write_all(b"\n  }\n}\n")
}

/// A CSV field for a column name: control characters escaped, quoted when it holds a
/// comma, a quote or a line break (quotes doubled).
fn csv_name(name: &str) -> String {
    let name = escape_control(name);
    if name.contains([',', '"', '\n', '\r']) || name.starts_with(' ') || name.ends_with(' ') {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.into_owned()
    }
}

/// Writes CSV: `node_id` then one column per node-map variable; empty cells for no value.
/// Scalars and lists have no per-node column and are left out ([`check_columns`]).
pub(crate) fn write_csv(out: &mut dyn Write, nodes: usize, columns: &Columns) -> io::Result<()> {
    let maps: Vec<(&str, &NodeMap)> =
        columns.iter().filter_map(|(n, v)| if let Value::Map(m) = v.as_ref() { Some((*n, m)) } else { None }).collect();
    out.write_all(b"node_id")?;
    for (name, _) in &maps {
        write!(out, ",{}", csv_name(name))?;
    }
    out.write_all(b"\n")?;
    for i in 0..nodes {
        write!(out, "{i}")?;
        for (_, m) in &maps {
            out.write_all(b",")?;
            match m.values.get(i) {
                Some(x) if x.is_nan() => {}
                Some(x) if x.is_infinite() => out.write_all(if *x > 0.0 { b"inf" } else { b"-inf" })?,
                Some(&x) => write_json_number(out, x, m.int)?,
                None => {}
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}
