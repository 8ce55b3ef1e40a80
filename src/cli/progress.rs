//! A progress line on stderr for long commands (`run` and `bench` while the graph is built,
//! `bench`, `bench --all`, `calibrate`): where the work is and, for a benchmark, the time
//! left. Hidden when stderr is not a terminal (indicatif draws nothing there), so pipes and
//! logs get only the results. It redraws when the work reports a step, never on a timer: a
//! ticking thread would take CPU from the measurements it reports on.

use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use crate::pipeline::Stage;

/// The progress line of one command, and the kind of step it last showed (see
/// [`ProgressLine::first_of_its_kind`]).
pub(crate) struct ProgressLine(ProgressBar, AtomicUsize);

impl ProgressLine {
    /// A line that shows nothing until the first stage.
    pub(crate) fn new() -> ProgressLine {
        let bar = ProgressBar::new(1000);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {wide_msg} [{bar:24}] {percent:>3}% {elapsed:>4}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        ProgressLine(bar, AtomicUsize::new(usize::MAX))
    }

    /// Shows `stage`.
    pub(crate) fn show(&self, stage: &Stage) {
        if let Stage::Bench(p) = stage {
            self.set_fraction(f64::from(p.fraction));
        }
        if let Stage::ScaledDown(why) = stage {
            self.0.println(format!("irtop: {why}"));
        }
        self.0.set_message(stage.to_string());
        self.first_of_its_kind(0, stage);
    }

    /// Shows `stage` of the `k`-th of `n` jobs (0-based), `what` naming the job: the bar
    /// counts the jobs done and the fraction of this one.
    pub(crate) fn show_job(&self, k: usize, n: usize, what: &str, stage: &Stage) {
        let within = if let Stage::Bench(p) = stage { f64::from(p.fraction.clamp(0.0, 1.0)) } else { 0.0 };
        self.set_fraction((k as f64 + within) / n.max(1) as f64);
        self.0.set_message(format!("[{}/{n}] {what}: {stage}", k + 1));
        self.first_of_its_kind(k, stage);
    }

    /// indicatif draws at most 20 times a second, so a step shorter than that may never be
    /// seen. The first step of each kind (building the graph, sizing, the warm-up, the timed
    /// rounds ...) of each job is drawn whatever the rate; the runs within a kind stay
    /// rate-limited, so drawing takes no time from the measurements.
    fn first_of_its_kind(&self, job: usize, stage: &Stage) {
        let kind = match stage {
            Stage::Graph(_) => 1,
            Stage::Sizing => 2,
            Stage::Bench(p) if matches!(p.phase, crate::exec::bench::Phase::WarmUp(_)) => 3,
            Stage::Bench(_) => 4,
            Stage::ScaledDown(_) => 5,
            Stage::Predicting(_) => 6,
            Stage::Running(_) => 7,
        };
        let key = job.saturating_mul(8).saturating_add(kind);
        if self.1.swap(key, Ordering::Relaxed) != key {
            self.0.force_draw();
        }
    }

    /// Shows a step of a command that reports its own (`calibrate`), `done` of the way.
    pub(crate) fn step(&self, what: &str, done: f64) {
        self.set_fraction(done);
        self.0.set_message(what.to_owned());
    }

    fn set_fraction(&self, fraction: f64) {
        self.0.set_position((fraction.clamp(0.0, 1.0) * 1000.0) as u64);
    }

    /// Removes the line.
    pub(crate) fn done(&self) {
        self.0.finish_and_clear();
    }
}

impl Default for ProgressLine {
    fn default() -> ProgressLine {
        ProgressLine::new()
    }
}
