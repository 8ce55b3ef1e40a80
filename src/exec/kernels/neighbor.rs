//! Kernels that read the graph: degree, aggregation over in-neighbours, `map_nodes` over
//! distinct out-neighbours (synchronous or as one in-place sweep), neighbour lists and
//! their modes. Directions and empty-neighbourhood results follow groggy 0.5.2.
//!
//! # Complexity
//! O(V + E) work each (a sort of each node's out-neighbours for `map_nodes`).

use super::{tabulate, tabulate_values};
use crate::exec::graph::Graph;
use crate::exec::kernel::{Agg, Par, TieBreak};
use crate::exec::value::{NodeLists, NodeMap, Value};

fn node_map<'a>(v: &'a Value, what: &str) -> Result<&'a NodeMap, String> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(format!("{what} needs a node map, got {}", other.kind())),
    }
}

fn check_len(m: &NodeMap, g: &Graph) -> Result<(), String> {
    if m.values.len() == g.node_count() {
        Ok(())
    } else {
        Err(format!("the map has {} nodes but the graph has {}", m.values.len(), g.node_count()))
    }
}

/// Out-degree, counting each edge (a self loop once).
pub fn degree(g: &Graph, par: Par) -> Value {
    Value::Map(NodeMap { values: tabulate_values(g.node_count(), par, |v| g.out_neighbors(v).len() as f64), int: true })
}

/// `neighbor_agg`: over the in-neighbour terms of each node (one per edge), NaN terms
/// skipped. Sum of no terms is -0.0, mean 0.0, min/max/mode none (NaN).
pub fn neighbor_agg(agg: Agg, weighted: bool, x: &Value, g: &Graph, par: Par) -> Result<Value, String> {
    let m = node_map(x, "neighbor_agg")?;
    check_len(m, g)?;
    let x = &m.values;
    let term = |v: usize, k: usize, u: u32| -> f64 {
        let value = x[u as usize];
        match (weighted, g.in_weights(v)) {
            (true, Some(w)) => value * w[k],
            _ => value,
        }
    };
    let values = match agg {
        // The common case, as tight as a hand-written pull loop: a NaN sum means a NaN
        // term, and only then are the terms summed again skipping NaNs.
        Agg::Sum if !weighted => tabulate_values(g.node_count(), par, |v| {
            let s = g.in_neighbors(v).iter().fold(-0.0, |acc, &u| acc + x[u as usize]);
            if !s.is_nan() {
                return s;
            }
            g.in_neighbors(v).iter().map(|&u| x[u as usize]).filter(|t| !t.is_nan()).fold(-0.0, |a, t| a + t)
        }),
        Agg::Sum => tabulate_values(g.node_count(), par, |v| {
            let mut acc = -0.0;
            for (k, &u) in g.in_neighbors(v).iter().enumerate() {
                let t = term(v, k, u);
                if !t.is_nan() {
                    acc += t;
                }
            }
            acc
        }),
        Agg::Mean => tabulate_values(g.node_count(), par, |v| {
            let (mut acc, mut count) = (0.0, 0usize);
            for (k, &u) in g.in_neighbors(v).iter().enumerate() {
                let t = term(v, k, u);
                if !t.is_nan() {
                    acc += t;
                    count += 1;
                }
            }
            if count == 0 { 0.0 } else { acc / count as f64 }
        }),
        Agg::Min | Agg::Max => tabulate_values(g.node_count(), par, |v| {
            let mut best = f64::NAN;
            for (k, &u) in g.in_neighbors(v).iter().enumerate() {
                let t = term(v, k, u);
                if !t.is_nan() && (best.is_nan() || (agg == Agg::Min && t < best) || (agg == Agg::Max && t > best)) {
                    best = t;
                }
            }
            best
        }),
        Agg::Mode => tabulate_values(g.node_count(), par, |v| {
            let terms: Vec<f64> =
                g.in_neighbors(v).iter().enumerate().map(|(k, &u)| term(v, k, u)).filter(|t| !t.is_nan()).collect();
            mode_of(&terms, m.int).unwrap_or(f64::NAN)
        }),
    };
    let int = agg == Agg::Mode && m.int;
    Ok(Value::Map(NodeMap { values, int }))
}

/// `fused_neighbor_mul_agg`: for each node, the sum over in-neighbour terms u of
/// `values[u] * scalars[u]` (groggy ignores `metadata.agg` here).
pub fn neighbor_mul_sum(values: &Value, scalars: &Value, g: &Graph, par: Par) -> Result<Value, String> {
    let x = node_map(values, "fused_neighbor_mul_agg")?;
    check_len(x, g)?;
    let s: Vec<f64> = match scalars {
        Value::Scalar(s) => vec![s.value; g.node_count()],
        Value::Map(m) => m.values.clone(),
        Value::Lists(_) => return Err("fused_neighbor_mul_agg's scalars must be numbers".into()),
    };
    let out = tabulate_values(g.node_count(), par, |v| {
        g.in_neighbors(v).iter().fold(-0.0, |acc, &u| acc + x.values[u as usize] * s[u as usize])
    });
    Ok(Value::float_map(out))
}

/// Distinct out-neighbours of `v`, ascending.
fn distinct_out(g: &Graph, v: usize, scratch: &mut Vec<u32>) {
    scratch.clear();
    scratch.extend_from_slice(g.out_neighbors(v));
    scratch.sort_unstable();
    scratch.dedup();
}

/// `AGG(x[neighbors(node)])` for one node over the current values `x`.
fn map_one(agg: Agg, x: &[f64], int: bool, g: &Graph, v: usize, scratch: &mut Vec<u32>) -> f64 {
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

/// `map_nodes`: each node's aggregate over its distinct out-neighbours. Synchronous: all
/// from the old values. Asynchronous: nodes in ascending order, each result written back
/// at once so later nodes read it (one thread, whatever the mode).
pub fn map_nodes(agg: Agg, asynchronous: bool, x: &Value, g: &Graph, par: Par) -> Result<Value, String> {
    let m = node_map(x, "map_nodes")?;
    check_len(m, g)?;
    let int = m.int && agg != Agg::Mean;
    let values = if asynchronous {
        let mut cur = m.values.clone();
        let mut scratch = Vec::new();
        for v in 0..g.node_count() {
            cur[v] = map_one(agg, &cur, m.int, g, v, &mut scratch);
        }
        cur
    } else {
        tabulate_values(g.node_count(), par, |v| map_one(agg, &m.values, m.int, g, v, &mut Vec::new()))
    };
    Ok(Value::Map(NodeMap { values, int }))
}

/// `collect_neighbor_values`: own value first when `include_self`, then the value at the
/// target of each out-edge.
pub fn collect(include_self: bool, x: &Value, g: &Graph, par: Par) -> Result<Value, String> {
    let m = node_map(x, "collect_neighbor_values")?;
    check_len(m, g)?;
    let lists = tabulate(g.node_count(), par, |v| {
        let mut l = Vec::with_capacity(g.out_neighbors(v).len() + 1);
        if include_self {
            l.push(m.values[v]);
        }
        l.extend(g.out_neighbors(v).iter().map(|&w| m.values[w as usize]));
        l
    });
    Ok(Value::Lists(NodeLists { lists, int: m.int }))
}

/// `mode_list`: the most frequent value of each list; none for an empty list.
pub fn mode_list(tie: TieBreak, lists: &Value, par: Par) -> Result<Value, String> {
    let Value::Lists(l) = lists else {
        return Err(format!("mode_list needs a map of lists, got {}", lists.kind()));
    };
    let values = tabulate_values(l.lists.len(), par, |v| mode_with(&l.lists[v], tie).unwrap_or(f64::NAN));
    Ok(Value::Map(NodeMap { values, int: l.int }))
}

/// groggy's `map_nodes` mode: Int ties go to the smallest value; Float ties to the value
/// whose bits, read as a signed integer, are smallest.
pub fn mode_of(list: &[f64], int: bool) -> Option<f64> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// 0->1, 0->2, 1->2, 3->3
    fn tiny() -> Graph {
        Graph::from_edges(4, &[(0, 1), (0, 2), (1, 2), (3, 3)], None, "tiny".into())
    }

    fn values(v: Value) -> Vec<f64> {
        match v {
            Value::Map(m) => m.values,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn degree_counts_out_edges() {
        assert_eq!(values(degree(&tiny(), Par::Seq)), [2.0, 1.0, 0.0, 1.0]);
    }

    #[test]
    fn neighbor_agg_reads_in_neighbours() {
        let x = Value::float_map(vec![1.0, 10.0, 100.0, 1000.0]);
        let sum = values(neighbor_agg(Agg::Sum, false, &x, &tiny(), Par::Seq).unwrap());
        assert_eq!(sum, [-0.0, 1.0, 11.0, 1000.0]);
        assert!(sum[0].is_sign_negative(), "no terms give -0.0");
        let mean = values(neighbor_agg(Agg::Mean, false, &x, &tiny(), Par::Data).unwrap());
        assert_eq!(mean, [0.0, 1.0, 5.5, 1000.0]);
        let min = values(neighbor_agg(Agg::Min, false, &x, &tiny(), Par::Seq).unwrap());
        assert!(min[0].is_nan());
        assert_eq!(&min[1..], [1.0, 1.0, 1000.0]);
    }

    #[test]
    fn isolated_nodes_get_the_empty_results() {
        // tiny plus node 4 with no edges at all.
        let g = Graph::from_edges(5, &[(0, 1), (0, 2), (1, 2), (3, 3)], None, String::new());
        let x = Value::Map(NodeMap { values: vec![1.0, 2.0, 3.0, 4.0, 5.0], int: true });
        assert_eq!(values(degree(&g, Par::Seq))[4], 0.0);
        assert!(values(neighbor_agg(Agg::Sum, false, &x, &g, Par::Seq).unwrap())[4].is_sign_negative());
        assert_eq!(values(neighbor_agg(Agg::Mean, false, &x, &g, Par::Seq).unwrap())[4], 0.0);
        assert!(values(neighbor_agg(Agg::Max, false, &x, &g, Par::Seq).unwrap())[4].is_nan());
        assert_eq!(
            values(map_nodes(Agg::Mode, false, &x, &g, Par::Seq).unwrap())[4],
            0.0,
            "no out-neighbours: label 0"
        );
        let Value::Lists(l) = collect(false, &x, &g, Par::Seq).unwrap() else { panic!() };
        assert!(l.lists[4].is_empty());
        assert!(values(mode_list(TieBreak::Lowest, &Value::Lists(l), Par::Seq).unwrap())[4].is_nan());
    }

    #[test]
    fn weighted_sum_uses_edge_weights() {
        let g = Graph::from_edges(2, &[(0, 1), (1, 1)], Some(&[2.0, 0.5]), String::new());
        let x = Value::float_map(vec![3.0, 4.0]);
        assert_eq!(values(neighbor_agg(Agg::Sum, true, &x, &g, Par::Seq).unwrap())[1], 8.0);
    }

    #[test]
    fn async_lpa_sweeps_in_node_order() {
        let labels = Value::Map(NodeMap { values: vec![0.0, 1.0, 2.0, 3.0], int: true });
        let g = tiny();
        let s1 = map_nodes(Agg::Mode, true, &labels, &g, Par::Data).unwrap();
        assert_eq!(values(s1.clone()), [1.0, 2.0, 0.0, 3.0]);
        assert_eq!(values(map_nodes(Agg::Mode, true, &s1, &g, Par::Seq).unwrap()), [0.0, 0.0, 0.0, 3.0]);
    }

    #[test]
    fn sync_map_nodes_reads_old_values_of_distinct_out_neighbours() {
        let g = Graph::from_edges(3, &[(0, 1), (0, 1), (0, 2)], None, String::new());
        let x = Value::Map(NodeMap { values: vec![0.0, 2.0, 4.0], int: true });
        assert_eq!(values(map_nodes(Agg::Sum, false, &x, &g, Par::Seq).unwrap()), [6.0, 0.0, 0.0]);
        assert_eq!(values(map_nodes(Agg::Mean, false, &x, &g, Par::Seq).unwrap()), [3.0, 0.0, 0.0]);
    }

    #[test]
    fn collect_and_mode_list() {
        let labels = Value::Map(NodeMap { values: vec![5.0, 6.0, 7.0, 8.0], int: true });
        let l = collect(true, &labels, &tiny(), Par::Seq).unwrap();
        let Value::Lists(lists) = &l else { panic!() };
        assert_eq!(lists.lists, vec![vec![5.0, 6.0, 7.0], vec![6.0, 7.0], vec![7.0], vec![8.0, 8.0]]);
        assert_eq!(values(mode_list(TieBreak::Lowest, &l, Par::Seq).unwrap()), [5.0, 6.0, 7.0, 8.0]);
        assert_eq!(values(mode_list(TieBreak::Highest, &l, Par::Seq).unwrap()), [7.0, 7.0, 7.0, 8.0]);
        assert_eq!(mode_with(&[3.0, 1.0, 1.0, 3.0], TieBreak::Keep), Some(3.0));
        assert_eq!(mode_with(&[], TieBreak::Keep), None);
    }

    #[test]
    fn float_mode_ties_follow_bit_patterns() {
        assert_eq!(mode_of(&[2.0, 1.0], false), Some(1.0));
        assert_eq!(mode_of(&[0.5, -0.0, -1.0], false).map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(mode_of(&[-2.0, -1.0], false), Some(-1.0));
    }
}
