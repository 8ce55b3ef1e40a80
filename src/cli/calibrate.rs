//! `irtop calibrate`: the kernel micro-benchmarks, their constants printed and cached for
//! the predictions.

use std::io::Write;
use std::path::Path;

use super::CliError;
use super::progress::ProgressLine;
use crate::predict::calibrate::{Calibration, cache_path, calibrate as run_calibration, save_to};
use crate::report::export::{self, Data};
use crate::report::format::Format;

/// `irtop calibrate` on `threads` threads: runs the micro-benchmarks (a progress line on a
/// terminal names each phase), then [`print_and_save`]s them to the cache.
pub fn calibrate(threads: usize, format: Format, out: &mut dyn Write) -> Result<(), CliError> {
    let line = ProgressLine::new();
    let on = crate::units::count(threads, "thread");
    let c = run_calibration(threads, &|what, done| line.step(&format!("calibrating on {on}: {what}"), done));
    line.done();
    print_and_save(&c.map_err(CliError::Usage)?, format, cache_path().as_deref(), out)
}

/// Prints the constants of `c` as `format`, saves them to `path` (the cache) and says where. When the
/// cache cannot be written the constants are printed all the same (the seconds of
/// measuring are not lost) and the error names the path.
pub fn print_and_save(
    c: &Calibration,
    format: Format,
    path: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    export::write(out, Data::Calibration(&c.model), format)?;
    let Some(path) = path else {
        return Err(CliError::Usage(
            "cannot save the calibration: neither XDG_CACHE_HOME nor HOME is set; the constants above are not cached"
                .to_owned(),
        ));
    };
    match save_to(c, path) {
        Ok(()) => writeln!(out, "saved to {}", path.display())?,
        Err(e) => {
            out.flush()?;
            return Err(CliError::Usage(format!(
                "cannot save the calibration to {}: {e}; the constants above are not cached. \
                 Set XDG_CACHE_HOME to a writable directory and run `irtop calibrate` again",
                path.display()
            )));
        }
    }
    Ok(())
}
