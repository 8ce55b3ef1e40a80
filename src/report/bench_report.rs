//! A benchmark's report: what was measured and what was predicted from it, side by side.
//! The two are made apart (measuring never predicts) and joined here for the writers and
//! the terminal UI; the JSON gives each mode's measurements and predictions in one object.

use serde::Serialize;
use serde_json::{Value, json};

use crate::exec::Mode;
use crate::exec::bench::measurement::{Measurement, ModeMeasurement};
use crate::exec::span::OpSpan;
use crate::predict::{ModePredicted, Predictions};

/// A benchmark: its measurements and the predictions made from them.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// What was measured.
    pub measured: Measurement,
    /// What was predicted.
    pub predicted: Predictions,
}

impl BenchReport {
    /// The parallel mode with the highest measured speedup (noise aside).
    pub(crate) fn best_parallel(&self) -> Option<&ModeMeasurement> {
        self.measured.best_parallel()
    }

    /// Each mode's measurements with its predictions.
    pub fn rows(&self) -> impl Iterator<Item = (&ModeMeasurement, Option<&ModePredicted>)> {
        self.measured.modes.iter().map(|m| (m, self.predicted.mode(m.mode)))
    }

    /// The timeline of `mode`'s last run.
    pub fn timeline(&self, mode: Mode) -> Option<&[OpSpan]> {
        self.measured.timeline(mode)
    }
}

impl Serialize for BenchReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut doc = serde_json::to_value(&self.measured).map_err(serde::ser::Error::custom)?;
        let predicted = serde_json::to_value(&self.predicted).map_err(serde::ser::Error::custom)?;
        if let (Value::Object(doc), Value::Object(p)) = (&mut doc, predicted) {
            if let Some(Value::Array(modes)) = doc.get_mut("modes") {
                for (entry, m) in modes.iter_mut().zip(&self.measured.modes) {
                    if let (Value::Object(entry), Some(p)) = (entry, self.predicted.mode(m.mode)) {
                        entry.insert("predicted".into(), serde_json::to_value(p).map_err(serde::ser::Error::custom)?);
                    }
                }
            }
            doc.insert("predicted".into(), json!({ "groggy": self.predicted.groggy }));
            for (k, v) in p {
                if k != "groggy" {
                    doc.insert(k, v);
                }
            }
        }
        doc.serialize(s)
    }
}
