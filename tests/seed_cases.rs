//! The 15 cases of groggy's `test_ir_parallel.py`, with exact expectations where the
//! seed only checked `>=`.

mod common;

use common::{analysed, levels_as_sets};
use irtop::analysis::DepKind;
use irtop::report::plan::sorted_names;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn dependency_graph_links_each_read_to_its_writer() {
    let (ir, a) = analysed("seed_dependency_graph");
    let edges: Vec<(String, String, DepKind, String)> = a
        .deps
        .edges
        .iter()
        .map(|e| {
            (ir.node(e.from).id.clone(), ir.node(e.to).id.clone(), e.kind, ir.var(e.var.expect("data edge")).to_owned())
        })
        .collect();
    let raw = DepKind::ReadAfterWrite;
    assert_eq!(
        edges,
        vec![
            ("node_0".into(), "node_2".into(), raw, "nodes_0".into()),
            ("node_1".into(), "node_2".into(), raw, "const_1".into()),
            ("node_2".into(), "node_4".into(), raw, "mul_2".into()),
            ("node_3".into(), "node_4".into(), raw, "const_3".into()),
        ]
    );
}

#[test]
fn three_independent_inits_share_one_level() {
    let (ir, a) = analysed("seed_three_inits");
    assert_eq!(levels_as_sets(&ir, &a), vec![ids(&["node_0", "node_1", "node_2"])]);
    assert!(close(a.groups[0].parallelism_factor, 2.0));
    assert!(close(a.estimated_speedup, 2.0));
}

#[test]
fn a_chain_has_one_op_per_dependent_level() {
    let (ir, a) = analysed("seed_chain");
    assert_eq!(levels_as_sets(&ir, &a), vec![ids(&["node_0", "node_1", "node_3"]), ids(&["node_2"]), ids(&["node_4"])]);
    assert_eq!(common::path_ids(&ir, &a.longest_chain.nodes), ids(&["node_0", "node_2", "node_4"]));
}

#[test]
fn a_diamond_has_three_levels() {
    let (ir, a) = analysed("seed_diamond");
    assert_eq!(
        levels_as_sets(&ir, &a),
        vec![ids(&["node_0", "node_1", "node_3"]), ids(&["node_2", "node_4"]), ids(&["node_5"])]
    );
    assert!(close(a.estimated_speedup, 11.0 / 6.0));
    assert!(a.use_parallel);
}

#[test]
fn parallel_groups_carry_groggy_fields() {
    let (ir, a) = analysed("seed_group_creation");
    type GroupRow<'a> = (Vec<String>, Vec<&'a str>, Vec<&'a str>, Vec<usize>, f64);
    let g: Vec<GroupRow> = a
        .groups
        .iter()
        .map(|g| {
            (
                common::path_ids(&ir, &g.nodes),
                sorted_names(&ir, &g.shared_inputs),
                sorted_names(&ir, &g.outputs),
                g.depends_on.clone(),
                g.parallelism_factor,
            )
        })
        .collect();
    let expected: Vec<GroupRow> = vec![
        (ids(&["node_0", "node_1", "node_3"]), vec![], vec!["const_1", "const_3", "nodes_0"], vec![], 2.0),
        (ids(&["node_2", "node_4"]), vec!["const_1", "const_3", "nodes_0"], vec!["add_4", "mul_2"], vec![0], 2.0),
        (ids(&["node_5"]), vec!["add_4", "mul_2"], vec!["add_5"], vec![1], 1.0),
    ];
    assert_eq!(g, expected);
}

#[test]
fn data_parallel_and_thread_safe_classes() {
    use irtop::analysis::groggy::{is_data_parallel_op, is_thread_safe_op};
    for op in ["add", "mul", "where", "sqrt", "select"] {
        assert!(is_data_parallel_op(op), "{op}");
    }
    for op in ["neighbor_agg", "degree", "reduce", "recip", "broadcast_scalar"] {
        assert!(!is_data_parallel_op(op), "{op}");
    }
    for op in ["attach", "store", "save", "print", "debug"] {
        assert!(!is_thread_safe_op(op), "{op}");
    }
    assert!(is_thread_safe_op("map_nodes") && is_thread_safe_op("update_in_place"));
}

#[test]
fn irtop_does_not_call_in_place_sweeps_thread_safe() {
    let (ir, _) = analysed("lpa_single_pass");
    let sweep = ir.node(ir.find("node_1").expect("sweep"));
    assert!(irtop::ir::op::is_sequential_sweep(sweep));
    assert!(!irtop::ir::op::is_thread_safe(sweep));
    let (ir, _) = analysed("seed_diamond");
    assert!(irtop::ir::op::is_thread_safe(ir.node(ir.find("node_2").expect("mul"))));
}

#[test]
fn eight_wide_factors_cap_at_eight() {
    let (_, a) = analysed("seed_eight_wide");
    let factors: Vec<f64> = a.groups.iter().map(|g| g.parallelism_factor).collect();
    assert_eq!(factors, vec![4.5, 8.0, 8.0]);
    assert!(close(a.estimated_speedup, 6.196969696969697));
}

#[test]
fn speedup_is_the_size_weighted_mean_of_factors() {
    let (_, a) = analysed("seed_speedup_mix");
    let factors: Vec<f64> = a.groups.iter().map(|g| g.parallelism_factor).collect();
    assert_eq!(factors, vec![2.5, 3.0, 1.0, 1.0]);
    assert!(close(a.estimated_speedup, (4.0 * 2.5 + 3.0 * 3.0 + 1.0 + 1.0) / 9.0));
}

#[test]
fn full_plan_has_groups_and_a_sequential_fallback() {
    let (ir, a) = analysed("seed_full_plan");
    assert_eq!(a.groups.len(), 4);
    let order: Vec<String> = common::path_ids(&ir, &a.sequential(&ir).order);
    assert_eq!(order, (0..9).map(|i| format!("node_{i}")).collect::<Vec<_>>());
    // At node_6 (div) nodes_0, mul_2, add_4, const_5 and div_6 are all live.
    assert_eq!(a.sequential(&ir).max_live_variables, 5);
    let constants: Vec<(String, f64)> = a
        .sequential(&ir)
        .constants
        .iter()
        .map(|(v, val)| (ir.var(*v).to_owned(), val.as_f64().expect("number")))
        .collect();
    assert_eq!(constants, vec![("const_1".into(), 2.0), ("const_3".into(), 1.0), ("const_5".into(), 2.0)]);
    assert!(close(a.estimated_speedup, 2.3333333333333335));
}

#[test]
fn cse_keeps_the_levels() {
    let (ir_b, before) = analysed("seed_cse_before");
    let (ir_a, after) = analysed("seed_cse_after");
    let expected =
        vec![ids(&["node_0", "node_1", "node_3", "node_6"]), ids(&["node_2", "node_4", "node_7"]), ids(&["node_5"])];
    assert_eq!(levels_as_sets(&ir_b, &before), expected);
    assert_eq!(levels_as_sets(&ir_a, &after), expected);
    assert!(close(before.estimated_speedup, 2.5) && close(after.estimated_speedup, 2.5));
}

#[test]
fn pagerank_like_reads_an_unproduced_recip() {
    let (ir, a) = analysed("seed_pagerank_like");
    assert_eq!(levels_as_sets(&ir, &a), vec![ids(&["node_0", "node_1"]), ids(&["node_2", "node_3"])]);
    assert!(a.diagnostics.iter().any(|d| d.code == "external-input" && d.message.contains("recip_3")));
}

#[test]
fn an_empty_ir_has_nothing_to_parallelise() {
    let (_, a) = analysed("seed_empty");
    assert!(a.levels.is_empty() && a.groups.is_empty() && a.critical_path.nodes.is_empty());
    assert_eq!((a.estimated_speedup, a.use_parallel, a.work, a.span), (1.0, false, 0.0, 0.0));
}

#[test]
fn a_single_op_is_not_worth_parallelising() {
    let (_, a) = analysed("seed_single_op");
    assert_eq!(a.groups.len(), 1);
    assert_eq!((a.groups[0].parallelism_factor, a.estimated_speedup, a.use_parallel), (1.0, 1.0, false));
}

#[test]
fn the_threshold_is_strictly_above_1_2() {
    let (_, a) = analysed("seed_threshold");
    assert!(close(a.estimated_speedup, 4.0 / 3.0));
    assert!(a.use_parallel);
    assert!(!irtop::analysis::groggy::use_parallel(1.2));
    assert!(irtop::analysis::groggy::use_parallel(1.2000001));
}
