//! Stage `verify`: takes the image, the OCR page, the alignment with the intended text and the
//! reference glyphs; gives, per matched Han glyph, how well its ink agrees with the intended
//! character — best over the bundled faces and the stroke outlines, after a small search over offset
//! and scale in a frame normalised by the ink box — as the share of reference ink the glyph lacks
//! (missing strokes), the share of glyph ink no reference explains (extra strokes), which stroke
//! numbers are missing (from the stroke medians) and where the unexplained ink is; then the grey-level
//! residual (`residual`) against the character drawn in the glyph's own face (the line's, its best,
//! their other weights, and every other face where a patch remains). Also how well the character the
//! recogniser read agrees, chamfer and residual, so a real other character can be told from a
//! pseudo-character; for a glyph read as intended, the residual against the recogniser's next
//! likeliest Han reading when it gives that one a fair chance (曰 read as 日); for a glyph that
//! fits poorly, how far it is turned; for a mark read as another mark (or a digit or letter as
//! another), how well its ink fits each of the two; and, for an intended Han character the
//! recogniser did not read,
//! the ink where it belongs (a gap, a line's end, or the end of a neighbour's box run over both) by
//! strokes and by residual.

pub mod canon;
pub mod marks;
pub mod proportion;
pub mod residual;
pub mod strokes;

use crate::align::{Alignment, CharMatch, GlyphRef};
use crate::clreq::is_han;
use crate::ocr::Page;
use crate::raster::{binarize_plane, connected_components};
use crate::reference::{RefCanon, References};
use crate::stats::median;
use canon::{canonicalize, Canon, Place};
use image::RgbImage;
use serde::{Deserialize, Serialize};

/// A canonical-frame distance (pixels of 64) beyond which ink counts as unexplained.
const D0: f32 = 2.5;
/// A grey-level residual patch (share of the character's ink) from which the placement is refined
/// over small warps before the patches are measured (below it, nothing the rules judge is left).
const WARP_FROM: f32 = 0.01;

/// The comparison of one glyph with one character.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// Share of the reference's ink the glyph lacks.
    pub missing: f32,
    /// Share of the glyph's ink the reference does not explain.
    pub extra: f32,
    /// Symmetric mean chamfer distance (canonical pixels, capped).
    pub cost: f32,
    /// Stroke-level comparison, when the stroke data has the character.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strokes: Option<StrokeFit>,
}

/// The stroke-level summary of a comparison (see `strokes::match_strokes`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StrokeFit {
    /// Cover of the least-covered expected stroke, 0–1.
    pub worst_cover: f32,
    /// Share of the glyph's ink no expected stroke explains.
    pub unexplained: f32,
    /// Whether the glyph's best-fitting reference is drawn in the hand the stroke data comes from
    /// (the stroke outlines themselves, or a kai face): only there do single strokes line up well
    /// enough for a missing one to be told from a face that places it elsewhere.
    #[serde(default)]
    pub same_hand: bool,
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
    /// Width and height of the ink compared, image pixels, upright (in reading orientation).
    #[serde(default)]
    pub ink_size: [f32; 2],
    /// How well the other glyphs of the same line fit their characters (medians; the whole page
    /// when the line has fewer than three others): the face's own distance from the references,
    /// against which this glyph is judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers: Option<Peers>,
    /// Grey-level residual against the intended character drawn in the line's face (the face most
    /// of the line fits best, else this glyph's own best face): missing and extra patches of ink.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual: Option<residual::Residual>,
    /// 1-based numbers of the expected strokes whose median lies in the residual's missing patch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residual_strokes: Vec<usize>,
    /// The same against the character the recogniser read, when that is another Han character.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_residual: Option<residual::Residual>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_residual_strokes: Vec<usize>,
    /// For a glyph read as intended: the recogniser's likeliest other Han reading, when it gives
    /// that one at least `ALTERNATIVE_FLOOR`, and the residual against it (曰 read as 日 fits 曰
    /// better than 日).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<AlternativeCheck>,
    /// For a glyph whose residual leaves a patch (`TURN_FROM`) or that fits its character poorly
    /// (`TURN_FROM_COST`): how far it is turned, by the turn of its best face's rendering at the
    /// line's size that leaves least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn: Option<Turn>,
    /// Beside an unread intended mark: the image box `[x, y, w, h]` of the piece standing apart at
    /// that end of the glyph's box (`trailing`: its far end) which the character fits better
    /// without: the mark's ink, taken into the glyph's box by the recogniser («复」» read «复»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark_ink: Option<MarkInk>,
}

impl GlyphCheck {
    /// The strokes both measures find missing: under half on ink in the binarised stroke match
    /// (`missing_strokes`) and with their median in the residual's missing patch
    /// (`residual_strokes`).
    pub fn strokes_missing_by_both(&self) -> Vec<usize> {
        self.residual_strokes.iter().copied().filter(|k| self.missing_strokes.contains(k)).collect()
    }
}

/// Ink of an unread mark found inside a read glyph's box (`GlyphCheck::mark_ink`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MarkInk {
    pub trailing: bool,
    pub bbox: [f32; 4],
}

/// How far a glyph is turned against the upright rendering of its character.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// Degrees, positive clockwise on the page.
    pub deg: f32,
    /// Share of the upright rendering's leftover the turned one leaves (below 1: the turn explains
    /// ink the upright rendering did not).
    pub left: f32,
}

/// A residual patch (share of the character's ink) from which a glyph is also tried turned: an
/// upright glyph that fits leaves less.
const TURN_FROM: f32 = 0.02;
/// The smallest glyph (em, pixels) tried turned for the patch its upright fit left before warps:
/// below it a blurred clean glyph's upright patch, turned, can look turned (a 15 px 必 under JPEG
/// measured 9.8°, clean-only 5050/9), while the turned glyphs this finds were 19–22 px (dev seeds
/// 1212–2222, 4 of 169 turned; the layout's own turn measure starts at 18 px too).
const TURN_UPRIGHT_MIN_EM_PX: f32 = 18.0;
/// … or from which chamfer cost against its character (canonical pixels: clean glyphs mostly
/// under 1, one in fifty above this; small glyphs turned leave their residual in no one patch).
const TURN_FROM_COST: f32 = 1.1;

/// The residual of a glyph against another reading the recogniser considered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativeCheck {
    pub char: String,
    /// The recogniser's probability for it.
    pub score: f32,
    pub residual: residual::Residual,
    /// 1-based numbers of its expected strokes the ink lacks (see `GlyphCheck::residual_strokes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub residual_strokes: Vec<usize>,
    /// How much better its proportions explain the glyph's width for its height than the intended
    /// character's do, in the line's face (`proportion::aspect_gain`), when measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_gain: Option<f32>,
    /// Whether it is a known look-alike of the intended character (`crate::lookalikes`), compared
    /// whatever chance the recogniser gave it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lookalike: bool,
    /// How it explains the ink where its rendering and the intended character's differ, against
    /// the intended character (`residual::contrast`): below 1 it explains those pixels better.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contrast: Option<f32>,
}

/// The smallest probability the recogniser gives another reading of a glyph read as intended for
/// the glyph to be compared with it too (a bound on the work: most glyphs' alternatives are far
/// below it; the rule's limit is on the residuals, fitted by `scripts/fit-thresholds`).
pub const ALTERNATIVE_FLOOR: f32 = 0.005;
/// The smallest probability the recogniser gives another Han reading for its proportions to be
/// compared with the glyph's (the recogniser ranks look-alikes such as 曰 for 日 high even when it
/// is sure; below this, readings are noise).
const PROPORTION_FLOOR: f32 = 1e-4;
/// The proportion gain (`proportion::aspect_gain`) from which that reading's residual is measured
/// too (a bound on the work: clean glyphs' widths for their heights scatter about ±0.05 around
/// their characters'; the rule's limit is fitted by `scripts/fit-thresholds`).
const ASPECT_FROM: f32 = 0.05;
/// How near (log units) a glyph's width for its height must be to another reading's for that
/// reading's proportions to explain it (clean glyphs lie within ±0.08 of their characters' in 99
/// of 100 cases on seeds 101–505).
const PROPORTION_MATCH: f32 = 0.1;
/// How far (log units) a glyph's width for its height may be from its intended character's for
/// proportions to tell it from a look-alike: look-alikes differ by a fifth (曰 and 日, 0.2); a glyph
/// several times too wide or narrow (一 measured square) is a broken box, not a look-alike.
const PROPORTION_FAR: f32 = 0.4;

/// Medians of the line-mates' comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Peers {
    pub count: usize,
    pub missing: f32,
    pub extra: f32,
    pub cost: f32,
    /// Medians of the line-mates' grey-level residual patches (see `GlyphCheck::residual`).
    #[serde(default)]
    pub residual_missing: f32,
    #[serde(default)]
    pub residual_extra: f32,
    /// The share of the line-mates whose residual leaves a patch of extra ink over `LONE_PATCH`:
    /// none where the references draw the line's face as it is drawn, so that a patch the glyph
    /// alone leaves is its own.
    #[serde(default)]
    pub residual_extra_share: f32,
}

/// The share of a glyph's ink from which a patch of extra ink counts its line-mate in
/// `Peers::residual_extra_share`: a clean glyph in a face the references have leaves one this large
/// in fewer than 1 of 1000 (48 of 113510 on clean seeds 4949, 5050, 5252); the real-world UI
/// screenshots' face, which they lack, in about a fifth of its glyphs (31 of 141).
pub const LONE_PATCH: f32 = 0.01;

/// For an intended mark the recogniser did not read (missing between `after` and `before`): the
/// glyph beside it whose box took in its ink — the glyph before it, with the ink at its trailing
/// side, else the glyph after it, at its leading side — and that ink.
pub fn mark_ink_beside(checks: &[GlyphCheck], after: Option<GlyphRef>, before: Option<GlyphRef>) -> Option<(GlyphRef, MarkInk)> {
    let host = |g: Option<GlyphRef>, trailing: bool| {
        let g = g?;
        let m = checks.iter().find(|c| c.glyph == g)?.mark_ink.filter(|m| m.trailing == trailing)?;
        Some((g, m))
    };
    host(after, true).or_else(|| host(before, false))
}

/// Per OCR line, the face its glyphs are set in, when verification recognises one: most of the
/// line's checked glyphs (three in five, and at least two) fit it best, and fit it closely.
pub fn line_faces<'a>(checks: impl Iterator<Item = &'a GlyphCheck> + Clone, lines: usize) -> Vec<Option<String>> {
    (0..lines)
        .map(|li| {
            let on = checks.clone().filter(|c| c.glyph.line == li).count();
            let votes = face_votes(checks.clone(), li);
            let (face, n) = votes.into_iter().next()?;
            (n >= 2 && n * 5 >= on * 3).then_some(face)
        })
        .collect()
}

/// Per OCR line, every face at least two of its checked glyphs fit best and closely, most votes
/// first: the faces the line may be set in (at 20 px a Kai bold and a bold sans fit alike, and a
/// line's votes split between them).
pub fn line_face_candidates<'a>(checks: impl Iterator<Item = &'a GlyphCheck> + Clone, lines: usize) -> Vec<Vec<String>> {
    (0..lines).map(|li| face_votes(checks.clone(), li).into_iter().filter(|v| v.1 >= 2).map(|v| v.0).collect()).collect()
}

/// The faces line `li`'s closely fitting glyphs fit best, with their counts, most first (ties by name).
fn face_votes<'a>(checks: impl Iterator<Item = &'a GlyphCheck>, li: usize) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in checks.filter(|c| c.glyph.line == li && c.fit.cost < 1.2) {
        *counts.entry(c.best_face.as_str()).or_insert(0) += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().map(|(f, n)| (f.to_string(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The fewest glyphs a line needs for its faces' proportions to be told (with three or four, the
/// face whose proportions scatter least is as often a wrong one).
const PROPORTION_MIN_GLYPHS: usize = 5;
/// How much more than the least a face's proportion scatter over a line may be for the face to
/// stay a candidate for the line's (a few glyphs do not single out one face: at 17 px a kai 日
/// and a sans 日 differ more in their width for their height than in their strokes).
const PROPORTION_SCATTER_SLACK: f32 = 1.5;

/// Per line, the faces whose proportions its glyphs keep best and how much wider for their height
/// they are drawn than each face's outlines: for each face, each glyph's `ln(aspect / outline
/// aspect)`; the faces where these scatter least (median distance from their median, within
/// `PROPORTION_SCATTER_SLACK` of the least) over at least `PROPORTION_MIN_GLYPHS` glyphs, with the exponent of their
/// median. The face that best fits each glyph's ink may be another (a wide face's 日 fits 曰 drawn
/// in a narrow one).
fn line_proportions<'f>(
    first: &[(GlyphCheck, GlyphInk, Place)],
    glyph_aspect: &[Option<f32>],
    lines: usize,
    faces: &[&'f str],
    outline_aspect: &dyn Fn(&str, &str) -> Option<f32>,
) -> Vec<Vec<(&'f str, f32)>> {
    (0..lines)
        .map(|li| {
            let on: Vec<(&str, f32)> = first.iter().zip(glyph_aspect).filter(|(g, _)| g.0.glyph.line == li).filter_map(|(g, a)| Some((g.0.intended.as_str(), (*a)?))).collect();
            let by_face: Vec<(f32, &str, f32)> = faces
                .iter()
                .filter_map(|&face| {
                    let logs: Vec<f32> = on.iter().filter_map(|&(ch, a)| Some((a / outline_aspect(ch, face)?).ln())).collect();
                    if logs.len() < PROPORTION_MIN_GLYPHS {
                        return None;
                    }
                    let mid = median(&logs);
                    let spread = median(&logs.iter().map(|l| (l - mid).abs()).collect::<Vec<_>>());
                    Some((spread, face, mid.exp()))
                })
                .collect();
            let least = by_face.iter().map(|f| f.0).fold(f32::INFINITY, f32::min);
            let kept: Vec<(&str, f32)> = by_face.into_iter().filter(|f| f.0 <= least * PROPORTION_SCATTER_SLACK).map(|(_, face, widen)| (face, widen)).collect();
            // Of those, the ones some glyph of the line fits best by its ink, when there are any.
            let inked: Vec<(&str, f32)> = kept.iter().copied().filter(|&(face, _)| first.iter().any(|g| g.0.glyph.line == li && g.0.best_face == face)).collect();
            if inked.is_empty() {
                kept
            } else {
                inked
            }
        })
        .collect()
}

/// Fills in each check's peers: the other checks of its line, or of the page.
fn add_peers(checks: &mut [GlyphCheck]) {
    let residuals: Vec<Option<residual::Residual>> = checks.iter().map(|c| c.residual).collect();
    add_peers_by(checks, &residuals);
}

/// The same, each line-mate counted by its residual in `residuals` (one per check).
fn add_peers_by(checks: &mut [GlyphCheck], residuals: &[Option<residual::Residual>]) {
    let fits: Vec<(usize, Fit, Option<residual::Residual>)> = checks.iter().zip(residuals).map(|(c, r)| (c.glyph.line, c.fit, *r)).collect();
    for (i, c) in checks.iter_mut().enumerate() {
        c.peers = peers_of(&fits, c.glyph.line, Some(i));
    }
}

/// Per check: its line, its fit and its residual.
fn line_fits(checks: &[GlyphCheck]) -> Vec<(usize, Fit, Option<residual::Residual>)> {
    checks.iter().map(|c| (c.glyph.line, c.fit, c.residual)).collect()
}

/// The medians of what the checks of line `li` (but check `skip`) leave, or of the page's when the
/// line has fewer than three; none from fewer than three.
fn peers_of(fits: &[(usize, Fit, Option<residual::Residual>)], li: usize, skip: Option<usize>) -> Option<Peers> {
    let mut others: Vec<_> = fits.iter().enumerate().filter(|&(j, f)| Some(j) != skip && f.0 == li).map(|(_, f)| f).collect();
    if others.len() < 3 {
        others = fits.iter().enumerate().filter(|&(j, _)| Some(j) != skip).map(|(_, f)| f).collect();
    }
    if others.len() < 3 {
        return None;
    }
    let res: Vec<residual::Residual> = others.iter().filter_map(|f| f.2).collect();
    Some(Peers {
        count: others.len(),
        missing: median(&others.iter().map(|f| f.1.missing).collect::<Vec<_>>()),
        extra: median(&others.iter().map(|f| f.1.extra).collect::<Vec<_>>()),
        cost: median(&others.iter().map(|f| f.1.cost).collect::<Vec<_>>()),
        residual_missing: median(&res.iter().map(|r| r.missing).collect::<Vec<_>>()),
        residual_extra: median(&res.iter().map(|r| r.extra).collect::<Vec<_>>()),
        residual_extra_share: res.iter().filter(|r| r.extra > LONE_PATCH).count() as f32 / res.len().max(1) as f32,
    })
}

/// The glyph's own ink, in the canonical frame, with the upright crop's frame in the image.
#[derive(Clone)]
struct GlyphInk {
    canon: Canon,
    /// The crop's ink darkness (neighbours' ink cleared).
    dark: residual::Darkness,
    /// The same with every ink kept: ink missing from the glyph is ink missing from the image, not
    /// ink a wrong box gave to a neighbour.
    whole: Vec<f32>,
    /// Image position of the crop's (0, 0) and of its unit x and y steps.
    origin: [f32; 2],
    ux: [f32; 2],
    uy: [f32; 2],
}

impl GlyphInk {
    fn size(&self) -> [f32; 2] {
        let b = self.canon.src_box;
        [b[2] - b[0], b[3] - b[1]]
    }

    /// The image box `[x, y, w, h]` around a canonical-frame box `[x0, y0, x1, y1]` (all four
    /// corners: the crop may be turned).
    fn canon_box_to_image(&self, b: [f32; 4]) -> [f32; 4] {
        let (p, q) = (self.canon.to_source([b[0], b[1]]), self.canon.to_source([b[2], b[3]]));
        self.crop_box_to_image([p[0], p[1], q[0], q[1]])
    }

    /// The image box `[x, y, w, h]` around a crop-frame box `[x0, y0, x1, y1]`.
    fn crop_box_to_image(&self, b: [f32; 4]) -> [f32; 4] {
        let corners = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]]].map(|q| self.to_image(q));
        crate::geometry::bbox_of(&corners)
    }

    /// A crop point in image pixels.
    fn to_image(&self, p: [f32; 2]) -> [f32; 2] {
        [self.origin[0] + self.ux[0] * p[0] + self.uy[0] * p[1], self.origin[1] + self.ux[1] * p[0] + self.uy[1] * p[1]]
    }
}

/// Bilinear sample of the image, edge pixels repeated.
fn sample_rgb(img: &RgbImage, x: f32, y: f32) -> image::Rgb<u8> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x, y) = ((x - 0.5).clamp(0.0, (w - 1) as f32), (y - 0.5).clamp(0.0, (h - 1) as f32));
    let (x0, y0) = (x.floor() as i64, y.floor() as i64);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let px = |xx: i64, yy: i64| img.get_pixel(xx as u32, yy as u32).0;
    let (a, b, c, d) = (px(x0, y0), px(x1, y0), px(x0, y1), px(x1, y1));
    let mut out = [0u8; 3];
    for k in 0..3 {
        let top = a[k] as f32 * (1.0 - fx) + b[k] as f32 * fx;
        let bot = c[k] as f32 * (1.0 - fx) + d[k] as f32 * fx;
        out[k] = (top * (1.0 - fy) + bot * fy).round() as u8;
    }
    image::Rgb(out)
}

/// The glyph's ink, cut upright in its reading orientation (its quad: tilted lines, upside-down
/// lines and vertical columns all come out upright), with a margin. Ink in the margin that lies
/// in one of the `beside` boxes (the line-mates' quads) is theirs and is left out, even when it
/// runs into this glyph's (blurred or bold glyphs touching).
fn glyph_ink(img: &RgbImage, quad: &[crate::geometry::Pt; 4], beside: &[[crate::geometry::Pt; 4]]) -> Option<GlyphInk> {
    glyph_ink_with(img, quad, beside, None).map(|g| g.0)
}

/// `glyph_ink`, and with `drop_end` (`(true, n)`: the box's trailing end, `(false, n)`: its
/// leading end) without up to `n` thin pieces standing apart at that end, outermost first: the ink
/// of marks the recogniser did not read, which the glyph's box took in (the «」» of «复」、», the
/// «」。» of «力」。», 5656/220). Also gives the image box `[x, y, w, h]` around the pieces left out.
fn glyph_ink_with(img: &RgbImage, quad: &[crate::geometry::Pt; 4], beside: &[[crate::geometry::Pt; 4]], drop_end: Option<(bool, usize)>) -> Option<(GlyphInk, Option<[f32; 4]>)> {
    let (tl, tr, bl) = (quad[0], quad[1], quad[3]);
    let w = crate::geometry::dist(tl, tr);
    let h = crate::geometry::dist(tl, bl);
    if w < 2.0 || h < 2.0 {
        return None;
    }
    let ux = [(tr[0] - tl[0]) / w, (tr[1] - tl[1]) / w];
    let uy = [(bl[0] - tl[0]) / h, (bl[1] - tl[1]) / h];
    let pad = (w.max(h) * 0.12).max(2.0).round();
    let (cw, ch) = ((w + 2.0 * pad).ceil() as u32, (h + 2.0 * pad).ceil() as u32);
    let origin = [tl[0] - ux[0] * pad - uy[0] * pad, tl[1] - ux[1] * pad - uy[1] * pad];
    let mut ink = GlyphInk { canon: Canon { points: Vec::new(), dt: Vec::new(), src_box: [0.0; 4], scale: 1.0 }, dark: residual::Darkness { w: 0, h: 0, v: Vec::new() }, whole: Vec::new(), origin, ux, uy };
    let crop = RgbImage::from_fn(cw, ch, |x, y| {
        let p = ink.to_image([x as f32 + 0.5, y as f32 + 0.5]);
        sample_rgb(img, p[0], p[1])
    });
    let bin = binarize_plane(&crop);
    let (bw, bh) = (bin.width, bin.height);
    let (comps, labels) = connected_components(&bin.ink, bw, bh);
    // Keep components whose centre lies inside the glyph's own ink box (drops neighbours' edges).
    let (bx0, by0, bx1, by1) = (pad, pad, pad + w, pad + h);
    let mut keep: Vec<bool> = comps.iter().map(|c| c.cx + 0.5 >= bx0 && c.cx + 0.5 <= bx1 && c.cy + 0.5 >= by0 && c.cy + 0.5 <= by1).collect();
    let mut left_out: Vec<crate::geometry::Pt> = Vec::new();
    if let Some((trailing, n)) = drop_end {
        for _ in 0..n {
            let kept: Vec<usize> = (0..comps.len()).filter(|&i| keep[i]).collect();
            let outermost = if trailing { kept.iter().copied().max_by_key(|&i| comps[i].x1) } else { kept.iter().copied().min_by_key(|&i| comps[i].x0) };
            let Some(i) = outermost else { break };
            let c = &comps[i];
            // Outside the rest of the ink, in the outer third of what is still kept.
            let (k0, k1) = (kept.iter().map(|&j| comps[j].x0).min().unwrap_or(0) as f32, kept.iter().map(|&j| comps[j].x1).max().unwrap_or(0) as f32);
            let apart = if trailing {
                kept.iter().filter(|&&j| j != i).all(|&j| comps[j].x1 < c.x0) && c.cx + 0.5 >= k0.max(bx0) + 0.65 * (k1.min(bx1) - k0.max(bx0))
            } else {
                kept.iter().filter(|&&j| j != i).all(|&j| comps[j].x0 > c.x1) && c.cx + 0.5 <= k0.max(bx0) + 0.35 * (k1.min(bx1) - k0.max(bx0))
            };
            // A mark's piece: at most half the box's height wide (a corner bracket «「» is 0.3 to
            // 0.45 of an em across; 1313/238).
            if !(apart && kept.len() >= 2 && ((c.x1 - c.x0) as f32) <= 0.5 * h) {
                break;
            }
            keep[i] = false;
            left_out.extend([[c.x0 as f32, c.y0 as f32], [c.x1 as f32, c.y0 as f32], [c.x1 as f32, c.y1 as f32], [c.x0 as f32, c.y1 as f32]].map(|q| ink.to_image(q)));
        }
    }
    let dropped = (!left_out.is_empty()).then(|| crate::geometry::bbox_of(&left_out));
    // The line-mates' boxes in the crop's frame; a crop pixel outside this glyph's box and inside
    // one of them is the line-mate's.
    let local = |q: crate::geometry::Pt| {
        let d = [q[0] - origin[0], q[1] - origin[1]];
        [d[0] * ux[0] + d[1] * ux[1], d[0] * uy[0] + d[1] * uy[1]]
    };
    let others: Vec<[f32; 4]> = beside.iter().map(|b| crate::geometry::bbox_of(&b.map(local))).map(|b| [b[0], b[1], b[0] + b[2], b[1] + b[3]]).collect();
    let beyond = |x: usize, y: usize| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        let own = px >= bx0 && px <= bx1 && py >= by0 && py <= by1;
        !own && others.iter().any(|o| px >= o[0] && px <= o[2] && py >= o[1] && py <= o[3])
    };
    // The whole crop's darkness, once.
    let whole = darkness(&crop, &bin)?;
    // Where a line-mate's box overlaps this glyph's, ink running on from the line-mate's side into
    // the overlap and fading there is the line-mate's too: the boxes share its edge (中's right
    // stroke in the pixel column 心's box starts on, «中心» at 14 px, 6868/071).
    let mut shared = vec![false; bw * bh];
    let ink_at = |x: usize, y: usize| labels[y * bw + x] > 0;
    for o in &others {
        // Runs along x from a mate at the left or right, along y from one above or below, where
        // the boxes overlap by half a pixel to a quarter of this glyph's box (boxes that only meet
        // share no pixel; a box run far into another is not sharing an edge), and the mate's box
        // is at most a glyph long along the run, a third to spare (a longer box may end in blank
        // or in this glyph's ink: a 37 px box over «滚» and the gap before 动's stroke, in a UI
        // screenshot).
        let (qw, qh) = (0.25 * (bx1 - bx0), 0.25 * (by1 - by0));
        let (ow, oh) = (o[2] - o[0], o[3] - o[1]);
        let shares = |d: f32, most: f32| (0.5..=most).contains(&d);
        // (along x, forward: from the mate at the lower coordinate, the boxes share an edge)
        let runs = [
            (true, true, o[0] < bx0 && shares(o[2] - bx0, qw) && ow <= 1.3 * oh),
            (true, false, o[2] > bx1 && shares(bx1 - o[0], qw) && ow <= 1.3 * oh),
            (false, true, o[1] < by0 && shares(o[3] - by0, qh) && oh <= 1.3 * ow),
            (false, false, o[3] > by1 && shares(by1 - o[1], qh) && oh <= 1.3 * ow),
        ];
        for (along_x, forward, _) in runs.into_iter().filter(|r| r.2) {
            let (n_lanes, lane_len) = if along_x { (bh, bw) } else { (bw, bh) };
            // Per lane across the boxes' shared edge, from ink outside this glyph's box on the
            // mate's side, the ink inside the mate's box (a pixel's spread past it: the crop is
            // resampled from a blurred image), and whether the ink ends there.
            let spread = 1.0;
            let lanes: Vec<(Vec<usize>, bool)> = (0..n_lanes)
                .filter_map(|lane| {
                    let at = |t: usize| if along_x { (t, lane) } else { (lane, t) };
                    let steps: Vec<usize> = if forward { (0..lane_len).collect() } else { (0..lane_len).rev().collect() };
                    let mut run: Vec<usize> = Vec::new();
                    let mut from_mate = false;
                    let mut last = 0.0f32;
                    for t in steps {
                        let (x, y) = at(t);
                        let i = y * bw + x;
                        if beyond(x, y) {
                            from_mate = ink_at(x, y);
                            last = whole.v[i];
                            run.clear();
                            continue;
                        }
                        if !from_mate {
                            continue;
                        }
                        // The mate's stroke fades away from it; ink growing darker again is
                        // this glyph's (two strokes blurred into one run, 翻印 at 15 px, 4848/072).
                        let ends = !ink_at(x, y) || whole.v[i] > last + FADE_NOISE;
                        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                        let in_mate = px >= o[0] - spread && px <= o[2] + spread && py >= o[1] - spread && py <= o[3] + spread;
                        if ends || !in_mate {
                            return (!run.is_empty()).then_some((run, ends));
                        }
                        // A first pixel not clearly lighter than the mate's ink before it: a
                        // stroke saturated across the edge, not fading there; the lane counts
                        // against. (One growing darker ended the lane above, uncounted.)
                        if run.is_empty() && whole.v[i] > last - FADE_START {
                            return Some((Vec::new(), false));
                        }
                        run.push(i);
                        last = whole.v[i];
                    }
                    None
                })
                .collect();
            // The mate's edge when its ink ends there in half the counted lanes or more: ink
            // mostly running on past the mate's box is this glyph's stroke touching the mate's, or
            // boxes off their glyphs («新标签页» in a small UI tab, binarised as one block).
            if 2 * lanes.iter().filter(|l| l.1).count() >= lanes.len() {
                for &i in lanes.iter().flat_map(|l| &l.0) {
                    shared[i] = true;
                }
            }
        }
    }
    let theirs = |x: usize, y: usize| beyond(x, y) || shared[y * bw + x];
    ink.canon = canonicalize(bw, bh, |x, y| {
        let l = labels[y * bw + x];
        l > 0 && keep[l as usize - 1] && !theirs(x, y)
    })?;
    // The glyph's own darkness is the whole crop's with its neighbours' ink cleared.
    let mut dark = whole.clone();
    clear_around(&mut dark, |x, y| {
        let l = labels[y * bw + x];
        l > 0 && !keep[l as usize - 1]
    });
    for y in 0..bh {
        for x in 0..bw {
            if theirs(x, y) {
                dark.v[y * bw + x] = 0.0;
            }
        }
    }
    ink.dark = dark;
    ink.whole = whole.v;
    Some((ink, dropped))
}

/// How much darker than the pixel before it a pixel of a stroke's fading edge may be (grey-level
/// noise and compression) before the ink is taken to grow darker again, towards another stroke.
const FADE_NOISE: f32 = 0.03;

/// How much lighter than the mate's ink outside a glyph's box the first pixel of a shared edge
/// must be for the mate's stroke to be fading there (a stroke saturated across the edge, 品's
/// right stroke at 11 px in a 。's box, 5656/220, is not).
const FADE_START: f32 = 0.1;

/// Whether a line is horizontal and level (turned 3° at most), where a glyph's box runs along x
/// and image columns stand across the line.
fn level_horizontal(line: &crate::ocr::Line) -> bool {
    line.orientation == crate::ocr::Orientation::Horizontal && line.angle.abs() <= 3.0
}

/// A second box a mark's ink is looked for in: on a horizontal line, its own ink box widened along
/// the line by up to half the line's height each way, short of its neighbours' ink boxes (`None`
/// off such a line). A recogniser's box may hold one half of a mark (one comma of “): compared
/// alone, that half is ‘.
fn mark_cell(page: &Page, r: GlyphRef) -> Option<[crate::geometry::Pt; 4]> {
    let line = &page.lines[r.line];
    let g = &line.chars[r.index];
    if !level_horizontal(line) {
        return None;
    }
    let [x, y, w, h] = g.bbox;
    let reach = 0.5 * line.chars.iter().map(|c| c.bbox[3]).fold(h, f32::max);
    let ink = |i: Option<usize>| i.and_then(|i| line.chars.get(i)).filter(|c| c.ink_found);
    let x0 = ink(r.index.checked_sub(1)).map_or(x - reach, |p| (p.bbox[0] + p.bbox[2] + 0.5).max(x - reach)).min(x);
    let x1 = ink(Some(r.index + 1)).map_or(x + w + reach, |n| (n.bbox[0] - 0.5).min(x + w + reach)).max(x + w);
    Some([[x0, y], [x1, y], [x1, y + h], [x0, y + h]])
}

/// Glyph `r`'s quad, when it is too long for one glyph on a level horizontal line, short of a
/// glyph of another line whose box overlaps one end of it (a detector's boxes of two lines can overlap: the «安» it boxed apart
/// from «科学用药» starts inside 药, and its glyph box took 药's right half).
fn clear_of_other_lines(page: &Page, r: GlyphRef) -> [crate::geometry::Pt; 4] {
    let line = &page.lines[r.line];
    let g = &line.chars[r.index];
    if !level_horizontal(line) {
        return g.quad;
    }
    let [x, y, w, h] = g.bbox;
    // Only a box too long for one glyph is wrong; the glyph it reaches into keeps its own.
    if w <= 1.3 * h {
        return g.quad;
    }
    let (mut x0, mut x1) = (x, x + w);
    for (li, l) in page.lines.iter().enumerate() {
        for o in l.chars.iter().filter(|o| li != r.line && o.ink_found) {
            let [ox, oy, ow, oh] = o.bbox;
            let shared = (oy + oh).min(y + h) - oy.max(y);
            if shared < 0.5 * oh.min(h) {
                continue;
            }
            if ox <= x0 && ox + ow > x0 && ox + ow < x1 {
                x0 = ox + ow;
            } else if ox > x0 && ox < x1 && ox + ow >= x1 {
                x1 = ox;
            }
        }
    }
    if x1 - x0 < 0.3 * w || (x0 == x && x1 == x + w) {
        return g.quad;
    }
    let (f0, f1) = ((x0 - x) / w.max(1.0), (x1 - x) / w.max(1.0));
    crate::geometry::quad_span(g.quad, f0, f1)
}

/// The quads of the glyphs on either side of glyph `r` on its line whose ink was found.
fn line_mates(page: &Page, r: GlyphRef) -> Vec<[crate::geometry::Pt; 4]> {
    mates_of_span(page, r.line, r.index, r.index)
}

/// The quads of the glyphs just before `lo` and just after `hi` on line `li` whose ink was found.
fn mates_of_span(page: &Page, li: usize, lo: usize, hi: usize) -> Vec<[crate::geometry::Pt; 4]> {
    let chars = &page.lines[li].chars;
    [lo.checked_sub(1), Some(hi + 1)].into_iter().flatten().filter_map(|i| chars.get(i)).filter(|g| g.ink_found).map(|g| g.quad).collect()
}

/// Ink darkness of a binarised crop: 0 at the background's median level, 1 at the level of the
/// darkest tenth of the ink (the lightest, for light ink), in the projection the binarisation used.
fn darkness(crop: &RgbImage, bin: &crate::raster::Binarized) -> Option<residual::Darkness> {
    let (w, h) = (bin.width, bin.height);
    let vals: Vec<f32> = crop.pixels().map(|p| crate::raster::binarize::project(&p.0, bin.projection) as f32).collect();
    let sign = if bin.light_on_dark { 1.0 } else { -1.0 };
    let mut bg: Vec<f32> = vals.iter().zip(&bin.ink).filter(|p| !*p.1).map(|p| *p.0).collect();
    let mut fg: Vec<f32> = vals.iter().zip(&bin.ink).filter(|p| *p.1).map(|p| sign * *p.0).collect();
    if bg.is_empty() || fg.is_empty() {
        return None;
    }
    bg.sort_by(f32::total_cmp);
    fg.sort_by(f32::total_cmp);
    let bg = bg[bg.len() / 2];
    let fg = sign * fg[fg.len() * 9 / 10];
    if (fg - bg).abs() < 8.0 {
        return None;
    }
    let v: Vec<f32> = vals.iter().map(|&x| ((x - bg) / (fg - bg)).clamp(0.0, 1.0)).collect();
    Some(residual::Darkness { w, h, v })
}

/// Clears the darkness within two pixels of every pixel of a dropped component (`dropped`: a
/// neighbour's ink).
fn clear_around(d: &mut residual::Darkness, dropped: impl Fn(usize, usize) -> bool) {
    let (w, h) = (d.w, d.h);
    for y in 0..h {
        for x in 0..w {
            if dropped(x, y) {
                for yy in y.saturating_sub(2)..(y + 3).min(h) {
                    for xx in x.saturating_sub(2)..(x + 3).min(w) {
                        d.v[yy * w + xx] = 0.0;
                    }
                }
            }
        }
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
    Fit { missing: miss as f32 / nr, extra: ext as f32 / ng, cost: cr / nr + cg / ng, strokes: None }
}

/// Best placement of one reference (coarse search over scale and offset).
fn best_fit(g: &Canon, r: &Canon) -> (Fit, Place) {
    let mut best: Option<(Fit, Place)> = None;
    for s in [0.92f32, 1.0, 1.08] {
        for dy in [-2.0f32, 0.0, 2.0] {
            for dx in [-2.0f32, 0.0, 2.0] {
                let pl = Place::uniform(s, dx, dy);
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
    let mut order: Vec<(f32, usize)> = refs.iter().enumerate().map(|(i, r)| (evaluate(g, &r.canon, Place::IDENTITY).cost, i)).collect();
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
    use rayon::prelude::*;
    // Per glyph: where it stands, its intended character, what was read instead, and the side of
    // unread intended marks beside it, with how many.
    let unread_mark = |b: &crate::align::BlockMatch, k: usize| matches!(b.matches.get(k), Some(CharMatch::Missing { .. })) && b.chars[k].chars().next().is_some_and(crate::clreq::is_punct);
    // How many unread marks run on from the glyph at that side.
    let unread_marks_at = |b: &crate::align::BlockMatch, i: usize, after: bool| {
        if after { (i + 1..b.chars.len()).take_while(|&k| unread_mark(b, k)).count() } else { (0..i).rev().take_while(|&k| unread_mark(b, k)).count() }
    };
    let jobs: Vec<(GlyphRef, &String, Option<String>, Option<(bool, usize)>)> = alignment
        .blocks
        .iter()
        .flat_map(|b| {
            b.matches.iter().zip(&b.chars).enumerate().filter_map(move |(i, (m, want))| {
                let side = [true, false].into_iter().map(|after| (after, unread_marks_at(b, i, after))).find(|&(_, n)| n > 0);
                match m {
                    CharMatch::Matched { glyph } => Some((*glyph, want, None, side)),
                    CharMatch::Substituted { glyph, read } => Some((*glyph, want, Some(read.clone()), side)),
                    CharMatch::Missing { .. } => None,
                }
            })
        })
        .collect();
    let debug = std::env::var_os("CJKCHECK_DEBUG_STROKES");
    let shared = ran_together(img, page, alignment);
    // Glyphs read where no intended character stands.
    let inserted: Vec<GlyphRef> = alignment.blocks.iter().flat_map(|b| b.inserted.iter().copied()).chain(alignment.unexplained.iter().copied()).collect();
    // Glyphs are independent: compared in parallel, collected in reading order.
    let first: Vec<(GlyphCheck, GlyphInk, Place)> = jobs
        .par_iter()
        .filter_map(|(r, want, read, side)| {
            let split = shared.iter().find(|s| s.0 == *r).map(|s| (s.1, s.2));
            verify_one(img, page, refs, *r, want, read.clone(), split, *side, &inserted, debug.as_deref())
        })
        .collect();
    // Then each against its line's face, at the line's scale when its own ink box misleads.
    let faces = line_faces(first.iter().map(|f| &f.0), page.lines.len());
    // Per line in its face, the median over its glyphs of `f` (glyph, its ink and placement, the
    // reference in the line's face), from at least `min` glyphs.
    let per_line = |min: usize, f: &dyn Fn(&(GlyphCheck, GlyphInk, Place), &Canon) -> f32| -> Vec<Option<f32>> {
        faces
            .iter()
            .enumerate()
            .map(|(li, face)| {
                let face = face.as_deref()?;
                let v: Vec<f32> = first
                    .iter()
                    .filter(|g| g.0.glyph.line == li && g.0.best_face == face)
                    .filter_map(|g| Some(f(g, &refs.canon(g.0.intended.chars().next()?).iter().find(|r| r.face == face)?.canon)))
                    .collect();
                (v.len() >= min).then(|| median(&v))
            })
            .collect()
    };
    let line_scale = per_line(1, &|g, r| crop_affine(&g.1, r, g.2).scale());
    // The line's aspect: how much wider for its height its glyphs' ink is than the face's (a face
    // drawn condensed or expanded).
    let aspect = |b: [f32; 4]| (b[2] - b[0]).max(1.0) / (b[3] - b[1]).max(1.0);
    let line_aspect = per_line(3, &|g, r| aspect(g.1.canon.src_box) / aspect(r.src_box));
    // Proportions: each glyph's width for its height (sub-pixel), and per line the faces whose
    // proportions its glyphs keep best, with how much each is widened (`line_proportions`).
    let outline_aspect = |ch: &str, face: &str| refs.path(ch.chars().next()?, face).and_then(|p| proportion::outline_aspect(&p));
    let glyph_aspect: Vec<Option<f32>> = first.iter().map(|g| proportion::ink_aspect(&g.1.dark)).collect();
    let line_proportions = line_proportions(&first, &glyph_aspect, page.lines.len(), &refs.face_files(), &outline_aspect);
    // Per line, its surely read glyphs' ink, for the face its grey levels tell (`grey_line_face`):
    // worked out only for a line one of whose glyphs needs it, once.
    let sure_inks = sure_glyph_inks(page, &first);
    let grey_faces: Vec<std::sync::OnceLock<Option<String>>> = (0..page.lines.len()).map(|_| std::sync::OnceLock::new()).collect();
    let grey_face = |li: usize| cached_grey_face(&grey_faces, &sure_inks, refs, li);
    // Each check with its residual in the faces its outline and its line's chose, before any refit
    // in the line's grey-level face: what its line-mates are judged against (`Peers`). A face
    // that fits better clears the small patches of a line's glyphs unevenly, and line-mates left
    // clean by it would no longer say how well the line's face explains it (a real-world line
    // at 16 px whose glyphs leave 2–8 % patches, 6 called garbled so).
    let (mut out, base): (Vec<GlyphCheck>, Vec<Option<residual::Residual>>) = first
        .into_par_iter()
        .zip(glyph_aspect)
        .map(|((mut c, ink, own_place), glyph_aspect)| {
            let li = c.glyph.line;
            // The line's face and the glyph's own best one: the rendering that leaves less overall
            // is the face the glyph is set in (a pseudo-character still matches its own face
            // everywhere but at the changed strokes). Where it leaves patches, that face and its
            // other weights are refitted over small warps, then the other faces, and the one
            // leaving least is measured.
            let mut cands: Vec<&str> = faces[li].as_deref().into_iter().collect();
            if !cands.contains(&c.best_face.as_str()) {
                cands.push(&c.best_face);
            }
            let line = (line_scale[li], line_aspect[li]);
            let own = Some((own_place, c.best_face.as_str()));
            let mut shown_intended: Option<Vec<f32>> = None;
            let mut upright_patch = 0.0f32;
            if let Some(((res, strokes, shown), upright)) = measure_residual_upright(&ink, refs, &c.intended, &cands, own, line) {
                c.residual = Some(res);
                c.residual_strokes = strokes;
                shown_intended = Some(shown);
                upright_patch = upright;
            }
            let base = c.residual;
            // A glyph that leaves a patch may be turned: its best face tried turned, at the line's
            // size. The warps that refine the fit turn it a little too (up to about 7°), so a small
            // glyph turned 9° can leave no patch once warped (2323/81: 喝 at 22 px): from
            // TURN_UPRIGHT_MIN_EM_PX up, the patch its upright fit left counts as well.
            let patchy = c.residual.is_some_and(|r| r.missing.max(r.extra) > TURN_FROM);
            let warped_away = upright_patch > TURN_FROM && c.residual.is_some_and(|r| r.em_px >= TURN_UPRIGHT_MIN_EM_PX);
            if patchy || warped_away || c.fit.cost > TURN_FROM_COST {
                c.turn = glyph_turn(&ink, refs, &c.intended, &c.best_face, own_place, line.0);
            }
            // A glyph that leaves a patch is tried in the face the line's surely read glyphs fit
            // best in grey levels too, and measured so where that leaves less (`leaves_less`):
            // small serif text can fit a sans best in binarised outline (a serif 高 under blur left
            // a 4 % patch in another face: 4646/244). Less overall darkness left with a bigger
            // patch is no better explanation of the ink (a real-world 学 left 10 % extra so).
            let mut greyed = false;
            if patchy && add_face(&mut cands, grey_face(li)) {
                greyed = true;
                let refit = measure_residual(&ink, refs, &c.intended, &cands, own, line);
                keep_if_less(&mut c.residual, &mut c.residual_strokes, &mut shown_intended, refit);
            }
            let contrast_of = |shown: &[f32], intended: &Option<Vec<f32>>| intended.as_deref().and_then(|si| residual::contrast(&ink.dark.v, si, shown));
            // A glyph read as intended whose next likeliest reading is another Han character
            // the recogniser gives a fair chance: its residual against that one too.
            if c.read_fit.is_none() && c.residual.is_some() {
                let g = &page.lines[li].chars[c.glyph.index];
                let alt = g.alternatives.iter().filter(|a| a.char != c.intended && a.char.chars().next().is_some_and(crate::clreq::is_han)).max_by(|a, b| a.score.total_cmp(&b.score));
                if let Some(a) = alt.filter(|a| a.score >= ALTERNATIVE_FLOOR) {
                    if let Some((res, strokes, shown)) = measure_residual(&ink, refs, &a.char, &cands, None, line) {
                        c.alternative = Some(AlternativeCheck { char: a.char.clone(), score: a.score, residual: res, residual_strokes: strokes, aspect_gain: None, lookalike: false, contrast: contrast_of(&shown, &shown_intended) });
                    }
                }
            }
            // A glyph read as intended whose proportions another Han reading the recogniser
            // considered explains clearly better (曰 drawn for 日: wider for its height): its
            // residual against that one, with the gain.
            if c.read_fit.is_none() && c.residual.is_some() {
                if let Some(a) = glyph_aspect.filter(|_| !line_proportions[li].is_empty()) {
                    let g = &page.lines[li].chars[c.glyph.index];
                    // A reading's gain: the most over the line's candidate faces in which the
                    // glyph is proportioned like it (一 in a box holding part of a neighbour is
                    // nearer 二's proportions than 一's, but not 二's).
                    let gain_of = |k: &str| {
                        line_proportions[li]
                            .iter()
                            .filter_map(|&(face, widen)| {
                                let (a_c, a_k) = (outline_aspect(&c.intended, face)?, outline_aspect(k, face)?);
                                (proportion::aspect_off(a, widen, a_k) <= PROPORTION_MATCH && proportion::aspect_off(a, widen, a_c) <= PROPORTION_FAR).then_some(proportion::aspect_gain(a, widen, a_c, a_k))
                            })
                            .max_by(f32::total_cmp)
                    };
                    let mut cands_by_gain: Vec<(f32, &crate::ocr::Alternative)> = g
                        .alternatives
                        .iter()
                        .filter(|x| x.char != c.intended && x.score >= PROPORTION_FLOOR && x.char.chars().next().is_some_and(crate::clreq::is_han))
                        .filter_map(|x| Some((gain_of(&x.char)?, x)))
                        .filter(|p| p.0 >= ASPECT_FROM)
                        .collect();
                    cands_by_gain.sort_by(|p, q| q.0.total_cmp(&p.0));
                    // Of the two that gain most, the one leaving the smaller patch, then the
                    // smaller residual (口 is wider still than 曰, but lacks its middle stroke: drawn
                    // for 曰 it leaves that stroke as extra ink, though its residual can be less).
                    let mut best: Option<AlternativeCheck> = None;
                    for (gain, x) in cands_by_gain.into_iter().take(2) {
                        let check = match c.alternative.as_ref().filter(|alt| alt.char == x.char) {
                            Some(alt) => Some(AlternativeCheck { aspect_gain: Some(gain), ..alt.clone() }),
                            None => measure_residual(&ink, refs, &x.char, &cands, None, line)
                                .map(|(res, strokes, shown)| AlternativeCheck { char: x.char.clone(), score: x.score, residual: res, residual_strokes: strokes, aspect_gain: Some(gain), lookalike: false, contrast: contrast_of(&shown, &shown_intended) }),
                        };
                        if let Some(k) = check.filter(|k| best.as_ref().is_none_or(|b| leaves_less(&k.residual, &b.residual))) {
                            best = Some(k);
                        }
                    }
                    // It takes the place of the likeliest reading unless that one fits better.
                    if let Some(k) = best.filter(|k| c.alternative.as_ref().is_none_or(|alt| alt.char == k.char || k.residual.rms < alt.residual.rms)) {
                        c.alternative = Some(k);
                    }
                }
            }
            // A glyph read as intended whose character has known look-alikes (日 and 曰, 己 and
            // 已) or a form in the other script (户 and 戶: the recogniser reads either as the
            // one it was asked for): its residual against each, whatever chance the recogniser
            // gave them (at 16 px it reads a 曰 as 日 and gives 曰 none). The one leaving least
            // takes the place of the alternative unless that one fits better.
            if let (None, Some(own)) = (c.read_fit, c.residual) {
                let g = &page.lines[li].chars[c.glyph.index];
                let mut best: Option<AlternativeCheck> = None;
                let wc = c.intended.chars().next();
                let others: Vec<char> = wc.map(crate::lookalikes::of).unwrap_or(&[]).iter().copied().chain(wc.map(crate::variants::other_script_forms).unwrap_or_default()).collect();
                for k in others.iter().map(char::to_string) {
                    if let Some(alt) = c.alternative.as_mut().filter(|alt| alt.char == k) {
                        alt.lookalike = true;
                        continue;
                    }
                    // A cheap look first: the look-alike drawn unwarped in the candidate faces.
                    // Leaving clearly more than the intended character does, it is not the ink,
                    // and the full search (warps, weights, other faces) is skipped.
                    let quick = cands.iter().filter_map(|&f| glyph_residual(&ink, refs, &k, f, None, line, false)).map(|r| r.0.rms).min_by(f32::total_cmp);
                    if quick.is_some_and(|q| q > LOOKALIKE_SCREEN * own.rms) {
                        continue;
                    }
                    let score = g.alternative_score(&k);
                    if let Some((res, strokes, shown)) = measure_residual(&ink, refs, &k, &cands, None, line) {
                        let check = AlternativeCheck { char: k, score, residual: res, residual_strokes: strokes, aspect_gain: None, lookalike: true, contrast: contrast_of(&shown, &shown_intended) };
                        if best.as_ref().is_none_or(|b| leaves_less(&check.residual, &b.residual)) {
                            best = Some(check);
                        }
                    }
                }
                if let Some(k) = best.filter(|k| c.alternative.as_ref().is_none_or(|alt| k.residual.rms < alt.residual.rms)) {
                    c.alternative = Some(k);
                }
            }
            // Another reading that leaves less than the intended character: both measured again
            // with the line's grey-level face among the candidates (a serif 士 fitted in a sans
            // leaves its strokes' lengths, all that tells it from 土, undecided: 4646/213).
            if c.alternative.as_ref().zip(c.residual).is_some_and(|(a, r)| a.residual.rms < r.rms) && !greyed && add_face(&mut cands, grey_face(li)) {
                let refit = measure_residual(&ink, refs, &c.intended, &cands, own, line);
                keep_if_less(&mut c.residual, &mut c.residual_strokes, &mut shown_intended, refit);
                if let Some(alt) = c.alternative.as_mut() {
                    if let Some((res, strokes, shown)) = measure_residual(&ink, refs, &alt.char, &cands, None, line) {
                        alt.residual = res;
                        alt.residual_strokes = strokes;
                        alt.contrast = contrast_of(&shown, &shown_intended);
                    }
                }
            }
            // A glyph read as another character: its residual against that one too (a real other
            // character leaves none; a pseudo-character leaves a patch against both).
            if c.read_fit.is_some() {
                let read = &page.lines[li].chars[c.glyph.index].char;
                if read.chars().next().is_some_and(crate::clreq::is_han) {
                    if let Some((res, strokes, _)) = measure_residual(&ink, refs, read, &cands, None, line) {
                        c.read_residual = Some(res);
                        c.read_residual_strokes = strokes;
                    }
                }
            }
            (c, base)
        })
        .unzip();
    add_peers_by(&mut out, &base);
    out
}


/// Whether residual `a` explains a glyph no worse than `b`: no smaller rms, and no bigger largest
/// patch than `b`'s by more than `PATCH_TIE` of the character's ink.
pub fn explains_no_worse(a: &residual::Residual, b: &residual::Residual) -> bool {
    a.rms <= b.rms && !leaves_bigger_patch(a, b)
}

/// Whether residual `a` leaves a bigger largest patch (missing or extra) than `b` by more than
/// `PATCH_TIE` of the character's ink.
pub fn leaves_bigger_patch(a: &residual::Residual, b: &residual::Residual) -> bool {
    a.missing.max(a.extra) > b.missing.max(b.extra) + PATCH_TIE
}

/// Whether residual `a` explains a glyph better than `b`: a smaller largest patch (missing or extra)
/// by more than `PATCH_TIE` of the character's ink, else the smaller rms.
fn leaves_less(a: &residual::Residual, b: &residual::Residual) -> bool {
    let (pa, pb) = (a.missing.max(a.extra), b.missing.max(b.extra));
    if (pa - pb).abs() > PATCH_TIE {
        pa < pb
    } else {
        a.rms < b.rms
    }
}

/// Patches differing by less than this share of a character's ink do not tell two readings apart.
const PATCH_TIE: f32 = 0.005;

/// A known look-alike whose unwarped rendering leaves over this many times the intended character's
/// residual is not measured further (the look-alike limit is about half the intended's residual).
const LOOKALIKE_SCREEN: f32 = 1.2;

/// Han glyphs of a line (those nearest its first opening quote) whose grey levels decide how wide
/// the line's face sets the quote.
const QUOTE_FACE_GLYPHS: usize = 4;
/// Recogniser confidence from which a Han glyph's reading is taken as its character for that.
const QUOTE_FACE_CONFIDENCE: f32 = 0.9;
/// How much less the faces of one quote width must leave, summed over those glyphs, than the best
/// face of the other width for the line's quote width to be told. At 20 px a blurred kai regular
/// fits a bold sans best in binarised outline (4343/55); its grey levels still tell the two apart.
const QUOTE_FACE_MARGIN: f32 = 0.85;
/// An opening quote whose advance is at least this many ems is set full-width.
pub const FULL_WIDTH_QUOTE: f32 = 0.9;

/// How a line's face sets its quotes, told by grey levels (`quote_faces`).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteFace {
    /// The advance of «“», em.
    pub advance_em: f32,
    /// The bundled face (font file) of that quote width whose glyphs leave least: where it inks
    /// the quote in its em.
    pub face: String,
}

/// Per OCR line holding an opening quote «“‘», how the face its Han glyphs are drawn in sets the
/// quote, told by grey levels: each of up to `QUOTE_FACE_GLYPHS` of the line's surely read Han
/// glyphs nearest the quote is fitted in every bundled face, and the faces that set the quote a
/// full em must leave clearly less residual than those that set it narrow (Noto Sans and Serif SC:
/// 1 em; LXGW WenKai, Smiley Sans: 0.35), or the other way round. None where that is not clear.
pub fn quote_faces(img: &RgbImage, page: &Page, refs: &References) -> Vec<Option<QuoteFace>> {
    use rayon::prelude::*;
    let faces: Vec<(&str, f32)> = refs.fonts().faces.iter().filter_map(|f| Some((f.file.as_str(), refs.face_advance('“', &f.file)?))).collect();
    page.lines
        .par_iter()
        .enumerate()
        .map(|(li, l)| {
            let q = l.chars.iter().position(|g| g.char.starts_with(['“', '‘']))?;
            let mut han: Vec<usize> = (0..l.chars.len())
                .filter(|&k| {
                    let g = &l.chars[k];
                    g.ink_found && g.confidence >= QUOTE_FACE_CONFIDENCE && g.char.chars().count() == 1 && g.char.chars().next().is_some_and(crate::clreq::is_han)
                })
                .collect();
            han.sort_by_key(|&k| (k as i64 - q as i64).abs());
            han.truncate(QUOTE_FACE_GLYPHS);
            let mut total = vec![0f32; faces.len()];
            let mut counted = 0;
            for &k in &han {
                let r = GlyphRef { line: li, index: k };
                let Some(ink) = glyph_ink(img, &l.chars[k].quad, &line_mates(page, r)) else { continue };
                let rms: Vec<Option<f32>> = faces.iter().map(|(f, _)| glyph_residual(&ink, refs, &l.chars[k].char, f, None, (None, None), false).map(|x| x.0.rms)).collect();
                if rms.iter().any(Option::is_none) {
                    continue;
                }
                for (t, x) in total.iter_mut().zip(&rms) {
                    *t += x.unwrap();
                }
                counted += 1;
            }
            if counted < 2 {
                return None;
            }
            let best = |full: bool| faces.iter().zip(&total).filter(|((_, a), _)| (*a >= FULL_WIDTH_QUOTE) == full).map(|(&(f, a), &t)| (t, a, f)).min_by(|x, y| x.0.total_cmp(&y.0));
            let told = |(_, advance_em, face): (f32, f32, &str)| Some(QuoteFace { advance_em, face: face.to_string() });
            match (best(true), best(false)) {
                (Some(f), Some(n)) if f.0 < QUOTE_FACE_MARGIN * n.0 => told(f),
                (Some(f), Some(n)) if n.0 < QUOTE_FACE_MARGIN * f.0 => told(n),
                _ => None,
            }
        })
        .collect()
}

/// Per OCR line, the ink of up to `GREY_FACE_GLYPHS` of its surely read Han glyphs (recogniser
/// confidence at least `QUOTE_FACE_CONFIDENCE`, read as intended), with their character.
fn sure_glyph_inks(page: &Page, first: &[(GlyphCheck, GlyphInk, Place)]) -> Vec<Vec<(GlyphInk, String)>> {
    let mut out: Vec<Vec<(GlyphInk, String)>> = vec![Vec::new(); page.lines.len()];
    for (c, ink, _) in first {
        let Some(pg) = page.lines.get(c.glyph.line).and_then(|l| l.chars.get(c.glyph.index)) else { continue };
        let han = c.intended.chars().count() == 1 && c.intended.chars().next().is_some_and(crate::clreq::is_han);
        if han && pg.char == c.intended && pg.confidence >= QUOTE_FACE_CONFIDENCE && out[c.glyph.line].len() < GREY_FACE_GLYPHS {
            out[c.glyph.line].push((ink.clone(), c.intended.clone()));
        }
    }
    out
}

/// Takes `measured` (a residual against the intended character, its lacking strokes and its
/// rendering, as `measure_residual` gives them) in place of a check's where it leaves less
/// (`leaves_less`).
fn keep_if_less(residual: &mut Option<residual::Residual>, strokes: &mut Vec<usize>, shown: &mut Option<Vec<f32>>, measured: Option<(residual::Residual, Vec<usize>, Vec<f32>)>) {
    if let Some((res, st, fitted)) = measured.filter(|m| residual.is_none_or(|r| leaves_less(&m.0, &r))) {
        *residual = Some(res);
        *strokes = st;
        *shown = Some(fitted);
    }
}

/// Adds `face` to `cands` unless absent or already there; whether it did.
fn add_face<'a>(cands: &mut Vec<&'a str>, face: Option<&'a str>) -> bool {
    match face.filter(|f| !cands.contains(f)) {
        Some(f) => {
            cands.push(f);
            true
        }
        None => false,
    }
}

/// Line `li`'s grey-level face (`grey_line_face`), worked out on first asking.
fn cached_grey_face<'a>(cache: &'a [std::sync::OnceLock<Option<String>>], sure: &[Vec<(GlyphInk, String)>], refs: &References, li: usize) -> Option<&'a str> {
    cache.get(li)?.get_or_init(|| grey_line_face(refs, sure.get(li).map_or(&[][..], |v| &v[..]))).as_deref()
}

/// Surely read glyphs a line's grey-level face is told by.
const GREY_FACE_GLYPHS: usize = 3;

/// The bundled face a line's glyphs are drawn in as their grey levels tell (`sure`: see
/// `sure_glyph_inks`): each glyph fitted unwarped in the first face of every style, and the face
/// leaving the least residual summed over them. It tells style, not weight (Noto Sans Regular and
/// Bold leave about the same); `measure_residual` tries the style's other weights where a glyph
/// leaves a patch. None for fewer than two glyphs.
fn grey_line_face(refs: &References, sure: &[(GlyphInk, String)]) -> Option<String> {
    let mut styles: Vec<&str> = Vec::new();
    let faces: Vec<&str> = refs
        .fonts()
        .faces
        .iter()
        .filter(|f| {
            let new = !styles.contains(&f.style.as_str());
            styles.push(&f.style);
            new
        })
        .map(|f| f.file.as_str())
        .collect();
    let mut total = vec![0f32; faces.len()];
    let mut counted = 0;
    for (ink, ch) in sure {
        let rms: Option<Vec<f32>> = faces.iter().map(|f| glyph_residual(ink, refs, ch, f, None, (None, None), false).map(|x| x.0.rms)).collect();
        let Some(rms) = rms else { continue };
        for (t, x) in total.iter_mut().zip(&rms) {
            *t += x;
        }
        counted += 1;
    }
    (counted >= 2).then(|| faces.iter().zip(&total).min_by(|a, b| a.1.total_cmp(b.1)).map(|(f, _)| f.to_string())).flatten()
}

/// Largest patch (share of the character's ink) of a residual that leaves no patch to speak of:
/// the ink is its character in grey levels, whatever its binarised outline says. Fixed below every
/// patch a garbled glyph left on the fit set (the least, 0.14).
pub const NO_PATCH: f32 = 0.03;

/// The grey-level residual of the glyph's ink against character `want`, in the face that leaves
/// least of the candidate faces `cands` (`own`: the canonical placement found for one face). Where
/// that leaves patches, the face and its other weights are refitted over small warps, then every
/// other face gets its chance (small serif text can fit a bold sans best in outline and still be
/// serif in its grey levels), and the one leaving least is measured.
/// Gives the residual, the numbers of the expected strokes the ink lacks, and the rendering as
/// fitted (crop pixels, darkness).
fn measure_residual(ink: &GlyphInk, refs: &References, want: &str, cands: &[&str], own: Option<(Place, &str)>, line: (Option<f32>, Option<f32>)) -> Option<(residual::Residual, Vec<usize>, Vec<f32>)> {
    measure_residual_upright(ink, refs, want, cands, own, line).map(|(r, _)| r)
}

/// `measure_residual`, with the largest patch the best upright fit left before any warp.
fn measure_residual_upright(ink: &GlyphInk, refs: &References, want: &str, cands: &[&str], own: Option<(Place, &str)>, line: (Option<f32>, Option<f32>)) -> Option<((residual::Residual, Vec<usize>, Vec<f32>), f32)> {
    let fit = |f: &str, warp: bool| glyph_residual(ink, refs, want, f, own.filter(|o| o.1 == f).map(|o| o.0), line, warp);
    let (r, f) = cands.iter().filter_map(|&f| fit(f, false).map(|r| (r, f))).min_by(|a, b| a.0 .0.rms.total_cmp(&b.0 .0.rms))?;
    let upright = r.0.missing.max(r.0.extra);
    if upright <= WARP_FROM {
        return Some((r, upright));
    }
    let style = refs.fonts().faces.iter().find(|x| x.file == f).map(|x| x.style.as_str());
    let weights: Vec<&str> = refs.fonts().faces.iter().filter(|x| x.file != f && style == Some(x.style.as_str())).map(|x| x.file.as_str()).collect();
    let r = std::iter::once(f).chain(weights.iter().copied()).filter_map(|f| fit(f, true)).min_by(|a, b| a.0.rms.total_cmp(&b.0.rms))?;
    if r.0.missing.max(r.0.extra) <= WARP_FROM {
        return Some((r, upright));
    }
    let wc = want.chars().next()?;
    let tried: Vec<&str> = cands.iter().copied().chain(std::iter::once(f)).chain(weights.iter().copied()).collect();
    let canon = refs.canon(wc);
    let others = canon.iter().map(|x| x.face.as_str()).filter(|x| !tried.contains(x)).filter_map(|x| fit(x, false).map(|r| (r, x))).min_by(|a, b| a.0 .0.rms.total_cmp(&b.0 .0.rms));
    match others.and_then(|(o, x)| (o.0.rms < r.0.rms).then_some(x)).and_then(|x| fit(x, true)) {
        Some(o) if o.0.rms < r.0.rms => Some((o, upright)),
        _ => Some((r, upright)),
    }
}

/// How far the glyph is turned against character `want` drawn in `face`, placed by its canonical
/// fit at the line's scale (`line_a`, crop pixels per reference pixel) when known: a turned glyph's
/// ink box is larger than its character's, so its own fit would draw the rendering too big.
fn glyph_turn(ink: &GlyphInk, refs: &References, want: &str, face: &str, place: Place, line_a: Option<f32>) -> Option<Turn> {
    let wc = want.chars().next()?;
    let rc = refs.canon(wc);
    let r = rc.iter().find(|r| r.face == face)?;
    let path = refs.path(wc, face)?;
    let aff = crop_affine(ink, &r.canon, place);
    let start = match line_a {
        Some(a) => aff.rescaled(a, r.canon.centre()),
        None => aff,
    };
    residual::turn(&ink.dark, &path, start).map(|(deg, left)| Turn { deg, left })
}

/// Reference pixels → crop pixels for a canonical-frame placement of reference `r` on the ink.
fn crop_affine(ink: &GlyphInk, r: &Canon, pl: Place) -> residual::Affine {
    let (cg, cr, sg) = (ink.canon.centre(), r.centre(), ink.canon.scale);
    let a = r.scale * pl.sx / sg;
    residual::Affine::similarity(a, [cg[0] - a * cr[0] + pl.dx / sg, cg[1] - a * cr[1] + pl.dy / sg])
}

/// The grey-level residual of the glyph against character `want` drawn in `face`, started from the
/// canonical fit (`place`, when already known), from a little smaller and larger, from the line's scale (crop
/// pixels per reference pixel) when that differs, and drawn at the line's aspect when its face is
/// condensed or expanded (`line`: scale, aspect). Gives it with its patches' boxes in image pixels,
/// and the numbers of the expected strokes whose medians lie mostly in the missing patch.
fn glyph_residual(ink: &GlyphInk, refs: &References, want: &str, face: &str, place: Option<Place>, line: (Option<f32>, Option<f32>), warp: bool) -> Option<(residual::Residual, Vec<usize>, Vec<f32>)> {
    let (line_a, line_aspect) = line;
    let wc = want.chars().next()?;
    let rc = refs.canon(wc);
    let r = rc.iter().find(|r| r.face == face)?;
    let path = refs.path(wc, face)?;
    let pl = place.unwrap_or_else(|| best_fit(&ink.canon, &r.canon).1);
    let aff = crop_affine(ink, &r.canon, pl);
    let cr = r.canon.centre();
    let a = aff.scale();
    let mut starts = vec![aff, aff.rescaled(a * 0.96, cr), aff.rescaled(a * 1.04, cr)];
    // The ink box on the character's: the chamfer placement can start the fit off where thin
    // strokes are faint (a small serif 卫 left a 4 % patch of extra ink: 1414/192).
    let boxed = crop_affine(ink, &r.canon, Place::IDENTITY);
    if (boxed.scale() / a - 1.0).abs() > 0.03 {
        starts.push(boxed);
    }
    if let Some(la) = line_a.filter(|&la| (la / a - 1.0).abs() > 0.03) {
        starts.push(aff.rescaled(la, cr));
    }
    if let Some(asp) = line_aspect.filter(|&r| (r - 1.0).abs() > 0.04) {
        starts.push(aff.stretched(a, asp, cr));
        if let Some(la) = line_a {
            starts.push(aff.stretched(la, asp, cr));
        }
    }
    let (mut res, place, shown) = residual::fitted(&ink.dark, Some(&ink.whole), &path, &starts, warp)?;
    if let Some(dir) = std::env::var_os("CJKCHECK_DEBUG_RESIDUAL") {
        debug_residual(std::path::Path::new(&dir), &ink.dark, &shown, &format!("{:.0}-{:.0}-{wc}-{face}{}", ink.origin[0], ink.origin[1], if warp { "-warp" } else { "" }));
    }
    let strokes = match (res.missing_box, refs.strokes().and_then(|s| s.get(wc))) {
        (Some(b), Some(cs)) => {
            let (most, named) = strokes_lacking(&cs.medians, &residual::lacking(&ink.dark, Some(&ink.whole), &shown), &ink.dark, place, b);
            res.stroke_lacking = most;
            named
        }
        _ => Vec::new(),
    };
    res.missing_box = res.missing_box.map(|b| ink.crop_box_to_image(b));
    res.extra_box = res.extra_box.map(|b| ink.crop_box_to_image(b));
    Some((res, strokes, shown))
}

/// Shares of a stroke's median lacking at or over which the stroke is named missing.
const STROKE_NAMED: f32 = 0.6;

/// The expected strokes (medians in the stroke data's 0–255 frame, placed in the crop by `place`)
/// the glyph lacks, followed every half pixel along the median: of those with some of it on ink the
/// rendering has and the glyph lacks (`lacking`) within the largest missing patch `patch` (crop
/// pixels), the largest share of a median so lacking, and the 1-based numbers of those lacking at
/// least `STROKE_NAMED` of it. Counted along the whole median rather than by the patch's box, since
/// a stroke another one crosses leaves two patches, not one.
fn strokes_lacking(medians: &[Vec<[u8; 2]>], lacking: &[bool], dark: &residual::Darkness, place: residual::Affine, patch: [f32; 4]) -> (f32, Vec<usize>) {
    let k = crate::reference::REF_EM as f32 / 255.0;
    let at = |q: [f32; 2]| -> Option<bool> {
        let (x, y) = (q[0].floor(), q[1].floor());
        (x >= 0.0 && y >= 0.0 && (x as usize) < dark.w && (y as usize) < dark.h).then(|| lacking[y as usize * dark.w + x as usize])
    };
    let in_patch = |q: [f32; 2]| q[0] >= patch[0] - 1.0 && q[0] <= patch[2] + 1.0 && q[1] >= patch[1] - 1.0 && q[1] <= patch[3] + 1.0;
    let shares: Vec<(usize, f32)> = medians
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let pts: Vec<[f32; 2]> = m.iter().map(|p| place.apply([p[0] as f32 * k, p[1] as f32 * k])).collect();
            let mut samples: Vec<[f32; 2]> = Vec::new();
            for w in pts.windows(2) {
                let len = crate::geometry::dist(w[0], w[1]);
                let n = (len / 0.5).ceil().max(1.0) as usize;
                samples.extend((0..n).map(|i| {
                    let t = i as f32 / n as f32;
                    [w[0][0] + t * (w[1][0] - w[0][0]), w[0][1] + t * (w[1][1] - w[0][1])]
                }));
            }
            samples.extend(pts.last().copied());
            let seen: Vec<([f32; 2], bool)> = samples.iter().filter_map(|&q| at(q).map(|l| (q, l))).collect();
            let lacks = seen.iter().filter(|s| s.1).count();
            (!seen.is_empty() && seen.iter().any(|s| s.1 && in_patch(s.0))).then(|| (i + 1, lacks as f32 / seen.len() as f32))
        })
        .collect();
    let most = shares.iter().map(|s| s.1).fold(0.0, f32::max);
    (most, shares.iter().filter(|s| s.1 >= STROKE_NAMED).map(|s| s.0).collect())
}

/// Debugging aid (`CJKCHECK_DEBUG_RESIDUAL=DIR`): a PNG per glyph in DIR, named by its crop's image
/// position: the glyph's darkness, the fitted rendering, and their difference (red: missing ink,
/// blue: extra ink), eight times enlarged.
fn debug_residual(dir: &std::path::Path, dark: &residual::Darkness, shown: &[f32], name: &str) {
    let (w, h) = (dark.w as u32, dark.h as u32);
    let grey = |v: f32| (255.0 * (1.0 - v.clamp(0.0, 1.0))) as u8;
    let im = RgbImage::from_fn(3 * w + 2, h, |x, y| {
        let i = (y * w + x % (w + 1)) as usize;
        match x / (w + 1) {
            _ if x % (w + 1) == w => image::Rgb([0, 160, 0]),
            0 => image::Rgb([grey(dark.v[i]); 3]),
            1 => image::Rgb([grey(shown[i]); 3]),
            _ => {
                let e = dark.v[i] - shown[i];
                let k = (255.0 * (1.0 - e.abs().min(1.0))) as u8;
                if e < 0.0 { image::Rgb([255, k, k]) } else { image::Rgb([k, k, 255]) }
            }
        }
    });
    let big = image::imageops::resize(&im, im.width() * 8, im.height() * 8, image::imageops::FilterType::Nearest);
    let _ = big.save(dir.join(format!("{name}.png")));
}

/// A punctuation mark read as another mark, compared with both: the chamfer cost of its ink against
/// the intended mark's and the read mark's best reference rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkCheck {
    pub glyph: GlyphRef,
    pub intended_cost: f32,
    pub read_cost: f32,
    /// The grey-level residual (rms) of its ink against the intended and the read mark, each drawn
    /// at its line's scale from the top of the ink, in the face that fits either best
    /// (`mark_grey`). `None` on a line without a Han glyph to scale by.
    #[serde(default)]
    pub grey: Option<(f32, f32)>,
    /// The same in the faces the line's Han glyphs tell (`line_face_candidates`) that fit the ink
    /// within `MARK_FACE_FIT` of the best face: of them, the one whose ratio speaks least for the
    /// read mark, its name and both rms. `None` when no such face has both marks.
    #[serde(default)]
    pub grey_line_face: Option<(String, f32, f32)>,
}

/// Glyph `r`, a mark (or digit or letter) read as `rc` where `wc` was intended, against both
/// drawn at its line's scale: the Han glyphs' ink height over their characters' in the reference
/// faces. Chamfer costs compare shapes normalised to the ink box, and a 16 px kai «；» whose tail
/// blurred to a pixel, scaled to the box, is as much a «：» (4747/249, /254); drawn at the line's
/// scale, «：» ends short of the tail and «．» short of a comma's. Each is placed with its ink's
/// top centre on the glyph's, fitted from a tenth smaller, as is and a tenth larger, in every face;
/// the face leaving least for either gives both rms. Also, of the faces the line's Han glyphs tell
/// (`line_faces`) that fit the ink about as well (`MARK_FACE_FIT`), the one whose ratio speaks least
/// for the read mark (a 17 px kai «，» is a blob of 3 by 4 pixels that a bold sans «.» fits better than
/// any «，», while in the kai bold face «，» and «.» leave alike: 1919/145, 4949/201).
#[allow(clippy::type_complexity)]
fn mark_grey(img: &RgbImage, page: &Page, refs: &References, r: GlyphRef, wc: char, rc: char, line_faces: &[String]) -> Option<((f32, f32), Option<(String, f32, f32)>)> {
    let line = &page.lines[r.line];
    let g = &line.chars[r.index];
    let mut ratios: Vec<f32> = line
        .chars
        .iter()
        .filter(|o| o.ink_found)
        .filter_map(|o| {
            let c = o.char.chars().next().filter(|&c| is_han(c))?;
            let mut hs: Vec<f32> = refs.canon(c).iter().filter(|x| !x.strokes).map(|x| x.canon.src_box[3] - x.canon.src_box[1]).collect();
            hs.sort_by(f32::total_cmp);
            hs.get(hs.len() / 2).map(|&h| o.bbox[3] / h.max(1.0))
        })
        .take(7)
        .collect();
    ratios.sort_by(f32::total_cmp);
    let a = *ratios.get(ratios.len() / 2)?;
    let ink = glyph_ink(img, &g.quad, &[])?;
    let b = ink.canon.src_box;
    let top = [(b[0] + b[2]) / 2.0, b[1]];
    let rms = |c: char| -> Vec<(String, f32)> {
        refs.canon(c)
            .iter()
            .filter(|x| !x.strokes)
            .filter_map(|x| {
                let path = refs.path(c, &x.face)?;
                let rb = x.canon.src_box;
                let rtop = [(rb[0] + rb[2]) / 2.0, rb[1]];
                let start = residual::Affine::similarity(a, [top[0] - a * rtop[0], top[1] - a * rtop[1]]);
                let starts = [start, start.rescaled(0.9 * a, rtop), start.rescaled(1.1 * a, rtop)];
                residual::fitted(&ink.dark, Some(&ink.whole), &path, &starts, false).map(|f| (x.face.clone(), f.0.rms))
            })
            .collect()
    };
    let (want, read) = (rms(wc), rms(rc));
    let pairs: Vec<(&str, f32, f32)> = want.iter().filter_map(|(f, w)| read.iter().find(|(f2, _)| f2 == f).map(|(_, r)| (f.as_str(), *w, *r))).collect();
    let best = pairs.iter().map(|p| (p.1, p.2)).min_by(|x, y| x.0.min(x.1).total_cmp(&y.0.min(y.1)))?;
    let least = best.0.min(best.1);
    let on_line = pairs
        .iter()
        .filter(|p| line_faces.iter().any(|f| f == p.0) && p.1.min(p.2) <= MARK_FACE_FIT * least)
        .max_by(|x, y| (x.2 / x.1.max(1e-6)).total_cmp(&(y.2 / y.1.max(1e-6))))
        .map(|p| (p.0.to_string(), p.1, p.2));
    Some((best, on_line))
}

/// How much more a face of the line may leave of a mark's ink, drawn as either mark, than the face
/// leaving least for it to speak for the line's face: a face fitting neither mark says nothing of
/// which it is. Between the least fitting face that tied a clean page's mark (1.27 times the least,
/// 1919/145) and a face that tied a drawn look-alike «：» fitting neither (3.2 times, 1212/196).
const MARK_FACE_FIT: f32 = 1.5;

/// Compares every mark read as another mark, and every digit or Latin letter read as another
/// (9 and q, 0 and O), with both. `line_faces`: per OCR line, the faces its Han glyphs tell
/// (`line_face_candidates`).
pub fn check_marks(img: &RgbImage, page: &Page, alignment: &Alignment, refs: &References, line_faces: &[Vec<String>]) -> Vec<MarkCheck> {
    let mut out = Vec::new();
    for b in &alignment.blocks {
        for (m, want) in b.matches.iter().zip(&b.chars) {
            let CharMatch::Substituted { glyph, read } = m else { continue };
            let (Some(wc), Some(rc)) = (want.chars().next(), read.chars().next()) else { continue };
            if !crate::clreq::same_kind_of_sign(wc, rc) {
                continue;
            }
            let g = &page.lines[glyph.line].chars[glyph.index];
            if !g.ink_found {
                continue;
            }
            // Its own box and the cell between its neighbours: the crop either mark explains
            // better is the mark (a box holding one comma of “; a cell whose wider crop binarises a
            // faint 。 worse).
            let costs = |quad: &[crate::geometry::Pt; 4]| {
                let ink = glyph_ink(img, quad, &[])?;
                let cost = |c: char| best_over(&ink.canon, &refs.canon(c)).map(|f| f.0.cost);
                Some((cost(wc)?, cost(rc)?))
            };
            let best = [Some(g.quad), mark_cell(page, *glyph)].into_iter().flatten().filter_map(|q| costs(&q)).min_by(|a, b| a.0.min(a.1).total_cmp(&b.0.min(b.1)));
            if let Some((intended_cost, read_cost)) = best {
                let found = mark_grey(img, page, refs, *glyph, wc, rc, line_faces.get(glyph.line).map_or(&[][..], |v| &v[..]));
                let (grey, grey_line_face) = found.map_or((None, None), |(g, l)| (Some(g), l));
                out.push(MarkCheck { glyph: *glyph, intended_cost, read_cost, grey, grey_line_face });
            }
        }
    }
    out
}

/// How much better the character must fit a glyph's ink without a piece standing apart at one end
/// of its box for that piece to be taken as a neighbour's (a real glyph's own piece left out fits
/// worse; a stray piece left in, by about a half).
const NEIGHBOURS_PIECE: f32 = 0.9;

/// The least length of a glyph's box, in heights of its line's box, for the box to be taken as
/// holding another glyph's ink beside the glyph's own: a Han glyph stands in a square at most a line
/// high, and a line's box can be a third taller than its glyphs.
const LONG_BOX: f32 = 1.5;

/// Glyph `r`'s quad, line-mates, ink and fit as given, or, where its box on a level horizontal line
/// is `LONG_BOX` line heights long or more, those of the box's end a glyph long that fits its
/// character clearly better (`NEIGHBOURS_PIECE`), the rest of the box then a neighbour's: the
/// recogniser ran a glyph it did not read into the box (the heading «惠 仅» detected as two lines,
/// 仅's box over both, while 惠 was sought at the end of the line before, 6464/037). With `split`
/// (the glyph's part of its box and an unread neighbour's), only the end away from the neighbour.
#[allow(clippy::too_many_arguments)]
fn own_end_of_long_box(
    img: &RgbImage,
    page: &Page,
    refs: &References,
    r: GlyphRef,
    wc: char,
    quad: [crate::geometry::Pt; 4],
    beside: Vec<[crate::geometry::Pt; 4]>,
    ink: GlyphInk,
    cf: CharFit,
    split: Option<([crate::geometry::Pt; 4], [crate::geometry::Pt; 4])>,
) -> ([crate::geometry::Pt; 4], Vec<[crate::geometry::Pt; 4]>, GlyphInk, CharFit) {
    let line = &page.lines[r.line];
    // Split with an unread neighbour, the whole box's end away from the neighbour's part is tried
    // against the glyph's part: the split guessed where in the box the unread glyph stands, a
    // glyph from the box's start, while the box can start inside it («家踊跃» read «家跃», 跃's box
    // from the middle of 踊: its part from a glyph in lacked its 足 and was called garbled,
    // 3636/144).
    let whole = split.map_or(quad, |_| clear_of_other_lines(page, r));
    let (len, band) = (crate::geometry::dist(whole[0], whole[1]), crate::geometry::dist(line.quad[0], line.quad[3]));
    // (A split box is known to hold two glyphs, however long.)
    if !level_horizontal(line) || band <= 0.0 || (split.is_none() && len < LONG_BOX * band) {
        return (quad, beside, ink, cf);
    }
    let axis = crate::geometry::Axis::new(whole[0], whole[1]);
    let centre = |q: &[crate::geometry::Pt; 4]| q.iter().map(|&p| axis.along(p)).sum::<f32>() / 4.0;
    let unread_first = split.map(|(_, unread)| centre(&unread) < centre(&whole));
    // A glyph long, with a tenth to spare.
    let f = 1.1 * band / len;
    if f >= 1.0 {
        return (quad, beside, ink, cf);
    }
    let best = [(0.0, f), (1.0 - f, 1.0)]
        .into_iter()
        .filter(|&(f0, _)| unread_first.is_none_or(|first| first == (f0 > 0.0)))
        .filter_map(|(f0, f1)| {
            let own = crate::geometry::quad_span(whole, f0, f1);
            let rest = if f0 == 0.0 { crate::geometry::quad_span(whole, f1, 1.0) } else { crate::geometry::quad_span(whole, 0.0, f0) };
            let mut mates = beside.clone();
            mates.push(rest);
            let ink = glyph_ink(img, &own, &mates)?;
            let fit = fit_char(&ink, refs, wc)?;
            Some((own, mates, ink, fit))
        })
        .filter(|t| t.3.fit.cost < NEIGHBOURS_PIECE * cf.fit.cost)
        .min_by(|a, b| a.3.fit.cost.total_cmp(&b.3.fit.cost));
    best.unwrap_or((quad, beside, ink, cf))
}

/// The least share of a level line's height a glyph's box spans along it for the box to be taken
/// as the whole glyph: a Han glyph's ink is rarely under half its em wide (a split-off piece, one
/// stroke of 儿, is a third).
const WHOLE_GLYPH_LEN: f32 = 0.5;

/// Glyph `r`'s quad, line-mates, ink and fit as given, or, where its box on a level horizontal line
/// is under `WHOLE_GLYPH_LEN` line heights long beside a glyph read where no intended character
/// stands (`inserted`), and the two boxes together are at most a glyph long, those of both boxes
/// together when the character fits that ink clearly better (`NEIGHBOURS_PIECE`): the recogniser
/// split the glyph in two (a light-face 儿, its 丿 boxed apart and read «J», was measured turned 9°
/// from its other stroke alone, 6868/005).
fn with_split_off_piece(
    img: &RgbImage,
    page: &Page,
    refs: &References,
    r: GlyphRef,
    wc: char,
    inserted: &[GlyphRef],
    given: ([crate::geometry::Pt; 4], Vec<[crate::geometry::Pt; 4]>, GlyphInk, CharFit),
) -> ([crate::geometry::Pt; 4], Vec<[crate::geometry::Pt; 4]>, GlyphInk, CharFit) {
    let line = &page.lines[r.line];
    let band = crate::geometry::dist(line.quad[0], line.quad[3]);
    let g = &line.chars[r.index];
    if !level_horizontal(line) || g.bbox[2] >= WHOLE_GLYPH_LEN * band {
        return given;
    }
    let pieces = [r.index.checked_sub(1), Some(r.index + 1)].into_iter().flatten().filter(|&j| inserted.contains(&GlyphRef { line: r.line, index: j }));
    let best = pieces
        .filter_map(|j| {
            let p = line.chars.get(j).filter(|p| p.ink_found)?;
            let [x, y, w, h] = crate::geometry::bbox_of(&[g.quad, p.quad].concat());
            // Together at most a glyph long (with a tenth to spare).
            if w > 1.1 * band {
                return None;
            }
            let quad = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
            // The line-mates: the glyphs beyond the two.
            let beside = mates_of_span(page, r.line, r.index.min(j), r.index.max(j));
            let ink = glyph_ink(img, &quad, &beside)?;
            let cf = fit_char(&ink, refs, wc)?;
            Some((quad, beside, ink, cf))
        })
        .filter(|t| t.3.fit.cost < NEIGHBOURS_PIECE * given.3.fit.cost)
        .min_by(|a, b| a.3.fit.cost.total_cmp(&b.3.fit.cost));
    best.unwrap_or(given)
}

/// Verifies one matched glyph against its intended character (`read`: what the recogniser read
/// instead, if it differs).
/// `split`: the glyph's own part of its box and an unread neighbour's part, when the recogniser ran
/// the two together (`ran_together`). `unread_marks`: intended marks right after (`Some((true, n))`) or
/// before the glyph was not read. `inserted`: the glyphs read where no intended character stands.
#[allow(clippy::too_many_arguments)]
fn verify_one(img: &RgbImage, page: &Page, refs: &References, r: GlyphRef, want: &String, read: Option<String>, split: Option<([crate::geometry::Pt; 4], [crate::geometry::Pt; 4])>, unread_marks: Option<(bool, usize)>, inserted: &[GlyphRef], debug: Option<&std::ffi::OsStr>) -> Option<(GlyphCheck, GlyphInk, Place)> {
    let Some(wc) = want.chars().next().filter(|&c| is_han(c)) else { return None };
    let g = &page.lines[r.line].chars[r.index];
    if !g.ink_found {
        return None;
    }
    let mut beside = line_mates(page, r);
    let quad = match split {
        Some((own, unread)) => {
            beside.push(unread);
            own
        }
        None => clear_of_other_lines(page, r),
    };
    let Some(ink) = glyph_ink(img, &quad, &beside) else { return None };
    let cf = fit_char(&ink, refs, wc)?;
    let (quad, beside, ink, cf) = match (split, unread_marks) {
        (None, None) => with_split_off_piece(img, page, refs, r, wc, inserted, (quad, beside, ink, cf)),
        _ => (quad, beside, ink, cf),
    };
    // (Beside an unread mark, the rest of a long box is the mark's, looked for below.)
    let (quad, beside, ink, cf) = match unread_marks {
        None => own_end_of_long_box(img, page, refs, r, wc, quad, beside, ink, cf, split),
        Some(_) => (quad, beside, ink, cf),
    };
    // Beside unread marks, the box may hold their ink at that end: the ink without the thin pieces
    // standing apart there counts when the character fits it better.
    let (ink, cf, mark_ink) = match unread_marks.and_then(|(side, n)| glyph_ink_with(img, &quad, &beside, Some((side, n))).map(|t| (side, t))) {
        Some((trailing, (trimmed, Some(bbox)))) => match fit_char(&trimmed, refs, wc).filter(|t| t.fit.cost < cf.fit.cost) {
            Some(better) => (trimmed, better, Some(MarkInk { trailing, bbox })),
            None => (ink, cf, None),
        },
        _ => (ink, cf, None),
    };
    // A box wider than tall may hold a neighbour's stroke at one end, standing apart and nearer
    // the neighbour's ink than the rest of the glyph's (the hook of 制's 刂 in the box of a 目 after
    // it: the cell boundary fell in the gap inside 刂, 4747/133): the ink without it counts when the
    // character fits it clearly better. (A stroke added to a pseudo-character stands nearer its
    // own glyph.)
    let [_, _, bw, bh] = g.bbox;
    let line = &page.lines[r.line];
    let neighbour = |trailing: bool| if trailing { line.chars.get(r.index + 1) } else { r.index.checked_sub(1).and_then(|i| line.chars.get(i)) }.filter(|n| n.ink_found).map(|n| n.bbox);
    let nearer_neighbour = |trailing: bool, trimmed: &GlyphInk, piece: [f32; 4]| {
        let (Some(nb), true) = (neighbour(trailing), level_horizontal(line)) else { return false };
        let rest = trimmed.crop_box_to_image(trimmed.canon.src_box);
        if trailing {
            nb[0] - (piece[0] + piece[2]) < piece[0] - (rest[0] + rest[2])
        } else {
            piece[0] - (nb[0] + nb[2]) < rest[0] - (piece[0] + piece[2])
        }
    };
    let (ink, cf) = if mark_ink.is_none() && bw > 1.05 * bh {
        [false, true]
            .into_iter()
            .filter_map(|side| glyph_ink_with(img, &quad, &beside, Some((side, 1))).and_then(|(trimmed, dropped)| dropped.filter(|&p| nearer_neighbour(side, &trimmed, p)).map(|_| trimmed)))
            .filter_map(|trimmed| fit_char(&trimmed, refs, wc).map(|f| (trimmed, f)))
            .filter(|(_, f)| f.fit.cost < NEIGHBOURS_PIECE * cf.fit.cost)
            .min_by(|a, b| a.1.fit.cost.total_cmp(&b.1.fit.cost))
            .unwrap_or((ink, cf))
    } else {
        (ink, cf)
    };
    if let (Some(dbg), Some(m)) = (debug, &cf.strokes) {
        debug_strokes(dbg, &ink, m, r, wc);
    }
    let fit = cf.fit;
    let read_fit = read.as_deref().and_then(|s| s.chars().next()).filter(|&c| is_han(c)).and_then(|c| fit_char(&ink, refs, c)).map(|f| f.fit);
    let cs = refs.strokes().and_then(|s| s.get(wc));
    let missing_strokes = cf.strokes.as_ref().map(|m| m.missing()).unwrap_or_default();
    // Unexplained ink: from the stroke match when there is one, else from the best reference.
    let extra_ink = match &cf.strokes {
        Some(m) => m.unexplained_box.filter(|_| m.unexplained >= 0.03).map(|b| ink.canon_box_to_image(b)),
        None => {
            let rc = &cf.best_ref().canon;
            let far: Vec<[f32; 2]> = ink.canon.points.iter().copied().filter(|&q| rc.dist(cf.place.inv(q)) > D0 + 1.0).collect();
            (far.len() as f32 >= 0.04 * ink.canon.points.len() as f32 && far.len() >= 4)
                .then(|| crate::geometry::bbox_of(&far.iter().map(|&q| ink.to_image(ink.canon.to_source(q))).collect::<Vec<_>>()))
        }
    };
    let check = GlyphCheck {
        glyph: r,
        intended: want.clone(),
        fit,
        similarity: (1.0 - fit.cost / 6.0).clamp(0.0, 1.0),
        best_face: cf.best_ref().face.clone(),
        read_fit,
        stroke_count: cs.as_ref().map(|c| c.stroke_count()),
        missing_strokes,
        extra_ink,
        ink_size: ink.size(),
        peers: None,
        residual: None,
        residual_strokes: Vec::new(),
        read_residual: None,
        read_residual_strokes: Vec::new(),
        alternative: None,
        turn: None,
        mark_ink,
    };
    Some((check, ink, cf.place))
}

/// Debugging aid (`CJKCHECK_DEBUG_STROKES=1`: per-stroke cover on standard error; `=DIR`: also a
/// PNG per glyph in DIR with its ink in grey and each stroke's matched median, red when missing).
fn debug_strokes(dbg: &std::ffi::OsStr, ink: &GlyphInk, m: &strokes::StrokeMatch, r: GlyphRef, wc: char) {
    if !dbg.is_empty() && dbg != "1" {
        let mut im = RgbImage::from_pixel(canon::CANON as u32, canon::CANON as u32, image::Rgb([255, 255, 255]));
        for p in &ink.canon.points {
            im.put_pixel(p[0] as u32, p[1] as u32, image::Rgb([160, 160, 160]));
        }
        for (k, s) in m.placed.iter().enumerate() {
            for p in s {
                let (x, y) = (p[0].round() as i64, p[1].round() as i64);
                if x >= 0 && y >= 0 && x < canon::CANON as i64 && y < canon::CANON as i64 {
                    im.put_pixel(x as u32, y as u32, if m.cover[k] < 0.5 { image::Rgb([230, 0, 0]) } else { image::Rgb([0, 90, 230]) });
                }
            }
        }
        let big = image::imageops::resize(&im, 256, 256, image::imageops::FilterType::Nearest);
        let _ = big.save(std::path::Path::new(dbg).join(format!("{}-{}-{wc}.png", r.line + 1, r.index + 1)));
    }
    let cover: Vec<i32> = m.cover.iter().map(|c| (c * 100.0).round() as i32).collect();
    eprintln!("{wc} line {} glyph {}: canonical scale {:.2}, stroke cover % {cover:?}, unexplained {:.3}", r.line + 1, r.index + 1, ink.canon.scale, m.unexplained);
}

/// A glyph's comparison with one character: the best reference and its placement, and the
/// stroke-level match (summarised in `fit.strokes`).
struct CharFit {
    fit: Fit,
    place: Place,
    refs: std::sync::Arc<Vec<RefCanon>>,
    best: usize,
    strokes: Option<strokes::StrokeMatch>,
}

impl CharFit {
    fn best_ref(&self) -> &RefCanon {
        &self.refs[self.best]
    }
}

/// Compares the glyph's ink with character `c`: every reference face and the stroke data.
fn fit_char(ink: &GlyphInk, refs: &References, c: char) -> Option<CharFit> {
    let rc = refs.canon(c);
    let (fit, place, best) = best_over(&ink.canon, &rc)?;
    let sm = stroke_match(ink, refs, c);
    let same_hand = kai_hand(refs, &rc[best].face);
    let strokes = sm.as_ref().map(|m| StrokeFit { worst_cover: m.worst(), unexplained: m.unexplained, same_hand });
    Some(CharFit { fit: Fit { strokes, ..fit }, place, refs: rc, best, strokes: sm })
}

/// Whether reference face `face` is drawn in the stroke data's hand.
fn kai_hand(refs: &References, face: &str) -> bool {
    face == "strokes" || refs.fonts().faces.iter().any(|f| f.file == face && f.style == "kai")
}

/// The stroke-level comparison of the glyph's ink with character `c`: its stroke medians, placed in
/// the canonical frame of its own stroke-outline rendering, matched against the ink.
fn stroke_match(ink: &GlyphInk, refs: &References, c: char) -> Option<strokes::StrokeMatch> {
    let cs = refs.strokes()?.get(c)?;
    let rc = refs.canon(c);
    let sref = rc.iter().find(|r| r.strokes)?;
    let k = crate::reference::REF_EM as f32 / 255.0;
    let medians: Vec<Vec<[f32; 2]>> = cs.medians.iter().map(|m| m.iter().map(|p| sref.canon.to_canon([p[0] as f32 * k, p[1] as f32 * k])).collect()).collect();
    // One source pixel spans `scale` canonical pixels: small glyphs get a looser tolerance.
    let tol = (0.5 * ink.canon.scale).max(1.5);
    // Two components where the data names a radical: its strokes and the rest.
    let groups: Vec<usize> = if cs.radical.is_empty() || cs.radical.len() >= medians.len() {
        Vec::new()
    } else {
        (0..medians.len()).map(|k| usize::from(cs.radical.contains(&(k as u8)))).collect()
    };
    strokes::match_strokes(&ink.canon, &medians, &groups, tol)
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
            let Some(ink) = glyph_ink(img, &g.quad, &line_mates(page, GlyphRef { line: li, index: ci })) else { continue };
            let mut cands = vec![c0];
            cands.extend(g.alternatives.iter().filter(|a| a.score >= 0.01).filter_map(|a| a.char.chars().next()).filter(|&c| is_han(c)));
            // The candidate the ink agrees with best: stroke-level when known, else by chamfer cost.
            let agreement = |f: &Fit| f.strokes.map(|s| s.worst_cover - s.unexplained).unwrap_or(1.0 - f.cost / 6.0);
            let best = cands.iter().filter_map(|&c| fit_char(&ink, refs, c).map(|f| (f, c))).max_by(|a, b| agreement(&a.0.fit).total_cmp(&agreement(&b.0.fit)));
            if let Some((cf, c)) = best {
                let fit = cf.fit;
                out.push(GlyphCheck {
                    glyph: GlyphRef { line: li, index: ci },
                    intended: c.to_string(),
                    fit,
                    similarity: (1.0 - fit.cost / 6.0).clamp(0.0, 1.0),
                    best_face: cf.best_ref().face.clone(),
                    read_fit: None,
                    stroke_count: cf.strokes.as_ref().map(|m| m.cover.len()),
                    missing_strokes: cf.strokes.as_ref().map(|m| m.missing()).unwrap_or_default(),
                    extra_ink: None,
                    ink_size: ink.size(),
                    peers: None,
                    residual: None,
                    residual_strokes: Vec::new(),
                    read_residual: None,
                    read_residual_strokes: Vec::new(),
                    alternative: None,
                    turn: None,
                    mark_ink: None,
                });
            }
        }
    }
    add_peers(&mut out);
    out
}

/// Ink of an intended Han character the recogniser did not read, between two glyphs it did read on
/// one line, and how it compares with that character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadGlyph {
    /// Intended block and character index within it, and the character.
    pub block: usize,
    pub index: usize,
    #[serde(default)]
    pub intended: String,
    pub line: usize,
    /// Image box of the gap's ink `[x, y, w, h]`.
    pub bbox: [f32; 4],
    pub fit: Fit,
    /// Whether the ink is that character by its strokes: every expected stroke at least half on
    /// ink, and at most 30 % of the ink off them, with at most 30 % of the reference's ink absent —
    /// what 95 % of the real-world glyphs in `reports/realworld-glyph-features.jsonl` achieve.
    pub matches: bool,
    /// The grey-level residual of the ink against the character in the line's face (or the face
    /// the ink fits best), with the expected strokes lying in its missing patch: a recogniser
    /// skips pseudo-characters too, and those match by strokes loosely but leave a patch.
    pub residual: Option<residual::Residual>,
    #[serde(default)]
    pub residual_strokes: Vec<usize>,
    /// The read glyphs of its line (or page) and what they leave.
    pub peers: Option<Peers>,
    /// Expected stroke count of the character.
    pub stroke_count: Option<usize>,
    /// The intended character's form in the other script (Traditional for Simplified, or the
    /// reverse) whose strokes the ink matches, when it does not match the character's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_form: Option<String>,
    /// The reference face the ink fits best.
    #[serde(default)]
    pub best_face: String,
}

/// The region (a quad, corners clockwise from the top left) where an unread character would
/// stand on line `li`, between glyphs `prev` and `next` (either may be the line's end): the gap
/// between them when it is wide enough for a glyph; else a neighbour's box one and a half glyphs
/// long, whose end on the unread character's side is taken (the recogniser ran the two glyphs together
/// under the neighbour's reading). None when there is neither, or a neighbour's box was not found
/// on ink. After it, the other places a glyph long that the read Han neighbours leave (see below):
/// the recogniser's boxes beside a glyph it did not read can be off by part of a glyph.
fn unread_region(page: &Page, li: usize, prev: Option<usize>, next: Option<usize>, spaced: bool) -> Vec<UnreadRegion> {
    let line = &page.lines[li];
    let (gp, gn) = (prev.map(|k| &line.chars[k]), next.map(|k| &line.chars[k]));
    if gp.is_some_and(|g| !g.ink_found) || gn.is_some_and(|g| !g.ink_found) {
        return Vec::new();
    }
    let q = line.quad;
    let axis = crate::geometry::Axis::new(q[0], q[1]);
    let len = axis.len;
    let band = crate::geometry::dist(q[0], q[3]);
    let em = crate::blocks::line_em(line);
    // A glyph box's first and last point along an axis.
    let span_on = |ax: &crate::geometry::Axis, g: &crate::ocr::Glyph| {
        let u = g.quad.map(|p| ax.along(p));
        (u.iter().copied().fold(f32::INFINITY, f32::min), u.iter().copied().fold(f32::NEG_INFINITY, f32::max))
    };
    let extent = |g: &crate::ocr::Glyph| span_on(&axis, g);
    let (pe, ne) = (gp.map(extent), gn.map(extent));
    // A glyph's length along the line: the median of its other Han glyphs' boxes, at most the em
    // (a line's box can be a third taller than its glyphs), leaving out boxes under half as long
    // as they are wide across the line: a flat 一 down a column, or a piece of a glyph boxed apart
    // (a column «此一天» gave a glyph 22 px long from 一's 5 and 天's 39, and 此's 41 px box was taken
    // for two glyphs run together, 6868/244).
    let across_axis = crate::geometry::Axis::new(q[0], q[3]);
    let across = |g: &crate::ocr::Glyph| {
        let (a0, a1) = span_on(&across_axis, g);
        a1 - a0
    };
    let lengths: Vec<f32> = (0..line.chars.len())
        .filter(|&k| Some(k) != prev && Some(k) != next && line.chars[k].ink_found && line.chars[k].char.chars().next().is_some_and(is_han))
        .map(|k| (extent(&line.chars[k]), across(&line.chars[k])))
        .filter(|(e, a)| e.1 - e.0 >= 0.5 * a)
        .map(|(e, _)| e.1 - e.0)
        .collect();
    // On a line of fewer other Han glyphs, the median of its Han glyphs' boxes across the line:
    // two glyphs run together under one reading are one box along it, not across (a title
    // «乐运动» read «乐动», 乐's box over both: its em, from the larger side of each box, was
    // taken from that box).
    let w = if lengths.len() >= 2 {
        median(&lengths).min(em)
    } else {
        let across: Vec<f32> = line.chars.iter().filter(|g| g.ink_found && g.char.chars().next().is_some_and(is_han)).map(|g| crate::blocks::glyph_extent(line, g).1).collect();
        if across.is_empty() { em } else { median(&across).min(em) }
    };
    // The gap between the neighbours (or the line's end and its one neighbour) when it is
    // wide enough for a glyph. Else, a neighbour's box one and a half glyphs long: the
    // recogniser ran the two glyphs together under the neighbour's reading, and the unread
    // one is the box's end on the missing character's side.
    // At a line's end (or start) the region is an em and a half beside its last (first) glyph,
    // running past the line's detected end when it must: a detector can stop a line at a space
    // before its last character. When the intended text puts a space there (`spaced`), an em
    // more: a column's word space is about an em (the 均 of «合理膳食 均衡» 1.1 em below 食,
    // 3838/183).
    // A wide gap loses to a neighbour's box two glyphs long under a Han reading: the gap may be a
    // mark's em slot its ink box covers only part of (a «？» boxed by its dot alone before «保持»
    // read «持» in one box, 1212/161).
    let (u0, u1) = (pe.map_or(0.0, |e| e.1), ne.map_or(len, |e| e.0));
    // A neighbour read as a Han character, and one whose box is at least `f` glyphs long.
    let read_han = |g: Option<&crate::ocr::Glyph>| g.is_some_and(|g| g.char.chars().next().is_some_and(is_han));
    let han_over = |e: Option<(f32, f32)>, g: Option<&crate::ocr::Glyph>, f: f32| e.is_some_and(|e| e.1 - e.0 >= f * w) && read_han(g);
    // The neighbours whose boxes the region is cut from, with what of each box is left to it (as
    // fractions along its box, from the start).
    let mut cut = Vec::new();
    let reach = if spaced { 2.5 * em } else { 1.5 * em };
    let (u0, u1) = if u1 - u0 >= 0.6 * band && !han_over(pe, gp, 1.8) && !han_over(ne, gn, 1.8) {
        match (gp, gn) {
            (None, _) => (u1 - reach, u1),
            (_, None) => (u0, u0 + reach),
            _ => (u0, u1),
        }
    } else if let (Some((a0, a1)), Some((n0, n1)), true) = (pe, ne, han_over(pe, gp, 1.25) && han_over(ne, gn, 1.25) && u1 - u0 < 0.6 * band) {
        // Both neighbours' boxes a quarter too long or more, with no gap between: the
        // recogniser gave each a part of the glyph between them («家踊跃» read «家跃», 踊's 足 in
        // 家's box and its 甬 in 跃's, 5656/234). The three stand at an even pitch.
        let pitch = (n1 - a0) / 3.0;
        cut.push((prev.unwrap_or(0), 0.0, pitch / (a1 - a0)));
        cut.push((next.unwrap_or(0), (n1 - pitch - n0) / (n1 - n0), 1.0));
        (a0 + pitch, n1 - pitch)
    } else if let Some((a0, a1)) = pe.filter(|e| e.1 - e.0 >= 1.5 * w) {
        // The neighbour keeps the rest of the box and more: a box run over two glyphs can fall
        // short of the far one's end (reaching back no further than the glyph before it).
        let k = prev.unwrap_or(0);
        let start = (a1 - 2.5 * w).min(a0).max(k.checked_sub(1).map_or(0.0, |j| extent(&line.chars[j]).1));
        cut.push((k, (start - a0) / (a1 - a0), (a1 - w - a0) / (a1 - a0)));
        // At a line's end, half a glyph past the box too: the box can stop short of the unread
        // glyph's ink (see below).
        (a1 - w, if gn.is_none() { a1 + 0.5 * w } else { a1 })
    } else if let Some((n0, n1)) = ne.filter(|e| e.1 - e.0 >= 1.5 * w) {
        let k = next.unwrap_or(0);
        let end = (n0 + 2.5 * w).max(n1).min(line.chars.get(k + 1).map_or(len, |g| extent(g).0));
        cut.push((k, w / (n1 - n0), (end - n0) / (n1 - n0)));
        // At a line's start, half a glyph before the box too: the box can start inside the unread
        // glyph's ink (a heading «科学用药 安全» detected as two lines, «药 安» read «安» in one box
        // from the middle of 药, 6363/041).
        (if gp.is_none() { n0 - 0.5 * w } else { n0 }, n0 + w)
    } else if gn.is_none() && gp.is_some() {
        (u0, u0 + reach)
    } else if gp.is_none() && gn.is_some() {
        (u1 - reach, u1)
    } else {
        return Vec::new();
    };
    let at = |u: f32, top: bool| {
        let o = if top { q[0] } else { q[3] };
        axis.shift(o, u)
    };
    // Within the image: past its edge the crop would repeat the edge's pixels.
    let in_image = |p: &crate::geometry::Pt| p[0] >= 0.0 && p[1] >= 0.0 && p[0] <= page.width as f32 && p[1] <= page.height as f32;
    let inside = |u: f32| [at(u, true), at(u, false)].iter().all(in_image);
    let region = |u0: f32, u1: f32, cut: Vec<(usize, f32, f32)>| -> Option<UnreadRegion> {
        let (u0, u1) = (clip_to(u0, u1, &inside), clip_to(u1, u0, &inside));
        if (u1 - u0).abs() < 0.3 * em {
            return None;
        }
        let quad = if line.orientation == crate::ocr::Orientation::Horizontal {
            [at(u0, true), at(u1, true), at(u1, false), at(u0, false)]
        } else {
            // A column's glyphs stand upright: the crop is the region's upright box.
            let [x, y, w, h] = crate::geometry::bbox_of(&[at(u0, true), at(u1, true), at(u1, false), at(u0, false)]);
            [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
        };
        // The neighbours' own parts of their boxes: each quad between the two fractions along it.
        let neighbours = cut.into_iter().map(|(k, f0, f1)| (GlyphRef { line: li, index: k }, crate::geometry::quad_span_along(line.chars[k].quad, &axis, f0, f1)));
        Some(UnreadRegion { quad, neighbours: neighbours.collect(), glyph_len: w })
    };
    let mut out: Vec<UnreadRegion> = region(u0, u1, cut).into_iter().collect();
    // The other places a glyph long that the neighbours leave: right after the glyph before's box
    // and right before the next one's, each neighbour's box cut where the place overlaps it (the
    // recogniser's boxes around a glyph it did not read can be off by part of a glyph either way:
    // 踊's 足 after 家's box and its 甬 in 跃's, 5757/24; 狞 after 人, 5757/103).
    let overlap_cut = |p0: f32, p1: f32| -> Vec<(usize, f32, f32)> {
        let mut cut = Vec::new();
        if let (Some(k), Some((a0, a1))) = (prev, pe) {
            if a1 > p0 && p0 - a0 > 0.25 * w {
                cut.push((k, 0.0, (p0 - a0) / (a1 - a0)));
            }
        }
        if let (Some(k), Some((n0, n1))) = (next, ne) {
            if n0 < p1 && n1 - p1 > 0.25 * w {
                cut.push((k, (p1 - n0) / (n1 - n0), 1.0));
            }
        }
        cut
    };
    // A place that covers most of the box of the neighbour beyond it, when that box is about a
    // glyph long, holds that glyph: its box is its own (服's box run over a pseudo-character «药»,
    // whose other place after it was 期's ink, which matched 药's strokes loosely, 3535/133).
    let own_glyph = |e: Option<(f32, f32)>, p0: f32, p1: f32| e.is_some_and(|(b0, b1)| b1 - b0 < 1.25 * w && p1.min(b1) - p0.max(b0) > 0.5 * (b1 - b0));
    // They are tried only where the place along the line is (not run off the image).
    let mut places = Vec::new();
    if let Some((_, a1)) = pe.filter(|_| read_han(gp) && !out.is_empty()).filter(|&(_, a1)| !own_glyph(ne, a1, a1 + w)) {
        places.push((a1, a1 + w));
    }
    if let Some((n0, _)) = ne.filter(|_| read_han(gn) && !out.is_empty()).filter(|&(n0, _)| !own_glyph(pe, n0 - w, n0)) {
        places.push((n0 - w, n0));
    }
    for (p0, p1) in places {
        if (p0 - u0).abs() > 0.15 * w || (p1 - u1).abs() > 0.15 * w {
            out.extend(region(p0, p1, overlap_cut(p0, p1)));
        }
    }
    // A line of one glyph in a square box may be a piece of a column: the detector can box a
    // column's glyphs apart («安全第一» set down a column, 第 boxed alone and the flat 一 below it
    // in none, 6666/139). Its neighbour's place is also a glyph below it (or above, for one
    // before it), as wide as its box.
    if line.chars.len() == 1 && line.orientation == crate::ocr::Orientation::Horizontal && (gp.is_none() != gn.is_none()) && (band - len).abs() < 0.3 * band.max(len) {
        let down = crate::geometry::Axis::new(q[0], q[3]);
        let (d0, d1) = if gn.is_none() { (band, band + reach) } else { (-reach, 0.0) };
        let inside = |d: f32| [down.shift(q[0], d), down.shift(q[1], d)].iter().all(in_image);
        let (d0, d1) = (clip_to(d0, d1, &inside), clip_to(d1, d0, &inside));
        if (d1 - d0).abs() >= 0.3 * em {
            let quad = [down.shift(q[0], d0), down.shift(q[1], d0), down.shift(q[1], d1), down.shift(q[0], d1)];
            out.push(UnreadRegion { quad, neighbours: Vec::new(), glyph_len: len });
        }
    }
    out
}

/// Where an unread character would stand (`unread_region`).
struct UnreadRegion {
    quad: [crate::geometry::Pt; 4],
    /// When the region was cut from read neighbours' boxes (the recogniser ran the glyphs
    /// together under the neighbours' readings): those glyphs, and the part of each box left to it.
    neighbours: Vec<(GlyphRef, [crate::geometry::Pt; 4])>,
    /// A glyph's length along the line there (pixels).
    glyph_len: f32,
}

/// The least share of a glyph's length the larger side of the ink at an unread character's other
/// places (`unread_region`) spans for the place to be considered.
const OTHER_PLACE_INK: f32 = 0.75;

/// How far off its line-mates' median em (as a share of it) the em of the character fitted to the
/// ink at an unread character's place may be for the ink to be taken as a whole glyph. A clean
/// glyph's is within 0.13 of its line's for 99.9 % of them (38151 on mixed seed 4040).
const UNREAD_SIZE_OFF: f32 = 0.2;

/// Where the recogniser ran an unread intended character together with a read neighbour (one box
/// a glyph and a half long or more, under the neighbour's reading: «人拗» read 人): per such read
/// glyph, the part of its box left to it and the unread character's part, so that the glyph is
/// compared with its own ink alone. The place is the first that holds ink (the blank margin
/// before the next line's first glyph is not where «踊» of «大家 / 踊跃» stands when 家's box at
/// the line's end runs over it, 6666/228).
fn ran_together(img: &RgbImage, page: &Page, alignment: &Alignment) -> Vec<(GlyphRef, [crate::geometry::Pt; 4], [crate::geometry::Pt; 4])> {
    let mut out = Vec::new();
    for b in &alignment.blocks {
        for i in single_unread_han(b) {
            let CharMatch::Missing { after, before } = b.matches[i] else { continue };
            let inked = |r: &UnreadRegion| glyph_ink(img, &r.quad, &r.neighbours.iter().map(|n| n.1).collect::<Vec<_>>()).is_some();
            let region = unread_place(page, after, before).into_iter().find_map(|(li, prev, next)| unread_region(page, li, prev, next, false).into_iter().next().filter(inked));
            if let Some(UnreadRegion { quad, neighbours, .. }) = region {
                out.extend(neighbours.into_iter().map(|(r, own)| (r, own, quad)));
            }
        }
    }
    out
}

/// The indices of a block's intended Han characters that the recogniser did not read and whose
/// neighbours it did (a dropped run of several is not looked for one by one).
fn single_unread_han(b: &crate::align::BlockMatch) -> impl Iterator<Item = usize> + '_ {
    (0..b.matches.len()).filter(move |&i| {
        matches!(b.matches[i], CharMatch::Missing { .. })
            && b.chars[i].chars().next().is_some_and(is_han)
            && (i == 0 || !matches!(b.matches[i - 1], CharMatch::Missing { .. }))
            && !matches!(b.matches.get(i + 1), Some(CharMatch::Missing { .. }))
    })
}

/// `from` moved towards `to` until `inside` holds there (in steps of a twentieth of the way), or
/// `to` when it never does before.
fn clip_to(from: f32, to: f32, inside: &dyn Fn(f32) -> bool) -> f32 {
    (0..=20).map(|k| from + (to - from) * k as f32 / 20.0).find(|&u| inside(u)).unwrap_or(to)
}

/// Where an unread character may stand, from its alignment neighbours: lines and the glyphs before
/// and after it there. Between two adjacent glyphs of one line; else at the start of the next
/// glyph's line, then the end of the previous glyph's line, when the other neighbour is on another
/// line (or there is none).
fn unread_place(page: &Page, after: Option<GlyphRef>, before: Option<GlyphRef>) -> Vec<(usize, Option<usize>, Option<usize>)> {
    if let (Some(a), Some(n)) = (after, before) {
        if a.line == n.line {
            return if n.index == a.index + 1 { vec![(a.line, Some(a.index), Some(n.index))] } else { Vec::new() };
        }
    }
    let mut out = Vec::new();
    if let Some(n) = before.filter(|n| n.index == 0) {
        out.push((n.line, None, Some(0)));
    }
    if let Some(a) = after.filter(|a| a.index + 1 == page.lines[a.line].chars.len()) {
        out.push((a.line, Some(a.index), None));
    }
    out
}

/// Whether ink fits a character's strokes well enough to be that character, faint or not (see
/// `UnreadGlyph::matches`).
fn fit_matches(fit: &Fit) -> bool {
    fit.strokes.is_some_and(|s| s.worst_cover >= 0.5 && s.unexplained <= 0.3) && fit.missing <= 0.3
}

/// Looks, for each single intended Han character the recogniser did not read, at where it would
/// stand (`unread_place`, `unread_region`): when that region holds ink, compares the ink with the
/// character (a recogniser may skip a glyph it is unsure of; a dropped character leaves no gap),
/// by strokes and by grey levels against the face the line's `checks` are set in.
pub fn unread_glyphs(img: &RgbImage, page: &Page, alignment: &Alignment, refs: &References, checks: &[GlyphCheck]) -> Vec<UnreadGlyph> {
    let faces = line_faces(checks.iter(), page.lines.len());
    let fits = line_fits(checks);
    let mut out = Vec::new();
    for b in &alignment.blocks {
        // A single missing character: between two adjacent glyphs of one line, or at a line's
        // start or end (its neighbour on the other side, if any, on another line).
        for i in single_unread_han(b) {
            let (CharMatch::Missing { after, before }, want) = (&b.matches[i], &b.chars[i]) else { continue };
            let Some(wc) = want.chars().next() else { continue };
            // Of the places that hold ink (a line's start can be blank where the end is not), and
            // of the regions at each (`unread_region`), the one whose ink fits the character
            // best, of those that match its strokes if any do (the start of the next column can
            // hold other ink where the end of the column before holds the glyph, 3838/183); a read
            // neighbour's own part of a box the two were run together in is its ink. A place at
            // a line's end (start) reaches further when the intended text puts a space there.
            let spaced_at = |prev: Option<usize>, next: Option<usize>| match (prev, next) {
                (Some(_), None) => b.space_before.get(i).copied().unwrap_or(false),
                (None, Some(_)) => b.space_before.get(i + 1).copied().unwrap_or(false),
                _ => false,
            };
            // Every place's regions holding ink, with the character's fit there and its residual
            // against the line's face (or the fit's).
            let mut found: Vec<(usize, GlyphInk, CharFit, Option<(residual::Residual, Vec<usize>, Vec<f32>)>)> = Vec::new();
            for (li, prev, next) in unread_place(page, *after, *before) {
                for (k, r) in unread_region(page, li, prev, next, spaced_at(prev, next)).into_iter().enumerate() {
                    let beside: Vec<_> = r.neighbours.iter().map(|n| n.1).collect();
                    let Some(ink) = glyph_ink(img, &r.quad, &beside) else { continue };
                    // The other places count with ink about a glyph in size: a speck or a
                    // neighbour's edge matches any character's strokes loosely (a 7 px piece beside
                    // a 35 px pseudo-character «药», 808/270).
                    let ink_box = ink.crop_box_to_image(ink.canon.src_box);
                    if k > 0 && ink_box[2].max(ink_box[3]) < OTHER_PLACE_INK * r.glyph_len {
                        continue;
                    }
                    let Some(cf) = fit_char(&ink, refs, wc) else { continue };
                    let best_face = cf.refs[cf.best].face.as_str();
                    let mut cands: Vec<&str> = faces[li].as_deref().into_iter().collect();
                    if !cands.contains(&best_face) {
                        cands.push(best_face);
                    }
                    let res = measure_residual(&ink, refs, want, &cands, Some((cf.place, best_face)), (None, None));
                    found.push((li, ink, cf, res));
                }
            }
            // The one whose character, fitted, has about the em its line-mates' characters have
            // (a region that leaves out part of a glyph matches its strokes loosely: 且 alone of
            // a 助 whose 力 was swapped for 乞, fitted at 12 px on a line of 19, 4040/130), then
            // of those that match its strokes if any do, the one it fits best (ties keep the
            // earlier). With no line-mates' em, no region is preferred for its size.
            let rank = |f: &(usize, GlyphInk, CharFit, Option<(residual::Residual, Vec<usize>, Vec<f32>)>)| {
                let mates: Vec<f32> = fits.iter().filter(|m| m.0 == f.0).filter_map(|m| m.2.map(|r| r.em_px)).collect();
                let off = match (&f.3, mates.is_empty()) {
                    (Some(r), false) => (r.0.em_px / median(&mates).max(1.0) - 1.0).abs() > UNREAD_SIZE_OFF,
                    (None, false) => true,
                    (_, true) => false,
                };
                (off, !fit_matches(&f.2.fit), f.2.fit.cost)
            };
            let Some(pick) = (0..found.len()).min_by(|&a, &b| {
                let (ra, rb) = (rank(&found[a]), rank(&found[b]));
                ra.0.cmp(&rb.0).then(ra.1.cmp(&rb.1)).then(ra.2.total_cmp(&rb.2)).then(a.cmp(&b))
            }) else {
                continue;
            };
            let (li, ink, cf, res) = found.swap_remove(pick);
            let fit = cf.fit;
            let matches = fit_matches(&fit);
            let bbox = ink.crop_box_to_image(ink.canon.src_box);
            let best_face = cf.refs[cf.best].face.as_str();
            let (residual, residual_strokes) = match res {
                Some((r, st, _)) => (Some(r), st),
                None => (None, Vec::new()),
            };
            let peers = peers_of(&fits, li, None);
            let stroke_count = refs.strokes().and_then(|s| s.get(wc)).map(|c| c.medians.len());
            let best_face = best_face.to_string();
            // Ink that is not the character may be its form in the other script (從 for 从).
            let other_form = if matches {
                None
            } else {
                crate::variants::other_script_forms(wc).into_iter().find(|&v| fit_char(&ink, refs, v).is_some_and(|f| fit_matches(&f.fit))).map(String::from)
            };
            out.push(UnreadGlyph { block: b.block, index: i, intended: want.clone(), line: li, bbox, fit, matches, residual, residual_strokes, peers, stroke_count, best_face, other_form });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_mates_ink_run_into_the_glyph_is_left_out() {
        // A glyph (x 20..40) that a blurred neighbour (x 2..19) runs into by a bar at x 19..20:
        // one component, centred in the glyph's box, so it is kept whole unless the neighbour's box
        // is known.
        let mut img = RgbImage::from_pixel(60, 40, image::Rgb([255, 255, 255]));
        for (x0, x1, y0, y1) in [(20, 40, 10, 30), (2, 19, 10, 30), (19, 20, 18, 21)] {
            for y in y0..y1 {
                for x in x0..x1 {
                    img.put_pixel(x, y, image::Rgb([0, 0, 0]));
                }
            }
        }
        let own = [[20.0, 10.0], [40.0, 10.0], [40.0, 30.0], [20.0, 30.0]];
        let mate = [[2.0, 10.0], [19.0, 10.0], [19.0, 30.0], [2.0, 30.0]];
        // The crop starts 2 px before the glyph: its first column is the neighbour's (x 18).
        let column0 = |ink: &GlyphInk| (0..ink.dark.h).map(|y| ink.dark.v[y * ink.dark.w]).fold(0.0f32, f32::max);
        let alone = glyph_ink(&img, &own, &[]).unwrap();
        assert!(column0(&alone) > 0.5, "without the neighbour's box its ink is taken");
        let beside = glyph_ink(&img, &own, &[mate]).unwrap();
        assert_eq!(column0(&beside), 0.0, "with it, the neighbour's ink is left out");
        // Its binarised ink too (the bar at x 19, between the two boxes, stays).
        assert_eq!(alone.canon.src_box[0], 0.0);
        assert_eq!(beside.canon.src_box[0], 1.0, "{:?}", beside.canon.src_box);
    }

    /// A 十 in a 32-pixel crop (reference em 64 placed at half scale): the vertical drawn, the
    /// horizontal as given.
    fn cross(with_horizontal: bool) -> residual::Darkness {
        let (w, h) = (32, 32);
        let v = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let vertical = (15..=17).contains(&x) && (4..=28).contains(&y);
                let horizontal = (15..=17).contains(&y) && (4..=28).contains(&x);
                if vertical || (with_horizontal && horizontal) { 1.0 } else { 0.0 }
            })
            .collect();
        residual::Darkness { w, h, v }
    }

    const MEDIANS: [[[u8; 2]; 2]; 2] = [[[18, 130], [230, 130]], [[130, 18], [130, 230]]];

    #[test]
    fn a_stroke_crossed_by_another_is_missing_whole_though_its_patch_is_half() {
        let medians: Vec<Vec<[u8; 2]>> = MEDIANS.iter().map(|m| m.to_vec()).collect();
        let (glyph, rendering) = (cross(false), cross(true));
        let lacking = residual::lacking(&glyph, None, &rendering.v);
        // The largest missing patch is one arm of the horizontal: the crossing splits it.
        let left_arm = [4.0, 15.0, 15.0, 18.0];
        let place = residual::Affine::similarity(0.5, [0.0, 0.0]);
        let (most, named) = strokes_lacking(&medians, &lacking, &glyph, place, left_arm);
        assert_eq!(named, vec![1]);
        // All of the horizontal's median lacks ink but where the vertical crosses it.
        assert!(most > 0.75 && most < 1.0, "{most}");
        // Drawn whole, nothing is missing.
        let whole = cross(true);
        assert_eq!(strokes_lacking(&medians, &residual::lacking(&whole, None, &rendering.v), &whole, place, left_arm), (0.0, vec![]));
    }
}
