//! `samples/eight_wide.json` written by hand: a map of ones, and eight independent chains
//! `x * c_k + d_k` (c_k = k + 1, d_k = k), with every buffer allocated once and reused
//! across runs, the way a careful engineer would. Two layouts, since either could be the
//! fastest plain code: chain by chain (eight maps, in parallel one chain per task), and
//! node by node (the eight results of a node side by side, in parallel by node chunks).

use rayon::prelude::*;

/// Coefficients of chain k: (multiplier, addend), as in the sample.
pub fn coefficients(k: usize) -> (f64, f64) {
    ((k + 1) as f64, k as f64)
}

/// Buffers for chain-by-chain runs.
pub struct ByChain {
    x: Vec<f64>,
    outs: Vec<Vec<f64>>,
}

impl ByChain {
    /// Buffers for `n` nodes.
    pub fn new(n: usize) -> ByChain {
        ByChain { x: vec![0.0; n], outs: vec![vec![0.0; n]; 8] }
    }

    /// One run: the ones, then each chain; with `par`, the fill split over the pool and the
    /// chains one per task.
    pub fn run(&mut self, par: bool) -> &[Vec<f64>] {
        let x = &mut self.x;
        if par {
            x.par_chunks_mut(4096).for_each(|c| c.fill(1.0));
        } else {
            x.fill(1.0);
        }
        let x = &self.x;
        let chain = |(k, out): (usize, &mut Vec<f64>)| {
            let (c, d) = coefficients(k);
            out.iter_mut().zip(x).for_each(|(o, &v)| *o = v * c + d);
        };
        if par {
            self.outs.par_iter_mut().enumerate().for_each(chain);
        } else {
            self.outs.iter_mut().enumerate().for_each(chain);
        }
        &self.outs
    }
}

/// Buffers for node-by-node runs.
pub struct ByNode {
    x: Vec<f64>,
    outs: Vec<[f64; 8]>,
}

impl ByNode {
    /// Buffers for `n` nodes.
    pub fn new(n: usize) -> ByNode {
        ByNode { x: vec![0.0; n], outs: vec![[0.0; 8]; n] }
    }

    /// One run: the ones, then one pass writing each node's eight results; with `par`, both
    /// passes split over the pool in chunks of 4096 nodes.
    pub fn run(&mut self, par: bool) -> &[[f64; 8]] {
        let node = |(o, &v): (&mut [f64; 8], &f64)| {
            for (k, r) in o.iter_mut().enumerate() {
                let (c, d) = coefficients(k);
                *r = v * c + d;
            }
        };
        if par {
            self.x.par_chunks_mut(4096).for_each(|c| c.fill(1.0));
            self.outs
                .par_chunks_mut(4096)
                .zip(self.x.par_chunks(4096))
                .for_each(|(o, x)| o.iter_mut().zip(x).for_each(node));
        } else {
            self.x.fill(1.0);
            self.outs.iter_mut().zip(&self.x).for_each(node);
        }
        &self.outs
    }
}
