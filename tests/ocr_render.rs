//! OCR against the typesetter's truth: a rendered spec reads back (round trip) and every glyph's ink
//! box lands on the true ink box, across sizes 14–120 px and the bundled faces.

mod common;
use cjkcheck::render::{fonts::Fonts, render};
use cjkcheck::spec::{Block, Canvas, Spec};

fn spec_for(size: f32, font: &str, text: &str) -> Spec {
    let mut b = Block::new(text);
    b.size = size;
    b.font = font.into();
    let w = (size * 14.0).max(300.0) as u32;
    let h = (size * 5.0).max(120.0) as u32;
    b.bbox = Some([size, size, w as f32 - 2.0 * size, h as f32 - 2.0 * size]);
    Spec { canvas: Some(Canvas { width: w, height: h, background: "#ffffff".into() }), locale: None, blocks: vec![b] }
}

const TEXTS: [&str; 3] = ["请按医嘱服药注意休息", "高血压患者定期复查", "饭后半小时服用两片"];

#[test]
fn rendered_text_reads_back_and_ink_boxes_are_within_2px() {
    let fonts = Fonts::bundled().unwrap();
    let (mut total, mut correct) = (0usize, 0usize);
    let mut edge_err: Vec<f32> = Vec::new();
    for (k, size) in [14.0f32, 20.0, 32.0, 48.0, 72.0, 120.0].into_iter().enumerate() {
        for font in ["sans", "serif", "kai"] {
            let text = TEXTS[k % TEXTS.len()];
            let r = render(&spec_for(size, font, text), &fonts);
            let page = common::reader().read(&r.image).unwrap();
            let read: String = page.lines.iter().map(|l| l.text.as_str()).collect();
            total += text.chars().count();
            correct += text.chars().zip(read.chars()).filter(|(a, b)| a == b).count();
            // Pair glyphs by character order when the reading is exact.
            if read == text {
                let glyphs: Vec<&cjkcheck::ocr::Glyph> = page.lines.iter().flat_map(|l| &l.chars).collect();
                for (t, g) in r.glyphs.iter().zip(glyphs) {
                    let Some(b) = t.bbox else { continue };
                    let tb = [b[0] as f32, b[1] as f32, (b[0] + b[2]) as f32, (b[1] + b[3]) as f32];
                    let gb = [g.bbox[0], g.bbox[1], g.bbox[0] + g.bbox[2], g.bbox[1] + g.bbox[3]];
                    let e = (0..4).map(|i| (tb[i] - gb[i]).abs()).fold(0f32, f32::max);
                    edge_err.push(e);
                }
            }
        }
    }
    let acc = correct as f32 / total as f32;
    assert!(acc >= 0.99, "round-trip accuracy {acc}");
    edge_err.sort_by(f32::total_cmp);
    let median = edge_err[edge_err.len() / 2];
    assert!(edge_err.len() > 100, "too few glyphs compared: {}", edge_err.len());
    assert!(median <= 2.0, "median worst-edge error {median} px");
    eprintln!("round trip {acc:.4}, ink box worst-edge error: median {median} px, p90 {} px over {} glyphs", edge_err[edge_err.len() * 9 / 10], edge_err.len());
}
