//! Reference glyphs: takes a character; gives how it looks when typeset correctly in the bundled
//! fonts — its ink box inside the em box (so a flat 一 or a small 口 is not mistaken for a resized or
//! shifted glyph), its dominant stroke angle and how strong that angle is (so a glyph of mostly
//! diagonal strokes like 人 is not judged for rotation), and its coverage raster for comparisons.
//! Used by `layout` (and `verify`); built on the typesetter's outlines, cached per character.

use crate::error::AssetError;
use crate::render::fonts::{Fonts, Seg};
use crate::render::rasterize;
use crate::verify::canon::{canonicalize, Canon};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Side of the em square the references are rasterised at, in pixels.
pub const REF_EM: usize = 64;

/// One character as typeset in one face.
#[derive(Debug, Clone)]
pub struct RefGlyph {
    pub face: String,
    /// Ink box in em units relative to the em box's top-left: `[x0, y0, x1, y1]`.
    pub ink: [f32; 4],
    /// Coverage in a `REF_EM`×`REF_EM` em square (row-major, 0..1).
    pub coverage: Vec<f32>,
}

/// Summary over the standard faces.
#[derive(Debug, Clone, Copy)]
pub struct RefMetrics {
    /// Median ink box over faces, em units `[x0, y0, x1, y1]`.
    pub ink: [f32; 4],
    /// Dominant stroke angle, degrees in (-45, 45].
    pub angle_deg: f32,
    /// Strength of that angle (0 = no dominant axis, 1 = all edges on it).
    pub angle_strength: f32,
    /// How much the faces disagree about the ink box's larger side (max − min, em): where faces
    /// disagree, a glyph's size cannot be judged from its ink.
    pub ink_spread: f32,
}

/// A reference rendering in the canonical comparison frame.
#[derive(Debug, Clone)]
pub struct RefCanon {
    pub face: String,
    pub canon: Canon,
    /// True for the Make Me a Hanzi stroke outlines (whose stroke medians are known exactly).
    pub strokes: bool,
}

/// Reference renderer with a per-character cache.
pub struct References {
    fonts: Fonts,
    cache: Mutex<BTreeMap<char, Option<RefMetrics>>>,
    canon_cache: Mutex<BTreeMap<char, Arc<Vec<RefCanon>>>>,
}

impl References {
    /// The bundled fonts and stroke data.
    pub fn bundled() -> Result<References, AssetError> {
        Ok(References { fonts: Fonts::bundled()?, cache: Mutex::new(BTreeMap::new()), canon_cache: Mutex::new(BTreeMap::new()) })
    }

    /// The stroke data, if loaded.
    pub fn strokes(&self) -> Option<&crate::strokes::StrokeData> {
        self.fonts.strokes.as_ref()
    }

    /// The character in every standard face and in the stroke outlines, in the canonical frame.
    pub fn canon(&self, ch: char) -> Arc<Vec<RefCanon>> {
        if let Some(v) = self.canon_cache.lock().unwrap().get(&ch) {
            return v.clone();
        }
        let mut out: Vec<RefCanon> = Vec::new();
        for g in self.glyphs(ch) {
            if let Some(c) = canonicalize(REF_EM, REF_EM, |x, y| g.coverage[y * REF_EM + x] > 0.4) {
                out.push(RefCanon { face: g.face, canon: c, strokes: false });
            }
        }
        if let Some(c) = self.coverage(ch, "strokes").and_then(|cov| canonicalize(REF_EM, REF_EM, |x, y| cov[y * REF_EM + x] > 0.4)) {
            out.push(RefCanon { face: "strokes".into(), canon: c, strokes: true });
        }
        let v = Arc::new(out);
        self.canon_cache.lock().unwrap().insert(ch, v.clone());
        v
    }

    /// The character's ink box in one face (or "strokes"), em units `[x0, y0, x1, y1]`.
    pub fn face_ink(&self, ch: char, face: &str) -> Option<[f32; 4]> {
        let rc = self.canon(ch);
        let r = rc.iter().find(|r| r.face == face)?;
        let k = REF_EM as f32;
        let b = r.canon.src_box;
        Some([b[0] / k, b[1] / k, b[2] / k, b[3] / k])
    }

    /// The character's horizontal advance in one face (a font file name), in em.
    pub fn face_advance(&self, ch: char, face: &str) -> Option<f32> {
        crate::render::advance_em(&self.fonts, face, ch)
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// The character rendered in every bundled face that has it.
    pub fn glyphs(&self, ch: char) -> Vec<RefGlyph> {
        self.fonts
            .faces
            .iter()
            .filter_map(|f| {
                let coverage = self.coverage(ch, &f.file)?;
                let max = coverage.iter().copied().fold(0f32, f32::max);
                let (mut bx0, mut by0, mut bx1, mut by1) = (usize::MAX, usize::MAX, 0usize, 0usize);
                for (i, &a) in coverage.iter().enumerate() {
                    if a > 0.25 * max {
                        let (x, y) = (i % REF_EM, i / REF_EM);
                        bx0 = bx0.min(x);
                        by0 = by0.min(y);
                        bx1 = bx1.max(x + 1);
                        by1 = by1.max(y + 1);
                    }
                }
                if bx1 == 0 {
                    return None;
                }
                let e = REF_EM as f32;
                Some(RefGlyph { face: f.file.clone(), ink: [bx0 as f32 / e, by0 as f32 / e, bx1 as f32 / e, by1 as f32 / e], coverage })
            })
            .collect()
    }

    /// The outline of a character in one face (or "strokes"), in reference pixels: the em box is
    /// `[0, REF_EM]²`, y down.
    /// The bundled faces' file names (not the stroke data's pseudo-face).
    pub fn face_files(&self) -> Vec<&str> {
        self.fonts.faces.iter().map(|f| f.file.as_str()).collect()
    }

    pub fn path(&self, ch: char, face: &str) -> Option<Vec<Seg>> {
        if face == "strokes" {
            let cs = self.strokes()?.get(ch)?;
            return (!cs.outlines.is_empty()).then(|| crate::render::stroke_path(&cs.outlines, None, [0.0, 0.0], REF_EM as f32));
        }
        face_path(self.fonts.faces.iter().find(|f| f.file == face)?, ch)
    }

    /// The character's coverage in one face (or "strokes") in a `REF_EM`×`REF_EM` em square.
    pub fn coverage(&self, ch: char, face: &str) -> Option<Vec<f32>> {
        let (x0, y0, w, h, cov) = rasterize(&self.path(ch, face)?)?;
        let mut out = vec![0f32; REF_EM * REF_EM];
        for yy in 0..h {
            for xx in 0..w {
                let (x, y) = (x0 + xx as i32, y0 + yy as i32);
                if x >= 0 && y >= 0 && x < REF_EM as i32 && y < REF_EM as i32 {
                    out[y as usize * REF_EM + x as usize] = cov[yy * w + xx];
                }
            }
        }
        Some(out)
    }

    /// Metrics of a character (None if no bundled face has it).
    pub fn metrics(&self, ch: char) -> Option<RefMetrics> {
        if let Some(m) = self.cache.lock().unwrap().get(&ch) {
            return *m;
        }
        let gs = self.glyphs(ch);
        let m = if gs.is_empty() {
            None
        } else {
            let mut ink = [0f32; 4];
            for k in 0..4 {
                let mut v: Vec<f32> = gs.iter().map(|g| g.ink[k]).collect();
                v.sort_by(f32::total_cmp);
                ink[k] = v[v.len() / 2];
            }
            let (mut sx, mut sy, mut tot) = (0f64, 0f64, 0f64);
            for g in &gs {
                let (x, y, t) = crate::raster::orientation::fourfold_sums(REF_EM, REF_EM, |x, y| g.coverage[y * REF_EM + x] * 255.0);
                sx += x;
                sy += y;
                tot += t;
            }
            let (angle_deg, angle_strength) = crate::raster::orientation::angle_from_sums(sx, sy, tot);
            let sides: Vec<f32> = gs.iter().filter(|g| !g.face.starts_with("Smiley")).map(|g| (g.ink[2] - g.ink[0]).max(g.ink[3] - g.ink[1])).collect();
            let ink_spread = sides.iter().copied().fold(f32::MIN, f32::max) - sides.iter().copied().fold(f32::MAX, f32::min);
            Some(RefMetrics { ink, angle_deg, angle_strength, ink_spread: ink_spread.max(0.0) })
        };
        self.cache.lock().unwrap().insert(ch, m);
        m
    }
}

/// A character's outline in face `f`, in reference pixels (em box `[0, REF_EM]²`, y down).
fn face_path(f: &crate::render::fonts::Face, ch: char) -> Option<Vec<Seg>> {
    let gid = f.glyph(ch)?;
    let s = REF_EM as f32 / f.upem;
    let top = f.ref_top * REF_EM as f32;
    Some(f.outline(gid).into_iter().map(|seg| seg.map(|p| [p[0] * s, top - p[1] * s])).collect())
}
