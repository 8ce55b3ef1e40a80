//! Times each step of loading and analysing a generated IR (a development aid).
//!
//! `cargo run --release --example profile_analysis -- 1000000`

use std::path::Path;
use std::time::Instant;

use irtop::analysis::analyze;
use irtop::generate::{Shape, generate};
use irtop::ir::load_bytes;

fn main() {
    let ops: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let t = Instant::now();
    let bytes = generate(Shape::Random, ops, 100, 1);
    println!("generate {ops} ops: {:?} ({} MB)", t.elapsed(), bytes.len() / 1_000_000);
    let t = Instant::now();
    let ir = load_bytes(&bytes, Path::new("generated.json")).expect("loads");
    println!("load: {:?}", t.elapsed());
    passes(&ir);
    passes(&ir);
    for _ in 0..3 {
        let t = Instant::now();
        let a = analyze(&ir);
        println!(
            "analyze: {:?} ({} levels, {} edges, {} diagnostics)",
            t.elapsed(),
            a.levels.len(),
            a.deps.edges.len(),
            a.diagnostics.len()
        );
    }
}

/// Times each pass on its own.
fn passes(ir: &irtop::ir::Ir) {
    use irtop::analysis::*;
    let t = Instant::now();
    let fx = EffectTable::build(ir);
    println!("  effects {:?}", t.elapsed());
    let t = Instant::now();
    let mut d = Vec::new();
    let deps = dependencies::build(ir, &fx, true, &mut d);
    println!("  deps {:?}", t.elapsed());
    let t = Instant::now();
    let levels = LevelPlan::compute(ir.nodes.len(), &deps);
    println!("  levels {:?}", t.elapsed());
    let t = Instant::now();
    let w = vec![1.0; ir.nodes.len()];
    let _ = CriticalPath::heaviest(&deps, &w);
    println!("  critical {:?}", t.elapsed());
    let t = Instant::now();
    let _ = groups::parallel_groups(ir, &fx, &deps, &levels);
    println!("  groups {:?}", t.elapsed());
    let t = Instant::now();
    let _ = SequentialPlan::build(ir, &fx);
    println!("  sequential {:?}", t.elapsed());
    let t = Instant::now();
    let _ = groggy_view::compare(ir, &deps, &levels, &mut d);
    println!("  groggy view {:?}", t.elapsed());
}
