//! The dependency graph under program order: read-after-write, write-after-write,
//! write-after-read and side-effect order, each edge with its kind and variable.
//!
//! Every edge points from an earlier node to a later one, so the graph is acyclic by
//! construction and program order is a topological order.
//!
//! # Complexity
//! O(V + total operands); the number of edges is at most the number of operands plus
//! the number of side-effecting nodes.

use serde::Serialize;

use super::effects::{EffectTable, NodeEffects};
use crate::ir::{Diagnostic, Ir, NodeId, Severity, VarId};

/// Why one node must run after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepKind {
    /// The later node reads a value the earlier one wrote.
    ReadAfterWrite,
    /// The later node overwrites a variable the earlier one read.
    WriteAfterRead,
    /// The later node overwrites a variable the earlier one wrote.
    WriteAfterWrite,
    /// Both nodes have side effects, which keep their program order.
    SideEffectOrder,
}

impl DepKind {
    /// The kebab-case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DepKind::ReadAfterWrite => "read-after-write",
            DepKind::WriteAfterRead => "write-after-read",
            DepKind::WriteAfterWrite => "write-after-write",
            DepKind::SideEffectOrder => "side-effect-order",
        }
    }
}

/// One edge: `to` must run after `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    /// The earlier node.
    pub from: NodeId,
    /// The later node.
    pub to: NodeId,
    /// Why.
    pub kind: DepKind,
    /// The variable involved (none for side-effect order).
    pub var: Option<VarId>,
}

/// All dependency edges of one IR, indexed both ways.
#[derive(Debug, Clone, Default)]
pub struct DependencyGraph {
    /// Edges sorted by `to`, then by program order of discovery.
    pub edges: Vec<Dependency>,
    pred_start: Vec<u32>,
    succ_start: Vec<u32>,
    succ_edges: Vec<u32>,
}

impl DependencyGraph {
    /// Edges into `node`.
    pub fn incoming(&self, node: NodeId) -> &[Dependency] {
        let i = node.index();
        &self.edges[self.pred_start[i] as usize..self.pred_start[i + 1] as usize]
    }

    /// Edges out of `node`.
    pub(crate) fn outgoing(&self, node: NodeId) -> impl Iterator<Item = &Dependency> + '_ {
        let i = node.index();
        self.succ_edges[self.succ_start[i] as usize..self.succ_start[i + 1] as usize]
            .iter()
            .map(|&e| &self.edges[e as usize])
    }

    /// Distinct nodes `node` depends on, in program order.
    pub(crate) fn predecessors(&self, node: NodeId) -> Vec<NodeId> {
        let mut p: Vec<NodeId> = self.incoming(node).iter().map(|d| d.from).collect();
        p.sort_unstable();
        p.dedup();
        p
    }
}

/// Per-variable state while walking the program.
#[derive(Clone, Copy)]
struct VarState {
    last_writer: Option<NodeId>,
    /// Newest reader since the last write, as an index into the reader pool.
    readers: u32,
    first_external_reader: Option<NodeId>,
    /// The first node to write the variable after it was read as an external input.
    late_writer: Option<NodeId>,
}

/// End of a reader list.
const NO_READER: u32 = u32::MAX;

/// The edges of nodes with these effects under program order, grouped by the later node
/// (`pred_start[i]..pred_start[i + 1]`), and what each variable's last state was.
fn walk<'e>(
    effects: impl Iterator<Item = NodeEffects<'e>>,
    n: usize,
    var_count: usize,
    operands: usize,
) -> (Vec<Dependency>, Vec<u32>, Vec<VarState>) {
    let mut vars =
        vec![
            VarState { last_writer: None, readers: NO_READER, first_external_reader: None, late_writer: None };
            var_count
        ];
    // Readers since each variable's last write, as linked lists in one pool: (reader, next).
    let mut pool: Vec<(NodeId, u32)> = Vec::with_capacity(n * 2);
    // Room for an edge per operand, the usual count (one per read, one per overwrite), so a
    // big graph's list is not copied as it grows: a million ops' edges are tens of megabytes,
    // each copy to fresh memory. Write-after-read edges may still make it grow.
    let mut edges = Vec::with_capacity(operands);
    let mut pred_start = Vec::with_capacity(n + 1);
    let mut last_side_effect: Option<NodeId> = None;

    for (i, fx) in effects.enumerate() {
        let me = NodeId(i as u32);
        pred_start.push(edges.len() as u32);
        for &v in fx.reads {
            let st = &mut vars[v.index()];
            match st.last_writer {
                Some(w) if w != me => {
                    edges.push(Dependency { from: w, to: me, kind: DepKind::ReadAfterWrite, var: Some(v) })
                }
                Some(_) => {}
                None => {
                    st.first_external_reader.get_or_insert(me);
                }
            }
            if st.readers == NO_READER || pool[st.readers as usize].0 != me {
                pool.push((me, st.readers));
                st.readers = (pool.len() - 1) as u32;
            }
        }
        for &v in fx.writes {
            let st = &mut vars[v.index()];
            match st.last_writer {
                Some(w) if w != me => {
                    edges.push(Dependency { from: w, to: me, kind: DepKind::WriteAfterWrite, var: Some(v) })
                }
                Some(_) => {}
                None => {
                    if st.first_external_reader.is_some_and(|r| r != me) && st.late_writer.is_none() {
                        st.late_writer = Some(me);
                    }
                }
            }
            let mut at = st.readers;
            while at != NO_READER {
                let (r, next) = pool[at as usize];
                if r != me {
                    edges.push(Dependency { from: r, to: me, kind: DepKind::WriteAfterRead, var: Some(v) });
                }
                at = next;
            }
            st.readers = NO_READER;
            st.last_writer = Some(me);
        }
        if fx.side_effect {
            if let Some(prev) = last_side_effect {
                edges.push(Dependency { from: prev, to: me, kind: DepKind::SideEffectOrder, var: None });
            }
            last_side_effect = Some(me);
        }
    }
    pred_start.push(edges.len() as u32);
    (edges, pred_start, vars)
}

/// For steps with these effects (reads, writes, side effect), in program order: the
/// indices of the earlier steps each one depends on, ascending, by the same rule as the
/// analysis (read-after-write, write-after-write, write-after-read, side-effect order).
///
/// # Complexity
/// O(steps + total operands).
pub(crate) fn program_order_predecessors<'e>(
    effects: impl Iterator<Item = NodeEffects<'e>>,
    n: usize,
    var_count: usize,
) -> Vec<Vec<usize>> {
    let (edges, pred_start, _) = walk(effects, n, var_count, 0);
    (0..n)
        .map(|i| {
            let mut p: Vec<usize> =
                edges[pred_start[i] as usize..pred_start[i + 1] as usize].iter().map(|d| d.from.index()).collect();
            p.sort_unstable();
            p.dedup();
            p
        })
        .collect()
}

/// Builds the graph for `ir` from each node's effects. With `top_level`, reads with no
/// earlier writer become diagnostics; in a loop body they are the loop's own inputs.
pub fn build(ir: &Ir, effects: &EffectTable, top_level: bool, diagnostics: &mut Vec<Diagnostic>) -> DependencyGraph {
    let n = ir.nodes.len();
    let (edges, pred_start, vars) = walk(effects.iter(), n, ir.vars.len(), effects.operand_count());
    if top_level {
        report_external_reads(ir, &vars, diagnostics);
    }

    let mut succ_count = vec![0u32; n + 1];
    for e in &edges {
        succ_count[e.from.index() + 1] += 1;
    }
    for i in 0..n {
        succ_count[i + 1] += succ_count[i];
    }
    let succ_start = succ_count.clone();
    let mut fill = succ_count;
    let mut succ_edges = vec![0u32; edges.len()];
    for (k, e) in edges.iter().enumerate() {
        let slot = &mut fill[e.from.index()];
        succ_edges[*slot as usize] = k as u32;
        *slot += 1;
    }
    DependencyGraph { edges, pred_start, succ_start, succ_edges }
}

fn report_external_reads(ir: &Ir, vars: &[VarState], diagnostics: &mut Vec<Diagnostic>) {
    let mut found: Vec<(NodeId, Diagnostic)> = Vec::new();
    for (v, st) in vars.iter().enumerate() {
        let v = VarId(v as u32);
        let Some(reader) = st.first_external_reader else { continue };
        let reader_id = &ir.node(reader).id;
        let name = ir.var(v);
        let diag = match st.late_writer {
            Some(writer) => Diagnostic::at(
                Severity::Error,
                "read-before-write",
                reader_id,
                format!(
                    "reads `{name}` before {} writes it; in program order the read sees an external input, \
                     not that node's value. Move {} before {reader_id} if it is meant to feed it.",
                    ir.node(writer).id,
                    ir.node(writer).id
                ),
            ),
            None => Diagnostic::at(
                Severity::Warning,
                "external-input",
                reader_id,
                format!(
                    "reads `{name}`, which no node writes; irtop treats it as an input supplied from outside the IR"
                ),
            ),
        };
        found.push((reader, diag));
    }
    found.sort_by_key(|(n, _)| *n);
    diagnostics.extend(found.into_iter().map(|(_, d)| d));
}
