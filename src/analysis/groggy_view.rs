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

use std::collections::HashMap;

use serde::Serialize;

use super::dependencies::{DepKind, DependencyGraph};
use super::groggy;
use super::levels::LevelPlan;
use crate::ir::{Diagnostic, Ir, NodeId, Severity};

/// groggy's levels and estimate for the IR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroggyView {
    /// groggy's execution levels (node ids); nodes it never schedules are absent.
    pub levels: Vec<Vec<String>>,
    /// groggy's `estimated_speedup` on its own levels.
    pub estimated_speedup: f64,
    /// groggy's `use_parallel` on its own levels.
    pub use_parallel: bool,
    /// Nodes groggy never places in a level.
    pub unscheduled: Vec<String>,
}

/// Runs groggy's dependency and level algorithm on `ir`.
pub fn groggy_levels(ir: &Ir) -> (Vec<Option<u32>>, Vec<Vec<NodeId>>, Vec<bool>) {
    let n = ir.nodes.len();
    let mut producer: HashMap<u32, NodeId> = HashMap::new();
    let mut deps: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    let mut dependents: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    let mut self_dependent = vec![false; n];
    for (i, node) in ir.nodes.iter().enumerate() {
        let me = NodeId(i as u32);
        if let Some(out) = node.output {
            producer.insert(out.0, me);
        }
        for v in &node.inputs {
            if let Some(&p) = producer.get(&v.0)
                && !deps[i].contains(&p)
            {
                deps[i].push(p);
                dependents[p.index()].push(me);
                self_dependent[i] |= p == me;
            }
        }
    }
    let mut in_degree: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut level_of = vec![None; n];
    let mut levels = Vec::new();
    let mut current: Vec<NodeId> = (0..n).filter(|&i| in_degree[i] == 0).map(|i| NodeId(i as u32)).collect();
    while !current.is_empty() {
        let mut next = Vec::new();
        for &node in &current {
            level_of[node.index()] = Some(levels.len() as u32);
            for &d in &dependents[node.index()] {
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
    let (g_level, g_levels, self_dependent) = groggy_levels(ir);
    let id = |n: NodeId| ir.node(n).id.as_str();
    let what = |n: NodeId| {
        let node = ir.node(n);
        match &node.body {
            Some(crate::ir::Body::Loop(_)) => format!("loop {}", node.id),
            Some(crate::ir::Body::Block(_)) => format!("block {}", node.id),
            None => format!("{} {}", node.op, node.id),
        }
    };
    let mut unscheduled = Vec::new();
    for node in ir.node_ids() {
        let Some(gl) = g_level[node.index()] else {
            unscheduled.push(id(node).to_owned());
            let why = if self_dependent[node.index()] {
                let var = ir.node(node).output.map(|v| ir.var(v)).unwrap_or("its output");
                format!("it reads and writes `{var}`, so groggy makes it depend on itself")
            } else {
                "it waits on a node groggy never schedules".to_owned()
            };
            notes.push(Diagnostic::at(
                Severity::Note,
                "groggy-unscheduled",
                id(node),
                format!("groggy never schedules {}: {why}; irtop places it in level {}", what(node), levels.level(node)),
            ));
            continue;
        };
        let violated = deps.incoming(node).iter().find(|d| g_level[d.from.index()].is_some_and(|pl| pl >= gl));
        if let Some(d) = violated {
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
    let sizes: Vec<(usize, f64)> = g_levels
        .iter()
        .map(|l| (l.len(), groggy::group_factor(l.iter().map(|&n| ir.node(n).op.as_str()))))
        .collect();
    let estimated_speedup = groggy::estimated_speedup(sizes.iter().copied());
    GroggyView {
        levels: g_levels.iter().map(|l| l.iter().map(|&n| id(n).to_owned()).collect()).collect(),
        estimated_speedup,
        use_parallel: groggy::use_parallel(estimated_speedup),
        unscheduled,
    }
}
