//! Graphviz DOT: one rank per level, nodes filled by domain, the critical path bold,
//! edge style by dependency kind.

use std::fmt::Write;

use super::escape::escape_control;
use crate::analysis::{Analysis, DepKind};
use crate::ir::{Domain, Ir};

/// Fill colour of a domain.
fn fill(domain: &Domain) -> &'static str {
    match domain {
        Domain::Core => "#cfe2ff",
        Domain::Graph => "#d1e7dd",
        Domain::Attr => "#fff3cd",
        Domain::Control => "#f8d7da",
        Domain::Execution => "#e2d9f3",
        Domain::Other(_) => "#e9ecef",
    }
}

/// `s` inside a DOT string: control characters escaped (as visible text), backslashes and
/// quotes escaped.
fn inner(s: &str) -> String {
    escape_control(s).replace('\\', "\\\\").replace('"', "\\\"")
}

fn quote(s: &str) -> String {
    format!("\"{}\"", inner(s))
}

/// Renders `ir` as a DOT digraph.
///
/// # Complexity
/// O(V + E): critical-path membership is looked up, not searched.
pub fn render(ir: &Ir, a: &Analysis) -> String {
    let mut out = String::new();
    let mut path_index: Vec<Option<usize>> = vec![None; ir.nodes.len()];
    for (i, &n) in a.critical_path.nodes.iter().enumerate() {
        path_index[n.index()] = Some(i);
    }
    let on_path = |n: crate::ir::NodeId| path_index[n.index()].is_some();
    let name = if ir.name.is_empty() { "ir" } else { &ir.name };
    let _ = writeln!(out, "digraph {} {{", quote(name));
    let _ = writeln!(out, "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];");
    for (k, level) in a.levels.levels.iter().enumerate() {
        let _ = writeln!(out, "  subgraph level_{k} {{\n    rank=same;");
        for &n in level {
            let node = ir.node(n);
            // `\n` is DOT's line break, between the escaped id and op.
            let label = match &node.body {
                Some(b) => format!("\"{}\\n{} x {} ops\"", inner(&node.id), inner(&node.op), b.iterations()),
                None => format!("\"{}\\n{}\"", inner(&node.id), inner(&node.op)),
            };
            let bold = if on_path(n) { ", penwidth=3, fontname=\"Helvetica-Bold\"" } else { "" };
            let _ = writeln!(
                out,
                "    {} [label={}, fillcolor=\"{}\", tooltip=\"level {k}\"{bold}];",
                quote(&node.id),
                label,
                fill(&node.domain)
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for e in &a.deps.edges {
        let style = match e.kind {
            DepKind::ReadAfterWrite => "solid",
            DepKind::WriteAfterRead => "dashed",
            DepKind::WriteAfterWrite => "dotted",
            DepKind::SideEffectOrder => "bold",
        };
        let critical = matches!(
            (path_index[e.from.index()], path_index[e.to.index()]),
            (Some(i), Some(j)) if j == i + 1
        );
        let label = e.var.map(|v| ir.var(v)).unwrap_or("order");
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, style={style}{}];",
            quote(&ir.node(e.from).id),
            quote(&ir.node(e.to).id),
            quote(label),
            if critical { ", penwidth=3" } else { "" }
        );
    }
    let _ = writeln!(out, "}}");
    out
}
