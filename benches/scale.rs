//! How irtop's costs grow with the IR: load, analyse, plan and report of generated random
//! IRs (`irtop gen --ops N`) of 10k, 100k, 1M and 3M ops, in process (medians of several
//! runs, with the binary's allocator); then the release binary end to end on the same files
//! (`irtop report` and `irtop plan`: median wall time, peak RSS from `/usr/bin/time`, plan
//! bytes per op), and 3M ops under a 4 GiB address-space limit (`ulimit -v 4194304`).
//!
//! Beside irtop's loader, in the same runs and interleaved with it, two hand-written
//! references on the same bytes: serde_json building its `Value` tree (with this crate's
//! features: `preserve_order` and `float_roundtrip`), and serde_json checking the JSON
//! without building anything (`IgnoredAny`), the floor for any serde-based loader.
//!
//! `cargo bench --bench scale` (`IRTOP_SCALE_OPS=10000,100000` picks the sizes).

use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use irtop::analysis::analyze;
use irtop::generate::{Shape, generate};
use irtop::ir::load_bytes;
use irtop::report::plan_fields::Fields;
use irtop::report::{plan, text};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BINARY: &str = env!("CARGO_BIN_EXE_irtop");

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// Nanoseconds per op.
fn per_op(d: Duration, ops: usize) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e9 / ops as f64)
}

/// Above this size the `Value` reference is left out, to keep the bench's memory within the
/// machine's: the tree holds every key and string of the file as an allocation of its own.
const VALUE_TREE_MAX_OPS: usize = 1_000_000;

fn reps(ops: usize) -> usize {
    match ops {
        0..=10_000 => 15,
        10_001..=100_000 => 9,
        100_001..=1_000_000 => 5,
        _ => 3,
    }
}

/// Removes the generated files even if the bench panics.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("IRTOP_SCALE_OPS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000, 3_000_000]);
    let dir = TempDir(std::env::temp_dir().join(format!("irtop-scale-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).expect("temp dir");

    println!("In process (medians; ns/op in brackets): `irtop gen --ops N` random IRs");
    println!("| ops | file | load | analyse | plan | report |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut files = Vec::new();
    let mut loads = Vec::new();
    for &ops in &sizes {
        let bytes = generate(Shape::Random, ops, 100, 1);
        let file = dir.0.join(format!("random_{ops}.json"));
        std::fs::write(&file, &bytes).expect("write the IR");
        let (mut load, mut analyse, mut plans, mut report) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut value, mut ignored) = (Vec::new(), Vec::new());
        for _ in 0..reps(ops) {
            // The references first, each dropped before the next measurement.
            if ops <= VALUE_TREE_MAX_OPS {
                let t = Instant::now();
                let tree: serde_json::Value = serde_json::from_slice(&bytes).expect("a generated IR is JSON");
                value.push(t.elapsed());
                drop(black_box(tree));
            }
            let t = Instant::now();
            let checked: serde::de::IgnoredAny = serde_json::from_slice(&bytes).expect("a generated IR is JSON");
            ignored.push(t.elapsed());
            black_box(checked);
            let t = Instant::now();
            let ir = load_bytes(&bytes, &file).expect("a generated IR loads");
            load.push(t.elapsed());
            let t = Instant::now();
            let a = analyze(&ir);
            analyse.push(t.elapsed());
            let t = Instant::now();
            plan::write(&mut std::io::sink(), &ir, &a, Fields::default(), false).expect("plan");
            plans.push(t.elapsed());
            let t = Instant::now();
            text::write(&mut std::io::sink(), &ir, &a).expect("report");
            report.push(t.elapsed());
            black_box((ir, a));
        }
        let cell = |xs: Vec<Duration>| {
            let m = median(xs);
            format!("{} ms ({})", ms(m), per_op(m, ops))
        };
        println!(
            "| {ops} | {:.1} MB | {} | {} | {} | {} |",
            bytes.len() as f64 / 1e6,
            cell(load.clone()),
            cell(analyse),
            cell(plans),
            cell(report)
        );
        loads.push((ops, median(load.clone()), (!value.is_empty()).then(|| median(value)), median(ignored)));
        files.push((ops, file));
    }

    println!();
    println!("irtop's loader against serde_json on the same bytes (medians of the same interleaved runs):");
    println!("| ops | irtop load | serde_json `Value` | ratio | serde_json `IgnoredAny` | ratio |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for (ops, load, value, ignored) in loads {
        let ratio = |reference: Duration| format!("{:.2}x", load.as_secs_f64() / reference.as_secs_f64());
        let (value_ms, value_ratio) =
            value.map_or(("-".to_owned(), "-".to_owned()), |v| (format!("{} ms", ms(v)), ratio(v)));
        println!("| {ops} | {} ms | {value_ms} | {value_ratio} | {} ms | {} |", ms(load), ms(ignored), ratio(ignored));
    }

    println!();
    println!("The release binary, end to end (median wall time of 5 runs, 3 for 3M ops; the largest peak RSS):");
    println!("| ops | command | wall | peak RSS | output |");
    println!("|---:|---|---:|---:|---:|");
    for (ops, file) in &files {
        let n = if *ops > 1_000_000 { 3 } else { 5 };
        for command in ["report", "plan"] {
            let runs: Vec<Run> = (0..n).map(|_| run(command, file, None)).collect();
            let wall = median(runs.iter().map(|r| r.wall).collect());
            let rss = runs.iter().map(|r| r.peak_kb).max().unwrap_or(0);
            let out = runs[0].out_bytes;
            println!(
                "| {ops} | `irtop {command}` | {} s | {} MB | {:.1} MB ({:.0} bytes/op) |",
                format_args!("{:.2}", wall.as_secs_f64()),
                rss / 1024,
                out as f64 / 1e6,
                out as f64 / *ops as f64
            );
        }
    }

    if let Some((_, file)) = files.iter().find(|(ops, _)| *ops >= 3_000_000) {
        println!();
        println!("Under `ulimit -v 4194304` (4 GiB of address space):");
        for command in ["report", "plan"] {
            let r = run(command, file, Some(4_194_304));
            println!(
                "- `irtop {command} --max-file-mb 400`: exit {}, {:.2} s, peak RSS {} MB{}",
                r.code,
                r.wall.as_secs_f64(),
                r.peak_kb / 1024,
                if r.code == 0 { String::new() } else { format!(", stderr: {}", r.stderr.trim()) }
            );
        }
        let without_flag = Command::new(BINARY).arg("report").arg(file).output().expect("irtop runs");
        println!(
            "- without `--max-file-mb`: exit {}: {}",
            without_flag.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&without_flag.stderr).trim()
        );
    }
}

/// One end-to-end run of the binary.
struct Run {
    wall: Duration,
    peak_kb: u64,
    out_bytes: u64,
    code: i32,
    stderr: String,
}

/// Runs `irtop COMMAND FILE --max-file-mb 400` under `/usr/bin/time`, with an address-space
/// limit in KiB if given, counting what it writes to stdout.
fn run(command: &str, file: &Path, limit_kb: Option<u64>) -> Run {
    let limit = limit_kb.map_or(String::new(), |kb| format!("ulimit -v {kb}; "));
    let line = format!(
        "{limit}exec /usr/bin/time -f 'irtop-time %e %M' {BINARY} {command} --max-file-mb 400 {}",
        file.display()
    );
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(line)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh and /usr/bin/time run");
    let out_bytes = std::io::copy(&mut child.stdout.take().expect("stdout"), &mut std::io::sink()).unwrap_or(0);
    let mut stderr = String::new();
    let _ = child.stderr.take().expect("stderr").read_to_string(&mut stderr);
    let status = child.wait().expect("wait");
    let wall_outside = start.elapsed();
    let (timing, rest): (Vec<&str>, Vec<&str>) = stderr.lines().partition(|l| l.starts_with("irtop-time "));
    let fields: Vec<&str> = timing.first().map_or(Vec::new(), |l| l.split_whitespace().collect());
    let wall = fields.get(1).and_then(|s| s.parse::<f64>().ok()).map_or(wall_outside, Duration::from_secs_f64);
    let peak_kb = fields.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    Run { wall, peak_kb, out_bytes, code: status.code().unwrap_or(-1), stderr: rest.join(" ") }
}
