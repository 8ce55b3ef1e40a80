//! The model: what the TUI knows about the world (the file, its last good analysis, what
//! went wrong since, the benchmarks run). Nothing here is about how it is shown.

use std::path::PathBuf;
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::exec::Mode;
use crate::ir::{Ir, LoadError};
use crate::report::bench_report::BenchReport;

use super::bench_job::ModeChoice;
use super::clock::WallTime;

/// A loaded and analysed file: immutable, cheap to clone and to send to a worker.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The IR as loaded.
    pub ir: Arc<Ir>,
    /// Its analysis.
    pub analysis: Arc<Analysis>,
    /// When the load finished.
    pub(crate) loaded_at: WallTime,
    /// Held while the snapshot travels from the reload worker to the screen: the worker
    /// builds no other analysis until it is dropped (see [`super::reload_job`]).
    pub(crate) delivery: Option<Arc<()>>,
    /// A hash of the file's bytes when it was loaded from a file (none for an IR built
    /// otherwise): a reload that finds the same bytes is not a new version.
    pub(crate) content: Option<u64>,
}

impl Snapshot {
    /// Wraps an IR and its analysis.
    pub fn new(ir: Ir, analysis: Analysis, loaded_at: WallTime) -> Snapshot {
        Snapshot { ir: Arc::new(ir), analysis: Arc::new(analysis), loaded_at, delivery: None, content: None }
    }
}

/// Why the file on disk does not give a new analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// The file is gone (deleted, or renamed away mid-save).
    Deleted,
    /// The file is a symbolic link whose target (named here, as the link says it) is gone.
    DanglingLink(String),
    /// irtop was started on a file that does not exist yet; it shows it once it is saved.
    NotCreated,
    /// The file exists but is not a loadable IR.
    Invalid {
        /// Where: `3:5` (line:column) or `node node_2`; empty when the loader gives no place.
        location: String,
        /// What is wrong and what to change.
        message: String,
    },
    /// The file could not be read (permissions, I/O).
    Unreadable(String),
    /// The analysis itself failed (a bug in irtop); the message is the panic's.
    Crashed(String),
}

impl FileProblem {
    /// Classifies the error of loading `path`: [`FileProblem::from_load_error`], except that
    /// a file not found because `path` is a link to a missing file says so.
    pub fn of_loading(path: &std::path::Path, e: &LoadError) -> FileProblem {
        match FileProblem::from_load_error(e) {
            FileProblem::Deleted => match std::fs::read_link(path) {
                Ok(target) => FileProblem::DanglingLink(target.display().to_string()),
                Err(_) => FileProblem::Deleted,
            },
            other => other,
        }
    }

    /// Classifies a loader error; the location omits the path, which the UI shows separately.
    pub fn from_load_error(e: &LoadError) -> FileProblem {
        match e {
            LoadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => FileProblem::Deleted,
            LoadError::Io { source, .. } => FileProblem::Unreadable(source.to_string()),
            LoadError::Limit(crate::limits::LimitError::FileTooLarge { bytes, limit, .. }) => {
                FileProblem::Unreadable(format!(
                    "it is {:.1} MiB, over the limit of {:.1} MiB (start irtop with --max-file-mb to raise it)",
                    *bytes as f64 / 1048576.0,
                    *limit as f64 / 1048576.0
                ))
            }
            LoadError::Limit(other) => {
                // The banner names the file itself; the message starts with its path.
                let text = other.to_string();
                let path = match other {
                    crate::limits::LimitError::NotAFile { path, .. } => Some(path.display().to_string()),
                    crate::limits::LimitError::TooMuchMemory { what, .. } => {
                        what.split_once(": ").map(|(p, _)| p.into())
                    }
                    _ => None,
                };
                let why = path.and_then(|p| text.strip_prefix(&format!("{p}: ")).map(str::to_owned));
                FileProblem::Unreadable(why.unwrap_or(text))
            }
            LoadError::Json { line, column, message, .. } => {
                FileProblem::Invalid { location: format!("{line}:{column}"), message: message.clone() }
            }
            LoadError::Node { node, message, .. } => {
                FileProblem::Invalid { location: format!("node {node}"), message: message.clone() }
            }
        }
    }

    /// One line for the banner, naming the file as `file_name`.
    pub fn describe(&self, file_name: &str) -> String {
        match self {
            FileProblem::Deleted => format!("{file_name} was deleted; waiting for it to come back"),
            FileProblem::DanglingLink(target) => {
                format!("{file_name} is a symbolic link to {target}, which does not exist; waiting for it to come back")
            }
            FileProblem::NotCreated => format!("{file_name} does not exist yet; it is shown as soon as it is saved"),
            FileProblem::Invalid { location, message } if location.starts_with("node ") => {
                format!("{file_name}: {location}: {message}")
            }
            FileProblem::Invalid { location, message } => format!("{file_name}:{location}: {message}"),
            FileProblem::Unreadable(why) => format!("{file_name}: cannot read the file: {why}"),
            FileProblem::Crashed(why) => format!("{file_name}: the analysis failed (a bug in irtop): {why}"),
        }
    }
}

/// A background job that is latest-wins: each request gets a new generation, and only the
/// result of the latest generation is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobState {
    /// Generation of the latest request.
    pub generation: u64,
    /// True until the latest request's result arrives.
    pub pending: bool,
}

impl JobState {
    /// Starts a new request and returns its generation.
    pub fn start(&mut self) -> u64 {
        self.generation += 1;
        self.pending = true;
        self.generation
    }

    /// True when `generation` is the latest request and it is still pending.
    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.pending && generation == self.generation
    }
}

/// A benchmark in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRun {
    /// Its generation (latest-wins, like reloads).
    pub generation: u64,
    /// Progress, 0 to 1.
    pub progress: f32,
    /// Where it is (the round and mode running, the time left).
    pub label: String,
    /// Threads requested.
    pub threads: usize,
    /// Modes requested.
    pub mode: ModeChoice,
    /// The [`Model::version`] of the snapshot it runs on.
    pub version: u64,
    /// Started by a save with auto-bench on (`a`), not by `b`.
    pub on_save: bool,
}

/// One finished benchmark, for the history.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRecord {
    /// The best parallel mode's speedup over seq (1.0 when only seq ran).
    pub(crate) best_speedup: f64,
    /// That mode (seq when only seq ran).
    pub best_mode: Mode,
    /// groggy's predicted speedup at the time.
    pub predicted: f64,
    /// Threads used.
    pub threads: usize,
    /// The [`Model::version`] it was measured on: which save the point belongs to.
    pub version: u64,
    /// When that version was loaded (the save's time, which labels the point).
    pub saved_at: WallTime,
    /// The modes asked for.
    pub choice: ModeChoice,
    /// Started by a save with auto-bench on.
    pub on_save: bool,
    /// The graph it ran on (`rmat:10:16:seed=1`), with its size.
    pub graph: String,
    /// Each mode measured, in the order run.
    pub modes: Vec<ModeResult>,
}

/// One mode of a finished benchmark, as the session history keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeResult {
    /// The mode.
    pub mode: Mode,
    /// Median time of one run, seconds.
    pub median_s: f64,
    /// Measured speedup over seq.
    pub speedup: f64,
    /// irtop's predicted speedup (calibrated when seq ran, else static), if it made one.
    pub predicted: Option<f64>,
}

impl BenchRecord {
    /// The record of `report`, run as `run` on a version loaded at `saved_at`.
    pub(crate) fn of(report: &BenchReport, run: &BenchRun, saved_at: WallTime) -> BenchRecord {
        let best = report.best_parallel();
        let m = &report.measured;
        BenchRecord {
            best_speedup: best.map_or(1.0, |m| m.speedup),
            best_mode: best.map_or(Mode::SEQ, |m| m.mode),
            predicted: report.predicted.groggy,
            threads: m.threads,
            version: run.version,
            saved_at,
            choice: run.mode,
            on_save: run.on_save,
            graph: format!("{} ({} nodes, {} edges)", m.graph.source, m.graph.nodes, m.graph.edges),
            modes: report
                .rows()
                .map(|(m, p)| ModeResult {
                    mode: m.mode,
                    median_s: m.median_s,
                    speedup: m.speedup,
                    predicted: p.map(|p| p.calibrated.unwrap_or(p.static_model)),
                })
                .collect(),
        }
    }

    /// The mode a comparison of this run with another uses: the one asked for, else the best
    /// parallel one.
    pub(crate) fn compared_mode(&self) -> Mode {
        match self.choice {
            ModeChoice::Only(m) => m,
            ModeChoice::All => self.best_mode,
        }
    }

    /// `mode`'s result, if it ran.
    pub(crate) fn mode(&self, mode: Mode) -> Option<&ModeResult> {
        self.modes.iter().find(|r| r.mode == mode)
    }
}

/// Benchmark settings, the run in flight, and the results so far.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchState {
    /// Threads for the next run.
    pub threads: usize,
    /// The modes of the next run (`m` and `M` cycle through [`ModeChoice::ALL`]).
    pub mode: ModeChoice,
    /// Generation counter of bench requests.
    pub job: JobState,
    /// The run in flight.
    pub running: Option<BenchRun>,
    /// The latest completed report.
    pub last: Option<BenchReport>,
    /// Every completed run since start, oldest first.
    pub history: Vec<BenchRecord>,
    /// The last run's failure, until the next run starts.
    pub error: Option<String>,
    /// The [`Model::version`] the latest report was measured on.
    pub(crate) last_version: u64,
    /// The graph `b` runs on, as the command line gave it (`rmat:18:16:seed=1, 262144
    /// nodes, 4194304 edges`); empty when not known.
    pub graph: String,
    /// The threads the machine runs at once (the default of [`BenchState::threads`]): `+`
    /// past them says that more threads take turns.
    pub(crate) cores: usize,
    /// `a`: each save (a reload that brings a new version) starts a run, as `b` does.
    pub auto_on_save: bool,
}

impl BenchState {
    /// Settings for `threads` threads, mode `all`, nothing run yet.
    pub fn new(threads: usize) -> BenchState {
        BenchState {
            threads: threads.max(1),
            mode: ModeChoice::All,
            job: JobState::default(),
            running: None,
            last: None,
            history: Vec::new(),
            error: None,
            last_version: 0,
            graph: String::new(),
            cores: threads.max(1),
            auto_on_save: false,
        }
    }
}

/// Everything the TUI knows, apart from how it is shown.
#[derive(Debug, Clone)]
pub struct Model {
    /// The watched file, as given.
    pub path: PathBuf,
    /// The file's name, as shown (no directories, so screens do not depend on where it is).
    pub file_name: String,
    /// The last good analysis (stale while `problem` is set).
    pub snapshot: Snapshot,
    /// Why the file on disk does not match `snapshot`, if it does not.
    pub problem: Option<FileProblem>,
    /// The reload job.
    pub reload: JobState,
    /// How many times the snapshot was replaced since start: a benchmark remembers the
    /// version it ran on, so results of an earlier version of the file are marked.
    pub version: u64,
    /// Why live reload is off, if the watcher failed.
    pub(crate) watch_error: Option<String>,
    /// Benchmarks.
    pub bench: BenchState,
    /// What each save changed, and the pinned baseline.
    pub saves: super::save_diff::SaveLog,
    /// `f`: reloads held while the screen is frozen.
    pub freeze: super::freeze::Freeze,
}

impl Model {
    /// True when the analysis on screen no longer matches the file.
    pub fn is_stale(&self) -> bool {
        self.problem.is_some()
    }

    /// The latest finished benchmark of version `version`, if one ran on it.
    pub(crate) fn run_of(&self, version: u64) -> Option<&BenchRecord> {
        self.bench.history.iter().rev().find(|r| r.version == version)
    }

    /// True when the latest benchmark report was measured on an earlier version of the file
    /// than the analysis on screen.
    pub(crate) fn bench_is_stale(&self) -> bool {
        self.bench.last.is_some() && self.bench.last_version != self.version
    }
}
