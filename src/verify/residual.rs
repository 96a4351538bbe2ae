//! Grey-level residual of a glyph against one face's rendering of a character: takes the glyph's
//! upright crop as ink darkness (0–1), the face's outline of the character and starting placements;
//! gives, after a search over sub-pixel offset, scale, small warps, blur, stroke weight and contrast,
//! the largest connected patch of ink the rendering has and the glyph lacks (a missing stroke) and
//! of ink the glyph has and the rendering lacks (an added stroke), as shares of the character's
//! ink, with their depth and boxes. It sees
//! below the size where binarised ink resolves strokes: at a 14 px em a stroke is one or two grey
//! pixels wide, but its absence still takes a stroke's worth of darkness away.

use crate::raster::connected_components;
use crate::render::fonts::Seg;
use crate::render::rasterize;
use serde::{Deserialize, Serialize};

/// Supersampling of the reference rendering, per axis.
const SS: usize = 4;
/// Reach of the offset search, in supersampled steps (±2 px).
const REACH: i32 = 8;
/// A residual patch is where smoothed darkness differs by more than this somewhere...
const PATCH: f32 = 0.3;
/// ...and it runs on while the difference stays above this. A stroke added across others, or drawn
/// thin and blurred, differs by less than `PATCH` along most of its length; measured on the garbled
/// and clean glyphs of seeds 101 and 202, growing patches to 0.15 raised the pseudo-characters
/// leaving a patch larger than all but 0.1% of clean glyphs' from 75% to 81%.
const PATCH_GROW: f32 = 0.15;
/// Blur radii (Gaussian sigma, pixels) tried on the rendering to meet the glyph's own blur.
const BLURS: [f32; 5] = [0.0, 0.5, 0.8, 1.1, 1.5];
/// Weight changes tried on the blurred rendering (`1 − (1 − r)^γ`: above 1 bolder, below lighter),
/// so a bold or light cut of the face is not read as ink everywhere extra or missing.
const WEIGHTS: [f32; 6] = [0.6, 0.8, 1.0, 1.3, 1.7, 2.2];

/// A crop's ink darkness, row-major, 0 (background) to 1 (full ink).
#[derive(Debug, Clone)]
pub struct Darkness {
    pub w: usize,
    pub h: usize,
    pub v: Vec<f32>,
}

/// A placement of reference pixels in the crop: `q = m·p + t`.
#[derive(Debug, Clone, Copy)]
pub struct Affine {
    pub m: [[f32; 2]; 2],
    pub t: [f32; 2],
}

impl Affine {
    /// Uniform scale `a`, then shift `t`.
    pub fn similarity(a: f32, t: [f32; 2]) -> Affine {
        Affine { m: [[a, 0.0], [0.0, a]], t }
    }

    pub fn apply(&self, p: [f32; 2]) -> [f32; 2] {
        [self.m[0][0] * p[0] + self.m[0][1] * p[1] + self.t[0], self.m[1][0] * p[0] + self.m[1][1] * p[1] + self.t[1]]
    }

    /// Crop pixels per reference pixel (the square root of the area scale).
    pub fn scale(&self) -> f32 {
        (self.m[0][0] * self.m[1][1] - self.m[0][1] * self.m[1][0]).abs().sqrt()
    }

    /// The reference point placed at crop point `q`.
    fn unapply(&self, q: [f32; 2]) -> [f32; 2] {
        let m = self.m;
        let inv_det = 1.0 / (m[0][0] * m[1][1] - m[0][1] * m[1][0]);
        let d = [q[0] - self.t[0], q[1] - self.t[1]];
        [inv_det * (m[1][1] * d[0] - m[0][1] * d[1]), inv_det * (-m[1][0] * d[0] + m[0][0] * d[1])]
    }

    /// The placement with matrix `m`, keeping reference point `c` where it was.
    fn with_matrix(&self, m: [[f32; 2]; 2], c: [f32; 2]) -> Affine {
        let q = self.apply(c);
        Affine { m, t: [q[0] - m[0][0] * c[0] - m[0][1] * c[1], q[1] - m[1][0] * c[0] - m[1][1] * c[1]] }
    }

    /// The same placement at uniform scale `a`, keeping reference point `c` where it was.
    pub fn rescaled(&self, a: f32, c: [f32; 2]) -> Affine {
        self.with_matrix([[a, 0.0], [0.0, a]], c)
    }

    /// The same placement at scale `a` (the square root of the area scale) drawn `aspect` times
    /// as wide for its height (a condensed face < 1), keeping reference point `c` where it was.
    pub fn stretched(&self, a: f32, aspect: f32, c: [f32; 2]) -> Affine {
        let s = aspect.max(0.1).sqrt();
        self.with_matrix([[a * s, 0.0], [0.0, a / s]], c)
    }

    /// The placement turned by `deg` degrees in the crop (positive: clockwise on the page), about
    /// reference point `c`.
    fn turned(&self, deg: f32, c: [f32; 2]) -> Affine {
        let (s, co) = deg.to_radians().sin_cos();
        self.warped([[co - 1.0, -s], [s, co - 1.0]], c)
    }

    /// The placement followed by `(1 + d)` in the crop, about reference point `c`.
    fn warped(&self, d: [[f32; 2]; 2], c: [f32; 2]) -> Affine {
        let e = [[1.0 + d[0][0], d[0][1]], [d[1][0], 1.0 + d[1][1]]];
        let m = self.m;
        let mm = [
            [e[0][0] * m[0][0] + e[0][1] * m[1][0], e[0][0] * m[0][1] + e[0][1] * m[1][1]],
            [e[1][0] * m[0][0] + e[1][1] * m[1][0], e[1][0] * m[0][1] + e[1][1] * m[1][1]],
        ];
        self.with_matrix(mm, c)
    }
}

/// Small warps the placement is refined over, as `d` of `Affine::warped` per unit step: shear
/// either way, aspect and turn. A keystoned photograph or poster draws a glyph with all four.
const WARPS: [[[f32; 2]; 2]; 4] = [[[0.0, 1.0], [0.0, 0.0]], [[0.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, -1.0]], [[0.0, -1.0], [1.0, 0.0]]];

/// Glyphs at least this large (em, crop pixels) have their placement refined in finer steps too.
const FINE_FIT_EM_PX: f32 = 40.0;
/// The finer steps: uniform scale, then the warps.
const FINE_WARPS: [[[f32; 2]; 2]; 5] = [[[1.0, 0.0], [0.0, 1.0]], WARPS[0], WARPS[1], WARPS[2], WARPS[3]];

/// The residual of one glyph against one rendering.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Residual {
    /// Largest connected patch of ink the rendering has and the glyph lacks, darkness-weighted,
    /// as a share of the rendering's ink.
    pub missing: f32,
    /// Largest patch of ink the glyph has and the rendering lacks, likewise.
    pub extra: f32,
    /// How deep each patch is: of the rendering's ink over the missing patch, the share the glyph
    /// lacks; of the glyph's ink over the extra patch, the share the rendering lacks (a stroke
    /// absent or added outright is near 1, one drawn thinner or bolder about a half).
    #[serde(default)]
    pub missing_depth: f32,
    #[serde(default)]
    pub extra_depth: f32,
    /// Root-mean-square darkness difference over the crop after the fit.
    pub rms: f32,
    /// The rendering's em as placed, pixels.
    pub em_px: f32,
    /// Blur (sigma, pixels) and weight change (see `WEIGHTS`) that made the rendering meet the
    /// glyph best.
    pub blur: f32,
    pub weight: f32,
    /// Boxes of the two patches, `[x0, y0, x1, y1]`: in the crop's frame as measured here, in
    /// image pixels `[x, y, w, h]` once `verify` has placed them.
    pub missing_box: Option<[f32; 4]>,
    pub extra_box: Option<[f32; 4]>,
    /// Of the character's expected strokes running into the missing patch, the largest share of a
    /// stroke's median on ink the rendering has and the glyph lacks (1: a stroke left out whole;
    /// 0 when no stroke data or no patch). Measured by `verify`, not here.
    #[serde(default)]
    pub stroke_lacking: f32,
}

/// Sum of squared darkness left after the best contrast gain on `r`; and that gain.
fn leftover(d: &[f32], r: &[f32]) -> (f32, f32) {
    let (mut dr, mut rr, mut dd) = (0f32, 0f32, 0f32);
    for (&a, &b) in d.iter().zip(r) {
        dr += a * b;
        rr += b * b;
        dd += a * a;
    }
    if rr <= 1e-6 {
        return (dd, 0.0);
    }
    (dd - dr * dr / rr, dr / rr)
}

/// The rendering sampled at crop resolution, from a supersampled canvas's integral image, shifted
/// by `(ox, oy)` supersampled steps.
struct Canvas {
    cw: usize,
    integral: Vec<f32>,
}

impl Canvas {
    /// `path` placed by `place` on the supersampled canvas (`REACH` steps of margin each side).
    fn mapped(path: &[Seg], place: Affine) -> Vec<Seg> {
        let k = SS as f32;
        path.iter()
            .map(|s| {
                s.map(|p| {
                    let q = place.apply(p);
                    [k * q[0] + REACH as f32, k * q[1] + REACH as f32]
                })
            })
            .collect()
    }

    fn new(path: &[Seg], place: Affine, w: usize, h: usize) -> Option<Canvas> {
        let (cw, ch) = (w * SS + 2 * REACH as usize, h * SS + 2 * REACH as usize);
        let (x0, y0, rw, rh, cov) = rasterize(&Canvas::mapped(path, place))?;
        let mut integral = vec![0f32; (cw + 1) * (ch + 1)];
        // The coverage's columns on the canvas (outside them a row's running sum stays put).
        let (cx0, cx1) = (x0.clamp(0, cw as i32) as usize, (x0 + rw as i32).clamp(0, cw as i32) as usize);
        for y in 0..ch {
            let sy = y as i32 - y0;
            let cov_row = (sy >= 0 && (sy as usize) < rh).then(|| &cov[sy as usize * rw..(sy as usize + 1) * rw]);
            let (above, here) = integral[y * (cw + 1)..(y + 2) * (cw + 1)].split_at_mut(cw + 1);
            let mut row = 0f32;
            let inked = if cov_row.is_some() { cx0..cx1 } else { cx0..cx0 };
            for x in 0..inked.start {
                here[x + 1] = above[x + 1];
            }
            if let Some(c) = cov_row {
                for x in inked.clone() {
                    row += c[(x as i32 - x0) as usize];
                    here[x + 1] = above[x + 1] + row;
                }
            }
            for x in inked.end..cw {
                here[x + 1] = above[x + 1] + row;
            }
        }
        Some(Canvas { cw, integral })
    }

    fn sample(&self, w: usize, h: usize, ox: i32, oy: i32) -> Vec<f32> {
        let stride = self.cw + 1;
        let n = (SS * SS) as f32;
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let y0 = (SS * y) as i32 + REACH - oy;
            let (a, b) = (y0 as usize * stride, (y0 as usize + SS) * stride);
            for x in 0..w {
                let x0 = ((SS * x) as i32 + REACH - ox) as usize;
                let s = self.integral[b + x0 + SS] - self.integral[b + x0] - self.integral[a + x0 + SS] + self.integral[a + x0];
                out.push(s / n);
            }
        }
        out
    }

    /// What `d` leaves unexplained by the sample shifted by `(ox, oy)`: the same value as
    /// [`leftover`] of `d` and [`Canvas::sample`], summed in the same order, without building the
    /// sample (the offset search calls this some ninety times per placement). `dd` is the sum of
    /// `d`'s squares.
    fn leftover_at(&self, d: &[f32], dd: f32, w: usize, h: usize, ox: i32, oy: i32) -> f32 {
        let stride = self.cw + 1;
        let n = (SS * SS) as f32;
        let (mut dr, mut rr) = (0f32, 0f32);
        for y in 0..h {
            let y0 = (SS * y) as i32 + REACH - oy;
            let (a, b) = (y0 as usize * stride, (y0 as usize + SS) * stride);
            let row = &d[y * w..(y + 1) * w];
            for (x, &dv) in row.iter().enumerate() {
                let x0 = ((SS * x) as i32 + REACH - ox) as usize;
                let s = self.integral[b + x0 + SS] - self.integral[b + x0] - self.integral[a + x0 + SS] + self.integral[a + x0];
                let r = s / n;
                dr += dv * r;
                rr += r * r;
            }
        }
        if rr <= 1e-6 {
            return dd;
        }
        dd - dr * dr / rr
    }
}

/// Gaussian blur of a `w`×`h` plane (separable, edges repeated).
fn gauss(v: &[f32], w: usize, h: usize, sigma: f32) -> Vec<f32> {
    if sigma <= 0.0 {
        return v.to_vec();
    }
    let r = (2.5 * sigma).ceil() as i32;
    let k: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let ks: f32 = k.iter().sum();
    let pass = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0f32; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut s = 0f32;
                for (j, kv) in k.iter().enumerate() {
                    let d = j as i32 - r;
                    let (xx, yy) = if horizontal { ((x as i32 + d).clamp(0, w as i32 - 1), y as i32) } else { (x as i32, (y as i32 + d).clamp(0, h as i32 - 1)) };
                    s += kv * src[yy as usize * w + xx as usize];
                }
                out[y * w + x] = s / ks;
            }
        }
        out
    };
    pass(&pass(v, true), false)
}

/// The glyph-minus-rendering difference as the patches see it (lightly smoothed, so a single
/// noisy pixel is no patch).
fn smoothed(e: &[f32], w: usize, h: usize) -> Vec<f32> {
    gauss(e, w, h, 0.6)
}

/// Where the fitted rendering `shown` (as `fitted` gives it) has ink the glyph lacks, by the same
/// measure as the missing patch (against `whole` when given, see `fitted`): per crop pixel, row-major.
pub fn lacking(dark: &Darkness, whole: Option<&[f32]>, shown: &[f32]) -> Vec<bool> {
    lack(whole.unwrap_or(&dark.v), shown, dark.w, dark.h).iter().map(|&x| x > PATCH).collect()
}

/// How much the rendering `shown` is darker than `on_page`, smoothed as the patches see it.
fn lack(on_page: &[f32], shown: &[f32], w: usize, h: usize) -> Vec<f32> {
    let e: Vec<f32> = on_page.iter().zip(shown).map(|(&d, &x)| d - x).collect();
    smoothed(&e, w, h).iter().map(|&x| -x).collect()
}

/// The largest connected patch where `e` exceeds `PATCH_GROW`, somewhere `PATCH`, within box
/// `within` (crop pixels `[x0, y0, x1, y1]`): its darkness mass and box. With `inner`, patches touching the crop's edge
/// do not count (extra ink there is a neighbour's).
/// Also gives the patch's depth: of the ink `have` holds over the patch, the share `lack` does not
/// (a stroke left out entirely is near 1; a stroke drawn thinner than the rendering's, about a half).
fn largest_patch(e: &[f32], w: usize, h: usize, within: [f32; 4], inner: bool, have: &[f32], lack: &[f32]) -> (f32, Option<[f32; 4]>, f32) {
    let inside = |i: usize| {
        let (x, y) = ((i % w) as f32 + 0.5, (i / w) as f32 + 0.5);
        x >= within[0] && x <= within[2] && y >= within[1] && y <= within[3]
    };
    let mask: Vec<bool> = e.iter().enumerate().map(|(i, &x)| x > PATCH_GROW && inside(i)).collect();
    let (comps, labels) = connected_components(&mask, w, h);
    // A patch holds some pixel beyond `PATCH`; its fainter rest counts with it.
    let mut seeded = vec![false; comps.len()];
    for (i, &l) in labels.iter().enumerate() {
        if l > 0 && e[i] > PATCH {
            seeded[l as usize - 1] = true;
        }
    }
    let mut mass = vec![0f32; comps.len()];
    for (i, &l) in labels.iter().enumerate() {
        if l > 0 {
            mass[l as usize - 1] += e[i];
        }
    }
    for (k, (m, c)) in mass.iter_mut().zip(&comps).enumerate() {
        if !seeded[k] {
            *m = 0.0;
        }
        if inner && (c.x0 == 0 || c.y0 == 0 || c.x1 == w || c.y1 == h) {
            *m = 0.0;
        }
    }
    match mass.iter().enumerate().filter(|m| *m.1 > 0.0).max_by(|a, b| a.1.total_cmp(b.1)) {
        Some((i, &m)) => {
            let c = &comps[i];
            let (mut ink, mut absent) = (0f32, 0f32);
            for (k, &l) in labels.iter().enumerate() {
                if l as usize == i + 1 {
                    ink += have[k];
                    absent += (have[k] - lack[k]).max(0.0);
                }
            }
            (m, Some([c.x0 as f32, c.y0 as f32, c.x1 as f32, c.y1 as f32]), absent / ink.max(1e-3))
        }
        None => (0.0, None, 0.0),
    }
}

/// The best offset of placement `st` within `reach` supersampled steps (coarse steps of `step`,
/// then the quarter-pixel neighbourhood of the best), as (cost, placement with the offset in it).
fn best_offset(dark: &Darkness, path: &[Seg], st: Affine, reach: i32, step: usize) -> Option<(f32, Affine)> {
    let (w, h) = (dark.w, dark.h);
    let k = SS as f32;
    let canvas = Canvas::new(path, st, w, h)?;
    let dd: f32 = dark.v.iter().map(|a| a * a).fold(0.0, |s, x| s + x);
    let cost = |ox: i32, oy: i32| canvas.leftover_at(&dark.v, dd, w, h, ox, oy);
    let mut at = (f32::INFINITY, 0, 0);
    for oy in (-reach..=reach).step_by(step) {
        for ox in (-reach..=reach).step_by(step) {
            let c = cost(ox, oy);
            if c < at.0 {
                at = (c, ox, oy);
            }
        }
    }
    let (_, cx, cy) = at;
    if step > 1 {
        for oy in (cy - 1).max(-REACH)..=(cy + 1).min(REACH) {
            for ox in (cx - 1).max(-REACH)..=(cx + 1).min(REACH) {
                let c = cost(ox, oy);
                if c < at.0 {
                    at = (c, ox, oy);
                }
            }
        }
    }
    Some((at.0, Affine { m: st.m, t: [st.t[0] + at.1 as f32 / k, st.t[1] + at.2 as f32 / k] }))
}

/// Turns tried on a rendering to find how far a glyph is turned, degrees (coarse step; the best is
/// then refined a half and a quarter step either way).
const TURN_MAX: f32 = 36.0;
const TURN_STEP: f32 = 3.0;

/// How far the glyph in `dark` is turned against the rendering `path` placed by `start` (at the
/// glyph's size): the turn about the crop's centre whose rendering, best offset, leaves least, in
/// degrees (positive: clockwise on the page), and the share of the unturned rendering's leftover
/// it leaves. `None` when the rendering is empty.
pub fn turn(dark: &Darkness, path: &[Seg], start: Affine) -> Option<(f32, f32)> {
    let c = start.unapply([dark.w as f32 / 2.0, dark.h as f32 / 2.0]);
    let cost = |deg: f32| best_offset(dark, path, start.turned(deg, c), REACH, 2).map(|x| x.0);
    let upright = cost(0.0)?;
    let n = (TURN_MAX / TURN_STEP).round() as i32;
    let mut best = (upright, 0.0f32);
    for i in (-n..=n).filter(|&i| i != 0) {
        let d = i as f32 * TURN_STEP;
        if let Some(c) = cost(d) {
            if c < best.0 {
                best = (c, d);
            }
        }
    }
    for frac in [0.5f32, 0.25] {
        let centre = best.1;
        for d in [centre - frac * TURN_STEP, centre + frac * TURN_STEP] {
            if let Some(c) = cost(d) {
                if c < best.0 {
                    best = (c, d);
                }
            }
        }
    }
    Some((best.1, best.0 / upright.max(1e-6)))
}

/// Fits the rendering `path` (reference pixels) to the crop from each starting placement and
/// measures what is left over; `None` when the rendering is empty. Gives the residual, the placement
/// found and the fitted rendering (crop resolution, contrast applied, for debugging views). With
/// `warp`, the placement is refined over small shears, aspect changes and turns (slower; worth it
/// where the similarity fit leaves patches).
/// With `whole` (the crop's darkness before a neighbour's ink was cleared from it), the missing
/// patch is measured against it: ink the rendering has and the crop lost to a neighbour's box is
/// still on the page, so it is not missing (the fit and the extra patch use `dark`).
pub fn fitted(dark: &Darkness, whole: Option<&[f32]>, path: &[Seg], starts: &[Affine], warp: bool) -> Option<(Residual, Affine, Vec<f32>)> {
    let (w, h) = (dark.w, dark.h);
    let search = |st: Affine, reach: i32, step: usize| best_offset(dark, path, st, reach, step);
    // The first start is searched over the whole reach; the others (other scales about the same
    // point) from the offset it found.
    let (first, rest) = starts.split_first()?;
    let (mut cost, mut place) = search(*first, REACH, 2)?;
    let shift = [place.t[0] - first.t[0], place.t[1] - first.t[1]];
    for st in rest {
        if let Some((c2, p2)) = search(Affine { m: st.m, t: [st.t[0] + shift[0], st.t[1] + shift[1]] }, REACH / 2, 2) {
            if c2 < cost {
                (cost, place) = (c2, p2);
            }
        }
    }
    // Then small warps, one at a time, each kept when it leaves less (about the crop's centre).
    let c = place.unapply([w as f32 / 2.0, h as f32 / 2.0]);
    let refine = |amounts: &[f32], warps: &[[[f32; 2]; 2]], (mut cost, mut place): (f32, Affine)| {
        for amount in amounts {
            for d in warps {
                for sign in [1.0f32, -1.0] {
                    let dd = d.map(|row| row.map(|v| v * amount * sign));
                    if let Some((c2, p2)) = search(place.warped(dd, c), 2, 1) {
                        if c2 < cost {
                            (cost, place) = (c2, p2);
                        }
                    }
                }
            }
        }
        (cost, place)
    };
    if warp {
        (cost, place) = refine(&[0.08, 0.04], &WARPS, (cost, place));
        // A large glyph shows a scale off by a percent or two (its start came from an ink box
        // taken to a reference pixel, 1/64 em) as slivers of missing and extra ink along every
        // stroke's edges (a 114 px serif 压: 5 % missing and 4 % extra): there, scale and warps
        // finer still.
        if place.scale() * crate::reference::REF_EM as f32 >= FINE_FIT_EM_PX {
            place = refine(&[0.02, 0.01], &FINE_WARPS, (cost, place)).1;
        }
    }
    let r = Canvas::new(path, place, w, h)?.sample(w, h, 0, 0);
    let em_px = place.scale() * crate::reference::REF_EM as f32;
    let e0 = crate::reference::REF_EM as f32;
    let corners = [[0.0, 0.0], [e0, 0.0], [0.0, e0], [e0, e0]].map(|p| place.apply(p));
    let em_box = [
        corners.iter().map(|q| q[0]).fold(f32::INFINITY, f32::min),
        corners.iter().map(|q| q[1]).fold(f32::INFINITY, f32::min),
        corners.iter().map(|q| q[0]).fold(f32::NEG_INFINITY, f32::max),
        corners.iter().map(|q| q[1]).fold(f32::NEG_INFINITY, f32::max),
    ];
    // Weight changes through tables: `powf` per pixel and weight would cost more than the rest.
    let luts: Vec<Vec<f32>> = WEIGHTS.iter().map(|&gamma| (0..=256).map(|i| 1.0 - (1.0 - i as f32 / 256.0).powf(gamma)).collect()).collect();
    let (mut fit, mut blur, mut weight, mut rb) = ((f32::INFINITY, 0.0), 0.0, 1.0, r.clone());
    for sigma in BLURS {
        let b = gauss(&r, w, h, sigma);
        for (&gamma, lut) in WEIGHTS.iter().zip(&luts) {
            let bw: Vec<f32> = b.iter().map(|&x| lut[(x.clamp(0.0, 1.0) * 256.0 + 0.5) as usize]).collect();
            let f = leftover(&dark.v, &bw);
            if f.0 < fit.0 {
                (fit, blur, weight, rb) = (f, sigma, gamma, bw);
            }
        }
    }
    let gain = fit.1;
    let shown: Vec<f32> = rb.iter().map(|&x| gain * x).collect();
    let e: Vec<f32> = dark.v.iter().zip(&shown).map(|(&d, &x)| d - x).collect();
    let smooth = smoothed(&e, w, h);
    let on_page = whole.unwrap_or(&dark.v);
    let neg: Vec<f32> = match whole {
        Some(v) => lack(v, &shown, w, h),
        None => smooth.iter().map(|&x| -x).collect(),
    };
    let everywhere = [0.0, 0.0, w as f32, h as f32];
    // Missing ink may run to the crop's edge (a missing outer stroke shrinks the glyph's box).
    let (m_mass, missing_box, missing_depth) = largest_patch(&neg, w, h, everywhere, false, &shown, on_page);
    // Extra ink counts inside the character's em box: beyond it is the next cell's business.
    let (x_mass, extra_box, extra_depth) = largest_patch(&smooth, w, h, em_box, true, &dark.v, &shown);
    let rms = (e.iter().map(|x| x * x).sum::<f32>() / e.len().max(1) as f32).sqrt();
    let ink = shown.iter().sum::<f32>().max(1e-3);
    Some((Residual { missing: m_mass / ink, extra: x_mass / ink, missing_depth, extra_depth, rms, em_px, blur, weight, missing_box, extra_box, stroke_lacking: 0.0 }, place, shown))
}

/// Darkness by which two fitted renderings must differ at a pixel for it to tell them apart, as a
/// share of their darkest pixel (small blurred glyphs never reach full darkness).
const CONTRAST_DIFFER: f32 = 0.3;
/// Fewest such pixels for the comparison to mean anything.
const CONTRAST_MIN_PIXELS: usize = 4;

/// How rendering `other` explains the glyph's darkness `dark` where it and rendering `intended`
/// (each fitted to it, as `fitted` gives them) differ by at least `CONTRAST_DIFFER`: the root of
/// the ratio of their squared differences from the glyph over those pixels. Below 1 `other`
/// explains them better. The whole-crop residual is mostly the strokes both characters share,
/// where any fit leaves a little; only these pixels tell 日 from 曰, or 使 from 便. `None` where
/// the renderings differ in fewer than `CONTRAST_MIN_PIXELS` pixels.
pub fn contrast(dark: &[f32], intended: &[f32], other: &[f32]) -> Option<f32> {
    if dark.len() != intended.len() || dark.len() != other.len() {
        return None;
    }
    let (mut ei, mut eo, mut n) = (0f32, 0f32, 0usize);
    let top = intended.iter().chain(other).fold(0f32, |m, &x| m.max(x));
    for ((&d, &i), &o) in dark.iter().zip(intended).zip(other) {
        if (i - o).abs() >= CONTRAST_DIFFER * top {
            ei += (d - i) * (d - i);
            eo += (d - o) * (d - o);
            n += 1;
        }
    }
    (n >= CONTRAST_MIN_PIXELS).then(|| (eo / ei.max(1e-6)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_compares_only_where_the_renderings_differ() {
        // Two renderings sharing a bar and differing in a second one; the glyph has the first's.
        let (w, h) = (20, 20);
        let a = draw(&[rect(0.0, 0.0, 40.0, 10.0), rect(0.0, 30.0, 40.0, 40.0)].concat(), 0.5, [0.0, 0.0], w, h).v;
        let b = draw(&[rect(0.0, 0.0, 40.0, 10.0), rect(0.0, 20.0, 40.0, 30.0)].concat(), 0.5, [0.0, 0.0], w, h).v;
        // Noise over the shared bar, which the whole-crop residual would count against both.
        let mut dark = a.clone();
        for x in 0..w {
            dark[2 * w + x] = (dark[2 * w + x] - 0.4).max(0.0);
        }
        let k = contrast(&dark, &a, &b).unwrap();
        assert!(k > 3.0, "the glyph is a, b explains the differing pixels worse: {k}");
        let k = contrast(&dark, &b, &a).unwrap();
        assert!(k < 0.3, "{k}");
        assert!(contrast(&dark, &a, &a).is_none(), "identical renderings tell nothing");
    }

    fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Seg> {
        vec![Seg::Move([x0, y0]), Seg::Line([x1, y0]), Seg::Line([x1, y1]), Seg::Line([x0, y1]), Seg::Close]
    }

    /// Renders `path` (reference pixels) into a `w`×`h` darkness plane at scale `a`, offset `t`.
    fn draw(path: &[Seg], a: f32, t: [f32; 2], w: usize, h: usize) -> Darkness {
        let c = Canvas::new(path, Affine::similarity(a, t), w, h).unwrap();
        Darkness { w, h, v: c.sample(w, h, 0, 0) }
    }

    /// Three bars like 三, in reference pixels.
    fn three() -> Vec<Seg> {
        [rect(8.0, 10.0, 56.0, 16.0), rect(12.0, 30.0, 52.0, 36.0), rect(6.0, 50.0, 58.0, 56.0)].concat()
    }

    #[test]
    fn the_canvas_integral_sums_the_coverage_above_and_left_of_each_point() {
        // A rendering that runs off the canvas on the left and top, and one inside it.
        for (a, t) in [(0.3f32, [-6.0f32, -4.0]), (0.2, [2.0, 3.0])] {
            let (w, h) = (14, 12);
            let place = Affine::similarity(a, t);
            let c = Canvas::new(&three(), place, w, h).unwrap();
            let (x0, y0, rw, rh, cov) = rasterize(&Canvas::mapped(&three(), place)).unwrap();
            let (cw, ch) = (w * SS + 2 * REACH as usize, h * SS + 2 * REACH as usize);
            for (y, x) in [(ch, cw), (ch / 2, cw / 3), (7, cw), (ch, 5)] {
                let mut want = 0f32;
                for yy in 0..y {
                    for xx in 0..x {
                        let (sx, sy) = (xx as i32 - x0, yy as i32 - y0);
                        if sx >= 0 && sy >= 0 && (sx as usize) < rw && (sy as usize) < rh {
                            want += cov[sy as usize * rw + sx as usize];
                        }
                    }
                }
                let got = c.integral[y * (cw + 1) + x];
                assert!((got - want).abs() <= 1e-3 * want.max(1.0), "at {x},{y}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn the_offset_search_scores_each_shift_exactly_as_the_sampled_rendering() {
        let (w, h) = (18, 21);
        let glyph = draw(&three(), 0.24, [1.7, 2.2], w, h);
        let canvas = Canvas::new(&three(), Affine::similarity(0.26, [1.0, 1.5]), w, h).unwrap();
        let dd: f32 = glyph.v.iter().map(|a| a * a).fold(0.0, |s, x| s + x);
        for (ox, oy) in [(0, 0), (-8, 8), (3, -5), (8, -8)] {
            let want = leftover(&glyph.v, &canvas.sample(w, h, ox, oy)).0;
            assert_eq!(canvas.leftover_at(&glyph.v, dd, w, h, ox, oy).to_bits(), want.to_bits(), "shift {ox},{oy}");
        }
        let empty = Darkness { w, h, v: vec![0.0; w * h] };
        assert_eq!(canvas.leftover_at(&empty.v, 0.0, w, h, 2, 2), 0.0);
    }

    #[test]
    fn an_offset_rendering_of_the_same_glyph_leaves_little() {
        let (w, h) = (20, 20);
        let glyph = draw(&three(), 0.25, [2.3, 1.6], w, h);
        // Start a pixel and a half off: the search finds the placement.
        let r = fitted(&glyph, None, &three(), &[Affine::similarity(0.25, [1.0, 3.0])], true).unwrap().0;
        assert!(r.missing < 0.02 && r.extra < 0.02, "{r:?}");
    }

    #[test]
    fn a_missing_bar_at_sixteen_pixels_is_a_patch_of_missing_ink() {
        let (w, h) = (20, 20);
        let two = [rect(8.0, 10.0, 56.0, 16.0), rect(6.0, 50.0, 58.0, 56.0)].concat();
        let glyph = draw(&two, 0.25, [2.0, 2.0], w, h);
        let r = fitted(&glyph, None, &three(), &[Affine::similarity(0.25, [2.0, 2.0])], true).unwrap().0;
        // The middle bar: a third of the ink, and all of it gone.
        assert!(r.missing > 0.2 && r.missing_depth > 0.8, "{r:?}");
        assert!(r.extra < 0.01, "{r:?}");
        let b = r.missing_box.unwrap();
        assert!(b[1] >= 8.0 && b[3] <= 13.0, "the patch is the middle bar: {b:?}");
    }

    #[test]
    fn a_bar_the_crop_gave_to_a_neighbour_is_not_missing() {
        // The middle bar is cleared from the crop (a wrong box gave it to the glyph beside) but is
        // on the page: against the whole crop it is not missing.
        let (w, h) = (20, 20);
        let two = [rect(8.0, 10.0, 56.0, 16.0), rect(6.0, 50.0, 58.0, 56.0)].concat();
        let cleared = draw(&two, 0.25, [2.0, 2.0], w, h);
        let whole = draw(&three(), 0.25, [2.0, 2.0], w, h).v;
        let start = [Affine::similarity(0.25, [2.0, 2.0])];
        assert!(fitted(&cleared, None, &three(), &start, true).unwrap().0.missing > 0.2);
        let r = fitted(&cleared, Some(&whole), &three(), &start, true).unwrap().0;
        assert!(r.missing < 0.02, "{r:?}");
    }

    #[test]
    fn an_added_bar_is_a_patch_of_extra_ink() {
        let (w, h) = (20, 20);
        let four = [three(), rect(0.0, 20.0, 6.0, 46.0)].concat();
        let glyph = draw(&four, 0.25, [2.0, 2.0], w, h);
        let r = fitted(&glyph, None, &three(), &[Affine::similarity(0.25, [2.0, 2.0])], true).unwrap().0;
        assert!(r.extra > 0.1 && r.missing < 0.02, "{r:?}");
    }

    #[test]
    fn a_faint_stroke_counts_whole_from_its_one_clear_spot_and_not_without_one() {
        // A bar differing by 0.2 along ten pixels, with one pixel at 0.4: the patch is the bar.
        let (w, h) = (16, 8);
        let mut e = vec![0f32; w * h];
        for x in 3..13 {
            e[4 * w + x] = 0.2;
        }
        let have = vec![1f32; w * h];
        let lack = vec![0f32; w * h];
        let all = [0.0, 0.0, w as f32, h as f32];
        let faint = largest_patch(&e, w, h, all, true, &have, &lack);
        assert_eq!(faint.0, 0.0, "no pixel beyond PATCH: no patch");
        e[4 * w + 12] = 0.4;
        let (mass, b, _) = largest_patch(&e, w, h, all, true, &have, &lack);
        assert!((mass - (9.0 * 0.2 + 0.4)).abs() < 1e-4, "{mass}");
        assert_eq!(b, Some([3.0, 4.0, 13.0, 5.0]));
    }

    #[test]
    fn a_turned_glyph_is_found_turned_by_the_turn_that_leaves_least() {
        let (w, h) = (32, 32);
        let upright = Affine::similarity(0.4, [3.2, 3.2]);
        let turned = upright.turned(20.0, upright.unapply([16.0, 16.0]));
        let glyph = Darkness { w, h, v: Canvas::new(&three(), turned, w, h).unwrap().sample(w, h, 0, 0) };
        let (deg, left) = turn(&glyph, &three(), upright).unwrap();
        assert!((deg - 20.0).abs() <= 1.0 && left < 0.3, "{deg} {left}");
        // Upright, no turn helps.
        let glyph = draw(&three(), 0.4, [3.2, 3.2], w, h);
        let (deg, left) = turn(&glyph, &three(), upright).unwrap();
        assert!(deg.abs() <= 1.0 && left > 0.9, "{deg} {left}");
    }
}
