//! Synthetic labeled corpus (`cjkcheck synth`). Takes a seed, a count and the bundled fonts, stroke
//! data, phrase and character lists; gives, per item, a PNG, the intended spec (`.spec.toml`: what the
//! image should say), a truth file (`.truth.json`: defect, expected verdict, rules that must fire,
//! per-glyph intended/rendered character, ink box and defect detail, per-line text/angle/box) and one
//! line of `manifest.jsonl`. Items are independent (own RNG stream from (seed, index)), generated in
//! parallel, byte-identical for the same seed.

pub mod compose;
pub mod degrade;
pub mod lookalike;
pub mod rng;
pub mod text;

use crate::error::{AssetError, Error, InputError, Result};
use crate::render::linebreak::{is_han, is_line_end_prohibited, is_line_start_prohibited};
use crate::render::{self, Fonts, GlyphTruth, Layout, LayoutOptions, LineTruth, PlacedGlyph};
use crate::spec::{Align, Orientation, Spec};
use rayon::prelude::*;
use rng::Rng;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Defect kinds, in a fixed order.
pub const DEFECTS: [&str; 17] = [
    "clean",
    "stroke_removed",
    "stroke_added",
    "component_swapped",
    "lookalike",
    "char_dropped",
    "char_added",
    "skew",
    "baseline_jitter",
    "glyph_rotated",
    "glyph_resized",
    "uneven_pitch",
    "line_misaligned",
    "punct_line_start",
    "punct_line_end",
    "halfwidth_punct",
    "variant_mix",
];

/// Image kinds.
pub const KINDS: [&str; 3] = ["poster", "flyer", "ui"];

/// The rule a defect must trigger.
pub fn rule_for(defect: &str) -> Option<&'static str> {
    Some(match defect {
        "stroke_removed" | "stroke_added" | "component_swapped" => "glyph.garbled",
        "lookalike" => "glyph.substituted",
        "char_dropped" => "text.missing",
        "char_added" => "text.extra",
        "skew" => "layout.skew",
        "baseline_jitter" => "layout.baseline",
        "glyph_rotated" => "layout.rotation",
        "glyph_resized" => "layout.size",
        "uneven_pitch" => "layout.pitch",
        "line_misaligned" => "block.alignment",
        "punct_line_start" => "punct.line_start",
        "punct_line_end" => "punct.line_end",
        "halfwidth_punct" => "punct.width",
        "variant_mix" => "script.variant_mix",
        _ => return None,
    })
}

/// Skew below this is reported in the truth but must not fail an image.
pub const SKEW_FAIL_DEG: f32 = 1.0;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub output: PathBuf,
    pub count: usize,
    pub seed: u64,
    /// Image kinds to draw from (default: all).
    pub kinds: Vec<String>,
    /// Defect kinds to draw from (default: all, clean ≈ 15 %).
    pub defects: Vec<String>,
}

/// Everything the generator reads, loaded once.
pub struct Assets {
    pub fonts: Fonts,
    pub phrases: text::Phrases,
    /// Level-1 characters of the 8105 list that have stroke data.
    pub common: Vec<char>,
    pub lookalikes: Vec<(char, char)>,
    /// Simplified → Traditional (only pairs that differ).
    pub s2t: BTreeMap<char, char>,
    /// Characters with stroke data, grouped by stroke count (for "is this a real character?").
    by_count: BTreeMap<usize, Vec<char>>,
}

fn read(rel: &str) -> Result<String> {
    let p = crate::assets::path(rel);
    std::fs::read_to_string(&p).map_err(|e| Error::Asset(AssetError { path: p, msg: format!("cannot read: {e}") }))
}

impl Assets {
    pub fn bundled() -> Result<Assets> {
        let fonts = Fonts::bundled()?;
        let strokes = fonts.strokes.as_ref().expect("bundled() loads strokes");
        let phrases = text::Phrases::parse(&read("data/synth/phrases.txt")?);
        let common: Vec<char> = read("corpora/chars/tongyong8105.tsv")?
            .lines()
            .filter_map(|l| {
                let mut f = l.split('\t');
                let c = f.next()?.chars().next()?;
                (f.next()? == "1" && strokes.contains(c)).then_some(c)
            })
            .collect();
        let lookalikes = crate::lookalikes::pairs().to_vec();
        let mut s2t = BTreeMap::new();
        for l in read("corpora/chars/s2t.tsv")?.lines() {
            let mut f = l.split('\t');
            let (Some(a), Some(b)) = (f.next().and_then(|s| s.chars().next()), f.next()) else { continue };
            if let Some(t) = b.split(' ').filter_map(|s| s.chars().next()).find(|&t| t != a) {
                if b.split(' ').next().and_then(|s| s.chars().next()) != Some(a) {
                    s2t.insert(a, t);
                }
            }
        }
        let mut by_count: BTreeMap<usize, Vec<char>> = BTreeMap::new();
        for c in strokes.chars() {
            if let Some(s) = strokes.get(c) {
                by_count.entry(s.stroke_count()).or_default().push(c);
            }
        }
        Ok(Assets { fonts, phrases, common, lookalikes, s2t, by_count })
    }

    /// A real character whose stroke medians match `medians` one to one (in any order, each
    /// within [`lookalike::SAME_GLYPH`]), if any.
    pub fn real_char_like(&self, medians: &[Vec<[u8; 2]>]) -> Option<char> {
        let strokes = self.fonts.strokes.as_ref()?;
        self.by_count
            .get(&medians.len())?
            .iter()
            .copied()
            .find(|&c| strokes.get(c).is_some_and(|s| lookalike::same_strokes_any_order(&s.medians, medians)))
    }
}

/// One glyph of the truth file.
#[derive(Debug, Clone, Serialize)]
pub struct TruthGlyph {
    /// The intended character(s); `None` for an extra character.
    pub char: Option<String>,
    /// What is drawn; `None` for a pseudo-character or a dropped character.
    pub rendered: Option<String>,
    pub bbox: Option<[u32; 4]>,
    pub block: usize,
    pub line: usize,
    pub index: usize,
    pub defect: Option<String>,
    pub detail: Value,
    pub font: String,
    pub em_box: [f32; 4],
}

#[derive(Debug, Clone, Serialize)]
pub struct TruthLine {
    pub block: usize,
    pub line: usize,
    pub text: String,
    pub angle_deg: f32,
    pub bbox: Option<[u32; 4]>,
    pub vertical: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub image: String,
    pub kind: String,
    pub defect: String,
    pub expected_verdict: String,
    pub rules: Vec<String>,
    pub glyphs: Vec<TruthGlyph>,
    pub lines: Vec<TruthLine>,
    pub params: Value,
}

/// A text edit applied to one block before layout.
#[derive(Debug, Clone)]
enum Edit {
    /// Char `pos` (same index in intended and rendered text) changed from `from` to `to`.
    Sub { block: usize, pos: usize, from: char, to: char, detail: Value },
    /// Intended char `pos` not drawn.
    Del { block: usize, pos: usize, ch: char },
    /// Rendered char `pos` not intended.
    Ins { block: usize, pos: usize, ch: char },
}

/// A pseudo-character: its path, the truth detail, and its stroke medians (to reject real characters).
/// The least share of a character's ink a garble must change to be drawn. A stroke added over
/// strokes already there (or removed from under them) can change nothing a reader could see: on
/// seeds 101 and 202 the eight garbles under 2.6% (免 每 意 本 用 倒 期 市) looked, at their size,
/// like the real character. Below the floor a garble is not a pseudo-character, and another glyph
/// is garbled instead; the floor sits under most of them, so the subtle ones stay.
pub const MIN_VISIBLE_CHANGE: f32 = 0.02;

/// How much of a glyph's ink a garble changes, at the size it is drawn: the coverage that differs
/// between the real character's path and the garbled one, as a share of the real character's ink.
/// A stroke added over strokes already there, or removed from under them, changes little or nothing.
fn visible_change(real: &[crate::render::Seg], garbled: &[crate::render::Seg]) -> f32 {
    let (Some(a), Some(b)) = (render::rasterize(real), render::rasterize(garbled)) else {
        return 0.0;
    };
    let at = |r: &(i32, i32, usize, usize, Vec<f32>), x: i32, y: i32| -> f32 {
        let (x0, y0, w, h, v) = r;
        let (u, t) = (x - x0, y - y0);
        if u < 0 || t < 0 || u >= *w as i32 || t >= *h as i32 {
            0.0
        } else {
            v[t as usize * w + u as usize]
        }
    };
    let (x0, y0) = (a.0.min(b.0), a.1.min(b.1));
    let x1 = (a.0 + a.2 as i32).max(b.0 + b.2 as i32);
    let y1 = (a.1 + a.3 as i32).max(b.1 + b.3 as i32);
    let (mut diff, mut ink) = (0.0f32, 0.0f32);
    for y in y0..y1 {
        for x in x0..x1 {
            let (p, q) = (at(&a, x, y), at(&b, x, y));
            diff += (p - q).abs();
            ink += p;
        }
    }
    if ink > 0.0 {
        diff / ink
    } else {
        0.0
    }
}

type GarbledGlyph = (Vec<crate::render::Seg>, Value, Vec<Vec<[u8; 2]>>);

/// One page with its defect applied, before painting.
struct Trial {
    intended: Spec,
    rendered: Spec,
    layout: Layout,
    labels: Vec<Option<(String, Value)>>,
    edit: Option<Edit>,
    look: compose::Look,
    params: Value,
}

/// A finished item, ready to write.
pub struct Item {
    pub png: Vec<u8>,
    pub spec_toml: String,
    pub truth: Truth,
}

/// Marks a look-alike defect may swap, both ways.
const MARK_SWAPS: [(char, char); 4] = [('，', '。'), ('；', '：'), ('、', '，'), ('！', '？')];

/// Marks a `char_dropped` defect may drop.
const DROPPABLE_MARKS: &str = "，。、；：！？";

fn han_positions(text: &str) -> Vec<usize> {
    text.chars().enumerate().filter(|(_, c)| is_han(*c)).map(|(i, _)| i).collect()
}

fn set_char(text: &str, pos: usize, to: Option<char>, insert: bool) -> String {
    let mut v: Vec<char> = text.chars().collect();
    match (to, insert) {
        (Some(c), true) => v.insert(pos, c),
        (Some(c), false) => v[pos] = c,
        (None, _) => {
            v.remove(pos);
        }
    }
    v.into_iter().collect()
}

fn rotate_about(c: [f32; 2], deg: f32) -> impl Fn([f32; 2]) -> [f32; 2] {
    let (s, co) = deg.to_radians().sin_cos();
    move |p| {
        let (dx, dy) = (p[0] - c[0], p[1] - c[1]);
        [c[0] + co * dx - s * dy, c[1] + s * dx + co * dy]
    }
}

/// Rounds to 3 decimals, as f64 (so JSON shows 2.347, not 2.3469998836517334).
fn r3(x: f32) -> f64 {
    ((x as f64) * 1000.0).round() / 1000.0
}

fn centre(r: [f32; 4]) -> [f32; 2] {
    [r[0] + r[2] / 2.0, r[1] + r[3] / 2.0]
}

/// Generation of one item; `None` if the chosen defect found no target on this page.
fn try_item(a: &Assets, rng: &mut Rng, kind: &str, defect: &str, strict: bool) -> Option<Trial> {
    let (mut intended, mut look) = compose::compose(rng, kind, &a.phrases, &a.common);
    if defect == "skew" {
        look.perspective = None; // keep the recorded line angle the only tilt on skew pages
    }
    if intended.blocks.is_empty() {
        return None;
    }
    // fairness: stroke-outline glyphs also appear in clean pages
    let garbled = matches!(defect, "stroke_removed" | "stroke_added" | "component_swapped");
    let horizontal_blocks: Vec<usize> =
        (0..intended.blocks.len()).filter(|&b| intended.blocks[b].orientation == Orientation::Horizontal).collect();
    let mut stroke_block = None;
    // variant_mix: the subset fonts hold few Traditional forms, the stroke data ~1,900 of them
    if garbled || rng.chance(if defect == "variant_mix" { 0.6 } else { 0.15 }) {
        let cands: Vec<usize> = (0..intended.blocks.len()).filter(|&b| !han_positions(&intended.blocks[b].text).is_empty()).collect();
        if cands.is_empty() {
            return None;
        }
        let b = *rng.pick(&cands);
        intended.blocks[b].font = "strokes".into();
        intended.blocks[b].weight = crate::spec::Weight::Regular;
        stroke_block = Some(b);
    }
    if defect == "punct_line_end" {
        // make sure some opening marks exist in a body block
        let b = *horizontal_blocks.iter().max_by_key(|&&b| intended.blocks[b].text.chars().count())?;
        let mut t = String::new();
        while t.chars().count() < intended.blocks[b].text.chars().count().max(20) {
            let ph = rng.pick(&a.phrases.clause).clone();
            let c = text::fill(rng, &ph, &a.common);
            let (o, e) = *rng.pick(&[('（', '）'), ('“', '”'), ('「', '」'), ('《', '》')]);
            let ph2 = rng.pick(&a.phrases.clause).clone();
            t.push_str(&text::fill(rng, &ph2, &a.common));
            t.push(o);
            t.push_str(&c);
            t.push(e);
            t.push('，');
        }
        t.pop();
        t.push('。');
        intended.blocks[b].text = t;
    }
    if defect == "line_misaligned" {
        for b in &mut intended.blocks {
            if b.align == Align::Justify {
                b.align = Align::Left;
            }
        }
    }
    let mut rendered = intended.clone();
    let mut edit = None;
    let mut opts = LayoutOptions::default();
    let mut params = json!({});
    let fonts = &a.fonts;
    let face_has = |b: usize, c: char| {
        let blk = &rendered_font(&intended, b);
        let f = fonts.select(&blk.0, blk.1);
        fonts.faces[fonts.face_for(f, c)].glyph(c).is_some()
    };
    match defect {
        "lookalike" | "variant_mix" | "halfwidth_punct" => {
            // Image models swap marks as well as characters: about a quarter of the look-alikes are
            // a mark set as another (，/。, ；/：, 、/，, ！/？).
            let mark_swap = defect == "lookalike" && rng.chance(0.25);
            let mut cands = Vec::new();
            let strokes = fonts.strokes.as_ref()?;
            let drawable = |b: usize, t: char| {
                if Some(b) == stroke_block && is_han(t) {
                    strokes.contains(t)
                } else {
                    face_has(b, t)
                }
            };
            for (b, blk) in intended.blocks.iter().enumerate() {
                let chars: Vec<char> = blk.text.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    let to = match defect {
                        "lookalike" if mark_swap => MARK_SWAPS.iter().find_map(|&(x, y)| if x == c { Some(y) } else if y == c { Some(x) } else { None }),
                        "lookalike" => a
                            .lookalikes
                            .iter()
                            .find_map(|&(x, y)| if x == c { Some(y) } else if y == c { Some(x) } else { None }),
                        "variant_mix" => a.s2t.get(&c).copied(),
                        _ => {
                            let prev_han = i > 0 && is_han(chars[i - 1]);
                            match c {
                                '，' => Some(','),
                                '。' => Some('.'),
                                '：' => Some(':'),
                                '；' => Some(';'),
                                '？' => Some('?'),
                                '！' => Some('!'),
                                _ => None,
                            }
                            .filter(|_| prev_han && blk.orientation == Orientation::Horizontal)
                        }
                    };
                    if let Some(t) = to {
                        if drawable(b, t) {
                            cands.push((b, i, c, t));
                        }
                    }
                }
            }
            if cands.is_empty() {
                return None;
            }
            let (b, i, c, t) = *rng.pick(&cands);
            rendered.blocks[b].text = set_char(&rendered.blocks[b].text, i, Some(t), false);
            let detail = match defect {
                "lookalike" => json!({"intended": c.to_string(), "rendered": t.to_string()}),
                "variant_mix" => json!({"simplified": c.to_string(), "traditional": t.to_string()}),
                _ => json!({"fullwidth": c.to_string(), "halfwidth": t.to_string()}),
            };
            edit = Some(Edit::Sub { block: b, pos: i, from: c, to: t, detail });
        }
        "char_dropped" | "char_added" => {
            // Image models drop and add punctuation as well as characters: about a third of these
            // edits take a mark (dropping a pause or stop mark, or adding a comma between two
            // characters).
            let with_mark = rng.chance(0.3);
            let marked = |b: usize| -> Vec<usize> {
                let chars: Vec<char> = intended.blocks[b].text.chars().collect();
                if defect == "char_dropped" {
                    (0..chars.len()).filter(|&i| DROPPABLE_MARKS.contains(chars[i])).collect()
                } else {
                    (0..chars.len().saturating_sub(1)).filter(|&i| is_han(chars[i]) && is_han(chars[i + 1])).collect()
                }
            };
            let positions = |b: usize| if with_mark { marked(b) } else { han_positions(&intended.blocks[b].text) };
            let cands: Vec<(usize, usize)> = (0..intended.blocks.len())
                .filter(|&b| intended.blocks[b].text.chars().count() >= 3)
                .flat_map(|b| positions(b).into_iter().map(move |i| (b, i)))
                .collect();
            if cands.is_empty() {
                return None;
            }
            let (b, i) = *rng.pick(&cands);
            let chars: Vec<char> = intended.blocks[b].text.chars().collect();
            if defect == "char_dropped" {
                rendered.blocks[b].text = set_char(&rendered.blocks[b].text, i, None, false);
                edit = Some(Edit::Del { block: b, pos: i, ch: chars[i] });
            } else {
                let ch = if with_mark {
                    '，'
                } else if rng.chance(0.5) {
                    chars[i]
                } else {
                    *rng.pick(&a.common)
                };
                let pos = i + 1;
                rendered.blocks[b].text = set_char(&rendered.blocks[b].text, pos, Some(ch), true);
                edit = Some(Edit::Ins { block: b, pos, ch });
            }
        }
        "punct_line_start" | "punct_line_end" => {
            // break one block greedily, narrowing its box until a prohibited mark lands at a line edge
            let cands: Vec<usize> = horizontal_blocks
                .iter()
                .copied()
                .filter(|&b| Some(b) != stroke_block)
                .filter(|&b| {
                    intended.blocks[b].text.chars().any(|c| if defect == "punct_line_start" { is_line_start_prohibited(c) } else { is_line_end_prohibited(c) })
                })
                .collect();
            if cands.is_empty() {
                return None;
            }
            let b = *rng.pick(&cands);
            opts.naive_break = vec![b];
            let bx = rendered.blocks[b].bbox?;
            let size = rendered.blocks[b].size;
            let mut found = false;
            for k in 0..24 {
                let mut r = rendered.clone();
                r.blocks[b].bbox = Some([bx[0], bx[1], bx[2] - k as f32 * size * 0.25, bx[3] + size * 2.0]);
                let l = render::layout_with(&r, fonts, &opts);
                let lines: Vec<_> = l.lines.iter().filter(|x| x.block == b).collect();
                let hit = lines.iter().enumerate().any(|(li, x)| {
                    if defect == "punct_line_start" {
                        li > 0 && x.text.chars().next().is_some_and(is_line_start_prohibited)
                    } else {
                        li + 1 < lines.len() && x.text.chars().last().is_some_and(is_line_end_prohibited)
                    }
                });
                if hit && l.glyphs.iter().all(|g| g.em_box[1] + g.em_box[3] <= r.canvas.as_ref().unwrap().height as f32) {
                    rendered = r;
                    params["narrowed_box_em"] = json!(k as f64 * 0.25);
                    found = true;
                    break;
                }
            }
            if !found {
                return None;
            }
        }
        _ => {}
    }
    let mut layout = render::layout_with(&rendered, fonts, &opts);
    let mut labels: Vec<Option<(String, Value)>> = vec![None; layout.glyphs.len()];
    let han_glyphs = |l: &Layout, pred: &dyn Fn(&PlacedGlyph) -> bool| -> Vec<usize> {
        (0..l.glyphs.len()).filter(|&i| l.glyphs[i].text.chars().all(is_han) && pred(&l.glyphs[i])).collect()
    };
    let line_glyphs = |l: &Layout, b: usize, li: usize| -> Vec<usize> {
        (0..l.glyphs.len()).filter(|&i| l.glyphs[i].block == b && l.glyphs[i].line == li).collect()
    };
    let in_canvas = |r: [f32; 4], l: &Layout| r[0] >= 0.0 && r[1] >= 0.0 && r[0] + r[2] <= l.width as f32 && r[1] + r[3] <= l.height as f32;
    match defect {
        "stroke_removed" | "stroke_added" | "component_swapped" => {
            let sb = stroke_block?;
            let strokes = fonts.strokes.as_ref()?;
            let mut cands = han_glyphs(&layout, &|g| g.block == sb && g.font == "strokes");
            if cands.is_empty() {
                return None;
            }
            for _ in 0..12 {
                let gi = cands.remove(rng.below(cands.len()));
                let g = &layout.glyphs[gi];
                let ch = g.text.chars().next()?;
                let own = strokes.get(ch)?;
                let n = own.stroke_count();
                let origin = [g.em_box[0], g.em_box[1]];
                let size = g.size;
                let attempt: Option<GarbledGlyph> = match defect {
                    "stroke_removed" if n >= 3 => {
                        let k = rng.below(n);
                        let keep: Vec<bool> = (0..n).map(|i| i != k).collect();
                        let med: Vec<_> = (0..n).filter(|&i| i != k).map(|i| own.medians[i].clone()).collect();
                        Some((render::stroke_path(&own.outlines, Some(&keep), origin, size), json!({"removed_stroke": k, "stroke_count": n}), med))
                    }
                    "stroke_added" if n >= 2 => {
                        let other = strokes.get(*rng.pick(&a.common))?;
                        let k = rng.below(other.stroke_count());
                        let mut path = render::stroke_path(&own.outlines, None, origin, size);
                        path.extend(render::polygon_path(&other.outlines[k], origin, size));
                        let mut med = own.medians.clone();
                        med.push(other.medians[k].clone());
                        Some((path, json!({"added_stroke": k, "from": other.ch.to_string(), "stroke_count": n}), med))
                    }
                    "component_swapped" if !own.radical.is_empty() && own.radical.len() < n => {
                        let donors: Vec<char> = (0..16).map(|_| *rng.pick(&a.common)).collect();
                        let donor = donors.into_iter().filter_map(|c| strokes.get(c)).find(|d| {
                            !d.radical.is_empty() && d.radical.len() < d.stroke_count() && {
                                let mine: Vec<_> = own.radical.iter().map(|&i| &own.medians[i as usize]).collect();
                                let theirs: Vec<_> = d.radical.iter().map(|&i| &d.medians[i as usize]).collect();
                                !lookalike::same_component(&mine, &theirs)
                            }
                        });
                        donor.map(|d| {
                            let keep: Vec<bool> = (0..n).map(|i| !own.radical.contains(&(i as u8))).collect();
                            let mut path = render::stroke_path(&own.outlines, Some(&keep), origin, size);
                            let mut med: Vec<_> = (0..n).filter(|&i| keep[i]).map(|i| own.medians[i].clone()).collect();
                            for &r in &d.radical {
                                path.extend(render::polygon_path(&d.outlines[r as usize], origin, size));
                                med.push(d.medians[r as usize].clone());
                            }
                            (
                                path,
                                json!({"radical_strokes": own.radical, "from": d.ch.to_string(), "from_strokes": d.radical, "stroke_count": n}),
                                med,
                            )
                        })
                    }
                    _ => None,
                };
                if let Some((path, mut detail, med)) = attempt {
                    let change = visible_change(&layout.glyphs[gi].path, &path);
                    detail["visible_change"] = json!((change * 1000.0).round() / 1000.0);
                    if a.real_char_like(&med).is_none() && change >= MIN_VISIBLE_CHANGE {
                        layout.glyphs[gi].path = path;
                        labels[gi] = Some((defect.into(), detail));
                        break;
                    }
                }
                if cands.is_empty() {
                    break;
                }
            }
            if labels.iter().all(Option::is_none) {
                return None;
            }
        }
        "skew" | "uneven_pitch" | "line_misaligned" | "baseline_jitter" => {
            let min_len = match defect {
                "uneven_pitch" => 6,
                "skew" => 4,
                _ => 3,
            };
            let cands: Vec<(usize, usize)> = layout
                .lines
                .iter()
                .filter(|l| !l.vertical && line_glyphs(&layout, l.block, l.line).len() >= min_len)
                .filter(|l| {
                    defect != "line_misaligned" || {
                        let blk = &rendered.blocks[l.block];
                        let nlines = layout.lines.iter().filter(|x| x.block == l.block).count();
                        nlines >= 2 && (blk.align == Align::Center || l.line > 0) && matches!(blk.align, Align::Left | Align::Center)
                    }
                })
                .map(|l| (l.block, l.line))
                .collect();
            if cands.is_empty() {
                return None;
            }
            let (b, li) = *rng.pick(&cands);
            let gl = line_glyphs(&layout, b, li);
            let lidx = layout.lines.iter().position(|l| l.block == b && l.line == li)?;
            let size = layout.glyphs[gl[0]].size;
            match defect {
                "skew" => {
                    let ang = r3(rng.range(0.5, 5.0) * rng.sign()) as f32;
                    let c = centre(layout.lines[lidx].em_box);
                    for &i in &gl {
                        layout.glyphs[i].transform(rotate_about(c, ang));
                        labels[i] = Some((defect.into(), json!({"angle_deg": r3(ang)})));
                    }
                    layout.lines[lidx].angle_deg = ang;
                    params["skew_deg"] = json!(r3(ang));
                }
                "baseline_jitter" => {
                    let cands: Vec<usize> = gl[1..gl.len() - 1].iter().copied().filter(|&i| layout.glyphs[i].text.chars().all(is_han)).collect();
                    if cands.is_empty() {
                        return None;
                    }
                    let i = *rng.pick(&cands);
                    let frac = r3(rng.range(0.08, 0.25) * rng.sign()) as f32;
                    let dy = frac * size;
                    layout.glyphs[i].transform(|p| [p[0], p[1] + dy]);
                    labels[i] = Some((defect.into(), json!({"shift_em": r3(frac), "shift_px": r3(dy)})));
                }
                "uneven_pitch" => {
                    let ngaps = rng.int(1, 2) as usize;
                    let mut gaps = Vec::new();
                    let mut shifts = vec![0.0f32; gl.len()];
                    for _ in 0..ngaps {
                        let k = rng.int(1, gl.len() as i64 - 1) as usize;
                        let em = r3(rng.range(0.3, 0.6)) as f32;
                        gaps.push(json!({"before_index": k, "gap_em": r3(em)}));
                        for s in shifts.iter_mut().skip(k) {
                            *s += em * size;
                        }
                    }
                    let last = layout.glyphs[*gl.last()?].em_box;
                    if last[0] + last[2] + shifts.last()? > layout.width as f32 {
                        return None;
                    }
                    for (j, &i) in gl.iter().enumerate() {
                        let dx = shifts[j];
                        layout.glyphs[i].transform(|p| [p[0] + dx, p[1]]);
                        layout.glyphs[i].em_box[0] += dx;
                        labels[i] = Some((defect.into(), json!({"gaps": gaps, "shift_px": r3(dx)})));
                    }
                }
                _ => {
                    let align = rendered.blocks[b].align;
                    let em = r3(rng.range(0.5, 1.5)) as f32;
                    let sign = if align == Align::Left { 1.0 } else { rng.sign() };
                    let dx = em * size * sign;
                    let r = layout.lines[lidx].em_box;
                    if !in_canvas([r[0] + dx, r[1], r[2], r[3]], &layout) {
                        return None;
                    }
                    for &i in &gl {
                        layout.glyphs[i].transform(|p| [p[0] + dx, p[1]]);
                        layout.glyphs[i].em_box[0] += dx;
                        labels[i] = Some((defect.into(), json!({"shift_em": r3(em * sign)})));
                    }
                    layout.lines[lidx].em_box[0] += dx;
                }
            }
        }
        "glyph_rotated" | "glyph_resized" => {
            let cands = han_glyphs(&layout, &|g| g.size >= 16.0);
            if cands.is_empty() {
                return None;
            }
            let i = *rng.pick(&cands);
            let c = centre(layout.glyphs[i].em_box);
            if defect == "glyph_rotated" {
                let ang = r3(rng.range(8.0, 30.0) * rng.sign()) as f32;
                layout.glyphs[i].transform(rotate_about(c, ang));
                labels[i] = Some((defect.into(), json!({"angle_deg": r3(ang)})));
            } else {
                let s = r3(if rng.chance(0.5) { rng.range(0.75, 0.85) } else { rng.range(1.15, 1.3) }) as f32;
                layout.glyphs[i].transform(|p| [c[0] + (p[0] - c[0]) * s, c[1] + (p[1] - c[1]) * s]);
                labels[i] = Some((defect.into(), json!({"scale": r3(s)})));
            }
        }
        _ => {}
    }
    // A half-width mark that ends its line takes no less visible room than a full-width one: that
    // is no visible defect, so the page is drawn again.
    if let (Some(Edit::Sub { block, to, .. }), "halfwidth_punct") = (&edit, defect) {
        let gs = &layout.glyphs;
        let ends_line = |k: usize| gs.get(k + 1).is_none_or(|n| n.block != gs[k].block || n.line != gs[k].line);
        if (0..gs.len()).any(|k| gs[k].block == *block && gs[k].text == to.to_string() && ends_line(k)) {
            return None;
        }
    }
    // lines of different blocks must not collide (block heights are estimated before layout)
    if strict {
        let ls = &layout.lines;
        for i in 0..ls.len() {
            for j in i + 1..ls.len() {
                let (p, q) = (ls[i].em_box, ls[j].em_box);
                if ls[i].block != ls[j].block && p[0] < q[0] + q[2] && q[0] < p[0] + p[2] && p[1] < q[1] + q[3] && q[1] < p[1] + p[3] {
                    return None;
                }
            }
        }
    }
    Some(Trial { intended, rendered, layout, labels, edit, look, params })
}

fn rendered_font(spec: &Spec, b: usize) -> (String, crate::spec::Weight) {
    (spec.blocks[b].font.clone(), spec.blocks[b].weight)
}

/// Builds the truth glyph list: rendered glyphs mapped back to the intended text.
fn truth_glyphs(rendered: &Spec, layout: &Layout, glyphs: &[GlyphTruth], labels: &[Option<(String, Value)>], edit: &Option<Edit>, defect: &str) -> Vec<TruthGlyph> {
    let mut out = Vec::with_capacity(glyphs.len() + 1);
    let mut cursor: BTreeMap<usize, usize> = BTreeMap::new();
    let rtexts: Vec<Vec<char>> = rendered.blocks.iter().map(|b| b.text.chars().collect()).collect();
    let mut dropped_done = false;
    for (gi, (g, pg)) in glyphs.iter().zip(&layout.glyphs).enumerate() {
        let r = &rtexts[g.block];
        let cur = cursor.entry(g.block).or_insert(0);
        while *cur < r.len() && r[*cur].is_whitespace() {
            *cur += 1;
        }
        let start = *cur;
        let n = g.char.chars().count();
        *cur += n;
        let range = start..start + n;
        let mut t = TruthGlyph {
            char: Some(g.char.clone()),
            rendered: Some(g.char.clone()),
            bbox: g.bbox,
            block: g.block,
            line: g.line,
            index: g.index,
            defect: None,
            detail: Value::Null,
            font: g.font.clone(),
            em_box: pg.em_box,
        };
        match edit {
            Some(Edit::Sub { block, pos, from, to, detail }) if *block == g.block && range.contains(pos) => {
                t.char = Some(g.char.replace(*to, &from.to_string()));
                t.defect = Some(defect.into());
                t.detail = detail.clone();
            }
            Some(Edit::Ins { block, pos, ch }) if *block == g.block && range.contains(pos) => {
                t.char = None;
                t.defect = Some(defect.into());
                t.detail = json!({"inserted": ch.to_string()});
            }
            Some(Edit::Del { block, pos, ch }) if *block == g.block && !dropped_done && start >= *pos => {
                out.push(TruthGlyph {
                    char: Some(ch.to_string()),
                    rendered: None,
                    bbox: None,
                    block: g.block,
                    line: g.line,
                    index: g.index,
                    defect: Some(defect.into()),
                    detail: json!({"before": g.char}),
                    font: g.font.clone(),
                    em_box: pg.em_box,
                });
                dropped_done = true;
            }
            _ => {}
        }
        if let Some((d, detail)) = &labels[gi] {
            t.defect = Some(d.clone());
            t.detail = detail.clone();
            if matches!(d.as_str(), "stroke_removed" | "stroke_added" | "component_swapped") {
                t.rendered = None;
            }
        }
        out.push(t);
    }
    if let (Some(Edit::Del { block, ch, .. }), false) = (edit, dropped_done) {
        let last = out.iter().rev().find(|t| t.block == *block).cloned();
        if let Some(l) = last {
            out.push(TruthGlyph {
                char: Some(ch.to_string()),
                rendered: None,
                bbox: None,
                index: l.index + 1,
                defect: Some(defect.into()),
                detail: json!({"before": Value::Null}),
                ..l
            });
        }
    }
    out
}

/// Makes item `index` of the corpus seeded with `seed`.
pub fn make_item(a: &Assets, seed: u64, index: u64, kinds: &[String], defects: &[String]) -> Item {
    let mut pick = Rng::for_item(seed, index, 0);
    let kind = pick.pick(kinds).clone();
    let defect = if defects.len() == DEFECTS.len() {
        if pick.chance(0.15) {
            "clean".to_string()
        } else {
            DEFECTS[1 + pick.below(DEFECTS.len() - 1)].to_string()
        }
    } else {
        pick.pick(defects).clone()
    };
    let mut chosen = None;
    for attempt in 0..24u64 {
        let mut rng = Rng::for_item(seed, index, 1 + attempt);
        if let Some(r) = try_item(a, &mut rng, &kind, &defect, true) {
            chosen = Some((defect.clone(), r, rng));
            break;
        }
    }
    let requested = defect.clone();
    let (defect, Trial { intended, rendered, layout, labels, edit, look, mut params }, mut rng) = chosen.unwrap_or_else(|| {
        let mut rng = Rng::for_item(seed, index, 99);
        let mut tries = 0;
        loop {
            tries += 1;
            if let Some(r) = try_item(a, &mut rng, &kind, "clean", tries < 50) {
                break ("clean".to_string(), r, rng);
            }
        }
    });
    let (w, h) = (layout.width, layout.height);
    let mut layout = layout;
    if let Some([gx, gy]) = look.perspective {
        apply_perspective(&mut layout, gx as f32, gy as f32);
    }
    let mut img = if look.background == "photo" {
        let base = crate::spec::parse_color(&look.base_color).unwrap_or([255; 3]);
        degrade::photo_like(&mut rng, w, h, base)
    } else {
        render::background_image(w, h, &layout.background)
    };
    let (glyphs, lines) = render::paint(&layout, &mut img);
    if look.blur_sigma > 0.0 {
        img = degrade::blur(&img, look.blur_sigma as f32);
    }
    if let Some(q) = look.jpeg_quality {
        img = degrade::jpeg_round_trip(&img, q);
    }
    let mut tg = truth_glyphs(&rendered, &layout, &glyphs, &labels, &edit, &defect);
    // rules: the defect's own, plus any prohibited mark that really sits at a line edge
    let mut rules: Vec<String> = Vec::new();
    if let Some(r) = rule_for(&defect) {
        let skew_small = defect == "skew" && params["skew_deg"].as_f64().is_some_and(|d| d.abs() < SKEW_FAIL_DEG as f64);
        if !skew_small {
            rules.push(r.to_string());
        }
    }
    let tlines = truth_lines(&lines);
    for (k, l) in tlines.iter().enumerate() {
        let same_block_next = tlines.get(k + 1).is_some_and(|n| n.block == l.block);
        let first = l.text.chars().next();
        let last = l.text.chars().last();
        if l.line > 0 && first.is_some_and(is_line_start_prohibited) {
            mark_punct(&mut tg, l, true, "punct_line_start");
            rules.push("punct.line_start".into());
        }
        if same_block_next && last.is_some_and(is_line_end_prohibited) {
            mark_punct(&mut tg, l, false, "punct_line_end");
            rules.push("punct.line_end".into());
        }
    }
    rules.sort();
    rules.dedup();
    if defect != requested {
        params["requested_defect"] = json!(requested);
    }
    params["canvas"] = json!([w, h]);
    params["look"] = serde_json::to_value(&look).unwrap_or(Value::Null);
    params["seed"] = json!(seed);
    params["index"] = json!(index);
    params["fonts"] = json!(rendered.blocks.iter().map(|b| format!("{}/{:?}", b.font, b.weight).to_lowercase()).collect::<Vec<_>>());
    params["sizes"] = json!(rendered.blocks.iter().map(|b| r3(b.size)).collect::<Vec<_>>());
    let name = format!("{index:05}");
    let truth = Truth {
        image: format!("{name}.png"),
        kind,
        defect,
        expected_verdict: if rules.is_empty() { "pass" } else { "fail" }.into(),
        rules,
        glyphs: tg,
        lines: tlines,
        params,
    };
    Item { png: render::encode_png(&img), spec_toml: intended.to_toml(), truth }
}

/// Warps every glyph with the keystone homography; em boxes become the bounds of their warped corners
/// and each line's `angle_deg` gains the tilt the warp gives its baseline (or centre line).
fn apply_perspective(layout: &mut Layout, gx: f32, gy: f32) {
    let (w, h) = (layout.width as f32, layout.height as f32);
    let (cx, cy) = (w / 2.0, h / 2.0);
    let warp = move |p: [f32; 2]| {
        let (dx, dy) = (p[0] - cx, p[1] - cy);
        let d = 1.0 + gx * dx / w + gy * dy / h;
        [cx + dx / d, cy + dy / d]
    };
    let warp_box = |r: [f32; 4]| {
        let pts = [[r[0], r[1]], [r[0] + r[2], r[1]], [r[0], r[1] + r[3]], [r[0] + r[2], r[1] + r[3]]].map(warp);
        let x0 = pts.iter().map(|p| p[0]).fold(f32::INFINITY, f32::min);
        let y0 = pts.iter().map(|p| p[1]).fold(f32::INFINITY, f32::min);
        let x1 = pts.iter().map(|p| p[0]).fold(f32::NEG_INFINITY, f32::max);
        let y1 = pts.iter().map(|p| p[1]).fold(f32::NEG_INFINITY, f32::max);
        [x0, y0, x1 - x0, y1 - y0]
    };
    for g in &mut layout.glyphs {
        g.transform(warp);
        g.em_box = warp_box(g.em_box);
    }
    for l in &mut layout.lines {
        let r = l.em_box;
        let (a, b) = if l.vertical {
            ([r[0] + r[2] / 2.0, r[1]], [r[0] + r[2] / 2.0, r[1] + r[3]])
        } else {
            ([r[0], r[1] + r[3] / 2.0], [r[0] + r[2], r[1] + r[3] / 2.0])
        };
        let (a, b) = (warp(a), warp(b));
        let tilt = if l.vertical { -(b[0] - a[0]).atan2(b[1] - a[1]) } else { (b[1] - a[1]).atan2(b[0] - a[0]) };
        l.angle_deg = ((l.angle_deg + tilt.to_degrees()) * 1000.0).round() / 1000.0;
        l.em_box = warp_box(r);
    }
}

fn mark_punct(tg: &mut [TruthGlyph], l: &TruthLine, start: bool, kind: &str) {
    let idxs: Vec<usize> = (0..tg.len()).filter(|&i| tg[i].block == l.block && tg[i].line == l.line && tg[i].rendered.is_some()).collect();
    let i = if start { idxs.first() } else { idxs.last() };
    if let Some(&i) = i {
        if tg[i].defect.is_none() {
            tg[i].defect = Some(kind.into());
            tg[i].detail = json!({"line": l.line, "at": if start { "start" } else { "end" }});
        }
    }
}

fn truth_lines(lines: &[LineTruth]) -> Vec<TruthLine> {
    lines
        .iter()
        .map(|l| TruthLine { block: l.block, line: l.line, text: l.text.clone(), angle_deg: l.angle_deg, bbox: l.bbox, vertical: l.vertical })
        .collect()
}

/// The manifest line of an item.
fn manifest_line(t: &Truth, name: &str) -> String {
    let v = json!({
        "image": t.image,
        "spec": format!("{name}.spec.toml"),
        "truth": format!("{name}.truth.json"),
        "kind": t.kind,
        "defect": t.defect,
        "expected_verdict": t.expected_verdict,
        "rules": t.rules,
    });
    v.to_string()
}

/// Checks and normalises the kind/defect lists of `opts`.
pub fn validate(opts: &mut Options) -> Result<(), InputError> {
    if opts.kinds.is_empty() {
        opts.kinds = KINDS.iter().map(|s| s.to_string()).collect();
    }
    if opts.defects.is_empty() {
        opts.defects = DEFECTS.iter().map(|s| s.to_string()).collect();
    }
    for k in &opts.kinds {
        if !KINDS.contains(&k.as_str()) {
            return Err(InputError::Usage(format!("unknown kind {k:?} (use {})", KINDS.join(", "))));
        }
    }
    for d in &opts.defects {
        if !DEFECTS.contains(&d.as_str()) {
            return Err(InputError::Usage(format!("unknown defect {d:?} (use {})", DEFECTS.join(", "))));
        }
    }
    Ok(())
}

/// Generates the corpus into `opts.output`; returns the number of items written.
pub fn generate(opts: &Options, progress: impl Fn(usize) + Sync) -> Result<usize> {
    let mut opts = opts.clone();
    validate(&mut opts)?;
    let assets = Assets::bundled()?;
    std::fs::create_dir_all(&opts.output).map_err(|e| InputError::from_io(&opts.output, e))?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let lines: Vec<Result<String>> = (0..opts.count as u64)
        .into_par_iter()
        .map(|i| {
            let item = make_item(&assets, opts.seed, i, &opts.kinds, &opts.defects);
            let name = format!("{i:05}");
            write_item(&opts.output, &name, &item)?;
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            Ok(manifest_line(&item.truth, &name))
        })
        .collect();
    let mut manifest = String::new();
    for l in lines {
        manifest.push_str(&l?);
        manifest.push('\n');
    }
    crate::report::write_atomic(&opts.output.join("manifest.jsonl"), manifest.as_bytes())?;
    Ok(opts.count)
}

fn write_item(dir: &Path, name: &str, item: &Item) -> Result<()> {
    crate::report::write_atomic(&dir.join(format!("{name}.png")), &item.png)?;
    crate::report::write_atomic(&dir.join(format!("{name}.spec.toml")), item.spec_toml.as_bytes())?;
    let mut t = serde_json::to_string_pretty(&item.truth).map_err(|e| Error::Internal(e.to_string()))?;
    t.push('\n');
    crate::report::write_atomic(&dir.join(format!("{name}.truth.json")), t.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Seg;

    fn square(x: f32, y: f32, s: f32) -> Vec<Seg> {
        vec![Seg::Move([x, y]), Seg::Line([x + s, y]), Seg::Line([x + s, y + s]), Seg::Line([x, y + s]), Seg::Close]
    }

    #[test]
    fn a_garble_is_seen_by_the_ink_it_changes_not_by_the_strokes_it_names() {
        let real = [square(0.0, 0.0, 10.0), square(20.0, 0.0, 10.0)].concat();
        // A stroke added beside: its whole area is new ink.
        let beside = [real.clone(), square(0.0, 20.0, 10.0)].concat();
        assert!((visible_change(&real, &beside) - 0.5).abs() < 0.01);
        // The same stroke added over one already there changes nothing.
        let over = [real.clone(), square(20.0, 0.0, 10.0)].concat();
        assert!(visible_change(&real, &over) < 0.01);
        // A stroke removed: its ink is gone.
        assert!((visible_change(&real, &square(0.0, 0.0, 10.0)) - 0.5).abs() < 0.01);
    }
}
