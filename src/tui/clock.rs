//! Wall-clock time as the TUI shows it. The runtime reads the clock and puts the value in a
//! message; `update` and drawing never read it, so tests inject a fixed time.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WallTime(pub u64);

impl WallTime {
    /// The current time (clamped to the epoch if the clock is set before it).
    pub fn now() -> WallTime {
        WallTime(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
    }

    /// `HH:MM:SS UTC` (irtop has no time-zone database; UTC is unambiguous).
    pub(crate) fn hms_utc(self) -> String {
        let s = self.0 % 86_400;
        format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60)
    }
}
