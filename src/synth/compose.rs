//! Page composition for the synthetic corpus. Takes a seeded RNG, an image kind (`poster`, `flyer`,
//! `ui`) and the phrase/character lists; gives the intended [`Spec`] (canvas, theme, blocks with fonts,
//! sizes 14–120 px, colours, alignment, some vertical text) plus the rendering parameters that the spec
//! does not carry (photo-like background, blur, JPEG quality).

use super::degrade::{color_in, hex, luma};
use super::rng::Rng;
use super::text::{self, Phrases};
use crate::spec::{Align, Block, Canvas, Orientation, Spec, Weight};
use serde::Serialize;

/// How the page is rendered beyond its spec.
#[derive(Debug, Clone, Serialize)]
pub struct Look {
    /// `solid`, `vgradient`, `hgradient`, `noise` or `photo`.
    pub background: String,
    pub base_color: String,
    pub light_on_dark: bool,
    pub blur_sigma: f64,
    pub jpeg_quality: Option<u8>,
    /// Mild keystone `[gx, gy]`: a homography about the canvas centre, p' = c + (p − c) / (1 + gx·dx/W +
    /// gy·dy/H), applied to the glyphs; it tilts lines by at most ~0.6° (never used on `skew` pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perspective: Option<[f64; 2]>,
}

fn est_lines(text: &str, size: f32, width: f32) -> usize {
    let w: f32 = text.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f32>() * size;
    ((w * 1.08 / width).ceil() as usize).max(1)
}

struct Page<'a> {
    rng: &'a mut Rng,
    h: f32,
    margin: f32,
    y: f32,
    blocks: Vec<Block>,
    ink: [u8; 3],
    accent: [u8; 3],
}

impl Page<'_> {
    /// Adds a horizontal block at the cursor if it fits; returns whether it did.
    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, text: String, font: &str, weight: Weight, size: f32, align: Align, accent: bool, x: f32, width: f32) -> bool {
        let lh = if size >= 40.0 { 1.25 } else { self.rng.range(1.35, 1.7) };
        let lines = est_lines(&text, size, width);
        let height = lines as f32 * size * lh + size * 0.5;
        if self.y + height > self.h - self.margin {
            return false;
        }
        let mut b = Block::new(text);
        b.font = font.into();
        b.weight = weight;
        b.size = size.round();
        b.color = hex(if accent { self.accent } else { self.ink });
        b.align = align;
        b.bbox = Some([x.round(), self.y.round(), width.round(), height.round()]);
        b.line_height = (lh * 100.0).round() / 100.0;
        self.blocks.push(b);
        self.y += height + size * self.rng.range(0.3, 1.0);
        true
    }
}

pub const STYLES: [&str; 4] = ["sans", "serif", "kai", "display"];

fn pick_style(rng: &mut Rng) -> (&'static str, Weight) {
    let s = match rng.below(10) {
        0..=3 => "sans",
        4..=5 => "serif",
        6..=8 => "kai",
        _ => "display",
    };
    let w = if s != "serif" && s != "display" && rng.chance(0.35) { Weight::Bold } else { Weight::Regular };
    (s, w)
}

/// Composes a page of `kind`.
pub fn compose(rng: &mut Rng, kind: &str, p: &Phrases, chars: &[char]) -> (Spec, Look) {
    let (w, h) = match kind {
        "poster" => {
            let w = rng.int(520, 720) as f32;
            (w, (w * rng.range(1.3, 1.5)).round())
        }
        "ui" => (rng.int(360, 440) as f32, rng.int(680, 800) as f32),
        _ => {
            let w = rng.int(600, 760) as f32;
            (w, (w * rng.range(1.2, 1.42)).round())
        }
    };
    let light_on_dark = rng.chance(0.25);
    let (bg, ink, accent) = if light_on_dark {
        (color_in(rng, 0.05, 0.28), color_in(rng, 0.85, 1.0), color_in(rng, 0.7, 0.95))
    } else {
        (color_in(rng, 0.82, 1.0), color_in(rng, 0.0, 0.25), color_in(rng, 0.1, 0.4))
    };
    let bg_kind = *rng.pick(&["solid", "solid", "vgradient", "hgradient", "noise", "photo", "photo"]);
    let bg2 = {
        let d = 28;
        bg.map(|v| (v as i64 + rng.int(-d, d)).clamp(0, 255) as u8)
    };
    let bg2 = if (luma(bg2) - luma(bg)).abs() > 0.12 { bg } else { bg2 };
    let background = match bg_kind {
        "vgradient" => format!("vgradient {} {}", hex(bg), hex(bg2)),
        "hgradient" => format!("hgradient {} {}", hex(bg), hex(bg2)),
        "noise" => format!("noise {}", hex(bg)),
        _ => hex(bg),
    };
    let (style, weight) = pick_style(rng);
    let (tstyle, tweight) = if rng.chance(0.5) { (style, Weight::Bold) } else { pick_style(rng) };
    let margin = (w * rng.range(0.05, 0.09)).round();
    let mut page = Page { rng, h, margin, y: margin, blocks: vec![], ink, accent };
    let inner = w - 2.0 * margin;
    match kind {
        "poster" => {
            let t = text::title(page.rng, p, chars);
            let n = t.chars().count() as f32;
            let size = page.rng.range(56.0, 120.0).min(inner / (n * 0.55).max(1.0)).min(inner / 4.0).max(28.0);
            page.add(t, tstyle, tweight, size, Align::Center, true, margin, inner);
            let sub = text::sentence(page.rng, p, chars);
            let size = page.rng.range(24.0, 40.0);
            page.add(sub, style, weight, size, Align::Center, false, margin, inner);
            let body_w = if page.rng.chance(0.3) { inner * 0.72 } else { inner };
            let size = page.rng.range(18.0, 32.0);
            let align = *page.rng.pick(&[Align::Left, Align::Justify, Align::Center]);
            let body = text::paragraph(page.rng, p, chars, (body_w / size * 2.5) as usize);
            let y_body = page.y;
            page.add(body, style, weight, size, align, false, margin, body_w);
            if body_w < inner && page.rng.chance(0.8) {
                // a vertical slogan beside the body
                let t = text::title(page.rng, p, chars);
                let vs = (inner * 0.28 * 0.6).clamp(18.0, 44.0).round();
                let mut b = Block::new(t);
                b.font = tstyle.into();
                b.weight = tweight;
                b.size = vs;
                b.color = hex(accent);
                b.orientation = Orientation::Vertical;
                let bx = margin + body_w + inner * 0.04;
                let bw = w - margin - bx;
                let bh = (h - margin - y_body).min(vs * 12.0);
                if bh > vs * 4.0 {
                    b.bbox = Some([bx.round(), y_body.round(), bw.round(), bh.round()]);
                    b.line_height = 1.3;
                    page.blocks.push(b);
                }
            }
            let size = page.rng.range(14.0, 18.0);
            let f = text::footer(page.rng, p, chars);
            page.add(f, style, Weight::Regular, size, Align::Center, false, margin, inner);
        }
        "ui" => {
            let size = page.rng.range(20.0, 28.0);
            let t = text::ui_label(page.rng, p, chars);
            page.add(t, tstyle, tweight, size, Align::Center, true, margin, inner);
            let rows = page.rng.int(4, 9);
            for _ in 0..rows {
                let size = page.rng.range(14.0, 22.0);
                let t = if page.rng.chance(0.5) {
                    text::ui_label(page.rng, p, chars)
                } else {
                    text::sentence(page.rng, p, chars)
                };
                let align = *page.rng.pick(&[Align::Left, Align::Left, Align::Justify]);
                if !page.add(t, style, weight, size, align, false, margin, inner) {
                    break;
                }
            }
            let size = page.rng.range(18.0, 24.0);
            let t = text::ui_label(page.rng, p, chars);
            page.add(t, tstyle, Weight::Bold, size, Align::Center, true, margin + inner * 0.2, inner * 0.6);
        }
        _ => {
            let t = text::title(page.rng, p, chars);
            let size = page.rng.range(32.0, 56.0);
            let align = *page.rng.pick(&[Align::Left, Align::Center]);
            page.add(t, tstyle, tweight, size, align, true, margin, inner);
            let paras = page.rng.int(2, 3);
            for _ in 0..paras {
                let size = page.rng.range(16.0, 28.0);
                let align = *page.rng.pick(&[Align::Left, Align::Justify, Align::Justify]);
                let body = text::paragraph(page.rng, p, chars, (inner / size * 2.2) as usize);
                if !page.add(body, style, weight, size, align, false, margin, inner) {
                    break;
                }
            }
            let items = page.rng.int(2, 4);
            for _ in 0..items {
                let size = page.rng.range(16.0, 24.0);
                let t = text::sentence(page.rng, p, chars);
                if !page.add(t, style, weight, size, Align::Left, false, margin, inner) {
                    break;
                }
            }
            let size = page.rng.range(14.0, 16.0);
            let f = text::footer(page.rng, p, chars);
            page.add(f, style, Weight::Regular, size, Align::Center, false, margin, inner);
        }
    }
    let blocks = page.blocks;
    let blur_sigma = if rng.chance(0.35) { (rng.range(0.3, 1.2) as f64 * 100.0).round() / 100.0 } else { 0.0 };
    let jpeg_quality = rng.chance(0.5).then(|| rng.int(50, 95) as u8);
    let perspective = rng.chance(0.15).then(|| {
        let r = |x: f32| ((x as f64) * 10000.0).round() / 10000.0;
        [r(rng.range(-1.0, 1.0) * 0.02 * w / h), r(rng.range(-1.0, 1.0) * 0.02 * h / w)]
    });
    let spec = Spec {
        canvas: Some(Canvas { width: w as u32, height: h as u32, background }),
        locale: Some(crate::spec::Locale::Hans),
        blocks,
    };
    let look = Look { background: bg_kind.into(), base_color: hex(bg), light_on_dark, blur_sigma, jpeg_quality, perspective };
    (spec, look)
}
