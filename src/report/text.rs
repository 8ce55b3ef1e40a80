//! The text report: the seed's level listing, then what irtop adds (critical path,
//! work/span, groups with factors, loop bodies, diagnostics, where groggy differs).

use std::io::{self, Write};
use std::ops::Range;

use super::chunked::format_in_chunks;
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
        // Formatted in chunks on all cores: groggy may leave most of a million nodes unscheduled.
        let ids = |buf: &mut Vec<u8>, range: Range<usize>| {
            for i in range {
                buf.write_all(if i == 0 { b", never schedules " } else { b", " })?;
                buf.write_all(esc(&ir.node(g.unscheduled[i]).id).as_bytes())?;
            }
            Ok(())
        };
        format_in_chunks(&g.unscheduled, |_| 1, ids, |chunk| out.write_all(chunk))?;
        writeln!(out)?;
    }
    writeln!(out)?;

    write_levels(out, ir, a)?;

    if !a.critical_path.nodes.is_empty() {
        writeln!(out, "{}", h("Critical path (by static cost)"))?;
        let total = a.critical_path.cost.max(f64::MIN_POSITIVE);
        let lines = |buf: &mut Vec<u8>, range: Range<usize>| {
            for &n in &a.critical_path.nodes[range] {
                let c = a.costs[n.index()];
                writeln!(
                    buf,
                    "  {:<12} {:<24} {:<7} {:>10}  {:>5.1}%",
                    esc(&ir.node(n).id),
                    esc(ir.node(n).op.name()),
                    c.class.label(),
                    fmt_cost(c.span),
                    100.0 * c.span / total
                )?;
            }
            Ok(())
        };
        format_in_chunks(&a.critical_path.nodes, |_| 1, lines, |chunk| out.write_all(chunk))?;
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
        // One line per group: formatted on all cores.
        let lines = |buf: &mut Vec<u8>, range: Range<usize>| {
            for k in range {
                let g = &a.groups[k];
                let deps = g.depends_on.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
                writeln!(
                    buf,
                    "  {k:>5}  {:>4}  {:>7.3}  {:<12}  {:<30}  {}",
                    g.nodes.len(),
                    g.parallelism_factor,
                    if deps.is_empty() { "-".into() } else { deps },
                    truncate(&names(ir, &g.shared_inputs), 30),
                    names(ir, &g.outputs)
                )?;
            }
            Ok(())
        };
        let weight = |g: &crate::analysis::ParallelGroup| 1 + g.shared_inputs.len() + g.outputs.len();
        format_in_chunks(&a.groups, weight, lines, |chunk| out.write_all(chunk))?;
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

/// The level listing: each level's line, then one line per node (a million ops: a million
/// lines), formatted in chunks of whole levels on all cores.
fn write_levels(out: &mut impl Write, ir: &Ir, a: &Analysis) -> io::Result<()> {
    let mut critical = vec![false; ir.nodes.len()];
    for &n in &a.critical_path.nodes {
        critical[n.index()] = true;
    }
    let format = |buf: &mut Vec<u8>, range: Range<usize>| write_level_range(buf, ir, a, &critical, range);
    format_in_chunks(&a.levels.levels, |level| level.len() + 1, format, |chunk| out.write_all(chunk))
}

/// Levels `range` of the listing.
fn write_level_range(
    out: &mut impl Write,
    ir: &Ir,
    a: &Analysis,
    critical: &[bool],
    range: Range<usize>,
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

    /// A report long enough that its level listing, groups and critical path are each
    /// formatted in many chunks: every level, node, group and path step is listed once, in
    /// order.
    #[test]
    fn a_report_formatted_in_chunks_lists_everything_in_order() {
        use crate::report::chunked::CHUNK_ITEMS;

        let ops = 3 * CHUNK_ITEMS * rayon::current_num_threads().max(2);
        let text = crate::generate::generate(crate::generate::Shape::Random, ops, 100, 3);
        let ir = crate::ir::load_bytes(&text, std::path::Path::new("x.json")).unwrap();
        let a = crate::analysis::analyze(&ir);
        let report = render(&ir, &a);

        let mut listed = Vec::new();
        let listing = report.split("Critical path (by static cost)\n").next().unwrap();
        let mut level_lines = listing.lines().filter(|l| l.starts_with("Level ") || l.starts_with("  - "));
        for (k, level) in a.levels.levels.iter().enumerate() {
            let head = level_lines.next().unwrap();
            assert!(head.starts_with(&format!("Level {k}: {} operation", level.len())), "{head}");
            for &n in level {
                let line = level_lines.next().unwrap();
                assert!(line.contains(&format!(" ({}) [deps: ", ir.node(n).id)), "level {k}: {line}");
                listed.push(n);
            }
        }
        assert_eq!(level_lines.next(), None);
        listed.sort();
        assert!(listed.iter().copied().eq(ir.node_ids()), "every node listed once");

        let groups = report.split("Parallel groups\n").nth(1).unwrap().lines().skip(1);
        let numbers: Vec<usize> = groups.map_while(|l| l.split_whitespace().next()?.parse().ok()).collect();
        assert!(numbers.iter().copied().eq(0..a.groups.len()), "groups 0..{} in order", a.groups.len());

        let path = report.split("Critical path (by static cost)\n").nth(1).unwrap().lines();
        let steps: Vec<&str> =
            path.take(a.critical_path.nodes.len()).map(|l| l.split_whitespace().next().unwrap()).collect();
        let expected: Vec<&str> = a.critical_path.nodes.iter().map(|&n| ir.node(n).id.as_str()).collect();
        assert!(a.critical_path.nodes.len() > CHUNK_ITEMS / 8 && steps == expected);
    }
}
