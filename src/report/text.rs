//! The text report: the seed's level listing, then what irtop adds (critical path,
//! work/span, groups with factors, loop bodies, diagnostics, where groggy differs).

use std::io::{self, Write};

use super::escape::escape_control as esc;
use super::style::{Palette, paint};
use crate::analysis::{Analysis, CriticalPath, DependencyGraph};
use crate::ir::{Ir, NodeId, Severity};
use crate::units::count;

/// Renders the report for `ir` as a string.
pub fn render(ir: &Ir, a: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and the report is UTF-8 text.
    let _ = write_report(&mut out, ir, a, &Palette::PLAIN);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes the report for `ir` to `out` as it goes (a million-op IR's report is 68 MB:
/// it is never held in memory whole).
pub fn write(out: &mut dyn Write, ir: &Ir, a: &Analysis) -> io::Result<()> {
    write_styled(out, ir, a, &Palette::PLAIN)
}

/// [`write()`] with the section headers and the findings' severities in `palette`'s styles.
pub fn write_styled(out: &mut dyn Write, ir: &Ir, a: &Analysis, palette: &Palette) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    write_report(&mut out, ir, a, palette)?;
    out.flush()
}

/// Distinct nodes `n` depends on, without allocating for the usual few.
fn predecessor_count(deps: &DependencyGraph, n: NodeId) -> usize {
    let incoming = deps.incoming(n);
    if incoming.len() > 16 {
        return deps.predecessors(n).len();
    }
    incoming.iter().enumerate().filter(|&(i, d)| !incoming[..i].iter().any(|e| e.from == d.from)).count()
}

/// Writes `n` in decimal, as `{n}` would.
fn write_count(out: &mut impl Write, mut n: usize) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

fn fmt_cost(c: f64) -> String {
    if c.fract() == 0.0 && c.abs() < 1e15 { format!("{c:.0}") } else { format!("{c:.1}") }
}

fn path_line(ir: &Ir, p: &CriticalPath) -> String {
    p.nodes.iter().map(|&n| esc(&ir.node(n).id)).collect::<Vec<_>>().join(" -> ")
}

fn write_report(out: &mut impl Write, ir: &Ir, a: &Analysis, p: &Palette) -> io::Result<()> {
    let name = if ir.name.is_empty() { "(unnamed)".into() } else { esc(&ir.name) };
    let h = |title: &str| paint(p.header, title.to_owned());
    writeln!(out, "{}", h(&format!("=== Parallel Execution Analysis: {name} ===")))?;
    writeln!(out)?;
    writeln!(out, "Total nodes: {}", ir.nodes.len())?;
    writeln!(out, "Execution levels: {}", a.levels.len())?;
    writeln!(
        out,
        "Critical path: {}, cost {} (longest chain by op count: {})",
        count(a.critical_path.ops(), "op"),
        fmt_cost(a.critical_path.cost),
        count(a.longest_chain.ops(), "op")
    )?;
    writeln!(out, "Work: {}  Span: {}  Work/span: {:.2}", fmt_cost(a.work), fmt_cost(a.span), a.parallelism())?;
    writeln!(
        out,
        "Estimated speedup (groggy's formula on these levels): {:.4}x  use_parallel: {}",
        a.estimated_speedup, a.use_parallel
    )?;
    if let Some(g) = &a.groggy {
        write!(
            out,
            "groggy's own analyzer: {}, estimated speedup {:.4}x, use_parallel: {}",
            count(g.levels.len(), "level"),
            g.estimated_speedup,
            g.use_parallel,
        )?;
        // Written id by id: groggy may leave most of a million nodes unscheduled.
        for (i, &n) in g.unscheduled.iter().enumerate() {
            out.write_all(if i == 0 { b", never schedules " } else { b", " })?;
            out.write_all(esc(&ir.node(n).id).as_bytes())?;
        }
        writeln!(out)?;
    }
    writeln!(out)?;

    write_levels(out, ir, a)?;

    if !a.critical_path.nodes.is_empty() {
        writeln!(out, "{}", h("Critical path (by static cost)"))?;
        let total = a.critical_path.cost.max(f64::MIN_POSITIVE);
        for &n in &a.critical_path.nodes {
            let c = a.costs[n.index()];
            writeln!(
                out,
                "  {:<12} {:<24} {:<7} {:>10}  {:>5.1}%",
                esc(&ir.node(n).id),
                esc(ir.node(n).op.name()),
                c.class.label(),
                fmt_cost(c.span),
                100.0 * c.span / total
            )?;
        }
        writeln!(out, "  longest chain by ops: {}", path_line(ir, &a.longest_chain))?;
        writeln!(out)?;
    }

    if !a.groups.is_empty() {
        writeln!(out, "{}", h("Parallel groups"))?;
        writeln!(
            out,
            "  {:>5}  {:>4}  {:>7}  {:<12}  {:<30}  outputs",
            "group", "ops", "factor", "depends_on", "shared_inputs"
        )?;
        for (k, g) in a.groups.iter().enumerate() {
            let deps = g.depends_on.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
            writeln!(
                out,
                "  {k:>5}  {:>4}  {:>7.3}  {:<12}  {:<30}  {}",
                g.nodes.len(),
                g.parallelism_factor,
                if deps.is_empty() { "-".into() } else { deps },
                truncate(&names(ir, &g.shared_inputs), 30),
                names(ir, &g.outputs)
            )?;
        }
        writeln!(out)?;
    }

    let bodies: Vec<_> = ir.node_ids().filter_map(|n| Some((n, ir.node(n).body.as_ref()?, a.body(n)?))).collect();
    if !bodies.is_empty() {
        writeln!(out, "{}", h("Loops and blocks"))?;
        for (n, body, ba) in bodies {
            writeln!(
                out,
                "  {} ({}): {} x {}; per iteration {}, critical path {} (cost {}), work {}; total work {}, span {}",
                esc(&ir.node(n).id),
                esc(ir.node(n).op.name()),
                body.iterations(),
                count(body.ir().nodes.len(), "op"),
                count(ba.levels.len(), "level"),
                count(ba.critical_path.ops(), "op"),
                fmt_cost(ba.critical_path.cost),
                fmt_cost(ba.work),
                fmt_cost(a.costs[n.index()].work),
                fmt_cost(a.costs[n.index()].span)
            )?;
            writeln!(out, "    body critical path: {}", path_line(body.ir(), &ba.critical_path))?;
        }
        writeln!(out)?;
    }

    let (groggy, own): (Vec<_>, Vec<_>) = a.diagnostics.iter().partition(|d| d.code.starts_with("groggy-"));
    if !own.is_empty() {
        let (errors, warnings) = (a.count(Severity::Error), a.count(Severity::Warning));
        writeln!(out, "{}", h(&format!("Diagnostics ({}, {})", count(errors, "error"), count(warnings, "warning"))))?;
        for d in own {
            // `error [code] node: message`, the severity in its colour.
            let line = d.to_string();
            let rest = line.strip_prefix(&d.severity.to_string()).unwrap_or(&line);
            writeln!(out, "  {}{}", paint(p.severity(d.severity), d.severity), esc(rest))?;
        }
        writeln!(out)?;
    }
    if !groggy.is_empty() {
        writeln!(out, "{}", h("Where groggy's analyzer differs"))?;
        for d in groggy {
            writeln!(out, "  - {}", esc(&d.message))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Nodes of the level listing formatted as one piece of work.
const LINES_PER_PIECE: usize = 1 << 15;

/// The level listing: each level's line, then one line per node. A big listing is cut into
/// pieces of whole levels that are formatted on all cores, a few at a time, and written in
/// order (a million ops: a million lines).
fn write_levels(out: &mut impl Write, ir: &Ir, a: &Analysis) -> io::Result<()> {
    use rayon::prelude::*;

    let mut critical = vec![false; ir.nodes.len()];
    for &n in &a.critical_path.nodes {
        critical[n.index()] = true;
    }
    let levels = &a.levels.levels;
    let mut pieces: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut lines) = (0, 0);
    for (k, level) in levels.iter().enumerate() {
        lines += level.len() + 1;
        if lines >= LINES_PER_PIECE || k + 1 == levels.len() {
            pieces.push(start..k + 1);
            (start, lines) = (k + 1, 0);
        }
    }
    let at_once = 2 * rayon::current_num_threads();
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); at_once.min(pieces.len())];
    for window in pieces.chunks(at_once) {
        buffers.par_iter_mut().zip(window).for_each(|(buffer, piece)| {
            buffer.clear();
            // Writing to memory cannot fail.
            let _ = write_level_range(buffer, ir, a, &critical, piece.clone());
        });
        for buffer in &buffers[..window.len()] {
            out.write_all(buffer)?;
        }
    }
    Ok(())
}

/// Levels `range` of the listing.
fn write_level_range(
    out: &mut impl Write,
    ir: &Ir,
    a: &Analysis,
    critical: &[bool],
    range: std::ops::Range<usize>,
) -> io::Result<()> {
    for k in range {
        let level = &a.levels.levels[k];
        let factor = a.groups[k].parallelism_factor;
        match level.len() {
            1 => writeln!(out, "Level {k}: 1 operation, factor {factor:.3}")?,
            n => writeln!(out, "Level {k}: {n} operations (can run in parallel), factor {factor:.3}")?,
        }
        for &n in level {
            let node = ir.node(n);
            let on_path = if critical[n.index()] { "  *critical" } else { "" };
            let deps = predecessor_count(&a.deps, n);
            // `writeln!` by hand: a million-op IR has a million of these lines.
            out.write_all(b"  - ")?;
            out.write_all(esc(node.op.name()).as_bytes())?;
            out.write_all(b" (")?;
            out.write_all(esc(&node.id).as_bytes())?;
            out.write_all(b") [deps: ")?;
            write_count(out, deps)?;
            out.write_all(b"]")?;
            out.write_all(on_path.as_bytes())?;
            out.write_all(b"\n")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

fn names(ir: &Ir, vars: &[crate::ir::VarId]) -> String {
    super::plan::sorted_names(ir, vars).iter().map(|n| esc(n)).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_written_as_format_writes_them() {
        for n in [0, 7, 10, 99, 100, 123_456, usize::MAX] {
            let mut out = Vec::new();
            write_count(&mut out, n).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
