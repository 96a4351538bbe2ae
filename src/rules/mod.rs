//! Stage `rules`: takes the page, its blocks, the alignment with the intended text, the layout
//! measurements and a profile; gives findings (rule id, severity, sentence, place, measured value and
//! limit) and a status per glyph. Text rules compare with the intended text and judge each glyph by
//! `verify`'s comparisons (garbled, substituted, a look-alike read as intended, too small to judge);
//! layout rules apply the profile's limits to `layout`'s measurements and to `verify`'s turns;
//! clreq rules look at punctuation geometry.

pub use crate::variants;

use crate::align::second_look::{self, Disagreement};
use crate::align::{Alignment, CharMatch, GlyphRef};
use crate::blocks::TextBlock;
use crate::clreq::{self, is_han, script_of, Script};
use crate::geometry::bbox_of;
use crate::layout::Layout;
use crate::ocr::{Glyph, Orientation, Page};
use crate::verdict::profile::AlternativeEvidence;
use crate::verdict::{Finding, Profile};
use serde::{Deserialize, Serialize};

pub use crate::spec::Locale;

/// Status of one glyph after the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GlyphStatus {
    Ok,
    Substituted,
    Garbled,
    /// Its ink leaves a patch against the intended character too small to call it garbled: look at it.
    Suspect,
    Extra,
    LowConfidence,
    /// Not compared with intended text (none given, or outside every intended block).
    Unverified,
}

/// Everything the rules need.
pub struct RuleInput<'a> {
    pub page: &'a Page,
    pub blocks: &'a [TextBlock],
    pub alignment: Option<&'a Alignment>,
    /// The recogniser's second look at each disagreement with the intended text.
    pub disagreements: &'a [Disagreement],
    /// Verification of matched Han glyphs against their intended characters.
    pub checks: &'a [crate::verify::GlyphCheck],
    /// Marks read as other marks, compared with both.
    pub mark_checks: &'a [crate::verify::MarkCheck],
    /// Ink of intended marks the recogniser dropped at line breaks.
    pub unread_marks: &'a [crate::verify::marks::UnreadMark],
    /// Ink of intended Han characters the recogniser skipped.
    pub unread_glyphs: &'a [crate::verify::UnreadGlyph],
    pub layout: &'a Layout,
    pub profile: &'a Profile,
    pub locale: Locale,
}

/// Findings plus per-glyph statuses (`status[line][index]`).
pub struct RuleOutput {
    pub findings: Vec<Finding>,
    pub status: Vec<Vec<GlyphStatus>>,
}

/// Why Han character `drawn` standing for `want` is the wrong script for the text's locale (its
/// form in the other script), or `None` when it is not.
fn wrong_script(locale: Locale, drawn: char, want: char) -> Option<String> {
    match locale {
        // A form that Simplified text uses in its own right is another character there, not a
        // Traditional one: 坏 read for 坯 (OpenCC lists 坏 among 坯's Traditional forms, and it is
        // the Simplified 坏 of 壞) is judged by its ink as any other reading.
        Locale::Hans if is_han(want) && variants::is_traditional_of(drawn, want) && variants::is_traditional_only(drawn) => Some(format!("Traditional «{drawn}» in Simplified text, should be «{want}»")),
        Locale::Hant if is_han(want) && variants::is_simplified_of(drawn, want) => Some(format!("Simplified «{drawn}» in Traditional text, should be «{want}»")),
        _ => None,
    }
}

/// A straight quote («"», «'») has no direction of its own: read as one, the curly quote the
/// recogniser finds likely there (`ocr::LIKELY_ALTERNATIVE`), the likelier of the two, is the one set
/// (a line's closing «”» read «"», ” at 0.44: it closes the line, 5454/221).
fn quote_direction(g: &crate::ocr::Glyph) -> Option<char> {
    let pair = match first_char(&g.char) {
        '"' | '＂' => ['“', '”'],
        '\'' | '＇' => ['‘', '’'],
        _ => return None,
    };
    let score = |c: char| g.alternative_score(&c.to_string());
    let likelier = if score(pair[1]) > score(pair[0]) { pair[1] } else { pair[0] };
    (score(likelier) >= crate::ocr::LIKELY_ALTERNATIVE).then_some(likelier)
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

fn glyph<'a>(page: &'a Page, r: GlyphRef) -> &'a Glyph {
    &page.lines[r.line].chars[r.index]
}

struct Ctx<'a> {
    inp: &'a RuleInput<'a>,
    out: Vec<Finding>,
}

impl Ctx<'_> {
    fn push(&mut self, rule: &str, message: String, bbox: Option<[f32; 4]>, measured: Option<f32>, threshold: Option<f32>) {
        let severity = self.inp.profile.severity_of(rule);
        self.out.push(Finding { rule: rule.to_string(), severity, message, bbox, measured, threshold });
    }
}

/// Intersection of two `[x, y, w, h]` boxes over the smaller one's area.
fn overlap_of_smaller(a: [f32; 4], b: [f32; 4]) -> f32 {
    crate::geometry::intersection_area(a, b) / (a[2] * a[3]).min(b[2] * b[3]).max(1.0)
}

/// The second look at a disagreement (nats) and the limit for its kind (marks only, or characters).
fn reread(th: &crate::verdict::profile::Thresholds, d: Option<&Disagreement>) -> (f32, f32) {
    match d {
        Some(d) => (d.nats, if d.marks_only { th.reread_nats_marks } else { th.reread_nats }),
        None => (f32::INFINITY, th.reread_nats),
    }
}

/// A measured value for a report: 99 stands for "could not be measured" (JSON has no infinity).
fn shown_nats(nats: f32) -> f32 {
    nats.min(99.0)
}

fn place(r: GlyphRef) -> String {
    format!("line {}, glyph {}", r.line + 1, r.index + 1)
}

/// Runs every rule.
pub fn run(inp: &RuleInput) -> RuleOutput {
    let mut status: Vec<Vec<GlyphStatus>> = inp.page.lines.iter().map(|l| vec![GlyphStatus::Unverified; l.chars.len()]).collect();
    let mut ctx = Ctx { inp, out: Vec::new() };
    match inp.alignment {
        Some(a) => text_rules(&mut ctx, a, &mut status),
        None => {
            ctx.push("text.unverified", "no intended text given: characters were read but not verified".into(), None, None, None);
            audit_rules(&mut ctx, &mut status);
        }
    }
    layout_rules(&mut ctx);
    punct_rules(&mut ctx, &status);
    RuleOutput { findings: ctx.out, status }
}

fn text_rules(ctx: &mut Ctx, a: &Alignment, status: &mut [Vec<GlyphStatus>]) {
    let page = ctx.inp.page;
    let th = &ctx.inp.profile.thresholds;
    for b in &a.blocks {
        if !b.found {
            let text: String = b.chars.concat();
            ctx.push("text.missing", format!("block {} «{}» was not found in the image", b.block + 1, ellipsize(&text, 24)), None, Some(b.chars.len() as f32), None);
            continue;
        }
        for (ci, (m, want)) in b.matches.iter().zip(&b.chars).enumerate() {
            match m {
                CharMatch::Matched { glyph: r } => {
                    let g = glyph(page, *r);
                    if let Some(c) = ctx.inp.checks.iter().find(|c| c.glyph == *r) {
                        let em = ctx.inp.layout.lines[r.line].em;
                        // Read as intended, but the ink is another character the recogniser
                        // nearly read (a look-alike it normalises to the common one).
                        let alt = c.alternative.as_ref().map(|a| a.char.as_str()).unwrap_or_default();
                        let ev = th.alternative_fits(c, em);
                        // Its form in the other script (户 drawn 戶 in Simplified text).
                        if let Some(why) = ev.and_then(|_| wrong_script(ctx.inp.locale, first_char(alt), first_char(want))) {
                            status[r.line][r.index] = GlyphStatus::Substituted;
                            ctx.push("script.variant_mix", format!("{}: read as «{want}», but its ink is {why}", place(*r)), Some(g.bbox), None, None);
                            continue;
                        }
                        if let Some(ev) = ev.filter(|_| ctx.inp.locale == Locale::Hans) {
                            status[r.line][r.index] = GlyphStatus::Substituted;
                            let (why, v, limit) = match ev {
                                AlternativeEvidence::Residual { ratio, limit } => (format!("its ink fits «{alt}» better (residual {:.0}% of that against «{want}»)", 100.0 * ratio), ratio, limit),
                                AlternativeEvidence::Contrast { contrast, limit } => (format!("its ink fits «{alt}» better where «{alt}» and «{want}» differ (residual there {:.0}% of that against «{want}»)", 100.0 * contrast), contrast, limit),
                                AlternativeEvidence::Proportions { gain, limit } => (format!("its width for its height is «{alt}»'s, not «{want}»'s ({:.0}% closer to «{alt}»'s)", 100.0 * (gain.exp() - 1.0)), gain, limit),
                            };
                            ctx.push("glyph.substituted", format!("{}: should be «{want}» but is «{alt}»: read as «{want}», {why}", place(*r)), Some(g.bbox), Some(v), Some(limit));
                            continue;
                        }
                        if let Some((v, limit, by_residual)) = ink_garbled(ctx, c, em) {
                            status[r.line][r.index] = GlyphStatus::Garbled;
                            ctx.push("glyph.garbled", format!("{}: should be «{want}» but is not a real character: {}", place(*r), explain(c, g.bbox, by_residual)), Some(g.bbox), Some(v), Some(limit));
                            continue;
                        }
                        if let Some((v, limit)) = (ctx.inp.locale == Locale::Hans && !turned(ctx, c)).then(|| th.suspect_residual(c, em)).flatten() {
                            status[r.line][r.index] = GlyphStatus::Suspect;
                            ctx.push("glyph.suspect", format!("{}: «{want}» may not be a real character, look at it: {}", place(*r), explain(c, g.bbox, true)), Some(g.bbox), Some(v), Some(limit));
                            continue;
                        }
                    }
                    if g.confidence < th.low_confidence {
                        status[r.line][r.index] = GlyphStatus::LowConfidence;
                        ctx.push(
                            "glyph.low_confidence",
                            format!("{}: «{}» is hard to read (confidence {:.2})", place(*r), want, g.confidence),
                            Some(g.bbox),
                            Some(g.confidence),
                            Some(th.low_confidence),
                        );
                    } else {
                        status[r.line][r.index] = GlyphStatus::Ok;
                    }
                }
                CharMatch::Substituted { glyph: r, read } => {
                    let g = glyph(page, *r);
                    let (w, rd) = (first_char(want), first_char(read));
                    if let Some(why) = wrong_script(ctx.inp.locale, rd, w) {
                        status[r.line][r.index] = GlyphStatus::Substituted;
                        ctx.push("script.variant_mix", format!("{}: {why}", place(*r)), Some(g.bbox), None, None);
                        continue;
                    }
                    let alt = g.alternative_score(want);
                    // The recogniser may normalise a Traditional glyph to its Simplified form: not a defect.
                    if is_han(w) && variants::is_simplified_of(rd, w) {
                        status[r.line][r.index] = GlyphStatus::Ok;
                        continue;
                    }
                    let check = ctx.inp.checks.iter().find(|c| c.glyph == *r);
                    let em = ctx.inp.layout.lines[r.line].em;
                    // The intended character, turned (`layout.rotation` says how far): misread for that.
                    if let Some(d) = check.filter(|_| ctx.inp.locale == Locale::Hans).and_then(|c| verified_turn(ctx, c)).filter(|d| d.abs() > th.rotation_deg) {
                        status[r.line][r.index] = GlyphStatus::LowConfidence;
                        ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}», but its ink is «{want}» turned {:.0}°", place(*r), d.abs()), Some(g.bbox), Some(g.confidence), Some(th.low_confidence));
                        continue;
                    }
                    // Judged by the grey-level residual against each character where it can tell,
                    // else by the stroke match.
                    let hans = ctx.inp.locale == Locale::Hans;
                    let read_is_real = check.and_then(|c| hans.then(|| th.read_residual_fits(c, em)).flatten().or_else(|| c.read_fit.and_then(|f| ink_fits(ctx, c, &f, em))));
                    let intended_fits = check.and_then(|c| hans.then(|| th.residual_fits(c, em)).flatten().or_else(|| ink_fits(ctx, c, &c.fit, em)));
                    // When the ink fits both and the recogniser is unsure, it is whichever it resembles more.
                    // A clearly smaller grey-level residual against the intended character than
                    // against the read one says the same, however sure the recogniser is — unless
                    // the intended character leaves a patch the read one explains (兔 read for 免:
                    // against 免 its dot is left over; their residuals differ by only the dot).
                    // So does a residual against the intended character that leaves no patch where
                    // the read one leaves a bigger patch (嘱 read 瞩 at 18 px: against 瞩 the foot
                    // of 目 is missing, against 嘱 nothing is; their rms differ by 2 %).
                    let residual_says_intended = check.is_some_and(|c| match (&c.residual, &c.read_residual) {
                        (Some(a), Some(b)) => {
                            (a.rms < th.read_rms_ratio * b.rms && !crate::verify::leaves_bigger_patch(a, b))
                                || (a.missing.max(a.extra) <= crate::verify::NO_PATCH && crate::verify::leaves_bigger_patch(b, a))
                        }
                        _ => false,
                    });
                    let closer_to_intended = residual_says_intended || (g.confidence < 0.8 && check.is_some_and(|c| c.read_fit.is_none_or(|f| c.fit.cost < f.cost)));
                    if intended_fits == Some(true) && (read_is_real != Some(true) || closer_to_intended) {
                        // The ink is the intended character; the recogniser misread it.
                        status[r.line][r.index] = GlyphStatus::LowConfidence;
                        ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}» but its strokes match «{want}»", place(*r)), Some(g.bbox), Some(g.confidence), Some(th.low_confidence));
                        continue;
                    }
                    if intended_fits.is_none() && closer_to_intended {
                        // Too small to judge stroke by stroke, but nearer the intended character's shape.
                        status[r.line][r.index] = GlyphStatus::LowConfidence;
                        ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}» ({:.2}) but its ink is closer to «{want}»", place(*r), g.confidence), Some(g.bbox), Some(g.confidence), Some(th.low_confidence));
                        continue;
                    }
                    // A mark read as another mark (or a digit or letter as another, 9 as q): judged
                    // by its ink, compared with both. Where the ink does not favour the read sign by
                    // the margin (a 3-pixel ；or ：), the reading is unsure, not wrong.
                    if clreq::same_kind_of_sign(w, rd) {
                        // Without ink to compare (a mark two pixels wide), nothing says the
                        // reading over the intended mark: unsure too.
                        let Some(m) = ctx.inp.mark_checks.iter().find(|m| m.glyph == *r) else {
                            status[r.line][r.index] = GlyphStatus::LowConfidence;
                            ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}» ({:.2}), and its ink is too small to compare with both", place(*r), g.confidence), Some(g.bbox), Some(g.confidence), None);
                            continue;
                        };
                        // Drawn at the line's scale, the read mark must leave clearly less than the
                        // intended one in each face the line's Han glyphs tell (of those fitting the
                        // ink about as well as the best face) for the ink to be it: where one of them
                        // leaves both alike, the ink does not tell them apart (a 17 px kai «，» is a
                        // 3 by 4 pixel blob, in the kai face as much a «.»: 1919/145, 4949/201).
                        let tie = m.grey_line_face.as_ref().filter(|(_, w, r)| *r >= th.mark_grey_ratio * *w);
                        let grey = m.grey.map(|(w, r)| format!("; grey-level residual {w:.3} against «{want}», {r:.3} against «{read}»")).unwrap_or_default()
                            + &tie.map(|(f, w, r)| format!(", in the line's face {f} {w:.3} and {r:.3}")).unwrap_or_default();
                        let (diff, costs) = (m.intended_cost - m.read_cost, format!(" (ink cost {:.2} against «{want}», {:.2} against «{read}»{grey})", m.intended_cost, m.read_cost));
                        // Drawn at the line's scale, the intended mark leaving clearly less than
                        // the read one says the ink is the intended mark, whatever the shapes
                        // normalised to the ink box say (a 16 px kai «；» whose tail blurred).
                        let grey_says_intended = m.grey.is_some_and(|(w, r)| w < th.mark_grey_ratio * r);
                        if diff > th.mark_ink_margin && !grey_says_intended && tie.is_none() {
                            status[r.line][r.index] = GlyphStatus::Substituted;
                            ctx.push("glyph.substituted", format!("{}: should be «{want}» but reads «{read}» (confidence {:.2}){costs}", place(*r), g.confidence), Some(g.bbox), Some(shown_nats(diff)), Some(th.mark_ink_margin));
                        } else if -diff > th.mark_ink_margin || grey_says_intended {
                            status[r.line][r.index] = GlyphStatus::LowConfidence;
                            ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}» ({:.2}), but its ink matches «{want}»{costs}", place(*r), g.confidence), Some(g.bbox), Some(diff), Some(th.mark_ink_margin));
                        } else {
                            status[r.line][r.index] = GlyphStatus::LowConfidence;
                            ctx.push("glyph.low_confidence", format!("{}: «{want}» was read as «{read}» ({:.2}), but at this size its ink does not clearly tell them apart{costs}", place(*r), g.confidence), Some(g.bbox), Some(diff), Some(th.mark_ink_margin));
                        }
                        continue;
                    }
                    if !is_han(w) && (g.confidence < th.substitution_confidence || alt >= crate::ocr::LIKELY_ALTERNATIVE) {
                        // Marks and letters have no pseudo-forms: an unsure reading is just unsure
                        // (a Smiley Sans «」» read as «了» at 0.68, «」» at 0.12: 4949/1).
                        status[r.line][r.index] = GlyphStatus::LowConfidence;
                        let also = if alt >= crate::ocr::LIKELY_ALTERNATIVE { format!(", «{want}» {alt:.2}") } else { String::new() };
                        ctx.push("glyph.low_confidence", format!("{}: «{want}» is hard to read (read as «{read}», {:.2}{also})", place(*r), g.confidence), Some(g.bbox), Some(g.confidence), Some(th.low_confidence));
                        continue;
                    }
                    let substituted = match read_is_real {
                        Some(real) => real,
                        None => g.confidence >= th.substitution_confidence && alt < crate::ocr::LIKELY_ALTERNATIVE,
                    };
                    if substituted {
                        status[r.line][r.index] = GlyphStatus::Substituted;
                        ctx.push(
                            "glyph.substituted",
                            format!("{}: should be «{want}» but reads «{read}» (confidence {:.2})", place(*r), g.confidence),
                            Some(g.bbox),
                            Some(g.confidence),
                            None,
                        );
                    } else {
                        status[r.line][r.index] = GlyphStatus::Garbled;
                        ctx.push(
                            "glyph.garbled",
                            format!(
                                "{}: should be «{want}» but is not a real character (reads «{read}» {:.2}){}",
                                place(*r),
                                g.confidence,
                                check.map(|c| format!(": {}", explain(c, g.bbox, false))).unwrap_or_default()
                            ),
                            Some(g.bbox),
                            Some(g.confidence),
                            Some(th.substitution_confidence),
                        );
                    }
                }
                CharMatch::Missing { after, before } => {
                    // The recogniser may have skipped ink that is there: judge that ink instead.
                    if let Some(um) = ctx.inp.unread_marks.iter().find(|u| u.block == b.block && u.index == ci) {
                        let c = first_char(want);
                        use crate::verify::marks::Edge;
                        match um.edge {
                            Edge::BelowLine if clreq::is_line_start_prohibited(c) => {
                                ctx.push("punct.line_start", format!("the line after line {} starts with «{c}» alone, which must not begin a line", um.line + 1), Some(um.bbox), None, None);
                            }
                            Edge::LineStart if clreq::is_line_start_prohibited(c) => {
                                ctx.push("punct.line_start", format!("line {} starts with «{c}», which must not begin a line", um.line + 1), Some(um.bbox), None, None);
                            }
                            Edge::LineEnd if clreq::is_line_end_prohibited(c) => {
                                ctx.push("punct.line_end", format!("line {} ends with «{c}», which must not end a line", um.line + 1), Some(um.bbox), None, None);
                            }
                            _ => {
                                let at = match um.edge {
                                    Edge::LineEnd => "at the line's end ",
                                    Edge::LineStart => "at the line's start ",
                                    Edge::BelowLine => "on the line below ",
                                    Edge::Inline => "",
                                };
                                ctx.push("glyph.low_confidence", format!("line {}: «{c}» {at}was not read, but its ink is there", um.line + 1), Some(um.bbox), None, None);
                            }
                        }
                        continue;
                    }
                    // A mark whose ink the recogniser took into the box of the glyph beside it:
                    // the glyph fits its character better without a piece standing apart at
                    // that end (verify's `mark_ink`).
                    if let Some((g, m)) = clreq::is_punct(first_char(want)).then(|| crate::verify::mark_ink_beside(ctx.inp.checks, *after, *before)).flatten() {
                        let hc = &ctx.inp.page.lines[g.line].chars[g.index].char;
                        ctx.push("glyph.low_confidence", format!("line {}: «{want}» was not read, but its ink is there, inside the box of «{hc}»", g.line + 1), Some(m.bbox), None, None);
                        continue;
                    }
                    let d = second_look::for_char(ctx.inp.disagreements, b.block, ci);
                    let (nats, limit) = reread(th, d);
                    // Unread, but the ink is there — its strokes match the character's, or the
                    // recogniser finds the character nearly as likely there: judged by its residual
                    // like a read glyph (a recogniser skips a pseudo-character as readily as a faint
                    // real one, and finds its character likely where a pseudo-character stands).
                    let unread = ctx.inp.unread_glyphs.iter().find(|u| u.block == b.block && u.index == ci && (u.matches || nats <= limit));
                    // Its ink the character's form in the other script: that, in the wrong text.
                    if let Some((u, v)) = unread.and_then(|u| Some((u, first_char(u.other_form.as_deref()?)))) {
                        if let Some(why) = wrong_script(ctx.inp.locale, v, first_char(want)) {
                            ctx.push("script.variant_mix", format!("line {}: «{want}» was not read; its ink is {why}", u.line + 1), Some(u.bbox), None, None);
                        } else {
                            ctx.push("glyph.low_confidence", format!("line {}: «{want}» was not read; its ink is «{v}», its form in the other script", u.line + 1), Some(u.bbox), None, None);
                        }
                        continue;
                    }
                    if let Some(u) = unread {
                        let em = ctx.inp.layout.lines[u.line].em;
                        let judge = |l: crate::verdict::profile::ResidualLimits| l.exceeded(&u.residual?, &u.peers?, em);
                        let why = || u.residual.map(|r| residual_parts(&r, &u.residual_strokes, u.stroke_count, u.bbox).join(", ")).unwrap_or_default();
                        if let Some((m, lim)) = judge(th.garbled_limits()) {
                            ctx.push("glyph.garbled", format!("line {}: «{want}» was not read, and the ink where it belongs is not «{want}» (the recogniser reads no character there): {}", u.line + 1, why()), Some(u.bbox), Some(m), Some(lim));
                            continue;
                        }
                        if let Some((m, lim)) = judge(th.suspect_limits()) {
                            ctx.push("glyph.suspect", format!("line {}: «{want}» was not read, and the ink where it belongs may not be a real character, look at it: {}", u.line + 1, why()), Some(u.bbox), Some(m), Some(lim));
                            continue;
                        }
                    }
                    if let Some(u) = unread.filter(|u| u.matches) {
                        ctx.push(
                            "glyph.low_confidence",
                            format!("line {}: «{want}» was not read, but the ink where it belongs matches its strokes", u.line + 1),
                            Some(u.bbox),
                            None,
                            None,
                        );
                        continue;
                    }
                    let bbox = gap_box(page, *after, *before);
                    let wherefrom = match (after, before) {
                        (Some(a), _) => format!("after {}", place(*a)),
                        (None, Some(b)) => format!("before {}", place(*b)),
                        _ => "in its block".into(),
                    };
                    if nats <= limit {
                        // Across a line break the recogniser's likeliest reading also says which
                        // line the mark ends or starts: its place is judged there.
                        if let Some((split, [l1, l2])) = d.and_then(|d| d.line_break.map(|lb| (lb.0 + d.first, lb.1))) {
                            let c = first_char(want);
                            if ci + 1 == split && clreq::is_line_end_prohibited(c) && !continues_row(page, l1, l2) {
                                ctx.push("punct.line_end", format!("line {} ends with «{c}», which must not end a line (read by a second look)", l1 + 1), bbox, Some(nats), Some(limit));
                                continue;
                            }
                            if ci == split && clreq::is_line_start_prohibited(c) && !continues_row(page, l1, l2) {
                                ctx.push("punct.line_start", format!("line {} starts with «{c}», which must not begin a line (read by a second look)", l2 + 1), bbox, Some(nats), Some(limit));
                                continue;
                            }
                        }
                        ctx.push("glyph.low_confidence", format!("«{want}» was not read {wherefrom}, but the recogniser finds it nearly as likely there ({nats:.1} nats)"), bbox, Some(nats), Some(limit));
                        continue;
                    }
                    ctx.push("text.missing", format!("«{want}» is missing {wherefrom}"), bbox, Some(shown_nats(nats)), Some(limit));
                }
            }
        }
        for r in &b.inserted {
            let g = glyph(page, *r);
            // A punctuation mark read twice ("A:：" for "A:", or by two overlapping line boxes) is
            // one mark, not an extra one.
            let line = &page.lines[r.line].chars;
            let c = clreq::fold(first_char(&g.char));
            let twin = |i: Option<usize>| i.and_then(|i| line.get(i)).is_some_and(|n| clreq::fold(first_char(&n.char)) == c);
            let same_ink = |(li, l): (usize, &crate::ocr::Line)| li != r.line && l.chars.iter().any(|n| clreq::fold(first_char(&n.char)) == c && overlap_of_smaller(n.bbox, g.bbox) > 0.5);
            if clreq::is_punct(first_char(&g.char)) && (twin(r.index.checked_sub(1)) || twin(Some(r.index + 1)) || page.lines.iter().enumerate().any(same_ink)) {
                status[r.line][r.index] = GlyphStatus::Ok;
                continue;
            }
            let (mut nats, limit) = reread(th, second_look::for_glyph(ctx.inp.disagreements, b.block, *r));
            // A character with ink of its own, a character's size, is there whatever the recogniser
            // weighs: a doubled character ("服服") is one its CTC reading can merge away.
            let em = ctx.inp.layout.lines[r.line].em;
            // Ink that lies within a neighbour's ink box on the line is the neighbour's, read twice
            // (clean 6767/050: «药 安» down a column read «药一安», 一 in the word space and its
            // box 安's top): no ink of its own.
            let neighbours_ink = [r.index.checked_sub(1), Some(r.index + 1)]
                .into_iter()
                .flatten()
                .filter_map(|i| line.get(i))
                .any(|n| n.ink_found && crate::geometry::intersection_area(n.bbox, g.bbox) >= 0.8 * (g.bbox[2] * g.bbox[3]).max(1.0));
            if is_han(first_char(&g.char)) && g.ink_found && !neighbours_ink && g.bbox[2].max(g.bbox[3]) >= 0.6 * em {
                nats = f32::INFINITY;
            }
            // So is a mark with ink of its own that takes a character's room between two Han glyphs
            // that follow each other in the intended text («养，生» set for «养生», read with an
            // extra «·» at 1.0 nats).
            if clreq::is_punct(first_char(&g.char)) && g.ink_found && takes_added_room(page, b, *r) {
                nats = f32::INFINITY;
            }
            if nats <= limit {
                status[r.line][r.index] = GlyphStatus::LowConfidence;
                ctx.push("glyph.low_confidence", format!("{}: read an extra «{}», but the recogniser finds the intended text nearly as likely ({nats:.1} nats)", place(*r), g.char), Some(g.bbox), Some(nats), Some(limit));
                continue;
            }
            // A mark read at a line's end whose cell holds no ink of its own is read off the blank
            // or off the edge of the next box on the row: a line box reaching 2 px into the next
            // one's 良 read «，» there (clean 5353/247). It asks for a look, no more.
            if clreq::is_punct(first_char(&g.char)) && !g.ink_found && r.index + 1 == line.len() {
                status[r.line][r.index] = GlyphStatus::LowConfidence;
                ctx.push("glyph.low_confidence", format!("{}: read an extra «{}» at the line's end, where no ink of its own is found", place(*r), g.char), Some(g.bbox), Some(shown_nats(nats)), Some(limit));
                continue;
            }
            status[r.line][r.index] = GlyphStatus::Extra;
            ctx.push("text.extra", format!("{}: extra «{}» not in the intended text", place(*r), g.char), Some(g.bbox), Some(shown_nats(nats)), Some(limit));
        }
    }
    // Recognised text outside every intended block: report runs of confident, real text.
    let mut runs: Vec<Vec<GlyphRef>> = Vec::new();
    for r in &a.unexplained {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|p| p.line == r.line && p.index + 1 == r.index) => run.push(*r),
            _ => runs.push(vec![*r]),
        }
    }
    for run in runs {
        let gs: Vec<&Glyph> = run.iter().map(|r| glyph(page, *r)).collect();
        let conf = gs.iter().map(|g| g.confidence).sum::<f32>() / gs.len() as f32;
        let han = gs.iter().filter(|g| is_han(first_char(&g.char))).count();
        let alnum = gs.iter().filter(|g| matches!(script_of(first_char(&g.char)), Script::Latin | Script::Digit)).count();
        if conf < th.extra_text_confidence || (han == 0 && alnum < 2) {
            continue;
        }
        let text: String = gs.iter().map(|g| g.char.as_str()).collect();
        let quads: Vec<[f32; 2]> = gs.iter().flat_map(|g| g.quad).collect();
        ctx.push("text.unexpected", format!("line {}: «{}» is not in the intended text", run[0].line + 1, ellipsize(&text, 24)), Some(bbox_of(&quads)), Some(conf), None);
    }
    unverified_strokes(ctx, status);
}

/// Han glyphs read as intended but drawn too small for their strokes to be compared
/// (`garbled_residual_min_em_px`): one notice naming how many and on which lines, so a pass is not
/// taken to vouch for strokes nobody could see.
fn unverified_strokes(ctx: &mut Ctx, status: &[Vec<GlyphStatus>]) {
    let min_em = ctx.inp.profile.thresholds.garbled_residual_min_em_px;
    let small: Vec<GlyphRef> = ctx
        .inp
        .checks
        .iter()
        .map(|c| c.glyph)
        .filter(|r| ctx.inp.layout.lines[r.line].em < min_em && status[r.line][r.index] == GlyphStatus::Ok)
        .collect();
    if small.is_empty() {
        return;
    }
    let mut lines: Vec<usize> = small.iter().map(|r| r.line + 1).collect();
    lines.sort_unstable();
    lines.dedup();
    let listed: Vec<String> = lines.iter().take(8).map(|l| l.to_string()).collect();
    let more = if lines.len() > 8 { ", …" } else { "" };
    let which = if lines.len() == 1 { "line" } else { "lines" };
    let quads: Vec<[f32; 2]> = small.iter().flat_map(|r| glyph(ctx.inp.page, *r).quad).collect();
    ctx.push(
        "glyph.unverified",
        format!("{} Han glyphs on {which} {}{more} are drawn under {min_em:.0} px per em: too small to compare stroke by stroke; look at them by eye", small.len(), listed.join(", ")),
        Some(bbox_of(&quads)),
        Some(small.len() as f32),
        Some(min_em),
    );
}

fn audit_rules(ctx: &mut Ctx, status: &mut [Vec<GlyphStatus>]) {
    let page = ctx.inp.page;
    let th = &ctx.inp.profile.thresholds;
    let han_total = page.lines.iter().flat_map(|l| &l.chars).filter(|g| is_han(first_char(&g.char))).count();
    let trad: Vec<GlyphRef> = page
        .lines
        .iter()
        .enumerate()
        .flat_map(|(li, l)| l.chars.iter().enumerate().map(move |(ci, g)| (GlyphRef { line: li, index: ci }, g)))
        .filter(|(_, g)| match ctx.inp.locale {
            Locale::Hans => variants::is_traditional_only(first_char(&g.char)),
            Locale::Hant => false,
        })
        .map(|(r, _)| r)
        .collect();
    if !trad.is_empty() && trad.len() * 4 < han_total {
        for r in trad {
            let g = glyph(page, r);
            ctx.push("script.variant_mix", format!("{}: Traditional «{}» in Simplified text", place(r), g.char), Some(g.bbox), None, None);
        }
    }
    for c in ctx.inp.checks {
        let g = glyph(page, c.glyph);
        if let Some((v, limit, _)) = ink_garbled(ctx, c, ctx.inp.layout.lines[c.glyph.line].em) {
            status[c.glyph.line][c.glyph.index] = GlyphStatus::Garbled;
            ctx.push(
                "glyph.garbled",
                format!("{}: read as «{}» but its ink matches none of its readings (best «{}», similarity {:.2})", place(c.glyph), g.char, c.intended, c.similarity),
                Some(g.bbox),
                Some(v),
                Some(limit),
            );
        }
    }
    for (li, l) in page.lines.iter().enumerate() {
        for (ci, g) in l.chars.iter().enumerate() {
            if status[li][ci] == GlyphStatus::Garbled {
                continue;
            }
            if g.confidence < th.low_confidence && is_han(first_char(&g.char)) {
                status[li][ci] = GlyphStatus::LowConfidence;
                ctx.push(
                    "glyph.low_confidence",
                    format!("line {}, glyph {}: «{}» is hard to read (confidence {:.2})", li + 1, ci + 1, g.char, g.confidence),
                    Some(g.bbox),
                    Some(g.confidence),
                    Some(th.low_confidence),
                );
            }
        }
    }
}

fn layout_rules(ctx: &mut Ctx) {
    let page = ctx.inp.page;
    let th = ctx.inp.profile.thresholds.clone();
    let layout = ctx.inp.layout;
    let checks = ctx.inp.checks;
    for c in checks {
        let Some(rot) = verified_turn(ctx, c).filter(|d| d.abs() > th.rotation_deg) else { continue };
        let g = glyph(page, c.glyph);
        ctx.push(
            "layout.rotation",
            format!("{} «{}» is turned {:.1}° against its line (limit {:.1}°): its character fits its ink turned so", place(c.glyph), g.char, rot.abs(), th.rotation_deg),
            Some(g.bbox),
            Some(rot.abs()),
            Some(th.rotation_deg),
        );
    }
    for lg in &layout.lines {
        let line = &page.lines[lg.line];
        let lb = bbox_of(&line.quad);
        if let Some(s) = lg.skew_deg {
            // Over a short line a pixel of ink noise is a sizeable angle: never judge finer than that.
            let lim = th.skew_deg.max((th.skew_tolerance_px / lg.fit_span_px.max(1.0)).atan().to_degrees());
            if s.abs() > lim {
                ctx.push("layout.skew", format!("line {} is tilted {:.1}° (limit {:.1}°)", lg.line + 1, s.abs(), lim), Some(lb), Some(s.abs()), Some(lim));
            }
        }
        let px = th.pixel_tolerance_px / lg.em.max(1.0);
        let base_lim = th.baseline_em.max(px);
        // Whole-pixel extents are a pixel uncertain at each end; sub-pixel ones about one in all.
        // Blur moves where a thin stroke's edge crosses the threshold by up to its sigma at each
        // end: the blur the line's glyphs needed beyond a sharp image's widens the allowance.
        let blurred = 2.0 * (line_blur(checks, lg.line) - SHARP_BLUR).max(0.0) / lg.em.max(1.0);
        let size_lim = |subpixel: bool| th.size_ratio.max(if subpixel { px } else { 2.0 * px } + blurred);
        // A line of two Han glyphs has no line to fit beyond them: their offset from each other
        // is judged, as the one glyph's offset it would be were the other on the line, against
        // the same limit scaled for two measurements (√2).
        if let [a, b] = &lg.glyphs[..] {
            // Their sizes likewise: the one's against the other's, the smaller of the two ways.
            let lim = size_lim(a.subpixel_size && b.subpixel_size);
            if a.size_ratio > 0.0 && b.size_ratio > 0.0 {
                let (r, q) = (a.size_ratio / b.size_ratio, b.size_ratio / a.size_ratio);
                let v = (r - 1.0).abs().min((q - 1.0).abs()) / std::f32::consts::SQRT_2;
                if v > lim {
                    let (ga, gb) = (&line.chars[a.index], &line.chars[b.index]);
                    ctx.push(
                        "layout.size",
                        format!("line {}: «{}» is {:.0}% of «{}»'s size (limit ±{:.0}% for two glyphs)", lg.line + 1, ga.char, r * 100.0, gb.char, lim * std::f32::consts::SQRT_2 * 100.0),
                        Some(bbox_of(&[ga.quad, gb.quad].concat())),
                        Some(v),
                        Some(lim),
                    );
                }
            }
            let v = (b.offset_em - a.offset_em).abs() / std::f32::consts::SQRT_2;
            if v > base_lim {
                let (ga, gb) = (&line.chars[a.index], &line.chars[b.index]);
                ctx.push(
                    "layout.baseline",
                    format!("line {}: «{}» and «{}» sit {:.0}% em apart across the line (limit {:.0}% for two glyphs)", lg.line + 1, ga.char, gb.char, (b.offset_em - a.offset_em).abs() * 100.0, base_lim * std::f32::consts::SQRT_2 * 100.0),
                    Some(bbox_of(&[ga.quad, gb.quad].concat())),
                    Some(v),
                    Some(base_lim),
                );
            }
        }
        if lg.glyphs.len() >= 3 {
            for gg in &lg.glyphs {
                let g = &line.chars[gg.index];
                if gg.offset_em.abs() > base_lim {
                    let dir = match (line.orientation == Orientation::Vertical, gg.offset_em > 0.0) {
                        (false, true) => "below",
                        (false, false) => "above",
                        (true, true) => "right of",
                        (true, false) => "left of",
                    };
                    ctx.push(
                        "layout.baseline",
                        format!("line {}, glyph {} «{}» sits {:.0}% em {dir} the line (limit {:.0}%)", lg.line + 1, gg.index + 1, g.char, gg.offset_em.abs() * 100.0, base_lim * 100.0),
                        Some(g.bbox),
                        Some(gg.offset_em.abs()),
                        Some(base_lim),
                    );
                }
                let size_lim = size_lim(gg.subpixel_size);
                if (gg.size_ratio - 1.0).abs() > size_lim {
                    ctx.push(
                        "layout.size",
                        format!("line {}, glyph {} «{}» is {:.0}% of its neighbours' size (limit ±{:.0}%)", lg.line + 1, gg.index + 1, g.char, gg.size_ratio * 100.0, size_lim * 100.0),
                        Some(g.bbox),
                        Some((gg.size_ratio - 1.0).abs()),
                        Some(size_lim),
                    );
                }
                // A glyph compared with its character by residual is judged by its turn (below).
                let by_residual = ctx.inp.checks.iter().any(|c| c.glyph == GlyphRef { line: lg.line, index: gg.index } && c.residual.is_some());
                if !by_residual && gg.rotation_deg.abs() > th.rotation_deg {
                    ctx.push(
                        "layout.rotation",
                        format!("line {}, glyph {} «{}» is turned {:.1}° against its line (limit {:.1}°)", lg.line + 1, gg.index + 1, g.char, gg.rotation_deg.abs(), th.rotation_deg),
                        Some(g.bbox),
                        Some(gg.rotation_deg.abs()),
                        Some(th.rotation_deg),
                    );
                }
            }
        }
        // A step the intended text spaces on purpose ("版权所有 翻印必究") is not uneven pitch.
        let spaced = |at: usize| ctx.inp.alignment.is_some_and(|a| a.space_before_glyph(GlyphRef { line: lg.line, index: at }));
        let pitch = lg.pitch_devs_em.iter().copied().filter(|&(_, at)| !spaced(at)).max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((dev, at)) = pitch {
            if dev > th.pitch_em {
                let g = &line.chars[at];
                ctx.push(
                    "layout.pitch",
                    format!("line {}: spacing before glyph {} «{}» is off by {:.2} em (limit {:.2} em)", lg.line + 1, at + 1, g.char, dev, th.pitch_em),
                    Some(g.bbox),
                    Some(dev),
                    Some(th.pitch_em),
                );
            }
        }
    }
    for bg in &layout.blocks {
        // A block of two lines: each is measured against the other, so the two offsets are one
        // offset, and which line moved cannot be told. One finding names both.
        match bg.edge_dev_em[..] {
            [(a, da), (b, db)] if (da.abs() - db.abs()).abs() < 1e-3 => {
                if da.abs() > th.alignment_em {
                    ctx.push(
                        "block.alignment",
                        format!("lines {} and {} of one block are {:.1} em apart at their {} (limit {:.1} em): one of them is off", a + 1, b + 1, da.abs(), edges_named(&bg.alignment), th.alignment_em),
                        Some(bbox_of(&[page.lines[a].quad, page.lines[b].quad].concat())),
                        Some(da.abs()),
                        Some(th.alignment_em),
                    );
                }
            }
            _ => {
                for &(li, dev) in &bg.edge_dev_em {
                    if dev.abs() > th.alignment_em {
                        ctx.push(
                            "block.alignment",
                            format!("line {} is {:.1} em off its block's {} alignment (limit {:.1} em)", li + 1, dev.abs(), bg.alignment, th.alignment_em),
                            Some(bbox_of(&page.lines[li].quad)),
                            Some(dev.abs()),
                            Some(th.alignment_em),
                        );
                    }
                }
            }
        }
        for &(li, dev) in &bg.spacing_dev_em {
            if dev.abs() > th.line_spacing_em {
                ctx.push(
                    "block.line_spacing",
                    format!("line {} is {:.2} em {} than the block's line spacing (limit {:.2} em)", li + 1, dev.abs(), if dev > 0.0 { "further" } else { "closer" }, th.line_spacing_em),
                    Some(bbox_of(&page.lines[li].quad)),
                    Some(dev.abs()),
                    Some(th.line_spacing_em),
                );
            }
        }
    }
}

/// What a block's alignment lines up, for a sentence: "left edges", "centres", ….
fn edges_named(alignment: &str) -> &'static str {
    match alignment {
        "left" => "left edges",
        "right" => "right edges",
        "center" => "centres",
        _ => "edges",
    }
}

/// The blur (sigma, pixels) a sharp image's glyphs still need for their reference renderings to
/// meet their ink (the renderings' antialiasing is finer than a recogniser-sized image's).
const SHARP_BLUR: f32 = 0.5;

/// The median blur (sigma, pixels) that made the references meet a line's glyphs (`SHARP_BLUR`
/// when none was measured).
fn line_blur(checks: &[crate::verify::GlyphCheck], li: usize) -> f32 {
    let v: Vec<f32> = checks.iter().filter(|c| c.glyph.line == li).filter_map(|c| c.residual.map(|r| r.blur)).collect();
    if v.is_empty() {
        return SHARP_BLUR;
    }
    crate::stats::median(&v)
}

/// The median step, start to start, between neighbouring Han glyphs of a line (among its
/// `visible` glyphs, both with ink found); `None` under two steps.
fn han_pitch(line: &crate::ocr::Line, visible: &[usize]) -> Option<f32> {
    let han = |i: usize| line.chars[i].ink_found && is_han(first_char(&line.chars[i].char));
    let steps: Vec<f32> = visible.windows(2).filter(|w| han(w[0]) && han(w[1])).map(|w| along(line, &line.chars[w[1]]).0 - along(line, &line.chars[w[0]]).0).filter(|&d| d > 0.0).collect();
    (steps.len() >= 2).then(|| crate::stats::median(&steps))
}

/// How many of its line's steps apart (start to start) two glyphs that follow each other in the
/// intended text must stand for what stands between them to take a room of its own: halfway
/// between one step and the two a full-width mark set between them makes.
const ADDED_ROOM: f32 = 1.5;

/// Whether extra glyph `r` stands between two Han glyphs with ink that are matched to consecutive
/// intended characters of block `b` (no space between them) and `ADDED_ROOM` steps apart.
fn takes_added_room(page: &Page, b: &crate::align::BlockMatch, r: GlyphRef) -> bool {
    let line = &page.lines[r.line];
    let Some(p) = r.index.checked_sub(1) else { return false };
    let n = r.index + 1;
    let han_ink = |i: usize| line.chars.get(i).is_some_and(|g| g.ink_found && is_han(first_char(&g.char)));
    if !han_ink(p) || !han_ink(n) {
        return false;
    }
    let at = |index: usize| b.index_of(GlyphRef { line: r.line, index });
    let (Some(kp), Some(kn)) = (at(p), at(n)) else { return false };
    if kn != kp + 1 || b.space_before.get(kn).copied().unwrap_or(false) {
        return false;
    }
    let Some(pitch) = han_pitch(line, &visible_glyphs(line)) else { return false };
    along(line, &line.chars[n]).0 - along(line, &line.chars[p]).0 >= ADDED_ROOM * pitch
}

/// The indices of a line's glyphs that are not spaces.
fn visible_glyphs(line: &crate::ocr::Line) -> Vec<usize> {
    (0..line.chars.len()).filter(|&i| script_of(first_char(&line.chars[i].char)) != Script::Space).collect()
}

/// Position of a glyph along its line (page axis), and its extent.
fn along(line: &crate::ocr::Line, g: &Glyph) -> (f32, f32) {
    let vertical = line.orientation == Orientation::Vertical;
    let vals: Vec<f32> = g.quad.iter().map(|p| if vertical { p[1] } else { p[0] }).collect();
    (vals.iter().copied().fold(f32::MAX, f32::min), vals.iter().copied().fold(f32::MIN, f32::max))
}

/// Whether horizontal line `b` continues line `a` on the same row (the detector split one printed
/// line in two): centres level within half a line height, `b` starting where `a` ends. The row's
/// height is the taller box's: a mark boxed apart at a line's end has a box a few pixels tall (a
/// «。» after «水果”», clean 6565/245).
fn continues_row(page: &Page, a: usize, b: usize) -> bool {
    let (la, lb) = (&page.lines[a], &page.lines[b]);
    if la.orientation == Orientation::Vertical || lb.orientation == Orientation::Vertical {
        return false;
    }
    let (ba, bb) = (bbox_of(&la.quad), bbox_of(&lb.quad));
    let h = ba[3].max(bb[3]);
    let level = ((ba[1] + ba[3] / 2.0) - (bb[1] + bb[3] / 2.0)).abs() < 0.5 * h;
    let gap = bb[0] - (ba[0] + ba[2]);
    level && gap > -h && gap < 3.0 * h
}

fn punct_rules(ctx: &mut Ctx, status: &[Vec<GlyphStatus>]) {
    let page = ctx.inp.page;
    // A glyph the text rules did not call substituted, read unsure as another sign than the mark
    // it was matched to («！» read «1» at 0.20, «。» read «·»), is set as that mark: at a line's
    // edge, and for its width and position.
    let alignment = ctx.inp.alignment;
    let meant = |li: usize, i: usize| {
        let w = first_char(alignment?.intended_for(GlyphRef { line: li, index: i })?);
        let read = first_char(&page.lines[li].chars[i].char);
        let unsure_sign = status[li][i] == GlyphStatus::LowConfidence && clreq::fold(w) != clreq::fold(read) && clreq::is_punct(w) && clreq::same_kind_of_sign(w, read);
        unsure_sign.then_some(w)
    };
    let as_set = |li: usize, i: usize| {
        let g = &page.lines[li].chars[i];
        let read = first_char(&g.char);
        match meant(li, i).or_else(|| quote_direction(g)) {
            Some(w) => (w, format!("«{w}» (read as «{read}»)")),
            None => (read, format!("«{read}»")),
        }
    };
    let th = ctx.inp.profile.thresholds.clone();
    let locale = ctx.inp.locale;
    for (bi, b) in ctx.inp.blocks.iter().enumerate() {
        let multi = b.lines.len() >= 2;
        for (k, &li) in b.lines.iter().enumerate() {
            let line = &page.lines[li];
            let visible = visible_glyphs(line);
            let (Some(&first), Some(&last)) = (visible.first(), visible.last()) else { continue };
            // A line box the detector split off mid-line (at a wide gap) continues its row: no break.
            if multi && k > 0 && !continues_row(page, b.lines[k - 1], li) {
                let (c, shown) = as_set(li, first);
                if clreq::is_line_start_prohibited(clreq::fold(c)) || clreq::is_line_start_prohibited(c) {
                    ctx.push("punct.line_start", format!("line {} starts with {shown}, which must not begin a line", li + 1), Some(line.chars[first].bbox), None, None);
                }
            }
            if multi && k + 1 < b.lines.len() && !continues_row(page, li, b.lines[k + 1]) {
                let (c, shown) = as_set(li, last);
                // A closing quote read as such closes (folded, «”» is «“», which must not end a
                // line: «方法”» whose «，» went unread, 4545/111); an undirected «"» may open.
                let folded = if "”’".contains(c) { c } else { clreq::fold(c) };
                if clreq::is_line_end_prohibited(folded) || clreq::is_line_end_prohibited(c) {
                    ctx.push("punct.line_end", format!("line {} ends with {shown}, which must not end a line", li + 1), Some(line.chars[last].bbox), None, None);
                }
            }
            let em = ctx.inp.layout.lines[li].em.max(1.0);
            // A mark's width is judged in the line's pitch (its Han glyphs' step, start to start):
            // a face drawn large or small in its em, or letter-spaced, moves the em measured from
            // the ink but not the step a full-width mark takes.
            let pitch = han_pitch(line, &visible).unwrap_or(em);
            // Width and position of stops between two glyphs.
            for (wi, w) in visible.windows(3).enumerate() {
                let (p, m, n) = (&line.chars[w[0]], &line.chars[w[1]], &line.chars[w[2]]);
                let c = meant(li, w[1]).unwrap_or(first_char(&m.char));
                let folded = clreq::fold(c);
                if !clreq::POSITIONED_STOPS.contains(folded) || !m.ink_found || !p.ink_found || !n.ink_found {
                    continue;
                }
                if !is_han(first_char(&p.char)) {
                    continue;
                }
                let (_, p_end) = along(line, p);
                let (n_start, _) = along(line, n);
                // An opening bracket next leads its ink with its own blank: the mark's box ends
                // where the bracket's begins, a pitch before the Han glyph after it («！（请»:
                // measured to the ink of （, a half-width ! would look full-width). Opening quotes
                // are set narrow in some faces (LXGW WenKai, Smiley Sans): measured to their ink,
                // unless the line's face sets them a full em.
                let quote_full = ctx.inp.layout.lines[li].quote_advance_em.is_some_and(|a| a >= crate::verify::FULL_WIDTH_QUOTE);
                let leads_blank = |c: char| clreq::is_opening_bracket(c) || ("“‘".contains(c) && quote_full);
                let after_opening = leads_blank(first_char(&n.char)).then(|| visible.get(wi + 3).map(|&k| &line.chars[k])).flatten();
                // The same for an opening mark the recogniser did not read between the two («；“服»
                // read «；服»): its ink, found in the gap, ends the room the stop takes.
                let (_, m_end) = along(line, m);
                let skipped = ctx.inp.unread_marks.iter().filter(|u| u.line == li && u.edge == crate::verify::marks::Edge::Inline).find_map(|u| {
                    let (s, e) = if line.orientation == Orientation::Vertical { (u.bbox[1], u.bbox[1] + u.bbox[3]) } else { (u.bbox[0], u.bbox[0] + u.bbox[2]) };
                    let c = ctx.inp.alignment?.blocks.get(u.block)?.chars.get(u.index)?.chars().next()?;
                    (s >= m_end - 1.0 && e <= n_start + 1.0).then_some((s, c))
                });
                let next_box = match (skipped, after_opening.filter(|n2| n2.ink_found && is_han(first_char(&n2.char)))) {
                    (Some((_, c)), _) if leads_blank(c) && is_han(first_char(&n.char)) => n_start - pitch,
                    (Some((s, _)), _) => s,
                    (None, Some(n2)) => along(line, n2).0 - pitch,
                    (None, None) => n_start,
                };
                let adv = (next_box - p_end) / pitch;
                if adv < th.halfwidth_advance_em {
                    ctx.push(
                        "punct.width",
                        format!(
                            "line {}, glyph {}: «{folded}» is set half-width{} (it takes {:.2} of the line's pitch); Chinese text takes full-width «{folded}»",
                            li + 1,
                            w[1] + 1,
                            clreq::half_width_of(folded).map(|h| format!(", as «{h}»")).unwrap_or_default(),
                            adv
                        ),
                        Some(m.bbox),
                        Some(adv),
                        Some(th.halfwidth_advance_em),
                    );
                    continue;
                }
                if line.orientation != Orientation::Vertical && "，。、".contains(folded) {
                    let (ms, me) = along(line, m);
                    let frac = ((ms + me) / 2.0 - p_end) / (next_box - p_end).max(1.0);
                    // Height in the glyph before's box: a Traditional stop is centred both ways, a
                    // Simplified one sits on the baseline. Across alone, a stop in a line of uneven
                    // gaps, or drawn a little inward by its face, looked centred.
                    let high = (m.bbox[1] + m.bbox[3] / 2.0 - p.bbox[1]) / p.bbox[3].max(1.0);
                    let centred = (0.38..=0.62).contains(&frac) && (0.3..=0.7).contains(&high);
                    if locale == Locale::Hans && centred {
                        ctx.push("punct.position", format!("line {}, glyph {}: «{c}» is centred (Traditional style); Simplified text sets it lower left", li + 1, w[1] + 1), Some(m.bbox), Some(frac), None);
                    } else if locale == Locale::Hant && frac < 0.3 && high > 0.7 {
                        ctx.push("punct.position", format!("line {}, glyph {}: «{c}» sits lower left (Simplified style); Traditional text centres it", li + 1, w[1] + 1), Some(m.bbox), Some(frac), None);
                    }
                }
            }
            // Han–Latin spacing.
            for w in visible.windows(2) {
                let (a, c2) = (&line.chars[w[0]], &line.chars[w[1]]);
                let (sa, sb) = (script_of(first_char(&a.char)), script_of(first_char(&c2.char)));
                let mixed = (sa == Script::Han && matches!(sb, Script::Latin | Script::Digit)) || (sb == Script::Han && matches!(sa, Script::Latin | Script::Digit));
                if !mixed || !a.ink_found || !c2.ink_found {
                    continue;
                }
                let gap = (along(line, c2).0 - along(line, a).1) / em;
                if gap > th.han_latin_gap_em {
                    ctx.push(
                        "spacing.han_latin",
                        format!("line {}: gap of {:.2} em between «{}» and «{}» (limit {:.2} em)", li + 1, gap, a.char, c2.char, th.han_latin_gap_em),
                        Some(bbox_of(&[a.quad, c2.quad].concat())),
                        Some(gap),
                        Some(th.han_latin_gap_em),
                    );
                }
            }
        }
        // A single character alone on the last line of a paragraph.
        if multi {
            let li = *b.lines.last().unwrap();
            let line = &page.lines[li];
            let han: Vec<&Glyph> = line.chars.iter().filter(|g| is_han(first_char(&g.char))).collect();
            let others = line.chars.iter().filter(|g| !clreq::is_punct(first_char(&g.char)) && script_of(first_char(&g.char)) != Script::Space).count();
            if han.len() == 1 && others == 1 {
                ctx.push("para.orphan", format!("block {}: «{}» stands alone on the last line", bi + 1, han[0].char), Some(han[0].bbox), None, None);
            }
        }
    }
}

/// How far a glyph's own fitted em may be off its line's for a turn measured at the line's size
/// to count: the fit set's turned glyphs fit 0.87–1.18× their line's em (scripts/fit-thresholds;
/// scripts/turn-sizes counts it on any measurements).
const TURN_SIZE_OFF: f32 = 0.25;

/// Share of its character's ink a glyph's binarised ink may lack for a turn that explains little
/// of it to count: faint strokes lost to binarising (卡's thin horizontals at 16 px) are lacking
/// ink no turn explains, while the grey levels show none lacking. Of the glyphs whose turn passed
/// the limits while leaving over TURN_EXPLAINS of the upright leftover and no grey-level patch, in
/// the measurements of sessions 30–36, the turned ones lacked 0.01–0.17 and four clean ones
/// 0.28–0.38 (clean 6767/085, 6161/126, 3434/178, 3434/269; reports/dev-s37, scripts/turn-faint).
const TURN_INK_LOST: f32 = 0.22;
/// The share of the upright fit's leftover a turn leaves above which it explains little.
const TURN_EXPLAINS: f32 = 0.7;

/// How far a glyph compared with its character by residual is turned against its line, degrees:
/// by the turn of its character's rendering that explains its ink (leaving at most
/// `rotation_left` of what the upright rendering leaves), else 0 (it fits upright, or no turn
/// helps, or the glyph is not its line's size). `None` when the glyph has no residual, and only
/// its stroke axis can tell.
fn verified_turn(ctx: &Ctx, c: &crate::verify::GlyphCheck) -> Option<f32> {
    let r = c.residual?;
    let th = &ctx.inp.profile.thresholds;
    // The turn is measured with the character drawn at the line's size (a turned glyph's own fit
    // is drawn too big). A glyph whose own fit is further off that size than TURN_SIZE_OFF is not
    // sized by its line — a column of two glyphs sized from a flat 一 (clean 6161/203: 第 fits at
    // 1.33× its line's em and turned 11° at the line's size) — and a turn measured so says nothing.
    let lg = &ctx.inp.layout.lines[c.glyph.line];
    if (r.em_px / lg.em.max(1.0) - 1.0).abs() > TURN_SIZE_OFF {
        return Some(0.0);
    }
    let line = &ctx.inp.page.lines[c.glyph.line];
    let skew = if line.orientation == Orientation::Horizontal { lg.skew_deg.unwrap_or(0.0) } else { 0.0 };
    let faint = c.fit.missing > TURN_INK_LOST && r.missing.max(r.extra) <= crate::verify::NO_PATCH;
    Some(c.turn.filter(|t| t.left <= th.rotation_left && !(faint && t.left > TURN_EXPLAINS)).map(|t| t.deg - skew).unwrap_or(0.0))
}

/// Whether a glyph's ink is its character turned beyond `rotation_deg` (a layout fault, reported
/// by `layout.rotation`, not a garbled glyph).
fn turned(ctx: &Ctx, c: &crate::verify::GlyphCheck) -> bool {
    verified_turn(ctx, c).is_some_and(|d| d.abs() > ctx.inp.profile.thresholds.rotation_deg)
}

/// The ink-based garbled judgement of a glyph against its intended character: its binarised ink
/// (`Thresholds::garbled`), then its grey-level residual (`Thresholds::garbled_residual`), then the
/// two agreeing on a missing stroke (`Thresholds::garbled_agreeing_stroke`). Not made
/// for Traditional text: the bundled reference faces draw Simplified-region glyph forms, which
/// differ from Traditional ones in components, so a correct Traditional glyph would read as garbled.
/// Gives `(measured, limit, by_residual)`.
fn ink_garbled(ctx: &Ctx, c: &crate::verify::GlyphCheck, em: f32) -> Option<(f32, f32, bool)> {
    let th = &ctx.inp.profile.thresholds;
    if ctx.inp.locale != Locale::Hans || turned(ctx, c) {
        return None;
    }
    // Binarising can merge a bold face's strokes and fail the chamfer fit where the grey levels
    // match: a glyph whose residual leaves no patch is not garbled by its binarised ink.
    let no_patch = c.residual.is_some_and(|r| r.missing.max(r.extra) <= crate::verify::NO_PATCH);
    th.garbled(c, &c.fit, em)
        .filter(|_| !no_patch)
        .map(|(v, l)| (v, l, false))
        .or_else(|| th.garbled_residual(c, em).or_else(|| th.garbled_agreeing_stroke(c, em)).map(|(v, l)| (v, l, true)))
}

fn ink_fits(ctx: &Ctx, c: &crate::verify::GlyphCheck, fit: &crate::verify::Fit, em: f32) -> Option<bool> {
    (ctx.inp.locale == Locale::Hans).then(|| ctx.inp.profile.thresholds.fits(c, fit, em)).flatten()
}

/// What is wrong with a garbled glyph's ink, for a designer: "strokes 7–9 of 12 missing, extra ink
/// upper right, …". From the grey-level residual when its limits flagged the glyph (`by_residual`),
/// else from the stroke match.
fn explain(c: &crate::verify::GlyphCheck, bbox: [f32; 4], by_residual: bool) -> String {
    let mut parts = Vec::new();
    let strokes = |v: &[usize]| stroke_list(v, c.stroke_count);
    match c.residual.filter(|_| by_residual) {
        Some(r) => {
            parts.extend(residual_parts(&r, &c.residual_strokes, c.stroke_count, bbox));
            // Where the binarised stroke match finds the same strokes gone, say so: the two agree.
            let agreed = c.strokes_missing_by_both();
            if !agreed.is_empty() {
                parts.push(format!("{} also under half on ink by the stroke match", strokes(&agreed)));
            }
        }
        None => {
            if !c.missing_strokes.is_empty() {
                parts.push(format!("{} missing", strokes(&c.missing_strokes)));
            } else if c.fit.missing > 0.0 {
                parts.push(format!("{:.0}% of the expected ink missing", c.fit.missing * 100.0));
            }
            parts.extend(c.extra_ink.map(|e| format!("extra ink {}", where_in(e, bbox))));
        }
    }
    parts.push(format!("similarity {:.2} (best reference {})", c.similarity, c.best_face));
    parts.join(", ")
}

/// "stroke 3 of 9", "strokes 7–9 of 12".
fn stroke_list(v: &[usize], count: Option<usize>) -> String {
    let of = count.map(|k| format!(" of {k}")).unwrap_or_default();
    format!("stroke{} {}{of}", if v.len() > 1 { "s" } else { "" }, ranges(v).join(", "))
}

/// The patches a grey-level residual leaves, in words: what is missing (the expected strokes in
/// the patch, or ink) and where, and where ink is extra, placed in box `bbox`.
fn residual_parts(r: &crate::verify::residual::Residual, strokes: &[usize], count: Option<usize>, bbox: [f32; 4]) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(b) = r.missing_box.filter(|_| r.missing > 0.0) {
        let what = if strokes.is_empty() { "ink".to_string() } else { stroke_list(strokes, count) };
        parts.push(format!("{what} missing {} ({:.0}% of the character's ink)", where_in(b, bbox), r.missing * 100.0));
    }
    if let Some(b) = r.extra_box.filter(|_| r.extra > 0.0) {
        parts.push(format!("extra ink {} ({:.0}% of the character's ink)", where_in(b, bbox), r.extra * 100.0));
    }
    parts
}

/// Where box `e` sits in box `bbox` (both `[x, y, w, h]`): "upper left" … "lower right".
fn where_in(e: [f32; 4], bbox: [f32; 4]) -> String {
    let (cx, cy) = (e[0] + e[2] / 2.0, e[1] + e[3] / 2.0);
    let v = if cy < bbox[1] + bbox[3] / 3.0 { "upper" } else if cy > bbox[1] + 2.0 * bbox[3] / 3.0 { "lower" } else { "middle" };
    let h = if cx < bbox[0] + bbox[2] / 3.0 { "left" } else if cx > bbox[0] + 2.0 * bbox[2] / 3.0 { "right" } else { "centre" };
    format!("{v} {h}")
}

fn ranges(v: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if j > i { format!("{}–{}", v[i], v[j]) } else { v[i].to_string() });
        i = j + 1;
    }
    out
}

fn gap_box(page: &Page, after: Option<GlyphRef>, before: Option<GlyphRef>) -> Option<[f32; 4]> {
    match (after, before) {
        (Some(a), Some(b)) if a.line == b.line => {
            let (ga, gb) = (glyph(page, a), glyph(page, b));
            Some(bbox_of(&[ga.quad, gb.quad].concat()))
        }
        (Some(a), _) => Some(glyph(page, a).bbox),
        (None, Some(b)) => Some(glyph(page, b).bbox),
        _ => None,
    }
}

fn ellipsize(s: &str, n: usize) -> String {
    let cs: Vec<char> = s.chars().collect();
    if cs.len() <= n { s.to_string() } else { cs[..n].iter().collect::<String>() + "…" }
}
