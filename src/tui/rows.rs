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

/// One level of the top-level IR or of an expanded body. Its ops are looked up when asked
/// for, so the rows of a million-op IR cost one small struct per level.
#[derive(Debug, Clone)]
pub struct LevelRow<'a> {
    /// The loop or block whose body this level belongs to (`None`: top level).
    pub(crate) owner: Option<&'a str>,
    /// Nesting depth (0: top level).
    pub depth: usize,
    /// Level index within its scope.
    pub level: usize,
    /// The level's parallel group.
    pub group: &'a ParallelGroup,
    /// The scope's IR.
    ir: &'a Ir,
    /// The scope's analysis.
    analysis: &'a Analysis,
    /// The level's nodes, in program order.
    nodes: &'a [NodeId],
    /// The loops and blocks shown open.
    expanded: &'a BTreeSet<String>,
}

impl<'a> LevelRow<'a> {
    /// Number of ops in the level.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True for a level without ops (never produced).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The `i`th op of the level.
    ///
    /// # Complexity
    /// O(log critical path): the path's nodes are in program order, so membership is a
    /// binary search.
    pub fn op(&self, i: usize) -> OpItem<'a> {
        let n = self.nodes[i];
        let node = self.ir.node(n);
        OpItem {
            id: &node.id,
            op: node.op.name(),
            domain: &node.domain,
            critical: self.analysis.critical_path.nodes.binary_search(&n).is_ok(),
            body: node.body.as_ref().map(|b| (b.iterations(), self.expanded.contains(&node.id))),
        }
    }

    /// The position of the op `id` in this level.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|&n| self.ir.node(n).id == id)
    }
}

/// The rows for `ir` with loops in `expanded` opened.
///
/// # Complexity
/// O(levels) over the top level and every expanded body; no op is looked at.
pub(crate) fn level_rows<'a>(ir: &'a Ir, a: &'a Analysis, expanded: &'a BTreeSet<String>) -> Vec<LevelRow<'a>> {
    let mut rows = Vec::with_capacity(a.levels.len());
    push_scope(ir, a, None, 0, expanded, &mut rows);
    rows
}

fn push_scope<'a>(
    ir: &'a Ir,
    a: &'a Analysis,
    owner: Option<&'a str>,
    depth: usize,
    expanded: &'a BTreeSet<String>,
    rows: &mut Vec<LevelRow<'a>>,
) {
    // The open loops and blocks of this scope, by level (usually none: then nothing is
    // searched).
    let mut open: Vec<NodeId> = expanded.iter().filter_map(|id| ir.find(id)).collect();
    open.sort_by_key(|&n| (a.levels.level(n), n));
    let mut next_open = open.iter().peekable();
    for (k, level) in a.levels.levels.iter().enumerate() {
        rows.push(LevelRow { owner, depth, level: k, group: &a.groups[k], ir, analysis: a, nodes: level, expanded });
        while let Some(&&n) = next_open.peek().filter(|&&&n| a.levels.level(n) as usize == k) {
            next_open.next();
            if let (Some(body), Some(ba)) = (&ir.node(n).body, a.body(n)) {
                push_scope(body.ir(), ba, Some(&ir.node(n).id), depth + 1, expanded, rows);
            }
        }
    }
}

/// `(row, position)` of the op `id` in `rows`.
///
/// # Complexity
/// O(V) over the rows' ops; see [`find_op_near`] for the usual case.
pub(crate) fn find_op(rows: &[LevelRow<'_>], id: &str) -> Option<(usize, usize)> {
    rows.iter().enumerate().find_map(|(r, row)| row.position(id).map(|c| (r, c)))
}

/// [`find_op`], looking in row `row` first: a selection stays in its row until the analysis
/// or the open bodies change.
pub(crate) fn find_op_near(rows: &[LevelRow<'_>], id: &str, row: usize) -> Option<(usize, usize)> {
    rows.get(row).and_then(|r| r.position(id)).map(|c| (row, c)).or_else(|| find_op(rows, id))
}

/// An op found by id, with the IR and analysis of the scope it lives in.
#[derive(Debug, Clone)]
pub(crate) struct Located<'a> {
    /// The scope's IR (the top level, or a body).
    pub ir: &'a Ir,
    /// The scope's analysis.
    pub analysis: &'a Analysis,
    /// The op within that scope.
    pub node: NodeId,
    /// Enclosing loops and blocks, outermost first, with their iteration counts.
    pub(crate) parents: Vec<(&'a str, u64)>,
}

/// Finds the op whose file id is `id`, in the top level or in any body.
///
/// # Complexity
/// O(V) over the scopes searched.
pub(crate) fn locate<'a>(ir: &'a Ir, a: &'a Analysis, id: &str) -> Option<Located<'a>> {
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
