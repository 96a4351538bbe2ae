//! Stage `ocr::recognize` (geometry part): takes a line sampled at native resolution and the CTC
//! character spans mapped onto it; gives each character the box of its own ink (connected components
//! assigned to the character's cell by centroid; components wider than a cell are cut at the cell edge;
//! a narrow mark's cell and an over-wide Han glyph's cell give up ink that cannot be theirs).

use crate::raster::{binarize_plane, connected_components};
use image::RgbImage;

/// Ink box in line-local coordinates: `[u0, v0, u1, v1]` (u along the line, v across it).
pub type LocalBox = [f32; 4];

/// What the recogniser read in each cell of a line, one flag per cell.
pub struct CellReads<'a> {
    /// A narrow mark (，。、：；！？“”‘’), whose ink is at most half an em wide.
    pub narrow: &'a [bool],
    /// A closing bracket or quote (」』）〕】”’), narrow too, its ink at the cell's leading side.
    pub closing: &'a [bool],
    /// A Han character, whose ink is about as wide as its line-mates'.
    pub han: &'a [bool],
    /// A space, which has no ink of its own.
    pub blank: &'a [bool],
}

/// Finds the ink box of each cell `[u_start, u_end)` of a line raster. The raster may reach beyond
/// the line's detected band `[v0, v1)` across the line and its extent `along` it: ink is taken from
/// components that reach into the band and lie mostly within the extent, whole. Returns `None` for
/// cells without ink (e.g. spaces). `read` says what each cell was read as. `theirs`: other lines'
/// boxes in the raster's frame. `column`: for a glyph tile of a column (its band runs down the
/// column), whether the band's leading and trailing edges are cuts between the column's glyphs,
/// beyond which ink is the next glyph's.
pub fn refine_cells(line: &RgbImage, cells: &[(f32, f32)], read: &CellReads, band: (f32, f32), along: (f32, f32), theirs: &[LocalBox], column: Option<[bool; 2]>) -> Vec<Option<LocalBox>> {
    let (narrow, closing, han) = (read.narrow, read.closing, read.han);
    let bin = binarize_plane(line);
    let (w, h) = (bin.width, bin.height);
    let band_h = (band.1 - band.0).max(1.0);
    let (comps, labels) = connected_components(&bin.ink, w, h);
    // Ignore specks (noise, JPEG artefacts) relative to the line height.
    let min_area = ((band_h * band_h) * 0.0008).max(2.0) as usize;
    // How tall the line's glyphs ink: the median height of the pieces standing over half the band
    // and inside the raster (the detection band runs a third taller than the ink).
    let mut tall: Vec<f32> = comps.iter().filter(|c| c.area >= min_area && c.y0 > 0 && c.y1 < h && (c.y1 - c.y0) as f32 >= 0.5 * band_h).map(|c| (c.y1 - c.y0) as f32).collect();
    tall.sort_by(f32::total_cmp);
    let glyph_h = tall.get(tall.len() / 2).copied().unwrap_or(band_h).min(band_h);
    // Seams are sought in the line's own ink: pieces that reach into its band and are not specks
    // (a dark noisy background binarised in a colour channel leaves a pixel or two in most
    // columns of the margins, which would widen a small «。»'s ink to two thirds of an em and
    // have the seam cut through it: 14 px Smiley Sans «得。», 5151/201).
    let own = |c: &crate::raster::Component| c.area >= min_area && c.y1 as f32 > band.0 && (c.y0 as f32) < band.1;
    let solid: Vec<bool> = labels.iter().map(|&l| l > 0 && own(&comps[l as usize - 1])).collect();
    let (cells, cut) = snap_boundaries(&solid, w, h, cells, glyph_h, along, read);
    let cells = &cells[..];
    let mut boxes: Vec<Option<LocalBox>> = vec![None; cells.len()];
    let cell_of = |u: f32| cells.iter().position(|&(a, b)| u >= a && u < b);
    let mut wide: Vec<usize> = Vec::new();
    let mut assigned: Vec<Vec<usize>> = vec![Vec::new(); cells.len()];
    let mut clipped: Vec<usize> = Vec::new();
    for (ci, c) in comps.iter().enumerate() {
        if c.area < min_area {
            continue;
        }
        // Background blobs that touch both long edges of the raster are not glyph ink.
        if c.y0 == 0 && c.y1 == h && (c.x1 - c.x0) as f32 > 1.5 * h as f32 {
            continue;
        }
        // Ink wholly outside the band belongs to other lines, and ink mostly beyond the line's
        // ends to other text (a clipped dot is still half inside; the next word barely reaches in).
        let inside = (c.x1 as f32).min(along.1) - (c.x0 as f32).max(along.0);
        if c.y1 as f32 <= band.0 || c.y0 as f32 >= band.1 {
            continue;
        }
        // Ink centred beyond the band and inside another line's box is that line's: a small line
        // set tight under a large title reaches into the title's band (its top rows under 知识,
        // 5656/196).
        let in_theirs = theirs.iter().any(|b| c.cx >= b[0] && c.cx <= b[2] && c.cy >= b[1] && c.cy <= b[3]);
        if (c.cy < band.0 || c.cy >= band.1) && in_theirs {
            continue;
        }
        if inside < 0.4 * (c.x1 - c.x0) as f32 {
            // A small piece the box clipped deeper (the left dot of a 75 px serif 心, 4 of its 11
            // px inside: 4747/203) may still be the line's end glyph's: see below.
            let small = ((c.x1 - c.x0) as f32) < 0.35 * band_h && ((c.y1 - c.y0) as f32) < 0.6 * band_h;
            if inside > 0.0 && c.x0 > 0 && c.x1 < w && small && c.y0 as f32 >= band.0 && c.y1 as f32 <= band.1 && !in_theirs {
                clipped.push(ci);
            }
            continue;
        }
        if let Some(cuts) = column {
            // Across a cut between a column's glyphs, ink centred beyond the cut is the
            // neighbour's, ink centred inside it this glyph's, whole (the foot of a 合 reaching
            // the cut, 1212/296).
            if (cuts[0] && c.cy < band.0) || (cuts[1] && c.cy >= band.1) {
                continue;
            }
            // Ink running past both ends of a glyph's tile is a rule beside the column, and thin
            // ink running across the whole tile a rule across it, not the glyph's (the frame and
            // the rules between a woodblock page's columns).
            let across_tile = c.x0 == 0 && c.x1 == w && ((c.y1 - c.y0) as f32) < 0.15 * band_h;
            if ((c.y0 as f32) < band.0 && c.y1 as f32 > band.1) || across_tile {
                continue;
            }
        }
        // Pieces of the lines above and below reach into the band from the raster's edge.
        if (c.y0 == 0 && c.cy < band.0 + 0.25 * band_h) || (c.y1 == h && c.cy > band.1 - 0.25 * band_h) {
            continue;
        }
        let first = cell_of(c.x0 as f32 + 0.5);
        let last = cell_of(c.x1 as f32 - 0.5);
        // Touching glyphs a seam was cut through (see `snap_boundaries`) are parted there too.
        let crosses_cut = cut.iter().any(|&u| u > c.x0 as f32 + 0.5 && u < c.x1 as f32 - 0.5);
        if first.is_some() && first != last && ((c.x1 - c.x0) as f32 > 0.8 * band_h || crosses_cut) {
            wide.push(ci);
            continue;
        }
        if let Some(k) = cell_of(c.cx + 0.5) {
            assigned[k].push(ci);
        }
    }
    // Extent along the line of a set of components: first and last column, None for no ink.
    let extent = |list: &[usize]| -> Option<(usize, usize)> { Some((list.iter().map(|&i| comps[i].x0).min()?, list.iter().map(|&i| comps[i].x1).max()?)) };
    // A small piece mostly beyond the line's end, wholly within the raster and the band and in no
    // other line's box, is the end glyph's when it stands as close to that glyph's ink as a
    // glyph's parts do: what reaches in from other text or a decoration runs on beyond the margin,
    // is large, stands apart, or lies in the box of the text it belongs to (the «起» boxed apart
    // right after «券后价￥» on a real poster).
    for ci in clipped {
        let c = comps[ci];
        let leading = (c.x0 as f32) < along.0;
        let k = if leading { 0 } else { cells.len() - 1 };
        let near = extent(&assigned[k]).is_some_and(|(x0, x1)| {
            let gap = if leading { x0 as f32 - c.x1 as f32 } else { c.x0 as f32 - x1 as f32 };
            (0.0..=0.2 * band_h).contains(&gap)
        });
        if near {
            assigned[k].push(ci);
        }
    }
    let span = |list: &[usize]| extent(list).map_or(0.0, |(x0, x1)| x1.saturating_sub(x0) as f32);
    // A space has no ink: a piece its cell took that reaches into (or touches) the ink of the
    // glyph beside it is that glyph's (为's hook before the space in «为 2025», its serif stroke
    // parted from the rest). Ink standing apart stays, as ink nobody read.
    for k in (0..cells.len()).filter(|&k| read.blank.get(k) == Some(&true)) {
        let sides: Vec<(usize, usize, usize)> = [k.checked_sub(1), Some(k + 1).filter(|&j| j < cells.len())]
            .into_iter()
            .flatten()
            .filter(|&j| read.blank.get(j) != Some(&true))
            .filter_map(|j| extent(&assigned[j]).map(|(x0, x1)| (j, x0, x1)))
            .collect();
        let mut kept = Vec::new();
        for ci in std::mem::take(&mut assigned[k]) {
            let c = comps[ci];
            let gap = |&(j, x0, x1): &(usize, usize, usize)| ((c.x0 as f32 - x1 as f32).max(x0 as f32 - c.x1 as f32), j);
            let to = sides.iter().map(gap).filter(|g| g.0 <= 0.1 * band_h).min_by(|a, b| a.0.total_cmp(&b.0));
            match to {
                Some((_, j)) => assigned[j].push(ci),
                None => kept.push(ci),
            }
        }
        assigned[k] = kept;
    }
    // A narrow mark (，。、：；！？“”‘’) is under half an em wide: when its cell holds wider ink, the
    // components nearest the glyph before it are that glyph's (the 口 of 加, the 刂 of 倒); what is
    // still too wide at the far side is the Han glyph after's when it nearly touches that glyph,
    // else ink the recogniser did not read (a "。" after "”") and stays out of the mark's box. A
    // closing bracket's ink is its leading piece: it is never the glyph before's (a "。" after "」"
    // is what is too wide).
    for k in 0..cells.len() {
        let closes = closing.get(k) == Some(&true);
        if !narrow[k] && !closes {
            continue;
        }
        assigned[k].sort_by(|&a, &b| comps[a].cx.total_cmp(&comps[b].cx));
        let too_wide = |list: &[usize]| list.len() > 1 && span(list) > 0.35 * band_h;
        while too_wide(&assigned[k]) {
            // The leftmost piece goes back to the glyph before when it (nearly) touches that glyph.
            let prev_end = if k > 0 && !narrow[k - 1] { extent(&assigned[k - 1]).map(|e| e.1) } else { None };
            let first = comps[assigned[k][0]];
            // A closing quote's ink sits high in the line: a leading piece reaching well below
            // the middle is the glyph before's (the 刂 of 倒 in "倒”").
            let quote_low = closes && narrow[k] && first.y1 as f32 > band.0 + 0.6 * band_h;
            // The rightmost piece goes on to a Han glyph after when it (nearly) touches that
            // glyph's ink: the boundary after an opening quote can fall inside the glyph it opens
            // (服's 月 in «“服», 4848/87).
            let next_start = if k + 1 < cells.len() && han.get(k + 1) == Some(&true) { extent(&assigned[k + 1]).map(|e| e.0) } else { None };
            let last = comps[assigned[k][assigned[k].len() - 1]];
            if (!closes || quote_low) && prev_end.is_some_and(|e| (first.x0 as f32) - (e as f32) < 0.2 * band_h) {
                let moved = assigned[k].remove(0);
                assigned[k - 1].push(moved);
            } else if next_start.is_some_and(|s| (s as f32) - (last.x1 as f32) < 0.2 * band_h) {
                let moved = assigned[k].pop().unwrap();
                assigned[k + 1].push(moved);
            } else {
                assigned[k].pop();
            }
        }
    }
    // A read narrow mark beside a Han glyph whose ink the cell boundary gave to the glyph (the dot
    // of "？" in "生？") gets its thin pieces back: a piece standing apart from the rest of the
    // glyph and reaching over or under the mark's own ink. (A piece merely nearer the mark stays:
    // the dot of 小 before "，" is 小's.)
    let thin = |c: &crate::raster::Component| ((c.x1 - c.x0) as f32) < 0.35 * band_h;
    for k in (0..cells.len()).filter(|&k| han.get(k) == Some(&true)) {
        for side in [1isize, -1] {
            let Some(m) = k.checked_add_signed(side).filter(|&m| m < cells.len() && narrow[m]) else { continue };
            loop {
                if assigned[k].len() < 2 || assigned[m].is_empty() {
                    break;
                }
                assigned[k].sort_by(|&a, &b| comps[a].cx.total_cmp(&comps[b].cx));
                let list = &assigned[k];
                let (edge, inner) = if side > 0 { (list[list.len() - 1], &list[..list.len() - 1]) } else { (list[0], &list[1..]) };
                let e = comps[edge];
                let (rest_x0, rest_x1) = extent(inner).unwrap_or((0, 0));
                let (mark_x0, mark_x1) = extent(&assigned[m]).unwrap_or((0, 0));
                let (gap_rest, gap_mark) = if side > 0 {
                    (e.x0 as f32 - rest_x1 as f32, mark_x0 as f32 - e.x1 as f32)
                } else {
                    (rest_x0 as f32 - e.x1 as f32, e.x0 as f32 - mark_x1 as f32)
                };
                if !thin(&e) || gap_rest < 0.0 || gap_mark >= 0.0 {
                    break;
                }
                let moved = if side > 0 { assigned[k].pop().unwrap() } else { assigned[k].remove(0) };
                assigned[m].push(moved);
            }
        }
    }
    // A Han glyph much wider than its line-mates with a thin piece standing apart at one side holds
    // a mark the recogniser did not read (the "「" of "「咨"): that piece stays out of its box.
    let mut han_widths: Vec<f32> = (0..cells.len()).filter(|&k| han.get(k) == Some(&true) && !assigned[k].is_empty()).map(|k| span(&assigned[k])).collect();
    han_widths.sort_by(f32::total_cmp);
    if han_widths.len() >= 3 {
        let typical = han_widths[han_widths.len() / 2];
        // Two Han glyphs side by side, one narrower and one wider than their line-mates, the wider
        // one with a thin piece standing apart on the narrower one's side: the boundary gave the
        // piece to the wrong glyph (the dot of 办 to 单 in "办单"). It goes back when that brings
        // both nearer the line's width.
        for k in 0..cells.len().saturating_sub(1) {
            if han.get(k) != Some(&true) || han.get(k + 1) != Some(&true) {
                continue;
            }
            for (from, to) in [(k + 1, k), (k, k + 1)] {
                if assigned[from].len() < 2 || assigned[to].is_empty() {
                    continue;
                }
                let (wf, wt) = (span(&assigned[from]), span(&assigned[to]));
                if wf <= 1.1 * typical || wt >= 0.9 * typical {
                    continue;
                }
                assigned[from].sort_by(|&a, &b| comps[a].cx.total_cmp(&comps[b].cx));
                let list = &assigned[from];
                let (edge, inner) = if to < from { (list[0], &list[1..]) } else { (list[list.len() - 1], &list[..list.len() - 1]) };
                let e = comps[edge];
                let apart = if to < from { inner.iter().all(|&i| comps[i].x0 >= e.x1) } else { inner.iter().all(|&i| comps[i].x1 <= e.x0) };
                if !thin(&e) || !apart {
                    continue;
                }
                let mut f2 = assigned[from].clone();
                f2.retain(|&i| i != edge);
                let mut t2 = assigned[to].clone();
                t2.push(edge);
                let dev = |a: f32, b: f32| (a - typical).abs() + (b - typical).abs();
                if dev(span(&f2), span(&t2)) < dev(wf, wt) {
                    assigned[from] = f2;
                    assigned[to] = t2;
                }
            }
        }
        for k in (0..cells.len()).filter(|&k| han.get(k) == Some(&true)) {
            let list = &mut assigned[k];
            if list.len() < 2 || span(list) <= 1.3 * typical {
                continue;
            }
            list.sort_by(|&a, &b| comps[a].cx.total_cmp(&comps[b].cx));
            let (first, second) = (comps[list[0]], comps[list[1]]);
            let (last, before_last) = (comps[list[list.len() - 1]], comps[list[list.len() - 2]]);
            let rest_x0 = extent(&list[1..]).map_or(0, |e| e.0);
            let rest_x1 = extent(&list[..list.len() - 1]).map_or(0, |e| e.1);
            // Standing apart: by a gap, or merely not touching in a box half again as wide as its
            // line-mates' that is a glyph's width without the piece (a tightly set «「血»,
            // 4747/151; not an unread glyph run into the next, 犭 of «狞女»: 4646/272).
            let tight = |rest: &[usize]| span(list) > 1.45 * typical && span(rest) <= 1.15 * typical;
            let (lead, trail) = (if tight(&list[1..]) { 0.0 } else { 0.08 * band_h }, if tight(&list[..list.len() - 1]) { 0.0 } else { 0.08 * band_h });
            if thin(&first) && (rest_x0 as f32) - (first.x1 as f32) >= lead && second.x0 >= first.x1 {
                list.remove(0);
            } else if thin(&last) && (last.x0 as f32) - (rest_x1 as f32) >= trail && before_last.x1 <= last.x0 {
                list.pop();
            }
        }
    }
    for (k, list) in assigned.iter().enumerate() {
        for &ci in list {
            let c = comps[ci];
            grow(&mut boxes[k], [c.x0 as f32, c.y0 as f32, c.x1 as f32, c.y1 as f32]);
        }
    }
    // Components spanning several cells (touching glyphs): take their pixels column by column. A
    // space has no ink: its columns of a piece about a glyph wide are the glyph's the piece runs on
    // into (楼's 木 in a space's cell before it, touching its 娄, 6666/73). A longer piece, a rule
    // along the line, is nobody's glyph and stays cut.
    let blank = |k: usize| read.blank.get(k) == Some(&true);
    for ci in wide {
        let c = comps[ci];
        let id = ci as u32 + 1;
        let owner = |k: usize| {
            if !blank(k) || (c.x1 - c.x0) as f32 > 1.5 * band_h {
                return k;
            }
            let (a, b) = cells[k];
            if k + 1 < cells.len() && !blank(k + 1) && c.x1 as f32 > b {
                k + 1
            } else if k > 0 && !blank(k - 1) && (c.x0 as f32) < a {
                k - 1
            } else {
                k
            }
        };
        for (k, &(a, b)) in cells.iter().enumerate() {
            let xa = (a.floor().max(c.x0 as f32)) as usize;
            let xb = (b.ceil().min(c.x1 as f32)) as usize;
            let mut ext: Option<LocalBox> = None;
            for x in xa..xb {
                for y in c.y0..c.y1 {
                    if labels[y * w + x] == id {
                        grow(&mut ext, [x as f32, y as f32, x as f32 + 1.0, y as f32 + 1.0]);
                    }
                }
            }
            if let Some(e) = ext {
                grow(&mut boxes[owner(k)], e);
            }
        }
    }
    // A column's glyph ends at the cuts beside it: ink running on past a cut (a rule's stretch
    // beside the column) is not the glyph's extent.
    if let Some(cuts) = column {
        for b in boxes.iter_mut().flatten() {
            if cuts[0] {
                b[1] = b[1].max(band.0);
            }
            if cuts[1] {
                b[3] = b[3].min(band.1);
            }
        }
    }
    boxes
}

/// How much a boundary's move over its whole reach costs, in shares of the raster's height of ink
/// (see `snap_boundaries`).
const SEAM_SHIFT_COST: f32 = 0.6;
/// The widest a cell's ink may run, as a share of the line's glyphs' ink height, for a seam to be
/// taken first (see `snap_boundaries`): a Han glyph's ink is about as wide as it is tall; a mark or
/// letter beside it adds less than a third.
const MAX_CELL_INK: f32 = 1.3;
/// A column with ink on at most this share of the raster's height is as good as empty for a seam
/// that leaves both neighbours' ink narrow enough (a stroke's foot brushing the next glyph's).
const NEAR_EMPTY: f32 = 0.03;
/// Ink widths a seam should leave, as shares of the glyphs' ink height: a Han glyph's from
/// `SEAM_HAN.0` to `SEAM_HAN.1`, a narrow mark's up to `SEAM_MARK` (see `snap_boundaries`).
const SEAM_HAN: (f32, f32) = (0.75, 1.15);
const SEAM_MARK: f32 = 0.55;
/// The most ink a column may hold, as a share of the glyphs' ink height, to part two glyphs whose
/// ink touches (see `snap_boundaries`).
const SEAM_VALLEY: f32 = 0.4;

/// CTC spikes sit a little before or after a glyph's centre, so midpoints between them can cut
/// into a glyph. Moves each inner boundary to the emptiest ink column within a third of the
/// neighbouring cells (ties: the column nearest the original boundary). Where no column there is
/// empty (blurred or bold glyphs run into each other), the gap inside a glyph (between the two
/// parts of 印) can be emptier than the seam between two glyphs: the boundary then moves only as
/// far as a column emptier by more than the distance it would move (`SEAM_SHIFT_COST` of the
/// raster's height over the whole reach). Where empty columns are found, one that leaves neither
/// neighbour's ink wider than `MAX_CELL_INK` of the glyphs' ink height `glyph_h` is taken first
/// (the gap inside a blurred 儿 would leave its hook to the 童 it touches: 4545/152): the gap between
/// the two strokes of a large 八 is empty too, and nearer the midpoint than the seam to the glyph
/// after it, but a seam there would leave 八's second stroke and the next glyph one ink run
/// half again as wide as a glyph; a nearly empty column (`NEAR_EMPTY`) that does not is taken
/// instead. Between a Han glyph and a Han glyph or narrow mark, a seam so found that leaves the Han
/// glyph's ink narrow and its neighbour's too wide (`SEAM_HAN`, `SEAM_MARK`) has likely cut the
/// Han glyph, whose last piece blurred into the neighbour: the blurred 18 px 小's right dot runs
/// into 时 while the gap before that dot is empty (4848/72, /182), 加's 口 into the 。 after it
/// (4848/44). A shallow valley (`SEAM_VALLEY`) that leaves both widths as they should be is taken
/// instead; its place is also returned, for the ink crossing it to be parted there.
fn snap_boundaries(ink: &[bool], w: usize, h: usize, cells: &[(f32, f32)], glyph_h: f32, along: (f32, f32), read: &CellReads) -> (Vec<(f32, f32)>, Vec<f32>) {
    let mut cols = vec![0u32; w];
    for y in 0..h {
        for x in 0..w {
            if ink[y * w + x] {
                cols[x] += 1;
            }
        }
    }
    let mut out = cells.to_vec();
    let mut cut = Vec::new();
    // Ink extent (columns) of `[a, b)`, within the line's extent `along` (the raster's margins can
    // hold the next text's ink).
    let extent = |a: usize, b: usize| {
        let inked = |x: &usize| cols[*x] > 1;
        let (a, b) = (a.max(along.0.max(0.0) as usize), b.min(along.1.ceil() as usize).min(w));
        match ((a..b).find(inked), (a..b).rev().find(inked)) {
            (Some(first), Some(last)) => (last + 1 - first) as f32,
            _ => 0.0,
        }
    };
    // The widths a cell's ink may take: a Han glyph's, a narrow mark's; None for anything else.
    let span_of = |j: usize| {
        if read.han.get(j) == Some(&true) {
            Some((SEAM_HAN.0 * glyph_h, SEAM_HAN.1 * glyph_h))
        } else if read.narrow.get(j) == Some(&true) {
            Some((0.0, SEAM_MARK * glyph_h))
        } else {
            None
        }
    };
    for k in 0..cells.len().saturating_sub(1) {
        let b = cells[k].1;
        let reach = 0.33 * (cells[k].1 - cells[k].0).min(cells[k + 1].1 - cells[k + 1].0);
        let lo = (b - reach).max(out[k].0 + 1.0).max(0.0) as usize;
        let hi = ((b + reach) as usize).min(w.saturating_sub(1));
        if lo >= hi {
            continue;
        }
        let dist = |x: usize| ((x as f32 + 0.5) - b).abs();
        let gap = (lo..=hi).map(|x| cols[x]).min().unwrap_or(0) <= 1;
        let next_end = cells[k + 1].1 as usize;
        let order = |x: &usize, y: &usize| cols[*x].cmp(&cols[*y]).then(dist(*x).total_cmp(&dist(*y)));
        let best = if gap {
            let fits = |x: usize| extent(out[k].0.max(0.0) as usize, x) <= MAX_CELL_INK * glyph_h && extent(x, next_end) <= MAX_CELL_INK * glyph_h;
            let near_empty = (h as f32 * NEAR_EMPTY).max(1.0) as u32;
            (lo..=hi).filter(|&x| cols[x] <= near_empty && fits(x)).min_by(order).or_else(|| (lo..=hi).min_by(order))
        } else {
            let cost = |x: usize| cols[x] as f32 / h.max(1) as f32 + SEAM_SHIFT_COST * dist(x) / reach.max(1.0);
            (lo..=hi).min_by(|&x, &y| cost(x).total_cmp(&cost(y)))
        };
        let (han_left, han_right) = (read.han.get(k) == Some(&true), read.han.get(k + 1) == Some(&true));
        let valley = match (best, span_of(k), span_of(k + 1)) {
            (Some(x), Some(left), Some(right)) if han_left || han_right => {
                let widths = |x: usize| (extent(out[k].0.max(0.0) as usize, x), extent(x, next_end));
                let (a, b) = widths(x);
                // The Han side too narrow, the other too wide.
                let odd = (han_left && a < left.0 && b > right.1) || (han_right && b < right.0 && a > left.1);
                let even = |x: &usize| {
                    let (a, b) = widths(*x);
                    a >= left.0 && a <= left.1 && b >= right.0 && b <= right.1
                };
                let shallow = |x: &usize| *x > lo && *x < hi && cols[*x] <= cols[*x - 1] && cols[*x] <= cols[*x + 1] && (cols[*x] as f32) <= SEAM_VALLEY * glyph_h;
                if odd { (lo..=hi).filter(shallow).filter(even).min_by(order) } else { None }
            }
            _ => None,
        };
        if let Some(x) = valley.or(best) {
            let nb = x as f32 + 0.5;
            out[k].1 = nb;
            out[k + 1].0 = nb;
            if valley.is_some() && cols[x] > 0 {
                cut.push(nb);
            }
        }
    }
    (out, cut)
}

fn grow(b: &mut Option<LocalBox>, n: LocalBox) {
    *b = Some(match *b {
        None => n,
        Some(o) => [o[0].min(n[0]), o[1].min(n[1]), o[2].max(n[2]), o[3].max(n[3])],
    });
}

/// Splits a vertical column raster (u across, v down the column) into glyph segments along v:
/// runs of inked rows merged greedily while the merged run stays within 1 em (em = ink width).
pub fn column_segments(column: &RgbImage) -> Vec<(f32, f32)> {
    let bin = binarize_plane(column);
    let (w, h) = (bin.width, bin.height);
    let (comps, labels) = connected_components(&bin.ink, w, h);
    let min_area = ((w as f32 * w as f32) * 0.0008).max(2.0) as usize;
    // No glyph is much taller than the column is wide: longer components are rules or borders.
    // Thin upright components near the column's sides are pieces of column rules or frames.
    let keep: Vec<bool> = comps
        .iter()
        .map(|c| {
            let (cw, ch) = ((c.x1 - c.x0) as f32, (c.y1 - c.y0) as f32);
            let side = c.cx < 0.2 * w as f32 || c.cx > 0.8 * w as f32;
            let rule = side && ch > 2.0 * cw && cw < 0.15 * w as f32;
            // A frame line crossing the whole column (thin: a glyph cut tight by the box also spans it).
            let across = c.x0 == 0 && c.x1 == w && ch < 0.2 * w as f32;
            c.area >= min_area && ch <= 1.3 * w as f32 && !rule && !across
        })
        .collect();
    let mut rows = vec![false; h];
    let mut col_hist = vec![0usize; w];
    for y in 0..h {
        for x in 0..w {
            let l = labels[y * w + x];
            if l > 0 && keep[l as usize - 1] {
                rows[y] = true;
                col_hist[x] += 1;
            }
        }
    }
    // The ink width: the span of x where ink is common (robust to stray specks at the sides).
    let peak = col_hist.iter().copied().max().unwrap_or(0);
    let floor = (peak as f32 * 0.05).max(1.0) as usize;
    let ux0 = col_hist.iter().position(|&v| v >= floor).unwrap_or(0);
    let ux1 = col_hist.iter().rposition(|&v| v >= floor).map(|x| x + 1).unwrap_or(w);
    let width_em = if ux1 > ux0 { (ux1 - ux0) as f32 } else { w as f32 };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut y = 0;
    while y < h {
        if rows[y] {
            let s = y;
            while y < h && rows[y] {
                y += 1;
            }
            runs.push((s, y));
        } else {
            y += 1;
        }
    }
    // A condensed face's glyphs are taller than wide: the em is the larger of the ink width and the
    // upper-quartile height of the inked runs (most runs are whole glyphs).
    let mut heights: Vec<usize> = runs.iter().map(|r| r.1 - r.0).collect();
    heights.sort_unstable();
    let tall = heights.get(heights.len() * 3 / 4).copied().unwrap_or(0) as f32;
    let em = width_em.max(tall.min(1.5 * width_em));
    group_runs(&runs, em)
}

/// Groups runs of inked rows `[start, end)` down a column into glyphs. A column sets its glyphs at
/// one pitch, so the grouping is the one whose glyph centres are most evenly spaced (squared
/// deviation from the best pitch, in em), no glyph taller than 1.3 em and ink beyond 1 em costing
/// extra; a small cost per glyph settles ties towards fewer glyphs. Unlike growing each glyph
/// greedily up to 1 em, this keeps a tall glyph with a gap across it (营, 合, 享 in a condensed face)
/// whole, and does not glue a short glyph (一, a mark) to its neighbour.
fn group_runs(runs: &[(usize, usize)], em: f32) -> Vec<(f32, f32)> {
    let m = runs.len();
    if m == 0 {
        return Vec::new();
    }
    let em = em.max(1.0);
    let height = |a: usize, b: usize| (runs[b].1 - runs[a].0) as f32;
    let centre = |a: usize, b: usize| (runs[a].0 + runs[b].1) as f32 / 2.0;
    let glyph_cost = |a: usize, b: usize| -> Option<f32> {
        let h = height(a, b) / em;
        (h <= 1.3 || a == b).then(|| 0.02 + if h > 1.0 { 4.0 * (h - 1.0) * (h - 1.0) } else { 0.0 })
    };
    // Runs a glyph may span: the first run index of a glyph ending at run j.
    let starts = |j: usize| (0..=j).rev().take_while(move |&a| a == j || height(a, j) <= 1.3 * em);
    let mut best: Option<(f32, Vec<(usize, usize)>)> = None;
    // The pitch is searched from half the em up: the em comes from the ink width, which a column
    // rule left inside the box can inflate.
    for step in 0..=65 {
        let pitch = (0.5 + 0.02 * step as f32) * em;
        // cost[(a, b)]: cheapest grouping of runs[..=b] whose last glyph is runs[a..=b], and the start
        // of the glyph before it.
        let mut cost: std::collections::HashMap<(usize, usize), (f32, Option<usize>)> = std::collections::HashMap::new();
        for b in 0..m {
            for a in starts(b) {
                let Some(own) = glyph_cost(a, b) else { continue };
                let here = if a == 0 {
                    Some((own, None))
                } else {
                    starts(a - 1)
                        .filter_map(|k| {
                            let (c, _) = cost.get(&(k, a - 1))?;
                            let d = (centre(a, b) - centre(k, a - 1) - pitch) / em;
                            Some((c + own + d * d, Some(k)))
                        })
                        .min_by(|x, y| x.0.total_cmp(&y.0))
                };
                if let Some(h) = here {
                    cost.insert((a, b), h);
                }
            }
        }
        let Some((mut a, (total, _))) = starts(m - 1).filter_map(|a| cost.get(&(a, m - 1)).map(|c| (a, *c))).min_by(|x, y| x.1 .0.total_cmp(&y.1 .0)) else {
            continue;
        };
        if best.as_ref().is_some_and(|b| b.0 <= total) {
            continue;
        }
        let mut groups = Vec::new();
        let mut b = m - 1;
        loop {
            groups.push((a, b));
            match cost[&(a, b)].1 {
                Some(k) => {
                    b = a - 1;
                    a = k;
                }
                None => break,
            }
        }
        groups.reverse();
        best = Some((total, groups));
    }
    best.map(|(_, groups)| groups.into_iter().map(|(a, b)| (runs[a].0 as f32, runs[b].1 as f32)).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{group_runs, refine_cells, CellReads};
    use image::{Rgb, RgbImage};

    /// Cells read as marks, closing marks and Han glyphs; none as a space.
    fn reads<'a>(narrow: &'a [bool], closing: &'a [bool], han: &'a [bool]) -> CellReads<'a> {
        CellReads { narrow, closing, han, blank: &[] }
    }

    /// A white line raster `w`×`h` with black rectangles `[x0, x1, y0, y1]`.
    fn raster(w: u32, h: u32, rects: &[[u32; 4]]) -> RgbImage {
        let mut img = RgbImage::from_pixel(w, h, Rgb([255, 255, 255]));
        for r in rects {
            for y in r[2]..r[3] {
                for x in r[0]..r[1] {
                    img.put_pixel(x, y, Rgb([0, 0, 0]));
                }
            }
        }
        img
    }

    #[test]
    fn a_marks_dot_the_cell_boundary_gave_to_the_glyph_before_goes_back_to_the_mark() {
        // "生？" at 24 px: a Han glyph (one block of ink, x 2..20), then the mark's hook (x 21..27,
        // upper half) over its dot (x 20..22, lower). The recogniser's boundary falls between dot
        // and hook, too close to the mark for the boundary snap, so the dot lands in the glyph's cell.
        let img = raster(44, 24, &[[2, 20, 3, 15], [21, 27, 4, 13], [20, 22, 16, 19]]);
        let boxes = refine_cells(&img, &[(0.0, 23.0), (23.0, 25.0)], &reads(&[false, true], &[false, false], &[true, false]), (0.0, 24.0), (0.0, 44.0), &[], None);
        assert_eq!(boxes[0], Some([2.0, 3.0, 20.0, 15.0]), "the glyph keeps its own ink only");
        assert_eq!(boxes[1], Some([20.0, 4.0, 27.0, 19.0]), "the mark has hook and dot");
    }

    #[test]
    fn a_space_gives_the_piece_of_a_glyph_it_took_back_to_the_glyph() {
        // «为 2» at 24 px (clean 4545/290): 为's hook (x 17..22) parted from the rest (x 2..18) in
        // binarised ink, its centre past the boundary to the space read after it; the digit is
        // x 30..38. A piece standing apart in the space (x 25..27) is nobody's and stays.
        let img = raster(44, 24, &[[2, 18, 3, 20], [17, 22, 8, 20], [30, 38, 5, 20]]);
        let cells = [(0.0, 19.5), (19.5, 28.0), (28.0, 44.0)];
        let read = CellReads { narrow: &[false; 3], closing: &[false; 3], han: &[true, false, false], blank: &[false, true, false] };
        let boxes = refine_cells(&img, &cells, &read, (0.0, 24.0), (0.0, 44.0), &[], None);
        assert_eq!(boxes[0], Some([2.0, 3.0, 22.0, 20.0]), "为 has its hook");
        assert_eq!(boxes[1], None, "the space has no ink");
        let apart = raster(44, 24, &[[2, 18, 3, 20], [23, 26, 8, 20], [30, 38, 5, 20]]);
        let boxes = refine_cells(&apart, &cells, &read, (0.0, 24.0), (0.0, 44.0), &[], None);
        assert_eq!(boxes[0], Some([2.0, 3.0, 18.0, 20.0]));
        assert_eq!(boxes[1], Some([23.0, 8.0, 26.0, 20.0]), "ink apart from both stays where it was read");
    }

    #[test]
    fn a_space_takes_no_columns_of_a_piece_running_on_into_the_glyph_after_it() {
        // «4 楼» at 36 px (clean 6666/73): the digit (x 2..14), a space read over 楼's 木 (x 22..31),
        // which touches its 娄 (x 31..56) in binarised ink: one piece across the space's cell and
        // 楼's, wider than a glyph. Cut column by column, the space took the 木 and 楼 was compared
        // without it.
        let img = raster(62, 40, &[[2, 14, 6, 34], [22, 31, 4, 36], [31, 56, 4, 36]]);
        let cells = [(0.0, 18.0), (18.0, 31.0), (31.0, 62.0)];
        let read = CellReads { narrow: &[false; 3], closing: &[false; 3], han: &[false, false, true], blank: &[false, true, false] };
        let boxes = refine_cells(&img, &cells, &read, (0.0, 40.0), (0.0, 62.0), &[], None);
        assert_eq!(boxes[1], None, "the space has no ink: {boxes:?}");
        assert_eq!(boxes[2], Some([22.0, 4.0, 56.0, 36.0]), "楼 has its 木");
    }

    #[test]
    fn a_glyphs_hook_touching_the_next_glyph_is_cut_at_the_seam_not_at_the_gap_inside_it() {
        // «X儿童» blurred (clean 4545/152), glyphs 22 px tall in a 30 px band: 儿's 丿 (x 24..29)
        // stands apart, its 乚 (x 33..36, foot x 36..41 one row) runs into 童 (x 41..63). The
        // empty gap inside 儿 would leave 乚 and 童 one ink run 30 px wide, more than a glyph and a
        // third; the seam at the foot's one-row column is taken.
        let img = raster(66, 30, &[[2, 20, 3, 25], [24, 29, 3, 25], [33, 36, 3, 25], [36, 41, 24, 25], [41, 63, 3, 25]]);
        let boxes = refine_cells(&img, &[(0.0, 21.0), (21.0, 37.5), (37.5, 66.0)], &reads(&[false; 3], &[false; 3], &[true; 3]), (0.0, 30.0), (0.0, 66.0), &[], None);
        // Cut within the foot's columns (x 36..41).
        let (a, b) = (boxes[1].unwrap(), boxes[2].unwrap());
        assert!(a[0] == 24.0 && (36.0..=41.0).contains(&a[2]), "儿 keeps its 乚: {a:?}");
        assert!((36.0..=41.0).contains(&b[0]) && b[2] == 63.0, "童 is its own ink: {b:?}");
    }

    #[test]
    fn a_glyphs_last_piece_blurred_into_the_next_glyph_is_parted_at_the_valley() {
        // «半小时» blurred (clean 4848/72): glyphs 22 px tall; 小's left part (x 21..33), an empty
        // column, then its right dot (x 35..41, rows 10..16) touching 时 (x 41..61). The empty
        // column would leave 小 13 px and 时 26 px wide; the shallow valley through the dot leaves
        // both a glyph's width, and the ink crossing it is parted there.
        let img = raster(66, 30, &[[2, 18, 3, 25], [21, 33, 3, 25], [35, 41, 10, 16], [41, 61, 3, 25]]);
        let boxes = refine_cells(&img, &[(0.0, 19.0), (19.0, 35.0), (35.0, 66.0)], &reads(&[false; 3], &[false; 3], &[true; 3]), (0.0, 30.0), (0.0, 66.0), &[], None);
        let (a, b) = (boxes[1].unwrap(), boxes[2].unwrap());
        assert!(a[0] == 21.0 && (37.0..=41.0).contains(&a[2]), "小 has its dot: {a:?}");
        assert!((37.0..=41.0).contains(&b[0]) && b[2] == 61.0, "时 is its own ink: {b:?}");
        // A mark read after the glyph: the same ink, 。 in place of 时, is not cut (a mark is at
        // most half a glyph wide, and no valley leaves it so).
        let boxes = refine_cells(&img, &[(0.0, 19.0), (19.0, 35.0), (35.0, 66.0)], &reads(&[false, false, true], &[false; 3], &[true, true, false]), (0.0, 30.0), (0.0, 66.0), &[], None);
        assert_eq!(boxes[1].unwrap()[2], 33.0, "{boxes:?}");
    }

    #[test]
    fn the_first_part_of_a_glyph_in_an_opening_quotes_cell_goes_on_to_the_glyph() {
        // «“服» (clean 4848/87): the quote's two pieces (x 2..4, 6..8, high), then 服's 月 (x 11..17)
        // and the rest of 服 (x 19..30); the recogniser's boundary falls between 月 and the rest.
        // 月 nearly touches the glyph after the quote: it is that glyph's, not ink nobody read.
        let img = raster(40, 30, &[[2, 4, 3, 8], [6, 8, 3, 8], [11, 17, 3, 25], [19, 30, 3, 25]]);
        let boxes = refine_cells(&img, &[(0.0, 18.0), (18.0, 40.0)], &reads(&[true, false], &[false, false], &[false, true]), (0.0, 30.0), (0.0, 40.0), &[], None);
        assert_eq!(boxes[0], Some([2.0, 3.0, 8.0, 8.0]), "the quote is its own ink");
        assert_eq!(boxes[1], Some([11.0, 3.0, 30.0, 25.0]), "服 has its 月");
    }

    #[test]
    fn a_line_initial_dot_the_box_clipped_is_the_first_glyphs() {
        // A 60 px serif 心 opening a line (4747/203): the detection box starts at x 16, its left dot
        // (x 8..20) only 4 of 12 px inside, the rest of 心 at x 24..66, the next glyph x 70..130.
        let cells = [(0.0, 68.0), (68.0, 160.0)];
        let han = reads(&[false; 2], &[false; 2], &[true; 2]);
        let img = raster(160, 84, &[[8, 20, 40, 60], [24, 66, 12, 72], [70, 130, 12, 72]]);
        let boxes = refine_cells(&img, &cells, &han, (12.0, 72.0), (16.0, 160.0), &[], None);
        assert_eq!(boxes[0], Some([8.0, 12.0, 66.0, 72.0]), "心 has its dot");
        // The next text's ink reaching in stays out: a piece as wide as a glyph, or a thin one
        // running on beyond the raster's margin.
        for piece in [[0, 26, 20, 64], [0, 20, 40, 60]] {
            let img = raster(160, 84, &[piece, [30, 66, 12, 72], [70, 130, 12, 72]]);
            let boxes = refine_cells(&img, &cells, &han, (12.0, 72.0), (16.0, 160.0), &[], None);
            assert_eq!(boxes[0], Some([30.0, 12.0, 66.0, 72.0]), "{piece:?} is not the glyph's");
        }
        // And so does a small piece standing apart from the glyph (a decoration by a title).
        let img = raster(160, 84, &[[8, 20, 40, 60], [36, 66, 12, 72], [70, 130, 12, 72]]);
        let boxes = refine_cells(&img, &cells, &han, (12.0, 72.0), (16.0, 160.0), &[], None);
        assert_eq!(boxes[0], Some([36.0, 12.0, 66.0, 72.0]), "a piece 16 px away on a 60 px line is not the glyph's");
        // Nor one lying in another line's box.
        let img = raster(160, 84, &[[8, 20, 40, 60], [24, 66, 12, 72], [70, 130, 12, 72]]);
        let boxes = refine_cells(&img, &cells, &han, (12.0, 72.0), (16.0, 160.0), &[[-40.0, 10.0, 21.0, 74.0]], None);
        assert_eq!(boxes[0], Some([24.0, 12.0, 66.0, 72.0]), "a piece in another line's box is that line's");
    }

    #[test]
    fn a_dot_the_boundary_gave_to_the_next_han_glyph_goes_back() {
        // "X办单X" at 24 px: 办's right dot (x 35..37) falls in 单's cell, leaving 办 narrow and 单
        // wide among line-mates 17 px wide.
        let img = raster(80, 24, &[[2, 19, 3, 20], [22, 33, 3, 20], [35, 37, 8, 12], [39, 56, 3, 20], [59, 76, 3, 20]]);
        let cells = [(0.0, 20.5), (20.5, 34.5), (34.5, 57.5), (57.5, 78.0)];
        let boxes = refine_cells(&img, &cells, &reads(&[false; 4], &[false; 4], &[true; 4]), (0.0, 24.0), (0.0, 80.0), &[], None);
        assert_eq!(boxes[1], Some([22.0, 3.0, 37.0, 20.0]), "办 has its dot");
        assert_eq!(boxes[2], Some([39.0, 3.0, 56.0, 20.0]), "单 has its own ink only");
    }

    #[test]
    fn an_unread_stop_after_a_closing_bracket_stays_out_of_both() {
        // "罩」。联" at 24 px, the 。 unread: the bracket's cell holds the bracket (x 21..24, close
        // to 罩) and the stop (x 30..35). The bracket keeps its own ink; 罩 does not take it.
        let img = raster(64, 24, &[[2, 19, 3, 20], [21, 24, 8, 20], [30, 35, 15, 20], [42, 60, 3, 20]]);
        let cells = [(0.0, 20.0), (20.0, 40.0), (40.0, 62.0)];
        let boxes = refine_cells(&img, &cells, &reads(&[false, false, false], &[false, true, false], &[true, false, true]), (0.0, 24.0), (0.0, 64.0), &[], None);
        assert_eq!(boxes[0], Some([2.0, 3.0, 19.0, 20.0]));
        assert_eq!(boxes[1], Some([21.0, 8.0, 24.0, 20.0]));
    }

    #[test]
    fn touching_glyphs_are_cut_at_their_seam_not_at_a_gap_inside_one() {
        // "翻印" blurred into each other at 24 px: the first glyph (x 2..20) joins the second's left
        // part (x 21..25) by a bar across the seam (x 20, 4 rows); the second glyph's own gap
        // (x 25..27, 2 rows) is emptier than the seam. The recogniser's boundary (20.5) was right.
        let img = raster(40, 24, &[[2, 20, 3, 20], [20, 21, 10, 14], [21, 25, 3, 20], [25, 27, 10, 12], [27, 38, 3, 20]]);
        let boxes = refine_cells(&img, &[(0.0, 20.5), (20.5, 40.0)], &reads(&[false; 2], &[false; 2], &[true; 2]), (0.0, 24.0), (0.0, 40.0), &[], None);
        let (a, b) = (boxes[0].unwrap(), boxes[1].unwrap());
        assert!(a[2] <= 21.0, "the first glyph ends at the seam: {a:?}");
        assert!(b[0] <= 21.0 && b[2] == 38.0, "the second glyph keeps its left part: {b:?}");
    }

    #[test]
    fn a_large_glyph_of_two_strokes_is_not_split_at_the_gap_between_them() {
        // "八折" at 60 px: 八's strokes (x 24..42 and 50..78) leave an empty gap inside it, and the
        // seam to 折 (x 78..80) holds two rows where 八's foot meets 折's first stroke; 折 is x
        // 80..140. The recogniser's boundary (70) is nearer the seam, but the gap is emptier: cut
        // there, 八's second stroke and 折 would run 90 px wide on a 60 px line.
        let img = raster(160, 84, &[[24, 42, 12, 72], [50, 78, 12, 72], [78, 80, 70, 72], [80, 140, 12, 72]]);
        let boxes = refine_cells(&img, &[(0.0, 70.0), (70.0, 160.0)], &reads(&[false; 2], &[false; 2], &[true; 2]), (12.0, 72.0), (0.0, 160.0), &[], None);
        let (a, b) = (boxes[0].unwrap(), boxes[1].unwrap());
        assert!(a[0] == 24.0 && a[2] >= 78.0, "八 keeps both strokes: {a:?}");
        assert!(b[0] >= 78.0 && b[2] == 140.0, "折 is its own ink: {b:?}");
        // The same with the next text's ink in the raster's margin before the line (x 0..4, clean
        // 4242/6): 八 is still measured from its own first stroke.
        let img = raster(160, 84, &[[0, 4, 30, 50], [24, 42, 12, 72], [50, 78, 12, 72], [78, 80, 70, 72], [80, 140, 12, 72]]);
        let boxes = refine_cells(&img, &[(0.0, 70.0), (70.0, 160.0)], &reads(&[false; 2], &[false; 2], &[true; 2]), (12.0, 72.0), (8.0, 160.0), &[], None);
        let (a, b) = (boxes[0].unwrap(), boxes[1].unwrap());
        assert!(a[0] == 24.0 && a[2] >= 78.0, "八 keeps both strokes: {a:?}");
        assert!(b[0] >= 78.0 && b[2] == 140.0, "折 is its own ink: {b:?}");
    }

    #[test]
    fn column_glyphs_follow_the_pitch() {
        // em 40, pitch 48: a full glyph; a tall glyph (44 px) with a gap across it; a full glyph;
        // a one-stroke glyph (一) alone in its cell; a full glyph.
        let runs = [(0, 40), (48, 78), (80, 92), (96, 136), (162, 166), (192, 232)];
        let got = group_runs(&runs, 40.0);
        assert_eq!(got, vec![(0.0, 40.0), (48.0, 92.0), (96.0, 136.0), (162.0, 166.0), (192.0, 232.0)]);
        // Two glyphs whose parts could each pass for a glyph: still two, at the even pitch.
        let runs = [(0, 18), (22, 40), (48, 66), (70, 88)];
        assert_eq!(group_runs(&runs, 40.0), vec![(0.0, 40.0), (48.0, 88.0)]);
    }

    #[test]
    fn a_column_tile_keeps_its_glyphs_ink_up_to_the_cuts_and_leaves_neighbours_and_rules() {
        // A glyph tile of a column, band 10..40 down the column with a margin past each cut: the
        // glyph's ink runs 3 px past the cut below it, the next glyph's piece lies beyond that
        // cut, and a rule beside the column runs the raster's whole length.
        let img = raster(30, 50, &[[8, 22, 12, 43], [10, 20, 45, 50], [0, 2, 0, 50]]);
        let han = reads(&[false], &[false], &[true]);
        let boxes = refine_cells(&img, &[(0.0, 30.0)], &han, (10.0, 40.0), (0.0, 30.0), &[], Some([true, true]));
        assert_eq!(boxes[0], Some([8.0, 12.0, 22.0, 40.0]), "the glyph's own ink, cut at the cut");
        // At the column's end (no cut below), the ink past the band is the glyph's, clipped by
        // the detection box.
        let boxes = refine_cells(&img, &[(0.0, 30.0)], &han, (10.0, 40.0), (0.0, 30.0), &[], Some([true, false]));
        assert_eq!(boxes[0], Some([8.0, 12.0, 22.0, 43.0]));
    }
}
