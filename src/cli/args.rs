//! The command line's arguments: the top level (the terminal UI's file and graph), the
//! limit flags every subcommand takes, and the headless subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::color::ColorWhen;
use super::graph_args::GraphArgs;
use crate::exec::Mode;
use crate::exec::graph_spec::GraphSpec;
use crate::generate::Shape;
use crate::limits::{LimitError, Limits};
use crate::report::export::Kind;
use crate::report::format::Format;
use crate::report::plan_fields::Fields;

/// A benchmark's time budget when none is given, in seconds.
pub(crate) const DEFAULT_BUDGET_S: f64 = 10.0;

/// The budget `--budget SECONDS` gives, or why it is unusable.
pub fn budget(seconds: f64) -> Result<std::time::Duration, String> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0 {
        Ok(std::time::Duration::from_secs_f64(seconds))
    } else {
        Err(format!("--budget {seconds}: give a number of seconds above 0 and at most 86400 (a day)"))
    }
}

/// irtop: see how parallel a groggy dataflow IR is.
///
/// The limit flags (`--max-file-mb`, `--max-work`, `--max-graph-gb`, `--max-memory-gb`) are
/// listed on the subcommands they apply to, and may go before the subcommand too; the file,
/// the graph flags and a limit flag the subcommand does not take are refused there
/// ([`Cli::misplaced`]).
#[derive(Debug, Parser)]
#[command(
    name = "irtop",
    version,
    about,
    long_about = None,
    override_usage = "irtop [OPTIONS] [FILE]\n       irtop <COMMAND> [OPTIONS]",
    after_help = "Subcommands write their data as --format text|json|csv|dot|trace, each in the formats it can \
                  (`irtop <COMMAND> --help` lists them).\n\n\
                  Exit status: 0 success; 1 an internal failure; 2 bad input (a file, a flag, a mistyped \
                  subcommand: the message says where and what to change); 3 a finding denied by --deny."
)]
pub struct Cli {
    /// IR file to show in the terminal UI (default: the built-in PageRank sample). When
    /// stdout is not a terminal, prints the report instead.
    pub file: Option<PathBuf>,
    /// The graph the TUI's benchmarks run on (default: R-MAT scale 18, edge factor 16).
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Seconds a benchmark in the terminal UI may take (`b`); a synthetic graph too big for
    /// it is scaled down.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_BUDGET_S)]
    pub budget: f64,
    /// The terminal UI's limits (given before a subcommand: that subcommand's).
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Colour the output: auto (when it goes to a terminal and NO_COLOR is not set), always
    /// (also into a pipe or a file, whatever NO_COLOR says), never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// A headless subcommand.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading the limit flags are listed under in `--help`.
pub(crate) const LIMITS: &str = "Limits (refuse an input before the work starts)";

/// `--max-file-mb`: for the commands that read an IR file or an edge list.
#[derive(Debug, Clone, Copy, Default, PartialEq, clap::Args)]
pub struct FileLimit {
    /// Refuse an IR file (or an edge list) larger than this many MiB [default: 256].
    #[arg(long, value_name = "MIB", help_heading = LIMITS)]
    pub(crate) max_file_mb: Option<u64>,
}

/// `--max-work`: for the commands that run the IR.
#[derive(Debug, Clone, Copy, Default, PartialEq, clap::Args)]
pub struct WorkLimit {
    /// Refuse a run estimated at more than this many element operations (a loop's
    /// iterations x its body's ops x the graph's size; about 1e9 a second) [default: 1e12].
    #[arg(long, value_name = "OPS", help_heading = LIMITS)]
    pub(crate) max_work: Option<f64>,
}

/// `--max-memory-gb`: for the commands that plan their memory before they allocate.
#[derive(Debug, Clone, Copy, Default, PartialEq, clap::Args)]
pub struct MemoryLimit {
    /// Refuse a step (loading an IR, writing its plan, `gen`, `calibrate`) that needs more
    /// than this many GB of memory (default: what the OS allows: the memory available,
    /// RLIMIT_AS, RLIMIT_DATA and the cgroup's limit, whichever is least).
    #[arg(long, value_name = "GB", help_heading = LIMITS)]
    pub(crate) max_memory_gb: Option<f64>,
}

/// The limits of the commands that load an IR but run nothing: `report`, `plan`, `dot`.
#[derive(Debug, Clone, Copy, Default, PartialEq, clap::Args)]
pub struct AnalysisLimits {
    /// `--max-file-mb`.
    #[command(flatten)]
    pub(crate) file: FileLimit,
    /// `--max-memory-gb`.
    #[command(flatten)]
    pub(crate) memory: MemoryLimit,
}

/// Every limit flag but `--max-graph-gb` (which is with the graph flags): the terminal UI's,
/// `run`'s and `bench`'s, and those given before a subcommand, which apply to it when it
/// takes them. A flag not given is `None`: the subcommand's own value, else the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, clap::Args)]
pub struct LimitArgs {
    /// `--max-file-mb`.
    #[command(flatten)]
    pub(crate) file: FileLimit,
    /// `--max-work`.
    #[command(flatten)]
    pub(crate) work: WorkLimit,
    /// `--max-memory-gb`.
    #[command(flatten)]
    pub(crate) memory: MemoryLimit,
}

impl LimitArgs {
    /// The limits these flags and the graph flags `graph` set.
    pub fn limits(&self, graph: &GraphArgs) -> Limits {
        let default = Limits::default();
        Limits {
            max_file_bytes: self.file.max_file_mb.map_or(default.max_file_bytes, |mb| mb.saturating_mul(1 << 20)),
            max_work: self.work.max_work.unwrap_or(default.max_work),
            max_memory_bytes: self.memory.max_memory_gb.map(|gb| (gb.max(0.0) * 1e9) as u64),
            ..graph.limits()
        }
    }

    /// Each flag given here, else the one in `fallback` (the flags before the subcommand).
    pub(crate) fn or(self, fallback: LimitArgs) -> LimitArgs {
        LimitArgs {
            file: FileLimit { max_file_mb: self.file.max_file_mb.or(fallback.file.max_file_mb) },
            work: WorkLimit { max_work: self.work.max_work.or(fallback.work.max_work) },
            memory: MemoryLimit { max_memory_gb: self.memory.max_memory_gb.or(fallback.memory.max_memory_gb) },
        }
    }

    /// The flags given, by name.
    pub(crate) fn given(&self) -> Vec<&'static str> {
        [
            ("--max-file-mb", self.file.max_file_mb.is_some()),
            ("--max-work", self.work.max_work.is_some()),
            ("--max-memory-gb", self.memory.max_memory_gb.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }

    /// Refuses limit values that are not a positive number (`--max-work nan`,
    /// `--max-graph-gb -1`), naming the flag; `graph` holds `--max-graph-gb`.
    pub fn check(&self, graph: &GraphArgs) -> Result<(), LimitError> {
        let positive = |flag: &str, value: f64, unit: &str, example: &str| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(LimitError::Flag(format!("{flag} {value}: expected a number of {unit} above 0, such as {example}")))
            }
        };
        if let Some(work) = self.work.max_work {
            positive("--max-work", work, "element operations", "1e12")?;
        }
        if let Some(gb) = graph.max_graph_gb {
            positive("--max-graph-gb", gb, "GB", "8")?;
        }
        if let Some(gb) = self.memory.max_memory_gb {
            positive("--max-memory-gb", gb, "GB", "8")?;
        }
        Ok(())
    }
}

impl From<AnalysisLimits> for LimitArgs {
    fn from(a: AnalysisLimits) -> LimitArgs {
        LimitArgs { file: a.file, memory: a.memory, ..LimitArgs::default() }
    }
}

impl From<MemoryLimit> for LimitArgs {
    fn from(memory: MemoryLimit) -> LimitArgs {
        LimitArgs { memory, ..LimitArgs::default() }
    }
}

/// Headless subcommands for scripts and CI.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the analysis: the text report (levels, critical path, work/span, groups,
    /// diagnostics), or with --format the plan as JSON or Graphviz DOT.
    Report {
        /// The IR file.
        file: PathBuf,
        /// text: the report (default); json: the plan (groggy's ParallelExecutionPlan fields
        /// plus irtop's, as `irtop plan`); dot: Graphviz DOT (as `irtop dot`).
        #[arg(long, value_name = "FORMAT", value_parser = super::format::parser(Kind::Analysis))]
        format: Option<Format>,
        /// With --format json: the sections to write, comma-separated (see `irtop plan --help`).
        #[arg(long, value_name = "LIST")]
        fields: Option<Fields>,
        /// With --format json: indent the JSON (about twice the size).
        #[arg(long)]
        pretty: bool,
        /// With --format dot: draw every op, however large the IR.
        #[arg(long)]
        full: bool,
        /// `--deny`.
        #[command(flatten)]
        lint: super::lint::LintArgs,
        /// `--max-file-mb`, `--max-memory-gb`.
        #[command(flatten)]
        limits: AnalysisLimits,
    },
    /// Print the plan as JSON (groggy's ParallelExecutionPlan fields plus irtop's). Kept for
    /// scripts: the same as `irtop report --format json`.
    Plan {
        /// The IR file.
        file: PathBuf,
        /// Sections to write, comma-separated: levels, groups, sequential_plan, live_ranges,
        /// critical_path, longest_chain, edges, nodes, groggy, diagnostics; `default` (groggy's
        /// fields, the two paths and the diagnostics) and `all` stand for sets.
        #[arg(long, value_name = "LIST", default_value = "default")]
        fields: Fields,
        /// Indent the JSON (about twice the size).
        #[arg(long)]
        pretty: bool,
        /// `--deny`.
        #[command(flatten)]
        lint: super::lint::LintArgs,
        /// `--max-file-mb`, `--max-memory-gb`.
        #[command(flatten)]
        limits: AnalysisLimits,
    },
    /// Print Graphviz DOT: one rank per level, the critical path bold. When graphviz would
    /// take minutes (about 1,000 layered or 400 random ops), each level is one box with its op
    /// counts by domain and only the critical path is drawn op by op. Kept for scripts: the
    /// same as `irtop report --format dot`.
    Dot {
        /// The IR file.
        file: PathBuf,
        /// Draw every op, however large the IR.
        #[arg(long)]
        full: bool,
        /// `--deny`.
        #[command(flatten)]
        lint: super::lint::LintArgs,
        /// `--max-file-mb`, `--max-memory-gb`.
        #[command(flatten)]
        limits: AnalysisLimits,
    },
    /// Run the IR once on a graph and write its values (every node-map variable, or --var ones).
    Run {
        /// The IR file.
        file: PathBuf,
        /// The graph.
        #[command(flatten)]
        graph: GraphArgs,
        /// Scheduling mode.
        #[arg(long, value_enum, default_value = "seq")]
        mode: Mode,
        /// Worker threads (default: one per core; at most 256).
        #[arg(long)]
        threads: Option<usize>,
        /// Only write this variable (repeatable).
        #[arg(long = "var", value_name = "NAME")]
        vars: Vec<String>,
        /// json (default) or csv (a `node_id` column and one per node-map variable). Without
        /// --format, an --out file whose name ends in `.csv` gets CSV (the older spelling).
        #[arg(long, value_name = "FORMAT", value_parser = super::format::parser(Kind::Values))]
        format: Option<Format>,
        /// Write to this file instead of stdout (replaced whole once the run is done).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Run each op as its own pass over the nodes instead of fusing element-wise chains
        /// (the results are the same bits).
        #[arg(long)]
        no_fuse: bool,
        /// `--max-file-mb`, `--max-work`, `--max-memory-gb`.
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Time the IR in seq and every parallel mode; print medians, speedups and groggy's prediction.
    Bench {
        /// The IR file (not with --all).
        #[arg(required_unless_present = "all")]
        file: Option<PathBuf>,
        /// Benchmark every `*.json` IR in DIR at each of --scales and print the prediction
        /// accuracy table.
        #[arg(long, value_name = "DIR", conflicts_with_all = ["file", "trace"])]
        all: Option<PathBuf>,
        /// With --all: the R-MAT scales (edge factor 16).
        #[arg(long, value_name = "S,S,...", value_delimiter = ',', requires = "all", default_values_t = crate::predict::accuracy::DEFAULT_SCALES)]
        scales: Vec<u32>,
        /// With --all: measure each row twice, to show the run-to-run spread.
        #[arg(long, requires = "all")]
        twice: bool,
        /// The graph (default: R-MAT scale 18, edge factor 16).
        #[command(flatten)]
        graph: GraphArgs,
        /// Worker threads of the parallel modes (default: one per core; at most 256).
        #[arg(long)]
        threads: Option<usize>,
        /// Timed rounds (each runs every mode once), after a warm-up round. Default: at
        /// least 5, then more until every speedup's 95% interval is within ±2.5% or the
        /// budget is spent.
        #[arg(long, value_name = "N")]
        reps: Option<usize>,
        /// Seconds the benchmark may take, warm-up included. A synthetic graph too big for it
        /// is scaled down (the report says so); an edge-list file is refused.
        #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_BUDGET_S)]
        budget: f64,
        /// Only these modes (repeatable; seq always runs as the baseline; default: all).
        #[arg(long = "mode", value_name = "MODE", value_enum)]
        modes: Vec<Mode>,
        /// text: the table (default); json: the report as JSON; trace: the last round of each
        /// mode as Chrome trace-event JSON (not with --all, which writes text or json).
        #[arg(long, value_name = "FORMAT", value_parser = super::format::parser(Kind::Bench))]
        format: Option<Format>,
        /// Deprecated: the same as --format json.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Also write the Chrome trace (what --format trace prints) to FILE, beside the table
        /// or JSON on stdout.
        #[arg(long, value_name = "FILE")]
        trace: Option<PathBuf>,
        /// Run each op as its own pass over the nodes instead of fusing element-wise chains
        /// (the results are the same bits), to see what fusion buys.
        #[arg(long)]
        no_fuse: bool,
        /// `--max-file-mb`, `--max-work`, `--max-memory-gb`.
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Measure this machine's per-op costs and parallel overheads (under a minute) and cache
    /// them for the predictions.
    Calibrate {
        /// Threads to measure parallel behaviour with (default: one per core; at most 256).
        #[arg(long)]
        threads: Option<usize>,
        /// json, the only format of the constants (the default).
        #[arg(long, value_name = "FORMAT", value_parser = super::format::parser(Kind::Calibration))]
        format: Option<Format>,
        /// `--max-memory-gb`.
        #[command(flatten)]
        limits: MemoryLimit,
    },
    /// Print a completion script for a shell: `irtop completions bash > ~/.local/share/bash-completion/completions/irtop`,
    /// `irtop completions zsh > ~/.zfunc/_irtop`, `irtop completions fish > ~/.config/fish/completions/irtop.fish`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write a large generated IR (seeded) to stdout, to measure irtop at scale.
    Gen {
        /// Number of ops (at most 10,000,000).
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
        /// json, the only format of an IR (the default).
        #[arg(long, value_name = "FORMAT", value_parser = super::format::parser(Kind::Ir))]
        format: Option<Format>,
        /// `--max-memory-gb`.
        #[command(flatten)]
        limits: MemoryLimit,
    },
}

impl Command {
    /// The subcommand's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Report { .. } => "report",
            Command::Plan { .. } => "plan",
            Command::Dot { .. } => "dot",
            Command::Run { .. } => "run",
            Command::Bench { .. } => "bench",
            Command::Calibrate { .. } => "calibrate",
            Command::Gen { .. } => "gen",
            Command::Completions { .. } => "completions",
        }
    }
}

impl Command {
    /// The limit flags given after the subcommand, and the names of those it takes
    /// (`--max-graph-gb` is with the graph flags of `run` and `bench`).
    pub fn limits(&self) -> (LimitArgs, &'static [&'static str]) {
        const ANALYSIS: &[&str] = &["--max-file-mb", "--max-memory-gb"];
        const RUNS: &[&str] = &["--max-file-mb", "--max-work", "--max-memory-gb", "--max-graph-gb"];
        const MEMORY: &[&str] = &["--max-memory-gb"];
        match self {
            Command::Report { limits, .. } | Command::Plan { limits, .. } | Command::Dot { limits, .. } => {
                ((*limits).into(), ANALYSIS)
            }
            Command::Run { limits, .. } | Command::Bench { limits, .. } => (*limits, RUNS),
            Command::Calibrate { limits, .. } | Command::Gen { limits, .. } => ((*limits).into(), MEMORY),
            Command::Completions { .. } => (LimitArgs::default(), &[]),
        }
    }
}

impl Cli {
    /// The top-level arguments given together with a subcommand that the subcommand would
    /// ignore: the terminal UI's file and its graph flags (`irtop --rmat 12 run x.json`), and
    /// a limit flag the subcommand does not take (`irtop --max-work 5 calibrate`). A limit
    /// flag the subcommand takes is not among them: it applies wherever it is given.
    pub fn misplaced(&self) -> Vec<&'static str> {
        let Some(command) = &self.command else { return Vec::new() };
        let default = GraphSpec::default();
        let g = &self.graph;
        let takes = command.limits().1;
        let limits = self.limits.given().into_iter().chain(g.max_graph_gb.map(|_| "--max-graph-gb"));
        [
            ("FILE", self.file.is_some()),
            ("--graph", g.graph.is_some()),
            ("--rmat", g.rmat.is_some()),
            ("--uniform", g.uniform.is_some()),
            ("--edges", g.edges.is_some()),
            ("--edge-factor", g.edge_factor != default.edge_factor),
            ("--seed", g.seed != default.seed),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .chain(limits.filter(|flag| !takes.contains(flag)))
        .collect()
    }

    /// The limits a subcommand applies: its own limit flags, else those given before it,
    /// else the defaults; `graph` is its graph flags (the top level's for the others).
    pub fn limits_for(&self, graph: &GraphArgs) -> (LimitArgs, GraphArgs) {
        let own = self.command.as_ref().map_or_else(LimitArgs::default, |c| c.limits().0);
        let graph = GraphArgs { max_graph_gb: graph.max_graph_gb.or(self.graph.max_graph_gb), ..graph.clone() };
        (own.or(self.limits), graph)
    }
}

/// `--shape` takes a shape by its name; the engine's [`Shape`] knows nothing of clap.
impl clap::ValueEnum for Shape {
    fn value_variants<'a>() -> &'a [Shape] {
        &Shape::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            Shape::Random => "Each op reads one or two recent variables; some ops update in place",
            Shape::Layered => "`ops / width` layers; each op reads one or two outputs of the previous layer",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

/// `--mode` takes a mode by its name, and `--help` lists them with what each does.
impl clap::ValueEnum for Mode {
    fn value_variants<'a>() -> &'a [Mode] {
        &Mode::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self.name() {
            "seq" => "One thread, in program order (the baseline)",
            "levels" => "The ops of a level at once, a barrier between levels",
            "dataflow" => "Each op as soon as its dependencies are done, no barriers",
            "data" => "Ops in program order, each kernel split over node chunks",
            "levels+data" => "levels, with kernels split over node chunks",
            "dataflow+data" => "dataflow, with kernels split over node chunks",
            _ => "The plan the cost model predicts fastest, per loop body and per op",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::limits::{DEFAULT_MAX_FILE_MB, DEFAULT_MAX_WORK};

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("irtop").chain(args.iter().copied())).expect("parses")
    }

    /// The limits a parsed `run` applies.
    fn run_limits(cli: &Cli) -> Limits {
        match &cli.command {
            Some(Command::Run { graph, .. }) => {
                let (limits, graph) = cli.limits_for(graph);
                limits.limits(&graph)
            }
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn limit_flags_are_the_same_before_or_after_the_subcommand() {
        let flags = ["--max-file-mb", "3", "--max-work", "1e5", "--max-graph-gb", "2", "--max-memory-gb", "4"];
        let before = parse(&[&flags[..], &["run", "x.json", "--rmat", "5"]].concat());
        let after = parse(&[&["run", "x.json", "--rmat", "5"], &flags[..]].concat());
        let want = Limits {
            max_file_bytes: 3 << 20,
            max_work: 1e5,
            max_graph_bytes: Some(2_000_000_000),
            max_memory_bytes: Some(4_000_000_000),
            regular_files_only: false,
        };
        assert_eq!(run_limits(&before), want);
        assert_eq!(run_limits(&after), want);
        assert!(before.misplaced().is_empty() && after.misplaced().is_empty());
        // Without a subcommand they are the terminal UI's.
        let tui = parse(&["--max-graph-gb", "2", "--max-work", "1e5", "x.json"]);
        assert_eq!(tui.limits.limits(&tui.graph).max_graph_bytes, Some(2_000_000_000));
        assert!(tui.misplaced().is_empty());
    }

    #[test]
    fn the_tui_file_and_graph_flags_before_a_subcommand_are_misplaced() {
        assert_eq!(parse(&["--rmat", "5", "--seed", "3", "run", "x.json"]).misplaced(), ["--rmat", "--seed"]);
        assert_eq!(parse(&["x.json", "report", "y.json"]).misplaced(), ["FILE"]);
        assert_eq!(parse(&["--edge-factor", "4", "plan", "y.json"]).misplaced(), ["--edge-factor"]);
        assert!(parse(&["--rmat", "5", "x.json"]).misplaced().is_empty());
        assert!(parse(&["run", "x.json", "--rmat", "5", "--seed", "3"]).misplaced().is_empty());
    }

    #[test]
    fn limit_flags_are_listed_only_where_they_apply() {
        let mut cli = Cli::command();
        let flags = |cmd: &clap::Command| -> Vec<String> {
            cmd.get_arguments()
                .filter_map(|a| a.get_long())
                .filter(|l| l.starts_with("max-"))
                .map(String::from)
                .collect()
        };
        let want: [(&[&str], &[&str]); 8] = [
            (&["report", "x"], &["max-file-mb", "max-memory-gb"]),
            (&["plan", "x"], &["max-file-mb", "max-memory-gb"]),
            (&["dot", "x"], &["max-file-mb", "max-memory-gb"]),
            (&["run", "x"], &["max-graph-gb", "max-file-mb", "max-work", "max-memory-gb"]),
            (&["bench", "x"], &["max-graph-gb", "max-file-mb", "max-work", "max-memory-gb"]),
            (&["calibrate"], &["max-memory-gb"]),
            (&["gen"], &["max-memory-gb"]),
            (&["completions", "bash"], &[]),
        ];
        cli.build();
        for (args, limits) in want {
            let sub = cli.find_subcommand(args[0]).expect("a subcommand");
            assert_eq!(flags(sub), limits, "irtop {} --help", args[0]);
            let (_, takes) = parse(args).command.expect("a subcommand").limits();
            let takes: Vec<_> = takes.iter().map(|t| t.trim_start_matches('-')).collect();
            assert_eq!(takes.len(), limits.len(), "{args:?}");
            assert!(takes.iter().all(|t| limits.contains(t)), "{args:?}");
        }
        // The defaults the help states are the ones applied.
        let help = cli.find_subcommand_mut("run").expect("run").render_long_help().to_string();
        assert!(help.contains(&format!("[default: {DEFAULT_MAX_FILE_MB}]")), "{help}");
        assert!(help.contains(&format!("[default: {DEFAULT_MAX_WORK:e}]")), "{help}");
        // A limit flag before a subcommand that does not take it is refused.
        assert_eq!(parse(&["--max-work", "5", "calibrate"]).misplaced(), ["--max-work"]);
        assert_eq!(parse(&["--max-graph-gb", "5", "report", "x.json"]).misplaced(), ["--max-graph-gb"]);
        assert!(parse(&["--max-memory-gb", "5", "gen"]).misplaced().is_empty());
    }
}
