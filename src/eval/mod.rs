//! Evaluation: takes a labeled corpus (the `synth` output, or any images with `NAME.spec.toml` and
//! `NAME.truth.json` beside them) and a profile; runs the gate on every image and gives per-rule
//! precision/recall, per-defect detection, the pass/fail confusion matrix, glyph-level flags and OCR
//! accuracy, as a markdown report and as per-item measurements for threshold fitting.

use crate::check::{analyze, judge, CheckReport, Intended};
use crate::error::{InputError, Result};
use crate::load::{load_image, LoadOptions};
use crate::ocr::Reader;
use crate::reference::References;
use crate::rules::GlyphStatus;
use crate::spec::Spec;
use crate::verdict::{Finding, Outcome, Profile, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The parts of a truth file evaluation needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Truth {
    pub image: String,
    #[serde(default)]
    pub kind: String,
    pub defect: String,
    pub expected_verdict: String,
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub glyphs: Vec<TruthGlyph>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TruthGlyph {
    pub char: Option<String>,
    pub rendered: Option<String>,
    pub bbox: Option<[f32; 4]>,
    pub defect: Option<String>,
    #[serde(default)]
    pub detail: serde_json::Value,
}

/// Result for one item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemResult {
    pub image: String,
    pub kind: String,
    pub defect: String,
    pub expected_verdict: String,
    pub expected_rules: Vec<String>,
    /// The character a `lookalike` / `char_dropped` defect replaced or dropped, or a `char_added`
    /// one added.
    #[serde(default)]
    pub edited_char: Option<String>,
    pub verdict: Option<Outcome>,
    /// Rules with at least one warning or error finding.
    pub fired: Vec<String>,
    /// Per rule, the most extreme measured value over the page, from a run with every limit at its
    /// most permissive (for threshold fitting).
    pub measured: BTreeMap<String, f32>,
    pub ocr_correct: usize,
    pub ocr_total: usize,
    /// Glyph-level: truth glyphs with a glyph defect, and whether the gate flagged them.
    pub defect_glyphs: Vec<DefectGlyph>,
    /// Clean truth glyphs and how many of them were flagged substituted/garbled.
    pub clean_glyphs: usize,
    pub clean_flagged: usize,
    /// Clean truth glyphs called suspect (`glyph.suspect`, a warning).
    #[serde(default)]
    pub clean_suspect: usize,
    /// Per truth Han glyph found in the report: (defect label or "clean", verification, em px,
    /// recognition confidence).
    pub glyph_features: Vec<(String, Option<crate::verify::GlyphCheck>, f32, f32)>,
    pub error: Option<String>,
    pub ms: f64,
    /// Share of the check's own time (all steps but model loading) spent verifying glyphs.
    #[serde(default)]
    pub verify_share: f64,
    /// Per line with a measured skew: the angle's size (degrees) and the span it was fitted over
    /// (pixels), for fitting the skew limit's pixel floor.
    #[serde(default)]
    pub line_skews: Vec<[f32; 2]>,
}

/// Lists corpus items: every `*.truth.json` in `dir`, sorted.
pub fn list_items(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let rd = std::fs::read_dir(dir).map_err(|e| InputError::from_io(dir, e))?;
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(".truth.json")).collect();
    v.sort();
    if v.is_empty() {
        return Err(InputError::Malformed { path: dir.to_path_buf(), msg: "no *.truth.json files: not a labeled corpus (make one with `cjkcheck synth`)".into() });
    }
    Ok(v)
}

/// A profile with every fitted limit at zero (or its widest), so every measurement above the pixel
/// noise floor becomes a finding.
pub fn measuring_profile(base: &Profile) -> Profile {
    let mut p = base.clone();
    let t = &mut p.thresholds;
    t.skew_deg = 0.0;
    t.baseline_em = 0.0;
    t.size_ratio = 0.0;
    t.pitch_em = 0.0;
    t.rotation_deg = 0.0;
    t.alignment_em = 0.0;
    t.line_spacing_em = 0.0;
    t.halfwidth_advance_em = 100.0;
    t.han_latin_gap_em = 0.0;
    t.reread_nats = f32::NEG_INFINITY;
    t.reread_nats_marks = f32::NEG_INFINITY;
    t.mark_ink_margin = f32::NEG_INFINITY;
    // The pixel floors stay: a limit is max(threshold, floor), so fitting the threshold on values
    // above the floor reproduces the gate's decision exactly.
    p
}

fn iou(a: [f32; 4], b: [f32; 4]) -> f32 {
    let inter = crate::geometry::intersection_area(a, b);
    inter / (a[2] * a[3] + b[2] * b[3] - inter).max(1.0)
}

/// Evaluates one item.
pub fn eval_item(reader: &Reader, refs: &References, profile: &Profile, truth_path: &Path) -> ItemResult {
    let t0 = std::time::Instant::now();
    let fail = |truth: Option<&Truth>, e: String| ItemResult {
        image: truth.map(|t| t.image.clone()).unwrap_or_else(|| truth_path.display().to_string()),
        kind: truth.map(|t| t.kind.clone()).unwrap_or_default(),
        defect: truth.map(|t| t.defect.clone()).unwrap_or_default(),
        expected_verdict: truth.map(|t| t.expected_verdict.clone()).unwrap_or_default(),
        expected_rules: truth.map(|t| t.rules.clone()).unwrap_or_default(),
        edited_char: truth.and_then(edited_char),
        verdict: None,
        fired: vec![],
        measured: BTreeMap::new(),
        ocr_correct: 0,
        ocr_total: 0,
        defect_glyphs: vec![],
        clean_glyphs: 0,
        clean_flagged: 0,
        clean_suspect: 0,
        glyph_features: vec![],
        line_skews: vec![],
        error: Some(e),
        ms: 0.0,
        verify_share: 0.0,
    };
    let truth: Truth = match std::fs::read_to_string(truth_path).map_err(|e| e.to_string()).and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string())) {
        Ok(t) => t,
        Err(e) => return fail(None, format!("{}: {e}", truth_path.display())),
    };
    let dir = truth_path.parent().unwrap_or(Path::new("."));
    let stem = truth_path.file_name().unwrap().to_string_lossy().trim_end_matches(".truth.json").to_string();
    let spec_path = dir.join(format!("{stem}.spec.toml"));
    let spec = match Spec::load(&spec_path) {
        Ok(s) => s,
        Err(e) => return fail(Some(&truth), e.to_string()),
    };
    let img_path = dir.join(&truth.image);
    let img = match load_image(&img_path, &LoadOptions::default()) {
        Ok(i) => i,
        Err(e) => return fail(Some(&truth), e.to_string()),
    };
    let page = match reader.read(&img) {
        Ok(p) => p,
        Err(e) => return fail(Some(&truth), e.to_string()),
    };
    let intended = Intended::from_spec(&spec, None);
    let name = img_path.display().to_string();
    let an = analyze(&img, &page, Some(&intended), Some(refs), Some(reader));
    let report = judge(&name, &page, Some(&intended), &an, profile);
    let all = judge(&name, &page, Some(&intended), &an, &measuring_profile(profile));
    let mut fired: Vec<String> = report.findings.iter().filter(|f| f.severity >= Severity::Warning).map(|f| f.rule.clone()).collect();
    fired.sort();
    fired.dedup();
    let mut measured: BTreeMap<String, f32> = BTreeMap::new();
    for f in &all.findings {
        let Some(v) = f.measured else { continue };
        let e = measured.entry(f.rule.clone()).or_insert(if f.rule == "punct.width" { f32::MAX } else { f32::MIN });
        // punct.width: the smallest advance is the most suspicious; elsewhere the largest value.
        *e = if f.rule == "punct.width" { e.min(v) } else { e.max(v) };
    }
    // Text errors by how they are decided, each judged alone: the largest value among those still
    // reported as errors (missing or extra characters, and marks, by the recogniser's second look;
    // a mark read as another mark by its ink).
    const INF: f32 = f32::INFINITY;
    for (key, limits) in [("reread.chars", [-INF, INF, INF]), ("reread.marks", [INF, -INF, INF]), ("mark.ink", [INF, INF, -INF])] {
        let mut p = measuring_profile(profile);
        let t = &mut p.thresholds;
        [t.reread_nats, t.reread_nats_marks, t.mark_ink_margin] = limits;
        let r = judge(&name, &page, Some(&intended), &an, &p);
        let text_error = |f: &&Finding| matches!(f.rule.as_str(), "text.missing" | "text.extra" | "glyph.substituted") && f.threshold == Some(-INF);
        if let Some(v) = r.findings.iter().filter(text_error).filter_map(|f| f.measured).reduce(f32::max) {
            measured.insert(key.to_string(), v);
        }
    }
    let (ocr_correct, ocr_total) = ocr_overlap(&truth, &page);
    let (defect_glyphs, clean_glyphs, (clean_flagged, clean_suspect)) = glyph_flags(&truth, &report);
    let glyph_features = glyph_features(&truth, &report);
    ItemResult {
        image: truth.image.clone(),
        kind: truth.kind.clone(),
        defect: truth.defect.clone(),
        expected_verdict: truth.expected_verdict.clone(),
        expected_rules: truth.rules.clone(),
        edited_char: edited_char(&truth),
        verdict: Some(report.verdict),
        fired,
        measured,
        ocr_correct,
        ocr_total,
        defect_glyphs,
        clean_glyphs,
        clean_flagged,
        clean_suspect,
        glyph_features,
        line_skews: report.lines.iter().filter_map(|l| l.skew_deg.map(|d| [d.abs(), l.skew_span_px])).collect(),
        error: None,
        ms: t0.elapsed().as_secs_f64() * 1000.0,
        verify_share: {
            let t = &report.timings_ms;
            let total: f64 = t.iter().filter(|(k, _)| k.as_str() != "load_models").map(|(_, v)| v).sum();
            t.get("verify").copied().unwrap_or(0.0) / total.max(1e-9)
        },
    }
}

/// Order-free character overlap between the drawn text and the recognised text.
fn ocr_overlap(truth: &Truth, page: &crate::ocr::Page) -> (usize, usize) {
    let mut want: BTreeMap<char, i64> = BTreeMap::new();
    let mut total = 0;
    for g in &truth.glyphs {
        if let Some(r) = &g.rendered {
            for c in r.chars().filter(|c| !c.is_whitespace()) {
                *want.entry(crate::clreq::fold(c)).or_default() += 1;
                total += 1;
            }
        }
    }
    let mut correct = 0;
    for l in &page.lines {
        for g in &l.chars {
            for c in g.char.chars() {
                if let Some(n) = want.get_mut(&crate::clreq::fold(c)) {
                    if *n > 0 {
                        *n -= 1;
                        correct += 1;
                    }
                }
            }
        }
    }
    (correct, total)
}

/// Pairs each truth glyph with at most one reported glyph and each reported glyph with at most one
/// truth glyph, best overlap first (IoU over 0.3). A box the recogniser ran over two glyphs (an
/// unread pseudo-character beside its neighbour) is its better-covered glyph's; the other truth
/// glyph has no reported glyph.
fn pair_glyphs(truth: &Truth, r: &CheckReport) -> Vec<Option<usize>> {
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (ti, g) in truth.glyphs.iter().enumerate() {
        let Some(b) = g.bbox else { continue };
        for (ri, x) in r.glyphs.iter().enumerate() {
            let o = iou(b, x.bbox);
            if o > 0.3 {
                pairs.push((o, ti, ri));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = vec![None; truth.glyphs.len()];
    let mut taken = vec![false; r.glyphs.len()];
    for (_, ti, ri) in pairs {
        if out[ti].is_none() && !taken[ri] {
            out[ti] = Some(ri);
            taken[ri] = true;
        }
    }
    out
}

fn glyph_features(truth: &Truth, r: &CheckReport) -> Vec<(String, Option<crate::verify::GlyphCheck>, f32, f32)> {
    let mut out = Vec::new();
    for (g, paired) in truth.glyphs.iter().zip(pair_glyphs(truth, r)) {
        if !g.char.as_deref().and_then(|c| c.chars().next()).is_some_and(crate::clreq::is_han) {
            continue;
        }
        let label = g.defect.clone().unwrap_or_else(|| "clean".into());
        if let Some(x) = paired.map(|i| &r.glyphs[i]) {
            out.push((label, x.verify.clone(), r.lines.get(x.line).map(|l| l.em_px).unwrap_or(0.0), x.confidence));
        }
    }
    out
}

const GLYPH_DEFECTS: [&str; 4] = ["stroke_removed", "stroke_added", "component_swapped", "lookalike"];

/// The intended character a look-alike or dropped-character defect is about, or the added one.
fn edited_char(truth: &Truth) -> Option<String> {
    let g = truth.glyphs.iter().find(|g| matches!(g.defect.as_deref(), Some("char_dropped" | "char_added" | "lookalike")))?;
    match g.defect.as_deref() {
        Some("char_dropped" | "lookalike") => g.char.clone(),
        _ => g.detail.get("inserted").and_then(|v| v.as_str()).map(String::from),
    }
}

/// Glyph defects with whether they were flagged (substituted or garbled) and their status; the
/// number of clean Han glyphs; how many of those were flagged, and how many called suspect.
fn glyph_flags(truth: &Truth, r: &CheckReport) -> (Vec<DefectGlyph>, usize, (usize, usize)) {
    let paired = pair_glyphs(truth, r);
    let status = |ti: usize| paired[ti].map(|i| r.glyphs[i].status);
    let flagged = |s: Option<GlyphStatus>| matches!(s, Some(GlyphStatus::Garbled | GlyphStatus::Substituted));
    let mut defects = Vec::new();
    let (mut clean, mut clean_flagged, mut clean_suspect) = (0, 0, 0);
    for (ti, g) in truth.glyphs.iter().enumerate() {
        if g.bbox.is_none() {
            continue;
        }
        let is_han = g.char.as_deref().and_then(|c| c.chars().next()).is_some_and(crate::clreq::is_han);
        // Not read on its own: judged (if at all) by a finding on its ink.
        let unread_judged = || {
            let b = g.bbox?;
            let unread = |fb: [f32; 4]| r.unread_glyphs.iter().any(|u| u.bbox == fb);
            let on = |rule: &str| r.findings.iter().any(|f| f.rule == rule && f.bbox.is_some_and(|fb| unread(fb) && iou(b, fb) > 0.3));
            if on("glyph.garbled") {
                Some(GlyphStatus::Garbled)
            } else if on("glyph.suspect") {
                Some(GlyphStatus::Suspect)
            } else {
                None
            }
        };
        // A glyph read and paired but not flagged is still judged on its ink as an unread one
        // when the recogniser's box for it went to an intended neighbour.
        let judged = match status(ti) {
            Some(st) if matches!(st, GlyphStatus::Garbled | GlyphStatus::Substituted | GlyphStatus::Suspect) => Some(st),
            other => unread_judged().or(other),
        };
        match g.defect.as_deref() {
            Some(d) if GLYPH_DEFECTS.contains(&d) => {
                let s = judged;
                // Unread (no glyph of its own) and reported as a missing character, an error there.
                let missing = s.is_none()
                    && g.char.as_deref().is_some_and(|c| r.findings.iter().any(|f| f.rule == "text.missing" && f.severity == crate::verdict::Severity::Error && f.message.contains(&format!("«{c}»"))));
                defects.push(DefectGlyph(d.to_string(), flagged(s), s, missing, g.detail.get("visible_change").and_then(|v| v.as_f64()).map(|v| v as f32)));
            }
            None if is_han => {
                clean += 1;
                let s = judged;
                if flagged(s) {
                    clean_flagged += 1;
                }
                if s == Some(GlyphStatus::Suspect) {
                    clean_suspect += 1;
                }
            }
            _ => {}
        }
    }
    (defects, clean, (clean_flagged, clean_suspect))
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 { "–".into() } else { format!("{:.1}% ({a}/{b})", 100.0 * a as f64 / b as f64) }
}

/// A truth glyph with a glyph defect: its kind, whether the gate flagged it (substituted or
/// garbled), the status of the glyph it was read as (none: not read on its own), and whether it was
/// then reported as a missing character (an error at its place); and, for a pseudo-character, the
/// share of the character's ink its garble changes (the truth's `visible_change`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DefectGlyph(pub String, pub bool, pub Option<GlyphStatus>, #[serde(default)] pub bool, #[serde(default)] pub Option<f32>);

/// Summarises results as markdown.
pub fn summarize(results: &[ItemResult], title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {title}\n");
    let ok: Vec<&ItemResult> = results.iter().filter(|r| r.error.is_none()).collect();
    let _ = writeln!(s, "{} items, {} could not be evaluated.\n", results.len(), results.len() - ok.len());
    // Confusion matrix.
    let _ = writeln!(s, "## Gate verdict\n\n| expected \\ got | pass | warn | fail |\n|---|---|---|---|");
    for exp in ["pass", "fail"] {
        let row: Vec<&&ItemResult> = ok.iter().filter(|r| r.expected_verdict == exp).collect();
        let c = |o: Outcome| row.iter().filter(|r| r.verdict == Some(o)).count();
        let _ = writeln!(s, "| {exp} ({}) | {} | {} | {} |", row.len(), c(Outcome::Pass), c(Outcome::Warn), c(Outcome::Fail));
    }
    let clean: Vec<&&ItemResult> = ok.iter().filter(|r| r.defect == "clean").collect();
    let clean_pass = clean.iter().filter(|r| r.verdict != Some(Outcome::Fail)).count();
    let _ = writeln!(s, "\nClean images passing (pass or warn): {}\n", pct(clean_pass, clean.len()));
    // Per defect kind.
    let _ = writeln!(s, "## Detection per defect kind\n\n| defect | items | expected rule fired | verdict as expected | other rules fired (false alarms) |\n|---|---|---|---|---|");
    let mut kinds: Vec<&str> = ok.iter().map(|r| r.defect.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        let rs: Vec<&&ItemResult> = ok.iter().filter(|r| r.defect == k).collect();
        let with_rules: Vec<&&&ItemResult> = rs.iter().filter(|r| !r.expected_rules.is_empty()).collect();
        let caught = with_rules.iter().filter(|r| r.expected_rules.iter().all(|e| r.fired.contains(e))).count();
        let verdict_ok = rs.iter().filter(|r| (r.verdict == Some(Outcome::Fail)) == (r.expected_verdict == "fail")).count();
        let mut others: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rs {
            for f in &r.fired {
                if !r.expected_rules.contains(f) {
                    *others.entry(f.as_str()).or_default() += 1;
                }
            }
        }
        let others: Vec<String> = others.iter().map(|(k, v)| format!("{k} ×{v}")).collect();
        let _ = writeln!(s, "| {k} | {} | {} | {} | {} |", rs.len(), pct(caught, with_rules.len()), pct(verdict_ok, rs.len()), others.join(", "));
    }
    // Per rule.
    let _ = writeln!(s, "\n## Per rule (item level)\n\n| rule | precision | recall |\n|---|---|---|");
    let mut rules: Vec<String> = ok.iter().flat_map(|r| r.fired.iter().chain(&r.expected_rules).cloned()).collect();
    rules.sort();
    rules.dedup();
    for rule in rules {
        let tp = ok.iter().filter(|r| r.fired.contains(&rule) && r.expected_rules.contains(&rule)).count();
        let fp = ok.iter().filter(|r| r.fired.contains(&rule) && !r.expected_rules.contains(&rule)).count();
        let fn_ = ok.iter().filter(|r| !r.fired.contains(&rule) && r.expected_rules.contains(&rule)).count();
        let _ = writeln!(s, "| {rule} | {} | {} |", pct(tp, tp + fp), pct(tp, tp + fn_));
    }
    // Glyph level.
    let _ = writeln!(s, "\n## Glyph level\n\nFlagged: called substituted or garbled (errors). Suspect: `glyph.suspect`, a warning to look at the glyph. Each truth glyph is paired with at most one read glyph; one the recogniser read no glyph of its own for (its box ran over into a neighbour's, or skipped it) counts by the finding on its ink (garbled or suspect), or as unread, reported missing when the gate reports the intended character missing, an error at its place.\n\n| defect | glyphs | flagged substituted/garbled | as garbled | as substituted | as suspect | unread, reported missing | flagged or suspect | any error at the glyph |\n|---|---|---|---|---|---|---|---|---|");
    for d in GLYPH_DEFECTS {
        let gs: Vec<&DefectGlyph> = ok.iter().flat_map(|r| &r.defect_glyphs).filter(|g| g.0 == d).collect();
        let n = gs.len();
        let f = gs.iter().filter(|g| g.1).count();
        let ga = gs.iter().filter(|g| g.2 == Some(GlyphStatus::Garbled)).count();
        let su = gs.iter().filter(|g| g.2 == Some(GlyphStatus::Substituted)).count();
        let sp = gs.iter().filter(|g| g.2 == Some(GlyphStatus::Suspect)).count();
        let mi = gs.iter().filter(|g| g.3).count();
        let _ = writeln!(s, "| {d} | {n} | {} | {} | {} | {} | {} | {} | {} |", pct(f, n), pct(ga, n), pct(su, n), pct(sp, n), pct(mi, n), pct(f + sp, n), pct(f + mi, n));
    }
    // Pseudo-characters by how much of the character's ink the garble changes: the subtle ones
    // apart, so a reader sees where the misses lie.
    let banded: Vec<&DefectGlyph> = ok.iter().flat_map(|r| &r.defect_glyphs).filter(|g| g.0 != "lookalike" && g.4.is_some()).collect();
    if !banded.is_empty() {
        let _ = writeln!(s, "\nPseudo-characters by the share of the character's ink the garble changes:\n\n| ink changed | glyphs | flagged substituted/garbled | as garbled | flagged or suspect | any error at the glyph |\n|---|---|---|---|---|---|");
        for (lo, hi, name) in [(0.0, 0.05, "under 5%"), (0.05, 0.1, "5–10%"), (0.1, 0.2, "10–20%"), (0.2, f32::INFINITY, "20% or more")] {
            let gs: Vec<&&DefectGlyph> = banded.iter().filter(|g| g.4.is_some_and(|v| v >= lo && v < hi)).collect();
            let n = gs.len();
            let f = gs.iter().filter(|g| g.1).count();
            let ga = gs.iter().filter(|g| g.2 == Some(GlyphStatus::Garbled)).count();
            let sp = gs.iter().filter(|g| g.2 == Some(GlyphStatus::Suspect)).count();
            let mi = gs.iter().filter(|g| g.3).count();
            let _ = writeln!(s, "| {name} | {n} | {} | {} | {} | {} |", pct(f, n), pct(ga, n), pct(f + sp, n), pct(f + mi, n));
        }
    }
    // A look-alike is a real other character (substituted); a pseudo-character is none (garbled, or suspect).
    let typed: Vec<bool> = ok
        .iter()
        .flat_map(|r| &r.defect_glyphs)
        .filter(|g| matches!(g.2, Some(GlyphStatus::Garbled | GlyphStatus::Substituted | GlyphStatus::Suspect)))
        .map(|g| (g.0 == "lookalike") == (g.2 == Some(GlyphStatus::Substituted)))
        .collect();
    let _ = writeln!(s, "\nSubstituted told from garbled (of glyph defects flagged or suspect, the kind called right): {}", pct(typed.iter().filter(|&&t| t).count(), typed.len()));
    let cg: usize = ok.iter().map(|r| r.clean_glyphs).sum();
    let cf: usize = ok.iter().map(|r| r.clean_flagged).sum();
    let cs: usize = ok.iter().map(|r| r.clean_suspect).sum();
    let _ = writeln!(s, "\nClean Han glyphs flagged substituted/garbled: {}; called suspect: {}; either: {}\n", pct(cf, cg), pct(cs, cg), pct(cf + cs, cg));
    let oc: usize = ok.iter().map(|r| r.ocr_correct).sum();
    let ot: usize = ok.iter().map(|r| r.ocr_total).sum();
    let _ = writeln!(s, "OCR character accuracy (order-free overlap with the drawn text): {}\n", pct(oc, ot));
    let mut ms: Vec<f64> = ok.iter().map(|r| r.ms).collect();
    ms.sort_by(f64::total_cmp);
    if !ms.is_empty() {
        let _ = writeln!(s, "Check time per image (OCR and analysis once, judged with the profile and, for the measurements, four more times): median {:.0} ms, max {:.0} ms.\n", ms[ms.len() / 2], ms[ms.len() - 1]);
        let mut vs: Vec<f64> = ok.iter().map(|r| r.verify_share).collect();
        vs.sort_by(f64::total_cmp);
        let _ = writeln!(s, "Glyph verification's share of check time: median {:.0}%, 90th percentile {:.0}%.\n", 100.0 * vs[vs.len() / 2], 100.0 * vs[vs.len() * 9 / 10]);
    }
    let errs: Vec<&ItemResult> = results.iter().filter(|r| r.error.is_some()).collect();
    for e in errs.iter().take(10) {
        let _ = writeln!(s, "- could not evaluate {}: {}", e.image, e.error.as_deref().unwrap_or(""));
    }
    s
}
