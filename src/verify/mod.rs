//! Stage `verify`: takes the image, the OCR page, the alignment with the intended text and the
//! reference glyphs; gives, per matched Han glyph, how well its ink agrees with the intended
//! character — best over the bundled faces and the stroke outlines, after a small search over offset
//! and scale in a frame normalised by the ink box — as the share of reference ink the glyph lacks
//! (missing strokes), the share of glyph ink no reference explains (extra strokes), which stroke
//! numbers are missing (from the stroke medians) and where the unexplained ink is. Also how well the
//! character the recogniser read agrees, so a real other character can be told from a pseudo-character.

pub mod canon;

use crate::align::{Alignment, CharMatch, GlyphRef};
use crate::clreq::is_han;
use crate::ocr::Page;
use crate::raster::{binarize_plane, connected_components};
use crate::reference::{RefCanon, References};
use canon::{canonicalize, Canon, CANON};
use image::RgbImage;
use serde::{Deserialize, Serialize};

/// A canonical-frame distance (pixels of 64) beyond which ink counts as unexplained.
const D0: f32 = 2.5;

/// The comparison of one glyph with one character.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// Share of the reference's ink the glyph lacks.
    pub missing: f32,
    /// Share of the glyph's ink the reference does not explain.
    pub extra: f32,
    /// Symmetric mean chamfer distance (canonical pixels, capped).
    pub cost: f32,
}

/// Verification of one glyph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlyphCheck {
    pub glyph: GlyphRef,
    pub intended: String,
    /// Best fit with the intended character.
    pub fit: Fit,
    /// 0–1 similarity derived from the fit (1 = identical).
    pub similarity: f32,
    /// Face of the best-fitting reference.
    pub best_face: String,
    /// Fit with the character the recogniser read, when it differs from the intended one.
    pub read_fit: Option<Fit>,
    /// Expected stroke count (stroke data), if known.
    pub stroke_count: Option<usize>,
    /// 1-based numbers of expected strokes the ink does not cover.
    pub missing_strokes: Vec<usize>,
    /// Box of ink no reference explains, image pixels `[x, y, w, h]`.
    pub extra_ink: Option<[f32; 4]>,
}

/// The glyph's own ink, in the canonical frame, with the crop origin in the image.
struct GlyphInk {
    canon: Canon,
    origin: [f32; 2],
}

fn glyph_ink(img: &RgbImage, bbox: [f32; 4]) -> Option<GlyphInk> {
    let pad = (bbox[2].max(bbox[3]) * 0.12).max(2.0);
    let x0 = (bbox[0] - pad).floor().max(0.0) as u32;
    let y0 = (bbox[1] - pad).floor().max(0.0) as u32;
    let x1 = ((bbox[0] + bbox[2] + pad).ceil() as u32).min(img.width());
    let y1 = ((bbox[1] + bbox[3] + pad).ceil() as u32).min(img.height());
    if x1 <= x0 + 3 || y1 <= y0 + 3 {
        return None;
    }
    let crop = image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image();
    let bin = binarize_plane(&crop);
    let (w, h) = (bin.width, bin.height);
    let (comps, labels) = connected_components(&bin.ink, w, h);
    // Keep components whose centre lies inside the glyph's own ink box (drops neighbours' edges).
    let (bx0, by0, bx1, by1) = (bbox[0] - x0 as f32, bbox[1] - y0 as f32, bbox[0] + bbox[2] - x0 as f32, bbox[1] + bbox[3] - y0 as f32);
    let keep: Vec<bool> = comps.iter().map(|c| c.cx + 0.5 >= bx0 && c.cx + 0.5 <= bx1 && c.cy + 0.5 >= by0 && c.cy + 0.5 <= by1).collect();
    let canon = canonicalize(w, h, |x, y| {
        let l = labels[y * w + x];
        l > 0 && keep[l as usize - 1]
    })?;
    Some(GlyphInk { canon, origin: [x0 as f32, y0 as f32] })
}

/// Placement of a reference over the glyph: scale about the centre, then shift.
#[derive(Clone, Copy)]
struct Place {
    s: f32,
    dx: f32,
    dy: f32,
}

impl Place {
    fn fwd(&self, p: [f32; 2]) -> [f32; 2] {
        let c = CANON as f32 / 2.0;
        [(p[0] - c) * self.s + c + self.dx, (p[1] - c) * self.s + c + self.dy]
    }
    fn inv(&self, p: [f32; 2]) -> [f32; 2] {
        let c = CANON as f32 / 2.0;
        [(p[0] - c - self.dx) / self.s + c, (p[1] - c - self.dy) / self.s + c]
    }
}

fn evaluate(g: &Canon, r: &Canon, pl: Place) -> Fit {
    let (mut miss, mut cr) = (0usize, 0f32);
    for &p in &r.points {
        let d = g.dist(pl.fwd(p));
        cr += d.min(6.0);
        if d > D0 {
            miss += 1;
        }
    }
    let (mut ext, mut cg) = (0usize, 0f32);
    for &q in &g.points {
        let d = r.dist(pl.inv(q));
        cg += d.min(6.0);
        if d > D0 {
            ext += 1;
        }
    }
    let (nr, ng) = (r.points.len().max(1) as f32, g.points.len().max(1) as f32);
    Fit { missing: miss as f32 / nr, extra: ext as f32 / ng, cost: cr / nr + cg / ng }
}

/// Best placement of one reference (coarse search over scale and offset).
fn best_fit(g: &Canon, r: &Canon) -> (Fit, Place) {
    let mut best: Option<(Fit, Place)> = None;
    for s in [0.92f32, 1.0, 1.08] {
        for dy in [-2.0f32, 0.0, 2.0] {
            for dx in [-2.0f32, 0.0, 2.0] {
                let pl = Place { s, dx, dy };
                let f = evaluate(g, r, pl);
                if best.as_ref().is_none_or(|b| f.cost < b.0.cost) {
                    best = Some((f, pl));
                }
            }
        }
    }
    best.unwrap()
}

/// Best reference and placement: every reference is scored unmoved, the two closest are then
/// searched over placements (the search is what costs time).
fn best_over(g: &Canon, refs: &[RefCanon]) -> Option<(Fit, Place, usize)> {
    let identity = Place { s: 1.0, dx: 0.0, dy: 0.0 };
    let mut order: Vec<(f32, usize)> = refs.iter().enumerate().map(|(i, r)| (evaluate(g, &r.canon, identity).cost, i)).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    order
        .iter()
        .take(2)
        .map(|&(_, i)| {
            let (f, p) = best_fit(g, &refs[i].canon);
            (f, p, i)
        })
        .min_by(|a, b| a.0.cost.total_cmp(&b.0.cost))
}

/// Verifies every matched Han glyph.
pub fn verify(img: &RgbImage, page: &Page, alignment: &Alignment, refs: &References) -> Vec<GlyphCheck> {
    let mut out = Vec::new();
    for b in &alignment.blocks {
        for (m, want) in b.matches.iter().zip(&b.chars) {
            let (r, read) = match m {
                CharMatch::Matched { glyph } => (*glyph, None),
                CharMatch::Substituted { glyph, read } => (*glyph, Some(read.clone())),
                CharMatch::Missing { .. } => continue,
            };
            let Some(wc) = want.chars().next().filter(|&c| is_han(c)) else { continue };
            let g = &page.lines[r.line].chars[r.index];
            if !g.ink_found {
                continue;
            }
            let Some(ink) = glyph_ink(img, g.bbox) else { continue };
            let wrefs = refs.canon(wc);
            let Some((fit, place, bi)) = best_over(&ink.canon, &wrefs) else { continue };
            let read_fit = read.as_deref().and_then(|s| s.chars().next()).filter(|&c| is_han(c)).and_then(|c| best_over(&ink.canon, &refs.canon(c))).map(|x| x.0);
            let cs = refs.strokes().and_then(|s| s.get(wc));
            // Stroke explanation, through the stroke-outline reference when there is one.
            let mut missing_strokes = Vec::new();
            if let (Some(cs), Some(sref)) = (&cs, wrefs.iter().position(|r| r.strokes)) {
                let (_, spl) = if wrefs[sref].strokes && bi == sref { (fit, place) } else { best_fit(&ink.canon, &wrefs[sref].canon) };
                let sc = &wrefs[sref].canon;
                for (k, med) in cs.medians.iter().enumerate() {
                    let mut pts: Vec<[f32; 2]> = Vec::new();
                    for w in med.windows(2) {
                        let (a, bb) = (w[0], w[1]);
                        let steps = 6;
                        for t in 0..steps {
                            let f = t as f32 / steps as f32;
                            let x = a[0] as f32 + (bb[0] as f32 - a[0] as f32) * f;
                            let y = a[1] as f32 + (bb[1] as f32 - a[1] as f32) * f;
                            pts.push([x / 255.0 * crate::reference::REF_EM as f32, y / 255.0 * crate::reference::REF_EM as f32]);
                        }
                    }
                    if pts.is_empty() {
                        continue;
                    }
                    let covered = pts.iter().filter(|&&p| ink.canon.dist(spl.fwd(sc.to_canon(p))) <= 3.0).count();
                    if (covered as f32) < 0.5 * pts.len() as f32 {
                        missing_strokes.push(k + 1);
                    }
                }
            }
            // Unexplained ink: glyph points far from the best reference.
            let rc = &wrefs[bi].canon;
            let far: Vec<[f32; 2]> = ink.canon.points.iter().copied().filter(|&q| rc.dist(place.inv(q)) > D0 + 1.0).collect();
            let extra_ink = if far.len() as f32 >= 0.04 * ink.canon.points.len() as f32 && far.len() >= 4 {
                let src: Vec<[f32; 2]> = far.iter().map(|&q| {
                    let s = ink.canon.to_source(q);
                    [s[0] + ink.origin[0], s[1] + ink.origin[1]]
                }).collect();
                Some(crate::geometry::bbox_of(&src))
            } else {
                None
            };
            out.push(GlyphCheck {
                glyph: r,
                intended: want.clone(),
                fit,
                similarity: (1.0 - fit.cost / 6.0).clamp(0.0, 1.0),
                best_face: wrefs[bi].face.clone(),
                read_fit,
                stroke_count: cs.as_ref().map(|c| c.stroke_count()),
                missing_strokes,
                extra_ink,
            });
        }
    }
    out
}

/// Audit mode (no intended text): compares every Han glyph with the character it was read as and
/// with its alternatives; gives, per glyph, the best-fitting candidate's comparison (its `intended`
/// is that candidate). A glyph whose best candidate still fits badly matches no real character.
pub fn audit(img: &RgbImage, page: &Page, refs: &References) -> Vec<GlyphCheck> {
    let mut out = Vec::new();
    for (li, l) in page.lines.iter().enumerate() {
        for (ci, g) in l.chars.iter().enumerate() {
            let Some(c0) = g.char.chars().next().filter(|&c| is_han(c)) else { continue };
            if !g.ink_found {
                continue;
            }
            let Some(ink) = glyph_ink(img, g.bbox) else { continue };
            let mut cands = vec![c0];
            cands.extend(g.alternatives.iter().filter(|a| a.score >= 0.01).filter_map(|a| a.char.chars().next()).filter(|&c| is_han(c)));
            let best = cands
                .iter()
                .filter_map(|&c| {
                    let rs = refs.canon(c);
                    best_over(&ink.canon, &rs).map(|(f, _, i)| (f, c, rs[i].face.clone()))
                })
                .min_by(|a, b| a.0.cost.total_cmp(&b.0.cost));
            if let Some((fit, c, face)) = best {
                out.push(GlyphCheck {
                    glyph: GlyphRef { line: li, index: ci },
                    intended: c.to_string(),
                    fit,
                    similarity: (1.0 - fit.cost / 6.0).clamp(0.0, 1.0),
                    best_face: face,
                    read_fit: None,
                    stroke_count: None,
                    missing_strokes: Vec::new(),
                    extra_ink: None,
                });
            }
        }
    }
    out
}
