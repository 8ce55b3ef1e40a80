//! Analysis time of generated random IRs at 10k, 100k and 1M ops (target: 1M under 1 s,
//! linear growth), and load time for the same files.
//!
//! `cargo bench --bench analysis`

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use irtop::analysis::analyze;
use irtop::generate::{Shape, generate};
use irtop::ir::load_bytes;

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_random");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for ops in [10_000usize, 100_000, 1_000_000] {
        let bytes = generate(Shape::Random, ops, 100, 1);
        let ir = load_bytes(&bytes, Path::new("generated.json")).expect("generated IR loads");
        group.throughput(Throughput::Elements(ops as u64));
        group.bench_with_input(BenchmarkId::from_parameter(ops), &ir, |b, ir| b.iter(|| black_box(analyze(ir))));
    }
    group.finish();

    let mut group = c.benchmark_group("load_random");
    group.sample_size(10).measurement_time(Duration::from_secs(8));
    for ops in [10_000usize, 100_000, 1_000_000] {
        let bytes = generate(Shape::Random, ops, 100, 1);
        group.throughput(Throughput::Elements(ops as u64));
        group.bench_with_input(BenchmarkId::from_parameter(ops), &bytes, |b, bytes| {
            b.iter(|| black_box(load_bytes(bytes, Path::new("generated.json")).expect("loads")))
        });
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);
