//! Directed edge lists as text: one edge `u v` or `u v w` per line, `#` comments, and an
//! optional `# nodes N` (or `# nodes N edges M`) header that fixes the node count.
//!
//! ```text
//! # nodes 4 edges 4
//! 0 1       # trailing comments are fine
//! 0 2
//! 1 2
//! 3 3
//! ```
//!
//! Lines end in `\n` or `\r\n`; fields are separated by any run of ASCII whitespace. Ids
//! are decimal `u32`s up to [`MAX_NODE_ID`]. Without a header the node count is the
//! largest id + 1. Weights are optional, but either every edge line has one or none does.
//! A header is a whole-line comment whose first word is `nodes` followed by a number; it
//! must come before the first edge, and its `edges M`, when given, must match.
//!
//! # Complexity
//! O(bytes + V + E): one pass over the raw bytes without per-line allocation, then
//! [`Graph::from_edges`].

use std::path::Path;

use super::Graph;
use crate::input_file::{InputKind, ReadError, read_input};
use crate::limits::{LimitError, Limits};

/// The largest node id an edge list may use, so that the node count (`id + 1`) fits in a `u32`.
pub(crate) const MAX_NODE_ID: u32 = u32::MAX - 1;

/// An edge list that cannot be loaded. Every message starts `file:line:` (1-based line),
/// except for I/O errors, and says what was expected there.
#[derive(Debug, thiserror::Error)]
pub enum EdgeListError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file.
        file: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A field is not what the format allows there (`expected a node id, found "x"`).
    #[error("{file}:{line}: expected {expected}, found {found}")]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What the format allows at that point.
        expected: &'static str,
        /// The offending token, quoted, or `end of line`.
        found: String,
    },
    /// A node id above [`MAX_NODE_ID`].
    #[error("{file}:{line}: expected a node id up to {MAX_NODE_ID}, found {id}")]
    IdTooLarge {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The id as written (possibly shortened).
        id: String,
    },
    /// A node id not below the node count the header declared.
    #[error(
        "{file}:{line}: node id {id} is out of range: the header on line {header_line} declares {nodes} nodes (ids 0..{nodes})"
    )]
    IdOutOfRange {
        /// The file.
        file: String,
        /// 1-based line of the edge.
        line: usize,
        /// The offending id.
        id: u32,
        /// The declared node count.
        nodes: u64,
        /// 1-based line of the `# nodes` header.
        header_line: usize,
    },
    /// An edge without a weight in a file whose first edge has one.
    #[error(
        "{file}:{line}: expected a weight (every edge needs one, as the first edge on line {first_line} has one), found end of line"
    )]
    MissingWeight {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based line of the first edge, which set the expectation.
        first_line: usize,
    },
    /// An edge with a weight in a file whose first edge has none.
    #[error(
        "{file}:{line}: expected end of line (no edge may have a weight, as the first edge on line {first_line} has none), found weight {found}"
    )]
    UnexpectedWeight {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based line of the first edge, which set the expectation.
        first_line: usize,
        /// The weight token, quoted.
        found: String,
    },
    /// A `# nodes` header that cannot be honoured (after an edge, repeated, or too large).
    #[error("{file}:{line}: {message}")]
    Header {
        /// The file.
        file: String,
        /// 1-based line of the header.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// The header's `edges M` does not match the number of edge lines (a truncated file?).
    #[error("{file}:{line}: the header declares {declared} edges, but the file has {found}")]
    EdgeCountMismatch {
        /// The file.
        file: String,
        /// 1-based line of the header.
        line: usize,
        /// Edges the header declares.
        declared: u64,
        /// Edge lines found.
        found: usize,
    },
    /// The graph would need more memory than the graph limit (`--max-graph-gb`), checked
    /// before it is built: a stray huge id in a file without a `# nodes` header, say.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// More edges than [`Graph`] can index with `u32` edge numbers.
    #[error("{file}:{line}: too many edges: a graph holds at most {} edges", u32::MAX)]
    TooManyEdges {
        /// The file.
        file: String,
        /// 1-based line of the first edge too many.
        line: usize,
    },
}

/// Reads and parses the edge list at `path` (see [`parse_edge_list_with`]); errors name the path
/// as given.
pub fn load_edge_list(path: &Path) -> Result<Graph, EdgeListError> {
    load_edge_list_with(path, &Limits::default())
}

/// [`load_edge_list`] within `limits` (the graph limit).
///
/// The file is read whole, so it is limited like an IR file: over `--max-file-mb`
/// ([`Limits::max_file_bytes`]) or over the memory left it is refused before it is read,
/// a device is refused, and a pipe is read up to the limit (or refused where
/// [`Limits::regular_files_only`]).
pub(crate) fn load_edge_list_with(path: &Path, limits: &Limits) -> Result<Graph, EdgeListError> {
    // What came on standard input is named as such, not as a file called `-`.
    let file = if crate::input_file::is_stdin(path) { "<stdin>".to_owned() } else { path.display().to_string() };
    let what = InputKind { kind: "an edge list", doing: "parsing it", memory_per_byte: EDGE_LIST_BYTES_PER_FILE_BYTE };
    let bytes = read_input(path, limits, what).map_err(|e| match e {
        ReadError::Io(source) => EdgeListError::Io { file: file.clone(), source },
        ReadError::Limit(e) => EdgeListError::Limit(e),
    })?;
    parse_edge_list_with(&bytes, &file, limits)
}

/// Peak bytes of memory per byte of edge-list text while it is parsed: the text, and the
/// edges (8 bytes per edge line of at least 4 bytes) and weights beside it. Building the
/// graph afterwards is checked on its own ([`Limits::check_graph`]).
const EDGE_LIST_BYTES_PER_FILE_BYTE: u64 = 5;

/// Parses an edge list from raw bytes into a [`Graph`] whose `source` is `source`, which
/// also names the file in error messages, within `limits`: a graph that would need more
/// than the graph limit (the node count comes from the header or the largest id) is refused
/// before it is built.
pub(crate) fn parse_edge_list_with(bytes: &[u8], source: &str, limits: &Limits) -> Result<Graph, EdgeListError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut p = Parser { bytes, pos: 0, line: 1, file: source };
    let mut edges: Vec<(u32, u32)> = Vec::new();
    edges.try_reserve(bytes.len() / 16).map_err(|_| p.out_of_memory(limits))?;
    let mut weights: Vec<f64> = Vec::new();
    // (line, node count, declared edge count) of the `# nodes` header.
    let mut header: Option<(usize, u64, Option<u64>)> = None;
    // Line of the first edge, and whether it has a weight.
    let mut first_edge: Option<(usize, bool)> = None;
    // Ids must be below this (exclusive); without a header, anything up to MAX_NODE_ID.
    let mut id_limit: u64 = u64::from(MAX_NODE_ID) + 1;
    let mut max_id: Option<u32> = None;
    // Line of the largest id, for a graph too large to build.
    let mut max_id_line = 0;

    while p.pos < bytes.len() {
        p.skip_space();
        match p.peek() {
            b'\n' => p.next_line(),
            b'#' => {
                p.pos += 1;
                if let Some((nodes, declared_edges)) = p.header()? {
                    if let Some((header_line, ..)) = header {
                        return Err(p.header_error(format!(
                            "a second `# nodes` header (the first is on line {header_line}); keep one"
                        )));
                    }
                    if let Some((edge_line, _)) = first_edge {
                        return Err(p.header_error(format!(
                            "the `# nodes` header must come before the first edge (line {edge_line})"
                        )));
                    }
                    if nodes > u64::from(MAX_NODE_ID) + 1 {
                        return Err(p.header_error(format!(
                            "expected a node count up to {}, found {nodes}",
                            u64::from(MAX_NODE_ID) + 1
                        )));
                    }
                    header = Some((p.line, nodes, declared_edges));
                    id_limit = nodes;
                }
                p.skip_to_line_end();
            }
            _ => {
                let u = p.node_id()?;
                p.skip_space();
                let v = p.node_id()?;
                p.skip_space();
                let weighted = !p.at_line_end();
                let &mut (first_line, first_weighted) = first_edge.get_or_insert((p.line, weighted));
                if weighted != first_weighted {
                    return Err(if weighted {
                        EdgeListError::UnexpectedWeight {
                            file: source.to_owned(),
                            line: p.line,
                            first_line,
                            found: p.found(),
                        }
                    } else {
                        EdgeListError::MissingWeight { file: source.to_owned(), line: p.line, first_line }
                    });
                }
                if weighted {
                    let w = p.weight()?;
                    grow(&mut weights, &p, limits)?;
                    weights.push(w);
                    p.skip_space();
                    if !p.at_line_end() {
                        return Err(p.syntax("end of line"));
                    }
                }
                let big = u.max(v);
                if u64::from(big) >= id_limit {
                    let (header_line, nodes, _) = header.expect("ids up to MAX_NODE_ID pass without a header");
                    return Err(EdgeListError::IdOutOfRange {
                        file: source.to_owned(),
                        line: p.line,
                        id: big,
                        nodes,
                        header_line,
                    });
                }
                if max_id.is_none_or(|m| big > m) {
                    max_id = Some(big);
                    max_id_line = p.line;
                }
                if edges.len() == u32::MAX as usize {
                    return Err(EdgeListError::TooManyEdges { file: source.to_owned(), line: p.line });
                }
                grow(&mut edges, &p, limits)?;
                edges.push((u, v));
                p.skip_to_line_end();
            }
        }
    }

    let node_count = match header {
        Some((line, nodes, declared)) => {
            if let Some(declared) = declared.filter(|&d| d != edges.len() as u64) {
                return Err(EdgeListError::EdgeCountMismatch {
                    file: source.to_owned(),
                    line,
                    declared,
                    found: edges.len(),
                });
            }
            nodes as usize
        }
        None => max_id.map_or(0, |m| m as usize + 1),
    };
    let weighted = first_edge.is_some_and(|(_, w)| w);
    let what = match (header, max_id) {
        (Some((line, ..)), _) => format!("{source}:{line}: the `# nodes` header"),
        (None, Some(id)) => format!(
            "{source}:{max_id_line}: node id {id} (without a `# nodes` header the node count is the largest id + 1)"
        ),
        (None, None) => source.to_owned(),
    };
    limits.check_graph(&what, node_count as u64, edges.len() as u64, weighted)?;
    let weights = weighted.then_some(weights.as_slice());
    Graph::try_from_edges(node_count, &edges, weights, source.to_owned()).map_err(|_| {
        match super::graph_spec::out_of_memory(&what, node_count as u64, edges.len() as u64, limits) {
            super::graph_spec::GraphError::Limit(e) => EdgeListError::Limit(e),
            _ => unreachable!("out_of_memory is a limit error"),
        }
    })
}

/// Makes room for one more item in `v` (doubling, fallibly): an allocator that cannot give
/// the memory is an error naming the line, not an abort.
fn grow<T>(v: &mut Vec<T>, p: &Parser, limits: &Limits) -> Result<(), EdgeListError> {
    if v.len() == v.capacity() {
        v.try_reserve(v.len().max(1024)).map_err(|_| p.out_of_memory(limits))?;
    }
    Ok(())
}

/// A cursor over the bytes; the end of the input reads as a newline.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// 1-based line of `pos`.
    line: usize,
    file: &'a str,
}

/// Field separators within a line: ASCII whitespace except the newline (so `\r` too).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// Bytes that end a field: separators, a newline, or a trailing comment.
fn ends_field(b: u8) -> bool {
    is_space(b) || b == b'\n' || b == b'#'
}

impl<'a> Parser<'a> {
    fn peek(&self) -> u8 {
        self.bytes.get(self.pos).copied().unwrap_or(b'\n')
    }

    fn skip_space(&mut self) {
        while self.pos < self.bytes.len() && is_space(self.bytes[self.pos]) {
            self.pos += 1;
        }
    }

    /// True at a newline, a comment, or the end of the input.
    fn at_line_end(&self) -> bool {
        matches!(self.peek(), b'\n' | b'#')
    }

    /// Moves past the next newline (or to the end of the input).
    fn skip_to_line_end(&mut self) {
        match self.bytes[self.pos.min(self.bytes.len())..].iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.pos += i + 1;
                self.line += 1;
            }
            None => self.pos = self.bytes.len(),
        }
    }

    fn next_line(&mut self) {
        self.pos += 1;
        self.line += 1;
    }

    /// The field at `pos` for an error message: quoted and shortened, or `end of line`.
    fn found(&self) -> String {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let len = rest.iter().position(|&b| is_space(b) || b == b'\n').unwrap_or(rest.len());
        if len == 0 {
            return "end of line".to_owned();
        }
        let text = String::from_utf8_lossy(&rest[..len]);
        match text.char_indices().nth(40) {
            Some((cut, _)) => format!("{:?}...", &text[..cut]),
            None => format!("{text:?}"),
        }
    }

    fn syntax(&self, expected: &'static str) -> EdgeListError {
        EdgeListError::Syntax { file: self.file.to_owned(), line: self.line, expected, found: self.found() }
    }

    /// The error for edges the allocator could not hold, at the current line.
    fn out_of_memory(&self, limits: &Limits) -> EdgeListError {
        let (limit, limit_from) = limits.memory_limit();
        EdgeListError::Limit(LimitError::TooMuchMemory {
            what: format!("{}:{}: holding the edges read so far", self.file, self.line),
            need: self.bytes.len() as u64,
            limit,
            limit_from: format!("what the allocator could give (the limit: {limit_from})"),
            not_done: "build the graph",
            advice: "Free some memory, or pass a smaller graph".to_owned(),
        })
    }

    fn header_error(&self, message: String) -> EdgeListError {
        EdgeListError::Header { file: self.file.to_owned(), line: self.line, message }
    }

    /// Scans a decimal integer field without sign; `None` when the field is not one.
    /// Values are capped at `u64::MAX` (the caller checks its own limit).
    fn integer(&mut self) -> Option<u64> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            value = value.saturating_mul(10).saturating_add(u64::from(digit));
            self.pos += 1;
        }
        if self.pos == start || !ends_field(self.peek()) {
            self.pos = start;
            return None;
        }
        Some(value)
    }

    /// A node id field, checked against [`MAX_NODE_ID`].
    fn node_id(&mut self) -> Result<u32, EdgeListError> {
        let start = self.pos;
        match self.integer() {
            Some(id) if id <= u64::from(MAX_NODE_ID) => Ok(id as u32),
            Some(_) => {
                self.pos = start;
                let id = self.found();
                Err(EdgeListError::IdTooLarge {
                    file: self.file.to_owned(),
                    line: self.line,
                    id: id.trim_matches('"').to_owned(),
                })
            }
            None => Err(self.syntax("a node id")),
        }
    }

    /// A weight field: a finite decimal number.
    fn weight(&mut self) -> Result<f64, EdgeListError> {
        let rest = &self.bytes[self.pos..];
        let len = rest.iter().position(|&b| ends_field(b)).unwrap_or(rest.len());
        let parsed = std::str::from_utf8(&rest[..len]).ok().and_then(|s| s.parse::<f64>().ok());
        match parsed {
            Some(w) if w.is_finite() => {
                self.pos += len;
                Ok(w)
            }
            Some(_) => Err(self.syntax("a finite weight")),
            None => Err(self.syntax("a weight (a decimal number)")),
        }
    }

    /// After a whole-line `#`: if the comment is a `nodes N [edges M]` header, returns
    /// `(N, M)`; otherwise `None` (an ordinary comment). Leaves `pos` inside the line.
    fn header(&mut self) -> Result<Option<(u64, Option<u64>)>, EdgeListError> {
        self.skip_space();
        let rest = &self.bytes[self.pos..];
        if !(rest.starts_with(b"nodes") && rest.get(5).is_some_and(|&b| is_space(b))) {
            return Ok(None);
        }
        let start = self.pos;
        self.pos += 5;
        self.skip_space();
        let Some(nodes) = self.integer() else {
            // `# nodes are users` and the like: prose, not a header.
            self.pos = start;
            return Ok(None);
        };
        self.skip_space();
        let rest = &self.bytes[self.pos..];
        if !(rest.starts_with(b"edges") && rest.get(5).is_none_or(|&b| ends_field(b))) {
            return Ok(Some((nodes, None)));
        }
        self.pos += 5;
        self.skip_space();
        match self.integer() {
            Some(edges) => Ok(Some((nodes, Some(edges)))),
            None => Err(self.syntax("an edge count after `# nodes N edges`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Graph, EdgeListError> {
        parse_edge_list_with(text.as_bytes(), "edges.txt", &Limits::default())
    }

    fn err(text: &str) -> String {
        parse(text).expect_err("should not parse").to_string()
    }

    /// All edges in CSR order, with weights when present.
    fn edges(g: &Graph) -> Vec<(u32, u32, Option<f64>)> {
        (0..g.node_count())
            .flat_map(|u| {
                let w = g.out_weights(u);
                g.out_neighbors(u).iter().enumerate().map(move |(i, &v)| (u as u32, v, w.map(|w| w[i])))
            })
            .collect()
    }

    #[test]
    fn groggy_tiny_edges_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/groggy/run/graphs/tiny.edges");
        let g = load_edge_list(&path).expect("tiny.edges loads");
        assert_eq!((g.node_count(), g.edge_count()), (4, 4));
        assert_eq!(g.out_neighbors(0), &[1, 2]);
        assert_eq!(g.in_neighbors(3), &[3]);
        assert!(!g.has_weights());
        assert_eq!(g.source, path.display().to_string());
    }

    #[test]
    fn comments_blank_lines_and_whitespace() {
        let text = "\u{feff}# a comment\n\n   \n0 1\n\t1\t\t2 # trailing\r\n  2   0  \r\n#last\n3 0#tight comment\n\n";
        let g = parse(text).unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (4, 4));
        assert_eq!(edges(&g), vec![(0, 1, None), (1, 2, None), (2, 0, None), (3, 0, None)]);
        // No trailing newline, CRLF throughout.
        let g = parse("0 1\r\n1 0").unwrap();
        assert_eq!(edges(&g), vec![(0, 1, None), (1, 0, None)]);
    }

    #[test]
    fn empty_and_header_only() {
        let g = parse("").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (0, 0));
        let g = parse("# just a comment\n\n").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (0, 0));
        let g = parse("# nodes 5\n").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (5, 0));
    }

    #[test]
    fn header_fixes_node_count() {
        let g = parse("# nodes 10\n0 1\n").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (10, 1));
        let g = parse("# generated\n#   nodes   7   edges 2   (by hand)\n0 1\n1 6\n").unwrap();
        assert_eq!((g.node_count(), g.edge_count()), (7, 2));
        // Prose that starts with `nodes` is just a comment.
        let g = parse("# nodes are users\n0 3\n").unwrap();
        assert_eq!(g.node_count(), 4);
        // A trailing comment is never a header.
        let g = parse("0 1 # nodes 9\n").unwrap();
        assert_eq!(g.node_count(), 2);
    }

    #[test]
    fn weights() {
        let g = parse("0 1 0.5\n1 2 -2e3\n2 0 7 # comment\n").unwrap();
        assert!(g.has_weights());
        assert_eq!(edges(&g), vec![(0, 1, Some(0.5)), (1, 2, Some(-2000.0)), (2, 0, Some(7.0))]);
    }

    #[test]
    fn syntax_errors_name_file_line_and_expectation() {
        assert_eq!(err("0 1\n\n0 x\n"), r#"edges.txt:3: expected a node id, found "x""#);
        assert_eq!(err("0 1\n1\n"), "edges.txt:2: expected a node id, found end of line");
        assert_eq!(err("-1 2\n"), r#"edges.txt:1: expected a node id, found "-1""#);
        assert_eq!(err("1x 2\n"), r#"edges.txt:1: expected a node id, found "1x""#);
        assert_eq!(err("0 1 2.5 9\n"), r#"edges.txt:1: expected end of line, found "9""#);
        assert_eq!(err("0 1 abc\n"), r#"edges.txt:1: expected a weight (a decimal number), found "abc""#);
        assert_eq!(err("0 1 NaN\n"), r#"edges.txt:1: expected a finite weight, found "NaN""#);
    }

    #[test]
    fn id_errors() {
        assert_eq!(
            err("# nodes 3\n0 1\n1 3\n"),
            "edges.txt:3: node id 3 is out of range: the header on line 1 declares 3 nodes (ids 0..3)"
        );
        assert_eq!(err("0 4294967295\n"), "edges.txt:1: expected a node id up to 4294967294, found 4294967295");
        assert_eq!(
            err("0 1\n99999999999999999999999 1\n"),
            "edges.txt:2: expected a node id up to 4294967294, found 99999999999999999999999"
        );
        // The largest id is accepted (checked without building a 4-billion-node graph).
        let mut p = Parser { bytes: b"4294967294 ", pos: 0, line: 1, file: "f" };
        assert_eq!(p.node_id().unwrap(), MAX_NODE_ID);
    }

    #[test]
    fn mixed_weights_name_the_line() {
        assert_eq!(
            err("# w\n0 1 1.0\n1 2\n"),
            "edges.txt:3: expected a weight (every edge needs one, as the first edge on line 2 has one), found end of line"
        );
        assert_eq!(
            err("0 1\n1 2\n2 0 3.5\n"),
            "edges.txt:3: expected end of line (no edge may have a weight, as the first edge on line 1 has none), found weight \"3.5\""
        );
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            err("0 1\n# nodes 4\n"),
            "edges.txt:2: the `# nodes` header must come before the first edge (line 1)"
        );
        assert_eq!(
            err("# nodes 4\n# nodes 5\n"),
            "edges.txt:2: a second `# nodes` header (the first is on line 1); keep one"
        );
        assert_eq!(
            err("# nodes 4294967296\n"),
            "edges.txt:1: expected a node count up to 4294967295, found 4294967296"
        );
        assert_eq!(
            err("# nodes 4 edges x\n"),
            r#"edges.txt:1: expected an edge count after `# nodes N edges`, found "x""#
        );
        assert_eq!(err("# nodes 4 edges 3\n0 1\n"), "edges.txt:1: the header declares 3 edges, but the file has 1");
    }

    #[test]
    fn io_error_names_the_path() {
        let e = load_edge_list(Path::new("/nonexistent/dir/g.edges")).unwrap_err();
        assert!(e.to_string().starts_with("/nonexistent/dir/g.edges: cannot read the file: "), "{e}");
    }
}
