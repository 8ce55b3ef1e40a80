//! The terminal UI on a million-op IR, through the real binary in tmux: the time from
//! starting `irtop FILE` to a screen that shows the header and the levels, and from saving a
//! new version of the file (renamed over it, as editors do) to a screen that shows it.
//! Medians of 3 of each; the process's peak RSS at the end.
//!
//! `cargo bench --bench tui_scale` (`IRTOP_TUI_OPS=100000` for another size). Skips
//! without tmux.

#[path = "../tests/tmux_support/mod.rs"]
mod tmux_support;

use std::time::{Duration, Instant};

use irtop::generate::{Shape, generate};
use tmux_support::{TempDir, Tmux, command_line, read_pid, tmux_installed};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn peak_rss_mb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    if !tmux_installed() {
        println!("tmux is not installed: skipped");
        return;
    }
    let ops: usize = std::env::var("IRTOP_TUI_OPS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let dir = TempDir::new("tui-scale");
    let file = dir.0.join("big.json");
    let text = String::from_utf8(generate(Shape::Random, ops, 100, 1)).expect("UTF-8");
    let name = format!("\"random_{ops}\"");
    std::fs::write(&file, &text).expect("write the IR");
    let header = format!("{ops} ops");

    let (mut first, mut reloads, mut rss) = (Vec::new(), Vec::new(), 0);
    for round in 0..3 {
        let tmux = Tmux::new(&format!("tui-scale-{round}"));
        let pid_file = dir.0.join(format!("pid-{round}"));
        let started = Instant::now();
        tmux.start(&command_line(&file, &pid_file, ""));
        let pid = read_pid(&pid_file);
        tmux.wait_for("the first screen", |s| s.contains(&header) && s.contains("Levels"));
        first.push(started.elapsed());
        let version = format!("random_{ops}_v{round}");
        // Written beside the file first, then renamed over it: the save is the rename.
        let tmp = file.with_extension("json.swp");
        std::fs::write(&tmp, text.replacen(&name, &format!("\"{version}\""), 1)).expect("write");
        let saved = Instant::now();
        std::fs::rename(&tmp, &file).expect("rename");
        tmux.wait_for("the new version", |s| s.contains(&version));
        reloads.push(saved.elapsed());
        rss = rss.max(peak_rss_mb(pid));
        tmux.keys("q");
        std::fs::write(&file, &text).expect("restore the IR");
    }
    println!("irtop on {ops} ops in tmux (160x48), 3 rounds");
    println!("first draw: median {:.2} s ({:?})", median(first.clone()).as_secs_f64(), first);
    println!("save to redraw: median {:.2} s ({:?})", median(reloads.clone()).as_secs_f64(), reloads);
    println!("peak RSS: {rss} MB");
}
