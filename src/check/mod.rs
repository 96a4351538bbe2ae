//! The gate: takes an image, the OCR reader, the intended text (optional) and a profile; runs
//! `ocr` → `blocks` → `align` (match, with the reader's second view of disagreeing lines) → `verify`
//! → `layout` → `rules` → `verdict` and gives a [`CheckReport`] (the versioned JSON schema) for the
//! report stage.

use crate::align::{self, Alignment, CharMatch};
use crate::blocks;
use crate::error::{InputError, Result};
use crate::layout;
use crate::ocr::{Page, Reader};
use crate::reference::References;
use crate::rules::{self, GlyphStatus, Locale};
use crate::verdict::{self, Finding, Outcome, Profile};
use image::RgbImage;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Instant;

/// Version of the JSON report schema.
pub const SCHEMA_VERSION: u32 = 1;

/// What the image is meant to say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Intended {
    /// Text blocks (paragraphs, labels), in reading order where the order matters.
    pub blocks: Vec<String>,
    pub locale: Locale,
    /// Each block's intended alignment, when the spec says.
    pub aligns: Vec<Option<crate::spec::Align>>,
    /// Each block's box on the page `[x, y, w, h]`, when the spec says.
    pub places: Vec<Option<[f32; 4]>>,
}

impl Intended {
    /// One block per non-empty line.
    pub fn from_text(text: &str, locale: Locale) -> Intended {
        let blocks: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(normalize_symbols).collect();
        Intended { aligns: vec![None; blocks.len()], places: vec![None; blocks.len()], blocks, locale }
    }

    /// The text blocks of a spec (its locale unless `locale` overrides it).
    pub fn from_spec(spec: &crate::spec::Spec, locale: Option<Locale>) -> Intended {
        Intended {
            blocks: spec.blocks.iter().map(|b| normalize_symbols(&b.text)).collect(),
            locale: locale.or(spec.locale).unwrap_or_default(),
            aligns: spec.blocks.iter().map(|b| Some(b.align)).collect(),
            places: spec.blocks.iter().map(|b| b.bbox).collect(),
        }
    }

    /// Reads a UTF-8 text file: one block per non-empty line.
    pub fn from_text_file(path: &Path, locale: Locale) -> Result<Intended, InputError> {
        let bytes = std::fs::read(path).map_err(|e| InputError::from_io(path, e))?;
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotUtf8(path.to_path_buf()))?;
        let it = Intended::from_text(text, locale);
        if it.blocks.is_empty() {
            return Err(InputError::Malformed { path: path.to_path_buf(), msg: "no text in file".into() });
        }
        Ok(it)
    }
}

/// Writes letter-like symbol pairs the way a recogniser reads them as one glyph (°C → ℃, °F → ℉).
fn normalize_symbols(s: &str) -> String {
    s.replace("°C", "℃").replace("°F", "℉")
}

/// Text summary: expected vs recognised and the character error rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSummary {
    pub expected: Option<String>,
    pub recognized: String,
    /// Character error rate against the intended text (substitutions + missing + extra) / expected.
    pub cer: Option<f32>,
}

/// One glyph in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlyphReport {
    pub line: usize,
    pub index: usize,
    pub char: String,
    pub intended: Option<String>,
    pub status: GlyphStatus,
    pub confidence: f32,
    pub bbox: [f32; 4],
    /// Comparison of the ink with the intended character (Han glyphs matched to intended text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify: Option<crate::verify::GlyphCheck>,
    /// A mark (or digit or letter) read as another: its ink compared with both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<crate::verify::MarkCheck>,
}

/// One line in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineReport {
    pub text: String,
    pub confidence: f32,
    pub quad: [[f32; 2]; 4],
    pub orientation: crate::ocr::Orientation,
    pub skew_deg: Option<f32>,
    /// Distance between the first and last glyph centres the skew was fitted on, pixels: the
    /// shorter, the coarser the angle a pixel of ink noise makes (the skew limit's pixel floor).
    #[serde(default)]
    pub skew_span_px: f32,
    pub em_px: f32,
}

/// The result of checking one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub image: String,
    pub profile: String,
    pub verdict: Outcome,
    pub score: u32,
    pub text: TextSummary,
    pub glyphs: Vec<GlyphReport>,
    pub lines: Vec<LineReport>,
    pub findings: Vec<Finding>,
    /// Intended Han characters the recogniser did not read whose ink was found and compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread_glyphs: Vec<crate::verify::UnreadGlyph>,
    pub timings_ms: std::collections::BTreeMap<String, f64>,
}

/// Everything measured about a read page that does not depend on the profile: blocks, the match
/// with the intended text, glyph verification and layout. Judging it with several profiles (as
/// `eval` does) reuses it.
pub struct Analysis {
    pub blocks: Vec<blocks::TextBlock>,
    pub alignment: Option<Alignment>,
    /// The recogniser's second look at each disagreement with the intended text.
    pub disagreements: Vec<align::second_look::Disagreement>,
    pub checks: Vec<crate::verify::GlyphCheck>,
    /// Marks read as other marks, compared with both.
    pub mark_checks: Vec<crate::verify::MarkCheck>,
    /// Ink of intended marks the recogniser dropped at line breaks.
    pub unread_marks: Vec<crate::verify::marks::UnreadMark>,
    /// Ink of intended Han characters the recogniser skipped.
    pub unread_glyphs: Vec<crate::verify::UnreadGlyph>,
    pub layout: layout::Layout,
    pub timings_ms: std::collections::BTreeMap<String, f64>,
}

/// Runs `blocks` → `align` → `verify` → `layout` on a read page. With the `reader`, lines where the
/// reading and the intended text disagree get a second view (`Reader::second_view`).
pub fn analyze(img: &RgbImage, page: &Page, intended: Option<&Intended>, refs: Option<&References>, reader: Option<&Reader>) -> Analysis {
    let mut timings = std::collections::BTreeMap::new();
    let t = Instant::now();
    let geo_blocks = blocks::group_blocks(page);
    let alignment: Option<Alignment> = intended.map(|it| align::align(page, &geo_blocks, &it.blocks, &it.places));
    // With intended text, a block is what the author meant as one: regroup lines by their match.
    let blocks = match &alignment {
        Some(a) => blocks::regroup(page, &geo_blocks, &a.line_owners(page.lines.len())),
        None => geo_blocks,
    };
    let mut disagreements = alignment.as_ref().map(|a| align::second_look::second_look(page, a)).unwrap_or_default();
    if let Some(reader) = reader {
        let lines = align::second_look::lines_to_review(&disagreements);
        // A second view that cannot be read leaves the first view's scores.
        if let Ok(views) = reader.second_view(img, page, &lines, SECOND_VIEW_STRETCH) {
            align::second_look::with_second_view(page, &mut disagreements, &views);
        }
    }
    timings.insert("match".to_string(), t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let checks: Vec<crate::verify::GlyphCheck> = match (&alignment, refs) {
        (Some(a), Some(r)) => crate::verify::verify(img, page, a, r),
        (None, Some(r)) => crate::verify::audit(img, page, r),
        _ => Vec::new(),
    };
    let unread_marks = alignment.as_ref().map(|a| crate::verify::marks::unread_marks(img, page, a)).unwrap_or_default();
    let candidates = crate::verify::line_face_candidates(checks.iter(), page.lines.len());
    let mark_checks = match (&alignment, refs) {
        (Some(a), Some(r)) => crate::verify::check_marks(img, page, a, r, &candidates),
        _ => Vec::new(),
    };
    let unread_glyphs = match (&alignment, refs) {
        (Some(a), Some(r)) => crate::verify::unread_glyphs(img, page, a, r, &checks),
        _ => Vec::new(),
    };
    timings.insert("verify".to_string(), t.elapsed().as_secs_f64() * 1000.0);
    let t = Instant::now();
    let faces = crate::verify::line_faces(checks.iter(), page.lines.len());
    let unread: Vec<layout::UnreadInk> = unread_marks
        .iter()
        .filter(|m| matches!(m.edge, crate::verify::marks::Edge::LineStart | crate::verify::marks::Edge::LineEnd))
        .map(|m| layout::UnreadInk { line: m.line, bbox: m.bbox, mark: true })
        .chain(unread_glyphs.iter().map(|u| layout::UnreadInk { line: u.line, bbox: u.bbox, mark: false }))
        .chain(alignment.as_ref().map(|a| marks_in_host_boxes(a, &checks)).unwrap_or_default())
        .collect();
    let meant: Vec<layout::Meant> = alignment.as_ref().map(|a| meant_marks(page, a)).unwrap_or_default().into_iter().chain(meant_glyphs(page, &checks)).collect();
    let quote_faces = refs.map(|r| crate::verify::quote_faces(img, page, r)).unwrap_or_default();
    let lay = layout::measure(page, &blocks, img, refs, &faces, &candidates, &quote_faces, intended.map(|i| &i.aligns[..]).unwrap_or(&[]), &unread, &meant);
    timings.insert("layout".to_string(), t.elapsed().as_secs_f64() * 1000.0);
    Analysis { blocks, alignment, disagreements, checks, mark_checks, unread_marks, unread_glyphs, layout: lay, timings_ms: timings }
}

/// Ink of intended full-width marks the recogniser did not read, found inside the box of the glyph
/// beside them (verify's `mark_ink`: a line-initial «「» taken into the box of the «保» after it):
/// the line's edge is that mark's em slot, not the host glyph's ink (5050/0).
fn marks_in_host_boxes(a: &Alignment, checks: &[crate::verify::GlyphCheck]) -> Vec<layout::UnreadInk> {
    let mut out = Vec::new();
    for b in &a.blocks {
        for (want, m) in b.chars.iter().zip(&b.matches) {
            if let CharMatch::Missing { after, before } = m {
                if want.chars().next().is_some_and(crate::clreq::is_punct) {
                    out.extend(crate::verify::mark_ink_beside(checks, *after, *before).map(|(g, m)| layout::UnreadInk { line: g.line, bbox: m.bbox, mark: true }));
                }
            }
        }
    }
    out
}

/// Glyphs read as the half-width form of the full-width mark they were matched to («(» for （), and
/// glyphs read as a Han character where a full-width mark was meant that the recogniser finds
/// likely too (`ocr::LIKELY_ALTERNATIVE`: a «」» read as «了»).
fn meant_marks(page: &Page, a: &Alignment) -> Vec<layout::Meant> {
    let mut out = Vec::new();
    for (line, l) in page.lines.iter().enumerate() {
        for (index, g) in l.chars.iter().enumerate() {
            let Some(read) = g.char.chars().next() else { continue };
            let Some(want) = a.intended_for(crate::align::GlyphRef { line, index }) else { continue };
            let Some(meant) = want.chars().next().filter(|&c| crate::clreq::script_of(c) == crate::clreq::Script::CjkPunct) else { continue };
            let unsure_han = crate::clreq::is_han(read) && g.alternative_score(want) >= crate::ocr::LIKELY_ALTERNATIVE;
            if (crate::clreq::fold(read) != read && crate::clreq::fold(read) == meant) || unsure_han {
                out.push(layout::Meant { line, index, char: meant });
            }
        }
    }
    out
}

/// Han glyphs read as another character whose ink fits the intended one at least as well as the
/// reading (by chamfer cost): the layout measures them by the intended character's ink box.
fn meant_glyphs(page: &Page, checks: &[crate::verify::GlyphCheck]) -> Vec<layout::Meant> {
    checks
        .iter()
        .filter_map(|c| {
            let read = page.lines.get(c.glyph.line)?.chars.get(c.glyph.index)?.char.chars().next()?;
            let meant = c.intended.chars().next().filter(|&m| m != read && crate::clreq::script_of(m) == crate::clreq::Script::Han)?;
            c.read_fit.as_ref().is_some_and(|r| c.fit.cost <= r.cost).then_some(layout::Meant { line: c.glyph.line, index: c.glyph.index, char: meant })
        })
        .collect()
}

/// Checks an already-read page (lets callers reuse OCR, e.g. in evaluation); `reader` gives
/// disagreeing lines a second view.
pub fn check_page(image_name: &str, img: &RgbImage, page: &Page, intended: Option<&Intended>, profile: &Profile, refs: Option<&References>, reader: Option<&Reader>) -> CheckReport {
    judge(image_name, page, intended, &analyze(img, page, intended, refs, reader), profile)
}

/// How much wider than usual a line is resampled for its second view.
const SECOND_VIEW_STRETCH: f32 = 1.5;

/// Applies `rules` and `verdict` with a profile to an analysed page.
pub fn judge(image_name: &str, page: &Page, intended: Option<&Intended>, an: &Analysis, profile: &Profile) -> CheckReport {
    let Analysis { blocks, alignment, disagreements, checks, mark_checks, unread_marks, unread_glyphs, layout: lay, timings_ms } = an;
    let mut timings = timings_ms.clone();
    let t = Instant::now();
    let locale = intended.map(|i| i.locale).unwrap_or_default();
    let out = rules::run(&rules::RuleInput { page, blocks, alignment: alignment.as_ref(), disagreements, checks, mark_checks, unread_marks, unread_glyphs, layout: lay, profile, locale });
    timings.insert("rules".to_string(), t.elapsed().as_secs_f64() * 1000.0);
    let mut findings = out.findings;
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.rule.cmp(&b.rule)));
    let (verdict, score) = verdict::decide(&findings);
    let recognized = page.lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    let (expected, cer) = match (intended, alignment) {
        (Some(it), Some(a)) => {
            let total: usize = a.blocks.iter().map(|b| b.chars.len()).sum();
            let errs: usize = a
                .blocks
                .iter()
                .map(|b| b.matches.iter().filter(|m| !matches!(m, CharMatch::Matched { .. })).count() + b.inserted.len())
                .sum();
            (Some(it.blocks.join("\n")), Some(errs as f32 / total.max(1) as f32))
        }
        _ => (None, None),
    };
    let mut glyphs = Vec::new();
    for (li, l) in page.lines.iter().enumerate() {
        for (ci, g) in l.chars.iter().enumerate() {
            let r = align::GlyphRef { line: li, index: ci };
            glyphs.push(GlyphReport {
                line: li,
                index: ci,
                char: g.char.clone(),
                intended: alignment.as_ref().and_then(|a| a.intended_for(r)).map(String::from),
                status: out.status[li][ci],
                confidence: g.confidence,
                bbox: g.bbox,
                verify: checks.iter().find(|c| c.glyph == r).cloned(),
                mark: mark_checks.iter().find(|m| m.glyph == r).cloned(),
            });
        }
    }
    let lines = page
        .lines
        .iter()
        .zip(&lay.lines)
        .map(|(l, lg)| LineReport { text: l.text.clone(), confidence: l.confidence, quad: l.quad, orientation: l.orientation, skew_deg: lg.skew_deg, skew_span_px: lg.fit_span_px, em_px: lg.em })
        .collect();
    let tm = &page.timings_ms;
    for (k, v) in [("load_models", tm.load_models), ("detect", tm.detect), ("orient", tm.orient), ("recognize", tm.recognize), ("refine", tm.refine)] {
        timings.insert(k.to_string(), v);
    }
    CheckReport {
        schema_version: SCHEMA_VERSION,
        image: image_name.to_string(),
        profile: profile.name.clone(),
        verdict,
        score,
        text: TextSummary { expected, recognized, cer },
        glyphs,
        lines,
        findings,
        unread_glyphs: unread_glyphs.clone(),
        timings_ms: timings,
    }
}

/// Reads and checks an image.
pub fn check_image(reader: &Reader, refs: Option<&References>, image_name: &str, img: &RgbImage, intended: Option<&Intended>, profile: &Profile) -> Result<CheckReport> {
    let page = reader.read(img)?;
    Ok(check_page(image_name, img, &page, intended, profile, refs, Some(reader)))
}
