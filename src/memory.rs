//! How much more memory this process may use: the least of what the machine has free
//! (`MemAvailable`), what the address-space and data-segment rlimits leave
//! (`RLIMIT_AS`/`RLIMIT_DATA` minus `VmSize`/`VmData`), and what the cgroup's memory limit
//! leaves (v2 `memory.max` minus `memory.current`, v1 `memory.limit_in_bytes` minus
//! `memory.usage_in_bytes`, on the process's cgroup and every ancestor).
//!
//! An allocation past any of these fails, and Rust aborts the process on a failed
//! allocation, so irtop checks its large allocations against [`budget`] before it makes them.

use std::path::{Path, PathBuf};

/// The memory this process may still use, and which limit says so.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Budget {
    /// Bytes.
    pub bytes: u64,
    /// The limit that binds and what it leaves, for messages: `the memory available
    /// (24.7 GB)`, `the 2.8 GB that RLIMIT_AS leaves (ulimit -v 4.0 GB, 1.2 GB mapped)`, ...
    pub source: String,
}

/// The memory the OS says is available (`MemAvailable` in `/proc/meminfo`), when known.
/// [`budget`] also takes the rlimits and the cgroup's limit into account.
pub(crate) fn available_memory() -> Option<u64> {
    std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| kib_field(&m, "MemAvailable:"))
}

/// The tightest of the limits that can be read; `None` where none can (not Linux).
pub(crate) fn budget() -> Option<Budget> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mut candidates = Vec::new();
    if let Some(b) = available_memory() {
        candidates.push(Budget { bytes: b, source: format!("the memory available ({})", gb(b)) });
    }
    for (resource, name, field) in
        [(libc::RLIMIT_AS, "RLIMIT_AS (ulimit -v", "VmSize:"), (libc::RLIMIT_DATA, "RLIMIT_DATA (ulimit -d", "VmData:")]
    {
        if let Some(limit) = rlimit(resource) {
            candidates.push(left_under(name, limit, kib_field(&status, field).unwrap_or(0), "mapped", ""));
        }
    }
    let cgroups = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    candidates.extend(cgroup_limits(&cgroups, Path::new("/sys/fs/cgroup")));
    least(candidates)
}

/// The candidate with the fewest bytes.
fn least(candidates: Vec<Budget>) -> Option<Budget> {
    candidates.into_iter().min_by_key(|b| b.bytes)
}

/// What a limit of `limit` bytes leaves with `used` taken: `the 2.8 GB that {name} 4.0 GB,
/// 1.2 GB {taken}{place})` (`name` names the limit and opens the parenthesis; `taken` says
/// how: `mapped` address space counts against an rlimit, memory `in use` against a cgroup).
fn left_under(name: &str, limit: u64, used: u64, taken: &str, place: &str) -> Budget {
    let (limit_name, detail) = name.split_once(" (").unwrap_or((name, ""));
    let bytes = limit.saturating_sub(used);
    let source =
        format!("the {} that {limit_name} leaves ({detail} {}, {} {taken}{place})", gb(bytes), gb(limit), gb(used));
    Budget { bytes, source }
}

/// `24.7 GB`, `0.350 GB`.
pub(crate) fn gb(bytes: u64) -> String {
    let gb = bytes as f64 / 1e9;
    if gb >= 1.0 { format!("{gb:.1} GB") } else { format!("{gb:.3} GB") }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

/// The soft limit of `resource`, when it is not unlimited.
fn rlimit(resource: Resource) -> Option<u64> {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the struct we pass and reads nothing else.
    let ok = unsafe { libc::getrlimit(resource, &mut r) } == 0;
    (ok && r.rlim_cur != libc::RLIM_INFINITY).then_some(r.rlim_cur)
}

/// A `Name:   1234 kB` line of a `/proc` file, in bytes.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// The cgroup memory limits on this process (`cgroups` is `/proc/self/cgroup`, `root` where
/// the hierarchies are mounted): one per cgroup from the process's own up to the root that
/// sets a limit, v2 and v1.
fn cgroup_limits(cgroups: &str, root: &Path) -> Vec<Budget> {
    let mut out = Vec::new();
    for line in cgroups.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let (dir, max_file, used_file) = if controllers.is_empty() {
            // v2: `0::/path`, under the unified mount (`root`, or `root/unified` in hybrid mode).
            let base = if root.join("cgroup.controllers").exists() { root.to_owned() } else { root.join("unified") };
            (base, "memory.max", "memory.current")
        } else if controllers.split(',').any(|c| c == "memory") {
            (root.join("memory"), "memory.limit_in_bytes", "memory.usage_in_bytes")
        } else {
            continue;
        };
        for cgroup in ancestors(&dir, path) {
            let read =
                |f: &str| std::fs::read_to_string(cgroup.join(f)).ok().and_then(|s| s.trim().parse::<u64>().ok());
            // v2 writes `max` for no limit; v1 a number near 2^63.
            if let (Some(max), Some(used)) = (read(max_file), read(used_file))
                && max < 1 << 60
            {
                let place = format!(", {}", cgroup.display());
                out.push(left_under(&format!("the cgroup's memory limit ({max_file}"), max, used, "in use", &place));
            }
        }
    }
    out
}

/// `dir/path` and each of its parents up to `dir` itself.
fn ancestors(dir: &Path, path: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut p = dir.join(path.trim_start_matches('/'));
    loop {
        out.push(p.clone());
        if p == dir || !p.pop() || !p.starts_with(dir) {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_fields_in_bytes() {
        let status = "Name:\tirtop\nVmPeak:\t  20000 kB\nVmSize:\t   3896 kB\nVmData:\t    428 kB\n";
        assert_eq!(kib_field(status, "VmSize:"), Some(3896 * 1024));
        assert_eq!(kib_field(status, "VmData:"), Some(428 * 1024));
        assert_eq!(kib_field(status, "VmSwap:"), None);
    }

    #[test]
    fn the_tightest_limit_binds_and_says_which_it_is() {
        let b = least(vec![
            Budget { bytes: 20_000_000_000, source: "the memory available".into() },
            left_under("RLIMIT_AS (ulimit -v", 4_000_000_000, 1_200_000_000, "mapped", ""),
        ])
        .unwrap();
        let source = "the 2.8 GB that RLIMIT_AS leaves (ulimit -v 4.0 GB, 1.2 GB mapped)";
        assert_eq!(b, Budget { bytes: 2_800_000_000, source: source.into() });
        // Over the limit already: nothing left, no underflow.
        assert_eq!(left_under("x", 10, 20, "mapped", "").bytes, 0);
    }

    #[test]
    fn cgroup_limits_are_found_on_the_process_group_and_its_ancestors() {
        let root = std::env::temp_dir().join(format!("irtop-cgroup-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        // v1: a limit on the parent, none on the process's own group.
        let v1 = root.join("memory/jobs/42");
        std::fs::create_dir_all(&v1).unwrap();
        std::fs::write(v1.join("memory.limit_in_bytes"), "9223372036854771712\n").unwrap();
        std::fs::write(v1.join("memory.usage_in_bytes"), "1000\n").unwrap();
        std::fs::write(root.join("memory/jobs/memory.limit_in_bytes"), "3000000000\n").unwrap();
        std::fs::write(root.join("memory/jobs/memory.usage_in_bytes"), "1000000000\n").unwrap();
        // v2 in hybrid mode: `max` is no limit.
        let v2 = root.join("unified/user.slice");
        std::fs::create_dir_all(&v2).unwrap();
        std::fs::write(v2.join("memory.max"), "max\n").unwrap();
        std::fs::write(v2.join("memory.current"), "5\n").unwrap();
        let found = cgroup_limits("4:memory:/jobs/42\n3:cpu:/\n0::/user.slice\n", &root);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].bytes, 2_000_000_000);
        let want = "the 2.0 GB that the cgroup's memory limit leaves (memory.limit_in_bytes 3.0 GB, 1.0 GB in use, ";
        assert!(found[0].source.starts_with(want), "{}", found[0].source);
        assert!(found[0].source.ends_with("memory/jobs)"), "{}", found[0].source);
        // v2 with a limit.
        std::fs::write(v2.join("memory.max"), "1000000000\n").unwrap();
        let found = cgroup_limits("0::/user.slice\n", &root);
        assert_eq!(found.iter().map(|b| b.bytes).collect::<Vec<_>>(), [999_999_995]);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn this_process_has_a_budget() {
        let b = budget().expect("Linux has /proc/meminfo");
        assert!(b.bytes > 0, "{b:?}");
    }
}
