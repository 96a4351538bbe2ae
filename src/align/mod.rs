//! Stage `match` (module `align`): takes the OCR page, its blocks and the intended text; gives, per
//! intended character, the glyph it was matched to (same, substituted) or that it is missing, plus the
//! recognised text no intended character explains.
//!
//! Each intended block is located in the recognised stream (blocks in reading order, lines within
//! them) by a semi-global edit-distance alignment, so different line breaks do not matter and, for
//! UI screens, neither does block order. Characters are compared after `clreq::fold`, so a comma read
//! as ',' still matches '，' here; its width is judged from geometry by the rules.

pub mod second_look;

use crate::blocks::TextBlock;
use crate::clreq::{fold, is_han, script_of, Script};
use crate::ocr::Page;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A glyph in the page: line index and character index within the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlyphRef {
    pub line: usize,
    pub index: usize,
}

/// What became of one intended character.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CharMatch {
    /// Read as intended (up to width folding).
    Matched { glyph: GlyphRef },
    /// Read as another character.
    Substituted { glyph: GlyphRef, read: String },
    /// No glyph for it.
    Missing { after: Option<GlyphRef>, before: Option<GlyphRef> },
}

/// One intended block and its alignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockMatch {
    pub block: usize,
    /// Intended characters (whitespace removed, NFC).
    pub chars: Vec<String>,
    pub matches: Vec<CharMatch>,
    /// Per intended character: whether the intended text puts a space before it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub space_before: Vec<bool>,
    /// Recognised glyphs inside the block's span that no intended character explains.
    pub inserted: Vec<GlyphRef>,
    /// False when the block could not be located at all.
    pub found: bool,
}

/// The result of matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    pub blocks: Vec<BlockMatch>,
    /// Recognised glyphs outside every matched block.
    pub unexplained: Vec<GlyphRef>,
}

impl Alignment {
    /// For each page line, the intended block most of its glyphs were matched to.
    pub fn line_owners(&self, n_lines: usize) -> Vec<Option<usize>> {
        let mut votes: Vec<std::collections::BTreeMap<usize, usize>> = vec![Default::default(); n_lines];
        for b in &self.blocks {
            for m in &b.matches {
                if let CharMatch::Matched { glyph } | CharMatch::Substituted { glyph, .. } = m {
                    *votes[glyph.line].entry(b.block).or_default() += 1;
                }
            }
        }
        votes.into_iter().map(|v| v.into_iter().max_by_key(|&(b, n)| (n, std::cmp::Reverse(b))).map(|(b, _)| b)).collect()
    }

    /// Whether the intended text has a space right before the character a glyph was matched to.
    pub fn space_before_glyph(&self, g: GlyphRef) -> bool {
        self.blocks.iter().any(|b| b.index_of(g).is_some_and(|k| b.space_before.get(k).copied().unwrap_or(false)))
    }

    /// The intended character a glyph was matched to, if any.
    pub fn intended_for(&self, g: GlyphRef) -> Option<&str> {
        self.blocks.iter().find_map(|b| b.index_of(g).map(|k| b.chars[k].as_str()))
    }
}

impl BlockMatch {
    /// The index of the intended character glyph `g` was matched to (read as it or not), if any.
    pub fn index_of(&self, g: GlyphRef) -> Option<usize> {
        self.matches.iter().position(|m| matches!(m, CharMatch::Matched { glyph } | CharMatch::Substituted { glyph, .. } if *glyph == g))
    }
}

/// Splits intended text into comparable characters: NFC, whitespace dropped.
pub fn intended_chars(text: &str) -> Vec<String> {
    text.nfc().filter(|c| !c.is_whitespace()).map(|c| c.to_string()).collect()
}

/// Per intended character of [`intended_chars`]: whether whitespace precedes it in the text.
pub fn space_before(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    let mut space = false;
    for c in text.nfc() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            out.push(space);
            space = false;
        }
    }
    out
}

fn key(s: &str) -> char {
    s.chars().next().map(fold).unwrap_or(' ')
}

/// Matches intended blocks (texts) against the page. `places` holds each block's intended box on
/// the page where known (a spec's), to tell apart blocks with the same text.
pub fn align(page: &Page, blocks: &[TextBlock], intended: &[String], places: &[Option<[f32; 4]>]) -> Alignment {
    // Recognised stream in block order.
    let mut stream: Vec<GlyphRef> = Vec::new();
    let mut block_starts: Vec<usize> = Vec::new();
    for b in blocks {
        if !stream.is_empty() && block_starts.last() != Some(&stream.len()) {
            block_starts.push(stream.len());
        }
        for &li in &b.lines {
            let chars = &page.lines[li].chars;
            for (ci, g) in chars.iter().enumerate() {
                // A recogniser may read "°C" as "°" + "℃": the degree sign is already in the ℃.
                if g.char == "°" && chars.get(ci + 1).is_some_and(|n| n.char == "℃") {
                    continue;
                }
                if script_of(g.char.chars().next().unwrap_or(' ')) != Script::Space {
                    stream.push(GlyphRef { line: li, index: ci });
                }
            }
        }
    }
    let keys: Vec<char> = stream.iter().map(|r| key(&page.lines[r.line].chars[r.index].char)).collect();
    let likely: Vec<Vec<char>> = stream.iter().map(|r| page.lines[r.line].chars[r.index].likely_alternatives().map(key).collect()).collect();
    let line_starts: Vec<usize> = (0..stream.len()).filter(|&k| k == 0 || stream[k].line != stream[k - 1].line).collect();
    let texts: Vec<Vec<String>> = intended.iter().map(|t| intended_chars(t)).collect();
    // Each block in turn takes the glyphs it matches best among those left: gives the matches, the
    // glyphs taken, and each block's cost (EDIT units; a block not found costs all its characters).
    let run = |order: &[usize]| {
        let mut used = vec![false; stream.len()];
        let mut results: Vec<Option<BlockMatch>> = vec![None; texts.len()];
        let mut costs = vec![0u32; texts.len()];
        for &bi in order {
            let want: Vec<char> = texts[bi].iter().map(|s| key(s)).collect();
            let mut m = semi_global(&want, &keys, &likely, &used, &line_starts, &block_starts);
            let found = !want.is_empty() && m.cost as f32 <= 0.6 * want.len() as f32;
            // A line's last glyph taken, on a tie, for a character read otherwise with the ones
            // after it unread (`semi_global_lines`) stays unexplained when its box is long enough
            // to hold them too: «」。» read «J» in one box (202/170), whose marks' ink is then found
            // at the line's end.
            if let Some(k) = m.ops.iter().rposition(|o| !matches!(o, Op::Del)).filter(|&k| k + 1 < m.ops.len()) {
                if let Op::Sub(j) = m.ops[k] {
                    let r = stream[j];
                    let line = &page.lines[r.line];
                    let c = want[m.ops[..k].iter().filter(|o| !matches!(o, Op::Ins(_))).count()];
                    if substitution_cost(c, keys[j], likely.get(j)) == EDIT && crate::blocks::glyph_extent(line, &line.chars[r.index]).0 > 0.75 * crate::blocks::line_em(line) {
                        m.ops[k] = Op::Del;
                    }
                }
            }
            costs[bi] = if found { m.cost } else { want.len() as u32 };
            let mut matches = Vec::with_capacity(want.len());
            let mut inserted = Vec::new();
            if found {
                let mut last: Option<GlyphRef> = None;
                let mut pending_missing: Vec<usize> = Vec::new();
                for op in &m.ops {
                    match *op {
                        Op::Same(j) | Op::Sub(j) => {
                            let g = stream[j];
                            used[j] = true;
                            for k in pending_missing.drain(..) {
                                matches[k] = CharMatch::Missing { after: last, before: Some(g) };
                            }
                            matches.push(match op {
                                Op::Same(..) => CharMatch::Matched { glyph: g },
                                _ => CharMatch::Substituted { glyph: g, read: page.lines[g.line].chars[g.index].char.clone() },
                            });
                            last = Some(g);
                        }
                        Op::Del => {
                            pending_missing.push(matches.len());
                            matches.push(CharMatch::Missing { after: last, before: None });
                        }
                        Op::Ins(j) => {
                            used[j] = true;
                            inserted.push(stream[j]);
                        }
                    }
                }
            } else {
                matches = want.iter().map(|_| CharMatch::Missing { after: None, before: None }).collect();
            }
            results[bi] = Some(BlockMatch { block: bi, chars: texts[bi].clone(), matches, space_before: space_before(&intended[bi]), inserted, found });
        }
        (results, used, costs)
    };
    // Longest blocks first: they are the least ambiguous. But a block matched early may take the
    // glyphs another one needs more: a quoted paragraph whose opening «“» went unread took the
    // closing «”。» of the paragraph before it (quotes fold alike) for one extra glyph, leaving
    // those two missing there (clean 6565/260). Each block that did not match exactly is tried
    // first instead; the order that leaves least unexplained in all wins (ties: by length).
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(texts[i].len()));
    let (mut results, mut used, costs) = run(&order);
    let mut best = costs.iter().sum::<u32>();
    for k in (0..texts.len()).filter(|&k| costs[k] > 0) {
        let first: Vec<usize> = std::iter::once(k).chain(order.iter().copied().filter(|&i| i != k)).collect();
        let (r, u, c) = run(&first);
        let total = c.iter().sum::<u32>();
        if total < best {
            (results, used, best) = (r, u, total);
        }
    }
    let mut alignment = Alignment { blocks: results.into_iter().map(|r| r.unwrap()).collect(), unexplained: Vec::new() };
    place_repeated_blocks(page, &mut alignment.blocks, places);
    // The block match leaves text before its first and after its last character free. A character
    // there that shares a line with a block wrapped over several lines is still the block's: an
    // extra one ("活动竭" for a title "社区义诊活动" set on two lines), not text from elsewhere. A
    // block matched within a single line may be a phrase of a longer label ("设置" in "全局设置")
    // and is left as it is (an icon beside a label reads as 口 or 宣, set at the label's pitch),
    // unless what is left beside it is one character doubling its neighbour ("立立即购买"): a
    // character an image model repeated. Only Han characters: a mark at a line's end misread as a
    // letter or digit ("」。" as "J") is no word, and neither is a stray dot.
    let owners = alignment.line_owners(page.lines.len());
    let wrapped = |b: usize| owners.iter().filter(|o| **o == Some(b)).count() >= 2;
    // Unmatched position `k` alone between matched characters (or its line's ends), beside one it
    // repeats.
    let doubles = |k: usize| {
        let on_line = |j: usize| stream[j].line == stream[k].line;
        let (before, after) = (k.checked_sub(1).filter(|&j| on_line(j)), Some(k + 1).filter(|&j| j < stream.len() && on_line(j)));
        let alone = [before, after].iter().all(|j| j.is_none_or(|j| used[j]));
        alone && [before, after].iter().flatten().any(|&j| keys[j] == keys[k])
    };
    for (k, (r, u)) in stream.iter().zip(&used).enumerate() {
        let c = key(&page.lines[r.line].chars[r.index].char);
        match owners[r.line] {
            Some(b) if !u && is_han(c) && (wrapped(b) || doubles(k)) => alignment.blocks[b].inserted.push(*r),
            _ if !u => alignment.unexplained.push(*r),
            _ => {}
        }
    }
    for b in &mut alignment.blocks {
        b.inserted.sort_by_key(|r| (r.line, r.index));
    }
    alignment
}

/// Blocks with the same text match the page equally well wherever either stands, so each took
/// whichever reading the search met first: a heading and a side column both «限时优惠 仅此一天»
/// (clean 6565/074), the heading read as the column, was held to the column's alignment. Where the
/// intended boxes are known, the readings are handed out so that each sits nearest its block's box
/// (the least summed distance between centres); otherwise they stay as found.
fn place_repeated_blocks(page: &Page, blocks: &mut [BlockMatch], places: &[Option<[f32; 4]>]) {
    /// Beyond this many blocks with one text, the readings stay as found (the search tries every
    /// way of handing them out).
    const MOST_REPEATS: usize = 6;
    let centre = |b: [f32; 4]| [b[0] + b[2] / 2.0, b[1] + b[3] / 2.0];
    // Where a block's reading stands on the page: the centre of its matched glyphs' boxes.
    let read_at = |m: &BlockMatch| {
        let corners: Vec<[f32; 2]> = m
            .matches
            .iter()
            .filter_map(|c| match c {
                CharMatch::Matched { glyph } | CharMatch::Substituted { glyph, .. } => Some(page.lines[glyph.line].chars[glyph.index].bbox),
                CharMatch::Missing { .. } => None,
            })
            .flat_map(|b| [[b[0], b[1]], [b[0] + b[2], b[1] + b[3]]])
            .collect();
        (!corners.is_empty()).then(|| centre(crate::geometry::bbox_of(&corners)))
    };
    let mut seen = vec![false; blocks.len()];
    for i in 0..blocks.len() {
        if seen[i] {
            continue;
        }
        let group: Vec<usize> = (i..blocks.len()).filter(|&j| blocks[j].chars == blocks[i].chars).collect();
        for &j in &group {
            seen[j] = true;
        }
        let boxes: Option<Vec<[f32; 2]>> = group.iter().map(|&j| places.get(j).copied().flatten().map(centre)).collect();
        let (Some(boxes), 2..=MOST_REPEATS) = (boxes, group.len()) else {
            continue;
        };
        let at: Vec<Option<[f32; 2]>> = group.iter().map(|&j| read_at(&blocks[j])).collect();
        // The cost of giving reading `r` to block `k`: how far it stands from that block's box.
        let cost = |perm: &[usize]| -> f32 { perm.iter().enumerate().filter_map(|(k, &r)| at[r].map(|p| ((p[0] - boxes[k][0]).powi(2) + (p[1] - boxes[k][1]).powi(2)).sqrt())).sum() };
        let best = cheapest_arrangement(group.len(), cost);
        let readings: Vec<BlockMatch> = group.iter().map(|&j| blocks[j].clone()).collect();
        for (k, &r) in best.iter().enumerate() {
            let b = &mut blocks[group[k]];
            b.matches = readings[r].matches.clone();
            b.inserted = readings[r].inserted.clone();
            b.found = readings[r].found;
        }
        // A reading can join lines of both places: «关爱老人» of a heading and «温暖同行» down a side
        // column matched one block, the column's «关爱老人» and the heading's «温暖», «同行» the
        // other (4040/193). Character by character, where each block has a glyph, the glyphs go to
        // the blocks whose boxes they stand in (or nearest), when that is strictly nearer.
        let rects: Vec<[f32; 4]> = group.iter().map(|&j| places[j].unwrap()).collect();
        let off_box = |p: [f32; 2], b: [f32; 4]| {
            let dx = (b[0] - p[0]).max(p[0] - (b[0] + b[2])).max(0.0);
            let dy = (b[1] - p[1]).max(p[1] - (b[1] + b[3])).max(0.0);
            (dx * dx + dy * dy).sqrt()
        };
        for i in 0..blocks[group[0]].matches.len() {
            let at: Option<Vec<[f32; 2]>> = group
                .iter()
                .map(|&j| match &blocks[j].matches[i] {
                    CharMatch::Matched { glyph } | CharMatch::Substituted { glyph, .. } => Some(centre(page.lines[glyph.line].chars[glyph.index].bbox)),
                    CharMatch::Missing { .. } => None,
                })
                .collect();
            let Some(at) = at else { continue };
            let cost = |perm: &[usize]| -> f32 { perm.iter().enumerate().map(|(k, &r)| off_box(at[r], rects[k])).sum() };
            let best = cheapest_arrangement(group.len(), cost);
            let was: Vec<CharMatch> = group.iter().map(|&j| blocks[j].matches[i].clone()).collect();
            for (k, &r) in best.iter().enumerate() {
                blocks[group[k]].matches[i] = was[r].clone();
            }
        }
    }
}

/// Of the arrangements of `n` items, the one `cost` rates lowest (ties keep the earlier in
/// lexicographic order, the first being the identity).
fn cheapest_arrangement(n: usize, cost: impl Fn(&[usize]) -> f32) -> Vec<usize> {
    let mut perm: Vec<usize> = (0..n).collect();
    let mut best = (cost(&perm), perm.clone());
    while next_permutation(&mut perm) {
        let c = cost(&perm);
        if c < best.0 - 1e-3 {
            best = (c, perm.clone());
        }
    }
    best.1
}

/// Steps `v` to its next arrangement in lexicographic order; false after the last.
fn next_permutation(v: &mut [usize]) -> bool {
    let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else {
        return false;
    };
    let j = (i..v.len()).rev().find(|&j| v[j] > v[i - 1]).unwrap_or(i);
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

#[derive(Debug, Clone, Copy)]
enum Op {
    /// Stream position read as intended.
    Same(usize),
    /// Stream position read as another character.
    Sub(usize),
    /// Intended character with no glyph.
    Del,
    /// Glyph with no intended character (inside the span).
    Ins(usize),
}

struct SemiGlobal {
    cost: u32,
    ops: Vec<Op>,
}

/// Cost units: a substitution or a missing character costs 10 (a mark read as a mark it is often
/// confused with, 9: «；“» read as one «：» is ； read as ： and “ unread, not “ read as ：; so does a
/// glyph read as another whose likely alternatives (`ocr::LIKELY_ALTERNATIVE`) hold the character:
/// a line's last «」。» read as one «]», 」 at 0.30, is 」 read as ] and 。 unread, not both unread
/// beside a stray ]), an extra one 9; continuing the block on
/// another recognised line costs 3 (so contiguous readings win, but a block may follow the page's
/// own line breaks and order).
const EDIT: u32 = 10;
/// An extra recognised glyph costs a little less than a substitution, so that when a reading has one
/// glyph too many ("A:：" for "A:"), the extra glyph is the one left over rather than a real
/// character being called substituted.
const EXTRA: u32 = 9;
const JUMP: u32 = 3;

/// Aligns all of `want` against the stream with a free start and end; at the end of a recognised
/// line the alignment may continue at the start of any other line. Glyphs taken by another block
/// are never used, and no glyph is used twice: a block that repeats a phrase («；（老年人应注意防跌倒）»
/// twice) could otherwise read its second time off the lines of its first, jumping back, rather
/// than pay for a mark the recogniser left unread. Where the alignment does so, it is kept up to
/// the first glyph it uses again, and the rest of the block is aligned anew without the glyphs
/// taken so far — unless bounding the blocks (`semi_global_once`) gives an alignment that uses no
/// glyph twice: then that one. `line_starts` holds the stream index of each line's first glyph,
/// `block_starts` that of each later block's.
fn semi_global(want: &[char], stream: &[char], likely: &[Vec<char>], used: &[bool], line_starts: &[usize], block_starts: &[usize]) -> SemiGlobal {
    let glyph = |op: &Op| match *op {
        Op::Same(j) | Op::Sub(j) | Op::Ins(j) => Some(j),
        Op::Del => None,
    };
    let reuse = |r: &SemiGlobal| {
        let mut taken = used.to_vec();
        r.ops.iter().position(|op| glyph(op).is_some_and(|j| std::mem::replace(&mut taken[j], true)))
    };
    let free = semi_global_once(want, stream, likely, used, line_starts, &[]);
    let Some(k) = reuse(&free) else {
        return free;
    };
    if !block_starts.is_empty() {
        let bounded = semi_global_once(want, stream, likely, used, line_starts, block_starts);
        if reuse(&bounded).is_none() {
            return bounded;
        }
    }
    let mut taken = used.to_vec();
    for j in free.ops[..k].iter().filter_map(glyph) {
        taken[j] = true;
    }
    let done = free.ops[..k].iter().filter(|op| !matches!(op, Op::Ins(_))).count();
    let edits = free.ops[..k].iter().filter(|op| !matches!(op, Op::Same(_))).count() as u32;
    let rest = semi_global(&want[done..], stream, likely, &taken, line_starts, block_starts);
    SemiGlobal { cost: edits + rest.cost, ops: free.ops[..k].iter().copied().chain(rest.ops).collect() }
}

/// Blocks follow each other in the stream in the layout's order, which is not the text's: two
/// boxes of one row may fall in different blocks (clean 5353/247: «良好的睡眠有助于», boxed apart from
/// «外出时请佩戴口罩！», came after the block's last line «时请佩戴口罩。»). Reading on from one block's
/// last glyph into the next block's first would cost nothing there, where a jump between lines costs
/// JUMP; a repeated phrase then read its first time off the second's lines. So, where the free
/// alignment uses a glyph twice (`semi_global`), a separator no character matches and none may be
/// left over stands before each later block, and the alignment passes it only by a jump. Not
/// everywhere: a mark pushed onto the next row, itself a block, is read there on a page that
/// repeats nothing (1313/98: «！» read «1» at a line's start), where a jump would make it missing.
fn semi_global_once(want: &[char], stream: &[char], likely: &[Vec<char>], used: &[bool], line_starts: &[usize], block_starts: &[usize]) -> SemiGlobal {
    if block_starts.is_empty() {
        return semi_global_lines(want, stream, likely, used, line_starts);
    }
    let (mut ext, mut ext_likely, mut ext_used, mut orig, mut ext_starts) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (j, (&c, &u)) in stream.iter().zip(used).enumerate() {
        if j > 0 && block_starts.contains(&j) {
            ext_starts.push(ext.len());
            ext.push('\u{0}');
            ext_likely.push(Vec::new());
            ext_used.push(true);
            orig.push(usize::MAX);
        }
        if line_starts.contains(&j) {
            ext_starts.push(ext.len());
        }
        ext.push(c);
        ext_likely.push(likely.get(j).cloned().unwrap_or_default());
        ext_used.push(u);
        orig.push(j);
    }
    let r = semi_global_lines(want, &ext, &ext_likely, &ext_used, &ext_starts);
    let back = |op: Op| match op {
        Op::Same(j) => Op::Same(orig[j]),
        Op::Sub(j) => Op::Sub(orig[j]),
        Op::Ins(j) => Op::Ins(orig[j]),
        Op::Del => Op::Del,
    };
    SemiGlobal { cost: r.cost, ops: r.ops.into_iter().map(back).collect() }
}

/// What taking stream character `read` for intended `want` costs: nothing when they are the same;
/// a little less than an edit for a look-alike mark or a reading whose `likely` alternatives hold
/// `want`; else an edit.
fn substitution_cost(want: char, read: char, likely: Option<&Vec<char>>) -> u32 {
    if want == read {
        0
    } else if crate::clreq::look_alike_marks(want, read) || likely.is_some_and(|l| l.contains(&want)) {
        EDIT - 1
    } else {
        EDIT
    }
}

/// `likely`: per stream position, the other readings the recogniser finds likely there (folded;
/// may be shorter than the stream).
fn semi_global_lines(want: &[char], stream: &[char], likely: &[Vec<char>], used: &[bool], line_starts: &[usize]) -> SemiGlobal {
    let (n, m) = (want.len(), stream.len());
    const BIG: u32 = u32::MAX / 4;
    let w = m + 1;
    let mut dp = vec![BIG; (n + 1) * w];
    // 0 start, 1 diag, 2 up (missing), 3 left (extra), 4 jump (source column in `src`)
    let mut bt = vec![0u8; (n + 1) * w];
    let mut src = vec![0usize; (n + 1) * w];
    let is_start: Vec<bool> = (0..=m).map(|c| line_starts.contains(&c)).collect();
    let is_end: Vec<bool> = (0..=m).map(|c| c > 0 && (c == m || line_starts.contains(&c))).collect();
    for j in 0..=m {
        dp[j] = 0;
    }
    for i in 1..=n {
        for pass in 0..2 {
            if pass == 1 {
                // Best line end of this row, offered to every line start.
                let mut best = (BIG, 0usize);
                for c in 0..=m {
                    if is_end[c] && dp[i * w + c] < best.0 {
                        best = (dp[i * w + c], c);
                    }
                }
                if best.0 >= BIG {
                    break;
                }
                for c in 0..=m {
                    if is_start[c] && best.0 + JUMP < dp[i * w + c] && best.1 != c {
                        dp[i * w + c] = best.0 + JUMP;
                        bt[i * w + c] = 4;
                        src[i * w + c] = best.1;
                    }
                }
            }
            if pass == 0 {
                dp[i * w] = i as u32 * EDIT;
                bt[i * w] = 2;
            }
            for j in 1..=m {
                let taken = used[j - 1];
                let sub = if taken { BIG } else { substitution_cost(want[i - 1], stream[j - 1], likely.get(j - 1)) };
                let diag = dp[(i - 1) * w + j - 1].saturating_add(sub);
                let up = dp[(i - 1) * w + j].saturating_add(EDIT);
                let left = if taken { BIG } else { dp[i * w + j - 1].saturating_add(EXTRA) };
                let cur = if pass == 1 && bt[i * w + j] == 4 { dp[i * w + j] } else { BIG };
                let (mut best, mut b) = (cur, 4u8);
                if diag < best {
                    best = diag;
                    b = 1;
                }
                // On a tie a missing character beats a substitution of a line's last glyph: a block
                // whose first mark is unread must not take the end of the line before ("提交申请"
                // then "「请…": 「 is not the 请 of the line before).
                if up < best || (up == best && b == 1 && sub > 0 && is_end[j]) {
                    best = up;
                    b = 2;
                }
                if left < best {
                    best = left;
                    b = 3;
                }
                dp[i * w + j] = best;
                bt[i * w + j] = b;
            }
        }
    }
    let (mut j, mut cost) = (0usize, BIG);
    // Whether the alignment ending at column `c` takes the glyph there as a character read
    // otherwise, with only missing characters after it.
    let ends_on_glyph = |c: usize| {
        let mut i = n;
        while i > 0 && bt[i * w + c] == 2 {
            i -= 1;
        }
        i > 0 && bt[i * w + c] == 1
    };
    for jj in 0..=m {
        // On a tie, a block that runs to its line's end takes the line's last glyph as its last
        // character read otherwise, rather than leave that character missing and the glyph
        // unexplained («翻印必究» read «翻印必完»: the ink is compared with 究); so too when
        // characters after it went unread («水果”。» read «水果?», the «。» boxed apart: the «?»
        // is compared with «”», clean 6565/245). (`align` leaves a glyph boxed over more than one
        // character unexplained instead.)
        let at_line_end = is_end[jj] && jj == j + 1 && ends_on_glyph(jj);
        if dp[n * w + jj] < cost || (dp[n * w + jj] == cost && at_line_end) {
            cost = dp[n * w + jj];
            j = jj;
        }
    }
    let mut ops = Vec::new();
    let mut i = n;
    while i > 0 {
        match bt[i * w + j] {
            1 => {
                ops.push(if want[i - 1] == stream[j - 1] { Op::Same(j - 1) } else { Op::Sub(j - 1) });
                i -= 1;
                j -= 1;
            }
            2 => {
                ops.push(Op::Del);
                i -= 1;
            }
            3 => {
                ops.push(Op::Ins(j - 1));
                j -= 1;
            }
            4 => j = src[i * w + j],
            _ => break,
        }
    }
    ops.reverse();
    SemiGlobal { cost: cost / EDIT, ops }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The alignment's operations, a letter each: S same, X substituted, D missing, I extra.
    fn kinds(r: &SemiGlobal) -> String {
        r.ops.iter().map(|o| match o { Op::Same(_) => 'S', Op::Sub(_) => 'X', Op::Del => 'D', Op::Ins(_) => 'I' }).collect()
    }

    /// The stream of recognised lines and the index of each line's first glyph.
    fn stream_of(lines: &[&str]) -> (Vec<char>, Vec<usize>) {
        let starts = lines.iter().scan(0, |k, l| { let s = *k; *k += l.chars().count(); Some(s) }).collect();
        (lines.concat().chars().collect(), starts)
    }

    #[test]
    fn a_dropped_first_mark_does_not_take_the_glyph_before_the_block() {
        // "提交申请" then "请遵医嘱" (its 「 unread), two lines: 「 is missing, not read as 请.
        let want: Vec<char> = "「请遵医嘱".chars().collect();
        let stream: Vec<char> = "提交申请请遵医嘱".chars().collect();
        let used = vec![false; stream.len()];
        let r = semi_global(&want, &stream, &[], &used, &[0, 4], &[]);
        assert_eq!(kinds(&r), "DSSSS");
        assert!(matches!(r.ops[1], Op::Same(4)), "{:?}", r.ops);
    }

    #[test]
    fn semi_global_finds_block_inside_stream_with_a_substitution_and_a_drop() {
        let want: Vec<char> = "请按时服药".chars().collect();
        let stream: Vec<char> = "标题请按时眼药谢谢".chars().collect();
        let used = vec![false; stream.len()];
        let r = semi_global(&want, &stream, &[], &used, &[0], &[]);
        assert_eq!(r.cost, 1);
        assert_eq!(kinds(&r), "SSSXS");
        let dropped: Vec<char> = "请时服药".chars().collect();
        let r = semi_global(&want, &dropped, &[], &vec![false; 4], &[0], &[]);
        assert_eq!(r.cost, 1);
    }

    #[test]
    fn a_glyph_whose_likely_alternative_is_the_character_is_read_as_it() {
        // A line's last «」。» read as one «]» (」 a likely alternative): 」 read as ], 。 unread —
        // not both unread beside a stray ]. Without the alternative the two cost alike, and the
        // line's last glyph is taken on the tie (see `semi_global_lines`), at a whole edit.
        let want: Vec<char> = "停药」。".chars().collect();
        let stream: Vec<char> = "停药]".chars().collect();
        let used = vec![false; stream.len()];
        let likely = vec![vec![], vec![], vec!['」']];
        let (with, without) = (semi_global(&want, &stream, &likely, &used, &[0], &[]), semi_global(&want, &stream, &[], &used, &[0], &[]));
        assert_eq!((kinds(&with), kinds(&without)), ("SSXD".to_string(), "SSXD".to_string()));
        assert!(with.cost < without.cost, "{} {}", with.cost, without.cost);
    }

    fn page_of(lines: &[&str]) -> Page {
        let line = |t: &str| crate::ocr::Line {
            text: t.into(),
            confidence: 1.0,
            quad: [[0.0; 2]; 4],
            orientation: crate::ocr::Orientation::Horizontal,
            angle: 0.0,
            chars: t
                .chars()
                .map(|c| crate::ocr::Glyph { char: c.into(), confidence: 1.0, alternatives: vec![], bbox: [0.0; 4], quad: [[0.0; 2]; 4], ink_found: true, steps: [0, 0] })
                .collect(),
            posterior: Default::default(),
        };
        Page { width: 100, height: 100, lines: lines.iter().map(|t| line(t)).collect(), timings_ms: Default::default() }
    }

    #[test]
    fn an_extra_character_at_the_end_of_a_wrapped_block_is_the_blocks_but_not_beside_a_single_line_phrase() {
        let page = page_of(&["社区义诊", "活动竭", "全局设置"]);
        let blocks = [TextBlock { lines: vec![0, 1, 2], vertical: false, intent: None }];
        let a = align(&page, &blocks, &["社区义诊活动".into(), "设置".into()], &[]);
        assert_eq!(a.blocks[0].inserted, vec![GlyphRef { line: 1, index: 2 }]);
        assert!(a.blocks[1].inserted.is_empty());
        assert_eq!(a.unexplained, vec![GlyphRef { line: 2, index: 0 }, GlyphRef { line: 2, index: 1 }]);
    }

    #[test]
    fn a_doubled_character_beside_a_one_line_block_is_the_blocks_an_icon_beside_it_is_not() {
        let page = page_of(&["立立即购买", "口选择图片", "全局设置"]);
        let blocks = [TextBlock { lines: vec![0, 1, 2], vertical: false, intent: None }];
        let a = align(&page, &blocks, &["立即购买".into(), "选择图片".into(), "设置".into()], &[]);
        assert_eq!(a.blocks[0].inserted.len(), 1);
        assert!(a.blocks[1].inserted.is_empty());
        assert!(a.blocks[2].inserted.is_empty());
        assert_eq!(a.unexplained, vec![GlyphRef { line: 1, index: 0 }, GlyphRef { line: 2, index: 0 }, GlyphRef { line: 2, index: 1 }]);
    }

    #[test]
    fn blocks_with_the_same_text_take_the_reading_nearest_their_boxes() {
        // A heading at the top and a label at the bottom, both «限时优惠»: each block takes the
        // reading inside its intended box, whichever the search met first.
        let mut page = page_of(&["限时优惠", "限时优惠"]);
        for (li, y) in [(0, 10.0), (1, 80.0)] {
            for (k, g) in page.lines[li].chars.iter_mut().enumerate() {
                g.bbox = [10.0 * k as f32, y, 8.0, 8.0];
            }
        }
        let blocks = [TextBlock { lines: vec![0], vertical: false, intent: None }, TextBlock { lines: vec![1], vertical: false, intent: None }];
        let texts = ["限时优惠".to_string(), "限时优惠".to_string()];
        let line_of = |a: &Alignment, b: usize| match a.blocks[b].matches[0] {
            CharMatch::Matched { glyph } => glyph.line,
            ref m => panic!("{m:?}"),
        };
        for (places, want) in [([Some([0.0, 70.0, 50.0, 20.0]), Some([0.0, 0.0, 50.0, 20.0])], [1, 0]), ([Some([0.0, 0.0, 50.0, 20.0]), Some([0.0, 70.0, 50.0, 20.0])], [0, 1])] {
            let a = align(&page, &blocks, &texts, &places);
            assert_eq!([line_of(&a, 0), line_of(&a, 1)], want, "{places:?}");
        }
    }

    #[test]
    fn a_block_matched_later_keeps_the_glyphs_it_needs_more() {
        // Clean 6565/260 in small: «…恢复”。» then a longer paragraph whose opening «“» went unread.
        // Matched first, the longer one would take «”» (quotes fold alike) and «。» as an extra
        // glyph, leaving both missing in the first.
        let page = page_of(&["良好恢复”。", "就诊时间为上午六点至下午三点"]);
        let blocks = [TextBlock { lines: vec![0, 1], vertical: false, intent: None }];
        let a = align(&page, &blocks, &["“良好恢复”。".into(), "“就诊时间为上午六点至下午三点”".into()], &[]);
        assert!(matches!(a.blocks[0].matches[5], CharMatch::Matched { glyph: GlyphRef { line: 0, index: 4 } }), "{:?}", a.blocks[0].matches);
        assert!(matches!(a.blocks[1].matches[0], CharMatch::Missing { .. }), "{:?}", a.blocks[1].matches);
    }

    #[test]
    fn a_block_ending_its_line_takes_the_lines_last_glyph_before_characters_left_unread() {
        // Clean 6565/245: «…水果”。» read «…水果?», the «。» boxed apart and not read. Leaving «”»
        // missing costs as much as taking «?» for it; the glyph at the line's end is taken, and
        // only «。» is missing.
        let (stream, starts) = stream_of(&["多吃新鲜蔬菜和水果?", "注意饮食卫生"]);
        let want: Vec<char> = "多吃新鲜蔬菜和水果”。".chars().collect();
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &starts, &[]);
        assert_eq!(kinds(&r), "SSSSSSSSSXD", "{:?}", r.ops);
    }

    #[test]
    fn intended_spaces_are_kept_per_character() {
        assert_eq!(space_before(" 版权所有 翻印  必究"), vec![false, false, false, false, true, false, true, false]);
        let page = page_of(&["版权所有翻印必究"]);
        let a = align(&page, &[TextBlock { lines: vec![0], vertical: false, intent: None }], &["版权所有 翻印必究".into()], &[]);
        assert!(a.space_before_glyph(GlyphRef { line: 0, index: 4 }));
        assert!(!a.space_before_glyph(GlyphRef { line: 0, index: 5 }));
    }

    #[test]
    fn a_repeated_phrase_is_not_read_twice_off_the_same_glyphs() {
        // 1313/189: the block ends with its phrase «（老年人应注意防跌倒）。» a second time, and the
        // final 。 was not read. Reading the second phrase off the first one's lines would match
        // everything; each glyph may be used once, so the 。 is missing instead.
        let lines = ["注意服；", "（老年人应注", "意防跌倒）。咨询；", "（老年人", "应注意防跌倒）"];
        let (stream, starts) = stream_of(&lines);
        let want: Vec<char> = "注意服；（老年人应注意防跌倒）。咨询；（老年人应注意防跌倒）。".chars().collect();
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &starts, &[]);
        let used: Vec<usize> = r.ops.iter().filter_map(|o| match o { Op::Same(j) | Op::Sub(j) | Op::Ins(j) => Some(*j), Op::Del => None }).collect();
        assert_eq!(used, (0..stream.len()).collect::<Vec<_>>(), "{:?}", r.ops);
        assert!(matches!(r.ops.last(), Some(Op::Del)), "{:?}", r.ops);
    }

    #[test]
    fn a_block_is_not_read_on_into_the_next_one_for_free() {
        // Clean 5353/247: «良好的睡眠有助于», boxed apart from «外出时请佩戴口罩！» on its row (whose box
        // read a phantom «，»), is a block of its own after the one ending «时请佩戴口罩。». Read on
        // from that line into it for free, the phrase's first time came off its second's lines,
        // with ！ read as 。 (cost 10 and one jump), rather than the phantom extra and two jumps.
        let lines = ["外出时请佩戴口罩！，", "身体恢复，每天喝", "足八杯水。咨询、外出", "时请佩戴口罩。", "良好的睡眠有助于", "主办单位"];
        let (stream, starts) = stream_of(&lines);
        let want: Vec<char> = "外出时请佩戴口罩！良好的睡眠有助于身体恢复，每天喝足八杯水。咨询、外出时请佩戴口罩。".chars().collect();
        let blocks = [starts[4], starts[5]];
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &starts, &blocks);
        assert_eq!(kinds(&r), format!("{}I{}", "S".repeat(9), "S".repeat(want.len() - 9)), "{:?}", r.ops);
        assert!(matches!(r.ops[0], Op::Same(0)), "{:?}", r.ops);
        // Without the blocks' bounds it is: ！ is read as 。 and the phantom left over.
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &starts, &[]);
        assert!(kinds(&r).contains('X'), "{:?}", r.ops);
        // Where nothing is read twice the bounds are not drawn: a «！» pushed onto the next row, a
        // block of its own, and read «1» there is that ！ (1313/98), not missing.
        let stream: Vec<char> = "请按时服药1注意安全".chars().collect();
        let want: Vec<char> = "请按时服药！注意安全".chars().collect();
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &[0, 5], &[5]);
        assert_eq!(kinds(&r), "SSSSSXSSSS", "{:?}", r.ops);
    }

    #[test]
    fn block_may_continue_on_another_line() {
        // Lines: "价格" | "请按时" | "服药"; the block 请按时服药 spans lines 2 and 3, read out of order.
        let stream: Vec<char> = "服药价格请按时".chars().collect();
        let want: Vec<char> = "请按时服药".chars().collect();
        let r = semi_global(&want, &stream, &[], &vec![false; stream.len()], &[0, 2, 4], &[]);
        assert_eq!(r.cost, 0);
        let pos: Vec<usize> = r.ops.iter().map(|o| match o { Op::Same(j) => *j, _ => 99 }).collect();
        assert_eq!(pos, vec![4, 5, 6, 0, 1]);
    }
}
