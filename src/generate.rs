//! Seeded generators of large IRs in groggy's file format, to measure irtop at scale.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The shape of a generated IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// Each op reads one or two recent variables; some ops update in place.
    Random,
    /// `ops / width` layers; each op reads one or two outputs of the previous layer.
    Layered,
}

#[derive(Serialize)]
struct GenNode {
    id: String,
    domain: &'static str,
    op_type: &'static str,
    inputs: Vec<String>,
    output: Option<String>,
    metadata: Map<String, Value>,
}

#[derive(Serialize)]
struct GenIr {
    name: String,
    nodes: Vec<GenNode>,
}

/// Generates an IR of `ops` nodes as groggy JSON. The same arguments give the same bytes.
pub fn generate(shape: Shape, ops: usize, width: usize, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut nodes = Vec::with_capacity(ops);
    let var = |i: usize| format!("v{i}");
    let width = width.max(1);
    // Indices whose own variable exists (an in-place update writes another one).
    let mut defined: Vec<usize> = Vec::with_capacity(ops);
    for i in 0..ops {
        let pick = |rng: &mut StdRng| -> usize {
            match shape {
                Shape::Random => defined[defined.len() - 1 - rng.random_range(0..defined.len().min(64))],
                Shape::Layered => {
                    let layer_start = (i / width) * width;
                    let prev = layer_start.saturating_sub(width);
                    rng.random_range(prev..layer_start)
                }
            }
        };
        let has_source = match shape {
            Shape::Random => !defined.is_empty(),
            Shape::Layered => i >= width,
        };
        let roll: u32 = rng.random_range(0..100);
        let (domain, op, arity, mut metadata): (&str, &str, usize, Map<String, Value>) = if !has_source || roll < 4 {
            if roll.is_multiple_of(2) {
                (
                    "core",
                    "constant",
                    0,
                    json!({"value": f64::from(roll) / 10.0}).as_object().cloned().unwrap_or_default(),
                )
            } else {
                ("core", "init_nodes", 0, json!({"default": 1.0}).as_object().cloned().unwrap_or_default())
            }
        } else if roll < 14 {
            ("graph", "neighbor_agg", 1, json!({"agg": "sum"}).as_object().cloned().unwrap_or_default())
        } else if roll < 17 {
            ("graph", "degree", 1, Map::new())
        } else if roll < 22 {
            ("core", "reduce_scalar", 1, json!({"op": "sum"}).as_object().cloned().unwrap_or_default())
        } else if roll < 27 {
            ("core", "compare", 2, json!({"op": "gt"}).as_object().cloned().unwrap_or_default())
        } else if roll < 30 {
            ("core", "where", 3, Map::new())
        } else if roll < 32 && matches!(shape, Shape::Random) {
            ("core", "update_in_place", 1, Map::new())
        } else {
            let ops = ["add", "mul", "sub", "div"];
            ("core", ops[rng.random_range(0..ops.len())], 2, Map::new())
        };
        let inputs: Vec<String> = (0..arity).map(|_| var(pick(&mut rng))).collect();
        let output = if op == "update_in_place" {
            let target = var(pick(&mut rng));
            metadata.insert("target".into(), Value::String(target.clone()));
            target
        } else {
            defined.push(i);
            var(i)
        };
        nodes.push(GenNode { id: format!("node_{i}"), domain, op_type: op, inputs, output: Some(output), metadata });
    }
    let name = format!(
        "{}_{ops}",
        match shape {
            Shape::Random => "random",
            Shape::Layered => "layered",
        }
    );
    serde_json::to_vec(&GenIr { name, nodes }).expect("generated IR serialises")
}
