//! Graphviz DOT: one rank per level, nodes filled by domain, the critical path bold,
//! edge style by dependency kind.
//!
//! Graphviz's time grows faster than the square of what it places: the boxes and one bend
//! per level each edge crosses. Measured with `dot -Tsvg`: 500 layered ops (574 to place)
//! 0.7 s, 1,000 layered (1,651) 4 s, 500 random (1,860) 11 s, 1,000 random (5,146) 111 s, the
//! 10,000-op sample not within 300 s. So above [`MAX_LAYOUT`] things to place, each level is
//! drawn as one box with its op counts by domain, the critical path stays op by op, the
//! dependencies between neighbouring levels are counted on one edge per pair of boxes, and
//! those that skip levels are counted in the box they reach. The DOT says so in a comment,
//! and [`Drawn::collapsed_note`] says so for stderr.
//!
//! # Complexity
//! O(V + E) to write; collapsed, O(E log E) to count the edges between boxes.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::escape::escape_control;
use crate::analysis::{Analysis, DepKind, Dependency};
use crate::ir::{Domain, Ir, NodeId};

/// Above this many things for graphviz to place (ops, plus one per level an edge crosses),
/// levels are drawn as one box each unless `--full` is given.
pub(crate) const MAX_LAYOUT: usize = 1_500;

/// What graphviz places to draw every op: the ops, and a bend for each level an edge
/// crosses without stopping.
pub(crate) fn layout_size(a: &Analysis) -> usize {
    let crossed: usize =
        a.deps.edges.iter().map(|e| (a.levels.level(e.to) - a.levels.level(e.from)) as usize - 1).sum();
    a.levels.level_of.len() + crossed
}

/// Fill colour of a domain.
fn fill(domain: &Domain) -> &'static str {
    match domain {
        Domain::Core => "#cfe2ff",
        Domain::Graph => "#d1e7dd",
        Domain::Attr => "#fff3cd",
        Domain::Control => "#f8d7da",
        Domain::Execution => "#e2d9f3",
        Domain::Other(_) => "#e9ecef",
    }
}

/// `s` inside a DOT string: control characters escaped (as visible text), backslashes and
/// quotes escaped.
fn inner(s: &str) -> String {
    escape_control(s).replace('\\', "\\\\").replace('"', "\\\"")
}

fn quote(s: &str) -> String {
    format!("\"{}\"", inner(s))
}

/// What was drawn: every op, or levels collapsed into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// Ops in the IR.
    pub ops: usize,
    /// What graphviz would place to draw every op ([`layout_size`]).
    pub layout: usize,
    /// Levels in the IR.
    pub levels: usize,
    /// Ops drawn one by one (all of them, or the critical path's when collapsed).
    pub(crate) ops_drawn: usize,
    /// True when the levels were drawn as boxes.
    pub collapsed: bool,
}

impl Drawn {
    /// A sentence about what was collapsed, when something was.
    pub(crate) fn collapsed_note(&self) -> Option<String> {
        self.collapsed.then(|| {
            format!(
                "{} ops in {} levels: each level is drawn as one box with its op counts by domain, the {} ops of \
                 the critical path one by one, and dependencies that skip levels are counted in the box they reach \
                 (drawn op by op, graphviz would place {} boxes and bends; above {MAX_LAYOUT} it takes minutes); \
                 --full draws every op",
                self.ops, self.levels, self.ops_drawn, self.layout
            )
        })
    }
}

/// Renders `ir` as a DOT digraph, collapsed above [`MAX_LAYOUT`].
pub fn render(ir: &Ir, a: &Analysis) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail; DOT text is UTF-8.
    let _ = write(&mut out, ir, a, false);
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `ir` as a DOT digraph to `out`: every op with `full` or up to [`MAX_LAYOUT`]
/// things to place, else one box per level and the critical path op by op.
pub fn write(out: &mut dyn Write, ir: &Ir, a: &Analysis, full: bool) -> io::Result<Drawn> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let layout = layout_size(a);
    let collapsed = !full && layout > MAX_LAYOUT;
    let mut path_index: Vec<Option<usize>> = vec![None; ir.nodes.len()];
    for (i, &n) in a.critical_path.nodes.iter().enumerate() {
        path_index[n.index()] = Some(i);
    }
    let drawn = Drawn {
        ops: ir.nodes.len(),
        layout,
        levels: a.levels.len(),
        ops_drawn: if collapsed { a.critical_path.nodes.len() } else { ir.nodes.len() },
        collapsed,
    };
    let name = if ir.name.is_empty() { "ir" } else { &ir.name };
    writeln!(out, "digraph {} {{", quote(name))?;
    if let Some(note) = drawn.collapsed_note() {
        writeln!(out, "  // irtop: {note}.")?;
    }
    writeln!(out, "  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];")?;
    let boxes = if collapsed { Some(LevelBoxes::new(ir, a)) } else { None };
    for (k, level) in a.levels.levels.iter().enumerate() {
        writeln!(out, "  subgraph level_{k} {{\n    rank=same;")?;
        if let Some(boxes) = &boxes {
            boxes.write_box(&mut out, ir, k, level, &path_index)?;
        }
        for &n in level.iter().filter(|&&n| !collapsed || path_index[n.index()].is_some()) {
            write_op(&mut out, ir, n, k, path_index[n.index()].is_some())?;
        }
        writeln!(out, "  }}")?;
    }
    let on_path = |e: &Dependency| path_index[e.from.index()].is_some() && path_index[e.to.index()].is_some();
    for e in a.deps.edges.iter().filter(|e| !collapsed || on_path(e)) {
        write_edge(&mut out, ir, e, &path_index)?;
    }
    if let Some(boxes) = &boxes {
        boxes.write_counted_edges(&mut out, ir, a, &path_index)?;
    }
    writeln!(out, "}}")?;
    out.flush()?;
    Ok(drawn)
}

fn write_op(out: &mut impl Write, ir: &Ir, n: NodeId, level: usize, critical: bool) -> io::Result<()> {
    let node = ir.node(n);
    // `\n` is DOT's line break, between the escaped id and op.
    let label = match &node.body {
        Some(b) => format!("\"{}\\n{} x {} ops\"", inner(&node.id), inner(node.op.name()), b.iterations()),
        None => format!("\"{}\\n{}\"", inner(&node.id), inner(node.op.name())),
    };
    let bold = if critical { ", penwidth=3, fontname=\"Helvetica-Bold\"" } else { "" };
    writeln!(
        out,
        "    {} [label={}, fillcolor=\"{}\", tooltip=\"level {level}\"{bold}];",
        quote(&node.id),
        label,
        fill(&node.domain)
    )
}

fn write_edge(out: &mut impl Write, ir: &Ir, e: &Dependency, path_index: &[Option<usize>]) -> io::Result<()> {
    let style = match e.kind {
        DepKind::ReadAfterWrite => "solid",
        DepKind::WriteAfterRead => "dashed",
        DepKind::WriteAfterWrite => "dotted",
        DepKind::SideEffectOrder => "bold",
    };
    let critical = matches!(
        (path_index[e.from.index()], path_index[e.to.index()]),
        (Some(i), Some(j)) if j == i + 1
    );
    let label = e.var.map(|v| ir.var(v)).unwrap_or("order");
    writeln!(
        out,
        "  {} -> {} [label={}, style={style}{}];",
        quote(&ir.node(e.from).id),
        quote(&ir.node(e.to).id),
        quote(label),
        if critical { ", penwidth=3" } else { "" }
    )
}

/// The boxes that stand for levels in a collapsed drawing.
struct LevelBoxes {
    /// Each level's box name, different from every op drawn on its own.
    names: Vec<String>,
    /// Dependencies into each level that skip levels (counted, not drawn).
    skipping: Vec<usize>,
}

/// One end of an edge in a collapsed drawing: an op drawn on its own, or a level's box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum End {
    Op(NodeId),
    Level(u32),
}

impl LevelBoxes {
    fn new(ir: &Ir, a: &Analysis) -> LevelBoxes {
        let drawn: std::collections::HashSet<&str> =
            a.critical_path.nodes.iter().map(|&n| ir.node(n).id.as_str()).collect();
        let names = (0..a.levels.len())
            .map(|k| {
                let mut name = format!("level {k}");
                while drawn.contains(name.as_str()) {
                    name.push('\'');
                }
                name
            })
            .collect();
        LevelBoxes { names, skipping: skipping_deps(a) }
    }

    /// The box of level `k`, with the count of its ops not drawn on their own by domain;
    /// nothing when every op of the level is drawn.
    fn write_box(
        &self,
        out: &mut impl Write,
        ir: &Ir,
        k: usize,
        level: &[NodeId],
        path_index: &[Option<usize>],
    ) -> io::Result<()> {
        let mut by_domain: BTreeMap<&str, usize> = BTreeMap::new();
        for &n in level.iter().filter(|&&n| path_index[n.index()].is_none()) {
            *by_domain.entry(ir.node(n).domain.as_str()).or_default() += 1;
        }
        let ops: usize = by_domain.values().sum();
        if ops == 0 {
            return Ok(());
        }
        let on_path = level.len() - ops;
        let counts: Vec<String> = by_domain.iter().map(|(d, n)| format!("{} {n}", inner(d))).collect();
        let head = if on_path > 0 { format!("{ops} other ops") } else { format!("{ops} ops") };
        let mut label = format!("level {k}\\n{head}\\n{}", counts.join(", "));
        if self.skipping[k] > 0 {
            label.push_str(&format!("\\n{} from levels before {}", deps(self.skipping[k]), k.saturating_sub(1)));
        }
        let main = by_domain.iter().max_by_key(|&(_, n)| *n).map_or("", |(d, _)| d);
        writeln!(
            out,
            "    {} [label=\"{label}\", shape=box3d, style=filled, fillcolor=\"{}\", tooltip=\"level {k}: {ops} ops not on the critical path\"];",
            quote(&self.names[k]),
            fill(&Domain::parse(main))
        )
    }

    /// The dependencies that touch a box between neighbouring levels, one edge per pair of
    /// ends with their count. Dependencies that skip levels are only counted, in the box of
    /// the level they reach: drawn, each would cross every level in between, and graphviz
    /// takes minutes to order the crossings (the 10,000-op sample: 24,000 crossings).
    fn write_counted_edges(
        &self,
        out: &mut impl Write,
        ir: &Ir,
        a: &Analysis,
        path_index: &[Option<usize>],
    ) -> io::Result<()> {
        let end = |n: NodeId| match path_index[n.index()] {
            Some(_) => End::Op(n),
            None => End::Level(a.levels.level(n)),
        };
        let mut pairs: Vec<(End, End)> = a
            .deps
            .edges
            .iter()
            .filter(|e| a.levels.level(e.to) == a.levels.level(e.from) + 1)
            .map(|e| (end(e.from), end(e.to)))
            .filter(|pair| matches!(pair, (End::Level(_), _) | (_, End::Level(_))))
            .collect();
        pairs.sort_unstable();
        let name = |e: End| match e {
            End::Op(n) => quote(&ir.node(n).id),
            End::Level(k) => quote(&self.names[k as usize]),
        };
        for run in pairs.chunk_by(|x, y| x == y) {
            let (from, to) = run[0];
            writeln!(out, "  {} -> {} [label=\"{}\", color=\"#868e96\"];", name(from), name(to), deps(run.len()))?;
        }
        Ok(())
    }
}

/// `1 dep`, `12 deps`.
fn deps(n: usize) -> String {
    if n == 1 { "1 dep".to_owned() } else { format!("{n} deps") }
}

/// How many dependencies reach each level from two or more levels before it.
fn skipping_deps(a: &Analysis) -> Vec<usize> {
    let mut into = vec![0; a.levels.len()];
    for e in &a.deps.edges {
        let (from, to) = (a.levels.level(e.from), a.levels.level(e.to));
        if to > from + 1 {
            into[to as usize] += 1;
        }
    }
    into
}
