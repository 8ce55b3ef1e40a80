//! Loading every form of groggy IR: loops with steps, execution blocks, the seed's minimal
//! nodes, unknown ops; and what the analysis makes of loops and blocks.

mod common;

use std::path::Path;

use irtop::analysis::analyze;
use irtop::ir::{Body, Domain, load_bytes};

fn load(json: &str) -> irtop::ir::Ir {
    load_bytes(json.as_bytes(), Path::new("test.json")).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn loop_steps_become_nodes_of_a_body_ir() {
    let (ir, _) = common::analysed("pagerank_loop");
    let node = ir.node(ir.find("node_11").expect("loop"));
    let Some(Body::Loop(l)) = node.body.as_deref() else { panic!("node_11 is a loop") };
    assert_eq!(l.iterations, 20);
    assert_eq!(l.body.nodes.len(), 15);
    let step = &l.body.nodes[2];
    assert_eq!((step.id.as_str(), step.op.name(), &step.domain), ("node_11/2", "where", &Domain::Core));
    let inputs: Vec<&str> = step.inputs.iter().map(|&v| l.body.var(v)).collect();
    assert_eq!(inputs, ["compare_7", "const_12", "mul_11"]);
    let alias = &l.body.nodes[14];
    assert_eq!(alias.op.name(), "alias");
    assert_eq!(alias.output.map(|v| l.body.var(v)), Some("ranks"));
    assert_eq!(l.loop_vars.len(), 1);
    assert_eq!((ir.var(l.loop_vars[0].initial), ir.var(l.loop_vars[0].logical)), ("broadcast_3", "ranks"));
}

#[test]
fn a_loop_reads_its_free_variables_and_writes_its_body_results() {
    let (ir, a) = common::analysed("pagerank_loop");
    let lp = ir.find("node_11").expect("loop");
    let fx = a.effects.of(lp);
    let mut reads: Vec<&str> = fx.reads.iter().map(|&v| ir.var(v)).collect();
    reads.sort();
    assert_eq!(reads, ["broadcast_3", "broadcast_8", "compare_7", "mul_10", "recip_5"]);
    let writes: Vec<&str> = fx.writes.iter().map(|&v| ir.var(v)).collect();
    assert!(writes.contains(&"ranks") && writes.contains(&"add_24"));
    assert!(!reads.contains(&"ranks"), "ranks is seeded by loop_vars, not read from outside");
}

#[test]
fn the_sequential_plan_keeps_loop_inputs_alive() {
    let (ir, a) = common::analysed("pagerank_loop");
    let lp = ir.find("node_11").expect("loop").index();
    let at_loop: Vec<&str> =
        a.sequential(&ir).live_ranges.iter().filter(|r| r.start <= lp && lp <= r.end).map(|r| ir.var(r.var)).collect();
    for v in ["broadcast_3", "recip_5", "compare_7", "broadcast_8", "mul_10"] {
        assert!(at_loop.contains(&v), "{v} must be live when the loop runs: {at_loop:?}");
    }
    let slots: std::collections::HashSet<u32> = a
        .sequential(&ir)
        .live_ranges
        .iter()
        .filter(|r| r.start <= lp && lp <= r.end)
        .filter_map(|r| a.sequential(&ir).slot(r.var))
        .collect();
    assert_eq!(slots.len(), at_loop.len(), "each live variable has its own slot");
}

#[test]
fn neighbourhood_ops_never_write_into_their_input_slot() {
    let (ir, a) = common::analysed("neighbor_mean_blend_opt");
    let fused = ir.find("node_2").expect("fused_neighbor_mul_agg");
    let fx = a.effects.of(fused);
    let out = a.sequential(&ir).slot(fx.writes[0]);
    for &r in fx.reads {
        assert_ne!(a.sequential(&ir).slot(r), out, "reads {} in the output slot", ir.var(r));
    }
}

#[test]
fn execution_blocks_parse_their_body_nodes() {
    let ir = load(
        r#"{"name": "blk", "nodes": [
          {"id": "n0", "domain": "core", "op_type": "init_nodes_with_index", "inputs": [], "output": "labels", "metadata": {}},
          {"id": "b1", "domain": "execution", "op_type": "block_message_pass", "mode": "message_pass", "target": "labels",
           "metadata": {"mode": "message_pass", "target": "labels", "include_self": true, "body_nodes": [
             {"id": "s0", "domain": "core", "op_type": "collect_neighbor_values", "inputs": ["labels"], "output": "nv", "metadata": {}},
             {"id": "s1", "domain": "core", "op_type": "mode_list", "inputs": ["nv"], "output": "labels", "metadata": {}}
           ]}},
          {"id": "n2", "domain": "attr", "op_type": "attach", "inputs": ["labels"], "output": null, "metadata": {"name": "label"}}
        ]}"#,
    );
    let block = ir.node(ir.find("b1").expect("block"));
    let Some(Body::Block(b)) = block.body.as_deref() else { panic!("b1 is a block") };
    assert_eq!((b.mode.as_str(), b.body.nodes.len()), ("message_pass", 2));
    assert_eq!(block.output.map(|v| ir.var(v)), Some("labels"));
    let a = analyze(&ir);
    let levels: Vec<u32> = ir.node_ids().map(|n| a.levels.level(n)).collect();
    assert_eq!(levels, [0, 1, 2]);
    assert_eq!(a.body(ir.find("b1").expect("b1")).expect("body").levels.len(), 2);
}

#[test]
fn minimal_seed_nodes_load_with_defaults() {
    let ir = load(
        r#"{"nodes": [
          {"id": "a", "op_type": "init_nodes"},
          {"id": "b", "op_type": "degree", "inputs": ["a"], "output": "d"},
          {"id": "c", "domain": "weird", "op_type": "frobnicate", "inputs": ["d"], "output": "e"}
        ]}"#,
    );
    assert_eq!(ir.name, "");
    assert_eq!(ir.nodes[0].domain, Domain::Core);
    assert!(ir.nodes[0].inputs.is_empty() && ir.nodes[0].output.is_none() && ir.nodes[0].metadata.is_empty());
    assert_eq!(ir.nodes[1].domain, Domain::Graph);
    let a = analyze(&ir);
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"unknown-domain") && codes.contains(&"unknown-op"), "{codes:?}");
    assert_eq!(a.levels.level(ir.find("c").expect("c")), 1, "an unknown op is still ordered by its inputs");
}

#[test]
fn side_effects_keep_program_order() {
    let ir = load(
        r#"{"nodes": [
          {"id": "x", "op_type": "init_nodes", "output": "x"},
          {"id": "y", "op_type": "init_nodes", "output": "y"},
          {"id": "s1", "op_type": "attach", "inputs": ["x"]},
          {"id": "s2", "op_type": "attach", "inputs": ["y"]}
        ]}"#,
    );
    let a = analyze(&ir);
    assert!(a.levels.level(ir.find("s2").expect("s2")) > a.levels.level(ir.find("s1").expect("s1")));
    assert!(a.deps.edges.iter().any(|e| e.kind == irtop::analysis::DepKind::SideEffectOrder && e.var.is_none()));
}

#[test]
fn a_node_reading_and_writing_a_variable_never_depends_on_itself() {
    let (ir, a) = common::analysed("lpa_loop");
    for n in ir.node_ids() {
        assert!(a.deps.incoming(n).iter().all(|d| d.from != n));
    }
    let lp = ir.find("node_1").expect("loop");
    assert_eq!(a.levels.level(lp), 1);
    let body = a.body(lp).expect("body");
    assert_eq!(body.levels.len(), 1);
}
