//! Times single kernels on 1M-node maps, one thread against the rayon pool (a development aid).
//!
//! `cargo run --release --example kernel_timing`

use std::time::Instant;

use irtop::exec::Value;
use irtop::exec::kernel::{BinOp, CmpOp, Par};
use irtop::exec::kernels::elementwise::{binary, compare, select};

fn main() {
    let n = 1 << 20;
    let a = Value::float_map((0..n).map(|i| (i % 13) as f64).collect());
    let b = Value::float_map((0..n).map(|i| (i % 7) as f64).collect());
    let mask = compare(CmpOp::Gt, &a, &Value::float(6.0), Par::Seq).expect("mask");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    for par in [Par::Seq, Par::Data] {
        pool.install(|| {
            let t = Instant::now();
            for _ in 0..100 {
                std::hint::black_box(select(&mask, &Value::float(0.0), &b, par).expect("where"));
            }
            println!("{par:?} where: {:?} per call", t.elapsed() / 100);
            let t = Instant::now();
            for _ in 0..100 {
                std::hint::black_box(binary(BinOp::Mul, &a, &b, par).expect("mul"));
            }
            println!("{par:?} mul: {:?} per call", t.elapsed() / 100);
            let (Value::Map(x), Value::Map(y)) = (&a, &b) else { return };
            let mut out = vec![0.0; n];
            let t = Instant::now();
            for _ in 0..100 {
                reused(&x.values, &y.values, &mut out, par == Par::Data);
                std::hint::black_box(&out);
            }
            println!("{par:?} mul into a reused buffer: {:?} per call", t.elapsed() / 100);
        });
    }
}

/// The same multiply into a reused buffer, to separate allocation from arithmetic.
#[allow(dead_code)]
pub fn reused(a: &[f64], b: &[f64], out: &mut [f64], par: bool) {
    use rayon::prelude::*;
    if par {
        out.par_chunks_mut(4096).zip(a.par_chunks(4096)).zip(b.par_chunks(4096)).for_each(|((o, x), y)| {
            for ((o, x), y) in o.iter_mut().zip(x).zip(y) {
                *o = x * y;
            }
        });
    } else {
        for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
            *o = x * y;
        }
    }
}
