//! A glyph's proportions: takes a glyph crop's ink darkness, or a character's outline; gives how
//! wide the ink is for its height. Some look-alikes differ in little else (曰 is 日 drawn wider and
//! shorter), and a fit that normalises position, size and small aspect changes cannot see that, so
//! a glyph's width-for-height is compared with each candidate character's in the line's face.
//!
//! The crop's extents are where the columns' (rows') largest darkness crosses half the crop's
//! largest, interpolated between pixel centres: the edge of a blurred step lies there, so a 14 px
//! glyph's width is measured to a fraction of a pixel rather than rounded by a binarisation.

use super::residual::Darkness;
use crate::render::fonts::Seg;

/// Width over height of the glyph's ink in `dark` (sub-pixel, half-maximum edges); `None` when the
/// crop has no ink.
pub fn ink_aspect(dark: &Darkness) -> Option<f32> {
    let (w, h) = (dark.w, dark.h);
    let top = dark.v.iter().copied().fold(0.0f32, f32::max);
    if top <= 0.0 || w == 0 || h == 0 {
        return None;
    }
    let cols: Vec<f32> = (0..w).map(|x| (0..h).map(|y| dark.v[y * w + x]).fold(0.0, f32::max)).collect();
    let rows: Vec<f32> = (0..h).map(|y| dark.v[y * w..(y + 1) * w].iter().copied().fold(0.0, f32::max)).collect();
    let (width, height) = (extent(&cols, top / 2.0)?, extent(&rows, top / 2.0)?);
    (height > 0.0).then(|| width / height)
}

/// Distance between the first and the last crossing of `thr` in profile `p` (pixel centres at
/// integer positions; a profile already over `thr` at its end reaches half a pixel beyond).
fn extent(p: &[f32], thr: f32) -> Option<f32> {
    let first = p.iter().position(|&v| v >= thr)?;
    let last = p.iter().rposition(|&v| v >= thr)?;
    let lo = if first == 0 { -0.5 } else { (first - 1) as f32 + (thr - p[first - 1]) / (p[first] - p[first - 1]).max(1e-6) };
    let hi = if last + 1 == p.len() { last as f32 + 0.5 } else { last as f32 + (p[last] - thr) / (p[last] - p[last + 1]).max(1e-6) };
    Some(hi - lo)
}

/// Width over height of a character's outline (its curves followed, not their control points).
pub fn outline_aspect(path: &[Seg]) -> Option<f32> {
    let mut b = [f32::INFINITY, f32::INFINITY, f32::NEG_INFINITY, f32::NEG_INFINITY];
    let mut add = |q: [f32; 2]| {
        b = [b[0].min(q[0]), b[1].min(q[1]), b[2].max(q[0]), b[3].max(q[1])];
    };
    let mut at = [0.0f32, 0.0];
    const STEPS: usize = 8;
    for s in path {
        match *s {
            Seg::Move(p) | Seg::Line(p) => {
                add(p);
                at = p;
            }
            Seg::Quad(c, p) => {
                for i in 1..=STEPS {
                    let t = i as f32 / STEPS as f32;
                    let u = 1.0 - t;
                    add([u * u * at[0] + 2.0 * u * t * c[0] + t * t * p[0], u * u * at[1] + 2.0 * u * t * c[1] + t * t * p[1]]);
                }
                at = p;
            }
            Seg::Cubic(c1, c2, p) => {
                for i in 1..=STEPS {
                    let t = i as f32 / STEPS as f32;
                    let u = 1.0 - t;
                    let k = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
                    add([k[0] * at[0] + k[1] * c1[0] + k[2] * c2[0] + k[3] * p[0], k[0] * at[1] + k[1] * c1[1] + k[2] * c2[1] + k[3] * p[1]]);
                }
                at = p;
            }
            Seg::Close => {}
        }
    }
    let (w, h) = (b[2] - b[0], b[3] - b[1]);
    (w > 0.0 && h > 0.0).then(|| w / h)
}

/// How much better the proportions of candidate `k` explain a glyph than those of the intended
/// character `c`: `|ln(a / (line·A_c))| − |ln(a / (line·A_k))|`, for the glyph's aspect `a`, the
/// characters' outline aspects `A` in the line's face and the line's own widening `line` (the
/// median of its glyphs' `a / A`: a condensed or slanted face widens or narrows every glyph alike).
/// Positive: the glyph is proportioned more like `k`.
pub fn aspect_gain(a: f32, line: f32, a_c: f32, a_k: f32) -> f32 {
    aspect_off(a, line, a_c) - aspect_off(a, line, a_k)
}

/// How far (log units) a glyph's width for its height `a` is from a character's `a_k` drawn in a
/// face the line widens by `line`.
pub fn aspect_off(a: f32, line: f32, a_k: f32) -> f32 {
    (a / (line * a_k)).ln().abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A box of ink `bw`×`bh` pixels (edges at fractional positions, partial coverage at the
    /// edges), blurred by a 3-tap box, in a crop with a 3 px margin.
    fn ink_box(bw: f32, bh: f32) -> Darkness {
        let (w, h) = ((bw.ceil() as usize) + 6, (bh.ceil() as usize) + 6);
        let cover = |i: usize, len: f32| -> f32 {
            let (lo, hi) = (3.0f32, 3.0 + len);
            let (a, b) = (i as f32, i as f32 + 1.0);
            (b.min(hi) - a.max(lo)).clamp(0.0, 1.0)
        };
        let sharp: Vec<f32> = (0..h).flat_map(|y| (0..w).map(move |x| (x, y))).map(|(x, y)| cover(x, bw) * cover(y, bh)).collect();
        let at = |x: i32, y: i32| if x < 0 || y < 0 || x >= w as i32 || y >= h as i32 { 0.0 } else { sharp[y as usize * w + x as usize] };
        let v = (0..h).flat_map(|y| (0..w).map(move |x| (x as i32, y as i32))).map(|(x, y)| (at(x - 1, y) + at(x, y) + at(x + 1, y)) / 3.0).collect();
        Darkness { w, h, v }
    }

    #[test]
    fn the_width_for_height_of_blurred_ink_is_measured_to_a_fraction_of_a_pixel() {
        let a = ink_aspect(&ink_box(11.4, 15.0)).unwrap();
        assert!((a - 11.4 / 15.0).abs() < 0.02, "{a}");
        let b = ink_aspect(&ink_box(13.6, 15.0)).unwrap();
        assert!((b - 13.6 / 15.0).abs() < 0.02, "{b}");
    }

    #[test]
    fn a_curve_is_followed_not_its_control_point() {
        // A bump whose control point is at y = −10 reaches only y = −5.
        let p = [Seg::Move([0.0, 0.0]), Seg::Quad([5.0, -10.0], [10.0, 0.0]), Seg::Line([10.0, 5.0]), Seg::Line([0.0, 5.0]), Seg::Close];
        let a = outline_aspect(&p).unwrap();
        assert!((a - 1.0).abs() < 0.01, "{a}");
    }

    #[test]
    fn a_glyph_drawn_wider_than_intended_is_proportioned_like_the_wider_character() {
        // 日 (0.76) drawn as 曰 (0.90) in a line whose face widens nothing.
        assert!(aspect_gain(0.90, 1.0, 0.76, 0.90) > 0.15);
        // The intended character drawn as intended in a face drawn 10 % wide: no gain.
        assert!(aspect_gain(0.836, 1.1, 0.76, 0.90) < 0.0);
    }
}
