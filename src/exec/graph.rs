//! The graph an IR runs on: directed, `u32` node ids, compressed sparse rows by source
//! (out-neighbours) and by destination (in-neighbours), optional edge weights.
//!
//! # Complexity
//! Building is O(V + E) (two counting sorts); neighbour lookups are O(1) slices.

use std::collections::TryReserveError;

/// A directed graph in CSR form, both ways.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    node_count: usize,
    out_start: Vec<u64>,
    out_targets: Vec<u32>,
    out_weights: Option<Vec<f64>>,
    in_start: Vec<u64>,
    in_sources: Vec<u32>,
    in_weights: Option<Vec<f64>>,
    /// Where the graph came from, for reports (`tiny.edges`, `rmat:18:16:seed=1`).
    pub source: String,
}

impl Graph {
    /// Builds a graph of `node_count` nodes from edges `(u, v)` and optional per-edge
    /// weights. Each node's neighbours keep the order the edges were given in.
    ///
    /// Panics if an id is `>= node_count` or `weights` has another length than `edges`:
    /// parsers and generators check ids before they get here.
    pub fn from_edges(node_count: usize, edges: &[(u32, u32)], weights: Option<&[f64]>, source: String) -> Graph {
        Graph::try_from_edges(node_count, edges, weights, source).expect("memory for the graph")
    }

    /// [`Graph::from_edges`], with every array reserved fallibly: an `Err` when the
    /// allocator cannot give the memory (instead of aborting the process).
    pub(crate) fn try_from_edges(
        node_count: usize,
        edges: &[(u32, u32)],
        weights: Option<&[f64]>,
        source: String,
    ) -> Result<Graph, TryReserveError> {
        if let Some(w) = weights {
            assert_eq!(w.len(), edges.len(), "one weight per edge");
        }
        let (out_start, out_order) = counting_sort(node_count, edges.iter().map(|&(u, _)| u))?;
        let (in_start, in_order) = counting_sort(node_count, edges.iter().map(|&(_, v)| v))?;
        let out_targets = try_collect(out_order.iter().map(|&e| edges[e as usize].1))?;
        let in_sources = try_collect(in_order.iter().map(|&e| edges[e as usize].0))?;
        let (out_weights, in_weights) = match weights {
            Some(w) => (
                Some(try_collect(out_order.iter().map(|&e| w[e as usize]))?),
                Some(try_collect(in_order.iter().map(|&e| w[e as usize]))?),
            ),
            None => (None, None),
        };
        Ok(Graph { node_count, out_start, out_targets, out_weights, in_start, in_sources, in_weights, source })
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_count
    }

    /// Number of directed edges (parallel edges and self loops included).
    pub fn edge_count(&self) -> usize {
        self.out_targets.len()
    }

    /// Targets of `v`'s out-edges, one entry per edge.
    pub fn out_neighbors(&self, v: usize) -> &[u32] {
        &self.out_targets[self.out_start[v] as usize..self.out_start[v + 1] as usize]
    }

    /// Sources of `v`'s in-edges, one entry per edge.
    pub fn in_neighbors(&self, v: usize) -> &[u32] {
        &self.in_sources[self.in_start[v] as usize..self.in_start[v + 1] as usize]
    }

    /// Weights of `v`'s in-edges, aligned with [`Graph::in_neighbors`], when the graph has weights.
    pub(crate) fn in_weights(&self, v: usize) -> Option<&[f64]> {
        self.in_weights.as_ref().map(|w| &w[self.in_start[v] as usize..self.in_start[v + 1] as usize])
    }

    /// Weights of `v`'s out-edges, aligned with [`Graph::out_neighbors`].
    pub fn out_weights(&self, v: usize) -> Option<&[f64]> {
        self.out_weights.as_ref().map(|w| &w[self.out_start[v] as usize..self.out_start[v + 1] as usize])
    }

    /// True when edges carry weights.
    pub fn has_weights(&self) -> bool {
        self.in_weights.is_some()
    }
}

/// A vector of `len` copies of `value`, reserved fallibly.
pub(crate) fn try_filled<T: Clone>(len: usize, value: T) -> Result<Vec<T>, TryReserveError> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)?;
    v.resize(len, value);
    Ok(v)
}

/// Collects an iterator of known length into a vector reserved fallibly.
fn try_collect<T>(items: impl ExactSizeIterator<Item = T>) -> Result<Vec<T>, TryReserveError> {
    let mut v = Vec::new();
    v.try_reserve_exact(items.len())?;
    v.extend(items);
    Ok(v)
}

/// Stable counting sort of edge indices by `key`: offsets per key and the edge order.
fn counting_sort(n: usize, keys: impl Iterator<Item = u32> + Clone) -> Result<(Vec<u64>, Vec<u32>), TryReserveError> {
    let mut start = try_filled(n + 1, 0u64)?;
    for k in keys.clone() {
        start[k as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill: Vec<u64> = try_collect(start[..n].iter().copied())?;
    let mut order = try_filled(start[n] as usize, 0u32)?;
    for (e, k) in keys.enumerate() {
        let slot = &mut fill[k as usize];
        order[*slot as usize] = e as u32;
        *slot += 1;
    }
    Ok((start, order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_graph_both_ways() {
        // 0->1, 0->2, 1->2, 3->3: a sink (2), a self loop (3), a node without in-edges (0).
        let g = Graph::from_edges(4, &[(0, 1), (0, 2), (1, 2), (3, 3)], None, "tiny".into());
        assert_eq!((g.node_count(), g.edge_count()), (4, 4));
        assert_eq!(g.out_neighbors(0), &[1, 2]);
        assert_eq!(g.out_neighbors(2), &[] as &[u32]);
        assert_eq!(g.in_neighbors(2), &[0, 1]);
        assert_eq!(g.in_neighbors(0), &[] as &[u32]);
        assert_eq!(g.in_neighbors(3), &[3]);
    }

    #[test]
    fn weights_follow_their_edges() {
        let g = Graph::from_edges(3, &[(2, 0), (1, 0), (0, 1)], Some(&[0.5, 2.0, 3.0]), String::new());
        assert_eq!(g.in_neighbors(0), &[2, 1]);
        assert_eq!(g.in_weights(0), Some(&[0.5, 2.0][..]));
        assert_eq!(g.out_weights(0), Some(&[3.0][..]));
    }
}
