//! Property tests of the analysis on random IRs.
//!
//! Each case is a random groggy IR written as JSON text and loaded through
//! `irtop::ir::load_bytes`, so the loader is exercised too. Variables come from a small
//! pool, so that they are read and written many times: in-place rewrites, reads before
//! any write (external inputs), reads before a later write, side effects without output.
//!
//! Every invariant is checked against an independent brute-force computation over
//! `analysis.deps.edges` (or over the generated nodes), never against the analysis'
//! own intermediate tables.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use irtop::analysis::{Analysis, DepKind, analyze};
use irtop::ir::{Ir, NodeId, VarId, load_bytes};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Variables a random IR may mention.
const POOL: usize = 6;

/// The op types a random IR draws from.
const OPS: &[&str] = &["add", "mul", "constant", "init_nodes", "neighbor_agg", "degree", "attach", "update_in_place"];

/// One generated node, before it becomes JSON: an op index, two candidate inputs, a
/// candidate output and a choice of how the output is formed. Kept as plain numbers so
/// that proptest shrinks it well.
#[derive(Debug, Clone, Copy)]
struct GenNode {
    op: usize,
    a: usize,
    b: usize,
    out: usize,
    out_kind: u8,
}

/// A generated node as the test expects the loader to see it.
#[derive(Debug, Clone)]
struct Spec {
    op: &'static str,
    inputs: Vec<usize>,
    /// The variable the node writes (output, or `metadata.target` of an `update_in_place`).
    writes: Option<usize>,
    /// Whether the JSON gives the write as `output` (else as `metadata.target`, or not at all).
    output_in_json: bool,
}

fn var_name(v: usize) -> String {
    format!("v{v}")
}

impl GenNode {
    fn spec(self) -> Spec {
        let op = OPS[self.op];
        let inputs = match op {
            "add" | "mul" => vec![self.a, self.b],
            "constant" | "init_nodes" => vec![],
            "neighbor_agg" | "update_in_place" => vec![self.a],
            "degree" => {
                if self.out_kind.is_multiple_of(2) {
                    vec![]
                } else {
                    vec![self.a]
                }
            }
            "attach" => {
                if self.out_kind.is_multiple_of(2) {
                    vec![self.a]
                } else {
                    vec![self.a, self.b]
                }
            }
            _ => unreachable!(),
        };
        // The output: absent for attach, otherwise often one of the node's own inputs
        // (an in-place rewrite), else the drawn variable.
        let (writes, output_in_json) = match (op, self.out_kind) {
            ("attach", _) => (None, false),
            // update_in_place naming its target only in metadata: the loader fills output.
            ("update_in_place", 3) => (Some(self.out), false),
            (_, 0) if !inputs.is_empty() => (Some(inputs[0]), true),
            (_, 1) if !inputs.is_empty() => (Some(*inputs.last().unwrap()), true),
            _ => (Some(self.out), true),
        };
        Spec { op, inputs, writes, output_in_json }
    }
}

fn domain(op: &str) -> &'static str {
    match op {
        "neighbor_agg" | "degree" => "graph",
        "attach" => "attr",
        _ => "core",
    }
}

/// The groggy JSON text of a program made of `specs`.
fn ir_json(specs: &[Spec]) -> String {
    let nodes: Vec<Value> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut metadata = serde_json::Map::new();
            match s.op {
                "constant" => {
                    metadata.insert("value".into(), json!(1.5));
                }
                "init_nodes" => {
                    metadata.insert("default".into(), json!(0.0));
                }
                "neighbor_agg" => {
                    metadata.insert("agg".into(), json!("sum"));
                }
                "attach" => {
                    metadata.insert("name".into(), json!(format!("attr{i}")));
                }
                "update_in_place" => {
                    if let Some(t) = s.writes {
                        metadata.insert("target".into(), json!(var_name(t)));
                    }
                    metadata.insert("ordered".into(), json!(true));
                }
                _ => {}
            }
            let mut node = json!({
                "id": format!("n{i}"),
                "domain": domain(s.op),
                "op_type": s.op,
                "inputs": s.inputs.iter().map(|&v| var_name(v)).collect::<Vec<_>>(),
                "metadata": metadata,
            });
            if s.output_in_json {
                node["output"] = json!(var_name(s.writes.expect("an output in JSON is a write")));
            }
            node
        })
        .collect();
    serde_json::to_string_pretty(&json!({"name": "p", "nodes": nodes})).expect("a Value serialises")
}

fn gen_node() -> impl Strategy<Value = GenNode> {
    (0..OPS.len(), 0..POOL, 0..POOL, 0..POOL, 0u8..4).prop_map(|(op, a, b, out, out_kind)| GenNode {
        op,
        a,
        b,
        out,
        out_kind,
    })
}

/// A random program: its node specs and its JSON text.
fn program() -> impl Strategy<Value = (Vec<Spec>, String)> {
    prop::collection::vec(gen_node(), 0..60).prop_map(|nodes| {
        let specs: Vec<Spec> = nodes.into_iter().map(GenNode::spec).collect();
        let text = ir_json(&specs);
        (specs, text)
    })
}

fn load(text: &str) -> Ir {
    load_bytes(text.as_bytes(), Path::new("random.ir.json"))
        .unwrap_or_else(|e| panic!("a generated IR must load: {e}\n{text}"))
}

/// Longest path ending at each node, weighted by `weight`, by relaxing every edge until
/// nothing changes (no reliance on edge order). `None` if it never settles (a cycle).
fn longest_ending_at(analysis: &Analysis, n: usize, weight: impl Fn(usize) -> f64) -> Option<Vec<f64>> {
    let mut best: Vec<f64> = (0..n).map(&weight).collect();
    for _ in 0..=n {
        let mut changed = false;
        for e in &analysis.deps.edges {
            let (f, t) = (e.from.index(), e.to.index());
            let candidate = best[f] + weight(t);
            if candidate > best[t] {
                best[t] = candidate;
                changed = true;
            }
        }
        if !changed {
            return Some(best);
        }
    }
    None
}

fn has_edge(analysis: &Analysis, from: NodeId, to: NodeId) -> bool {
    analysis.deps.edges.iter().any(|e| e.from == from && e.to == to)
}

const CASES: u32 = 256;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// The loader reads back what the generator wrote, and effects are its inputs and output.
    #[test]
    fn effects_match_generated_nodes((specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        prop_assert_eq!(ir.nodes.len(), specs.len());
        prop_assert_eq!(a.effects.len(), specs.len());
        let id = |v: usize| ir.vars.get(&var_name(v)).expect("a mentioned variable is interned");
        for (i, s) in specs.iter().enumerate() {
            let mut reads: Vec<VarId> = Vec::new();
            for &v in &s.inputs {
                if !reads.contains(&id(v)) {
                    reads.push(id(v));
                }
            }
            let writes: Vec<VarId> = s.writes.map(id).into_iter().collect();
            prop_assert_eq!(&a.effects.of(NodeId(i as u32)).reads, &reads, "reads of n{}", i);
            prop_assert_eq!(&a.effects.of(NodeId(i as u32)).writes, &writes, "writes of n{}", i);
            prop_assert_eq!(a.effects.of(NodeId(i as u32)).side_effect, s.op == "attach", "side effect of n{}", i);
        }
    }

    /// 1. Every edge goes forward in program order and to a strictly higher level.
    #[test]
    fn edges_go_forward_in_order_and_up_in_level((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        prop_assert_eq!(a.levels.level_of.len(), ir.nodes.len());
        for e in &a.deps.edges {
            prop_assert!(e.from.index() < ir.nodes.len() && e.to.index() < ir.nodes.len(),
                "edge {:?} names a node outside the IR", e);
            prop_assert!(e.from < e.to, "edge {:?} does not go from an earlier node to a later one", e);
            prop_assert!(a.levels.level(e.from) < a.levels.level(e.to),
                "edge {:?} goes from level {} to level {}", e, a.levels.level(e.from), a.levels.level(e.to));
        }
    }

    /// 2. The number of levels is the longest path counted in nodes, and so is the
    /// longest chain; each node's level is the longest path ending at it, minus one.
    #[test]
    fn level_count_is_longest_path_in_nodes((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let n = ir.nodes.len();
        let Some(depth) = longest_ending_at(&a, n, |_| 1.0) else {
            return Err(TestCaseError::fail("the dependency graph has a cycle"));
        };
        let longest = depth.iter().fold(0.0f64, |m, &d| m.max(d)) as usize;
        prop_assert_eq!(a.levels.len(), longest, "level count vs brute-force longest path");
        prop_assert_eq!(a.longest_chain.ops(), longest, "longest_chain.ops() vs brute-force longest path");
        prop_assert_eq!(a.longest_chain.cost as usize, longest, "longest_chain.cost vs its length");
        for (i, &d) in depth.iter().enumerate() {
            prop_assert_eq!(a.levels.level_of[i] as usize + 1, d as usize, "level of n{}", i);
        }
        for w in a.longest_chain.nodes.windows(2) {
            prop_assert!(has_edge(&a, w[0], w[1]), "longest chain step {:?} -> {:?} is not an edge", w[0], w[1]);
        }
    }

    /// 3. The sequential order runs every node once and respects every edge.
    #[test]
    fn sequential_order_is_topological((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let n = ir.nodes.len();
        let order = &a.sequential(&ir).order;
        prop_assert_eq!(order.len(), n, "order length");
        let mut pos = vec![usize::MAX; n];
        for (p, &node) in order.iter().enumerate() {
            prop_assert!(node.index() < n, "order names {:?}, outside the IR", node);
            prop_assert!(pos[node.index()] == usize::MAX, "{:?} appears twice in the order", node);
            pos[node.index()] = p;
        }
        for e in &a.deps.edges {
            prop_assert!(pos[e.from.index()] < pos[e.to.index()],
                "edge {:?} is run backwards (positions {} and {})", e, pos[e.from.index()], pos[e.to.index()]);
        }
    }

    /// 4. Groups partition the nodes, and group k holds exactly the nodes of level k.
    #[test]
    fn groups_partition_nodes_by_level((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let n = ir.nodes.len();
        prop_assert_eq!(a.groups.len(), a.levels.len(), "one group per level");
        let mut seen = vec![0usize; n];
        for (k, g) in a.groups.iter().enumerate() {
            prop_assert!(!g.nodes.is_empty(), "group {} is empty", k);
            prop_assert_eq!(&g.nodes, &a.levels.levels[k], "group {} vs level {}", k, k);
            for &node in &g.nodes {
                prop_assert_eq!(a.levels.level(node) as usize, k, "{:?} is in group {} but at another level", node, k);
                seen[node.index()] += 1;
            }
        }
        for (i, &count) in seen.iter().enumerate() {
            prop_assert_eq!(count, 1, "n{} is in {} groups", i, count);
        }
    }

    /// 5. Variables alive at the same time never share a slot, every use lies in its
    /// variable's live range, and the slot count is both the number of distinct slots
    /// and the most variables alive at one position.
    #[test]
    fn slots_never_hold_two_live_variables((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let plan = &a.sequential(&ir);
        let ranges = &plan.live_ranges;
        let mut pos = vec![0usize; ir.nodes.len()];
        for (p, &node) in plan.order.iter().enumerate() {
            pos[node.index()] = p;
        }
        // Every use of a variable is inside its (single) live range.
        for (i, fx) in a.effects.iter().enumerate() {
            for &v in fx.reads.iter().chain(fx.writes) {
                let mine: Vec<_> = ranges.iter().filter(|r| r.var == v).collect();
                prop_assert_eq!(mine.len(), 1, "{} has {} live ranges", ir.var(v), mine.len());
                let r = mine[0];
                prop_assert!(r.start <= pos[i] && pos[i] <= r.end,
                    "n{} uses {} at position {} outside its live range [{}, {}]", i, ir.var(v), pos[i], r.start, r.end);
            }
        }
        for r in ranges {
            prop_assert!(r.start <= r.end, "{} has an empty range [{}, {}]", ir.var(r.var), r.start, r.end);
            prop_assert!(plan.slot(r.var).is_some(), "{} is live but has no slot", ir.var(r.var));
        }
        for (x, r) in ranges.iter().enumerate() {
            for s in &ranges[x + 1..] {
                let overlap = r.start <= s.end && s.start <= r.end;
                if overlap {
                    prop_assert_ne!(plan.slot(r.var), plan.slot(s.var),
                        "{} [{}, {}] and {} [{}, {}] overlap but share a slot",
                        ir.var(r.var), r.start, r.end, ir.var(s.var), s.start, s.end);
                }
            }
        }
        let used: BTreeSet<u32> = ranges.iter().filter_map(|r| plan.slot(r.var)).collect();
        prop_assert_eq!(plan.max_live_variables, used.len(), "max_live_variables vs distinct slots used");
        let most_alive = (0..plan.order.len())
            .map(|p| ranges.iter().filter(|r| r.start <= p && p <= r.end).count())
            .max()
            .unwrap_or(0);
        prop_assert_eq!(plan.max_live_variables, most_alive, "max_live_variables vs most ranges alive at one position");
    }

    /// 6. No node depends on itself; read-after-write edges come from the latest earlier
    /// writer of their variable, and every read of an earlier-written variable has one.
    #[test]
    fn read_after_write_edges_come_from_latest_writer((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let latest_writer_before = |to: usize, v: VarId| (0..to).rev().find(|&j| a.effects.of(NodeId(j as u32)).writes.contains(&v));
        for e in &a.deps.edges {
            prop_assert_ne!(e.from, e.to, "a node depends on itself: {:?}", e);
            if e.kind == DepKind::ReadAfterWrite {
                let Some(v) = e.var else {
                    return Err(TestCaseError::fail(format!("read-after-write edge {e:?} has no variable")));
                };
                prop_assert!(a.effects.of(e.to).reads.contains(&v),
                    "edge {:?}: n{} does not read {}", e, e.to.index(), ir.var(v));
                prop_assert_eq!(latest_writer_before(e.to.index(), v), Some(e.from.index()),
                    "edge {:?} on {}: not from the latest earlier writer", e, ir.var(v));
            }
        }
        let raw: HashSet<(usize, usize, VarId)> = a
            .deps
            .edges
            .iter()
            .filter(|e| e.kind == DepKind::ReadAfterWrite)
            .filter_map(|e| Some((e.from.index(), e.to.index(), e.var?)))
            .collect();
        for (i, fx) in a.effects.iter().enumerate() {
            for &v in fx.reads {
                if let Some(w) = latest_writer_before(i, v) {
                    prop_assert!(raw.contains(&(w, i, v)),
                        "n{} reads {} written by n{} but has no read-after-write edge from it", i, ir.var(v), w);
                }
            }
        }
    }

    /// The edge set is exactly the hazards of program order, found by brute force over
    /// pairs of nodes: read-after-write from the latest earlier writer; write-after-write
    /// from the previous writer; write-after-read from each node that read the variable
    /// since its last write (a node that reads and rewrites it orders later writers by
    /// write-after-write instead); side-effect order between consecutive side effects.
    #[test]
    fn edges_are_exactly_the_program_order_hazards((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let fx: Vec<_> = a.effects.iter().collect();
        let n = ir.nodes.len();
        let writes_between = |lo: usize, hi: usize, v: VarId| (lo..hi).any(|k| fx[k].writes.contains(&v));
        let mut expected: Vec<(usize, usize, DepKind, Option<VarId>)> = Vec::new();
        for j in 0..n {
            for i in 0..j {
                for &v in fx[j].reads {
                    if fx[i].writes.contains(&v) && !writes_between(i + 1, j, v) {
                        expected.push((i, j, DepKind::ReadAfterWrite, Some(v)));
                    }
                }
                for &v in fx[j].writes {
                    if fx[i].writes.contains(&v) && !writes_between(i + 1, j, v) {
                        expected.push((i, j, DepKind::WriteAfterWrite, Some(v)));
                    }
                    if fx[i].reads.contains(&v) && !writes_between(i, j, v) {
                        expected.push((i, j, DepKind::WriteAfterRead, Some(v)));
                    }
                }
                if fx[i].side_effect && fx[j].side_effect && !(i + 1..j).any(|k| fx[k].side_effect) {
                    expected.push((i, j, DepKind::SideEffectOrder, None));
                }
            }
        }
        let mut actual: Vec<_> = a.deps.edges.iter().map(|e| (e.from.index(), e.to.index(), e.kind, e.var)).collect();
        let key = |e: &(usize, usize, DepKind, Option<VarId>)| (e.0, e.1, e.2.as_str(), e.3);
        expected.sort_by_key(key);
        actual.sort_by_key(key);
        prop_assert_eq!(actual, expected, "dependency edges vs brute-force hazards");
    }

    /// 7. The critical path's cost is the sum of its nodes' spans, its steps are edges,
    /// it is the analysis' span, and no path through the graph is heavier.
    #[test]
    fn critical_path_is_a_heaviest_path((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let n = ir.nodes.len();
        let cp = &a.critical_path;
        let sum: f64 = cp.nodes.iter().map(|&node| a.costs[node.index()].span).sum();
        prop_assert_eq!(cp.cost, sum, "critical path cost vs the sum of its spans");
        prop_assert_eq!(a.span, cp.cost, "span vs critical path cost");
        for w in cp.nodes.windows(2) {
            prop_assert!(has_edge(&a, w[0], w[1]), "critical path step {:?} -> {:?} is not an edge", w[0], w[1]);
        }
        let Some(heaviest) = longest_ending_at(&a, n, |i| a.costs[i].span) else {
            return Err(TestCaseError::fail("the dependency graph has a cycle"));
        };
        let best = heaviest.iter().fold(0.0f64, |m, &d| m.max(d));
        prop_assert_eq!(cp.cost, best, "critical path cost vs the brute-force heaviest path");
        prop_assert_eq!(cp.nodes.is_empty(), n == 0, "critical path is empty only for an empty IR");
    }

    /// 8. The span never exceeds the work, which is the sum of the nodes' work.
    #[test]
    fn span_is_at_most_work((_specs, text) in program()) {
        let ir = load(&text);
        let a = analyze(&ir);
        let work: f64 = a.costs.iter().map(|c| c.work).sum();
        prop_assert_eq!(a.work, work, "work vs the sum of node work");
        prop_assert!(a.span <= a.work, "span {} exceeds work {}", a.span, a.work);
        prop_assert!(a.span >= 0.0, "span {} is negative", a.span);
    }
}
