//! Variable storage during a run: one slot per variable, values shared by `Arc` so that
//! concurrent ops read without copying; values are dropped after their last use unless
//! the caller keeps them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::value::Value;
use crate::ir::VarId;

/// Which values survive to the end of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retain {
    /// Every variable (an `irtop run` without `--var`).
    All,
    /// The program's results: variables nothing reads after their last write.
    Sinks,
    /// Exactly these variables.
    Vars(Vec<VarId>),
}

/// Hands a dropped map's buffer to [`super::buffers`] when nothing else shares it.
pub fn recycle(old: Option<Arc<Value>>) {
    if let Some(Ok(Value::Map(m))) = old.map(Arc::try_unwrap) {
        super::buffers::give(m.values);
    }
}

/// Slots for every variable, each behind its own lock so that dataflow workers can write
/// different variables at once.
#[derive(Debug)]
pub(crate) struct Env {
    slots: Vec<Mutex<Option<Arc<Value>>>>,
    keep: Vec<bool>,
    /// Bytes of values alive now, and the most so far: atomics, since every op of every
    /// thread updates them.
    live_bytes: AtomicUsize,
    peak_bytes: AtomicUsize,
}

impl Env {
    /// An empty environment of `n` variables keeping `keep[v]` to the end.
    pub(crate) fn new(n: usize, keep: Vec<bool>) -> Env {
        Env {
            slots: (0..n).map(|_| Mutex::new(None)).collect(),
            keep,
            live_bytes: AtomicUsize::new(0),
            peak_bytes: AtomicUsize::new(0),
        }
    }

    fn slot(&self, v: VarId) -> std::sync::MutexGuard<'_, Option<Arc<Value>>> {
        self.slots[v.index()].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value of `v`, if it has one.
    pub(crate) fn get(&self, v: VarId) -> Option<Arc<Value>> {
        self.slot(v).clone()
    }

    /// Sets `v`.
    pub(crate) fn set(&self, v: VarId, value: Arc<Value>) {
        let added = value.bytes();
        let old = self.slot(v).replace(value);
        self.account(added, old.as_ref().map_or(0, |o| o.bytes()));
        recycle(old);
    }

    /// Drops `v`'s value unless it is kept to the end.
    pub(crate) fn release(&self, v: VarId) {
        if !self.keep[v.index()] {
            let old = self.slot(v).take();
            self.account(0, old.as_ref().map_or(0, |o| o.bytes()));
            recycle(old);
        }
    }

    fn account(&self, added: usize, removed: usize) {
        let now = self.live_bytes.fetch_add(added, Ordering::AcqRel) + added;
        self.peak_bytes.fetch_max(now, Ordering::AcqRel);
        // Removed bytes were added before; saturate all the same.
        let _ = self.live_bytes.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| Some(v.saturating_sub(removed)));
    }

    /// Most bytes of values alive at once during the run.
    pub(crate) fn peak_bytes(&self) -> usize {
        self.peak_bytes.load(Ordering::Acquire)
    }

    /// The final values, by variable index.
    pub(crate) fn into_values(self) -> Vec<Option<Arc<Value>>> {
        self.slots.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
    }
}
