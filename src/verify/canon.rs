//! Canonical glyph frames for comparison: takes an ink mask (a glyph crop, or a reference
//! rendering); gives its ink points scaled into a `CANON`×`CANON` square by its own ink box (centred,
//! aspect kept), a raster of them and its chamfer distance transform.

/// Side of the canonical square.
pub const CANON: usize = 64;
/// The ink box's longer side fills this much of the square.
const FILL: f32 = 52.0;

/// A glyph in the canonical frame.
#[derive(Debug, Clone)]
pub struct Canon {
    /// Ink points (pixel centres) in the canonical frame.
    pub points: Vec<[f32; 2]>,
    /// Distance (pixels) from each canonical pixel to the nearest ink.
    pub dt: Vec<f32>,
    /// The source ink box `[x0, y0, x1, y1]` (source units) and the scale source→canonical.
    pub src_box: [f32; 4],
    pub scale: f32,
}

impl Canon {
    /// Centre of the source ink box (source units): the point the frame is centred on.
    pub fn centre(&self) -> [f32; 2] {
        [(self.src_box[0] + self.src_box[2]) / 2.0, (self.src_box[1] + self.src_box[3]) / 2.0]
    }

    /// Maps a source point into the canonical frame.
    pub fn to_canon(&self, p: [f32; 2]) -> [f32; 2] {
        let c = self.centre();
        [(p[0] - c[0]) * self.scale + CANON as f32 / 2.0, (p[1] - c[1]) * self.scale + CANON as f32 / 2.0]
    }

    /// Maps a canonical point back into the source.
    pub fn to_source(&self, p: [f32; 2]) -> [f32; 2] {
        let c = self.centre();
        [(p[0] - CANON as f32 / 2.0) / self.scale + c[0], (p[1] - CANON as f32 / 2.0) / self.scale + c[1]]
    }

    /// Distance transform lookup (clamped to the square; outside counts as far).
    #[inline]
    pub fn dist(&self, p: [f32; 2]) -> f32 {
        let (x, y) = (p[0].round(), p[1].round());
        if x < 0.0 || y < 0.0 || x >= CANON as f32 || y >= CANON as f32 {
            return 8.0;
        }
        self.dt[y as usize * CANON + x as usize]
    }
}

/// A placement within the canonical square: scale about its centre (x and y apart), then shift.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub sx: f32,
    pub sy: f32,
    pub dx: f32,
    pub dy: f32,
}

impl Place {
    pub const IDENTITY: Place = Place { sx: 1.0, sy: 1.0, dx: 0.0, dy: 0.0 };

    /// The same scale both ways.
    pub fn uniform(s: f32, dx: f32, dy: f32) -> Place {
        Place { sx: s, sy: s, dx, dy }
    }

    pub fn fwd(&self, p: [f32; 2]) -> [f32; 2] {
        let c = CANON as f32 / 2.0;
        [(p[0] - c) * self.sx + c + self.dx, (p[1] - c) * self.sy + c + self.dy]
    }

    pub fn inv(&self, p: [f32; 2]) -> [f32; 2] {
        let c = CANON as f32 / 2.0;
        [(p[0] - c - self.dx) / self.sx + c, (p[1] - c - self.dy) / self.sy + c]
    }
}

/// Builds the canonical frame of a weighted mask (`w`×`h`, value > `thresh` is ink).
pub fn canonicalize(w: usize, h: usize, mask: impl Fn(usize, usize) -> bool) -> Option<Canon> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0usize, 0usize);
    let mut n = 0usize;
    for y in 0..h {
        for x in 0..w {
            if mask(x, y) {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
                n += 1;
            }
        }
    }
    if n < 3 {
        return None;
    }
    let src_box = [x0 as f32, y0 as f32, x1 as f32, y1 as f32];
    let scale = FILL / ((x1 - x0).max(y1 - y0) as f32);
    let mut c = Canon { points: Vec::new(), dt: Vec::new(), src_box, scale };
    let mut grid = vec![false; CANON * CANON];
    // Sample the source so every canonical pixel covered by ink is set (source may be finer or coarser).
    let step = (1.0 / scale).clamp(0.2, 1.0);
    let mut y = y0 as f32;
    while y < y1 as f32 {
        let mut x = x0 as f32;
        while x < x1 as f32 {
            if mask(x as usize, y as usize) {
                let p = c.to_canon([x + step / 2.0, y + step / 2.0]);
                let (cx, cy) = (p[0].floor() as i64, p[1].floor() as i64);
                if cx >= 0 && cy >= 0 && (cx as usize) < CANON && (cy as usize) < CANON {
                    grid[cy as usize * CANON + cx as usize] = true;
                }
            }
            x += step;
        }
        y += step;
    }
    for (i, &g) in grid.iter().enumerate() {
        if g {
            c.points.push([(i % CANON) as f32, (i / CANON) as f32]);
        }
    }
    c.dt = distance_transform(&grid);
    Some(c)
}

/// Two-pass chamfer (3-4) distance transform, in pixels.
pub fn distance_transform(grid: &[bool]) -> Vec<f32> {
    let mut d: Vec<f32> = grid.iter().map(|&g| if g { 0.0 } else { FAR }).collect();
    chamfer_passes(&mut d, [0, 0, CANON, CANON]);
    d
}

/// Distance standing for "no ink anywhere near".
const FAR: f32 = 1e6;

/// The same where only distances up to `reach` matter: the passes run over the ink's box widened
/// by `reach` (a path of that length never leaves it), and everything beyond is `FAR`. Distances
/// up to `reach` are the full transform's; those beyond stay beyond.
pub fn distance_transform_near(grid: &[bool], reach: f32) -> Vec<f32> {
    let n = CANON;
    let (mut x0, mut y0, mut x1, mut y1) = (n, n, 0, 0);
    for (i, _) in grid.iter().enumerate().filter(|g| *g.1) {
        let (x, y) = (i % n, i / n);
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
    }
    let mut d: Vec<f32> = grid.iter().map(|&g| if g { 0.0 } else { FAR }).collect();
    if x0 >= x1 {
        return d;
    }
    let m = reach.max(0.0).ceil() as usize + 1;
    chamfer_passes(&mut d, [x0.saturating_sub(m), y0.saturating_sub(m), (x1 + m).min(n), (y1 + m).min(n)]);
    d
}

/// The forward and backward chamfer passes over window `[x0, y0, x1, y1)` of a `CANON`-wide grid.
fn chamfer_passes(d: &mut [f32], win: [usize; 4]) {
    let n = CANON;
    let [wx0, wy0, wx1, wy1] = win;
    for y in wy0..wy1 {
        for x in wx0..wx1 {
            let i = y * n + x;
            let mut v = d[i];
            if x > wx0 {
                v = v.min(d[i - 1] + 1.0);
            }
            if y > wy0 {
                v = v.min(d[i - n] + 1.0);
                if x > wx0 {
                    v = v.min(d[i - n - 1] + 1.4142);
                }
                if x + 1 < wx1 {
                    v = v.min(d[i - n + 1] + 1.4142);
                }
            }
            d[i] = v;
        }
    }
    for y in (wy0..wy1).rev() {
        for x in (wx0..wx1).rev() {
            let i = y * n + x;
            let mut v = d[i];
            if x + 1 < wx1 {
                v = v.min(d[i + 1] + 1.0);
            }
            if y + 1 < wy1 {
                v = v.min(d[i + n] + 1.0);
                if x + 1 < wx1 {
                    v = v.min(d[i + n + 1] + 1.4142);
                }
                if x > wx0 {
                    v = v.min(d[i + n - 1] + 1.4142);
                }
            }
            d[i] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transform_near_the_ink_agrees_with_the_full_one_within_its_reach() {
        let mut grid = vec![false; CANON * CANON];
        for (x, y) in [(20, 30), (21, 31), (22, 32), (40, 10), (3, 60)] {
            grid[y * CANON + x] = true;
        }
        let full = distance_transform(&grid);
        for reach in [0.5f32, 2.0, 3.7, 9.0] {
            let near = distance_transform_near(&grid, reach);
            for i in 0..CANON * CANON {
                assert_eq!(full[i] <= reach, near[i] <= reach, "pixel {i}, reach {reach}: {} vs {}", full[i], near[i]);
                if full[i] <= reach {
                    assert_eq!(full[i], near[i]);
                }
            }
        }
        assert!(distance_transform_near(&vec![false; CANON * CANON], 3.0).iter().all(|&d| d > 1e5));
    }
}
