//! Every groggy 0.5.2 fixture: where groggy's dependencies are right, irtop's levels,
//! factors, estimate and decision equal what groggy printed; where they are wrong
//! (fixtures/groggy/README.md, items 1-9), irtop differs, says why, and still reproduces
//! groggy's own numbers in its `groggy` view.

mod common;

use common::{analysed, groggy_plan, json_levels, levels_as_sets};
use irtop::ir::Severity;

/// Fixtures on which groggy's dependency analysis is right.
const GROGGY_RIGHT: &[&str] = &[
    "abs_deviation",
    "abs_deviation_opt",
    "degree_centrality",
    "degree_centrality_scalar",
    "neighbor_mean_blend",
    "neighbor_quality",
    "seed_chain",
    "seed_chain_opt",
    "seed_cse_after",
    "seed_cse_before",
    "seed_cse_opt",
    "seed_dependency_graph",
    "seed_dependency_graph_opt",
    "seed_diamond",
    "seed_diamond_opt",
    "seed_eight_wide",
    "seed_eight_wide_opt",
    "seed_empty",
    "seed_full_plan",
    "seed_full_plan_opt",
    "seed_group_creation",
    "seed_group_creation_opt",
    "seed_pagerank_like",
    "seed_single_op",
    "seed_speedup_mix",
    "seed_speedup_mix_opt",
    "seed_three_inits",
    "seed_threshold",
];

/// Fixtures on which groggy's levels are wrong, with the README item that says why.
const GROGGY_WRONG: &[(&str, &str)] = &[
    ("pagerank_loop", "1: loop reads ignored"),
    ("lpa_loop", "1: loop reads ignored"),
    ("lpa_sync_loop", "1: loop_vars ignored"),
    ("influence_smoothing", "1-2: loop reads and writes ignored"),
    ("lpa_single_pass", "5: in-place op depends on itself"),
    ("lpa_sweep_in_place", "6: write-after-read hazard"),
    ("neighbor_mean_blend_opt", "8: producer after its reader"),
    ("abs_deviation_rebuilt", "9: where mask in metadata"),
    ("abs_deviation_rebuilt_opt", "9: where mask in metadata"),
];

#[test]
fn every_fixture_is_classified() {
    let dir = common::fixture("");
    let mut cases: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".ir.json").map(str::to_owned))
        .collect();
    cases.sort();
    let mut known: Vec<String> =
        GROGGY_RIGHT.iter().map(|s| s.to_string()).chain(GROGGY_WRONG.iter().map(|(s, _)| s.to_string())).collect();
    known.sort();
    assert_eq!(cases, known);
}

#[test]
fn where_groggy_is_right_irtop_reproduces_its_numbers() {
    for case in GROGGY_RIGHT {
        let (ir, a) = analysed(case);
        let g = groggy_plan(case);
        assert_eq!(levels_as_sets(&ir, &a), json_levels(&g["levels"]), "{case}: levels");
        let groups = g["groups"].as_array().expect("groups");
        assert_eq!(a.groups.len(), groups.len(), "{case}: group count");
        for (k, (mine, theirs)) in a.groups.iter().zip(groups).enumerate() {
            let expected = theirs["parallelism_factor"].as_f64().expect("factor");
            assert!(
                (mine.parallelism_factor - expected).abs() < 1e-12,
                "{case}: group {k} factor {} != groggy's {expected}",
                mine.parallelism_factor
            );
        }
        let expected = g["estimated_speedup"].as_f64().expect("speedup");
        assert!((a.estimated_speedup - expected).abs() < 1e-12, "{case}: {} != {expected}", a.estimated_speedup);
        assert_eq!(Some(a.use_parallel), g["use_parallel"].as_bool(), "{case}: use_parallel");
        assert!(
            a.diagnostics.iter().all(|d| d.code != "groggy-misplaced" && d.code != "groggy-unscheduled"),
            "{case}: no level difference to report, got {:?}",
            a.diagnostics
        );
    }
}

#[test]
fn groggy_view_reproduces_groggy_even_where_it_is_wrong() {
    for (case, _) in GROGGY_WRONG {
        let (ir, a) = analysed(case);
        let g = groggy_plan(case);
        let view = a.groggy.as_ref().expect("top-level analysis has a groggy view");
        let mut mine: Vec<Vec<String>> = view.levels.iter().map(|l| common::path_ids(&ir, l)).collect();
        mine.iter_mut().for_each(|l| l.sort());
        assert_eq!(mine, json_levels(&g["levels"]), "{case}: groggy's levels");
        let expected = g["estimated_speedup"].as_f64().expect("speedup");
        assert!((view.estimated_speedup - expected).abs() < 1e-12, "{case}: {} != {expected}", view.estimated_speedup);
    }
}

#[test]
fn where_groggy_is_wrong_irtop_differs_and_says_why() {
    for (case, why) in GROGGY_WRONG {
        let (ir, a) = analysed(case);
        let g = groggy_plan(case);
        assert_ne!(levels_as_sets(&ir, &a), json_levels(&g["levels"]), "{case} ({why}): levels should differ");
        assert!(
            a.diagnostics
                .iter()
                .any(|d| matches!(d.code, "groggy-misplaced" | "groggy-unscheduled") && d.severity == Severity::Note),
            "{case}: the difference is explained, got {:?}",
            a.diagnostics
        );
    }
}

fn messages(case: &str) -> Vec<String> {
    analysed(case).1.diagnostics.into_iter().map(|d| d.message).collect()
}

#[test]
fn pagerank_loop_is_placed_after_everything_it_reads() {
    let (ir, a) = analysed("pagerank_loop");
    let lp = ir.find("node_11").expect("loop");
    for reader in ["node_3", "node_5", "node_7", "node_8", "node_10"] {
        assert!(a.levels.level(lp) > a.levels.level(ir.find(reader).expect("node")), "loop after {reader}");
    }
    assert_eq!(a.levels.len(), 5);
    assert!(
        messages("pagerank_loop").contains(
            &"groggy places loop node_11 in level 0; it reads recip_5, written by node_5 in level 1".to_owned()
        )
    );
    // The loop dominates the cost: 20 iterations of its body's span.
    assert_eq!(a.critical_path.nodes.last(), Some(&lp));
    let body = a.body(lp).expect("loop body analysed");
    assert_eq!(a.costs[lp.index()].span, 20.0 * body.span);
    assert_eq!(a.costs[lp.index()].work, 20.0 * body.work);
}

#[test]
fn influence_smoothing_normalize_waits_for_the_loop() {
    let (ir, a) = analysed("influence_smoothing");
    let lp = ir.find("node_5").expect("loop");
    let norm = ir.find("node_6").expect("normalize");
    assert!(a.levels.level(norm) > a.levels.level(lp));
    assert!(a.levels.level(lp) > a.levels.level(ir.find("node_4").expect("compare")));
}

#[test]
fn lpa_single_pass_schedules_the_in_place_sweep() {
    let (ir, a) = analysed("lpa_single_pass");
    assert_eq!(levels_as_sets(&ir, &a), vec![vec!["node_0".to_owned()], vec!["node_1".to_owned()]]);
    let view = a.groggy.as_ref().expect("view");
    assert_eq!(common::path_ids(&ir, &view.unscheduled), vec!["node_1".to_owned()]);
    assert!(a.diagnostics.iter().any(|d| d.code == "sequential-sweep" && d.node.as_deref() == Some("node_1")));
}

#[test]
fn lpa_sweep_orders_the_write_after_read() {
    let (ir, a) = analysed("lpa_sweep_in_place");
    let compare = ir.find("node_3").expect("compare");
    let update = ir.find("node_6").expect("update");
    assert!(a.levels.level(update) > a.levels.level(compare));
    assert!(a.deps.incoming(update).iter().any(|d| d.from == compare
        && d.kind == irtop::analysis::DepKind::WriteAfterRead
        && d.var.map(|v| ir.var(v)) == Some("nodes_0")));
    assert!(messages("lpa_sweep_in_place").iter().any(|m| m.contains("write-after-read hazard")));
}

#[test]
fn a_producer_after_its_reader_is_an_error_diagnostic() {
    let (ir, a) = analysed("neighbor_mean_blend_opt");
    let d = a.diagnostics.iter().find(|d| d.code == "read-before-write").expect("diagnostic");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.node.as_deref(), Some("bcast_0"));
    assert!(d.message.contains("const_3") && d.message.contains("node_3"), "{}", d.message);
    // Program order: node_3 overwrites the value bcast_0 read, so it comes after it.
    assert!(a.levels.level(ir.find("node_3").expect("n3")) > a.levels.level(ir.find("bcast_0").expect("b0")));
}

#[test]
fn a_rebuilt_where_still_reads_its_mask() {
    for case in ["abs_deviation_rebuilt", "abs_deviation_rebuilt_opt"] {
        let (ir, a) = analysed(case);
        let compare = ir.find("node_6").expect("compare");
        let select = ir.find("node_7").expect("where");
        assert!(a.levels.level(select) > a.levels.level(compare), "{case}");
    }
}

#[test]
fn external_inputs_are_warned_about() {
    let (_, a) = analysed("seed_pagerank_like");
    let d = a.diagnostics.iter().find(|d| d.code == "external-input").expect("warning");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.node.as_deref(), Some("node_3"));
    assert!(d.message.contains("recip_3"));
}

#[test]
fn op_classes_match_groggy() {
    let text = std::fs::read_to_string(common::fixture("seed_op_classes.json")).expect("fixture");
    let classes: serde_json::Value = serde_json::from_str(&text).expect("json");
    let ops = classes["ops"].as_object().expect("ops");
    assert!(ops.len() > 40);
    for (op, answers) in ops {
        assert_eq!(
            irtop::analysis::groggy::is_data_parallel_op(op),
            answers["is_data_parallel_op"].as_bool().expect("bool"),
            "{op}"
        );
        assert_eq!(
            irtop::analysis::groggy::is_thread_safe_op(op),
            answers["is_thread_safe_op"].as_bool().expect("bool"),
            "{op}"
        );
    }
}
