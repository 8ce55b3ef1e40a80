//! Chrome trace-event JSON (opens in Perfetto or chrome://tracing): one process per mode,
//! one thread per worker, a complete event (`ph: "X"`) per op.

use serde_json::{Value, json};

use crate::report::bench_report::BenchReport;

/// The trace of the last repetition of every mode in `report`.
pub(crate) fn to_trace(report: &BenchReport) -> Value {
    let mut events = Vec::new();
    for (pid, (mode, spans)) in report.measured.timelines.iter().enumerate() {
        events.push(json!({"name": "process_name", "ph": "M", "pid": pid, "tid": 0, "args": {"name": mode.name()}}));
        let mut workers: Vec<usize> = spans.iter().map(|s| s.worker).collect();
        workers.sort_unstable();
        workers.dedup();
        for w in workers {
            events.push(json!({"name": "thread_name", "ph": "M", "pid": pid, "tid": w, "args": {"name": format!("worker {w}")}}));
        }
        for s in spans {
            events.push(json!({
                "name": format!("{} {}", s.op, s.node),
                "cat": s.op,
                "ph": "X",
                "ts": s.start_s * 1e6,
                "dur": (s.end_s - s.start_s) * 1e6,
                "pid": pid,
                "tid": s.worker,
                "args": {"node": s.node, "level": s.level, "group": s.level},
            }));
        }
    }
    json!({"traceEvents": events, "displayTimeUnit": "ms"})
}
