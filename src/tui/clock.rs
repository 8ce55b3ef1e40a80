//! Wall-clock time as the TUI shows it. The runtime reads the clock and puts the value in a
//! message; `update` and drawing never read it, so tests inject a fixed time. Times are
//! shown in the local time zone, read once at startup ([`Zone::local_at`]).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WallTime(pub u64);

impl WallTime {
    /// The current time (clamped to the epoch if the clock is set before it).
    pub fn now() -> WallTime {
        WallTime(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
    }

    /// `HH:MM:SS ZONE`: the time of day in `zone`, named.
    pub(crate) fn hms(self, zone: &Zone) -> String {
        let s = (self.0 as i64 + zone.offset_s).rem_euclid(86_400);
        format!("{:02}:{:02}:{:02} {}", s / 3600, s / 60 % 60, s % 60, zone.name)
    }
}

/// A time zone as the screen shows times in it: the offset from UTC and its short name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// Seconds east of UTC.
    pub offset_s: i64,
    /// `UTC`, `CET`, `+0530` ...
    pub name: String,
}

impl Zone {
    /// UTC (the tests' zone, and the fallback when the local one is unknown).
    pub fn utc() -> Zone {
        Zone { offset_s: 0, name: "UTC".to_owned() }
    }

    /// The local time zone at `at`, from the C library (`TZ`, `/etc/localtime`); UTC when
    /// it cannot tell. Read once by the runtime, so a change of daylight saving time during
    /// a session shows from the next start.
    pub fn local_at(at: WallTime) -> Zone {
        let Ok(t) = libc::time_t::try_from(at.0) else { return Zone::utc() };
        // SAFETY: `tm` is plain data that localtime_r fills in; both pointers are valid for
        // the call, and tm_zone, when set, points at a NUL-terminated static string.
        unsafe {
            let mut tm: libc::tm = std::mem::zeroed();
            if libc::localtime_r(&t, &mut tm).is_null() {
                return Zone::utc();
            }
            let offset_s = tm.tm_gmtoff;
            let name = if tm.tm_zone.is_null() {
                String::new()
            } else {
                std::ffi::CStr::from_ptr(tm.tm_zone).to_string_lossy().into_owned()
            };
            let name = if name.trim().is_empty() {
                format!(
                    "{}{:02}{:02}",
                    if offset_s < 0 { '-' } else { '+' },
                    offset_s.abs() / 3600,
                    offset_s.abs() / 60 % 60
                )
            } else {
                name
            };
            Zone { offset_s, name }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_in_the_zone_with_its_name() {
        let noon = WallTime(86_400 * 20_000 + 12 * 3600);
        assert_eq!(noon.hms(&Zone::utc()), "12:00:00 UTC");
        assert_eq!(noon.hms(&Zone { offset_s: 5 * 3600 + 1800, name: "IST".into() }), "17:30:00 IST");
        // West of UTC, an early time falls on the day before.
        let early = WallTime(86_400 * 20_000 + 3600);
        assert_eq!(early.hms(&Zone { offset_s: -5 * 3600, name: "EST".into() }), "20:00:00 EST");
    }
}
