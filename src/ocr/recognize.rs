//! Stage `ocr::recognize` (model part): takes upright line strips (RGB, any width) and the CTC
//! recognition model; gives per strip the decoded characters with confidences, top alternatives and
//! the span of each character along the strip (in strip pixels), from which cells are refined; and
//! the recogniser's per-step evidence ([`Posterior`]) for a second look at what it did not pick.

use crate::error::{Error, Result};
use image::RgbImage;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;

/// Height of the recogniser input.
pub const REC_HEIGHT: u32 = 48;
/// Minimum recogniser input width (PaddleOCR's 320 at height 48).
const REC_MIN_WIDTH: u32 = 320;
/// Lines per model call.
const REC_BATCH: usize = 8;
/// Characters kept per time step in a [`Posterior`].
const POSTERIOR_TOP: usize = 24;

/// What the recogniser saw at each CTC time step of a strip: the log probability of "no character"
/// (blank, with the space class folded in) and of the most likely characters. A character not kept
/// at a step is at most as likely as the least one kept (`floor`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Posterior {
    pub steps: Vec<StepPosterior>,
}

/// One time step of a [`Posterior`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepPosterior {
    pub blank: f32,
    pub top: Vec<(String, f32)>,
    pub floor: f32,
}

/// One strip's reading: the greedy decoding and the evidence behind it.
pub struct StripReading {
    pub chars: Vec<RawChar>,
    pub posterior: Posterior,
}

/// A recognised character before geometry refinement.
#[derive(Debug, Clone)]
pub struct RawChar {
    pub ch: String,
    pub confidence: f32,
    pub alternatives: Vec<(String, f32)>,
    /// Centre and extent (first/last time step) along the strip, in strip pixels.
    pub center: f32,
    pub start: f32,
    pub end: f32,
    /// First and last CTC time step of the character's run.
    pub steps: [usize; 2],
}

/// The CTC alphabet: index 0 is blank, then the dictionary, then a space.
pub struct Alphabet {
    pub symbols: Vec<String>,
}

impl Alphabet {
    pub fn from_dict(text: &str) -> Alphabet {
        let mut symbols = vec![String::new()];
        symbols.extend(text.lines().map(|l| l.trim_end_matches('\r').to_string()));
        symbols.push(" ".to_string());
        Alphabet { symbols }
    }
}

/// Resizes a strip to height 48 (keeping aspect) for the recogniser; returns it and its width.
pub fn to_rec_height(strip: &RgbImage) -> RgbImage {
    let (w, h) = strip.dimensions();
    let nw = ((w as f32 * REC_HEIGHT as f32 / h as f32).round() as u32).max(8);
    if h == REC_HEIGHT && nw == w {
        return strip.clone();
    }
    image::imageops::resize(strip, nw, REC_HEIGHT, image::imageops::FilterType::Triangle)
}

/// Recognises strips that are already `REC_HEIGHT` tall. Output order matches input order.
pub fn recognize(model: &Model, alphabet: &Alphabet, strips: &[RgbImage]) -> Result<Vec<StripReading>> {
    let mut order: Vec<usize> = (0..strips.len()).collect();
    order.sort_by_key(|&i| strips[i].width());
    let mut results: Vec<StripReading> = (0..strips.len()).map(|_| StripReading { chars: Vec::new(), posterior: Posterior::default() }).collect();
    for batch in order.chunks(REC_BATCH) {
        let max_w = batch.iter().map(|&i| strips[i].width()).max().unwrap_or(REC_MIN_WIDTH);
        let width = max_w.max(REC_MIN_WIDTH).div_ceil(8) * 8;
        let mut t = NdTensor::<f32, 4>::zeros([batch.len(), 3, REC_HEIGHT as usize, width as usize]);
        for (bi, &i) in batch.iter().enumerate() {
            for (x, y, p) in strips[i].enumerate_pixels() {
                for c in 0..3 {
                    // BGR, scaled to [-1, 1]; padding stays 0.
                    t[[bi, c, y as usize, x as usize]] = p.0[2 - c] as f32 / 127.5 - 1.0;
                }
            }
        }
        let out = model
            .run_one(t.view().into(), None)
            .map_err(|e| Error::Internal(format!("recognition model failed: {e}")))?;
        let probs: NdTensor<f32, 3> = out.try_into().map_err(|e| Error::Internal(format!("recognition output: {e:?}")))?;
        let [_, steps, classes] = probs.shape();
        if classes != alphabet.symbols.len() {
            return Err(Error::Internal(format!(
                "recognition model has {classes} classes but the dictionary gives {}: model and dict.txt do not belong together",
                alphabet.symbols.len()
            )));
        }
        let px_per_step = width as f32 / steps as f32;
        for (bi, &i) in batch.iter().enumerate() {
            let valid_steps = ((strips[i].width() as f32 / px_per_step).ceil() as usize).min(steps);
            let seq = probs.slice(bi);
            results[i] = ctc_decode(&seq, valid_steps, px_per_step, alphabet);
        }
    }
    Ok(results)
}

fn softmaxed(row: &[f32]) -> Vec<f32> {
    let s: f32 = row.iter().sum();
    if (s - 1.0).abs() < 0.05 && row.iter().all(|&v| v >= 0.0) {
        return row.to_vec();
    }
    let m = row.iter().copied().fold(f32::MIN, f32::max);
    let e: Vec<f32> = row.iter().map(|&v| (v - m).exp()).collect();
    let z: f32 = e.iter().sum();
    e.into_iter().map(|v| v / z).collect()
}

/// Greedy CTC decoding keeping per-character time spans and top alternatives, and the posterior.
fn ctc_decode(seq: &rten_tensor::NdTensorView<f32, 2>, steps: usize, px_per_step: f32, alphabet: &Alphabet) -> StripReading {
    let mut chars: Vec<RawChar> = Vec::new();
    let mut posterior = Posterior { steps: Vec::with_capacity(steps) };
    let space = alphabet.symbols.len() - 1;
    let mut prev = 0usize;
    // Current run: (class, first step, last step, best prob, best step probs)
    let mut run: Option<(usize, usize, usize, f32, Vec<f32>)> = None;
    let flush = |run: &mut Option<(usize, usize, usize, f32, Vec<f32>)>, chars: &mut Vec<RawChar>| {
        if let Some((cls, t0, t1, p, row)) = run.take() {
            let mut idx: Vec<usize> = (1..row.len()).filter(|&k| k != cls).collect();
            idx.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
            let alternatives = idx.iter().take(3).map(|&k| (alphabet.symbols[k].clone(), row[k])).collect();
            chars.push(RawChar {
                ch: alphabet.symbols[cls].clone(),
                confidence: p,
                alternatives,
                center: (t0 + t1 + 1) as f32 / 2.0 * px_per_step,
                start: t0 as f32 * px_per_step,
                end: (t1 + 1) as f32 * px_per_step,
                steps: [t0, t1],
            });
        }
    };
    for t in 0..steps {
        let row = softmaxed(&seq.slice(t).iter().copied().collect::<Vec<f32>>());
        posterior.steps.push(step_posterior(&row, space, alphabet));
        let (best, &p) = row.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        if best == 0 {
            flush(&mut run, &mut chars);
        } else if best == prev {
            if let Some(r) = run.as_mut() {
                r.2 = t;
                if p > r.3 {
                    r.3 = p;
                    r.4 = row;
                }
            }
        } else {
            flush(&mut run, &mut chars);
            run = Some((best, t, t, p, row));
        }
        prev = best;
    }
    flush(&mut run, &mut chars);
    StripReading { chars, posterior }
}

/// The blank (plus space) and the most likely characters of one step, as log probabilities.
fn step_posterior(row: &[f32], space: usize, alphabet: &Alphabet) -> StepPosterior {
    let ln = |p: f32| p.max(1e-12).ln();
    let mut idx: Vec<usize> = (1..row.len()).filter(|&k| k != space).collect();
    let n = POSTERIOR_TOP.min(idx.len());
    idx.select_nth_unstable_by(n - 1, |&a, &b| row[b].total_cmp(&row[a]));
    idx.truncate(n);
    idx.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
    let floor = idx.last().map(|&k| ln(row[k])).unwrap_or(ln(0.0));
    StepPosterior { blank: ln(row[0] + row[space]), top: idx.iter().map(|&k| (alphabet.symbols[k].clone(), ln(row[k]))).collect(), floor }
}

/// Text-line orientation classifier (0° vs 180°): returns, per strip, the probability it is upside down.
pub fn upside_down_probability(model: &Model, strips: &[RgbImage]) -> Result<Vec<f32>> {
    const CW: usize = 192;
    let mut out = Vec::with_capacity(strips.len());
    for batch in strips.chunks(16) {
        let mut t = NdTensor::<f32, 4>::zeros([batch.len(), 3, 48, CW]);
        for (bi, s) in batch.iter().enumerate() {
            let nw = ((s.width() as f32 * 48.0 / s.height() as f32).round() as u32).clamp(8, CW as u32);
            let r = image::imageops::resize(s, nw, 48, image::imageops::FilterType::Triangle);
            for (x, y, p) in r.enumerate_pixels() {
                for c in 0..3 {
                    t[[bi, c, y as usize, x as usize]] = p.0[2 - c] as f32 / 127.5 - 1.0;
                }
            }
        }
        let res = model
            .run_one(t.view().into(), None)
            .map_err(|e| Error::Internal(format!("orientation model failed: {e}")))?;
        let probs: NdTensor<f32, 2> = res.try_into().map_err(|e| Error::Internal(format!("orientation output: {e:?}")))?;
        for bi in 0..batch.len() {
            let row = softmaxed(&[probs[[bi, 0]], probs[[bi, 1]]]);
            out.push(row[1]);
        }
    }
    Ok(out)
}
