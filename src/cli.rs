//! The command line: argument definitions and the headless subcommands.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::analysis::analyze;
use crate::exec::bench::{BenchOptions, run_bench_to_end};
use crate::exec::graph_spec::{GraphArgs, GraphError};
use crate::exec::{ExecError, Executor, Mode, Program, Retain, RunOptions, Scheduler};
use crate::generate::{Shape, generate};
use crate::ir::{LoadError, Severity, load_file_with};
use crate::limits::{DEFAULT_MAX_FILE_MB, DEFAULT_MAX_WORK, LimitError, Limits};
use crate::report;

/// irtop: see how parallel a groggy dataflow IR is.
#[derive(Debug, Parser)]
#[command(name = "irtop", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// IR file to show in the terminal UI (default: the built-in PageRank sample). When
    /// stdout is not a terminal, prints the report instead.
    pub file: Option<PathBuf>,
    /// The graph the TUI's benchmarks run on (default: R-MAT scale 18, edge factor 16).
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Limits on the file and the work (for every subcommand).
    #[command(flatten)]
    pub limits: LimitArgs,
    /// A headless subcommand.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Limits that refuse an input before any work starts; `--max-graph-gb` is with the graph flags.
#[derive(Debug, Clone, Copy, PartialEq, clap::Args)]
pub struct LimitArgs {
    /// Refuse an IR file larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = DEFAULT_MAX_FILE_MB, global = true)]
    pub max_file_mb: u64,
    /// Refuse a run estimated at more than this many element operations (a loop's
    /// iterations x its body's ops x the graph's size; about 1e9 a second).
    #[arg(long, value_name = "OPS", default_value_t = DEFAULT_MAX_WORK, global = true)]
    pub max_work: f64,
}

impl LimitArgs {
    /// The limits these flags and the graph flags `graph` set.
    pub fn limits(&self, graph: &GraphArgs) -> Limits {
        Limits { max_file_bytes: self.max_file_mb.saturating_mul(1 << 20), max_work: self.max_work, ..graph.limits() }
    }
}

/// Headless subcommands for scripts and CI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the text report: levels, critical path, work/span, groups, diagnostics.
    Report {
        /// The IR file.
        file: PathBuf,
    },
    /// Print the plan as JSON (groggy's ParallelExecutionPlan fields plus irtop's).
    Plan {
        /// The IR file.
        file: PathBuf,
    },
    /// Print Graphviz DOT: one rank per level, the critical path bold.
    Dot {
        /// The IR file.
        file: PathBuf,
    },
    /// Run the IR once on a graph and write its values (every node-map variable, or --var ones).
    Run {
        /// The IR file.
        file: PathBuf,
        /// The graph.
        #[command(flatten)]
        graph: GraphArgs,
        /// Scheduling mode: seq, levels, dataflow, data, levels+data, dataflow+data.
        #[arg(long, default_value = "seq")]
        mode: Mode,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Only write this variable (repeatable).
        #[arg(long = "var", value_name = "NAME")]
        vars: Vec<String>,
        /// Write to this file: `.csv` for CSV, anything else JSON (default: JSON on stdout).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Time the IR in seq and every parallel mode; print medians, speedups and groggy's prediction.
    Bench {
        /// The IR file (not with --all).
        #[arg(required_unless_present = "all")]
        file: Option<PathBuf>,
        /// Benchmark every `*.json` IR in DIR, each on an R-MAT graph big enough that a seq
        /// run takes 50 ms (scale 16 to 20), and print the prediction accuracy table.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["file", "trace"])]
        all: Option<PathBuf>,
        /// The graph (default: R-MAT scale 18, edge factor 16).
        #[command(flatten)]
        graph: GraphArgs,
        /// Worker threads of the parallel modes (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Timed repetitions per mode, after one warm-up.
        #[arg(long, default_value_t = 5)]
        reps: usize,
        /// Only these modes (repeatable; seq always runs as the baseline).
        #[arg(long = "mode", value_name = "MODE")]
        modes: Vec<Mode>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Write the last repetition of each mode as Chrome trace-event JSON.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
    },
    /// Measure this machine's per-op costs and parallel overheads (a few seconds) and cache
    /// them for the predictions.
    Calibrate {
        /// Threads to measure parallel behaviour with (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Write a large generated IR (seeded) to stdout, to measure irtop at scale.
    Gen {
        /// Number of ops.
        #[arg(long, default_value_t = 10_000)]
        ops: usize,
        /// Shape of the dependency graph.
        #[arg(long, value_enum, default_value_t = Shape::Random)]
        shape: Shape,
        /// Ops per layer (layered shape).
        #[arg(long, default_value_t = 100)]
        width: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// A failure of a subcommand: bad input (exit 2) or anything else (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input file is not a valid IR.
    #[error(transparent)]
    Input(#[from] LoadError),
    /// The graph file is not a valid edge list, or the graph flags describe no graph irtop
    /// can hold.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A run would exceed a limit (`--max-work`).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The IR cannot run, or failed while running.
    #[error("{0}")]
    Exec(#[from] ExecError),
    /// A flag's value is not usable.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Graph(_) | CliError::Limit(_) | CliError::Exec(_) | CliError::Usage(_) => 2,
            CliError::Output(_) => 1,
        }
    }
}

/// Runs the parsed command line, writing data to `out` and findings to stderr.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    let limits = cli.limits.limits(&cli.graph);
    match cli.command {
        Some(Command::Report { file }) => emit(&file, out, Format::Report, &limits),
        Some(Command::Plan { file }) => emit(&file, out, Format::Plan, &limits),
        Some(Command::Dot { file }) => emit(&file, out, Format::Dot, &limits),
        Some(Command::Run { file, graph, mode, threads, vars, out: path }) => {
            let limits = cli.limits.limits(&graph);
            run_once(&file, &graph, mode, threads, &vars, path.as_deref(), out, &limits)
        }
        Some(Command::Bench { file, all, graph, threads, reps, modes, json, trace }) => {
            let limits = cli.limits.limits(&graph);
            match (all, file) {
                (Some(dir), _) => crate::predict::commands::bench_all(&dir, threads, reps, json, out, &limits),
                (None, Some(file)) => bench(&file, &graph, threads, reps, modes, json, trace.as_deref(), out, &limits),
                (None, None) => Err(CliError::Usage("bench needs an IR file or --all DIR".into())),
            }
        }
        Some(Command::Calibrate { threads }) => crate::predict::commands::calibrate(threads, out),
        Some(Command::Gen { ops, shape, width, seed }) => {
            out.write_all(&generate(shape, ops, width, seed))?;
            out.write_all(b"\n")?;
            Ok(())
        }
        None => match cli.file {
            Some(file) => emit(&file, out, Format::Report, &limits),
            None => emit(&sample_path(), out, Format::Report, &limits),
        },
    }
}

/// The built-in sample `irtop` opens without a file: groggy's PageRank loop. It is the
/// repository's `samples/pagerank_loop.json` when that exists, else an embedded copy written
/// to the temporary directory (so an installed binary has it too).
pub fn sample_path() -> PathBuf {
    let in_tree = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/pagerank_loop.json"));
    if in_tree.exists() {
        return in_tree.to_owned();
    }
    let copy = std::env::temp_dir().join("irtop-sample").join("pagerank_loop.json");
    let written = std::fs::create_dir_all(copy.parent().unwrap_or(Path::new(".")))
        .and_then(|()| std::fs::write(&copy, include_str!("../samples/pagerank_loop.json")));
    if written.is_ok() { copy } else { in_tree.to_owned() }
}

enum Format {
    Report,
    Plan,
    Dot,
}

fn emit(file: &Path, out: &mut dyn Write, format: Format, limits: &Limits) -> Result<(), CliError> {
    let ir = load_file_with(file, limits)?;
    let analysis = analyze(&ir);
    match format {
        Format::Report => out.write_all(report::text::render(&ir, &analysis).as_bytes())?,
        Format::Plan => {
            serde_json::to_writer_pretty(&mut *out, &report::plan::PlanDocument::new(&ir, &analysis))
                .map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Format::Dot => out.write_all(report::dot::render(&ir, &analysis).as_bytes())?,
    }
    if !matches!(format, Format::Report) {
        write_warnings(file, &analysis.diagnostics);
    }
    Ok(())
}

/// Warnings listed per diagnostic code on stderr; the rest are counted (a file with a
/// million external inputs gives one line per input in the report, not on stderr).
pub const MAX_WARNINGS_PER_CODE: usize = 50;

/// Writes the warnings and errors among `diagnostics` to stderr, at most
/// [`MAX_WARNINGS_PER_CODE`] of each code, in one buffered write.
fn write_warnings(file: &Path, diagnostics: &[crate::ir::Diagnostic]) {
    let mut text = String::new();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity >= Severity::Warning) {
        let n = counts.entry(d.code).or_default();
        *n += 1;
        if *n <= MAX_WARNINGS_PER_CODE {
            text.push_str(&format!("{}: {d}\n", file.display()));
        }
    }
    for (code, n) in counts.into_iter().filter(|&(_, n)| n > MAX_WARNINGS_PER_CODE) {
        let more = n - MAX_WARNINGS_PER_CODE;
        text.push_str(&format!(
            "{}: ... and {more} more `{code}` diagnostics (`irtop report` lists them all)\n",
            file.display()
        ));
    }
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A rayon pool of `threads` workers (default: all cores).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Usage(format!("cannot start {} threads: {e}", threads.unwrap_or(0))))
}

/// `irtop run`: one run, values written as JSON or CSV.
#[allow(clippy::too_many_arguments)]
fn run_once(
    file: &Path,
    graph: &GraphArgs,
    mode: Mode,
    threads: Option<usize>,
    vars: &[String],
    path: Option<&Path>,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let (ir, _, program) = load_program(file, limits)?;
    let wanted: Vec<crate::ir::VarId> = vars
        .iter()
        .map(|name| {
            ir.vars
                .get(name)
                .ok_or_else(|| CliError::Usage(format!("--var {name}: no variable of that name in {}", file.display())))
        })
        .collect::<Result<_, _>>()?;
    let retain = if wanted.is_empty() { Retain::All } else { Retain::Vars(wanted.clone()) };
    let g = graph.build()?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let pool = thread_pool(if mode == Mode::SEQ { Some(1) } else { threads })?;
    let outcome = pool.install(|| Scheduler(mode).run(&program, &g, &RunOptions { retain, trace: false }))?;
    let ids: Vec<crate::ir::VarId> =
        if wanted.is_empty() { (0..ir.vars.len() as u32).map(crate::ir::VarId).collect() } else { wanted };
    let columns: report::results::Columns =
        ids.iter().filter_map(|&v| Some((ir.var(v), outcome.values[v.index()].as_ref()?))).collect();
    let csv = path.is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    let text = if csv {
        report::results::to_csv(g.node_count(), &columns)
    } else {
        let mut t = serde_json::to_string_pretty(&report::results::to_json(g.node_count(), &columns))
            .map_err(std::io::Error::from)?;
        t.push('\n');
        t
    };
    match path {
        Some(p) => std::fs::write(p, text)?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// `irtop bench`.
#[allow(clippy::too_many_arguments)]
fn bench(
    file: &Path,
    graph: &GraphArgs,
    threads: Option<usize>,
    reps: usize,
    modes: Vec<Mode>,
    json: bool,
    trace: Option<&Path>,
    out: &mut dyn Write,
    limits: &Limits,
) -> Result<(), CliError> {
    let (_, analysis, program) = load_program(file, limits)?;
    let g = graph.build()?;
    limits.check_work(&program, g.node_count(), g.edge_count())?;
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let options =
        BenchOptions { threads, reps: reps.max(1), modes: if modes.is_empty() { Mode::ALL.to_vec() } else { modes } };
    let report = run_bench_to_end(&program, &g, analysis.estimated_speedup, &options)?;
    if let Some(path) = trace {
        std::fs::write(path, serde_json::to_vec(&report::trace::to_trace(&report)).map_err(std::io::Error::from)?)?;
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        out.write_all(report::bench_text::render(&report, options.reps).as_bytes())?;
    }
    Ok(())
}

/// Loads, analyses and compiles `file`: what `run` and `bench` start with.
fn load_program(file: &Path, limits: &Limits) -> Result<(crate::ir::Ir, crate::analysis::Analysis, Program), CliError> {
    let ir = load_file_with(file, limits)?;
    let analysis = analyze(&ir);
    let program = Program::compile(&ir, &analysis)?;
    Ok((ir, analysis, program))
}
