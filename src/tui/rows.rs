//! The levels pane's rows, arranged from the analysis (nothing recomputed): one row per
//! level, with the body levels of expanded loops and blocks after the row that holds them.
//! Also finds an op by its file id, inside bodies too.

use std::collections::BTreeSet;

use crate::analysis::{Analysis, ParallelGroup};
use crate::ir::{Domain, Ir, NodeId};

/// One op as the levels pane shows it.
#[derive(Debug, Clone, Copy)]
pub struct OpItem<'a> {
    /// The op's file id.
    pub id: &'a str,
    /// Its op name.
    pub op: &'a str,
    /// Its domain.
    pub domain: &'a Domain,
    /// On its scope's critical path.
    pub critical: bool,
    /// `(iterations, expanded)` for a loop or block.
    pub body: Option<(u64, bool)>,
}

/// One level of the top-level IR or of an expanded body.
#[derive(Debug, Clone)]
pub struct LevelRow<'a> {
    /// The loop or block whose body this level belongs to (`None`: top level).
    pub owner: Option<&'a str>,
    /// Nesting depth (0: top level).
    pub depth: usize,
    /// Level index within its scope.
    pub level: usize,
    /// The level's parallel group.
    pub group: &'a ParallelGroup,
    /// The ops, in program order.
    pub ops: Vec<OpItem<'a>>,
}

/// The rows for `ir` with loops in `expanded` opened.
///
/// # Complexity
/// O(V) over the top level and every expanded body.
pub fn level_rows<'a>(ir: &'a Ir, a: &'a Analysis, expanded: &BTreeSet<String>) -> Vec<LevelRow<'a>> {
    let mut rows = Vec::with_capacity(a.levels.len());
    push_scope(ir, a, None, 0, expanded, &mut rows);
    rows
}

fn push_scope<'a>(
    ir: &'a Ir,
    a: &'a Analysis,
    owner: Option<&'a str>,
    depth: usize,
    expanded: &BTreeSet<String>,
    rows: &mut Vec<LevelRow<'a>>,
) {
    let mut critical = vec![false; ir.nodes.len()];
    for &n in &a.critical_path.nodes {
        critical[n.index()] = true;
    }
    for (k, level) in a.levels.levels.iter().enumerate() {
        let ops: Vec<OpItem<'a>> = level
            .iter()
            .map(|&n| {
                let node = ir.node(n);
                OpItem {
                    id: &node.id,
                    op: &node.op,
                    domain: &node.domain,
                    critical: critical[n.index()],
                    body: node.body.as_ref().map(|b| (b.iterations(), expanded.contains(&node.id))),
                }
            })
            .collect();
        let open: Vec<NodeId> =
            level.iter().copied().filter(|&n| ir.node(n).body.is_some() && expanded.contains(&ir.node(n).id)).collect();
        rows.push(LevelRow { owner, depth, level: k, group: &a.groups[k], ops });
        for n in open {
            if let (Some(body), Some(ba)) = (&ir.node(n).body, a.body(n)) {
                push_scope(body.ir(), ba, Some(&ir.node(n).id), depth + 1, expanded, rows);
            }
        }
    }
}

/// `(row, position)` of the op `id` in `rows`.
pub fn find_op(rows: &[LevelRow<'_>], id: &str) -> Option<(usize, usize)> {
    rows.iter().enumerate().find_map(|(r, row)| row.ops.iter().position(|o| o.id == id).map(|c| (r, c)))
}

/// An op found by id, with the IR and analysis of the scope it lives in.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    /// The scope's IR (the top level, or a body).
    pub ir: &'a Ir,
    /// The scope's analysis.
    pub analysis: &'a Analysis,
    /// The op within that scope.
    pub node: NodeId,
    /// Enclosing loops and blocks, outermost first, with their iteration counts.
    pub parents: Vec<(&'a str, u64)>,
}

/// Finds the op whose file id is `id`, in the top level or in any body.
///
/// # Complexity
/// O(V) over the scopes searched.
pub fn locate<'a>(ir: &'a Ir, a: &'a Analysis, id: &str) -> Option<Located<'a>> {
    if let Some(node) = ir.find(id) {
        return Some(Located { ir, analysis: a, node, parents: Vec::new() });
    }
    for n in ir.node_ids() {
        let node = ir.node(n);
        let (Some(body), Some(ba)) = (&node.body, a.body(n)) else { continue };
        if id.len() > node.id.len() && id.starts_with(node.id.as_str()) && id.as_bytes()[node.id.len()] == b'/' {
            let mut found = locate(body.ir(), ba, id)?;
            found.parents.insert(0, (&node.id, body.iterations()));
            return Some(found);
        }
    }
    None
}
