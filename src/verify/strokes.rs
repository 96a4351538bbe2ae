//! Stroke-level matching: takes a glyph's ink in the canonical frame and the intended character's
//! stroke medians mapped into the same frame; gives, per expected stroke, how much of its median
//! the ink covers once the whole skeleton is fitted (separate x/y scale and shift) and each stroke
//! may move a little on its own — faces place strokes differently, a pseudo-character lacks them —
//! and the share of the glyph's ink that no expected stroke explains (strokes that should not be
//! there). Strokes claim ink in turn, so a lost stroke cannot borrow a parallel neighbour's ink.

use super::canon::{distance_transform, distance_transform_near, Canon, Place, CANON};

/// How far one stroke may move on its own, canonical pixels (64 px square, ink box 52 px: ~10% of it).
const SHIFT: i32 = 5;
/// Points per canonical pixel along a median.
const SAMPLE_STEP: f32 = 1.0;

/// The stroke-level comparison of a glyph with one character.
#[derive(Debug, Clone, PartialEq)]
pub struct StrokeMatch {
    /// Per expected stroke (stroke order): share of its median on ink, 0–1.
    pub cover: Vec<f32>,
    /// Share of the glyph's ink farther from every expected stroke than a stroke's half width.
    pub unexplained: f32,
    /// Canonical-frame box `[x0, y0, x1, y1]` of the unexplained ink, if any.
    pub unexplained_box: Option<[f32; 4]>,
    /// Each expected stroke's median where it was matched, canonical frame.
    pub placed: Vec<Vec<[f32; 2]>>,
}

impl StrokeMatch {
    /// The least-covered stroke's cover (1 for a character without strokes).
    pub fn worst(&self) -> f32 {
        self.cover.iter().copied().fold(1.0, f32::min)
    }

    /// 1-based numbers of the strokes less than half on ink.
    pub fn missing(&self) -> Vec<usize> {
        (0..self.cover.len()).filter(|&k| self.cover[k] < 0.5).map(|k| k + 1).collect()
    }
}

/// Direction bin of a segment: 0 horizontal, 1 rising, 2 vertical, 3 falling (y down).
fn dir_bin(a: [f32; 2], b: [f32; 2]) -> usize {
    let ang = (b[1] - a[1]).atan2(b[0] - a[0]).to_degrees().rem_euclid(180.0);
    (((ang + 22.5) / 45.0) as usize) % 4
}

/// Points along each median, about one canonical pixel apart, with their direction bin.
fn sample(medians: &[Vec<[f32; 2]>]) -> Vec<Vec<([f32; 2], usize)>> {
    medians
        .iter()
        .map(|m| {
            let mut pts = Vec::new();
            if m.len() == 1 {
                pts.push((m[0], 0));
            }
            for w in m.windows(2) {
                let (a, b) = (w[0], w[1]);
                let len = crate::geometry::dist(a, b);
                let n = (len / SAMPLE_STEP).ceil().max(1.0) as usize;
                let d = dir_bin(a, b);
                for t in 0..n {
                    let f = t as f32 / n as f32;
                    pts.push(([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f], d));
                }
            }
            if let Some(&l) = m.last().filter(|_| m.len() > 1) {
                let d = pts.last().map(|p| p.1).unwrap_or(0);
                pts.push((l, d));
            }
            pts
        })
        .collect()
}

/// Robust skeleton-to-ink cost: mean distance to ink, capped so lost strokes do not pull the fit.
fn skeleton_cost(g: &Canon, pts: &[[f32; 2]], a: Place) -> f32 {
    pts.iter().map(|&p| g.dist(a.fwd(p)).min(4.0)).sum::<f32>() / pts.len().max(1) as f32
}

/// Coordinate descent over scale and shift, from `a`, within `range` of it (scale ±range.0,
/// shift ±range.1).
fn fit_affine(g: &Canon, pts: &[[f32; 2]], start: Place, range: (f32, f32)) -> Place {
    let mut a = start;
    let mut best = skeleton_cost(g, pts, a);
    let (mut ss, mut sd) = (0.06f32, 2.0f32);
    for _ in 0..40 {
        let mut improved = false;
        for k in 0..4 {
            for sign in [-1.0f32, 1.0] {
                let mut t = a;
                match k {
                    0 => t.sx = (t.sx + sign * ss).clamp(start.sx - range.0, start.sx + range.0),
                    1 => t.sy = (t.sy + sign * ss).clamp(start.sy - range.0, start.sy + range.0),
                    2 => t.dx = (t.dx + sign * sd).clamp(start.dx - range.1, start.dx + range.1),
                    _ => t.dy = (t.dy + sign * sd).clamp(start.dy - range.1, start.dy + range.1),
                }
                let c = skeleton_cost(g, pts, t);
                if c < best - 1e-4 {
                    best = c;
                    a = t;
                    improved = true;
                }
            }
        }
        if !improved {
            if ss < 0.012 {
                break;
            }
            ss /= 2.0;
            sd /= 2.0;
        }
    }
    a
}

/// Matches the medians (canonical frame of the character's own rendering) against the glyph's ink.
/// `groups` assigns each stroke to a component (the radical and the rest): each component is fitted
/// on its own after the whole skeleton, since faces proportion components differently. `tol` is how
/// far from ink a median point may lie and still count as covered (canonical pixels).
pub fn match_strokes(g: &Canon, medians: &[Vec<[f32; 2]>], groups: &[usize], tol: f32) -> Option<StrokeMatch> {
    if medians.is_empty() || g.points.is_empty() {
        return None;
    }
    let samples = sample(medians);
    let all: Vec<[f32; 2]> = samples.iter().flatten().map(|s| s.0).collect();
    let aff = fit_affine(g, &all, Place::IDENTITY, (0.25, 8.0));
    let ngroups = groups.iter().copied().max().map_or(1, |m| m + 1);
    let mut group_aff = vec![aff; ngroups];
    if ngroups > 1 {
        for (gi, ga) in group_aff.iter_mut().enumerate() {
            let pts: Vec<[f32; 2]> = samples.iter().enumerate().filter(|(k, _)| groups.get(*k) == Some(&gi)).flat_map(|(_, s)| s.iter().map(|x| x.0)).collect();
            if !pts.is_empty() {
                *ga = fit_affine(g, &pts, aff, (0.15, 5.0));
            }
        }
    }
    let placed: Vec<Vec<([f32; 2], usize)>> = samples
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let a = group_aff[groups.get(k).copied().unwrap_or(0).min(ngroups - 1)];
            s.iter().map(|&(p, d)| (a.fwd(p), d)).collect()
        })
        .collect();

    // Stroke half width, from the ink area over the skeleton length (area ≈ length × width).
    let length: f32 = placed.iter().map(|s| s.windows(2).map(|w| crate::geometry::dist(w[0].0, w[1].0)).sum::<f32>()).sum();
    let half_width = (g.points.len() as f32 / length.max(1.0) / 2.0).clamp(1.0, 6.0);
    // A stroke's zone: where its ink lies, a half width plus the tolerance around its median.
    let zone = half_width + tol;

    // Evidence for a stroke counts only where no other stroke's zone reaches: a lost stroke must
    // not be "found" on the ink of a neighbour it touches or runs beside. Points in other zones
    // (crossings) are left out of the count. Two rounds: zones from the fitted skeleton, then from
    // the strokes as moved.
    let dts_of = |pos: &[Vec<[f32; 2]>]| -> Vec<Vec<f32>> {
        pos.iter()
            .map(|s| {
                let mut grid = vec![false; CANON * CANON];
                for p in s {
                    let (x, y) = (p[0].round() as i64, p[1].round() as i64);
                    if x >= 0 && y >= 0 && x < CANON as i64 && y < CANON as i64 {
                        grid[y as usize * CANON + x as usize] = true;
                    }
                }
                // Only whether a pixel is within the zone matters.
                distance_transform_near(&grid, zone)
            })
            .collect()
    };
    let at = |p: [f32; 2]| -> Option<usize> {
        let (x, y) = (p[0].round() as i64, p[1].round() as i64);
        (x >= 0 && y >= 0 && x < CANON as i64 && y < CANON as i64).then(|| y as usize * CANON + x as usize)
    };
    // (points on ink, points judged) for stroke k moved by e, against the other strokes' zones.
    // How many strokes' zones cover each pixel.
    let zone_count = |dts: &[Vec<f32>]| -> Vec<u16> { (0..CANON * CANON).map(|i| dts.iter().filter(|d| d[i] <= zone).count() as u16).collect() };
    let evidence = |k: usize, e: [f32; 2], dts: &[Vec<f32>], count: &[u16]| -> (usize, usize) {
        let (mut on, mut judged) = (0usize, 0usize);
        // Stroke ends are where faces differ most (lengths, hooks): the middle of a stroke decides.
        let n = placed[k].len();
        let trim = if n >= 8 { n * 3 / 20 } else { 0 };
        for &(p, _) in &placed[k][trim..n - trim] {
            let q = [p[0] + e[0], p[1] + e[1]];
            let Some(i) = at(q) else {
                judged += 1;
                continue;
            };
            if count[i] > u16::from(dts[k][i] <= zone) {
                continue;
            }
            judged += 1;
            if g.dist(q) <= tol {
                on += 1;
            }
        }
        (on, judged)
    };
    let mut pos: Vec<Vec<[f32; 2]>> = placed.iter().map(|s| s.iter().map(|x| x.0).collect()).collect();
    let mut shifts = vec![[0.0f32; 2]; placed.len()];
    for _round in 0..2 {
        let dts = dts_of(&pos);
        let count = zone_count(&dts);
        for (k, sh) in shifts.iter_mut().enumerate() {
            // Coarse grid (every other pixel), then the neighbours of the best.
            let mut best = ([0.0f32, 0.0f32], f32::MIN);
            let consider = |ex: i32, ey: i32, best: &mut ([f32; 2], f32)| {
                let e = [ex as f32, ey as f32];
                // Points on ink (outside other zones); staying put wins ties.
                let v = evidence(k, e, &dts, &count).0 as f32 - 0.05 * (ex.abs() + ey.abs()) as f32;
                if v > best.1 {
                    *best = (e, v);
                }
            };
            for ey in (-(SHIFT / 2) * 2..=(SHIFT / 2) * 2).step_by(2) {
                for ex in (-(SHIFT / 2) * 2..=(SHIFT / 2) * 2).step_by(2) {
                    consider(ex, ey, &mut best);
                }
            }
            let (cx, cy) = (best.0[0] as i32, best.0[1] as i32);
            for ey in (cy - 1).max(-SHIFT)..=(cy + 1).min(SHIFT) {
                for ex in (cx - 1).max(-SHIFT)..=(cx + 1).min(SHIFT) {
                    consider(ex, ey, &mut best);
                }
            }
            *sh = best.0;
        }
        pos = placed.iter().zip(&shifts).map(|(s, e)| s.iter().map(|x| [x.0[0] + e[0], x.0[1] + e[1]]).collect()).collect();
    }
    let dts = dts_of(&pos);
    let count = zone_count(&dts);
    let cover: Vec<f32> = (0..placed.len())
        .map(|k| {
            let (on, judged) = evidence(k, shifts[k], &dts, &count);
            // A stroke lying almost wholly in others' zones cannot be judged on its own.
            if judged < 3 || (judged as f32) < 0.2 * placed[k].len() as f32 {
                1.0
            } else {
                on as f32 / judged as f32
            }
        })
        .collect();
    let mut skeleton = vec![false; CANON * CANON];
    for p in pos.iter().flatten() {
        if let Some(i) = at(*p) {
            skeleton[i] = true;
        }
    }
    let moved = pos;
    // Ink no stroke explains: farther from the moved skeleton than a half width plus the tolerance.
    let dt = distance_transform(&skeleton);
    let far: Vec<[f32; 2]> =
        g.points.iter().copied().filter(|p| dt[(p[1] as usize).min(CANON - 1) * CANON + (p[0] as usize).min(CANON - 1)] > half_width + tol + 1.0).collect();
    let unexplained = far.len() as f32 / g.points.len() as f32;
    let unexplained_box = (!far.is_empty()).then(|| {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in &far {
            x0 = x0.min(p[0]);
            y0 = y0.min(p[1]);
            x1 = x1.max(p[0] + 1.0);
            y1 = y1.max(p[1] + 1.0);
        }
        [x0, y0, x1, y1]
    });
    Some(StrokeMatch { cover, unexplained, unexplained_box, placed: moved })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::canon::canonicalize;

    /// Draws thick polylines into a 64×64 mask.
    fn draw(strokes: &[Vec<[f32; 2]>], w: f32) -> Vec<bool> {
        let mut m = vec![false; 64 * 64];
        for s in sample(strokes) {
            for (p, _) in s {
                for y in 0..64 {
                    for x in 0..64 {
                        if ((x as f32 + 0.5 - p[0]).powi(2) + (y as f32 + 0.5 - p[1]).powi(2)).sqrt() <= w {
                            m[y * 64 + x] = true;
                        }
                    }
                }
            }
        }
        m
    }

    fn three() -> Vec<Vec<[f32; 2]>> {
        vec![vec![[10.0, 12.0], [54.0, 12.0]], vec![[14.0, 32.0], [50.0, 32.0]], vec![[6.0, 54.0], [58.0, 54.0]], vec![[32.0, 12.0], [32.0, 54.0]]]
    }

    fn canon_of(m: &[bool]) -> Canon {
        canonicalize(64, 64, |x, y| m[y * 64 + x]).unwrap()
    }

    /// Medians in the frame of the full character's own canonical square.
    fn medians_in(full: &Canon, strokes: &[Vec<[f32; 2]>]) -> Vec<Vec<[f32; 2]>> {
        strokes.iter().map(|s| s.iter().map(|&p| full.to_canon(p)).collect()).collect()
    }

    #[test]
    fn complete_glyph_covers_every_stroke() {
        let s = three();
        let full = canon_of(&draw(&s, 2.0));
        let m = match_strokes(&full, &medians_in(&full, &s), &[], 1.5).unwrap();
        assert!(m.worst() > 0.9, "{:?}", m.cover);
        assert!(m.unexplained < 0.02, "{}", m.unexplained);
    }

    #[test]
    fn removed_middle_bar_is_found_missing_not_borrowed() {
        let s = three();
        let full = canon_of(&draw(&s, 2.0));
        let lost: Vec<_> = [0, 2, 3].iter().map(|&i| s[i].clone()).collect();
        let g = canon_of(&draw(&lost, 2.0));
        let m = match_strokes(&g, &medians_in(&full, &s), &[], 1.5).unwrap();
        assert!(m.cover[1] < 0.3, "{:?}", m.cover);
        assert!(m.cover[0] > 0.9 && m.cover[2] > 0.9, "{:?}", m.cover);
    }

    #[test]
    fn added_stroke_is_unexplained_ink() {
        let s = three();
        let full = canon_of(&draw(&s, 2.0));
        let mut more = s.clone();
        more.push(vec![[44.0, 20.0], [56.0, 26.0]]);
        let g = canon_of(&draw(&more, 2.0));
        let m = match_strokes(&g, &medians_in(&full, &s), &[], 1.5).unwrap();
        assert!(m.unexplained > 0.04, "{}", m.unexplained);
        let b = m.unexplained_box.unwrap();
        assert!(b[0] > 36.0 && b[1] < 32.0, "{b:?}");
    }

    #[test]
    fn shifted_stroke_in_another_face_still_counts() {
        let s = three();
        let full = canon_of(&draw(&s, 2.0));
        let mut moved = s.clone();
        moved[1] = vec![[14.0, 35.0], [50.0, 35.0]];
        let g = canon_of(&draw(&moved, 2.5));
        let m = match_strokes(&g, &medians_in(&full, &s), &[], 1.5).unwrap();
        assert!(m.worst() > 0.85, "{:?}", m.cover);
    }
}
