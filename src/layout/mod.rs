//! Stage `layout`: takes the OCR page, its blocks and the image; gives geometry measurements, with no
//! judgement attached: per line the skew angle, the centre-line residual of every Han glyph (in em),
//! glyph size ratios, pitch deviations and per-glyph rotation; per block the edge alignment of its
//! lines and the regularity of line spacing. Thresholds are applied later, by `verdict`.

pub mod edges;
pub mod rotation;

use crate::blocks::{glyph_extent, line_em, TextBlock};
use crate::clreq::{is_han, script_of, Script};
use crate::ocr::{Orientation, Page};
use crate::reference::References;
use crate::spec::Align;
use crate::stats::median;
use image::RgbImage;
use serde::{Deserialize, Serialize};

/// Measurements of one glyph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlyphGeometry {
    pub index: usize,
    /// Signed distance of the glyph's ink centre from the line's fitted centre line, in em
    /// (positive = below / to the right of the line direction's normal).
    pub offset_em: f32,
    /// Ink extent (larger side) relative to the line's median Han extent.
    pub size_ratio: f32,
    /// Dominant stroke angle of the glyph minus the line's angle, degrees.
    pub rotation_deg: f32,
    /// Whether the size came from sub-pixel ink edges on both axes (else whole-pixel ink boxes,
    /// whose extents are uncertain by a pixel at each end).
    #[serde(default)]
    pub subpixel_size: bool,
}

/// Measurements of one line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineGeometry {
    pub line: usize,
    /// Em size in pixels.
    pub em: f32,
    /// Angle of the fitted centre line relative to the page axis, degrees (None: too few glyphs).
    pub skew_deg: Option<f32>,
    /// Han glyphs used in the fits.
    pub glyphs: Vec<GlyphGeometry>,
    /// Deviation of every Han–Han step from the line's median step, in em, and where (glyph index
    /// of the step's second glyph); empty when the line has fewer than three steps.
    pub pitch_devs_em: Vec<(f32, usize)>,
    /// Leading, centre and trailing edges along the page axis (x for rows, y for columns), pixels.
    pub edges: [f32; 3],
    /// Leading and trailing edges of the ink alone (`edges` takes a mark's em slot at either end).
    #[serde(default)]
    pub ink_edges: [f32; 2],
    /// Whether any of the line's glyphs had ink found for it: a line without has no edges or
    /// position to measure, and its block is measured without it.
    #[serde(default)]
    pub inked: bool,
    /// Whether the leading and trailing edges are known: the line's first (last) glyph had ink
    /// found for it, so the edge is not a glyph further in.
    #[serde(default)]
    pub edge_known: [bool; 2],
    /// Position across the page axis (centre-line y for rows, x for columns), pixels.
    pub across: f32,
    /// Distance between the first and last Han glyph centres used in the skew fit, pixels.
    pub fit_span_px: f32,
    /// The advance of an opening quote «“» in the line's face, in em, when its grey levels tell the
    /// face (`verify::quote_faces`: a full em in Noto Sans SC; 0.35 in LXGW WenKai and Smiley
    /// Sans, which set quotes narrow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_advance_em: Option<f32>,
}

/// Measurements of one block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockGeometry {
    pub block: usize,
    /// The alignment the lines follow best: "left", "center" or "right" (leading/trailing for columns).
    pub alignment: String,
    /// Per line: deviation from the block's alignment edge, in em (line index, deviation).
    pub edge_dev_em: Vec<(usize, f32)>,
    /// Per line gap: deviation of the line advance from the block median, in em.
    pub spacing_dev_em: Vec<(usize, f32)>,
}

/// All layout measurements of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub lines: Vec<LineGeometry>,
    pub blocks: Vec<BlockGeometry>,
}

/// Theil–Sen slope and intercept of points, over pairs of points of the same class only (`class[i]` for `pts[i]`): a class may
/// sit a constant offset from another (digits placed by metrics of another face than the Han
/// glyphs beside them), which a slope through both would take for a tilt. The intercept is class
/// 0's where it has points.
fn theil_sen_within(pts: &[(f32, f32)], class: &[u8]) -> (f32, f32) {
    let mut slopes = Vec::new();
    for i in 0..pts.len() {
        for j in (i + 1..pts.len()).filter(|&j| class[j] == class[i]) {
            let dx = pts[j].0 - pts[i].0;
            if dx.abs() > 1e-3 {
                slopes.push((pts[j].1 - pts[i].1) / dx);
            }
        }
    }
    let s = median(&slopes);
    let base = if class.contains(&0) { 0 } else { class.first().copied().unwrap_or(0) };
    let ints: Vec<f32> = pts.iter().zip(class).filter(|p| *p.1 == base).map(|(p, _)| p.1 - s * p.0).collect();
    (s, median(&ints))
}

/// Measures the page. With references, glyph positions and sizes are corrected by how each
/// character sits in its em box when typeset correctly: in the line's face (`faces`) when one is
/// recognised; where other faces are candidates too (`candidates`: faces several of the line's
/// glyphs fit best), in the one under which the line's glyphs agree best in size.
pub fn measure(page: &Page, blocks: &[TextBlock], img: &RgbImage, refs: Option<&References>, faces: &[Option<String>], candidates: &[Vec<String>], quote_faces: &[Option<crate::verify::QuoteFace>], aligns: &[Option<Align>], unread: &[UnreadInk], meant: &[Meant]) -> Layout {
    use rayon::prelude::*;
    // The page's tilt, from its long lines: the axis a line of two glyphs is measured along.
    let long: Vec<f32> = page.lines.iter().filter(|l| l.chars.len() >= LONG_LINE).map(|l| l.angle).collect();
    let page_angle = (!long.is_empty()).then(|| median(&long));
    // Lines are measured independently (each may try its glyphs in several faces): in parallel,
    // collected in page order.
    let lines: Vec<LineGeometry> = page
        .lines
        .par_iter()
        .enumerate()
        .map(|(li, l)| {
            let meant: Vec<Meant> = meant.iter().copied().filter(|m| m.line == li).collect();
            let quote = quote_faces.get(li).and_then(|q| q.as_ref());
            let quote_face = quote.map(|q| q.face.as_str());
            let face = faces.get(li).and_then(|f| f.as_deref());
            let first = measure_line(li, l, img, refs, face, quote_face, &meant, page_angle);
            let others = candidates.get(li).into_iter().flatten().filter(|f| face != Some(f.as_str()));
            let mut best = (size_scatter(&first, l), first, face);
            for f in others {
                let g = measure_line(li, l, img, refs, Some(f), quote_face, &meant, page_angle);
                let sc = size_scatter(&g, l);
                if sc < best.0 {
                    best = (sc, g, Some(f.as_str()));
                }
            }
            let mut g = best.1;
            // Where no face is known for the line, the face most of its glyphs fit best.
            let letter_face = best.2.or_else(|| candidates.get(li).and_then(|c| c.first()).map(|f| f.as_str()));
            extend_to_letter_slots(&mut g, l, refs, letter_face);
            extend_edges(&mut g, l, unread.iter().filter(|u| u.line == li));
            g.quote_advance_em = quote.map(|q| q.advance_em);
            g
        })
        .collect();
    let blocks = blocks
        .iter()
        .enumerate()
        .map(|(bi, b)| measure_block(bi, b, &lines, b.intent.and_then(|i| aligns.get(i).copied().flatten())))
        .collect();
    Layout { lines, blocks }
}

/// What the author meant where the recogniser read something else: a full-width mark read as its
/// half-width form (（ read as «(»: at a line's edge its em slot, not its ink, is where the line
/// begins or ends) or as a Han character the recogniser was unsure of (a «」» read as «了» is no
/// Han glyph to size), or a Han character whose ink verification found to fit it at least as well as
/// the reading (a 皿 read as 血 is measured by 皿's ink box, which sits lower in the em).
#[derive(Debug, Clone, Copy)]
pub struct Meant {
    pub line: usize,
    pub index: usize,
    pub char: char,
}

/// Ink of an intended character or mark the recogniser did not read, found at a line's start or end.
#[derive(Debug, Clone, Copy)]
pub struct UnreadInk {
    pub line: usize,
    /// Image box of the ink `[x, y, w, h]`.
    pub bbox: [f32; 4],
    /// A full-width mark, whose em slot may reach beyond its ink.
    pub mark: bool,
}

/// A letter or digit at either end of a horizontal line fills its advance, which in the line's face
/// can reach beyond its ink (a justified line ending in a bold kai «1»: ink to 0.36 em of a 0.6 em
/// advance): that line's edge is the advance's, from the face's side bearings.
fn extend_to_letter_slots(g: &mut LineGeometry, l: &crate::ocr::Line, refs: Option<&References>, face: Option<&str>) {
    let (Some(r), Some(face)) = (refs, face) else { return };
    if !g.inked || l.orientation == Orientation::Vertical {
        return;
    }
    let mut shown = l.chars.iter().filter(|c| c.ink_found && script_of(c.char.chars().next().unwrap_or(' ')) != Script::Space);
    let letter = |g: Option<&crate::ocr::Glyph>| g?.char.chars().next().filter(|&c| matches!(script_of(c), Script::Latin | Script::Digit));
    let bearings = |c: char| Some((r.face_ink(c, face)?, r.face_advance(c, face)?));
    if let Some((ink, _)) = letter(shown.clone().next()).and_then(bearings) {
        g.edges[0] = g.edges[0].min(g.ink_edges[0] - ink[0] * g.em);
    }
    if let Some((ink, advance)) = letter(shown.next_back()).and_then(bearings) {
        g.edges[2] = g.edges[2].max(g.ink_edges[1] + (advance - ink[2]).max(0.0) * g.em);
    }
    g.edges[1] = (g.edges[0] + g.edges[2]) / 2.0;
}

/// Widens a line's edges to unread ink beside it: a line whose closing 。 went unread still ends
/// where the 。 does.
fn extend_edges<'a>(g: &mut LineGeometry, l: &crate::ocr::Line, unread: impl Iterator<Item = &'a UnreadInk>) {
    if !g.inked {
        return;
    }
    let vertical = l.orientation == Orientation::Vertical;
    for u in unread {
        let b = u.bbox;
        let (a0, a1) = if vertical { (b[1], b[1] + b[3]) } else { (b[0], b[0] + b[2]) };
        // Ink at the line's end, or within a pixel of it: a mark inside the box of the glyph
        // beside it can be where that glyph's box begins (a line-initial «「» in «保»'s box).
        if a0 < g.ink_edges[0] + 1.0 {
            g.ink_edges[0] = g.ink_edges[0].min(a0);
            g.edges[0] = g.edges[0].min(if u.mark { a0.min(a1 - g.em) } else { a0 });
        }
        if a1 > g.ink_edges[1] - 1.0 {
            g.ink_edges[1] = g.ink_edges[1].max(a1);
            g.edges[2] = g.edges[2].max(if u.mark { a1.max(a0 + g.em) } else { a1 });
        }
        g.edges[1] = (g.edges[0] + g.edges[2]) / 2.0;
    }
}

/// Lines tilted up to this much (degrees) have their glyphs' centres across the line measured from
/// sub-pixel ink edges (`edges`), taken along image rows.
const SUBPIXEL_MAX_DEG: f32 = 3.0;

/// A Han glyph's em box as implied by its ink and its reference: centre (along, across) and size.
struct Implied {
    index: usize,
    along: f32,
    across: f32,
    em: f32,
    /// Rotation against the reference, when both have a clear stroke axis.
    rotation: Option<f32>,
    /// Whether the size can be judged (the reference faces agree on this character's ink extent).
    size_known: bool,
    /// The em implied by each side of the ink box alone (along, across), where the character's
    /// reference is not thin in that direction.
    em_sides: [Option<f32>; 2],
    /// Whether the ink box has its character's shape (else the measurement is broken).
    sound: bool,
    /// Whether the extents are sub-pixel on both axes.
    subpixel_size: bool,
}

/// Glyphs in a line whose detected angle is sure enough to stand for the page's.
const LONG_LINE: usize = 6;
/// How far (in em) the faces' ink boxes of a character may differ for its size to be judged
/// without knowing the line's face.
const FACES_AGREE: f32 = 0.08;
/// Han glyphs a line needs for the face they name to size a character the faces disagree on
/// (verify's proportions need as many to single out a face).
const FACE_SIZES_MIN_GLYPHS: usize = 5;

/// Measures one line; `page_angle` (degrees, as [`crate::ocr::Line::angle`]) is the axis of a line
/// with too few glyphs to fit its own. `quote_face`: the face whose quote width the line's grey
/// levels chose (`verify::quote_faces`), where «“”‘’» at the line's ends are inked in their em —
/// small serif text can fit another face best in binarised outline (a serif line's leading quote
/// then taken as set narrow, its slot edge as its ink: 4545/111).
fn measure_line(li: usize, l: &crate::ocr::Line, img: &RgbImage, refs: Option<&References>, face: Option<&str>, quote_face: Option<&str>, meant: &[Meant], page_angle: Option<f32>) -> LineGeometry {
    let line_em0 = line_em(l);
    let vertical = l.orientation == Orientation::Vertical;
    // Page-axis coordinates: (along, across). Rows: (x, y); columns: (y, -x).
    let to_axis = |p: [f32; 2]| if vertical { (p[1], -p[0]) } else { (p[0], p[1]) };
    let centre = |q: &[[f32; 2]; 4]| {
        let c = [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4.0, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4.0];
        to_axis(c)
    };
    let han: Vec<usize> = (0..l.chars.len())
        .filter(|&i| l.chars[i].ink_found && l.chars[i].char.chars().next().is_some_and(is_han))
        .filter(|&i| !meant.iter().any(|m| m.index == i && !is_han(m.char)))
        .collect();
    let implied_of = |i: usize| {
            let g = &l.chars[i];
            let (a, b) = glyph_extent(l, g);
            let (ca, cb) = centre(&g.quad);
            // Across a nearly level row, the ink's edges to a fraction of a pixel; along it too
            // where neither neighbour's ink touches the glyph's.
            let sub = (!vertical && l.angle.abs() <= SUBPIXEL_MAX_DEG).then(|| edges::ink_edges(img, &g.quad)).flatten();
            let (cb, b) = match sub {
                Some(e) => ((e.top + e.bottom) / 2.0, e.bottom - e.top),
                None => (cb, b),
            };
            let (ca, a, subpixel_along) = match sub.and_then(|e| e.left.zip(e.right)) {
                Some((lo, hi)) if hi - lo >= 1.0 => ((lo + hi) / 2.0, hi - lo, true),
                _ => (ca, a, false),
            };
            // Ink that runs into a neighbour's has no extent of its own along the line (an enlarged
            // glyph's box is cut at its cell): its size is judged across the line alone.
            let along_touching = sub.is_some() && !subpixel_along;
            let subpixel_size = sub.is_some();
            let ch = meant.iter().find(|m| m.index == i && is_han(m.char)).map_or_else(|| g.char.chars().next().unwrap(), |m| m.char);
            // The line's own face, when verification recognised it, gives the exact ink box;
            // otherwise the faces' median, and sizes only where the faces agree.
            let face_ink = refs.zip(face).and_then(|(r, f)| r.face_ink(ch, f));
            // A character the faces draw at different sizes (口: 0.64 of an em in the Kai, 0.80 in
            // the bold sans) is sized by the line's face only where enough glyphs name that face:
            // three or four small glyphs can all fit another face best (a 12 px Kai «戴口罩» taken
            // for the bold sans, its 口 then 83 % of its size: 5050/247, 5454/171).
            let face_sizes = face_ink.is_some() && han.len() >= FACE_SIZES_MIN_GLYPHS;
            let rm = refs.and_then(|r| {
                let m = r.metrics(ch)?;
                Some(match face_ink {
                    Some(ink) => crate::reference::RefMetrics { ink, ..m },
                    None => m,
                })
            });
            // With the face's own ink box the shape must agree closely; with the faces' median, roughly.
            let shape_ok = if face_ink.is_some() { 0.8..=1.25 } else { 0.6..=1.67 };
            let measured_rot = rotation::dominant_angle(img, &g.quad);
            match rm {
                Some(m) => {
                    // Reference extents and centre offsets along/across the line, in em.
                    let (rw, rh) = (m.ink[2] - m.ink[0], m.ink[3] - m.ink[1]);
                    let (rcx, rcy) = ((m.ink[0] + m.ink[2]) / 2.0 - 0.5, (m.ink[1] + m.ink[3]) / 2.0 - 0.5);
                    let (r_along, r_across, off_along, off_across) = if vertical { (rh, rw, rcy, -rcx) } else { (rw, rh, rcx, rcy) };
                    let em = if r_along >= r_across { a / r_along.max(0.05) } else { b / r_across.max(0.05) };
                    // Rotation is only judged where both the reference and the ink have a clear
                    // stroke axis, and the glyph is big enough for gradients to mean something.
                    let rotation = match measured_rot {
                        Some((phi, strength)) if m.angle_strength >= 0.3 && strength >= 0.6 * m.angle_strength && a.max(b) >= 18.0 => Some(phi - m.angle_deg),
                        _ => None,
                    };
                    // A glyph whose ink box has another shape than its character's is a broken
                    // measurement (part of the glyph, or a neighbour's piece), not a layout fault.
                    let shape = (a / b.max(1.0)) / (r_along / r_across.max(0.05)).max(0.05);
                    let sound = shape_ok.contains(&shape);
                    let em_sides = [(r_along >= 0.3 && !along_touching).then(|| a / r_along), (r_across >= 0.3).then(|| b / r_across)];
                    Implied { index: i, along: ca - off_along * em, across: cb - off_across * em, em, rotation, size_known: m.ink_spread <= FACES_AGREE || face_sizes, em_sides, sound, subpixel_size }
                }
                None => Implied { index: i, along: ca, across: cb, em: a.max(b) / 0.92, rotation: None, size_known: false, em_sides: [None, None], sound: true, subpixel_size },
            }
    };
    let implied: Vec<Implied> = han.iter().map(|&i| implied_of(i)).collect();
    // Ink much wider than an em along the line is two glyphs run together (a dropped neighbour):
    // leave it to the text rules rather than measuring it as one glyph.
    let implied: Vec<Implied> = implied.into_iter().filter(|g| g.sound && glyph_extent(l, &l.chars[g.index]).0 <= 1.4 * line_em0).collect();
    // Ink implying an em far from its neighbours' (beyond any plausible resize) is a broken box too.
    let implied: Vec<Implied> = {
        let e: Vec<f32> = implied.iter().map(|g| g.em).collect();
        let med = median(&e);
        implied.into_iter().filter(|g| med <= 0.0 || (g.em / med - 1.0).abs() <= 0.45).collect()
    };
    let ems: Vec<f32> = implied.iter().map(|g| g.em).collect();
    let em = if ems.is_empty() { line_em0 } else { median(&ems) };
    let pts: Vec<(f32, f32)> = implied.iter().map(|g| (g.along, g.across)).collect();
    // A line of fewer than three Han glyphs (a date, a phone number, "动6次。") still has a slope:
    // its digits and letters, placed by their own references, fill in for the skew fit alone.
    // Han glyphs and the rest are fitted as two classes, each its own offset: placed by metrics
    // of the faces' median where the line's face is not known, digits of a face of their own sit a
    // constant fraction of a pixel off the Han glyphs («版本9.1.5» in Smiley Sans: 0.9 px, 4646/192).
    let (skew_pts, skew_class): (Vec<(f32, f32)>, Vec<u8>) = if pts.len() >= 3 {
        (pts.clone(), vec![0; pts.len()])
    } else {
        let mut v: Vec<(usize, (f32, f32), u8)> = implied.iter().map(|g| (g.index, (g.along, g.across), 0)).collect();
        for i in (0..l.chars.len()).filter(|&i| l.chars[i].ink_found && l.chars[i].char.chars().next().is_some_and(|c| c.is_alphanumeric() && !is_han(c)) && l.chars[i].confidence >= 0.9) {
            let g = implied_of(i);
            if g.sound && refs.is_some_and(|r| r.metrics(l.chars[i].char.chars().next().unwrap()).is_some()) {
                v.push((i, (g.along, g.across), 1));
            }
        }
        v.sort_by_key(|x| x.0);
        v.into_iter().map(|x| (x.1, x.2)).unzip()
    };
    let within_pairs = (0..skew_pts.len()).map(|i| (i + 1..skew_pts.len()).filter(|&j| skew_class[j] == skew_class[i]).count()).sum::<usize>();
    let (skew_deg, slope, icpt) = if skew_pts.len() >= 3 && within_pairs > 0 {
        let (s, b) = theil_sen_within(&skew_pts, &skew_class);
        (Some(s.atan().to_degrees()), s, b)
    } else {
        // Two glyphs: the detector's angle for their box is as noisy as their offset (3° over a
        // 45 px pair is 2.4 px); the page's long lines give the axis.
        (None, page_angle.unwrap_or(l.angle).to_radians().tan(), pts.first().map(|p| p.1).unwrap_or(0.0))
    };
    let cos = 1.0 / (1.0 + slope * slope).sqrt();
    // Each side's size against the line's em measured the same way: edges along the line and
    // across it are found differently (along, blur and a neighbour's nearness move them; across,
    // the line's band), and a glyph judged on one side alone (its ink touching a neighbour's) is
    // compared with its neighbours' same side, not with the median em, which mostly comes from the
    // other (a 14 px serif «八杯水。» measured in the bold sans: along 12.7 px, across 14.1).
    // On a line of three or more, the others' median (the glyph's own measurement left out, as it
    // would pull the one side it is judged on towards itself); on a pair, the two's; the line's em
    // where too few glyphs measure that side.
    let side_ems = |i: usize| {
        let side = |k: usize| {
            let v: Vec<f32> = implied.iter().enumerate().filter(|&(j, _)| implied.len() < 3 || j != i).filter_map(|(_, g)| g.em_sides[k]).collect();
            if v.len() >= 2 { median(&v) } else { em }
        };
        [side(0), side(1)]
    };
    let line_angle = if vertical { l.angle } else { slope.atan().to_degrees() };
    let glyphs: Vec<GlyphGeometry> = implied
        .iter()
        .enumerate()
        .map(|(i, g)| GlyphGeometry {
            index: g.index,
            offset_em: (g.across - (slope * g.along + icpt)) * cos / em.max(1.0),
            size_ratio: if g.size_known { size_ratio(g, side_ems(i)) } else { 1.0 },
            rotation_deg: g.rotation.map(|r| wrap45(r - line_angle)).unwrap_or(0.0),
            subpixel_size: g.subpixel_size,
        })
        .collect();
    // Pitch: steps between the implied em-box centres of consecutive Han glyphs.
    let mut steps: Vec<(f32, usize)> = Vec::new();
    for w in implied.windows(2) {
        if w[1].index == w[0].index + 1 {
            steps.push((((w[1].along - w[0].along).powi(2) + (w[1].across - w[0].across).powi(2)).sqrt(), w[1].index));
        }
    }
    let pitch_devs_em = if steps.len() >= 3 {
        let med = median(&steps.iter().map(|s| s.0).collect::<Vec<_>>());
        steps.iter().map(|s| ((s.0 - med).abs() / em.max(1.0), s.1)).collect()
    } else {
        Vec::new()
    };
    let shown: Vec<(usize, &crate::ocr::Glyph)> = l.chars.iter().enumerate().filter(|(_, g)| script_of(g.char.chars().next().unwrap_or(' ')) != Script::Space).collect();
    let edge_known = [shown.first().is_some_and(|g| g.1.ink_found), shown.last().is_some_and(|g| g.1.ink_found)];
    let inked: Vec<(usize, &crate::ocr::Glyph)> = shown.into_iter().filter(|g| g.1.ink_found).collect();
    let (mut lo, mut hi, mut ac) = (f32::MAX, f32::MIN, Vec::new());
    for (_, g) in &inked {
        for p in g.quad {
            let (a, _) = to_axis(p);
            lo = lo.min(a);
            hi = hi.max(a);
        }
        ac.push(centre(&g.quad).1);
    }
    if inked.is_empty() {
        lo = 0.0;
        hi = 0.0;
    }
    let ink_edges = [lo, hi];
    if let (Some(&(fi, first)), Some(&(la, last))) = (inked.first(), inked.last()) {
        // Full-width marks fill an em slot but ink only part of it (opening marks its trailing
        // side, closing marks and stops its leading side): take the slot's edge, not the ink's —
        // where the line's face is known, from where that face inks the mark in its em; else
        // assuming the ink reaches the slot's far side.
        let span = |g: &crate::ocr::Glyph| {
            let v: Vec<f32> = g.quad.iter().map(|&p| to_axis(p).0).collect();
            (v.iter().copied().fold(f32::MAX, f32::min), v.iter().copied().fold(f32::MIN, f32::max))
        };
        let mark = |i: usize, g: &crate::ocr::Glyph| {
            let read = g.char.chars().next();
            meant.iter().find(|m| m.index == i).map(|m| m.char).or(read).filter(|&c| script_of(c) == Script::CjkPunct)
        };
        let slot_em = if em > 0.0 { em } else { line_em0 };
        let mark_face = |c: char| if "“”‘’".contains(c) { quote_face.or(face) } else { face };
        let mark_ink = |c: char| if vertical { None } else { refs.zip(mark_face(c)).and_then(|(r, f)| r.face_ink(c, f)) };
        if let Some(c) = mark(fi, first) {
            let (s0, s1) = span(first);
            lo = lo.min(match mark_ink(c) {
                Some(ink) => s0 - ink[0] * slot_em,
                None => s1 - slot_em,
            });
        }
        if let Some(c) = mark(la, last) {
            let (s0, s1) = span(last);
            hi = hi.max(match mark_ink(c) {
                Some(ink) => s1 + (1.0 - ink[2]) * slot_em,
                None => s0 + slot_em,
            });
        }
        // A Han glyph at either end inks less than its em slot too, by its face's side bearing (a
        // justified Kai line ending in «月» was measured by its ink 0.5 em short of the block's
        // right edge, 4040/194): where the line's face is known, the slot's edge too.
        let han = |g: &crate::ocr::Glyph| g.char.chars().next().filter(|&c| is_han(c));
        if let Some(ink) = han(first).and_then(mark_ink) {
            lo = lo.min(span(first).0 - ink[0] * slot_em);
        }
        if let Some(ink) = han(last).and_then(mark_ink) {
            hi = hi.max(span(last).1 + (1.0 - ink[2]) * slot_em);
        }
    }
    let across = if pts.is_empty() { median(&ac) } else { median(&pts.iter().map(|p| p.1).collect::<Vec<_>>()) };
    // The longest distance the slope was measured over: within one class.
    let fit_span_px = [0u8, 1]
        .iter()
        .filter_map(|&k| {
            let mut it = skew_pts.iter().zip(&skew_class).filter(|p| *p.1 == k).map(|p| p.0);
            let a = it.next()?;
            let b = it.last()?;
            Some(((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt())
        })
        .fold(0.0f32, f32::max);
    LineGeometry { line: li, em, skew_deg, glyphs, pitch_devs_em, edges: [lo, (lo + hi) / 2.0, hi], ink_edges, inked: !inked.is_empty(), edge_known, across, fit_span_px, quote_advance_em: None }
}

/// How much a line's Han glyphs disagree in size as measured: the mean over its Han glyphs of
/// |ln size ratio|, capped at a plausible resize, a glyph the measurement dropped counting as the cap.
fn size_scatter(g: &LineGeometry, l: &crate::ocr::Line) -> f32 {
    let cap = 1.45f32.ln();
    let han = l.chars.iter().filter(|c| c.ink_found && c.char.chars().next().is_some_and(is_han)).count();
    if han == 0 {
        return 0.0;
    }
    let kept: f32 = g.glyphs.iter().map(|x| x.size_ratio.max(1e-3).ln().abs().min(cap)).sum();
    (kept + cap * han.saturating_sub(g.glyphs.len()) as f32) / han as f32
}

/// A glyph's size against its line's em, each side against the line's em measured on that side.
/// A resized glyph is larger or smaller both ways; a box that lost a piece or took a neighbour's is
/// off one way only: where both sides can be judged, the size change is the smaller of the two,
/// and none when they disagree.
fn size_ratio(g: &Implied, line_em: [f32; 2]) -> f32 {
    let (ea, eb) = (line_em[0].max(1.0), line_em[1].max(1.0));
    match g.em_sides {
        [Some(x), Some(y)] => {
            let (dx, dy) = (x / ea - 1.0, y / eb - 1.0);
            if dx * dy <= 0.0 {
                1.0
            } else {
                1.0 + if dx.abs() < dy.abs() { dx } else { dy }
            }
        }
        [Some(x), None] => x / ea,
        [None, Some(y)] => y / eb,
        [None, None] => 1.0,
    }
}

fn wrap45(a: f32) -> f32 {
    let mut a = a % 90.0;
    if a > 45.0 {
        a -= 90.0;
    }
    if a <= -45.0 {
        a += 90.0;
    }
    a
}

fn measure_block(bi: usize, b: &TextBlock, lines: &[LineGeometry], intended: Option<Align>) -> BlockGeometry {
    // Pieces of one visual line (detection may split a line at a wide gap) are measured together:
    // a piece centred within the other's band, half the larger em (a «。» boxed apart after its
    // line's «》» is centred low in the line's band, 5757/35; lines stacked apart are an em or more
    // from centre to centre).
    let mut rows: Vec<LineGeometry> = Vec::new();
    for &i in b.lines.iter().filter(|&&i| lines[i].inked) {
        let l = &lines[i];
        match rows.iter_mut().find(|r| (r.across - l.across).abs() < 0.5 * r.em.max(l.em)) {
            Some(r) => {
                r.edges[0] = r.edges[0].min(l.edges[0]);
                r.edges[2] = r.edges[2].max(l.edges[2]);
                r.edges[1] = (r.edges[0] + r.edges[2]) / 2.0;
                r.ink_edges = [r.ink_edges[0].min(l.ink_edges[0]), r.ink_edges[1].max(l.ink_edges[1])];
                r.edge_known = [r.edge_known[0] && l.edge_known[0], r.edge_known[1] && l.edge_known[1]];
            }
            None => rows.push(l.clone()),
        }
    }
    rows.sort_by(|a, c| a.across.total_cmp(&c.across));
    if b.vertical {
        rows.reverse();
    }
    let ls: Vec<&LineGeometry> = rows.iter().collect();
    let em = median(&ls.iter().map(|l| l.em).collect::<Vec<_>>()).max(1.0);
    let mut alignment = "left".to_string();
    let mut edge_dev_em = Vec::new();
    if ls.len() >= 2 {
        // Spread of each edge over the body lines (all but a short last line when there are 3+).
        let body: &[&LineGeometry] = if ls.len() >= 3 { &ls[..ls.len() - 1] } else { &ls[..] };
        let spread = |k: usize| {
            // Median absolute deviation: one indented or bracketed line does not decide it.
            let v: Vec<f32> = body.iter().map(|l| l.edges[k]).collect();
            let med = median(&v.clone());
            median(&v.iter().map(|x| (x - med).abs()).collect::<Vec<_>>()) / em
        };
        let s = [spread(0), spread(1), spread(2)];
        // The spec's alignment wins; otherwise the straightest edge. Justified text: both edges
        // straight; its last line only follows the leading edge.
        let (name, checks): (&str, Vec<(usize, bool)>) = if let Some(a) = intended {
            match a {
                Align::Left => ("left", vec![(0, true)]),
                Align::Center => ("center", vec![(1, true)]),
                Align::Right => ("right", vec![(2, true)]),
                Align::Justify => ("justified", vec![(0, true), (2, false)]),
            }
        } else if s[0] <= 0.15 && s[2] <= 0.15 && ls.len() >= 3 {
            ("justified", vec![(0, true), (2, false)])
        } else if s[0] <= s[1] + 0.05 && s[0] <= s[2] + 0.05 {
            ("left", vec![(0, true)])
        } else if s[1] <= s[2] {
            ("center", vec![(1, true)])
        } else {
            ("right", vec![(2, true)])
        };
        alignment = name.to_string();
        let mut worst: std::collections::BTreeMap<usize, f32> = std::collections::BTreeMap::new();
        for (k, with_last) in checks {
            // A mark at either end may be set full-width (its em slot is the edge) or
            // proportionally (its ink is): each line's edge is whichever of the two agrees with the
            // other lines, and each line is measured against the edge the other lines set (in a
            // block of two lines, a median over both would halve the one line's offset). An edge
            // the last line does not follow is measured on the lines before it.
            let cands = |l: &LineGeometry| -> Vec<f32> {
                let (los, his) = ([l.edges[0], l.ink_edges[0]], [l.edges[2], l.ink_edges[1]]);
                match k {
                    0 => los.to_vec(),
                    2 => his.to_vec(),
                    _ => los.iter().flat_map(|a| his.iter().map(move |b| (a + b) / 2.0)).collect(),
                }
            };
            let nearest = |v: &[f32], to: f32| v.iter().copied().fold(f32::MAX, |m, x| if (x - to).abs() < (m - to).abs() { x } else { m });
            // Only lines whose glyph at that edge had ink found (else the edge is a glyph further in).
            let known = |l: &LineGeometry| match k {
                0 => l.edge_known[0],
                2 => l.edge_known[1],
                _ => l.edge_known[0] && l.edge_known[1],
            };
            let on: Vec<&LineGeometry> = (if with_last { body } else { &ls[..ls.len() - 1] }).iter().copied().filter(|l| known(l)).collect();
            let on = &on[..];
            // The edge most lines agree on, to a quarter em, whichever way their end marks are set;
            // where those lines agree as well on two (each leads with a quote: its ink and its em
            // slot), the one the line after them agrees with too (4545/111).
            let all: Vec<&LineGeometry> = ls.iter().copied().filter(|l| known(l)).collect();
            let near_count = |lines: &[&LineGeometry], v: f32| lines.iter().filter(|l| (nearest(&cands(l), v) - v).abs() <= 0.25 * em).count();
            let agree = |v: f32| {
                let near: f32 = on.iter().map(|l| (nearest(&cands(l), v) - v).abs()).sum();
                (near_count(on, v), near_count(&all, v), -near)
            };
            let Some(base) = on.iter().flat_map(|l| cands(l)).max_by(|&a, &b| agree(a).partial_cmp(&agree(b)).unwrap_or(std::cmp::Ordering::Equal)) else {
                continue;
            };
            let chosen: Vec<f32> = on.iter().map(|l| nearest(&cands(l), base)).collect();
            for (i, l) in ls.iter().enumerate() {
                if (!with_last && i + 1 == ls.len()) || !known(l) {
                    continue;
                }
                let others: Vec<f32> = on.iter().zip(&chosen).filter(|(o, _)| !std::ptr::eq(**o, *l)).map(|(_, &c)| c).collect();
                if others.is_empty() {
                    continue;
                }
                let med = median(&others);
                let d = (nearest(&cands(l), med) - med) / em;
                let e = worst.entry(l.line).or_insert(0.0);
                if d.abs() > e.abs() {
                    *e = d;
                }
            }
        }
        edge_dev_em = worst.into_iter().collect();
    }
    let mut spacing_dev_em = Vec::new();
    if ls.len() >= 3 {
        let adv: Vec<f32> = ls.windows(2).map(|w| (w[1].across - w[0].across).abs()).collect();
        let med = median(&adv.clone());
        for (w, a) in ls.windows(2).zip(&adv) {
            spacing_dev_em.push((w[1].line, (a - med) / em));
        }
    }
    BlockGeometry { block: bi, alignment, edge_dev_em, spacing_dev_em }
}

#[cfg(test)]
mod tests {
    use super::theil_sen_within;

    #[test]
    fn a_class_offset_is_no_tilt_but_a_tilt_within_classes_is() {
        // «版本9.1.5» as measured on 4646/192: two Han glyphs, then digits 0.9 px lower.
        let pts = [(36.6, 99.82), (53.9, 99.79), (77.0, 100.71), (92.4, 100.70), (103.9, 100.76)];
        let class = [0, 0, 1, 1, 1];
        let (level, icpt) = theil_sen_within(&pts, &class);
        assert!(level.atan().to_degrees().abs() < 0.2, "{level}");
        assert!((icpt - 99.8).abs() < 0.2, "intercept from the Han glyphs: {icpt}");
        // One class throughout: the same points are read as tilted.
        let (mixed, _) = theil_sen_within(&pts, &[0; 5]);
        assert!(mixed.atan().to_degrees() > 0.6, "{mixed}");
        // A real 2° tilt shows within each class.
        let t = 2f32.to_radians().tan();
        let tilted: Vec<(f32, f32)> = pts.iter().map(|p| (p.0, p.1 + t * p.0)).collect();
        let (s, _) = theil_sen_within(&tilted, &class);
        assert!((s.atan().to_degrees() - 2.0).abs() < 0.2, "{s}");
    }
}
