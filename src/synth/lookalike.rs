//! Look-alike character pairs (a real but wrong character). Takes the stroke data and a character
//! list; gives pairs with the same stroke count whose strokes all match but one (medians compared
//! after resampling). `data/lookalikes.tsv` is written from this by
//! `cargo run --release --example make_lookalikes`, merged with the curated pairs in
//! `data/lookalikes-curated.tsv`; the generator reads the table through `crate::lookalikes`.

use crate::strokes::{CharStrokes, StrokeData};

/// Points per median after resampling.
const SAMPLES: usize = 6;
/// A stroke "differs" above this mean distance (256 box) …
pub const DIFFER: f32 = 14.0;
/// … and "matches" below this one.
pub const MATCH: f32 = 12.0;

fn resample(m: &[[u8; 2]]) -> [[f32; 2]; SAMPLES] {
    let pts: Vec<[f32; 2]> = m.iter().map(|p| [p[0] as f32, p[1] as f32]).collect();
    let mut cum = vec![0.0f32];
    for w in pts.windows(2) {
        let d = crate::geometry::dist(w[0], w[1]);
        cum.push(cum.last().unwrap() + d);
    }
    let total = *cum.last().unwrap();
    let mut out = [[0.0; 2]; SAMPLES];
    for (k, o) in out.iter_mut().enumerate() {
        let t = total * k as f32 / (SAMPLES - 1) as f32;
        let i = cum.iter().rposition(|&c| c <= t).unwrap_or(0).min(pts.len().saturating_sub(2));
        let seg = (cum.get(i + 1).copied().unwrap_or(cum[i]) - cum[i]).max(1e-6);
        let f = ((t - cum[i]) / seg).clamp(0.0, 1.0);
        let a = pts[i];
        let b = pts.get(i + 1).copied().unwrap_or(a);
        *o = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
    }
    out
}

fn stroke_dist(a: &[[f32; 2]; SAMPLES], b: &[[f32; 2]; SAMPLES]) -> f32 {
    a.iter().zip(b).map(|(p, q)| crate::geometry::dist(*q, *p)).sum::<f32>() / SAMPLES as f32
}

/// Mean distance between two medians after resampling (256 box).
pub fn stroke_distance(a: &[[u8; 2]], b: &[[u8; 2]]) -> f32 {
    stroke_dist(&resample(a), &resample(b))
}

/// Two glyphs whose strokes all pair up within this mean distance (256 box) are the same
/// character drawn with other proportions: 藏's 艹 over 会's 云 sits up to 17 off 芸's strokes,
/// and reads 芸. (Pseudo-characters of the corpus whose nearest real character is a misreading,
/// 坊's 土 beside 识's 只 read 坦, are 23 or more off at some stroke.)
pub const SAME_GLYPH: f32 = 20.0;

/// Whether the strokes of `a` and `b` pair up one to one, each pair within [`SAME_GLYPH`], in
/// whatever order they were written: a glyph built from 镀's 钅 and 跌's 失 lists 钅 last, yet it
/// is 铁.
pub fn same_strokes_any_order(a: &[Vec<[u8; 2]>], b: &[Vec<[u8; 2]>]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let rb: Vec<_> = b.iter().map(|m| resample(m)).collect();
    // Each stroke of `a` and the strokes of `b` near it, stopping at the first stroke with none.
    let mut near: Vec<Vec<usize>> = Vec::with_capacity(a.len());
    for m in a {
        let x = resample(m);
        let n: Vec<usize> = (0..rb.len()).filter(|&j| stroke_dist(&x, &rb[j]) <= SAME_GLYPH).collect();
        if n.is_empty() {
            return false;
        }
        near.push(n);
    }
    // Augmenting paths (Kuhn): each stroke of `a` takes a stroke of `b` no other one holds.
    fn take(i: usize, near: &[Vec<usize>], seen: &mut [bool], holder: &mut [Option<usize>]) -> bool {
        for &j in &near[i] {
            if !seen[j] {
                seen[j] = true;
                if holder[j].is_none_or(|h| take(h, near, seen, holder)) {
                    holder[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut holder = vec![None; rb.len()];
    (0..near.len()).all(|i| take(i, &near, &mut vec![false; rb.len()], &mut holder))
}

/// Whether two components (each a list of stroke medians, 256 box) are the same component drawn
/// at different places or proportions: the same number of strokes, each matching its counterpart
/// once both are stretched to fill their own bounding boxes. 颜's 页 set in place of 预's own 页 is
/// still 预, however far the two sit apart in their characters.
pub fn same_component(a: &[&Vec<[u8; 2]>], b: &[&Vec<[u8; 2]>]) -> bool {
    fn boxed(c: &[&Vec<[u8; 2]>]) -> Vec<[[f32; 2]; SAMPLES]> {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in c.iter().flat_map(|m| m.iter()) {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k] as f32);
                hi[k] = hi[k].max(p[k] as f32);
            }
        }
        // A component one stroke thin along an axis (一) keeps its scale on that axis.
        let span = [(hi[0] - lo[0]).max(32.0), (hi[1] - lo[1]).max(32.0)];
        c.iter()
            .map(|m| {
                let mut r = resample(m);
                for p in r.iter_mut() {
                    for k in 0..2 {
                        p[k] = (p[k] - lo[k]) / span[k] * 255.0;
                    }
                }
                r
            })
            .collect()
    }
    a.len() == b.len() && boxed(a).iter().zip(boxed(b).iter()).all(|(x, y)| stroke_dist(x, y) <= DIFFER)
}

/// The index of the one stroke in which `a` and `b` differ, if they differ in exactly one.
pub fn one_stroke_apart(a: &CharStrokes, b: &CharStrokes) -> Option<usize> {
    if a.stroke_count() != b.stroke_count() || a.stroke_count() < 2 {
        return None;
    }
    let mut differing = None;
    for k in 0..a.stroke_count() {
        let d = stroke_dist(&resample(&a.medians[k]), &resample(&b.medians[k]));
        if d > DIFFER {
            if differing.is_some() {
                return None;
            }
            differing = Some(k);
        } else if d > MATCH {
            return None;
        }
    }
    differing
}

/// All one-stroke-apart pairs among `chars` (each pair once, in list order), with the stroke index.
pub fn derive(data: &StrokeData, chars: &[char]) -> Vec<(char, char, usize)> {
    let strokes: Vec<CharStrokes> = chars.iter().filter_map(|&c| data.get(c)).collect();
    let mut out = Vec::new();
    for i in 0..strokes.len() {
        for j in i + 1..strokes.len() {
            if let Some(k) = one_stroke_apart(&strokes[i], &strokes[j]) {
                out.push((strokes[i].ch, strokes[j].ch, k));
            }
        }
    }
    out
}

