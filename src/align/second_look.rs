//! Stage `match`, second look: takes the page (each line keeps the recogniser's per-step posterior)
//! and the alignment; gives, for every stretch where the reading and the intended text disagree,
//! how much less likely the recogniser finds the intended text there than what it read, in nats
//! (natural-log units): log P(read) − log P(intended), both summed over every CTC path through the
//! same time steps.
//!
//! A small value means the recogniser nearly read the intended text — the usual case for a mark or
//! a character in small, blurred print; a large one means the ink says something else (a look-alike
//! character, a dropped or an added one).

use super::{Alignment, CharMatch, GlyphRef};
use crate::clreq::{fold, script_of, Script};
use crate::ocr::recognize::Posterior;
use crate::ocr::Page;
use serde::{Deserialize, Serialize};

/// One stretch of disagreement between reading and intended text, and the recogniser's view of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub block: usize,
    /// Intended characters `[first, end)` of the block in the stretch (empty: extra glyphs only).
    pub first: usize,
    pub end: usize,
    /// Recognised glyphs in the stretch that no intended character was matched to as read.
    pub glyphs: Vec<GlyphRef>,
    /// log P(read) − log P(intended); infinite when it cannot be scored (no posterior, or the
    /// stretch spans more than two lines).
    pub nats: f32,
    /// Whether only punctuation is involved (intended and read).
    pub marks_only: bool,
    /// For a stretch across a line break: how many of its intended characters the likeliest
    /// reading puts at the end of the first line, and the two lines.
    pub line_break: Option<(usize, [usize; 2])>,
    /// For a stretch within one line: the line, its glyphs `[a, b]` the stretch replaces, and the
    /// labels that replace them in the intended reading (for a second view of the line).
    #[serde(skip)]
    pub edit: Option<(usize, usize, usize, Vec<char>)>,
}

impl Disagreement {
    fn covers_char(&self, block: usize, index: usize) -> bool {
        self.block == block && (self.first..self.end).contains(&index)
    }
}

/// The stretch holding intended character `index` of `block`.
pub fn for_char(ds: &[Disagreement], block: usize, index: usize) -> Option<&Disagreement> {
    ds.iter().find(|d| d.covers_char(block, index))
}

/// The stretch holding an extra glyph.
pub fn for_glyph(ds: &[Disagreement], block: usize, g: GlyphRef) -> Option<&Disagreement> {
    ds.iter().find(|d| d.block == block && d.glyphs.contains(&g))
}

/// Scores every disagreement of the alignment.
pub fn second_look(page: &Page, alignment: &Alignment) -> Vec<Disagreement> {
    let mut out = Vec::new();
    for b in alignment.blocks.iter().filter(|b| b.found) {
        let n = b.chars.len();
        let glyph_of = |k: usize| match &b.matches[k] {
            CharMatch::Matched { glyph } | CharMatch::Substituted { glyph, .. } => Some(*glyph),
            CharMatch::Missing { .. } => None,
        };
        let matched = |k: usize| matches!(b.matches[k], CharMatch::Matched { .. });
        // Stretches of intended characters not read as intended.
        let mut stretches: Vec<Disagreement> = Vec::new();
        let mut k = 0;
        while k < n {
            if matched(k) {
                k += 1;
                continue;
            }
            let first = k;
            while k < n && !matched(k) {
                k += 1;
            }
            let glyphs = (first..k).filter_map(glyph_of).collect();
            stretches.push(Disagreement { block: b.block, first, end: k, glyphs, nats: f32::INFINITY, marks_only: false, line_break: None, edit: None });
        }
        // Extra glyphs join the stretch at their place, or make one of their own.
        for &g in &b.inserted {
            let slot = (0..n).filter(|&k| glyph_of(k).is_some_and(|h| (h.line, h.index) < (g.line, g.index))).max().map_or(0, |k| k + 1);
            match stretches.iter_mut().find(|d| d.first <= slot && slot <= d.end) {
                Some(d) => d.glyphs.push(g),
                None => stretches.push(Disagreement { block: b.block, first: slot, end: slot, glyphs: vec![g], nats: f32::INFINITY, marks_only: false, line_break: None, edit: None }),
            }
        }
        for d in &mut stretches {
            d.glyphs.sort_by_key(|g| (g.line, g.index));
            let before = d.first.checked_sub(1).and_then(glyph_of);
            let after = if d.end < n { glyph_of(d.end) } else { None };
            (d.nats, d.line_break, d.edit) = score(page, before, after, &d.glyphs, &b.chars[d.first..d.end]);
            let is_mark = |s: &str| s.chars().next().is_some_and(crate::clreq::is_punct);
            d.marks_only = b.chars[d.first..d.end].iter().all(|c| is_mark(c)) && d.glyphs.iter().all(|g| is_mark(&page.lines[g.line].chars[g.index].char));
        }
        out.extend(stretches);
    }
    out
}

/// A window of one line: glyphs `[a, b]` and whether it runs on to the neighbouring glyph (or the
/// line's end) before `a` / after `b`.
struct Window {
    line: usize,
    a: usize,
    b: usize,
    open_left: bool,
    open_right: bool,
}

/// log P(read) − log P(intended) over the stretch between the anchors `before` and `after`, and
/// where the intended text breaks when the stretch spans two lines.
type Edit = Option<(usize, usize, usize, Vec<char>)>;

fn score(page: &Page, before: Option<GlyphRef>, after: Option<GlyphRef>, glyphs: &[GlyphRef], want: &[String]) -> (f32, Option<(usize, [usize; 2])>, Edit) {
    let mut lines: Vec<usize> = before.iter().chain(glyphs).chain(after.iter()).map(|g| g.line).collect();
    lines.dedup();
    let mut uniq = lines.clone();
    uniq.sort_unstable();
    uniq.dedup();
    if uniq.is_empty() || uniq.len() > 2 || lines.len() != uniq.len() {
        return (f32::INFINITY, None, None);
    }
    let want: Vec<char> = want.iter().filter_map(|s| s.chars().next()).map(fold).collect();
    let on = |l: usize| before.iter().chain(glyphs).chain(after.iter()).filter(|g| g.line == l).map(|g| g.index).collect::<Vec<usize>>();
    let window = |l: usize, open_left: bool, open_right: bool| {
        let ix = on(l);
        Window { line: l, a: *ix.iter().min().unwrap(), b: *ix.iter().max().unwrap(), open_left, open_right }
    };
    let anchor = |g: Option<GlyphRef>| g.map(|g| label(&page.lines[g.line].chars[g.index].char));
    if lines.len() == 1 {
        let w = window(lines[0], before.is_none(), after.is_none());
        let intended: Vec<char> = anchor(before).into_iter().chain(want.iter().copied()).chain(anchor(after)).collect();
        return (finite_or_inf(read_ll(page, &w) - window_ll(page, &w, &intended)), None, Some((w.line, w.a, w.b, intended)));
    }
    // Across a line break: the intended characters may sit at the end of the first line or the
    // start of the second; the likeliest split counts.
    let w1 = window(lines[0], before.is_none(), true);
    let w2 = window(lines[1], true, after.is_none());
    let read = read_ll(page, &w1) + read_ll(page, &w2);
    let (split, best) = (0..=want.len())
        .map(|s| {
            let l1: Vec<char> = anchor(before).into_iter().chain(want[..s].iter().copied()).collect();
            let l2: Vec<char> = want[s..].iter().copied().chain(anchor(after)).collect();
            (s, window_ll(page, &w1, &l1) + window_ll(page, &w2, &l2))
        })
        .fold((0, f32::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
    (finite_or_inf(read - best), Some((split, [lines[0], lines[1]])), None)
}

/// Lines worth a second view: those holding a stretch within the line that the recogniser finds
/// the intended text there less likely than its reading, but not hopelessly so (< 20 nats).
pub fn lines_to_review(ds: &[Disagreement]) -> Vec<usize> {
    let mut v: Vec<usize> = ds.iter().filter(|d| d.nats > 0.0 && d.nats < 20.0).filter_map(|d| d.edit.as_ref().map(|e| e.0)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Scores each stretch again over a second view of its line (`views`: line, posterior over the
/// whole re-read line), as log P(the line as read) − log P(the line with the stretch as intended),
/// and keeps the smaller of the two views' values: a recogniser that reads the intended text in
/// either view was unsure, while ink that says something else says it in both.
pub fn with_second_view(page: &Page, ds: &mut [Disagreement], views: &[(usize, Posterior)]) {
    for d in ds.iter_mut() {
        let Some((line, a, b, intended)) = &d.edit else { continue };
        let Some((_, post)) = views.iter().find(|v| v.0 == *line) else { continue };
        if post.steps.is_empty() {
            continue;
        }
        let labels = |gs: &[crate::ocr::Glyph]| gs.iter().map(|g| label(&g.char)).filter(|&c| script_of(c) != Script::Space).collect::<Vec<char>>();
        let chars = &page.lines[*line].chars;
        let read = labels(chars);
        let mut want = labels(&chars[..*a]);
        want.extend(intended.iter().copied().filter(|&c| script_of(c) != Script::Space));
        want.extend(labels(&chars[*b + 1..]));
        let last = post.steps.len() - 1;
        let nats = ctc_log_likelihood(post, 0, last, &read) - ctc_log_likelihood(post, 0, last, &want);
        d.nats = d.nats.min(finite_or_inf(nats));
    }
}

/// Unscorable (a missing posterior, or an intended text that cannot fit) counts as no support.
fn finite_or_inf(v: f32) -> f32 {
    if v.is_finite() { v } else { f32::INFINITY }
}

fn label(s: &str) -> char {
    s.chars().next().map(fold).unwrap_or(' ')
}

/// Log likelihood of what was read in the window.
fn read_ll(page: &Page, w: &Window) -> f32 {
    let chars = &page.lines[w.line].chars;
    let read: Vec<char> = chars[w.a..=w.b].iter().map(|g| label(&g.char)).filter(|&c| script_of(c) != Script::Space).collect();
    window_ll(page, w, &read)
}

/// Log likelihood of `labels` over the window's time steps.
fn window_ll(page: &Page, w: &Window, labels: &[char]) -> f32 {
    let line = &page.lines[w.line];
    let post = &line.posterior;
    if post.steps.is_empty() {
        return f32::NEG_INFINITY;
    }
    let last = post.steps.len() - 1;
    let chars = &line.chars;
    let t0 = if !w.open_left {
        chars[w.a].steps[0]
    } else if w.a > 0 {
        chars[w.a - 1].steps[1] + 1
    } else {
        0
    };
    let t1 = if !w.open_right {
        chars[w.b].steps[1]
    } else if w.b + 1 < chars.len() {
        chars[w.b + 1].steps[0].saturating_sub(1)
    } else {
        last
    };
    ctc_log_likelihood(post, t0.min(last), t1.min(last), labels)
}

/// log P(labels) over time steps `[t0, t1]`: the CTC forward sum over every path that emits exactly
/// `labels` (blanks between and around, repeats merged). Labels compare after `fold`.
pub fn ctc_log_likelihood(post: &Posterior, t0: usize, t1: usize, labels: &[char]) -> f32 {
    if t1 < t0 {
        return if labels.is_empty() { 0.0 } else { f32::NEG_INFINITY };
    }
    let logp = |t: usize, c: char| {
        let s = &post.steps[t];
        let hits: Vec<f32> = s.top.iter().filter(|(sym, _)| label(sym) == c).map(|&(_, p)| p).collect();
        if hits.is_empty() {
            s.floor
        } else {
            log_sum(&hits)
        }
    };
    // Extended sequence: blank, l0, blank, l1, ..., blank.
    let ext: Vec<Option<char>> = std::iter::once(None).chain(labels.iter().flat_map(|&c| [Some(c), None])).collect();
    let m = ext.len();
    let emit = |t: usize, s: usize| match ext[s] {
        None => post.steps[t].blank,
        Some(c) => logp(t, c),
    };
    let mut alpha = vec![f32::NEG_INFINITY; m];
    alpha[0] = emit(t0, 0);
    if m > 1 {
        alpha[1] = emit(t0, 1);
    }
    for t in t0 + 1..=t1 {
        let mut next = vec![f32::NEG_INFINITY; m];
        for s in 0..m {
            let mut terms = vec![alpha[s]];
            if s >= 1 {
                terms.push(alpha[s - 1]);
            }
            if s >= 2 && ext[s].is_some() && ext[s] != ext[s - 2] {
                terms.push(alpha[s - 2]);
            }
            let a = log_sum(&terms);
            if a > f32::NEG_INFINITY {
                next[s] = a + emit(t, s);
            }
        }
        alpha = next;
    }
    if m == 1 {
        alpha[0]
    } else {
        log_sum(&[alpha[m - 1], alpha[m - 2]])
    }
}

fn log_sum(v: &[f32]) -> f32 {
    let m = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if m == f32::NEG_INFINITY {
        return m;
    }
    m + v.iter().map(|&x| (x - m).exp()).sum::<f32>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::recognize::StepPosterior;

    fn step(blank: f32, top: &[(&str, f32)]) -> StepPosterior {
        let top: Vec<(String, f32)> = top.iter().map(|&(s, p)| (s.to_string(), p.ln())).collect();
        let floor = top.last().map_or(-30.0, |t| t.1);
        StepPosterior { blank: blank.ln(), top, floor }
    }

    #[test]
    fn the_forward_sum_prefers_what_the_steps_show_and_needs_room_for_every_label() {
        // 已 clearly, then blank, then 知 with 和 close behind.
        let post = Posterior {
            steps: vec![
                step(0.05, &[("已", 0.9), ("己", 0.04)]),
                step(0.9, &[("已", 0.05), ("，", 0.01)]),
                step(0.1, &[("知", 0.5), ("和", 0.4)]),
            ],
        };
        let ll = |s: &str| ctc_log_likelihood(&post, 0, 2, &s.chars().collect::<Vec<_>>());
        assert!(ll("已知") > ll("已和"));
        assert!(ll("已知") - ll("已和") < 0.5, "near miss: {} vs {}", ll("已知"), ll("已和"));
        assert!(ll("已知") - ll("己知") > 2.5, "look-alike far: {} vs {}", ll("已知"), ll("己知"));
        // A third character has to take a step from the others: far less likely.
        assert!(ll("已知") - ll("已，知") > 2.0);
        // Four labels cannot fit three steps.
        assert_eq!(ll("已已知知"), f32::NEG_INFINITY);
        // A repeated label needs a blank between its two emissions.
        assert!(ll("已已") < ll("已知"));
        // Width folding: ',' is the same label as '，'.
        assert_eq!(ll("已,知"), ll("已，知"));
    }
}
