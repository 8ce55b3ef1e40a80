//! Graph input at Graph500 scale 20 (1M nodes, 16.7M edges): loading a text edge list
//! with `load_edge_list` and generating `rmat(20, 16, 1)` (target: a few seconds each).
//!
//! `cargo bench --bench graph`

use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use irtop::exec::Graph;
use irtop::exec::edge_list::load_edge_list;
use irtop::exec::synthetic::rmat;

/// Writes `g` as a `# nodes N edges M` edge list, one `u v` line per edge.
fn write_edge_list(g: &Graph, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(out, "# nodes {} edges {}", g.node_count(), g.edge_count())?;
    for u in 0..g.node_count() {
        for &v in g.out_neighbors(u) {
            writeln!(out, "{u} {v}")?;
        }
    }
    out.flush()
}

/// Removes the temporary edge list even if a benchmark panics.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn graph(c: &mut Criterion) {
    let g = rmat(20, 16, 1);
    let edges = g.edge_count() as u64;
    let file = TempFile(std::env::temp_dir().join(format!("irtop-bench-rmat20-{}.edges", std::process::id())));
    write_edge_list(&g, &file.0).expect("write the temporary edge list");
    drop(g);

    let mut group = c.benchmark_group("graph");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(edges));
    group.bench_function("load_edge_list_rmat20", |b| {
        b.iter(|| black_box(load_edge_list(&file.0).expect("the edge list loads")))
    });
    group.bench_function("rmat_20_16", |b| b.iter(|| black_box(rmat(20, 16, 1))));
    group.finish();
}

criterion_group!(benches, graph);
criterion_main!(benches);
