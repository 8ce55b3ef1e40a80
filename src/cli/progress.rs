//! A progress line on stderr for long commands: where the work is and, for a benchmark, the
//! time left. Hidden when stderr is not a terminal (indicatif draws nothing there).

use indicatif::{ProgressBar, ProgressStyle};

use crate::pipeline::Stage;

/// The progress line of one command.
pub(crate) struct ProgressLine(ProgressBar);

impl ProgressLine {
    /// A line that shows nothing until the first stage.
    pub(crate) fn new() -> ProgressLine {
        let bar = ProgressBar::new(1000);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {wide_msg} [{bar:24}] {percent:>3}%")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        ProgressLine(bar)
    }

    /// Shows `stage`.
    pub(crate) fn show(&self, stage: &Stage) {
        if let Stage::Bench(p) = stage {
            self.0.set_position((p.fraction.clamp(0.0, 1.0) * 1000.0) as u64);
        }
        if let Stage::ScaledDown(why) = stage {
            self.0.println(format!("irtop: {why}"));
        }
        self.0.set_message(stage.to_string());
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
