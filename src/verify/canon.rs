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
    let n = CANON;
    let big = 1e6f32;
    let mut d: Vec<f32> = grid.iter().map(|&g| if g { 0.0 } else { big }).collect();
    for y in 0..n {
        for x in 0..n {
            let i = y * n + x;
            let mut v = d[i];
            if x > 0 {
                v = v.min(d[i - 1] + 1.0);
            }
            if y > 0 {
                v = v.min(d[i - n] + 1.0);
                if x > 0 {
                    v = v.min(d[i - n - 1] + 1.4142);
                }
                if x + 1 < n {
                    v = v.min(d[i - n + 1] + 1.4142);
                }
            }
            d[i] = v;
        }
    }
    for y in (0..n).rev() {
        for x in (0..n).rev() {
            let i = y * n + x;
            let mut v = d[i];
            if x + 1 < n {
                v = v.min(d[i + 1] + 1.0);
            }
            if y + 1 < n {
                v = v.min(d[i + n] + 1.0);
                if x + 1 < n {
                    v = v.min(d[i + n + 1] + 1.4142);
                }
                if x > 0 {
                    v = v.min(d[i + n - 1] + 1.4142);
                }
            }
            d[i] = v;
        }
    }
    d
}
