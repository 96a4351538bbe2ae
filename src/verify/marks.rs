//! Unread punctuation: takes the image, the OCR page and the alignment; gives, for each intended
//! punctuation mark the recogniser did not read where the text breaks between two lines (or
//! begins or ends), whether there is mark-sized ink at the end of the line before or the start of
//! the line after, and where. Recognisers drop lone marks at line edges (a "。" pushed to the start of a line, a "“"
//! left hanging at its end): the rules can then judge the mark's place instead of calling it missing.

use crate::align::{Alignment, CharMatch, GlyphRef};
use crate::clreq::is_punct;
use crate::ocr::{Orientation, Page};
use crate::raster::{binarize_plane, connected_components, Component};
use image::RgbImage;
use serde::{Deserialize, Serialize};

/// Which edge of a line the unread mark's ink is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edge {
    LineEnd,
    LineStart,
    /// Alone at the start of an unread line below line `line` (a "。" pushed onto a line of its own).
    BelowLine,
    /// Inside a line, between two glyphs that were read.
    Inline,
}

/// Ink of an intended mark the recogniser did not read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadMark {
    /// Intended block and character index within it.
    pub block: usize,
    pub index: usize,
    pub edge: Edge,
    /// OCR line the ink belongs to.
    pub line: usize,
    /// Image box of the ink `[x, y, w, h]`.
    pub bbox: [f32; 4],
}

/// Finds the ink of unread marks at line breaks (horizontal and vertical lines).
pub fn unread_marks(img: &RgbImage, page: &Page, alignment: &Alignment) -> Vec<UnreadMark> {
    let mut out = Vec::new();
    for b in &alignment.blocks {
        for (i, (m, want)) in b.matches.iter().zip(&b.chars).enumerate() {
            if !want.chars().next().is_some_and(is_punct) {
                continue;
            }
            let (a, n) = match m {
                CharMatch::Missing { after: Some(a), before: Some(n) } => (a, n),
                CharMatch::Missing { after: Some(a), before: None } => {
                    // The block's last mark: at the end of the last line read (or before what the
                    // recogniser made of it there, letters or characters no block explains: "」。"
                    // read as "J"; a mark read there is another mark, not an unread one).
                    let chars = &page.lines[a.line].chars;
                    let rest_unexplained = (a.index + 1..chars.len())
                        .all(|i| alignment.unexplained.contains(&GlyphRef { line: a.line, index: i }) && !chars[i].char.chars().next().is_some_and(is_punct));
                    if rest_unexplained {
                        if let Some(bbox) = ink_beside(img, page, *a, true) {
                            out.push(UnreadMark { block: b.block, index: i, edge: Edge::LineEnd, line: a.line, bbox });
                        } else if let Some(bbox) = lone_mark_below(img, page, a.line) {
                            out.push(UnreadMark { block: b.block, index: i, edge: Edge::BelowLine, line: a.line, bbox });
                        }
                    }
                    continue;
                }
                CharMatch::Missing { after: None, before: Some(n) } => {
                    // The block's first mark (an opening quote): at the start of the first line read.
                    if n.index == 0 {
                        if let Some(bbox) = ink_beside(img, page, *n, false) {
                            out.push(UnreadMark { block: b.block, index: i, edge: Edge::LineStart, line: n.line, bbox });
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            if a.line == n.line {
                // Between two glyphs read on one line: the mark's ink in the gap between them.
                if n.index == a.index + 1 {
                    if let Some(bbox) = ink_between(img, page, *a, *n) {
                        out.push(UnreadMark { block: b.block, index: i, edge: Edge::Inline, line: a.line, bbox });
                    }
                }
                continue;
            }
            // Only a break right after `a` (its line's last glyph) and right before `n` (first).
            let last = page.lines[a.line].chars.len().checked_sub(1);
            if Some(a.index) != last || n.index != 0 {
                continue;
            }
            // Two pieces of one row (the detector split it at the gap the mark left unread): the
            // mark stands inside the row, between them, not at a line's end.
            if one_row(page, a.line, n.line) {
                if let Some(bbox) = ink_between(img, page, *a, *n) {
                    out.push(UnreadMark { block: b.block, index: i, edge: Edge::Inline, line: a.line, bbox });
                }
                continue;
            }
            // Ink another unread mark of the break already took is not this one's («，“» unread
            // across a break: the «，» ends the line, the «“» starts the next).
            let free = |bb: &[f32; 4]| !out.iter().any(|u: &UnreadMark| u.bbox == *bb);
            if let Some(bbox) = ink_beside(img, page, *a, true).filter(free) {
                out.push(UnreadMark { block: b.block, index: i, edge: Edge::LineEnd, line: a.line, bbox });
            } else if let Some(bbox) = ink_beside(img, page, *n, false).filter(free) {
                out.push(UnreadMark { block: b.block, index: i, edge: Edge::LineStart, line: n.line, bbox });
            }
        }
    }
    out
}

/// Whether horizontal lines `a` and `b` are two pieces of one row, `b` after `a`: level, half
/// their height or more shared across, and `b` further along (the detector's boxes of the two
/// pieces can overlap).
fn one_row(page: &Page, a: usize, b: usize) -> bool {
    let (la, lb) = (&page.lines[a], &page.lines[b]);
    let level = |l: &crate::ocr::Line| l.orientation == Orientation::Horizontal && l.angle.abs() <= 2.0;
    if !level(la) || !level(lb) {
        return false;
    }
    let (p, q) = (crate::geometry::bbox_of(&la.quad), crate::geometry::bbox_of(&lb.quad));
    let shared = (p[1] + p[3]).min(q[1] + q[3]) - p[1].max(q[1]);
    shared >= 0.5 * p[3].min(q[3]) && q[0] > p[0] + 0.5 * p[2] && q[0] + q[2] > p[0] + p[2]
}

/// Mark-sized ink in the gap between two neighbouring glyphs of a horizontal line (or of two
/// pieces of one row).
fn ink_between(img: &RgbImage, page: &Page, a: GlyphRef, n: GlyphRef) -> Option<[f32; 4]> {
    let line = &page.lines[a.line];
    if line.orientation != Orientation::Horizontal {
        return None;
    }
    let (ga, gn) = (&line.chars[a.index], &page.lines[n.line].chars[n.index]);
    if !ga.ink_found || !gn.ink_found {
        return None;
    }
    let lb = if n.line == a.line { crate::geometry::bbox_of(&line.quad) } else { crate::geometry::bbox_of(&[line.quad, page.lines[n.line].quad].concat()) };
    let em = lb[3].max(1.0);
    let (l, r) = (ga.bbox[0] + ga.bbox[2], gn.bbox[0]);
    if r - l < 0.25 * em {
        return None;
    }
    let m = 0.2 * em;
    let (cx0, cy0) = (l.floor().max(0.0) as u32, (lb[1] - m).floor().max(0.0) as u32);
    let (cx1, cy1) = ((r.ceil().max(0.0) as u32).min(img.width()), ((lb[1] + lb[3] + m).ceil().max(0.0) as u32).min(img.height()));
    if cx1 <= cx0 + 2 || cy1 <= cy0 + 2 {
        return None;
    }
    // The two glyphs' rows set the threshold: binarise the whole stretch of line around the gap.
    let (fx0, fx1) = ((ga.bbox[0].floor().max(0.0) as u32).min(cx0), ((gn.bbox[0] + gn.bbox[2]).ceil().max(0.0) as u32).min(img.width()).max(cx1));
    marks_in(img, [fx0, cy0, fx1, cy1], em, 0.9, |c, _, _, h| {
        let (x0, x1) = (c.x0 as f32 + fx0 as f32, c.x1 as f32 + fx0 as f32);
        // Up to the glyphs' boxes (half a pixel for their sub-pixel edges): a «「» set tight
        // against the 血 after it ends where 血's box begins (4747/151).
        x0 >= l - 0.5 && x1 <= r + 0.5 && c.y0 > 0 && c.y1 < h
    })
}

/// Binarises the image region `[x0, y0, x1, y1]` as one raster and gives the box (image pixels) of
/// its mark-sized components that `keep` accepts (given all components, the raster's width and height): at least
/// (0.05 em)² in area, at most 0.7 em wide and `max_h_em` tall, one to three of them.
fn marks_in(img: &RgbImage, rect: [u32; 4], em: f32, max_h_em: f32, keep: impl Fn(&Component, &[Component], usize, usize) -> bool) -> Option<[f32; 4]> {
    let crop = image::imageops::crop_imm(img, rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1]).to_image();
    let bin = binarize_plane(&crop);
    let (w, h) = (bin.width, bin.height);
    let (comps, _) = connected_components(&bin.ink, w, h);
    let min_area = ((0.05 * em) * (0.05 * em)).max(2.0) as usize;
    let marks: Vec<&Component> = comps
        .iter()
        .filter(|c| c.area >= min_area && keep(c, &comps, w, h))
        .filter(|c| ((c.x1 - c.x0) as f32) <= 0.7 * em && ((c.y1 - c.y0) as f32) <= max_h_em * em)
        .collect();
    if marks.is_empty() || marks.len() > 3 {
        return None;
    }
    let (ox, oy) = (rect[0] as f32, rect[1] as f32);
    let pts: Vec<[f32; 2]> = marks.iter().flat_map(|c| [[c.x0 as f32 + ox, c.y0 as f32 + oy], [c.x1 as f32 + ox, c.y1 as f32 + oy]]).collect();
    Some(crate::geometry::bbox_of(&pts))
}

/// A mark alone at the start of the row below horizontal line `li` (within one line pitch, at the
/// line's left edge, with nothing but mark-sized ink beside it): a line the detector did not find.
fn lone_mark_below(img: &RgbImage, page: &Page, li: usize) -> Option<[f32; 4]> {
    let line = &page.lines[li];
    if line.orientation != Orientation::Horizontal || line.angle.abs() > 2.0 {
        return None;
    }
    let lb = crate::geometry::bbox_of(&line.quad);
    let em = lb[3].max(1.0);
    // The line's first glyph sets the threshold; the row below is searched.
    let first = line.chars.iter().find(|g| g.ink_found)?;
    let (x0, x1) = (lb[0] - 0.3 * em, (first.bbox[0] + first.bbox[2]).max(lb[0] + 1.6 * em));
    // Down to the next line read below, if nearer (its glyphs are not a lone mark).
    let next_top = page
        .lines
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != li)
        .map(|(_, l)| crate::geometry::bbox_of(&l.quad))
        .filter(|b| b[1] > lb[1] + lb[3] && b[0] < x1 && b[0] + b[2] > x0)
        .map(|b| b[1])
        .fold(f32::MAX, f32::min);
    let (y0, y1) = (first.bbox[1], (lb[1] + lb[3] + 1.6 * em).min(next_top));
    let (cx0, cy0) = (x0.floor().max(0.0) as u32, y0.floor().max(0.0) as u32);
    let (cx1, cy1) = ((x1.ceil().max(0.0) as u32).min(img.width()), (y1.ceil().max(0.0) as u32).min(img.height()));
    if cx1 <= cx0 + 2 || cy1 <= cy0 + 2 {
        return None;
    }
    let below = lb[1] + lb[3] + 0.1 * em - cy0 as f32;
    let crop = image::imageops::crop_imm(img, cx0, cy0, cx1 - cx0, cy1 - cy0).to_image();
    let bin = binarize_plane(&crop);
    let (w, h) = (bin.width, bin.height);
    let (comps, _) = connected_components(&bin.ink, w, h);
    let min_area = ((0.05 * em) * (0.05 * em)).max(2.0) as usize;
    let row: Vec<&Component> = comps.iter().filter(|c| c.area >= min_area && c.cy > below).collect();
    let mark_sized = |c: &Component| ((c.x1 - c.x0) as f32) <= 0.7 * em && ((c.y1 - c.y0) as f32) <= 0.7 * em && c.x0 > 0 && c.x1 < w && c.y1 < h;
    if row.is_empty() || row.len() > 3 || !row.iter().all(|c| mark_sized(c)) {
        return None;
    }
    let (ox, oy) = (cx0 as f32, cy0 as f32);
    let pts: Vec<[f32; 2]> = row.iter().flat_map(|c| [[c.x0 as f32 + ox, c.y0 as f32 + oy], [c.x1 as f32 + ox, c.y1 as f32 + oy]]).collect();
    Some(crate::geometry::bbox_of(&pts))
}

/// Mark-sized ink within an em and a half after (`after = true`) or before glyph `r` along its line.
fn ink_beside(img: &RgbImage, page: &Page, r: GlyphRef, after: bool) -> Option<[f32; 4]> {
    let line = &page.lines[r.line];
    let g = &line.chars[r.index];
    if !g.ink_found {
        return None;
    }
    let vertical = match line.orientation {
        Orientation::Horizontal => false,
        Orientation::Vertical => true,
        Orientation::Rotated180 => return None,
    };
    let lb = crate::geometry::bbox_of(&line.quad);
    let b = g.bbox;
    let em = if vertical { lb[2] } else { lb[3] }.max(b[2]).max(b[3]);
    // The glyph plus one em beyond it, across the whole line band: one raster, one threshold
    // (the glyph's ink sets it, so plain background does not turn into "ink").
    let m = 0.2 * em;
    // A mark's ink can sit an em and a half from its neighbour's (a bracket's ink hugs its far side).
    let reach = 1.6 * em;
    let (x0, y0, x1, y1) = if vertical {
        let (t, u) = if after { (b[1], b[1] + b[3] + reach) } else { (b[1] - reach, b[1] + b[3]) };
        (lb[0] - m, t, lb[0] + lb[2] + m, u)
    } else {
        let (l, rr) = if after { (b[0], b[0] + b[2] + reach) } else { (b[0] - reach, b[0] + b[2]) };
        (l, lb[1] - m, rr, lb[1] + lb[3] + m)
    };
    let (cx0, cy0) = (x0.floor().max(0.0) as u32, y0.floor().max(0.0) as u32);
    let (cx1, cy1) = ((x1.ceil().max(0.0) as u32).min(img.width()), (y1.ceil().max(0.0) as u32).min(img.height()));
    if cx1 <= cx0 + 2 || cy1 <= cy0 + 2 {
        return None;
    }
    // The region beside the glyph, a little clear of the glyph's own ink: past its box, or past
    // the ink reaching into the middle of its box (the recogniser's box can take in a mark it did
    // not read: the «，» right after «糖»).
    let gap = 0.05 * em;
    let (o, a0, a1) = if vertical { (cy0 as f32, b[1], b[1] + b[3]) } else { (cx0 as f32, b[0], b[0] + b[2]) };
    let span = |c: &Component| if vertical { (c.y0 as f32 + o, c.y1 as f32 + o, c.cy + o) } else { (c.x0 as f32 + o, c.x1 as f32 + o, c.cx + o) };
    let (m0, m1) = (a0 + 0.2 * (a1 - a0), a1 - 0.2 * (a1 - a0));
    // A closing bracket (a «」» read as «]») is one piece at its box's near end: what begins past
    // the box's first 40 % is not its ink (the «。» the box of a line-final «」» took in, 5757/225).
    // Not so quotes, colons or «%», which are several pieces.
    let mark_host = g.char.chars().next().is_some_and(|c| "」』）〕】》〉)]}".contains(c));
    let near = |s: &(f32, f32, f32)| if after { s.0 <= a0 + 0.4 * (a1 - a0) } else { s.1 >= a1 - 0.4 * (a1 - a0) };
    let own_ink = |all: &[Component]| {
        let own = all.iter().map(span).filter(|s| s.0 <= m1 && s.1 >= m0).filter(|s| !mark_host || near(s));
        own.fold((f32::INFINITY, f32::NEG_INFINITY), |e, s| (e.0.min(s.0), e.1.max(s.1)))
    };
    let beside = |c: &Component, all: &[Component]| {
        let (s0, s1, sc) = span(c);
        let (i0, i1) = own_ink(all);
        if after {
            sc > a1 + gap || s0 > i1 + gap
        } else {
            sc < a0 - gap || s1 < i0 - gap
        }
    };
    // Texture and neighbours' edges touch the raster's border; a mark sits inside it.
    marks_in(img, [cx0, cy0, cx1, cy1], em, 0.7, |c, all, w, h| beside(c, all) && c.x0 > 0 && c.y0 > 0 && c.x1 < w && c.y1 < h)
}
