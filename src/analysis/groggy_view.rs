//! What groggy's own analyzer would conclude about the same IR, and where that differs
//! from irtop's correct analysis, in sentences a user can check.
//!
//! groggy links each input to the latest *earlier* producer by `inputs`/`output` only,
//! records a node's output before its inputs (so an in-place op depends on itself and is
//! never scheduled), ignores write-after-read and write-after-write, and sees nothing a
//! loop reads or writes.
//!
//! # Complexity
//! O(V + E).

use super::dependencies::{DepKind, DependencyGraph};
use super::groggy;
use super::levels::LevelPlan;
use crate::ir::{Diagnostic, Ir, NodeId, Severity};

/// groggy's levels and estimate for the IR.
#[derive(Debug, Clone, PartialEq)]
pub struct GroggyView {
    /// groggy's execution levels; nodes it never schedules are absent.
    pub levels: Vec<Vec<NodeId>>,
    /// groggy's `estimated_speedup` on its own levels.
    pub estimated_speedup: f64,
    /// groggy's `use_parallel` on its own levels.
    pub use_parallel: bool,
    /// Nodes groggy never places in a level.
    pub unscheduled: Vec<NodeId>,
}

/// At most this many nodes get their own `groggy-misplaced` note; the rest are counted.
pub(crate) const MAX_LISTED_NOTES: usize = 50;

/// Runs groggy's dependency and level algorithm on `ir`.
pub(crate) fn groggy_levels(ir: &Ir) -> (Vec<Option<u32>>, Vec<Vec<NodeId>>, Vec<bool>) {
    let n = ir.nodes.len();
    let mut producer: Vec<Option<NodeId>> = vec![None; ir.vars.len()];
    // (producer, dependent) pairs, each distinct per dependent.
    let mut pairs: Vec<(NodeId, NodeId)> = Vec::with_capacity(n * 2);
    let mut in_degree = vec![0u32; n];
    let mut self_dependent = vec![false; n];
    for (i, node) in ir.nodes.iter().enumerate() {
        let me = NodeId(i as u32);
        if let Some(out) = node.output {
            producer[out.index()] = Some(me);
        }
        let first = pairs.len();
        // Distinct producers in input order: a scan for a few inputs, a set for many (an op
        // with a million inputs must not cost a trillion comparisons).
        let mut seen: Option<std::collections::HashSet<NodeId>> =
            (node.inputs.len() > 16).then(std::collections::HashSet::new);
        for v in &node.inputs {
            if let Some(p) = producer[v.index()] {
                let new = match seen.as_mut() {
                    Some(set) => set.insert(p),
                    None => !pairs[first..].iter().any(|&(q, _)| q == p),
                };
                if new {
                    pairs.push((p, me));
                    in_degree[i] += 1;
                    self_dependent[i] |= p == me;
                }
            }
        }
    }
    let mut start = vec![0u32; n + 1];
    for &(p, _) in &pairs {
        start[p.index() + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut dependents = vec![NodeId(0); pairs.len()];
    for &(p, d) in &pairs {
        dependents[fill[p.index()] as usize] = d;
        fill[p.index()] += 1;
    }
    let mut level_of = vec![None; n];
    let mut levels = Vec::new();
    let mut current: Vec<NodeId> = (0..n).filter(|&i| in_degree[i] == 0).map(|i| NodeId(i as u32)).collect();
    while !current.is_empty() {
        let mut next = Vec::new();
        for &node in &current {
            level_of[node.index()] = Some(levels.len() as u32);
            for &d in &dependents[start[node.index()] as usize..start[node.index() + 1] as usize] {
                in_degree[d.index()] -= 1;
                if in_degree[d.index()] == 0 {
                    next.push(d);
                }
            }
        }
        levels.push(current);
        current = next;
    }
    (level_of, levels, self_dependent)
}

/// groggy's view of `ir`, and a note for every node groggy misplaces relative to irtop's
/// dependencies `deps` and levels `levels`.
pub fn compare(ir: &Ir, deps: &DependencyGraph, levels: &LevelPlan, notes: &mut Vec<Diagnostic>) -> GroggyView {
    compare_levels(ir, deps, levels, groggy_levels(ir), notes)
}

/// [`compare`] with groggy's levels already computed by [`groggy_levels`] (which reads only
/// the IR, so the analysis computes them beside its dependency graph).
pub(crate) fn compare_levels(
    ir: &Ir,
    deps: &DependencyGraph,
    levels: &LevelPlan,
    groggy: (Vec<Option<u32>>, Vec<Vec<NodeId>>, Vec<bool>),
    notes: &mut Vec<Diagnostic>,
) -> GroggyView {
    let (g_level, g_levels, self_dependent) = groggy;
    let id = |n: NodeId| ir.node(n).id.as_str();
    let what = |n: NodeId| {
        let node = ir.node(n);
        match node.body.as_deref() {
            Some(crate::ir::Body::Loop(_)) => format!("loop {}", node.id),
            Some(crate::ir::Body::Block(_)) => format!("block {}", node.id),
            None => format!("{} {}", node.op, node.id),
        }
    };
    let mut unscheduled = Vec::new();
    let mut listed = 0usize;
    let mut unlisted = 0usize;
    let mut waiting = 0usize;
    for node in ir.node_ids() {
        let Some(gl) = g_level[node.index()] else {
            unscheduled.push(node);
            if !self_dependent[node.index()] {
                waiting += 1;
                continue;
            }
            if listed == MAX_LISTED_NOTES {
                unlisted += 1;
                continue;
            }
            listed += 1;
            let var = ir.node(node).output.map(|v| ir.var(v)).unwrap_or("its output");
            notes.push(Diagnostic::at(
                Severity::Note,
                "groggy-unscheduled",
                id(node),
                format!(
                    "groggy never schedules {}: it reads and writes `{var}`, so groggy makes it depend on itself; irtop places it in level {}",
                    what(node),
                    levels.level(node)
                ),
            ));
            continue;
        };
        let violated = deps.incoming(node).iter().find(|d| g_level[d.from.index()].is_some_and(|pl| pl >= gl));
        if let Some(d) = violated {
            if listed == MAX_LISTED_NOTES {
                unlisted += 1;
                continue;
            }
            listed += 1;
            let pl = g_level[d.from.index()].unwrap_or(0);
            let var = d.var.map(|v| ir.var(v)).unwrap_or("");
            let message = match d.kind {
                DepKind::ReadAfterWrite => format!(
                    "groggy places {} in level {gl}; it reads {var}, written by {} in level {pl}",
                    what(node),
                    id(d.from)
                ),
                DepKind::WriteAfterRead => format!(
                    "groggy places {} in level {gl}, not after {} (level {pl}); it overwrites {var}, which {} reads first (write-after-read hazard)",
                    what(node),
                    id(d.from),
                    id(d.from)
                ),
                DepKind::WriteAfterWrite => format!(
                    "groggy places {} in level {gl}; it overwrites {var}, written by {} in level {pl}",
                    what(node),
                    id(d.from)
                ),
                DepKind::SideEffectOrder => format!(
                    "groggy places {} in level {gl}, not after {} (level {pl}); both have side effects, which keep program order",
                    what(node),
                    id(d.from)
                ),
            };
            notes.push(Diagnostic::at(Severity::Note, "groggy-misplaced", id(node), message));
        }
    }
    if waiting > 0 {
        notes.push(Diagnostic {
            severity: Severity::Note,
            code: "groggy-unscheduled",
            message: format!("groggy never schedules {waiting} more nodes: they wait on the nodes above"),
            node: None,
        });
    }
    if unlisted > 0 {
        notes.push(Diagnostic {
            severity: Severity::Note,
            code: "groggy-misplaced",
            message: format!("groggy misplaces or drops {unlisted} more nodes the same way (not listed)"),
            node: None,
        });
    }
    let sizes: Vec<(usize, f64)> =
        g_levels.iter().map(|l| (l.len(), groggy::group_factor(l.iter().map(|&n| &ir.node(n).op)))).collect();
    let estimated_speedup = groggy::estimated_speedup(sizes.iter().copied());
    GroggyView {
        levels: g_levels,
        estimated_speedup,
        use_parallel: groggy::use_parallel(estimated_speedup),
        unscheduled,
    }
}
