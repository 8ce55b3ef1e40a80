//! The threads of a parallel run: the calling thread, which starts working at once, and up
//! to `size - 1` workers of a rayon pool, recruited only when there is work for them.
//!
//! Why not `pool.install` and parallel iterators per op: rayon puts an idle worker to sleep
//! within microseconds, so on this kind of machine every op of 10-300 µs paid a wake-up of
//! 13-27 µs per split (and `install` from outside another 15-60 µs per run, measured with
//! `examples/wake_latency.rs`). Here a run enters the pool once, the caller never waits for
//! a worker to wake, and recruited workers stay in the run (spinning briefly between ops,
//! then parking) until it ends.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A caller plus a pool of `size - 1` workers.
pub struct Team {
    pool: Option<rayon::ThreadPool>,
    size: usize,
}

impl std::fmt::Debug for Team {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Team").field("size", &self.size).finish()
    }
}

impl Team {
    /// A team of `size` threads (at least 1: the caller alone).
    pub fn new(size: usize) -> Result<Team, String> {
        let size = size.max(1);
        let pool = if size > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(size - 1)
                .thread_name(|i| format!("irtop-worker-{}", i + 1))
                .build()
                .map_err(|e| format!("cannot start {} worker threads: {e}", size - 1))?;
            Some(pool)
        } else {
            None
        };
        Ok(Team { pool, size })
    }

    /// Threads in the team, the caller included.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `work(0, crew)` on this thread; `crew.recruit` starts `work(k, crew)` on pool
    /// workers (k = 1, 2, ...) while the run lasts. Returns once `work(0, ..)` has returned
    /// and every recruit that started has returned; a recruit whose worker wakes after that
    /// does nothing. A panic in any of them is resumed here.
    pub fn run(&self, work: &(dyn Fn(usize, &Crew) + Sync)) {
        let borrowed: *const (dyn Fn(usize, &Crew) + Sync + '_) = work;
        // SAFETY: only the lifetime changes; see `Erased` for why the pointer never outlives
        // `work`.
        let erased: *const (dyn Fn(usize, &Crew) + Sync + 'static) = unsafe { std::mem::transmute(borrowed) };
        let crew = Crew {
            pool: self.pool.as_ref(),
            gate: Arc::new(Gate::default()),
            recruited: AtomicUsize::new(0),
            max: self.size - 1,
            work: Erased(erased),
            panic: Mutex::new(None),
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| work(0, &crew)));
        crew.gate.close_and_wait();
        if let Err(p) = outcome {
            resume_unwind(p);
        }
        if let Some(p) = crew.panic.lock().unwrap_or_else(|e| e.into_inner()).take() {
            resume_unwind(p);
        }
    }
}

/// A `work` pointer whose lifetime the gate enforces.
#[derive(Clone, Copy)]
struct Erased(*const (dyn Fn(usize, &Crew) + Sync));

// SAFETY: the pointer is only dereferenced by a recruit between a successful `Gate::enter`
// and its `Gate::leave`; `Team::run` does not return (so `work` and the crew stay alive) until
// the gate is closed and no recruit is inside.
unsafe impl Send for Erased {}

/// The members of one run.
pub struct Crew<'t> {
    pool: Option<&'t rayon::ThreadPool>,
    gate: Arc<Gate>,
    recruited: AtomicUsize,
    max: usize,
    work: Erased,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

impl Crew<'_> {
    /// Asks for `wanted` more members (fewer when the pool has no more threads). Costs a
    /// wake-up of a sleeping worker each; call it when there is work for them.
    pub(crate) fn recruit(&self, wanted: usize) {
        let Some(pool) = self.pool else { return };
        for _ in 0..wanted {
            let k = self.recruited.fetch_add(1, Ordering::Relaxed);
            if k >= self.max {
                self.recruited.store(self.max, Ordering::Relaxed);
                return;
            }
            let gate = Arc::clone(&self.gate);
            let work = self.work;
            let crew = CrewPtr(std::ptr::from_ref(self).cast());
            pool.spawn(move || {
                let (work, crew) = (work, crew);
                if !gate.enter() {
                    return;
                }
                // SAFETY: inside the gate, `Team::run` is still waiting: `work` and the crew
                // are alive.
                let (f, c) = unsafe { (&*work.0, &*crew.0) };
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(k + 1, c))) {
                    c.panic.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(p);
                }
                gate.leave();
            });
        }
    }

    /// Members recruited so far (the caller not counted).
    pub fn recruited(&self) -> usize {
        self.recruited.load(Ordering::Relaxed).min(self.max)
    }

    /// Members that could still be recruited.
    pub(crate) fn room(&self) -> usize {
        self.max - self.recruited()
    }
}

/// A crew pointer whose lifetime the gate enforces (see [`Erased`]).
#[derive(Clone, Copy)]
struct CrewPtr(*const Crew<'static>);

// SAFETY: as for `Erased`.
unsafe impl Send for CrewPtr {}

/// Lets recruits in while the run lasts; closing waits for those inside.
#[derive(Default)]
struct Gate {
    /// Members inside, plus [`CLOSED`] once closed.
    state: AtomicUsize,
}

const CLOSED: usize = 1 << (usize::BITS - 1);

impl Gate {
    fn enter(&self) -> bool {
        if self.state.fetch_add(1, Ordering::AcqRel) & CLOSED != 0 {
            self.state.fetch_sub(1, Ordering::AcqRel);
            return false;
        }
        true
    }

    fn leave(&self) {
        self.state.fetch_sub(1, Ordering::AcqRel);
    }

    fn close_and_wait(&self) {
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        let mut spins = 0u32;
        while self.state.load(Ordering::Acquire) & !CLOSED != 0 {
            spins += 1;
            if spins < 1000 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn recruits_join_while_the_run_lasts_and_late_ones_do_nothing() {
        let team = Team::new(3).expect("team");
        for _ in 0..200 {
            let seen = Mutex::new(Vec::new());
            let done = AtomicBool::new(false);
            team.run(&|k, crew| {
                seen.lock().unwrap().push(k);
                if k == 0 {
                    crew.recruit(5);
                    // Wait a little for recruits, then end the run.
                    for _ in 0..1000 {
                        std::hint::spin_loop();
                    }
                    done.store(true, Ordering::Release);
                }
            });
            let seen = seen.into_inner().unwrap();
            assert_eq!(seen[0], 0);
            assert!(seen.iter().all(|&k| k < 3), "{seen:?}");
            assert!(done.load(Ordering::Acquire));
        }
    }

    #[test]
    fn a_panic_in_a_recruit_reaches_the_caller() {
        let team = Team::new(2).expect("team");
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            team.run(&|k, crew| {
                if k == 0 {
                    crew.recruit(1);
                    // Wait for the recruit to panic.
                    while crew.panic.lock().unwrap().is_none() {
                        std::thread::yield_now();
                    }
                } else {
                    panic!("boom");
                }
            })
        }));
        assert!(outcome.is_err());
    }

    #[test]
    fn one_thread_is_the_caller_alone() {
        let team = Team::new(1).expect("team");
        let count = AtomicUsize::new(0);
        team.run(&|_, crew| {
            crew.recruit(4);
            count.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(count.load(Ordering::Relaxed), 1);
    }
}
