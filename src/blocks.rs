//! Stage `blocks`: takes the OCR page; gives its paragraphs — groups of lines that sit one under the
//! other (or columns side by side) with similar size and overlapping extent — in reading order, plus
//! each line's em size. Matching reads the text block by block; layout checks alignment and spacing
//! within a block.

use crate::clreq::is_han;
use crate::geometry::bbox_of;
use crate::ocr::{Line, Orientation, Page};

/// A paragraph: indices into `page.lines`, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    pub lines: Vec<usize>,
    pub vertical: bool,
    /// The intended block these lines were matched to, once known.
    pub intent: Option<usize>,
}

/// The em size of a line in pixels: the median of the larger side of its Han glyph ink boxes (Han
/// glyphs nearly fill the em), falling back to the box height when there is no Han glyph.
pub fn line_em(line: &Line) -> f32 {
    let mut sizes: Vec<f32> = line
        .chars
        .iter()
        .filter(|g| g.ink_found && g.char.chars().next().is_some_and(is_han))
        .map(|g| {
            let (a, b) = glyph_extent(line, g);
            a.max(b)
        })
        .collect();
    if sizes.is_empty() {
        let q = &line.quad;
        let h = crate::geometry::dist(q[0], q[3]);
        return h / 1.6;
    }
    sizes.sort_by(f32::total_cmp);
    sizes[sizes.len() / 2] / 0.92
}

/// Glyph ink size along and across the line (from its quad, so tilt does not inflate it).
pub fn glyph_extent(_line: &Line, g: &crate::ocr::Glyph) -> (f32, f32) {
    let q = &g.quad;
    let along = crate::geometry::dist(q[0], q[1]);
    let across = crate::geometry::dist(q[0], q[3]);
    (along, across)
}

/// Regroups lines by the intended block their glyphs were matched to (`owner[line]`, None when a
/// line matched nothing); unmatched lines keep their geometric group. Block order follows `blocks`.
pub fn regroup(page: &Page, blocks: &[TextBlock], owner: &[Option<usize>]) -> Vec<TextBlock> {
    let mut out: Vec<TextBlock> = Vec::new();
    let mut by_owner: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for b in blocks {
        let mut rest = Vec::new();
        for &li in &b.lines {
            match owner[li] {
                Some(o) => match by_owner.get(&o) {
                    Some(&k) => out[k].lines.push(li),
                    None => {
                        by_owner.insert(o, out.len());
                        out.push(TextBlock { lines: vec![li], vertical: b.vertical, intent: Some(o) });
                    }
                },
                None => rest.push(li),
            }
        }
        if !rest.is_empty() {
            out.push(TextBlock { lines: rest, vertical: b.vertical, intent: None });
        }
    }
    for b in &mut out {
        reading_order(page, &mut b.lines, b.vertical);
    }
    out
}

/// Puts a block's lines in reading order: rows top to bottom (columns right to left), and the
/// pieces of one row (a detector splits a row at a wide gap, and the piece after the gap can
/// stand a pixel higher) along it, left to right (top to bottom).
fn reading_order(page: &Page, lines: &mut [usize], vertical: bool) {
    let boxes: Vec<[f32; 4]> = lines.iter().map(|&i| bbox_of(&page.lines[i].quad)).collect();
    // (start across, centre across, thickness, start along) in reading directions.
    let key = |b: &[f32; 4]| if vertical { (-(b[0] + b[2]), -(b[0] + b[2] / 2.0), b[2], b[1]) } else { (b[1], b[1] + b[3] / 2.0, b[3], b[0]) };
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&x, &y| key(&boxes[x]).0.total_cmp(&key(&boxes[y]).0));
    // Rows: a line whose centre is level with the row's first line's within half the thinner one.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for k in order {
        let (_, c, t, _) = key(&boxes[k]);
        match rows.last_mut() {
            Some(row) if { let (_, c0, t0, _) = key(&boxes[row[0]]); (c - c0).abs() < 0.5 * t.min(t0) } => row.push(k),
            _ => rows.push(vec![k]),
        }
    }
    let sorted: Vec<usize> = rows
        .into_iter()
        .flat_map(|mut row| {
            row.sort_by(|&x, &y| key(&boxes[x]).3.total_cmp(&key(&boxes[y]).3));
            row
        })
        .map(|k| lines[k])
        .collect();
    lines.copy_from_slice(&sorted);
}

/// Groups lines into blocks.
pub fn group_blocks(page: &Page) -> Vec<TextBlock> {
    let n = page.lines.len();
    let boxes: Vec<[f32; 4]> = page.lines.iter().map(|l| bbox_of(&l.quad)).collect();
    let ems: Vec<f32> = page.lines.iter().map(line_em).collect();
    let vertical: Vec<bool> = page.lines.iter().map(|l| l.orientation == Orientation::Vertical).collect();
    // Union-find over "is the next line of" relations.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        let mut i = i;
        while p[i] != r {
            let nx = p[i];
            p[i] = r;
            i = nx;
        }
        r
    }
    let overlap = |a0: f32, a1: f32, b0: f32, b1: f32| (a1.min(b1) - a0.max(b0)).max(0.0) / (a1 - a0).min(b1 - b0).max(1.0);
    // For each line, link it to the nearest line directly above (horizontal) / to the right (vertical).
    for i in 0..n {
        let mut best: Option<(f32, usize)> = None;
        for j in 0..n {
            if i == j || vertical[i] != vertical[j] {
                continue;
            }
            let (a, b) = (boxes[j], boxes[i]); // a precedes b
            let em = ems[i].min(ems[j]);
            let ratio = ems[i].max(ems[j]) / em.max(1.0);
            if ratio > 1.35 {
                continue;
            }
            let (gap, ov) = if vertical[i] {
                (a[0] - (b[0] + b[2]), overlap(a[1], a[1] + a[3], b[1], b[1] + b[3]))
            } else {
                (b[1] - (a[1] + a[3]), overlap(a[0], a[0] + a[2], b[0], b[0] + b[2]))
            };
            // Centre-to-centre advance: lines of one paragraph are at most ~2 em apart.
            let advance = if vertical[i] { (a[0] + a[2] / 2.0) - (b[0] + b[2] / 2.0) } else { (b[1] + b[3] / 2.0) - (a[1] + a[3] / 2.0) };
            if gap < -0.4 * em || advance > 2.0 * em || advance < 0.5 * em || ov < 0.2 {
                continue;
            }
            if best.is_none_or(|(g, _)| gap < g) {
                best = Some((gap, j));
            }
        }
        if let Some((_, j)) = best {
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            parent[ri] = rj;
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut root_to_group = std::collections::BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let g = *root_to_group.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut blocks: Vec<TextBlock> = groups
        .into_iter()
        .map(|mut ls| {
            let v = vertical[ls[0]];
            reading_order(page, &mut ls, v);
            TextBlock { lines: ls, vertical: v, intent: None }
        })
        .collect();
    // Blocks in reading order: by the top of their first line, left to right within a band.
    let top = |b: &TextBlock| b.lines.iter().map(|&i| boxes[i][1]).fold(f32::MAX, f32::min);
    let left = |b: &TextBlock| b.lines.iter().map(|&i| boxes[i][0]).fold(f32::MAX, f32::min);
    blocks.sort_by(|a, b| {
        let band = ems[a.lines[0]].min(ems[b.lines[0]]) * 0.5;
        if (top(a) - top(b)).abs() < band {
            left(a).total_cmp(&left(b))
        } else {
            top(a).total_cmp(&top(b))
        }
    });
    blocks
}
