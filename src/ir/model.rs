//! The IR as plain data: nodes in program order, variables interned to [`VarId`]s.
//!
//! Nothing here is computed: a loaded [`Ir`] says what the file said (with groggy's
//! minimal forms filled with defaults). Analyses read it and return side tables.

use std::hash::BuildHasher;

use serde_json::Value;

/// Index of a node in [`Ir::nodes`]; program order is index order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The node's position in [`Ir::nodes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of a variable name in an [`Ir`]'s [`VarTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(pub u32);

impl VarId {
    /// The variable's position in its [`VarTable`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Interned variable names, so analyses compare and index variables by number.
///
/// The names are stored back to back in one string and looked up through a hash table of
/// ids, so a million variables cost a few large allocations, not two million small ones.
#[derive(Clone, Default)]
pub struct VarTable {
    /// Every name, back to back.
    text: String,
    /// End of each name in `text`, by variable index.
    ends: Vec<usize>,
    /// The ids, hashed by name.
    index: hashbrown::HashTable<VarId>,
    hasher: hashbrown::DefaultHashBuilder,
}

/// Name `i` in a table's `text` and `ends`.
fn name_at<'t>(text: &'t str, ends: &[usize], i: usize) -> &'t str {
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

impl VarTable {
    /// The id of `name`, adding it if it is new.
    pub(crate) fn intern(&mut self, name: &str) -> VarId {
        let VarTable { text, ends, index, hasher } = self;
        let hash = hasher.hash_one(name);
        let entry = index.entry(
            hash,
            |id| name_at(text, ends, id.index()) == name,
            |id| hasher.hash_one(name_at(text, ends, id.index())),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = VarId(ends.len() as u32);
                e.insert(id);
                text.push_str(name);
                ends.push(text.len());
                id
            }
        }
    }

    /// Makes room for `additional` more names without rehashing.
    pub fn reserve(&mut self, additional: usize) {
        let VarTable { text, ends, index, hasher } = self;
        ends.reserve(additional);
        index.reserve(additional, |id| hasher.hash_one(name_at(text, ends, id.index())));
    }

    /// The id of `name`, if some node mentions it.
    pub fn get(&self, name: &str) -> Option<VarId> {
        let hash = self.hasher.hash_one(name);
        self.index.find(hash, |id| self.name(*id) == name).copied()
    }

    /// The name behind `id`.
    pub fn name(&self, id: VarId) -> &str {
        name_at(&self.text, &self.ends, id.index())
    }

    /// How many distinct variables the IR mentions.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when no node mentions any variable.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl std::fmt::Debug for VarTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries((0..self.len()).map(|i| self.name(VarId(i as u32)))).finish()
    }
}

/// The domain groggy files an op under; unknown domains are kept by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Domain {
    /// Arithmetic, reductions, conditionals, broadcasts.
    Core,
    /// Topology: degree, neighbour aggregation.
    Graph,
    /// Attribute load and store.
    Attr,
    /// Loops.
    Control,
    /// Execution blocks (message passing, streaming).
    Execution,
    /// A domain groggy 0.5.2 does not define.
    Other(Box<str>),
}

impl Domain {
    /// Parses groggy's domain string; anything unknown is kept as [`Domain::Other`].
    pub fn parse(s: &str) -> Domain {
        match s {
            "core" => Domain::Core,
            "graph" => Domain::Graph,
            "attr" => Domain::Attr,
            "control" => Domain::Control,
            "execution" => Domain::Execution,
            other => Domain::Other(other.into()),
        }
    }

    /// The domain as groggy writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Domain::Core => "core",
            Domain::Graph => "graph",
            Domain::Attr => "attr",
            Domain::Control => "control",
            Domain::Execution => "execution",
            Domain::Other(s) => s,
        }
    }
}

/// A whole IR program, or the body of a loop or block.
#[derive(Debug, Clone, Default)]
pub struct Ir {
    /// The algorithm's name (`name` in the file; empty when absent).
    pub name: String,
    /// Nodes in program order.
    pub nodes: Vec<Node>,
    /// Every variable name a node of this IR mentions, including in nested bodies.
    pub vars: VarTable,
    /// groggy's own summary, kept only for display.
    pub stats: Option<Value>,
}

impl Ir {
    /// The node with id `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// Ids of all nodes, in program order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    /// The node whose file id is `name`.
    pub fn find(&self, name: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.id == name).map(|i| NodeId(i as u32))
    }

    /// The name of variable `v`.
    pub fn var(&self, v: VarId) -> &str {
        self.vars.name(v)
    }

    /// Number of ops, counting each loop or block as one and not its body.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True for an IR without nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// One operation of the IR.
#[derive(Debug, Clone)]
pub struct Node {
    /// The id the file gives (`node_3`, `bcast_0`, or `node_11/4` for a loop body step).
    pub id: String,
    /// groggy's domain.
    pub domain: Domain,
    /// groggy's `op_type` (`mul`, `neighbor_agg`, `iter_loop`, `block_message_pass` ...),
    /// typed when the file is loaded.
    pub op: super::op::Op,
    /// Variables the node names as inputs, as written.
    pub inputs: Vec<VarId>,
    /// Variable the node names as its output, as written.
    pub output: Option<VarId>,
    /// Operands the executor reads although `inputs` does not list them.
    pub(crate) implicit_reads: Vec<ImplicitRead>,
    /// Operation parameters (`value`, `agg`, `op`, `epsilon` ...), parsed when first read.
    pub metadata: super::Metadata,
    /// The nested program of a loop or execution block.
    pub body: Option<Box<Body>>,
}

/// A read that lives in metadata rather than in `inputs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplicitRead {
    /// The variable read.
    pub var: VarId,
    /// Where the loader found it (`metadata.mask`, `metadata.fused_inputs.y` ...).
    pub source: &'static str,
}

/// The nested program of a loop or block node.
#[derive(Debug, Clone)]
pub enum Body {
    /// `iter_loop`: the body runs `iterations` times.
    Loop(LoopBody),
    /// `block_<mode>`: the body runs once with the block's semantics.
    Block(BlockBody),
}

impl Body {
    /// The nested IR.
    pub fn ir(&self) -> &Ir {
        match self {
            Body::Loop(l) => &l.body,
            Body::Block(b) => &b.body,
        }
    }

    /// How many times the body runs.
    pub fn iterations(&self) -> u64 {
        match self {
            Body::Loop(l) => l.iterations,
            Body::Block(_) => 1,
        }
    }
}

/// An `iter_loop` node's body.
#[derive(Debug, Clone)]
pub struct LoopBody {
    /// Number of iterations (`iterations` in the file).
    pub iterations: u64,
    /// The body steps, parsed into nodes with ids `<loop id>/<step index>` (boxed: a node
    /// without a body should not pay for an IR's size).
    pub body: Box<Ir>,
    /// `[initial, logical]` pairs: `logical` starts as a copy of `initial` (outer variables).
    pub loop_vars: Vec<LoopVar>,
}

/// One loop-carried variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopVar {
    /// Outer variable the logical one is seeded from, in the outer IR's table.
    pub initial: VarId,
    /// The name the body reads and aliases back to, in the outer IR's table.
    pub logical: VarId,
}

/// A `block_<mode>` node's body.
#[derive(Debug, Clone)]
pub struct BlockBody {
    /// The block's mode (`message_pass`, `streaming` ...).
    pub mode: String,
    /// The variable the block updates, in the outer IR's table.
    pub target: Option<VarId>,
    /// The body nodes (boxed, like a loop's).
    pub body: Box<Ir>,
}
