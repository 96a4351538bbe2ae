//! Reference-image tests for the typesetter (resvg style): each `tests/golden/NAME.toml` has its
//! expected rendering `NAME.png` beside it. `CJKCHECK_BLESS=1 cargo test --release --test render`
//! rewrites the references; a failure writes `target/golden-diff/NAME.png` (expected | diff | actual).

use cjkcheck::render::{self, linebreak, Fonts};
use cjkcheck::spec::{Block, Canvas, Spec};
use image::{Rgb, RgbImage};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(|| Fonts::bundled().expect("bundled fonts and stroke data"))
}

/// Channel difference a pixel may have without counting as different (anti-aliasing noise).
const PIXEL_TOLERANCE: u8 = 24;
/// Share of pixels that may differ by more than that.
const MAX_DIFFERING: f64 = 0.001;

fn diff_sheet(exp: &RgbImage, act: &RgbImage) -> RgbImage {
    let (w, h) = (exp.width().max(act.width()), exp.height().max(act.height()));
    let mut out = RgbImage::from_pixel(w * 3 + 8, h, Rgb([255, 0, 255]));
    for y in 0..h {
        for x in 0..w {
            let e = exp.get_pixel_checked(x, y).copied();
            let a = act.get_pixel_checked(x, y).copied();
            if let Some(e) = e {
                out.put_pixel(x, y, e);
            }
            if let Some(a) = a {
                out.put_pixel(2 * w + 8 + x, y, a);
            }
            let d = match (e, a) {
                (Some(e), Some(a)) => (0..3).map(|k| e.0[k].abs_diff(a.0[k])).max().unwrap(),
                _ => 255,
            };
            let v = if d > PIXEL_TOLERANCE { Rgb([255, 0, 0]) } else { Rgb([255 - d * 4, 255 - d * 4, 255 - d * 4]) };
            out.put_pixel(w + 4 + x, y, v);
        }
    }
    out
}

fn check_golden(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let spec = Spec::load(&dir.join(format!("{name}.toml"))).unwrap();
    let actual = render::render(&spec, fonts()).image;
    let png = dir.join(format!("{name}.png"));
    if std::env::var_os("CJKCHECK_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&png, render::encode_png(&actual)).unwrap();
        return;
    }
    let expected = image::open(&png)
        .unwrap_or_else(|e| panic!("{}: {e} (create it with CJKCHECK_BLESS=1)", png.display()))
        .to_rgb8();
    let mut differing = 0usize;
    if expected.dimensions() == actual.dimensions() {
        for (e, a) in expected.pixels().zip(actual.pixels()) {
            if (0..3).any(|k| e.0[k].abs_diff(a.0[k]) > PIXEL_TOLERANCE) {
                differing += 1;
            }
        }
    }
    let total = (expected.width() * expected.height()) as f64;
    if expected.dimensions() != actual.dimensions() || differing as f64 > MAX_DIFFERING * total {
        let out: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-diff");
        std::fs::create_dir_all(&out).unwrap();
        let sheet = out.join(format!("{name}.png"));
        diff_sheet(&expected, &actual).save(&sheet).unwrap();
        panic!(
            "{name}: {differing} pixels differ by more than {PIXEL_TOLERANCE} (sizes {:?} vs {:?}); see {} \
             (expected | diff | actual); if the change is intended, rerun with CJKCHECK_BLESS=1",
            expected.dimensions(),
            actual.dimensions(),
            sheet.display()
        );
    }
}

#[test]
fn golden_horizontal() {
    check_golden("horizontal");
}

#[test]
fn golden_vertical() {
    check_golden("vertical");
}

#[test]
fn golden_strokes() {
    check_golden("strokes");
}

/// Black text on white: every pixel with ink lies in some glyph's truth box, and every box is tight
/// (each of its four edges touches ink).
#[test]
fn truth_boxes_cover_the_ink_tightly() {
    for name in ["horizontal", "vertical", "strokes"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        let mut spec = Spec::load(&dir.join(format!("{name}.toml"))).unwrap();
        spec.canvas.as_mut().unwrap().background = "#ffffff".into();
        for b in &mut spec.blocks {
            b.color = "#000000".into();
        }
        let r = render::render(&spec, fonts());
        let boxes: Vec<[u32; 4]> = r.glyphs.iter().filter_map(|g| g.bbox).collect();
        assert_eq!(boxes.len(), r.glyphs.len(), "{name}: every glyph has ink");
        let dark = |x: u32, y: u32| 255 - r.image.get_pixel(x, y).0[0];
        let inside = |x: u32, y: u32| boxes.iter().any(|b| x >= b[0] && y >= b[1] && x < b[0] + b[2] && y < b[1] + b[3]);
        for (x, y, _) in r.image.enumerate_pixels() {
            if dark(x, y) as f32 > 0.3 * 255.0 {
                assert!(inside(x, y), "{name}: ink at ({x},{y}) outside every glyph box");
            }
        }
        for (g, b) in r.glyphs.iter().zip(&boxes) {
            let (x0, y0, x1, y1) = (b[0], b[1], b[0] + b[2] - 1, b[1] + b[3] - 1);
            let edge = |pts: Vec<(u32, u32)>| pts.into_iter().any(|(x, y)| dark(x, y) as f32 >= 0.2 * 255.0);
            assert!(edge((x0..=x1).map(|x| (x, y0)).collect()), "{name}: {} box {b:?} loose at top", g.char);
            assert!(edge((x0..=x1).map(|x| (x, y1)).collect()), "{name}: {} box {b:?} loose at bottom", g.char);
            assert!(edge((y0..=y1).map(|y| (x0, y)).collect()), "{name}: {} box {b:?} loose at left", g.char);
            assert!(edge((y0..=y1).map(|y| (x1, y)).collect()), "{name}: {} box {b:?} loose at right", g.char);
        }
    }
}

#[test]
fn rendered_lines_honour_prohibition_rules() {
    let text = "请遵医嘱（每日三次），饭后服用。如有不适——请立即停药……并咨询医生！“注意”：儿童慎用；孕妇禁用？";
    for w in [90.0, 130.0, 170.0, 230.0] {
        let mut b = Block::new(text);
        b.size = 20.0;
        b.bbox = Some([0.0, 0.0, w, 600.0]);
        let spec = Spec { canvas: Some(Canvas { width: 240, height: 600, background: "#ffffff".into() }), locale: None, blocks: vec![b] };
        let l = render::layout(&spec, fonts());
        assert!(l.lines.len() > 1);
        let joined: String = l.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined, text);
        for line in &l.lines {
            let first = line.text.chars().next().unwrap();
            let last = line.text.chars().last().unwrap();
            assert!(!linebreak::is_line_start_prohibited(first), "width {w}: {:?}", line.text);
            assert!(!linebreak::is_line_end_prohibited(last), "width {w}: {:?}", line.text);
            assert!(line.em_box[0] + line.em_box[2] <= w + 0.5, "width {w}: line overflows: {:?}", line.text);
        }
    }
}

#[test]
fn dash_pair_maps_to_one_cluster() {
    let spec = Spec::from_text("停药——咨询");
    let l = render::layout(&spec, fonts());
    let texts: Vec<&str> = l.glyphs.iter().map(|g| g.text.as_str()).collect();
    let all: String = texts.concat();
    assert_eq!(all, "停药——咨询");
    assert!(texts.iter().all(|t| !t.is_empty()));
    // Noto shapes the pair to one glyph: one cluster, one truth entry
    assert!(texts.contains(&"——"), "{texts:?}");
}

#[test]
fn justify_stretches_between_han_but_never_inside_latin_words() {
    let text = "本品含250mg有效成分，每日3次，请遵医嘱按时服药。";
    let spec_for = |align: &str| {
        let mut b = Block::new(text);
        b.size = 20.0;
        b.bbox = Some([10.0, 10.0, 280.0, 100.0]);
        b.align = serde_json::from_value(serde_json::json!(align)).unwrap();
        Spec { canvas: Some(Canvas { width: 300, height: 120, background: "#ffffff".into() }), locale: None, blocks: vec![b] }
    };
    let left = render::layout(&spec_for("left"), fonts());
    let just = render::layout(&spec_for("justify"), fonts());
    let x = |l: &render::Layout, t: &str| l.glyphs.iter().find(|g| g.text == t).unwrap().em_box[0];
    assert!((x(&just, "g") - x(&just, "2") - (x(&left, "g") - x(&left, "2"))).abs() < 0.01, "250mg letter-spaced");
    let line0: Vec<_> = just.glyphs.iter().filter(|g| g.line == 0).collect();
    let last = line0.last().unwrap();
    assert!((last.em_box[0] + last.em_box[2] - 290.0).abs() < 1.0, "justified line ends at the box edge");
}
