//! Kernels that read the graph, as per-node functions the per-node program calls
//! (aggregation over in-neighbours, `map_nodes` over distinct out-neighbours), and the
//! passes that are not one number per node (neighbour lists, their modes, the in-place
//! `map_nodes` sweep). Directions and empty-neighbourhood results follow groggy 0.5.2.
//!
//! # Complexity
//! O(V + E) work each (a sort of each node's out-neighbours for `map_nodes`).

use super::work::{ChunkedMap, KernelError, NodePass, PerChunk, chunk_count, chunk_range};
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, TieBreak};
use crate::exec::value::{NodeLists, NodeMap, Value};
use crate::ir::op::Op;

/// The map a graph kernel reads, or the error an unfused run gives.
pub(crate) fn node_map<'a>(v: &'a Value, what: &str) -> Result<&'a NodeMap, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!("{what} needs a node map, got {}", other.kind())),
    }
}

/// Refuses a map whose length is not the graph's node count.
pub(crate) fn check_len(len: usize, g: &Graph) -> Result<(), String> {
    if len == g.node_count() {
        Ok(())
    } else {
        Err(format!("the map has {len} nodes but the graph has {}", g.node_count()))
    }
}

/// Out-degree of `v`, counting each edge (a self loop once).
#[inline]
pub(crate) fn degree_at(g: &Graph, v: usize) -> f64 {
    g.out_neighbors(v).len() as f64
}

/// Unweighted sum over the in-neighbour terms of `v`, as tight as a hand-written pull loop:
/// a NaN sum means a NaN term, and only then are the terms summed again skipping NaNs. No
/// terms give -0.0.
#[inline]
pub(crate) fn in_sum_at(x: &[f64], g: &Graph, v: usize) -> f64 {
    let s = g.in_neighbors(v).iter().fold(-0.0, |acc, &u| acc + x[u as usize]);
    if !s.is_nan() {
        return s;
    }
    g.in_neighbors(v).iter().map(|&u| x[u as usize]).filter(|t| !t.is_nan()).fold(-0.0, |a, t| a + t)
}

/// `neighbor_agg` at node `v`: over its in-neighbour terms (one per edge, times the edge's
/// weight when `weighted`), NaN terms skipped. Sum of no terms is -0.0, mean 0.0,
/// min/max/mode none (NaN).
pub(crate) fn in_agg_at(agg: Agg, weighted: bool, x: &[f64], int: bool, g: &Graph, v: usize) -> f64 {
    let weights = if weighted { g.in_weights(v) } else { None };
    let term = |k: usize, u: u32| -> f64 {
        let value = x[u as usize];
        match weights {
            Some(w) => value * w[k],
            None => value,
        }
    };
    let terms = g.in_neighbors(v).iter().enumerate().map(|(k, &u)| term(k, u)).filter(|t| !t.is_nan());
    match agg {
        Agg::Sum if !weighted => in_sum_at(x, g, v),
        Agg::Sum => terms.fold(-0.0, |acc, t| acc + t),
        Agg::Mean => {
            let (acc, count) = terms.fold((0.0, 0usize), |(a, c), t| (a + t, c + 1));
            if count == 0 { 0.0 } else { acc / count as f64 }
        }
        Agg::Min | Agg::Max => terms.fold(f64::NAN, |best, t| {
            if best.is_nan() || (agg == Agg::Min && t < best) || (agg == Agg::Max && t > best) { t } else { best }
        }),
        Agg::Mode => mode_of(&terms.collect::<Vec<f64>>(), int).unwrap_or(f64::NAN),
    }
}

/// True when `neighbor_agg`'s result of an Int map is an Int (only the mode is).
pub(crate) fn in_agg_keeps_int(agg: Agg) -> bool {
    agg == Agg::Mode
}

/// `fused_neighbor_mul_agg` at node `v`: the sum over in-neighbour terms u of
/// `x[u] * s(u)` (groggy ignores `metadata.agg` here).
#[inline]
pub(crate) fn in_mul_sum_at(x: &[f64], s: impl Fn(usize) -> f64, g: &Graph, v: usize) -> f64 {
    g.in_neighbors(v).iter().fold(-0.0, |acc, &u| acc + x[u as usize] * s(u as usize))
}

/// Distinct out-neighbours of `v`, ascending.
fn distinct_out(g: &Graph, v: usize, scratch: &mut Vec<u32>) {
    scratch.clear();
    scratch.extend_from_slice(g.out_neighbors(v));
    scratch.sort_unstable();
    scratch.dedup();
}

/// `map_nodes`' `AGG(x[neighbors(node)])` at node `v` over the values `x`; 0 without
/// out-neighbours.
pub(crate) fn map_at(agg: Agg, x: &[f64], int: bool, g: &Graph, v: usize, scratch: &mut Vec<u32>) -> f64 {
    distinct_out(g, v, scratch);
    if scratch.is_empty() {
        return 0.0;
    }
    match agg {
        Agg::Sum => scratch.iter().fold(0.0, |acc, &w| acc + x[w as usize]),
        Agg::Mean => scratch.iter().fold(0.0, |acc, &w| acc + x[w as usize]) / scratch.len() as f64,
        _ => {
            let list: Vec<f64> = scratch.iter().map(|&w| x[w as usize]).collect();
            mode_of(&list, int).unwrap_or(0.0)
        }
    }
}

/// True when `map_nodes`' result of an Int map is an Int.
pub(crate) fn map_keeps_int(agg: Agg) -> bool {
    agg != Agg::Mean
}

/// The asynchronous `map_nodes` sweep: nodes in ascending order, each result written back
/// at once so later nodes read it. One chunk: the sweep is sequential by definition.
pub(crate) struct AsyncMapPass<'a> {
    agg: Agg,
    x: std::sync::Arc<Value>,
    graph: &'a Graph,
    out: std::sync::Mutex<Option<Value>>,
}

impl<'a> AsyncMapPass<'a> {
    /// The sweep of `agg` over `x` (checked: a node map of the graph's size).
    pub(crate) fn new(agg: Agg, x: std::sync::Arc<Value>, graph: &'a Graph) -> Result<AsyncMapPass<'a>, String> {
        check_len(node_map(&x, Op::MapNodes.name())?.values.len(), graph)?;
        Ok(AsyncMapPass { agg, x, graph, out: std::sync::Mutex::new(None) })
    }
}

impl NodePass for AsyncMapPass<'_> {
    fn chunks(&self) -> usize {
        1
    }

    fn run(&self, _pass: usize, _chunk: usize) -> Result<(), KernelError> {
        let m = node_map(&self.x, Op::MapNodes.name())?;
        let mut cur = crate::exec::buffers::take(m.values.len());
        cur.copy_from_slice(&m.values);
        let mut scratch = Vec::new();
        for v in 0..self.graph.node_count() {
            cur[v] = map_at(self.agg, &cur, m.int, self.graph, v, &mut scratch);
        }
        let int = m.int && map_keeps_int(self.agg);
        *self.out.lock().unwrap_or_else(|e| e.into_inner()) = Some(Value::Map(NodeMap { values: cur, int }));
        Ok(())
    }

    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError> {
        Ok(vec![self.out.lock().unwrap_or_else(|e| e.into_inner()).take()])
    }
}

/// `collect_neighbor_values`: per node, its own value first when `include_self`, then the
/// value at the target of each out-edge.
pub(crate) struct CollectPass<'a> {
    include_self: bool,
    x: std::sync::Arc<Value>,
    graph: &'a Graph,
    lists: std::sync::Mutex<PerChunk<Vec<Vec<f64>>>>,
    int: bool,
}

impl<'a> CollectPass<'a> {
    /// Lists of `x`'s values (checked: a node map of the graph's size).
    pub(crate) fn new(
        include_self: bool,
        x: std::sync::Arc<Value>,
        graph: &'a Graph,
    ) -> Result<CollectPass<'a>, String> {
        let m = node_map(&x, Op::CollectNeighborValues.name())?;
        check_len(m.values.len(), graph)?;
        let int = m.int;
        let chunks = chunk_count(graph.node_count());
        Ok(CollectPass { include_self, x, graph, lists: std::sync::Mutex::new(PerChunk::new(chunks)), int })
    }
}

impl NodePass for CollectPass<'_> {
    fn chunks(&self) -> usize {
        chunk_count(self.graph.node_count())
    }

    fn run(&self, _pass: usize, chunk: usize) -> Result<(), KernelError> {
        let m = node_map(&self.x, Op::CollectNeighborValues.name())?;
        let lists: Vec<Vec<f64>> = chunk_range(self.graph.node_count(), chunk)
            .map(|v| {
                let mut l = Vec::with_capacity(self.graph.out_neighbors(v).len() + 1);
                if self.include_self {
                    l.push(m.values[v]);
                }
                l.extend(self.graph.out_neighbors(v).iter().map(|&w| m.values[w as usize]));
                l
            })
            .collect();
        self.lists.lock().unwrap_or_else(|e| e.into_inner()).set(chunk, lists);
        Ok(())
    }

    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError> {
        let parts = self.lists.lock().unwrap_or_else(|e| e.into_inner()).take_all();
        let lists: Vec<Vec<f64>> = parts.into_iter().flatten().flatten().collect();
        Ok(vec![Some(Value::Lists(NodeLists { lists, int: self.int }))])
    }
}

/// `mode_list`: the most frequent value of each list; none (NaN) for an empty list.
pub(crate) struct ModeListPass {
    tie: TieBreak,
    lists: std::sync::Arc<Value>,
    out: ChunkedMap,
    int: bool,
}

impl ModeListPass {
    /// The modes of `lists` (checked: a map of lists).
    pub(crate) fn new(tie: TieBreak, lists: std::sync::Arc<Value>) -> Result<ModeListPass, String> {
        let Value::Lists(l) = &*lists else {
            return Err(format!("mode_list needs a map of lists, got {}", lists.kind()));
        };
        let (n, int) = (l.lists.len(), l.int);
        Ok(ModeListPass { tie, lists, out: ChunkedMap::new(n), int })
    }

    fn len(&self) -> usize {
        match &*self.lists {
            Value::Lists(l) => l.lists.len(),
            _ => 0,
        }
    }
}

impl NodePass for ModeListPass {
    fn chunks(&self) -> usize {
        chunk_count(self.len())
    }

    fn run(&self, _pass: usize, chunk: usize) -> Result<(), KernelError> {
        let Value::Lists(l) = &*self.lists else { return Ok(()) };
        let first = chunk_range(self.len(), chunk).start;
        // SAFETY: the scheduler hands each chunk to one caller, once.
        let out = unsafe { self.out.chunk_mut(chunk) };
        for (i, o) in out.iter_mut().enumerate() {
            *o = mode_with(&l.lists[first + i], self.tie).unwrap_or(f64::NAN);
        }
        Ok(())
    }

    fn finish(&self) -> Result<Vec<Option<Value>>, KernelError> {
        Ok(vec![Some(Value::Map(NodeMap { values: self.out.take(), int: self.int }))])
    }
}

/// groggy's `map_nodes` mode: Int ties go to the smallest value; Float ties to the value
/// whose bits, read as a signed integer, are smallest.
pub(crate) fn mode_of(list: &[f64], int: bool) -> Option<f64> {
    let mut sorted = list.to_vec();
    if int {
        sorted.sort_by(f64::total_cmp);
    } else {
        sorted.sort_by_key(|&x| x.to_bits() as i64);
    }
    most_frequent_first(&sorted)
}

/// `mode_list`'s mode with an explicit tie break.
fn mode_with(list: &[f64], tie: TieBreak) -> Option<f64> {
    let mut sorted = list.to_vec();
    sorted.sort_by(f64::total_cmp);
    match tie {
        TieBreak::Lowest => most_frequent_first(&sorted),
        TieBreak::Highest => {
            sorted.reverse();
            most_frequent_first(&sorted)
        }
        TieBreak::Keep => {
            let best = runs(&sorted).map(|(_, n)| n).max()?;
            let count = |x: f64| list.iter().filter(|&&y| y.to_bits() == x.to_bits()).count();
            list.iter().copied().find(|&x| count(x) == best)
        }
    }
}

/// Runs of equal values in a sorted list: (value, length).
fn runs(sorted: &[f64]) -> impl Iterator<Item = (f64, usize)> + '_ {
    sorted.chunk_by(|a, b| a.to_bits() == b.to_bits()).map(|run| (run[0], run.len()))
}

/// The value of the first longest run.
fn most_frequent_first(sorted: &[f64]) -> Option<f64> {
    let mut best: Option<(f64, usize)> = None;
    for (x, n) in runs(sorted) {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((x, n));
        }
    }
    best.map(|(x, _)| x)
}
