//! The gate end to end: bundled examples through the CLI (exit codes, findings), synthetic defects
//! through the library (each defect class is caught where it is, clean pages pass), and bad input.

mod common;
use cjkcheck::check::{check_page, Intended};
use cjkcheck::reference::References;
use cjkcheck::spec::{Locale, Spec};
use cjkcheck::verdict::{Outcome, Profile, Severity};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn refs() -> &'static References {
    static R: OnceLock<References> = OnceLock::new();
    R.get_or_init(|| References::bundled().expect("bundled fonts load"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cjkcheck")).args(args).current_dir(root()).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn bundled_flyer_passes_and_its_defect_twin_fails_on_the_wrong_character() {
    let (code, out, err) = run(&["check", "examples/flyer.png", "--spec", "examples/flyer.toml", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "pass");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["text"]["cer"], 0.0);

    let (code, out, _) = run(&["check", "examples/flyer_defect.png", "--spec", "examples/flyer.toml", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "fail");
    let errors: Vec<&serde_json::Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["rule"] == "glyph.substituted" || errors[0]["rule"] == "glyph.garbled");
    assert!(errors[0]["message"].as_str().unwrap().contains('治'));
    // The finding points at the glyph: the fifth line's 18th glyph, lower right of the flyer.
    let b = errors[0]["bbox"].as_array().unwrap();
    let (x, y) = (b[0].as_f64().unwrap(), b[1].as_f64().unwrap());
    assert!((540.0..620.0).contains(&x) && (470.0..520.0).contains(&y), "bbox {b:?}");
}

#[test]
fn text_report_fits_80_columns_and_honours_no_color() {
    let out = Command::new(env!("CARGO_BIN_EXE_cjkcheck"))
        .args(["check", "examples/flyer_defect.png", "--spec", "examples/flyer.toml"])
        .env("NO_COLOR", "1")
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\x1b'));
    assert!(text.starts_with("FAIL "));
}

#[test]
fn annotated_png_and_json_output_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let (png, json) = (dir.path().join("a.png"), dir.path().join("r.json"));
    let (code, _, err) = run(&[
        "check",
        "examples/flyer_defect.png",
        "--spec",
        "examples/flyer.toml",
        "--annotate",
        png.to_str().unwrap(),
        "--format",
        "json",
        "--output",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let img = image::open(&png).unwrap().to_rgb8();
    let orig = image::open(root().join("examples/flyer_defect.png")).unwrap().to_rgb8();
    // The image, plus a strip below with the wrong glyph next to the intended character.
    assert_eq!(img.width(), orig.width());
    assert!(img.height() > orig.height(), "glyph strip missing");
    // Something was drawn in red around the wrong glyph.
    let red = img.pixels().filter(|p| p[0] > 200 && p[1] < 60 && p[2] < 60).count();
    assert!(red > 50, "{red} red pixels");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["verdict"], "fail");
}

#[test]
fn bad_check_input_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("text.txt");
    std::fs::write(&latin1, [0xC4u8, 0xE3, 0xBA, 0xC3, b'\n']).unwrap(); // GBK bytes, not UTF-8
    let bad_spec = dir.path().join("spec.toml");
    std::fs::write(&bad_spec, "blocks = [ { text = 3 } ]").unwrap();
    let missing = dir.path().join("nope.txt");
    for (args, what) in [
        (vec!["check", "examples/flyer.png", "--text-file", latin1.to_str().unwrap()], "UTF-8"),
        (vec!["check", "examples/flyer.png", "--spec", bad_spec.to_str().unwrap()], "spec.toml"),
        (vec!["check", "examples/flyer.png", "--text-file", missing.to_str().unwrap()], "no such file"),
        (vec!["check", "examples/nope.png", "--text", "你好"], "no such file"),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(what) && !err.contains("panicked"), "{err}");
    }
}

/// Generates synthetic pages of one defect kind and checks them with the library.
fn synth_check(defect: &str, n: u64) -> Vec<(Vec<String>, Vec<String>, Outcome)> {
    let assets = cjkcheck::synth::Assets::bundled().unwrap();
    let profile = Profile::builtin("print").unwrap();
    (0..n)
        .map(|i| {
            let kinds = ["poster".to_string(), "flyer".to_string(), "ui".to_string()];
            let item = cjkcheck::synth::make_item(&assets, 4242, i, &kinds, &[defect.to_string()]);
            let img = image::load_from_memory(&item.png).unwrap().to_rgb8();
            let spec: Spec = toml::from_str(&item.spec_toml).unwrap();
            let page = common::reader().read(&img).unwrap();
            let r = check_page("synth", &img, &page, Some(&Intended::from_spec(&spec, None)), &profile, Some(refs()), Some(common::reader()));
            let fired: Vec<String> = r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.clone()).collect();
            (item.truth.rules.clone(), fired, r.verdict)
        })
        .collect()
}

#[test]
fn synthetic_text_defects_are_caught() {
    // Caught = the page fails with a text or glyph error (a look-alike the recogniser drops at 14 px is
    // reported as text.missing: still failed, at the right place). At least 3 of 4 pages per kind: a
    // look-alike pair at 11 px (日/曰) is beyond any reader; exact-rule recall is in reports/gate-eval.md.
    for defect in ["lookalike", "char_dropped", "char_added"] {
        let results = synth_check(defect, 4);
        let caught = results
            .iter()
            .filter(|(_, fired, verdict)| *verdict == Outcome::Fail && fired.iter().any(|r| r.starts_with("text.") || r.starts_with("glyph.")))
            .count();
        let exact = results.iter().filter(|(want, fired, _)| want.iter().all(|w| fired.contains(w))).count();
        assert!(caught >= 3 && exact >= 2, "{defect}: caught {caught}/4, exact rule {exact}/4: {results:?}");
    }
}

#[test]
fn synthetic_punctuation_defects_are_caught_by_their_rule() {
    // A mark at a forbidden line edge (also when the recogniser drops it: its ink, or its place in
    // the recogniser's second look, is judged) and a half-width mark between two characters. At
    // least 3 of 4 pages per kind; recall per kind is in reports/gate-eval.md.
    for defect in ["punct_line_start", "punct_line_end", "halfwidth_punct"] {
        let results = synth_check(defect, 4);
        let exact = results.iter().filter(|(want, fired, _)| want.iter().all(|w| fired.contains(w))).count();
        assert!(exact >= 3, "{defect}: expected rule on {exact}/4: {results:?}");
    }
}

#[test]
fn synthetic_clean_pages_have_no_text_or_glyph_errors() {
    for (_, fired, _) in synth_check("clean", 4) {
        assert!(!fired.iter().any(|r| r.starts_with("text.") || r.starts_with("glyph.")), "{fired:?}");
    }
}

/// Synthetic pages (seed 4242) whose pseudo-character is drawn at `min_em` px or more: for each,
/// whether a `glyph.garbled` error lands on it, and that error's message.
fn garbled_at_size(defect: &str, min_em: f32, n: usize) -> Vec<(bool, String)> {
    let assets = cjkcheck::synth::Assets::bundled().unwrap();
    let profile = Profile::builtin("print").unwrap();
    let kinds = ["poster".to_string()];
    let mut out = Vec::new();
    for i in 0..200u64 {
        if out.len() == n {
            break;
        }
        let item = cjkcheck::synth::make_item(&assets, 4242, i, &kinds, &[defect.to_string()]);
        let Some(t) = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some(defect) && g.em_box[2] >= min_em) else { continue };
        let bb = t.bbox.unwrap();
        let img = image::load_from_memory(&item.png).unwrap().to_rgb8();
        let spec: Spec = toml::from_str(&item.spec_toml).unwrap();
        let page = common::reader().read(&img).unwrap();
        let r = check_page("synth", &img, &page, Some(&Intended::from_spec(&spec, None)), &profile, Some(refs()), Some(common::reader()));
        let hit = r.findings.iter().find(|f| {
            f.rule == "glyph.garbled"
                && f.bbox.is_some_and(|b| {
                    let (cx, cy) = (b[0] + b[2] / 2.0, b[1] + b[3] / 2.0);
                    cx >= bb[0] as f32 && cx <= (bb[0] + bb[2]) as f32 && cy >= bb[1] as f32 && cy <= (bb[1] + bb[3]) as f32
                })
        });
        out.push((hit.is_some(), hit.map(|f| f.message.clone()).unwrap_or_default()));
    }
    out
}

#[test]
fn large_pseudo_characters_with_a_stroke_removed_are_garbled_and_the_stroke_named() {
    // At 48 px and up a removed stroke is plain to see; reports/gate-eval.md has recall by size.
    let r = garbled_at_size("stroke_removed", 48.0, 3);
    assert_eq!(r.len(), 3);
    let caught: Vec<&(bool, String)> = r.iter().filter(|x| x.0).collect();
    assert!(caught.len() >= 2, "{r:?}");
    assert!(caught.iter().any(|x| x.1.contains("missing")), "{r:?}");
}

#[test]
fn small_pseudo_characters_are_caught_by_their_grey_level_residual() {
    // From 20 px up: below about 48 px a stroke is one to four pixels wide and binarised ink barely
    // resolves it; the grey-level residual against the glyph's own face does. Seed 4242's first
    // four such pages (reports/gate-eval.md has recall by kind and size).
    let r = garbled_at_size("stroke_removed", 20.0, 4);
    assert_eq!(r.len(), 4);
    let caught: Vec<&(bool, String)> = r.iter().filter(|x| x.0).collect();
    assert!(caught.len() >= 2, "{r:?}");
    assert!(caught.iter().any(|x| x.1.contains("% of the character's ink") && x.1.contains("stroke")), "the residual names the stroke: {r:?}");
}

#[test]
fn second_look_tells_a_reading_slip_from_a_wrong_or_missing_character() {
    // The bundled flyer against intended texts it does not show. The recogniser's own evidence (its
    // per-step posterior) finds no room for an added character and strongly prefers what is drawn
    // over a look-alike; the intended text itself leaves nothing to look at twice.
    use cjkcheck::align::second_look::second_look;
    let img = cjkcheck::load::load_image(&root().join("examples/flyer.png"), &Default::default()).unwrap();
    let spec = Spec::load(&root().join("examples/flyer.toml")).unwrap();
    let page = common::reader().read(&img).unwrap();
    let profile = Profile::builtin("print").unwrap();
    let look = |from: &str, to: &str| {
        let mut s = spec.clone();
        let b = s.blocks.iter_mut().find(|b| b.text.contains(from)).unwrap();
        b.text = b.text.replace(from, to);
        let it = Intended::from_spec(&s, None);
        let an = cjkcheck::check::analyze(&img, &page, Some(&it), Some(refs()), Some(common::reader()));
        let report = check_page("flyer", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
        (second_look(&page, an.alignment.as_ref().unwrap()), report)
    };
    let (same, report) = look("切勿", "切勿");
    assert!(same.is_empty(), "{same:?}");
    assert_eq!(report.verdict, Outcome::Pass);

    let (added, report) = look("按时", "按时地");
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(!added[0].marks_only && added[0].nats > profile.thresholds.reread_nats + 2.0, "{added:?}");
    let missing: Vec<_> = report.findings.iter().filter(|f| f.rule == "text.missing" && f.severity == Severity::Error).collect();
    assert!(missing.len() == 1 && missing[0].message.contains('地'), "{:?}", report.findings);

    let (swapped, report) = look("切勿", "切匆");
    assert_eq!(swapped.len(), 1, "{swapped:?}");
    assert!(swapped[0].nats > 3.0, "{swapped:?}");
    assert!(report.findings.iter().any(|f| f.rule == "glyph.substituted" && f.severity == Severity::Error && f.message.contains('匆')), "{:?}", report.findings);
}

/// Item `index` of synthetic seed `seed` (all kinds and defects, as `cjkcheck synth` makes them):
/// the item, its image, its intended text and the recogniser's page.
fn seeded_item(seed: u64, index: u64) -> (cjkcheck::synth::Item, image::RgbImage, Intended, cjkcheck::ocr::Page) {
    item_of(seed, index, &all_defects())
}

/// Every defect `cjkcheck synth` draws from by default.
fn all_defects() -> Vec<String> {
    cjkcheck::synth::DEFECTS.iter().map(|s| s.to_string()).collect()
}

/// Item `index` of the synthetic corpus of `seed` drawn from `defects`, decoded and read.
fn item_of(seed: u64, index: u64, defects: &[String]) -> (cjkcheck::synth::Item, image::RgbImage, Intended, cjkcheck::ocr::Page) {
    let assets = cjkcheck::synth::Assets::bundled().unwrap();
    let kinds: Vec<String> = ["poster", "flyer", "ui"].iter().map(|s| s.to_string()).collect();
    let item = cjkcheck::synth::make_item(&assets, seed, index, &kinds, defects);
    let img = image::load_from_memory(&item.png).unwrap().to_rgb8();
    let spec: Spec = toml::from_str(&item.spec_toml).unwrap();
    let it = Intended::from_spec(&spec, None);
    let page = common::reader().read(&img).unwrap();
    (item, img, it, page)
}

/// The `print` check of item `index` of the synthetic corpus of `seed` drawn from `defects`, with
/// the item.
fn checked_item(seed: u64, index: u64, defects: &[String]) -> (cjkcheck::synth::Item, cjkcheck::check::CheckReport) {
    let (item, img, it, page) = item_of(seed, index, defects);
    let profile = Profile::builtin("print").unwrap();
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    (item, report)
}

/// The `print` check of item `index` of a corpus of clean pages only (`synth --defects clean`).
fn clean_check(seed: u64, index: u64) -> (cjkcheck::synth::Item, cjkcheck::check::CheckReport) {
    let (item, report) = checked_item(seed, index, &["clean".to_string()]);
    assert_eq!(item.truth.defect, "clean");
    (item, report)
}

/// The `print` check of a seeded synthetic item (all kinds and defects), with the item.
fn seeded_check(seed: u64, index: u64) -> (cjkcheck::synth::Item, cjkcheck::check::CheckReport) {
    checked_item(seed, index, &all_defects())
}

/// The report's first error finding of `rule` (panics, showing the findings, when there is none).
fn error_finding<'a>(report: &'a cjkcheck::check::CheckReport, rule: &str) -> &'a cjkcheck::verdict::Finding {
    report.findings.iter().find(|f| f.rule == rule && f.severity == Severity::Error).unwrap_or_else(|| panic!("no {rule} error: {:#?}", report.findings))
}

/// The image box `[x, y, w, h]` of the item's glyph drawn with a defect.
fn defect_box(item: &cjkcheck::synth::Item) -> [f32; 4] {
    item.truth.glyphs.iter().find(|g| g.defect.is_some()).unwrap().bbox.unwrap().map(|v| v as f32)
}

/// The report's `glyph.garbled` error, which must be boxed where the item's defect glyph is drawn
/// (its corner within 4 pixels).
fn garbled_at_defect<'a>(item: &cjkcheck::synth::Item, report: &'a cjkcheck::check::CheckReport) -> &'a cjkcheck::verdict::Finding {
    let f = error_finding(report, "glyph.garbled");
    let (t, b) = (defect_box(item), f.bbox.unwrap());
    assert!((b[0] - t[0]).abs() <= 4.0 && (b[1] - t[1]).abs() <= 4.0, "{b:?} vs truth {t:?}");
    f
}

#[test]
fn a_character_the_first_reading_skips_in_a_dense_line_is_found_by_the_second_view() {
    // Seed 303, item 25: a clean flyer whose 12th line "欢迎大家踊跃参加" the recogniser reads
    // without 踊: there the intended text is less likely than the reading. Read again 1.5 times
    // wider, the line holds 踊: an unsure reading, not a missing character.
    let (item, img, it, page) = seeded_item(303, 25);
    assert!(item.truth.rules.is_empty(), "a clean page: {:?}", item.truth.rules);
    let stretch = |an: &cjkcheck::check::Analysis| {
        let a = an.alignment.as_ref().unwrap();
        an.disagreements
            .iter()
            .find(|d| a.blocks.iter().find(|b| b.block == d.block).is_some_and(|b| b.chars[d.first..d.end].iter().any(|c| c == "踊")))
            .map(|d| d.nats)
    };
    let first = stretch(&cjkcheck::check::analyze(&img, &page, Some(&it), Some(refs()), None)).expect("the first view misses 踊");
    let both = stretch(&cjkcheck::check::analyze(&img, &page, Some(&it), Some(refs()), Some(common::reader()))).unwrap();
    assert!(first > 0.3 && both < 0.0, "踊: {first} nats in the first view, {both} with the second");
    let profile = Profile::builtin("print").unwrap();
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    let text_errors: Vec<&str> = report.findings.iter().filter(|f| f.severity == Severity::Error && f.rule.starts_with("text.")).map(|f| f.message.as_str()).collect();
    assert!(text_errors.is_empty(), "{text_errors:?}");
}

#[test]
fn a_pseudo_character_the_recogniser_runs_into_its_neighbour_is_judged_by_its_ink() {
    // Seed 202, item 141: a flyer whose 温 has its 氵 swapped for 口. The recogniser reads the
    // pseudo-character and the glyph before it as one, so 温 is missing from the reading with its
    // ink inside the neighbour's box; that ink, compared with 温, leaves a patch.
    let (item, img, it, page) = seeded_item(202, 141);
    assert!(item.truth.glyphs.iter().any(|g| g.defect.as_deref() == Some("component_swapped") && g.char.as_deref() == Some("温")));
    let profile = Profile::builtin("print").unwrap();
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    let garbled: Vec<&str> = report.findings.iter().filter(|f| f.rule == "glyph.garbled").map(|f| f.message.as_str()).collect();
    assert!(garbled.iter().any(|m| m.contains("«温» was not read")), "{:?}", report.findings.iter().map(|f| &f.message).collect::<Vec<_>>());
    assert_eq!(garbled.len(), 1, "{garbled:?}");
    // The report carries the comparison's numbers, and the annotated strip shows the ink beside 温.
    let u = report.unread_glyphs.iter().find(|u| u.intended == "温").expect("the unread glyph is in the report");
    assert!(u.residual.is_some_and(|r| r.missing > 0.0 || r.extra > 0.0), "{u:?}");
    let annotated = cjkcheck::report::annotate::annotate_report(&img, &report);
    let with_strip = cjkcheck::report::annotate::with_glyph_strip(&img, &annotated, &report, refs());
    assert!(with_strip.height() > annotated.height(), "the glyph strip is drawn");
}

#[test]
fn a_blocks_first_mark_left_unread_is_found_by_its_ink() {
    // Seed 101, item 161: a clean flyer whose block opens with a 4-pixel “ the recogniser does not
    // read. Its ink is there, before the first glyph read: an unsure reading, not a missing mark.
    let (item, report) = seeded_check(101, 161);
    assert!(item.truth.rules.is_empty(), "a clean page: {:?}", item.truth.rules);
    let msgs: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(!report.findings.iter().any(|f| f.rule == "text.missing"), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("«“» at the line's start was not read, but its ink is there")), "{msgs:?}");
}

#[test]
fn a_mark_the_line_box_clips_at_the_end_gets_its_own_small_box() {
    // Seed 101, item 253: a flyer line ending "送服，" whose detected box stops inside the 4-pixel
    // comma. The recogniser still reads the comma (placed past the strip's content); it gets the
    // ink at the end of the line, and 服 keeps its own, whole.
    let (item, _, _, page) = seeded_item(101, 253);
    let truth = |c: &str, y: i32| item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some(c) && g.bbox.is_some_and(|b| (b[1] as i32 - y).abs() < 20)).and_then(|g| g.bbox).unwrap();
    let (fu, comma) = (truth("服", 545), truth("，", 545));
    let line = page.lines.iter().find(|l| l.text.ends_with("送服，")).expect("the line is read");
    let n = line.chars.len();
    let (g_fu, g_comma) = (&line.chars[n - 2], &line.chars[n - 1]);
    assert!(g_comma.ink_found && g_comma.bbox[2] <= 6.0, "the comma's box {:?} (truth {comma:?})", g_comma.bbox);
    assert!((g_fu.bbox[0] - fu[0] as f32).abs() <= 2.0 && (g_fu.bbox[2] - fu[2] as f32).abs() <= 2.0, "服's box {:?}, truth {fu:?}", g_fu.bbox);
}

#[test]
fn a_digit_read_as_a_letter_is_judged_by_its_ink() {
    // Seed 101, item 284: a clean page whose 9 the recogniser reads as q (0.98). Its ink, compared
    // with both, does not favour q by the margin: an unsure reading, not a wrong character.
    let (item, report) = seeded_check(101, 284);
    assert!(item.truth.glyphs.iter().all(|g| g.defect.is_none()), "a clean page");
    let msgs: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.substituted"), "{msgs:?}");
    // (Drawn at the line's scale, its grey levels even favour 9: `mark_grey_ratio`.)
    assert!(msgs.iter().any(|m| m.contains("«9» was read as «q»") && (m.contains("does not clearly tell them apart") || m.contains("its ink matches «9»"))), "{msgs:?}");
}

#[test]
fn a_blocks_last_marks_misread_as_a_letter_are_found_by_their_ink() {
    // Seed 202, item 170: a clean page whose block ends "…」。", read as "…J". The J is text no
    // block explains; the two marks are missing from the reading, but their ink is at the line's
    // end: unsure readings, not missing marks.
    let (item, report) = seeded_check(202, 170);
    assert!(item.truth.glyphs.iter().all(|g| g.defect.is_none()), "a clean page");
    let msgs: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("text.")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("«。» at the line's end was not read, but its ink is there")), "{msgs:?}");
}

#[test]
fn glyphs_too_small_for_their_strokes_to_be_compared_are_named_in_a_notice() {
    // Seed 202, item 14: a clean UI screen whose last line is set at about 15 px per em, judged
    // with a profile whose residual rule needs 16 px.
    let (_, img, it, page) = seeded_item(202, 14);
    let mut profile = Profile::builtin("print").unwrap();
    let min_em = 16.0;
    profile.thresholds.garbled_residual_min_em_px = min_em;
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    let notice: Vec<&cjkcheck::verdict::Finding> = report.findings.iter().filter(|f| f.rule == "glyph.unverified").collect();
    assert_eq!(notice.len(), 1, "{:#?}", report.findings);
    let n = notice[0];
    assert_eq!(n.severity, Severity::Info);
    assert_eq!(n.threshold, Some(min_em));
    // It counts the Han glyphs read as intended on the lines drawn under that size, and only those.
    let small_lines: Vec<usize> = report.lines.iter().enumerate().filter(|(_, l)| l.em_px < min_em).map(|(i, _)| i).collect();
    assert!(!small_lines.is_empty());
    let counted = report.glyphs.iter().filter(|g| small_lines.contains(&g.line) && g.verify.is_some() && g.status == cjkcheck::rules::GlyphStatus::Ok).count();
    assert_eq!(n.measured, Some(counted as f32), "{}", n.message);
    assert!(n.message.contains(&format!("line {}", small_lines[0] + 1)), "{}", n.message);
    assert_ne!(report.verdict, Outcome::Fail);
}

#[test]
fn a_look_alike_the_recogniser_reads_as_intended_is_told_by_its_ink() {
    // Seed 101, item 1: 曰 drawn where the text says 日. The recogniser reads 日 (0.94), with 曰 its
    // next likeliest reading; the ink leaves about half the residual against 曰 it leaves against 日.
    let (item, report) = seeded_check(101, 1);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("lookalike")).unwrap();
    assert_eq!((t.char.as_deref(), t.rendered.as_deref()), (Some("日"), Some("曰")));
    let tb = t.bbox.unwrap().map(|v| v as f32);
    let f = report.findings.iter().find(|f| f.rule == "glyph.substituted").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("should be «日» but is «曰»"), "{}", f.message);
    let b = f.bbox.unwrap();
    assert!((b[0] - tb[0]).abs() <= 3.0 && (b[1] - tb[1]).abs() <= 3.0, "{b:?} vs truth {tb:?}");
    assert!(f.measured.unwrap() < f.threshold.unwrap());
    assert_eq!(report.verdict, Outcome::Fail);
    // The annotated strip shows, beside the glyph and 日 (green), the 曰 it is (red): a third cell.
    let (_, img, _, _) = seeded_item(101, 1);
    let annotated = cjkcheck::report::annotate::annotate_report(&img, &report);
    let strip = cjkcheck::report::annotate::with_glyph_strip(&img, &annotated, &report, refs());
    let third_cell_red = (annotated.height()..strip.height()).any(|y| (170..strip.width().min(260)).any(|x| strip.get_pixel(x, y).0 == cjkcheck::report::annotate::RED));
    assert!(third_cell_red, "the character the ink is gets a red-boxed cell");
    // The other 日 on the page, drawn as 日, stays ok.
    let others: Vec<_> = report.glyphs.iter().filter(|g| g.intended.as_deref() == Some("日") && (g.bbox[0] - tb[0]).abs() > 10.0).collect();
    assert!(!others.is_empty() && others.iter().all(|g| g.status == cjkcheck::rules::GlyphStatus::Ok), "{others:#?}");
}

#[test]
fn a_look_alike_drawn_wider_for_its_height_is_told_by_its_proportions() {
    // Seed 505, item 125: 曰 drawn at 16 px where the text says 日, in a kai line of 35 glyphs. The
    // recogniser reads 日; the residuals against 日 and 曰 are nearly alike (a fit that normalises
    // size and small aspect changes sees the same box), but the glyph is as wide for its height as
    // 曰 is in the line's face, a fifth wider than 日.
    let (item, report) = seeded_check(505, 125);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("lookalike")).unwrap();
    assert_eq!((t.char.as_deref(), t.rendered.as_deref()), (Some("日"), Some("曰")));
    let tb = t.bbox.unwrap().map(|v| v as f32);
    // Since the residual over the pixels where 日 and 曰 differ is compared too, that speaks first
    // here (50 %); the proportions, measured as before, say the same.
    let f = report.findings.iter().find(|f| f.rule == "glyph.substituted" && f.message.contains("should be «日» but is «曰»")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    let b = f.bbox.unwrap();
    assert!((b[0] - tb[0]).abs() <= 3.0 && (b[1] - tb[1]).abs() <= 3.0, "{b:?} vs truth {tb:?}");
    if f.message.contains("width for its height") {
        assert!(f.measured.unwrap() >= f.threshold.unwrap());
    } else {
        assert!(f.message.contains("where «曰» and «日» differ") && f.measured.unwrap() < f.threshold.unwrap(), "{}", f.message);
    }
    let profile = Profile::builtin("print").unwrap();
    let c = report.glyphs.iter().filter_map(|g| g.verify.as_ref()).find(|c| c.alternative.as_ref().is_some_and(|a| a.char == "曰") && c.intended == "日").expect("the glyph's check");
    let gain = c.alternative.as_ref().unwrap().aspect_gain.expect("proportions measured");
    assert!(gain >= profile.thresholds.alternative_aspect_gain, "{gain}");
    // Every 日 drawn as 日 on the page stays ok.
    let others: Vec<_> = report.glyphs.iter().filter(|g| g.intended.as_deref() == Some("日") && (g.bbox[0] - tb[0]).abs() > 10.0).collect();
    assert!(!others.is_empty() && others.iter().all(|g| g.status != cjkcheck::rules::GlyphStatus::Substituted), "{others:#?}");
}

#[test]
fn a_glyph_shifted_in_a_line_of_two_is_found_against_the_other() {
    // Seed 404, item 142: in the line «送服。», 服 is set 0.134 em above 送. With two Han glyphs
    // there is no line to fit; their offset from each other is judged.
    let (item, report) = seeded_check(404, 142);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("baseline_jitter")).unwrap();
    assert_eq!(t.char.as_deref(), Some("服"));
    let f = report.findings.iter().find(|f| f.rule == "layout.baseline").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«送» and «服»"), "{}", f.message);
    assert!(f.measured.unwrap() > f.threshold.unwrap());
}

#[test]
fn a_mark_whose_box_holds_half_of_it_is_compared_whole() {
    // Seed 404, item 180 (clean): the recogniser's box for “ holds only its right comma and reads
    // ‘. The mark's ink is looked for between its neighbours, and all of it matches “.
    let (item, report) = seeded_check(404, 180);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let f = report.findings.iter().find(|f| f.message.contains("«“» was read as «‘»")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("its ink matches «“»"), "{}", f.message);
}

#[test]
fn a_turned_glyph_is_measured_by_the_turn_of_its_character_that_fits_its_ink() {
    // Seed 101, item 147: 高 drawn turned 14.4° anticlockwise at a 22 px em. Its stroke axis does
    // not tell (too few straight strokes at that size); its character's rendering, turned, leaves
    // a quarter of what it leaves upright.
    let (item, report) = seeded_check(101, 147);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("glyph_rotated")).unwrap();
    let truth_deg = t.detail["angle_deg"].as_f64().unwrap() as f32;
    let tb = t.bbox.unwrap().map(|v| v as f32);
    let rot: Vec<_> = report.findings.iter().filter(|f| f.rule == "layout.rotation").collect();
    assert_eq!(rot.len(), 1, "{:#?}", report.findings);
    let b = rot[0].bbox.unwrap();
    assert!((b[0] - tb[0]).abs() <= 3.0 && (b[1] - tb[1]).abs() <= 3.0, "{b:?} vs truth {tb:?}");
    assert!((rot[0].measured.unwrap() - truth_deg.abs()).abs() <= 2.0, "measured {:?}, drawn {truth_deg}", rot[0].measured);
    let g = report.glyphs.iter().find(|g| (g.bbox[0] - tb[0]).abs() <= 3.0 && (g.bbox[1] - tb[1]).abs() <= 3.0).unwrap();
    let turn = g.verify.as_ref().and_then(|v| v.turn).expect("the turn is measured");
    assert!(turn.deg.signum() == truth_deg.signum() && turn.left < 0.5, "{turn:?}");
    // Its patches against the upright character are the turn's, not a garbled glyph's.
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled" || f.rule == "glyph.suspect"), "{:#?}", report.findings);
}

#[test]
fn a_character_past_the_detected_end_of_its_line_is_judged_by_its_ink() {
    // Seed 707, item 114 (clean): «限时优惠 仅» at an 84 px em; the detector ends the line at 惠,
    // before the space, and 仅 is never read. Its ink past the line's end matches 仅's strokes: a
    // warning to look, not a missing character.
    let (item, report) = seeded_check(707, 114);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let f = report.findings.iter().find(|f| f.rule == "glyph.low_confidence" && f.message.contains("«仅» was not read")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    let t = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("仅")).unwrap();
    let (tb, b) = (t.bbox.unwrap().map(|v| v as f32), f.bbox.unwrap());
    assert!((b[0] - tb[0]).abs() <= 4.0 && (b[1] - tb[1]).abs() <= 4.0, "{b:?} vs truth {tb:?}");
}

#[test]
fn a_line_whose_glyphs_split_between_two_faces_is_sized_in_the_one_they_agree_in() {
    // Seed 707, item 199 (clean): a Kai bold line at 23 px, where 12 of its 19 glyphs fit a bold
    // sans best and 7 the Kai. In the sans 口 is drawn larger, so measured in that face the line's
    // 口 looked 86% of its neighbours' size; in the Kai the glyphs agree, and the page passes.
    let (item, report) = seeded_check(707, 199);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    // A glyph drawn at 79% (seed 101, item 23: 本 in a bold sans line) is still found.
    let (item, report) = seeded_check(101, 23);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("glyph_resized")).unwrap();
    let f = report.findings.iter().find(|f| f.rule == "layout.size").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains(&format!("«{}»", t.char.as_deref().unwrap())), "{}", f.message);
}

#[test]
fn a_line_shifted_in_a_block_of_two_is_measured_by_its_whole_offset() {
    // Seed 101, item 62: the second of two left-aligned lines is set 0.5 em to the right. Against
    // a median over both lines each would be a quarter em off; against the other line it is half.
    let (item, report) = seeded_check(101, 62);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("line_misaligned")).unwrap();
    let shift = t.detail["shift_em"].as_f64().unwrap() as f32;
    let f = report.findings.iter().find(|f| f.rule == "block.alignment").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!((f.measured.unwrap() - shift.abs()).abs() <= 0.1, "measured {:?}, drawn {shift}", f.measured);
}

#[test]
fn a_mark_at_a_lines_start_or_end_sets_its_edge_as_it_is_set() {
    // Seed 101, item 216 (clean): a left-aligned block whose first line opens with a “ set
    // proportionally, its ink at the line's edge; taking a full-width slot for it put the line
    // 0.8 em off. Item 186: a line opening with a 。 the recogniser did not read, its edge at the
    // 「 after it, 0.9 em in. Both blocks are aligned.
    for (index, defect) in [(216, "clean"), (186, "punct_line_start")] {
        let (item, report) = seeded_check(101, index);
        assert_eq!(item.truth.defect, defect);
        assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "item {index}: {:#?}", report.findings);
    }
}

#[test]
fn a_resized_glyph_is_sized_from_sub_pixel_ink_edges() {
    // Seed 101: item 179, 可 drawn at 79% in a 19 px bold sans line (whole-pixel extents are ±10%
    // there, so the limit was ±16%); item 99, 体 drawn at 124% in a 23 px line, its ink running
    // into its neighbours' so only its height tells its size.
    for index in [179, 99] {
        let (item, report) = seeded_check(101, index);
        let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("glyph_resized")).unwrap();
        let f = report.findings.iter().find(|f| f.rule == "layout.size").unwrap_or_else(|| panic!("item {index}: {:#?}", report.findings));
        assert!(f.message.contains(&format!("«{}»", t.char.as_deref().unwrap())), "item {index}: {}", f.message);
    }
}

#[test]
fn a_reading_proportioned_like_the_glyph_but_leaving_a_patch_is_not_taken_for_it() {
    // Seed 808, item 218 (clean): 同 at 16 px, read as 同 with 伺 a distant alternative. 伺 is
    // narrower, and the glyph's width for its height is nearer 伺's; its rms residual is even a
    // little less, but it leaves 同's ink lacking 伺's 亻 (a 4% patch) where 同 leaves none.
    let (item, report) = seeded_check(808, 218);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let g = report.glyphs.iter().find(|g| g.intended.as_deref() == Some("同") && g.verify.as_ref().is_some_and(|v| v.alternative.as_ref().is_some_and(|a| a.char == "伺"))).expect("同 compared with 伺");
    assert_eq!(g.status, cjkcheck::rules::GlyphStatus::Ok, "{g:#?}");
}

#[test]
fn an_unread_pseudo_character_whose_character_the_recogniser_finds_likely_is_judged_by_its_ink() {
    // Seed 808, item 270: a 35 px poster title whose 药 has its 艹 swapped for 厢's 厂. The
    // recogniser reads no character there, and its ink matches 药's strokes too poorly to count as
    // a faint 药; but the recogniser finds 药 nearly as likely there, and that ink, compared with
    // 药, leaves a patch: a pseudo-character, not a reading slip.
    let (item, report) = seeded_check(808, 270);
    assert!(item.truth.glyphs.iter().any(|g| g.defect.as_deref() == Some("component_swapped") && g.char.as_deref() == Some("药")));
    let u = report.unread_glyphs.iter().find(|u| u.intended == "药").expect("the unread glyph is in the report");
    assert!(!u.matches, "{u:?}");
    let f = report.findings.iter().find(|f| f.rule == "glyph.garbled").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«药» was not read"), "{}", f.message);
}

#[test]
fn an_unread_glyph_in_the_other_script_is_a_variant_not_a_pseudo_character() {
    // Seed 101, item 188: 從 drawn for 从 in Simplified text. The recogniser reads nothing there
    // and finds 从 likely; the ink is not 从, but it is 從's strokes: the wrong script, not garbled.
    let (item, report) = seeded_check(101, 188);
    assert_eq!(item.truth.defect, "variant_mix");
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
    let f = report.findings.iter().find(|f| f.rule == "script.variant_mix").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«從»") && f.message.contains("«从»"), "{}", f.message);
}

#[test]
fn a_line_whose_end_glyphs_have_no_ink_found_is_not_measured_at_that_end() {
    // Seed 909, items 32 and 70 (clean): tightly spaced lines of a thin face, where a squeezed
    // line's glyphs near one end (item 70), or all of a line's (item 32), had no ink found. Their
    // edges were taken at the first glyph with ink, or at zero: lines 6 to 36 em "off" their
    // block's alignment. A line's edge is measured only where its end glyph was found.
    for index in [32, 70] {
        let (item, report) = seeded_check(909, index);
        assert_eq!(item.truth.defect, "clean");
        assert!(!report.findings.iter().any(|f| f.rule.starts_with("block.")), "item {index}: {:#?}", report.findings);
    }
}

#[test]
fn a_gradients_one_level_step_in_a_channel_is_not_taken_for_ink() {
    // Seed 909, items 70 and 124 (clean, a vertical gradient behind the text): the gradient's blue
    // channel steps by one level across a line and the text shares that blue, so Otsu on the blue
    // channel split it perfectly and won over luma; a band of background then ran across the tops
    // of the line's glyphs, and baseline, size and pitch findings followed.
    for index in [70, 124] {
        let (item, report) = seeded_check(909, index);
        assert_eq!(item.truth.defect, "clean");
        assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "item {index}: {:#?}", report.findings);
    }
}

#[test]
fn a_large_glyph_of_two_strokes_keeps_both() {
    // Seed 909, item 119 (clean): «八折» at a 72 px em. The empty gap between 八's strokes lay
    // nearer the recogniser's boundary than the seam to 折 (where 八's foot and 折 share a column or
    // two); cut there, both glyphs were called garbled.
    let (item, report) = seeded_check(909, 119);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.")), "{:#?}", report.findings);
}

#[test]
fn look_alikes_are_told_whatever_the_recogniser_makes_of_them() {
    // Seed 909: item 83, 兔 drawn for 免 at 14 px and read as 兔 — against 免 its dot is left over,
    // though the two residuals differ by only that dot; item 292, 曰 drawn for 日 at 20 px and read
    // as 日 with no chance given to 曰 — compared with 曰 as 日's known look-alike.
    for (index, want, is) in [(83, "免", "兔"), (292, "日", "曰")] {
        let (item, report) = seeded_check(909, index);
        assert_eq!(item.truth.defect, "lookalike");
        let f = report.findings.iter().find(|f| f.rule == "glyph.substituted").unwrap_or_else(|| panic!("item {index}: {:#?}", report.findings));
        assert!(f.message.contains(&format!("«{want}»")) && f.message.contains(&format!("«{is}»")), "{}", f.message);
    }
}

#[test]
fn a_glyph_run_together_with_an_unread_neighbour_is_judged_on_its_own_ink() {
    // Seed 1010, item 213 (clean): «人拗先生» at 20 px. The recogniser skips the rare 拗 and reads
    // 人 over both glyphs' ink (a 40 px box); compared with 人, that box held 72% extra ink and 人
    // was called garbled. Its own part of the box holds 人 alone.
    let (item, report) = seeded_check(1010, 213);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled" || f.rule == "glyph.substituted"), "{:#?}", report.findings);
    // 拗 is still looked at where it stands, and found to be drawn.
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("«拗»")), "{:#?}", report.findings);
}

// Clean pages of a corpus of clean pages only (`synth --defects clean --seed 4242`), each failed by
// the gate before the change its test names.

#[test]
fn a_read_glyphs_box_run_over_an_unread_neighbour_is_measured_against_the_lines_glyphs() {
    // Item 34: «打喷嚏时» at 19 px in a display face, 嚏 unread and 时's box over both (36 px). The
    // line's box is a third taller than its glyphs (em 25 px): judged by the em, that box was not
    // long enough to hold two glyphs, and 时 was called garbled; by its line-mates' length it is.
    let (item, report) = clean_check(4242, 34);
    assert!(item.spec_toml.contains("喷嚏时"));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn an_unread_mark_between_two_pieces_of_one_row_is_inside_the_row() {
    // Items 27 and 138: the detector split a row at the gap around an unread or read mark
    // («，（» and «！（»); the piece after the gap starts a pixel higher. «（» was taken to end the
    // first piece's line (item 27), and «！» to start a line (item 138): the pieces are one row.
    for (index, text) in [(27, "，（每次"), (138, "！（坚持")] {
        let (item, report) = clean_check(4242, index);
        assert!(item.spec_toml.contains(text));
        assert!(!report.findings.iter().any(|f| f.rule.starts_with("punct.")), "item {index}: {:#?}", report.findings);
    }
}

#[test]
fn a_glyph_whose_grey_levels_match_is_not_garbled_by_its_binarised_outline() {
    // Item 35: 心 in a bold sans at 28 px. Binarised, its dots merge and its chamfer fit is ten
    // times its line-mates' (stroke 4 "missing"); its grey-level residual leaves no patch at all.
    let (item, report) = clean_check(4242, 35);
    assert!(item.spec_toml.contains('心'));
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.")), "{:#?}", report.findings);
}

#[test]
fn a_blocks_last_character_read_as_another_at_its_lines_end_is_compared_by_its_ink() {
    // Item 120: «翻印必究» at 16 px, blurred, in a brush face, read «翻印必完». Ending the block at
    // 必 (究 missing, 完 unexplained) cost as much as taking 完 for 究; the tie went to "missing",
    // an error the ink was never asked about. Taken as 究 read as 完, its ink is 究's.
    let (_, report) = clean_check(4242, 120);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("text.")), "{:#?}", report.findings);
    let f = report.findings.iter().find(|f| f.message.contains("«究»")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert_eq!(f.rule, "glyph.low_confidence", "{f:#?}");
}

#[test]
fn a_blurred_small_glyphs_size_is_judged_within_the_blurs_reach() {
    // Items 7 and 48: 14 px sans lines blurred by a sigma of 1.0 and 1.1 px; a glyph measured 14%
    // off its line-mates' size, 2 px, past the 1.5 px allowance of sharp sub-pixel edges.
    for (index, text) in [(7, "本店"), (48, "喝")] {
        let (item, report) = clean_check(4242, index);
        assert!(item.spec_toml.contains(text));
        assert!(!report.findings.iter().any(|f| f.rule == "layout.size"), "item {index}: {:#?}", report.findings);
    }
}

// Clean pages of a second clean-only corpus (`synth --defects clean --seed 4343`), each failed by
// the gate before the change its test names.

#[test]
fn two_unread_marks_across_a_break_each_take_their_own_ink() {
    // Item 6: «…血糖，» then «“欢迎…», both marks unread. The recogniser's box for 糖 took in the
    // «，», so no ink was found past the box, and the «“» at the next line's start was taken for the
    // «，»: "line 7 starts with «，»". The «，» is found past 糖's own ink; the «“» keeps its own.
    let (item, report) = clean_check(4343, 6);
    assert!(item.spec_toml.contains("血糖，"));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.message.contains("«，» at the line's end was not read")), "{:#?}", report.findings);
}

#[test]
fn a_closing_quotes_ink_stays_out_of_the_glyph_before() {
    // Item 77: «活动”» with the «。» after it unread. The quote's cell held the quote and the stop,
    // too wide for a mark: its leading piece went to 动 (called garbled), and the quote's box to
    // the stop. A closing quote's ink leads its cell, as a closing bracket's does.
    let (item, report) = clean_check(4343, 77);
    assert!(item.spec_toml.contains("活动”。"));
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn an_unread_marks_ink_inside_the_glyph_box_before_it_is_left_out() {
    // Item 93: «恢复」、» at 26 px, blurred, JPEG; the «」» unread and inside 复's box, called
    // extra ink (复 garbled). Without that thin piece standing apart at the box's end, 复 fits better.
    let (item, report) = clean_check(4343, 93);
    assert!(item.spec_toml.contains("恢复」、"));
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_glyph_boxed_apart_from_its_column_and_a_box_reaching_into_another_line_are_set_right() {
    // Item 125: the detector boxed 快 apart under its column «全民健身» as a one-glyph horizontal line
    // (block alignment errors on three lines), and boxed «安» apart from «科学用药» starting inside 药
    // (安 garbled with 药's right half in its box).
    let (item, report) = clean_check(4343, 125);
    assert!(item.spec_toml.contains("全民健身 快乐运动"));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_two_line_blocks_misalignment_is_one_finding_naming_both_lines() {
    // Seed 808, item 86: one line of a two-line block shifted 1 em. Each line is measured against
    // the other, so the offset was reported twice, once per line, each "off its block's alignment";
    // which of the two moved cannot be told, and one finding now says so.
    let (item, report) = seeded_check(808, 86);
    assert_eq!(item.truth.defect, "line_misaligned");
    let found: Vec<&str> = report.findings.iter().filter(|f| f.rule == "block.alignment").map(|f| f.message.as_str()).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("lines 4 and 5 of one block are"), "{}", found[0]);
}

#[test]
fn two_marks_read_as_one_take_the_look_alike_as_read() {
    // Seed 1111, item 244 (clean; looked at after its report): «日；“服» read «日：服». Taking ： for
    // “ (and ； missing) cost as much as taking it for ； (and “ missing); the tie went to the
    // first, so the page failed with “ "substituted" and ； "missing". A mark read as one it is often
    // confused with is the likelier pairing: ； read as ：, and “'s ink is there unread.
    let (item, report) = seeded_check(1111, 244);
    assert_eq!(item.truth.defect, "clean");
    assert!(item.spec_toml.contains("日；“服"));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_half_width_mark_before_an_opening_bracket_is_measured_to_the_brackets_box() {
    // Seed 1111 (looked at after its report), items 126, 164 and 168: «！（», «，《» and «；（»
    // with the stop set half-width. Measured to the ink of the bracket, which sits at the end of
    // its em box, each stop looked full-width (about an em). The bracket's box starts an em before
    // the Han glyph after it.
    for (index, mark) in [(126, '!'), (164, ','), (168, ';')] {
        let (item, report) = seeded_check(1111, index);
        assert_eq!(item.truth.defect, "halfwidth_punct");
        assert!(item.truth.glyphs.iter().any(|g| g.rendered.as_deref() == Some(mark.to_string().as_str())), "item {index}");
        let width: Vec<_> = report.findings.iter().filter(|f| f.rule == "punct.width").collect();
        assert_eq!(width.len(), 1, "item {index}: {:#?}", report.findings);
        assert!(width[0].measured.is_some_and(|m| m < 0.6), "item {index}: {:?}", width[0]);
    }
}

#[test]
fn an_opening_bracket_read_half_width_at_a_line_start_still_takes_its_em_slot() {
    // Clean-only seed 4444, item 129: a justified block whose second line starts with «（», read
    // as «(». Taken at its ink, which sits at the end of its em slot, the line began 0.7 em right of
    // its neighbours and both were reported misaligned. Matched to «（», the slot counts.
    let (item, report) = clean_check(4444, 129);
    assert!(item.spec_toml.contains("（欢迎大家踊跃参加）"));
    assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "{:#?}", report.findings);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_two_glyph_column_is_measured_along_the_pages_axis_not_its_boxs() {
    // Clean-only seed 4444, item 50: «凉节», a vertical column of two glyphs in an oblique face.
    // The detector boxed it 3° off the vertical; measured across that axis, the two glyphs sat 12%
    // of an em apart (limit 10% for two). The page's long lines give the axis: they sit level.
    let (item, report) = clean_check(4444, 50);
    assert!(item.spec_toml.contains("凉节"));
    assert!(!report.findings.iter().any(|f| f.rule == "layout.baseline"), "{:#?}", report.findings);
}

#[test]
fn a_closing_quotes_box_does_not_take_the_last_stroke_of_the_glyph_before() {
    // Clean-only seed 4242, item 142: «跌倒”！». The cell of ” began inside 倒, and its leading
    // piece (a closing mark's ink leads its cell) was the tall stroke of 刂: 倒 lost a quarter of
    // its ink and was called garbled. A quote's ink sits high in the line; a piece reaching well
    // below the middle goes back to the glyph before.
    let (item, report) = clean_check(4242, 142);
    assert!(item.spec_toml.contains("跌倒”"));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let quote = report.glyphs.iter().find(|g| g.char == "”").expect("the quote is read");
    let dao = report.glyphs.iter().find(|g| g.char == "倒").expect("倒 is read");
    assert!(quote.bbox[3] < 0.5 * dao.bbox[3], "the quote's box is its own ink: {:?} beside {:?}", quote.bbox, dao.bbox);
}

#[test]
fn a_small_added_stroke_at_full_depth_is_garbled() {
    // Seed 1111 (looked at after its report), item 4: 果 with a stroke added that changes 4.8 % of
    // its ink, at 15 px. The residual's extra patch is 3.4 % of the character's ink, under the 4 %
    // a shallow patch needs, but drawn at full darkness (depth 0.93): a second, smaller share
    // counts for a patch that deep (fitted: 3 % at depth 0.7; no clean glyph of the fit set and
    // no real-world glyph passes it).
    let (item, report) = seeded_check(1111, 4);
    assert_eq!(item.truth.defect, "stroke_added");
    let f = report.findings.iter().find(|f| f.rule == "glyph.garbled").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«果»"), "{}", f.message);
}

#[test]
fn a_stroke_added_where_no_line_mate_leaves_extra_ink_is_garbled() {
    // Seed 1212 (dev), item 34: 老 at 76 px with a short stroke added (5 % of its ink). The residual
    // leaves a patch of 2.6 % of the character's ink at depth 0.8: under both shares that count
    // whatever the line-mates leave (4 %; 3 % at depth 0.7). None of its line-mates leaves a patch
    // over 1 %, so the references draw the face as it is drawn and the patch is the glyph's own:
    // over the lone patch's 2.5 % (at depth 0.3), garbled. Session 24 made it a warning
    // (`glyph.suspect`); session 31 an error (`reports/dev-s31/`).
    let (item, report) = seeded_check(1212, 34);
    assert_eq!(item.truth.defect, "stroke_added");
    let f = report.findings.iter().find(|f| f.rule == "glyph.garbled").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«老»"), "{}", f.message);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.suspect"), "{:#?}", report.findings);
}

#[test]
fn a_lone_patch_on_a_small_clean_glyph_is_not_garbled() {
    // Seed 6060 (fresh clean-only seed of session 31, spent), item 293: «卫» at 15.5 px leaves a
    // patch of extra ink of 2.6 % at depth 0.6 that none of its line-mates leaves, over the lone
    // patch's 2.5 %: garbled, failing a clean page. Under 16 px a stroke is a pixel or two wide and
    // the grey edge alone leaves such a patch; there the lone patch must pass 3 %.
    let (_, report) = clean_check(6060, 293);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
}

#[test]
fn a_glyph_not_of_its_lines_size_is_not_called_turned() {
    // Seed 6161 (fresh clean-only seed of session 32, spent), item 203: the vertical column «第一»
    // is sized from its flat 一 (em 32.5 px against 第's 44). 第 fits its ink upright at 1.33× that
    // em; drawn at the line's size it fitted best turned 11°, and `layout.rotation` failed the clean
    // page.
    let (_, report) = clean_check(6161, 203);
    assert!(!report.findings.iter().any(|f| f.rule == "layout.rotation"), "{:#?}", report.findings);
}

#[test]
fn a_blurred_clean_glyph_its_alternative_fits_a_little_better_is_not_substituted() {
    // Seed 6161 (fresh clean-only seed of session 32, spent), item 119: «毫» at 19.6 px, blurred.
    // The recogniser's next reading 亳 leaves 86 % of 毫's residual, and over the pixels where the
    // two differ 49.5 %: under the contrast limit of 0.563 fitted on seven clean glyphs, so the
    // clean page failed as «毫» drawn as «亳». With this seed's and 6262's clean glyphs among the
    // look-alike limits' negatives the limit is 0.437.
    let (_, report) = clean_check(6161, 119);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.substituted"), "{:#?}", report.findings);
}

#[test]
fn a_stroke_removed_that_makes_another_character_is_caught_where_the_two_differ() {
    // Seed 3333 (fresh seed of session 32, spent), item 149: 健 with a stroke removed reads as 健,
    // and 建 leaves 97 % of its residual overall, but 38 % where 健 and 建 differ: substituted.
    let (item, report) = seeded_check(3333, 149);
    assert_eq!(item.truth.defect, "stroke_removed");
    let f = error_finding(&report, "glyph.substituted");
    assert!(f.message.contains("where «建» and «健» differ") && f.measured.unwrap() < f.threshold.unwrap(), "{}", f.message);
}

#[test]
fn a_stroke_both_measures_find_missing_is_garbled_under_the_residual_share() {
    // Seed 3333 (fresh seed of session 32, spent), item 219: 喝 at 33.5 px with its 7th stroke
    // removed leaves a missing patch of 1.5 %, under the residual's shares, and its least-covered
    // stroke is on ink at 43 %, over the stroke cover's 40 %: the page passed. But the stroke the
    // binarised match finds less than half on ink is the one whose median lies in the residual's
    // missing patch.
    let (item, report) = seeded_check(3333, 219);
    assert_eq!(item.truth.defect, "stroke_removed");
    let f = garbled_at_defect(&item, &report);
    assert!(f.message.contains("stroke 7 of 12"), "{}", f.message);
}

#[test]
fn a_stroke_added_to_a_small_glyph_is_still_garbled_alone() {
    // Seed 3232 (dev), item 75: 有 at 13.4 px with a stroke added leaves a lone patch of 3.6 %,
    // past the small glyphs' 3 %.
    let defects: Vec<String> = ["stroke_removed", "stroke_added", "component_swapped"].iter().map(|s| s.to_string()).collect();
    let (item, report) = checked_item(3232, 75, &defects);
    assert_eq!(item.truth.defect, "stroke_added");
    let f = report.findings.iter().find(|f| f.rule == "glyph.garbled").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«有»"), "{}", f.message);
}

#[test]
fn a_pseudo_character_run_into_its_neighbours_box_on_a_short_line_is_judged() {
    // Seed 2323 (looked at after its report), item 20: the 99 px title line «乐运动» with 运's 辶
    // swapped for 木, read «乐动», 乐's box over both glyphs. The unread glyph's region is the end of
    // that box one glyph long; the glyph's length was taken from the line's em, itself taken from
    // the larger side of its two boxes — the run-together one — so no region was found and 运 was
    // only an unsure reading. The line's glyphs across it give the length.
    let (item, report) = seeded_check(2323, 20);
    assert_eq!(item.truth.defect, "component_swapped");
    let f = report.findings.iter().find(|f| f.rule == "glyph.garbled").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«运»"), "{}", f.message);
}

#[test]
fn a_mark_read_as_a_letter_is_judged_by_its_ink() {
    // Seed 1212 (looked at after its report), item 48, clean: «」» read as «J» (0.95) was called
    // substituted from the reading alone. A mark and a letter have no pseudo-forms either: the ink,
    // compared with both, decides, and here it does not say J.
    let (item, report) = seeded_check(1212, 48);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_glyph_turned_within_clean_pages_noise_is_not_reported() {
    // Seed 1212 (looked at after its report), item 120, clean: 考 measured turned 6.0° against
    // its line. The rotation limit sits halfway across the gap between clean pages' turns (up to
    // 5°) and the smallest turned glyph of the fit set (7.5°), as skew and alignment limits do.
    let (item, report) = seeded_check(1212, 120);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.rule == "layout.rotation"), "{:#?}", report.findings);
}

#[test]
fn a_bracket_the_recogniser_took_into_the_glyph_beside_it_is_there_not_missing() {
    // Seed 1212 (looked at after its report), item 9, clean: «复」、» read «复、», the «」» inside
    // 复's box. 复 fits its character better without the piece standing apart at its far end, so
    // the mark's ink is there: a notice, not a missing character. Seed 1313, item 238: «「如» read
    // «如»; the corner bracket is 0.3 of an em across (since 4747/151 the cells leave it out of
    // 如's box, a glyph's width without it, and it is found at the line's start instead).
    for (seed, index, mark, host) in [(1212, 9, "」", "复"), (1313, 238, "「", "如")] {
        let (item, report) = seeded_check(seed, index);
        assert_eq!(item.truth.defect, "clean");
        assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{seed}/{index}: {:#?}", report.findings);
        let f = report.findings.iter().find(|f| {
            f.message.contains(&format!("«{mark}» was not read, but its ink is there, inside the box of «{host}»")) || (host == "如" && f.message.contains(&format!("«{mark}» at the line's start was not read, but its ink is there")))
        });
        assert!(f.is_some(), "{seed}/{index}: {:#?}", report.findings);
    }
}

#[test]
fn a_repeated_phrase_is_matched_to_its_own_lines_once() {
    // Seed 1313 (looked at after its report), item 189, clean: a block ending in its phrase
    // «；（老年人应注意防跌倒）。» a second time, the final 。 unread, and the detector splitting
    // rows at «；（». The alignment read the second phrase off the first one's lines again, left
    // the true second lines unexplained and measured the block's alignment without them.
    let (item, report) = seeded_check(1313, 189);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error || f.rule == "text.unexpected"), "{:#?}", report.findings);
}

#[test]
fn a_mark_at_a_lines_start_is_judged_as_the_mark_it_was_matched_to_or_found_below() {
    // Seed 1313 (looked at after its report), punctuation moved to a line's start: «！» read as
    // «1» (0.20, its ink matches «！») and «。» read as «O» (0.23) start their lines; they are
    // judged as the marks they were matched to, not as what the recogniser guessed (items 98,
    // 276). A «。» pushed alone onto the row below its block's last line, just above the next
    // block, is found above that block's glyphs (item 242; it was called missing).
    for index in [98, 276, 242] {
        let (item, report) = seeded_check(1313, index);
        assert_eq!(item.truth.defect, "punct_line_start");
        assert!(report.findings.iter().any(|f| f.rule == "punct.line_start"), "{index}: {:#?}", report.findings);
        assert!(!report.findings.iter().any(|f| f.rule == "text.missing"), "{index}: {:#?}", report.findings);
    }
}

#[test]
fn stops_set_in_the_other_scripts_position_are_named_and_only_those() {
    // One paragraph set twice: as Simplified text sets ，and 。 (on the baseline, at the left of
    // their em), and with each moved to the centre of its em, as Traditional text sets them. Each
    // setting checked as Simplified and as Traditional: the position rule names the stops of the
    // other script's setting, and nothing in the setting that matches the locale.
    let spec: Spec = toml::from_str(
        r##"locale = "zh-Hans"
[canvas]
width = 660
height = 200
background = "#ffffff"
[[blocks]]
text = "请按时服药，饭后半小时服用。每天喝足八杯水，不要随意购买处方药。"
font = "sans"
weight = "regular"
size = 30.0
color = "#202020"
align = "left"
orientation = "horizontal"
box = [20.0, 40.0, 620.0, 120.0]
line_height = 1.6
han_latin_gap = 0.25
"##,
    )
    .unwrap();
    let fonts = cjkcheck::render::fonts::Fonts::bundled().unwrap();
    let simplified = cjkcheck::render::layout(&spec, &fonts);
    let mut traditional = simplified.clone();
    for g in traditional.glyphs.iter_mut().filter(|g| g.text == "，" || g.text == "。") {
        let (x, y, w, h, _) = cjkcheck::render::rasterize(&g.path).unwrap();
        let (dx, dy) = (g.em_box[0] + g.em_box[2] / 2.0 - (x as f32 + w as f32 / 2.0), g.em_box[1] + g.em_box[3] / 2.0 - (y as f32 + h as f32 / 2.0));
        g.transform(|p| [p[0] + dx, p[1] + dy]);
    }
    let profile = Profile::builtin("print").unwrap();
    for (setting, layout) in [(Locale::Hans, &simplified), (Locale::Hant, &traditional)] {
        let mut img = cjkcheck::render::background_image(layout.width, layout.height, &layout.background);
        cjkcheck::render::paint(layout, &mut img);
        let page = common::reader().read(&img).unwrap();
        for locale in [Locale::Hans, Locale::Hant] {
            let it = Intended::from_spec(&spec, Some(locale));
            let report = check_page("stops", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
            let named = report.findings.iter().filter(|f| f.rule == "punct.position").count();
            if setting == locale {
                assert_eq!(named, 0, "{setting:?} set, checked as {locale:?}: {:#?}", report.findings);
            } else {
                assert!(named >= 3, "{setting:?} set, checked as {locale:?}: {:#?}", report.findings);
            }
        }
    }
}

#[test]
fn a_misreading_whose_read_character_leaves_a_patch_the_intended_does_not_is_a_misreading() {
    // Seed 1212 (looked at after its report), item 5, clean: 嘱 read as 瞩 (0.81) at 18 px. Against
    // 瞩 the foot of 目 is missing (3.7 % of the ink, drawn deep), against 嘱 nothing is left; their
    // rms differ by 2 %, under the ratio a misreading needs. No look-alike of the fit sets leaves
    // a bigger patch against its reading than against its intended character.
    let (item, report) = seeded_check(1212, 5);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_half_width_mark_before_a_full_width_quote_is_measured_to_the_quotes_box() {
    // Seed 1313 (looked at after its report), item 54: «用,“高» in Noto Sans SC, the comma set
    // half-width. Measured to the ink of “ (which a full-width quote draws at the right of its
    // em) it took a full pitch. Where the line's face sets “ a full em, its box starts a pitch
    // before the Han glyph after it, as an opening bracket's does; LXGW WenKai and Smiley Sans
    // set it 0.35 em and are still measured to its ink.
    let (item, report) = seeded_check(1313, 54);
    assert_eq!(item.truth.defect, "halfwidth_punct");
    assert!(report.findings.iter().any(|f| f.rule == "punct.width" && f.message.contains("«，»")), "{:#?}", report.findings);
    let fonts = cjkcheck::render::Fonts::bundled().unwrap();
    assert_eq!(cjkcheck::render::advance_em(&fonts, "NotoSansSC-Regular.otf", '“'), Some(1.0));
    assert!(cjkcheck::render::advance_em(&fonts, "LXGWWenKai-Regular.ttf", '“').is_some_and(|a| a < 0.5));
    // Clean seed 4343, item 55: «服用：“坚持» at 24 px in LXGW WenKai Regular, blurred. Ten of the
    // line's glyphs fit Noto Sans CJK Bold best in binarised outline (which sets “ a full em, and
    // so called the full-width colon half-width); their grey levels fit the kai face.
    let clean: Vec<String> = vec!["clean".into()];
    let (item, img, it, page) = item_of(4343, 55, &clean);
    assert_eq!(item.truth.defect, "clean");
    let profile = Profile::builtin("print").unwrap();
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let quoted = report.lines.iter().position(|l| l.text.contains('“')).unwrap();
    let adv = cjkcheck::verify::quote_faces(&img, &page, refs())[quoted].as_ref().map(|q| q.advance_em);
    assert!(adv.is_some_and(|a| a < 0.5), "the kai line's quote advance: {adv:?}");
}

#[test]
fn a_half_width_mark_before_an_unread_opening_quote_ends_at_the_quotes_ink() {
    // Seed 202, item 273: «慎用;“服» in LXGW WenKai at 21 px, the semicolon set half-width and the
    // narrow quote after it not read. Measured to 服, the semicolon and the quote together took
    // 0.84 of the pitch, a full-width mark's room; the quote's ink, found in the gap, ends it.
    let (item, report) = seeded_check(202, 273);
    assert_eq!(item.truth.defect, "halfwidth_punct");
    assert!(report.findings.iter().any(|f| f.rule == "punct.width" && f.message.contains("«；»")), "{:#?}", report.findings);
}

#[test]
fn an_extra_mark_that_takes_a_characters_room_is_extra_whatever_the_recogniser_weighs() {
    // Seed 1414, item 65: a vertical line at 44 px «春季养，生小» with the comma added between 养
    // and 生 (a full em of room), read as an extra «·» that the recogniser finds hardly less
    // likely than nothing (1.0 nats): only a notice before.
    let (item, report) = seeded_check(1414, 65);
    assert_eq!(item.truth.defect, "char_added");
    assert!(report.findings.iter().any(|f| f.rule == "text.extra" && f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_reading_simplified_text_uses_in_its_own_right_is_no_traditional_variant() {
    // Clean seed 4545 (looked at after its report), item 109: «负责人坯女士» with 坯 read as 坏.
    // OpenCC lists 坏 among 坯's Traditional forms, but 坏 is also the Simplified form of 壞, a
    // character Simplified text uses: the reading is judged by its ink, which is 坯's.
    assert!(cjkcheck::variants::is_traditional_of('坏', '坯') && !cjkcheck::variants::is_traditional_only('坏'));
    let clean: Vec<String> = vec!["clean".into()];
    let (item, img, it, page) = item_of(4545, 109, &clean);
    assert_eq!(item.truth.defect, "clean");
    assert!(item.spec_toml.contains('坯'));
    let profile = Profile::builtin("print").unwrap();
    let report = check_page("synth", &img, &page, Some(&it), &profile, Some(refs()), Some(common::reader()));
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_flat_last_glyph_boxed_apart_from_its_column_joins_it() {
    // Clean seed 4545, item 290: «安全第一» in a vertical kai block at 44 px. 一 was boxed apart
    // under the column, its box narrower than the column, and stood as a line of its own: the
    // block's lines were then measured off its alignment by 1.8 em.
    let (_, report) = clean_check(4545, 290);
    assert!(report.lines.iter().any(|l| l.text.ends_with("第一")), "{:?}", report.lines.iter().map(|l| &l.text).collect::<Vec<_>>());
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_justified_blocks_quoted_lines_begin_at_the_quotes_em_slot() {
    // Clean seed 4545, item 111: two justified serif lines at 18 px each lead with «“» (set a full
    // em, its ink 0.55 em in), the last line with 为. Binarised, the lines' glyphs fit another face
    // best, whose narrow quote put the two lines' edge at the quote's ink and the last line 0.5 em
    // off; the quotes' face told by grey levels puts it at their em slot. And the first line,
    // ending «”» whose «，» went unread, is not taken to end with an opening quote.
    let (_, report) = clean_check(4545, 111);
    let errors: Vec<&str> = report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.as_str()).collect();
    assert!(errors.is_empty(), "{:#?}", report.findings);
}

#[test]
fn a_serif_glyph_that_leaves_a_patch_is_refitted_in_the_face_its_lines_grey_levels_tell() {
    // Clean-only seed 4646 (looked at after its report), item 213: a serif 士 fitted best in a
    // sans by its binarised outline, where it left a residual 0.72 of its own against 土, and was
    // called 土. Item 244: 高 at 15–19 px under blur left a 4 % patch in another face. Fitted in the
    // face the line's surely read glyphs fit best in grey levels (Noto Serif), neither is flagged.
    for index in [213, 244] {
        let (_, report) = clean_check(4646, index);
        assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{index}: {:#?}", report.findings);
    }
}

#[test]
fn a_line_of_two_han_glyphs_and_digits_is_not_tilted_by_the_digits_offset() {
    // Clean-only seed 4646 (looked at after its report), item 192: «版本9.1.5» in Smiley Sans, its
    // digits placed by metrics 0.9 px below the Han glyphs: one slope through all five read 0.85°,
    // over the 1 px floor on a 67 px line. Fitted within each kind, the line is level.
    let (_, report) = clean_check(4646, 192);
    assert!(!report.findings.iter().any(|f| f.rule == "layout.skew"), "{:#?}", report.findings);
}

#[test]
fn a_look_alike_is_told_by_the_pixels_where_the_two_characters_differ() {
    // Seed 1313 (looked at after its report), item 34: 曰 drawn for 日 at 12 px and read as 日.
    // Over the whole crop 曰 leaves 0.87 of 日's residual, short of the residual limit; over the
    // pixels where their renderings differ, 0.42.
    for (seed, index, want, is) in [(1313, 34, "日", "曰")] {
        let (item, report) = seeded_check(seed, index);
        assert_eq!(item.truth.defect, "lookalike");
        let f = report.findings.iter().find(|f| f.rule == "glyph.substituted" && f.message.contains(&format!("should be «{want}» but is «{is}»")));
        let f = f.unwrap_or_else(|| panic!("{seed}/{index}: {:#?}", report.findings));
        assert!(f.message.contains("where"), "{}", f.message);
    }
}

#[test]
fn a_small_serif_glyph_is_fitted_from_its_ink_box_on_its_characters_too() {
    // Seed 1414 (looked at after its report), item 192, clean: a small serif 卫, its thin strokes
    // faint, left a 4 % patch of extra ink lower right from the fit's chamfer-placed starts
    // (garbled). Started also from its ink box on the character's, the fit finds it.
    let (item, report) = seeded_check(1414, 192);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_line_initial_dot_the_detection_box_clipped_stays_with_its_glyph() {
    // Clean-only seed 4747 (looked at after its report), item 203: a 75 px serif 心 opening a
    // title, its left dot 7 of 11 px before the detection box. Left out of 心's box, the rest was
    // called garbled ("strokes 2, 4 missing").
    let (_, report) = clean_check(4747, 203);
    let xin = report.glyphs.iter().find(|g| g.char == "心").expect("心 read");
    assert!(xin.bbox[0] < 75.0, "心's box takes its dot: {:?}", xin.bbox);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_neighbours_stroke_at_the_end_of_a_glyphs_box_is_left_out_of_its_ink() {
    // Clean-only seed 4747 (looked at after its report), item 133: in «制目» at 16 px serif the
    // cell boundary fell in the gap inside 刂, giving its hook to 目 (a box 23 px wide, 19 tall):
    // 目 was called garbled. Without that piece, which stands 1 px from 制 and 6 px from 目, 目
    // fits.
    let (_, report) = clean_check(4747, 133);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_mark_read_as_another_is_judged_drawn_at_its_lines_scale() {
    // Clean-only seed 4747 (looked at after its report), items 249 and 254: a 16–18 px kai «；»
    // whose tail blurred to a pixel, read as «：». Normalised to the ink box, the shapes favoured
    // «：» past the margin; drawn at the line's scale, «：» ends short of the tail: an unsure
    // reading, not a wrong mark.
    for index in [249, 254] {
        let (_, report) = clean_check(4747, index);
        assert!(!report.findings.iter().any(|f| f.rule == "glyph.substituted"), "{index}: {:#?}", report.findings);
        let g = report.glyphs.iter().find(|g| g.intended.as_deref() == Some("；") && g.char == "：").expect("a ； read as ：");
        let (want, read) = g.mark.as_ref().and_then(|m| m.grey).expect("compared in grey levels");
        assert!(want < read, "{index}: {want} against ；, {read} against ：");
    }
    // And a «；» drawn as «：» (seed 1212, item 196) is still a wrong mark.
    let (item, report) = seeded_check(1212, 196);
    assert_eq!(item.truth.defect, "lookalike");
    assert!(report.findings.iter().any(|f| f.rule == "glyph.substituted" && f.message.contains("should be «；»")), "{:#?}", report.findings);
}

#[test]
fn an_unread_opening_bracket_set_tight_against_its_glyph_is_found_by_its_ink() {
    // Clean-only seed 4747 (looked at after its report), item 151: «、「血» at 17 px, the «「»
    // unread and not a pixel apart from 血, whose box took it (25 px wide among 17 px line-mates).
    // Left out of 血's box, it is found between the glyphs: not a missing mark.
    let (_, report) = clean_check(4747, 151);
    let xue = report.glyphs.iter().find(|g| g.char == "血").expect("血 read");
    assert!(xue.bbox[2] < 20.0, "血's box is its own ink: {:?}", xue.bbox);
    assert!(!report.findings.iter().any(|f| f.rule == "text.missing"), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("«「» was not read")), "{:#?}", report.findings);
    // An unread glyph run into the next keeps its thin piece: in clean-only 4646/272 «狞女» was
    // read as one wide 女, and the 犭 of the unread 狞 stays in the box its ink is judged in.
    let (_, report) = clean_check(4646, 272);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_glyphs_last_piece_blurred_into_the_next_glyph_or_mark_stays_with_it() {
    // Clean-only seed 4848 (looked at after its report), items 182 and 72: «半小时» at 18–19 px,
    // blurred (sigma 1.14). Binarised, 小's right dot runs into 时; the seam went into the empty
    // gap inside 小, leaving 小 11 px wide without its dot (called garbled) and 时 25 px. The valley
    // between the dot and 时 leaves both a glyph's width.
    for index in [182, 72] {
        let (_, report) = clean_check(4848, index);
        let xiao = report.glyphs.iter().find(|g| g.char == "小").expect("小 read");
        assert!(xiao.bbox[2] >= 15.0, "{index}: 小's box takes its dot: {:?}", xiao.bbox);
        let shi = report.glyphs.iter().find(|g| g.char == "时" && (g.bbox[0] - xiao.bbox[0]).abs() < 25.0).expect("时 read");
        assert!(shi.bbox[2] <= 21.0, "{index}: 时's box is its own ink: {:?}", shi.bbox);
        assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{index}: {:#?}", report.findings);
    }
    // Item 44: «参加。» at 18 px serif, light on dark, blurred; 加's 口 ran into the 。 and the
    // seam went between 力 and 口 (加 13 px wide, called garbled; 。 11 px).
    let (_, report) = clean_check(4848, 44);
    let jia = report.glyphs.iter().find(|g| g.char == "加").expect("加 read");
    assert!(jia.bbox[2] >= 15.0, "加's box takes its 口: {:?}", jia.bbox);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn the_first_part_of_a_glyph_after_an_opening_quote_stays_with_the_glyph() {
    // Clean-only seed 4848 (looked at after its report), item 87: «“服» at 17 px sans, light on
    // dark; the recogniser's boundary fell between 服's 月 and the rest, and the quote's cell,
    // too wide for a mark, dropped 月 as ink nobody read: 服 8 px wide was called garbled.
    let (_, report) = clean_check(4848, 87);
    let fu = report.glyphs.iter().find(|g| g.char == "服").expect("服 read");
    assert!(fu.bbox[2] >= 14.0, "服's box takes its 月: {:?}", fu.bbox);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_glyph_read_as_a_look_alike_is_measured_by_the_character_its_ink_fits() {
    // Clean-only seed 4848 (looked at after its report), item 57: «联系人皿先生» at 24 px; the
    // recogniser read 皿 as 血, and the layout measured its ink by 血's, which reaches higher in
    // the em: «血» sat 8 % em below the line. The ink fits 皿 (a warning), and is measured so.
    let (_, report) = clean_check(4848, 57);
    assert!(report.glyphs.iter().any(|g| g.char == "血" && g.intended.as_deref() == Some("皿")), "皿 read as 血");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_mark_two_marks_fit_alike_in_the_lines_face_is_an_unsure_reading_not_a_wrong_one() {
    // Clean-only seed 4949, item 201, and seed 1919, item 145 (looked at after their reports):
    // a kai «，» at 17 px is a blob of 3 by 4 pixels, read as «.». A bold sans «.» fits it better
    // than any «，»; in the kai bold face the line's Han glyphs tell, «，» and «.» leave alike.
    for (seed, index, clean_only) in [(4949, 201, true), (1919, 145, false)] {
        let (_, report) = if clean_only { clean_check(seed, index) } else { seeded_check(seed, index) };
        let comma = report.glyphs.iter().find(|g| g.char == "." && g.intended.as_deref() == Some("，")).expect("«，» read as «.»");
        assert_eq!(comma.status, cjkcheck::rules::GlyphStatus::LowConfidence, "{seed}/{index}");
        assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{seed}/{index}: {:#?}", report.findings);
    }
    // A face fitting neither mark says nothing: seed 1212, item 196, a «：» drawn for «；» in a
    // line whose faces include a bold sans in which both marks leave three times what they leave
    // in the face fitting best, stays a substitution.
    let (item, report) = seeded_check(1212, 196);
    assert_eq!(item.truth.defect, "lookalike");
    assert!(report.glyphs.iter().any(|g| g.char == "：" && g.intended.as_deref() == Some("；") && g.status == cjkcheck::rules::GlyphStatus::Substituted), "{:#?}", report.findings);
}

#[test]
fn a_mark_read_as_a_han_character_the_recogniser_was_unsure_of_is_unsure_and_not_sized_as_han() {
    // Clean-only seed 4949, item 1 (looked at after its report): a Smiley Sans «」» at 23 px read
    // as «了» (0.68, «」» 0.12). A mark has no pseudo-forms: it is an unsure reading, not a garbled
    // character, and the layout does not measure it as a Han glyph 55 % of its neighbours' size.
    let (_, report) = clean_check(4949, 1);
    let mark = report.glyphs.iter().find(|g| g.intended.as_deref() == Some("」") && g.char == "了").expect("«」» read as «了»");
    assert_eq!(mark.status, cjkcheck::rules::GlyphStatus::LowConfidence);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn the_short_last_column_of_a_vertical_block_boxed_glyph_by_glyph_is_measured_as_a_column() {
    // Clean-only seed 5050, item 239 (looked at after its report): «科学用药 安全第一» set in
    // columns; «第» and «一» were each boxed as a one-glyph line and measured as rows of the
    // horizontal block beside them, 1.2 em off its edges.
    let (_, report) = clean_check(5050, 239);
    let column = report.lines.iter().find(|l| l.text == "第一").expect("«第一» read as one line");
    assert_eq!(column.orientation, cjkcheck::ocr::Orientation::Vertical);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn an_unread_line_initial_bracket_inside_the_next_glyphs_box_sets_the_lines_edge() {
    // Clean-only seed 5050, item 0: a justified line begins with «「», which the recogniser took
    // into the box of the «保» after it. The line starts at the bracket's em slot, level with the
    // other lines, not 0.6 em in at the bracket's ink.
    let (_, report) = clean_check(5050, 0);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("«「» was not read")), "{:#?}", report.findings);
    assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "{:#?}", report.findings);
}

#[test]
fn a_large_glyph_is_fitted_to_a_fraction_of_a_percent_of_its_scale() {
    // Clean-only seed 5050, item 104: a 114 px serif «压» whose fitted rendering, one to two
    // percent small, left slivers of missing and extra ink along every stroke (5 % and 4 % of its
    // ink) and was called garbled.
    let (_, report) = clean_check(5050, 104);
    let ya = report.glyphs.iter().find(|g| g.char == "压").expect("压 read");
    let residual = ya.verify.as_ref().and_then(|v| v.residual.as_ref()).expect("压 compared by residual");
    assert!(residual.rms < 0.04 && residual.missing < 0.01 && residual.extra < 0.01, "{residual:?}");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_line_ending_in_a_digit_ends_where_the_digits_advance_does() {
    // Seed 2020, item 82 (looked at after its report): a justified kai line ends «…低于 1»; the
    // «1» inks only 0.12–0.36 em of its advance, so its ink stops short of the other lines' right
    // edge. The line's edge is the advance's, from the face's side bearings.
    let (item, report) = seeded_check(2020, 82);
    assert_eq!(item.truth.defect, "clean");
    assert!(report.lines.iter().any(|l| l.text.ends_with('1')), "{:#?}", report.lines.iter().map(|l| &l.text).collect::<Vec<_>>());
    assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "{:#?}", report.findings);
}

#[test]
fn a_face_whose_ideographs_rise_above_its_em_box_is_referenced_whole() {
    // Smiley Sans draws its ideographs about 0.1 em above the box its ascender and descender
    // give. Its references were cut off at the top of the square, so a 108 px title «此一天»
    // (clean-only seed 5151, item 41) was placed by cut-off ink boxes and measured tilted 1.0°.
    let ink = refs().face_ink('此', "SmileySans-Oblique.ttf").expect("此 in Smiley Sans");
    assert!(ink[1] > 0.0 && ink[3] < 1.0, "{ink:?}");
    let (_, report) = clean_check(5151, 41);
    assert!(!report.findings.iter().any(|f| f.rule == "layout.skew"), "{:#?}", report.findings);
}

#[test]
fn a_small_full_stop_is_not_cut_by_a_seam_for_the_margins_specks() {
    // Clean-only seed 5151, item 201: a 14 px Smiley Sans «得。» on a dark noisy background. Specks
    // in the raster's margins widened the «。»'s columns to two thirds of an em, so the seam went
    // through the stop and gave its left half to 得, which was called garbled.
    let (_, report) = clean_check(5151, 201);
    let de = report.glyphs.iter().find(|g| g.char == "得").expect("得 read");
    let stop = report.glyphs.iter().find(|g| g.line == de.line && g.index == de.index + 1).expect("the stop after 得");
    assert!(de.bbox[0] + de.bbox[2] <= stop.bbox[0], "得 {:?}, «。» {:?}", de.bbox, stop.bbox);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_glyph_read_twice_for_its_two_parts_is_one_glyph() {
    // Clean-only seed 5050, item 185: a 27 px sans «儿» in «（儿童» read as «儿儿», its 丿 and its 乚
    // each given a cell; the first was an extra character and the second, half the glyph, was
    // measured turned 9.7°.
    let (_, report) = clean_check(5050, 185);
    let line = report.lines.iter().find(|l| l.text.contains("儿童")).expect("the line of «儿童»");
    assert!(!line.text.contains("儿儿"), "{}", line.text);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_column_read_on_after_a_word_space_is_one_column() {
    // Clean-only seed 5353, item 200: the vertical «全民健身 快乐运动», 快 after a word space boxed
    // apart under «全民健身» and its ink 1.08 column widths below 身's, over the one width a tail
    // could lie apart; read as a line of its own it was 2.2 em off the block's edge.
    let (_, report) = clean_check(5353, 200);
    assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "{:#?}", report.findings);
}

#[test]
fn a_repeated_phrase_is_not_read_off_the_next_block_for_free() {
    // Clean-only seed 5353, item 247: «外出时请佩戴口罩！» and, two lines on, «外出时请佩戴口罩。».
    // «良好的睡眠有助于», boxed apart on the first phrase's row, was a block of its own after the
    // one ending with the second. Read on from one block into the next for free, the alignment took
    // the first phrase off the second's lines: ！ was called substituted by 。 and the 。 missing.
    // The first phrase's box reached 2 px into 良 and read a «，» there, where its cell holds no ink
    // of its own: an extra mark that asks for a look, not an error.
    let (_, report) = clean_check(5353, 247);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("extra «，» at the line's end")), "{:#?}", report.findings);
}

#[test]
fn a_small_glyph_turned_so_little_that_the_warped_fit_absorbs_it_is_measured_turned() {
    // Seed 1313 (dev), item 40: 档 at 22 px turned 9°. The warps refining its fit turn it by up to
    // about 7°, so it left no patch and was never tried turned; the patch its upright fit left
    // now has it tried, and it is reported turned.
    let (item, report) = seeded_check(1313, 40);
    assert_eq!(item.truth.defect, "glyph_rotated");
    let f = report.findings.iter().find(|f| f.rule == "layout.rotation").unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.message.contains("«档»") && (8.0..11.0).contains(&f.measured.unwrap_or(0.0)), "{f:?}");
}

#[test]
fn a_lines_closing_bracket_read_as_its_likely_look_alike_is_that_bracket_and_the_stop_after_it_is_found() {
    // Clean-only seed 4949, item 297 (looked at after its report): «…停药」。» ends a line; the
    // recogniser read the «」» as «]» (0.36, «」» 0.30) and not the «。», which stands beyond the
    // line's box. Calling both missing beside a stray «]» cost the alignment as much as «」» read as
    // «]» and «。» unread; the recogniser's likely alternative now settles it. Clean-only seed
    // 5050, item 93: «」。» read as one «！» (0.29, «」» 0.10) at the line's end.
    for (seed, index) in [(4949, 297), (5050, 93)] {
        let (_, report) = clean_check(seed, index);
        assert!(!report.findings.iter().any(|f| f.rule == "text.missing"), "{seed}/{index}: {:#?}", report.findings);
        assert!(report.glyphs.iter().any(|g| g.intended.as_deref() == Some("」") && g.status == cjkcheck::rules::GlyphStatus::LowConfidence), "{seed}/{index}: {:#?}", report.findings);
    }
}

#[test]
fn a_straight_quote_at_a_lines_end_takes_the_direction_the_recogniser_finds_likely() {
    // Clean-only seed 5454, item 221 (looked at after its report): «“服药期间请勿饮酒”» ends a
    // line, its «”» read as a straight «"» (0.44 for «”»). Folded, «"» is an opening quote, which
    // must not end a line; the recogniser's likely «”» closes it.
    let (_, report) = clean_check(5454, 221);
    assert!(!report.findings.iter().any(|f| f.rule == "punct.line_end"), "{:#?}", report.findings);
}

#[test]
fn an_unread_pseudo_character_run_into_the_next_glyphs_box_is_judged_from_that_box() {
    // Seed 1212 (dev), item 161: «保» with its 亻 swapped for 车, unread, its ink in one box with
    // the «持» after it, read «持». The «？» before it was boxed by its dot alone, so the gap after
    // it looked wide enough for the unread glyph and was searched instead of the box two glyphs
    // long; the pseudo-character went unjudged.
    let (item, report) = seeded_check(1212, 161);
    assert_eq!(item.truth.defect, "component_swapped");
    assert!(report.findings.iter().any(|f| f.rule == "glyph.garbled" && f.message.contains("«保» was not read")), "{:#?}", report.findings);
}

#[test]
fn a_columns_glyphs_keep_the_ink_their_box_or_tile_clips() {
    // Clean-only seed 5454, item 37 (looked at after its report): the detector's box of a column
    // «高血压…» begins at the 亠 of its first glyph. The column's glyphs were sampled without a
    // margin, so the 亠 touched the raster's edge and was dropped as a piece of a line above; «高»
    // without it was called garbled. A column's glyph tiles are now sampled with a margin down the
    // column, at its ends and at the cuts between its glyphs.
    let (item, report) = clean_check(5454, 37);
    let top = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("高") && g.line == 0 && g.index == 0).and_then(|g| g.bbox).expect("the column's 高")[1];
    let g = report.glyphs.iter().find(|g| g.char == "高").unwrap_or_else(|| panic!("{:#?}", report.glyphs));
    assert!(g.bbox[1] <= top as f32 + 1.0, "box {:?}, ink from {top}", g.bbox);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
    // Seed 1212 (dev), item 296: the column «合理膳食»'s first glyph fills its tile, the 口 of
    // «合» reaching the cut before «理». Sampled with the margin, the faint bottom row of that 口
    // became ink touching the raster's edge, and the 口 was dropped as a neighbour's piece. Ink
    // centred on this side of a cut is this glyph's.
    let (item, report) = seeded_check(1212, 296);
    let truth = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("合") && g.defect.is_none()).and_then(|g| g.bbox).expect("the column's 合");
    let g = report.glyphs.iter().find(|g| g.char == "合").unwrap_or_else(|| panic!("{:#?}", report.glyphs));
    assert!(g.bbox[3] >= truth[3] as f32 - 2.0, "box {:?}, ink {truth:?}", g.bbox);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
}

#[test]
fn a_glyph_measured_on_one_side_is_sized_against_its_neighbours_same_side() {
    // Clean-only seed 5555, items 268 and 121 (looked at after their report): a 14 px serif «八»
    // whose ink touches «杯» is measured across the line only (an em of 14.9 px), and was held
    // against the line's median em, which its neighbours' widths set (12.7 px): 117 %, a resize.
    // Their heights say 13.9 px. Likewise a blurred 15 px «单» (82 %). Each side now goes
    // against the others' same side.
    for (seed, index) in [(5555, 268), (5555, 121)] {
        let (_, report) = clean_check(seed, index);
        assert!(!report.findings.iter().any(|f| f.rule == "layout.size"), "{seed}/{index}: {:#?}", report.findings);
    }
}

#[test]
fn a_small_line_set_tight_under_a_large_title_keeps_its_ink() {
    // Clean-only seed 5656, item 196 (looked at after its report): a 28 px line sits 8 px under a
    // 116 px title «知识», whose detected box reaches 4 px into the line's top. The title's glyph
    // boxes took the line's «眠有助于身体恢复» (their ink reached into the title's band), the
    // title was called garbled and the line's glyphs dropped as read twice. Ink centred beyond a
    // line's band and inside another line's box is that line's.
    let (_, report) = clean_check(5656, 196);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled" || f.rule.starts_with("text.")), "{:#?}", report.findings);
    let line = report.lines.iter().find(|l| l.text.starts_with("良好")).unwrap_or_else(|| panic!("{:#?}", report.lines));
    assert!(line.text.contains("眠有助于身体恢复"), "{}", line.text);
}

#[test]
fn a_glyph_beside_two_unread_marks_is_compared_without_either() {
    // Clean-only seed 5656, item 220: a blurred 19 px serif «力」。» read «力»; its box held the
    // «」» and the «。». Only the outermost piece was left out, and «力» with the «」» still in
    // was called garbled. As many pieces as there are unread marks at that end may go.
    let (_, report) = clean_check(5656, 220);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
    let g = report.glyphs.iter().find(|g| g.char == "力").unwrap_or_else(|| panic!("{:#?}", report.glyphs));
    let mark = g.verify.as_ref().and_then(|v| v.mark_ink).expect("the unread marks' ink");
    assert!(mark.trailing && mark.bbox[2] >= 0.5 * g.bbox[3], "both marks' ink: {mark:?}, glyph box {:?}", g.bbox);
}

#[test]
fn a_glyph_whose_ink_two_read_neighbours_shared_is_found_between_them() {
    // Clean-only seed 5656, item 234: «家踊跃» read «家跃», 踊's 足 in the box of 家 and its 甬 in
    // the box of 跃, each a quarter too long or more. The unread 踊 was sought at the start of
    // 跃's box alone (甬 and 跃's 足) and called garbled. The three now stand at an even pitch.
    let (_, report) = clean_check(5656, 234);
    assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "{:#?}", report.findings);
}

#[test]
fn a_character_the_faces_size_differently_is_not_sized_by_a_face_few_glyphs_name() {
    // Clean-only seeds 5050 item 247 and 5454 item 171: short Kai lines «戴口罩！» and «佩戴口罩。»
    // at 15–20 px, whose three or four Han glyphs all fit the bold sans best. 口 is drawn at 0.64
    // of an em in the Kai and 0.80 in the bold sans: held against the sans' 口, the Kai's was 83 %
    // of its neighbours' size. On a line this short the face they name does not size 口.
    for (seed, index) in [(5050, 247), (5454, 171)] {
        let (_, report) = clean_check(seed, index);
        assert!(!report.findings.iter().any(|f| f.rule == "layout.size"), "{seed}/{index}: {:#?}", report.findings);
    }
}

#[test]
fn a_traditional_form_read_as_its_simplified_one_is_told_by_its_ink() {
    // Seed 2626, item 93 (its report missed it): «检» drawn as the Traditional «檢» in Simplified
    // text, 12 px; the recogniser reads it «检», as asked. The other script's forms are now measured
    // beside the look-alikes, and the ink fits «檢».
    let (item, report) = seeded_check(2626, 93);
    assert_eq!(item.truth.defect, "variant_mix");
    assert!(report.findings.iter().any(|f| f.rule == "script.variant_mix" && f.message.contains("«檢»")), "{:#?}", report.findings);
}

#[test]
fn an_unread_glyph_is_sought_where_its_read_neighbours_leave_room_for_it() {
    // Clean-only seed 5757, items 24 and 103 (looked at after their report): «家踊跃» read «家跃»
    // and «人狞女» read «人女», the next glyph's box run over the unread one's. Sought at the start
    // of that box alone (踊's 甬, 狞's 宁 with part of 女), the ink was called garbled; the glyph
    // stands right after the glyph before, where the ink now matches it.
    for index in [24, 103] {
        let (_, report) = clean_check(5757, index);
        assert!(!report.findings.iter().any(|f| f.rule == "glyph.garbled"), "5757/{index}: {:#?}", report.findings);
        let u = report.unread_glyphs.first().unwrap_or_else(|| panic!("5757/{index}: the unread glyph is in the report"));
        assert!(u.matches, "5757/{index}: {u:?}");
    }
}

#[test]
fn an_unread_pseudo_character_is_judged_on_its_own_ink_not_on_the_glyph_after_it() {
    // Seed 3535 (fresh seed of session 33, spent), item 133: «服药期间» in stroke-data glyphs at
    // 24 px, 药's 艹 swapped for 扌; the recogniser read «服期间», 服's box run over the
    // pseudo-character. Of the places sought for it, the one right after 服's box held 期, whose ink
    // matched 药's strokes loosely: the page passed. A place covering most of a glyph-long box
    // beyond it is that glyph's.
    let (item, report) = seeded_check(3535, 133);
    assert_eq!(item.truth.defect, "component_swapped");
    let f = garbled_at_defect(&item, &report);
    assert!(f.message.contains("«药» was not read"), "{}", f.message);
}

#[test]
fn a_heading_detected_as_two_lines_leaves_each_glyph_its_own_ink() {
    // Clean-only seeds 6363 (item 41) and 6464 (item 37), spent: a heading with a space,
    // «科学用药 安全» and «限时优惠 仅此一天», detected as several lines, the glyph after the split
    // read in a box run back over the one before it, which went unread. 6363/041: the unread «药»
    // was sought from where «安»'s box starts, inside 药, and called garbled; 6464/037: «仅» was
    // compared with its box holding «惠» too, and called garbled.
    for (seed, index, unread) in [(6363, 41, "药"), (6464, 37, "惠")] {
        let (_, report) = clean_check(seed, index);
        assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{seed}/{index}: {:#?}", report.findings);
        let u = report.unread_glyphs.iter().find(|u| u.intended == unread).unwrap_or_else(|| panic!("{seed}/{index}: {:?}", report.unread_glyphs));
        assert!(u.matches, "{seed}/{index}: {u:?}");
    }
}

#[test]
fn a_misread_pseudo_character_fitted_clearly_smaller_than_its_line_is_judged_by_what_it_leaves() {
    // Seed 3636 (fresh seed of session 34, spent), item 117: «乐观» at 18 px in stroke-data
    // glyphs, 观's 见 swapped for 讠, its ink half a glyph wide. Read «主» at 0.48; against 观 shrunk
    // to 12 px (the line's em 17.5, off by more than the residual's scale limit) it leaves a third
    // of the ink missing and more extra. Its stroke cost was below «主»'s, so it was called closer
    // to «观» and merely unsure: the page passed with a warning.
    let (item, report) = seeded_check(3636, 117);
    assert_eq!(item.truth.defect, "component_swapped");
    let f = garbled_at_defect(&item, &report);
    assert!(f.message.contains("should be «观»"), "{}", f.message);
}

#[test]
fn blocks_with_the_same_text_are_each_held_to_their_own_alignment() {
    // Clean-only seed 6565 (spent), item 74: a centred heading and a left-set vertical column both
    // «限时优惠 仅此一天». The heading was matched to the column's text and held to its left
    // alignment: its two rows, 1.2 em apart at their left edges, were called misaligned.
    let (_, report) = clean_check(6565, 74);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_paragraph_keeps_its_closing_quote_from_the_next_ones_unread_opening_quote() {
    // Clean-only seed 6565 (spent), item 260: «…恢复”。» then a paragraph opening with an unread
    // «“». Matched first (the longer text), the next paragraph took «”» for its «“» (quotes fold
    // alike) and «。» as one extra glyph; «”。» were then called missing here and «。» extra.
    let (_, report) = clean_check(6565, 260);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("«“» at the line's start was not read")), "{:#?}", report.findings);
}

#[test]
fn a_glyph_whose_box_starts_inside_an_unread_neighbour_keeps_its_own_left_part() {
    // Seed 3636 (fresh seed of session 34, spent), item 144: «家踊跃» at 20 px read «家跃», 跃's
    // box (34 px) starting in the middle of the unread 踊. Compared with its box's part from a glyph
    // in, 跃 lost its 足 and was called garbled on a clean line.
    let (item, report) = seeded_check(3636, 144);
    let t = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("跃")).and_then(|g| g.bbox).unwrap();
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error && f.bbox.is_some_and(|b| b[0] < (t[0] + t[2]) as f32 && b[0] + b[2] > t[0] as f32)), "{:#?}", report.findings);
    let u = report.unread_glyphs.iter().find(|u| u.intended == "踊").unwrap_or_else(|| panic!("{:?}", report.unread_glyphs));
    assert!(u.matches, "{u:?}");
}

#[test]
fn a_glyph_boxed_apart_from_its_column_has_the_unread_glyph_after_it_sought_below_it() {
    // Clean-only seed 6666 (spent), item 139: «科学用药 安全第一» down two columns at 44 px, 第
    // boxed alone as a one-glyph line and the flat 一 below it in no box. A one-glyph line was not
    // looked beside at all, and «一» was called missing.
    let (item, report) = clean_check(6666, 139);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let t = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("一")).and_then(|g| g.bbox).unwrap();
    let u = report.unread_glyphs.iter().find(|u| u.intended == "一").unwrap_or_else(|| panic!("{:?}", report.unread_glyphs));
    assert!(u.matches, "{u:?}");
    let (cy, ty) = (u.bbox[1] + u.bbox[3] / 2.0, t[1] as f32 + t[3] as f32 / 2.0);
    assert!((cy - ty).abs() < 0.3 * t[2] as f32, "found at {:?}, drawn at {t:?}", u.bbox);
}

#[test]
fn a_space_read_over_part_of_a_glyph_leaves_the_glyph_its_ink() {
    // Clean-only seed 6666 (spent), item 73: «心4 楼？» read «心4 楼？» with a space over 楼's 木,
    // which touches its 娄; the space's cell took the 木 and 楼, compared without it, was called
    // garbled.
    let (item, report) = clean_check(6666, 73);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let t = item.truth.glyphs.iter().find(|g| g.char.as_deref() == Some("楼")).and_then(|g| g.bbox).unwrap();
    let g = report.glyphs.iter().find(|g| g.char == "楼").unwrap();
    assert!(g.bbox[0] <= t[0] as f32 + 2.0, "楼's box {:?}, drawn at {t:?}", g.bbox);
}

#[test]
fn a_glyph_at_a_lines_end_is_split_from_the_unread_glyph_its_box_runs_over() {
    // Clean-only seed 6666 (spent), item 228: «…欢迎大家 / 踊跃参加» at 24 px, 家's box at the line's
    // end run over the unread 踊. The place for 踊 first tried, before the next line's 跃, holds no
    // ink; taking it, 家 was not split from 踊 and was compared with their joint ink.
    let (_, report) = clean_check(6666, 228);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let u = report.unread_glyphs.iter().find(|u| u.intended == "踊").unwrap_or_else(|| panic!("{:?}", report.unread_glyphs));
    assert!(u.matches, "{u:?}");
}

#[test]
fn a_mark_boxed_apart_at_a_lines_end_continues_the_row() {
    // Clean-only seed 6565 (spent), item 245: «蔬菜和水果”。» centred at 38 px, read «蔬菜和水果?»
    // with the «。» boxed apart as a line of its own (6 px tall) read «?». «”» and «。» were called
    // missing; matched, the «。» began a line of its own.
    let (_, report) = clean_check(6565, 245);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    for m in ["«”» was read as «?»", "«。» was read as «?»"] {
        assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains(m)), "{m}: {:#?}", report.findings);
    }
}

#[test]
fn a_glyph_beside_an_unread_mark_keeps_its_whole_box_for_the_marks_ink() {
    // Seed 3434 (spent), item 232: «（儿» in one box, the bracket unread. Compared with the end of
    // its long box alone, 儿 no longer lent the bracket's ink to the unread mark's search, and «（»
    // was called missing.
    let (_, report) = seeded_check(3434, 232);
    assert!(!report.findings.iter().any(|f| f.rule == "text.missing"), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("«（» was not read, but its ink is there, inside the box of «儿»")), "{:#?}", report.findings);
}

#[test]
fn a_short_line_that_reads_about_as_surely_upside_down_stays_upright() {
    // Clean-only seed 6464 (spent), item 279: a wrapped line's last three glyphs «9日！», which the
    // orientation model calls upside down and which read «1日6» turned round about as surely as
    // upright: «9» and «！» were called substituted.
    let (_, report) = clean_check(6464, 279);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    assert!(report.text.recognized.contains("9日！"), "{}", report.text.recognized);
}

#[test]
fn a_full_stop_inside_the_box_of_a_bracket_read_as_another_mark_is_found() {
    // Clean-only seed 5757, item 225: «…3093」。» at 17 px, «」» read «]» in a box that took in the
    // «。» the recogniser did not read. A mark read there is one piece at its box's near end: the
    // «。» beyond is the unread mark's ink, not a missing one.
    let (_, report) = clean_check(5757, 225);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("text.")), "{:#?}", report.findings);
    let f = report.findings.iter().find(|f| f.message.contains("«。» at the line's end was not read, but its ink is there")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    let (m, g) = (f.bbox.expect("the full stop's ink"), report.glyphs.iter().find(|g| g.char == "]").expect("the bracket read as ]"));
    assert!(m[0] > g.bbox[0] + 0.5 * g.bbox[2], "the full stop's ink {m:?} in the bracket's box {:?}", g.bbox);
}

#[test]
fn a_mark_boxed_apart_at_its_lines_end_is_part_of_that_row() {
    // Clean-only seed 5757, item 35: a 16 px «《定期测量血压和血糖》。» whose «。» the detector boxed
    // apart. Its box is centred low in the line's band, more than half its own (small) em from the
    // line's centre, so the block took it for a second line 16 em off the first's left edge.
    let (_, report) = clean_check(5757, 35);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("block.")), "{:#?}", report.findings);
    assert!(report.lines.iter().any(|l| l.text.chars().count() == 1), "the mark is a line of its own: {:#?}", report.lines);
}

#[test]
fn a_mark_read_again_where_two_boxes_of_a_row_overlap_counts_once() {
    // Clean-only seed 5858, item 286: «…才能取得效果。“最终解释权…» boxed as «得效果。» and
    // «。“最终…», the second box starting inside the «。». The second read it again, with no ink
    // of its own in its cell, and the gate reported an extra «。».
    let (_, report) = clean_check(5858, 286);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("text.")), "{:#?}", report.findings);
    let stops = report.glyphs.iter().filter(|g| g.char == "。" && g.bbox[1] > 380.0 && g.bbox[1] < 430.0).count();
    assert_eq!(stops, 1, "{:#?}", report.glyphs.iter().filter(|g| g.char == "。").collect::<Vec<_>>());
}

#[test]
fn a_flat_stroke_boxed_alone_under_a_column_and_read_as_a_dash_ends_the_column() {
    // Clean-only seed 6767 (spent), item 149: «科学用药 安全第一» down two 44 px columns, 一 boxed
    // alone under «安全第» and read «—». As a horizontal line of its own it was taken into the
    // columns' block: three lines called off its edge, and a line starting with «—».
    let (_, report) = clean_check(6767, 149);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let column = report.lines.iter().find(|l| l.text.starts_with("安全第")).unwrap_or_else(|| panic!("{:#?}", report.lines));
    assert_eq!(column.text.chars().count(), 4, "{column:?}");
}

#[test]
fn a_character_read_in_a_word_space_over_the_next_glyphs_ink_is_not_an_extra_character() {
    // Clean-only seed 6767 (spent), item 50: «科学用药 安全第一» down a column, read «科学用药一安»:
    // a 一 at 0.33 in the word space, its box the top of 安's. It was called an extra character
    // with ink of its own; its ink is 安's, and the recogniser finds the intended text nearly as
    // likely.
    let (_, report) = clean_check(6767, 50);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("text.")), "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.low_confidence" && f.message.contains("extra «一»")), "{:#?}", report.findings);
}

#[test]
fn a_glyph_whose_faint_strokes_binarise_away_is_not_measured_turned() {
    // Clean-only seed 6767 (spent), item 85: a 16 px serif 卡 whose thin horizontals are faint.
    // Its binarised ink lacks 28 % of the character, which a turn of 6.8° explained a fifth of,
    // while its grey levels leave no patch: it was called turned past the 6.3° limit.
    let (_, report) = clean_check(6767, 85);
    assert!(!report.findings.iter().any(|f| f.rule == "layout.rotation"), "{:#?}", report.findings);
}

#[test]
fn an_unread_glyph_after_a_word_space_at_a_columns_end_is_sought_there() {
    // Seed 3838 (spent), item 183: «合理膳食 均衡营养» down two columns, 均 drawn with a swapped
    // component 1.1 em below 食 (after the word space) and boxed by no line. Its place was sought
    // before 衡 at the next column's top, which holds other ink, and it was only reported missing.
    let (item, report) = seeded_check(3838, 183);
    let t = item.truth.glyphs.iter().find(|g| g.defect.as_deref() == Some("component_swapped")).and_then(|g| g.bbox).unwrap();
    let u = report.unread_glyphs.iter().find(|u| u.intended == "均").unwrap_or_else(|| panic!("{:?}", report.unread_glyphs));
    let (cy, ty) = (u.bbox[1] + u.bbox[3] / 2.0, t[1] as f32 + t[3] as f32 / 2.0);
    assert!((cy - ty).abs() < 0.3 * t[3] as f32, "sought at {:?}, drawn at {t:?}", u.bbox);
    assert!(report.findings.iter().any(|f| f.rule == "glyph.garbled" && f.message.contains("«均» was not read")), "{:#?}", report.findings);
}

#[test]
fn a_glyph_down_a_column_beside_a_flat_one_is_not_taken_for_two_glyphs_run_together() {
    // Clean-only seed 6868 (spent), item 244: «限时优惠 仅此一天» down two 41 px columns, 仅 after
    // the word space unread. Its place was sought before 此 at the next column's top, where a glyph
    // was taken to be 22 px long (the median of the flat 一's 5 and 天's 39): 此's 41 px box was
    // cut as two glyphs run together, and across the column, leaving 此 its 止 alone.
    let (_, report) = clean_check(6868, 244);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let ci = report.glyphs.iter().find(|g| g.char == "此").expect("此 read");
    let v = ci.verify.as_ref().expect("此 verified");
    assert!(v.ink_size[0] >= 0.8 * ci.bbox[2], "此 compared with {:?} of its {:?} box", v.ink_size, ci.bbox);
}

#[test]
fn a_stroke_edge_in_the_pixel_column_two_boxes_share_is_the_neighbours() {
    // Clean-only seed 6868 (spent), item 71: «中心» at 14 px, 中's box one pixel into 心's. The
    // blurred edge of 中's right stroke in that column (and the pixel it spreads past) was taken
    // as 心's ink: extra ink at its left, and 心 called garbled.
    let (_, report) = clean_check(6868, 71);
    assert!(!report.findings.iter().any(|f| f.rule.starts_with("glyph.") && f.message.contains("«心»")), "{:#?}", report.findings);
    let xin = report.glyphs.iter().find(|g| g.char == "心" && g.verify.is_some()).expect("心 verified");
    assert_eq!(xin.status, cjkcheck::rules::GlyphStatus::Ok, "{xin:?}");
}

#[test]
fn a_glyph_whose_stroke_the_recogniser_boxed_apart_is_compared_over_both_boxes() {
    // Clean-only seed 6868 (spent), item 5: a light-face 儿 at 19 px, its 丿 boxed apart and read
    // «J». Compared from its other stroke alone (a 7 px box), it was measured turned 9°.
    let (_, report) = clean_check(6868, 5);
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
    let er = report.glyphs.iter().filter(|g| g.char == "儿").min_by(|a, b| a.bbox[2].total_cmp(&b.bbox[2])).expect("儿 read");
    let v = er.verify.as_ref().expect("儿 verified");
    assert!(v.ink_size[0] >= 1.5 * er.bbox[2], "儿 compared with {:?} from its {:?} box", v.ink_size, er.bbox);
    assert!(v.fit.missing < 0.1, "{:?}", v.fit);
}

#[test]
fn an_unread_glyph_is_judged_on_ink_of_a_glyphs_size_not_on_a_piece_that_matches() {
    // Mixed seed 4040 (spent), item 130: a 19 px 助 with its 力 swapped for 乞, unread, run into
    // 于's box. The region a glyph long at the box's start held all of it (and did not match 助's
    // strokes); one shifted half a stroke back held 且 alone, 11 px wide, which matched them
    // loosely and was taken, fitted at 12 px on a line of 19: a warning that it matches.
    let (item, report) = seeded_check(4040, 130);
    let t = defect_box(&item);
    let u = report.unread_glyphs.iter().find(|u| u.intended == "助").unwrap_or_else(|| panic!("{:?}", report.unread_glyphs));
    assert!(u.bbox[2] >= 0.8 * t[2], "judged on {:?} of the glyph drawn at {t:?}", u.bbox);
    assert!(!u.matches, "{u:?}");
    let f = report.findings.iter().find(|f| f.severity == Severity::Error && f.message.contains("«助»")).unwrap_or_else(|| panic!("{:#?}", report.findings));
    assert!(f.rule == "text.missing" || f.rule == "glyph.garbled", "{f:?}");
}

#[test]
fn two_blocks_of_one_text_get_the_glyphs_standing_in_their_boxes() {
    // Mixed seed 4040 (spent), item 193 (clean): a heading «关爱老人 温暖同行» over three lines
    // and the same text down a side column. One block's reading joined the heading's «关爱老人»
    // to the column's «温暖同行», and the heading was measured as one block with the column: lines
    // 9.8 em apart at their left edges.
    let (item, report) = seeded_check(4040, 193);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.severity == Severity::Error), "{:#?}", report.findings);
}

#[test]
fn a_justified_line_ending_in_a_narrow_han_glyph_is_measured_from_its_em_slot() {
    // Mixed seed 4040 (spent), item 194 (clean): a justified Kai paragraph whose second line ends
    // in «月», whose ink stops short of its em slot's right side: the line was measured by its ink,
    // 0.5 em short of the block's right edge (limit 0.4).
    let (item, report) = seeded_check(4040, 194);
    assert_eq!(item.truth.defect, "clean");
    assert!(!report.findings.iter().any(|f| f.rule == "block.alignment"), "{:#?}", report.findings);
}
