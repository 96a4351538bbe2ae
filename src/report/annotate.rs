//! Annotated PNG output: takes the image and coloured quads/labels; gives an RGB image with outlines
//! drawn over it (simple anti-alias-free lines, 2 px wide) so a person can see what was found where.

use crate::geometry::Pt;
use image::{Rgb, RgbImage};

pub const GREEN: [u8; 3] = [0, 170, 60];
pub const RED: [u8; 3] = [220, 20, 30];
pub const ORANGE: [u8; 3] = [240, 140, 0];
pub const BLUE: [u8; 3] = [30, 90, 230];
pub const GREY: [u8; 3] = [150, 150, 150];

/// Draws a line segment of the given width.
pub fn draw_line(img: &mut RgbImage, a: Pt, b: Pt, colour: [u8; 3], width: f32) {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let steps = (len * 2.0).ceil() as usize;
    let r = (width / 2.0).max(0.5);
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        let (x, y) = (a[0] + dx * t, a[1] + dy * t);
        let (x0, x1) = ((x - r).floor() as i64, (x + r).ceil() as i64);
        let (y0, y1) = ((y - r).floor() as i64, (y + r).ceil() as i64);
        for py in y0..y1 {
            for px in x0..x1 {
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    img.put_pixel(px as u32, py as u32, Rgb(colour));
                }
            }
        }
    }
}

/// Draws a closed quadrilateral outline.
pub fn draw_quad(img: &mut RgbImage, q: &[Pt; 4], colour: [u8; 3], width: f32) {
    for i in 0..4 {
        draw_line(img, q[i], q[(i + 1) % 4], colour, width);
    }
}

/// Draws an axis-aligned box `[x, y, w, h]`.
pub fn draw_box(img: &mut RgbImage, b: [f32; 4], colour: [u8; 3], width: f32) {
    let q = [[b[0], b[1]], [b[0] + b[2], b[1]], [b[0] + b[2], b[1] + b[3]], [b[0], b[1] + b[3]]];
    draw_quad(img, &q, colour, width);
}

/// Draws a page's line quads (blue) and glyph ink boxes (green; grey where no ink was found).
pub fn annotate_page(img: &RgbImage, page: &crate::ocr::Page) -> RgbImage {
    let mut out = img.clone();
    let w = (img.width().max(img.height()) as f32 / 800.0).clamp(1.0, 3.0);
    for l in &page.lines {
        draw_quad(&mut out, &l.quad, BLUE, w);
        for g in &l.chars {
            draw_quad(&mut out, &g.quad, if g.ink_found { GREEN } else { GREY }, (w * 0.6).max(1.0));
        }
    }
    out
}

/// Draws a check report: glyph boxes coloured by status (green ok, red wrong/garbled/extra, orange
/// low confidence or suspect, grey unverified) and finding boxes (red errors, orange warnings) with a margin.
pub fn annotate_report(img: &RgbImage, r: &crate::check::CheckReport) -> RgbImage {
    use crate::rules::GlyphStatus as S;
    use crate::verdict::Severity;
    let mut out = img.clone();
    let w = (img.width().max(img.height()) as f32 / 800.0).clamp(1.0, 3.0);
    for l in &r.lines {
        draw_quad(&mut out, &l.quad, BLUE, (w * 0.5).max(1.0));
    }
    for g in &r.glyphs {
        let c = match g.status {
            S::Ok => GREEN,
            S::Substituted | S::Garbled | S::Extra => RED,
            S::LowConfidence | S::Suspect => ORANGE,
            S::Unverified => GREY,
        };
        draw_box(&mut out, g.bbox, c, (w * 0.6).max(1.0));
    }
    for (k, f) in r.findings.iter().enumerate() {
        let Some(b) = f.bbox else { continue };
        let c = match f.severity {
            Severity::Error => RED,
            Severity::Warning => ORANGE,
            Severity::Info => continue,
        };
        let m = 3.0 * w;
        draw_box(&mut out, [b[0] - m, b[1] - m, b[2] + 2.0 * m, b[3] + 2.0 * m], c, w * 1.5);
        // The finding's number in the text report, above the box's top-left corner.
        let h = (8.0 * w).max(b[3].min(24.0));
        draw_number(&mut out, k + 1, [b[0] - m, (b[1] - m - h - 2.0 * w).max(0.0)], h, c, w);
    }
    out
}

/// Adds a strip below the annotated image: for every glyph finding (wrong, garbled or suspect glyph), its
/// number, the glyph as drawn — with the patches of ink it lacks (red) or has extra (blue) against
/// the intended character, where verification found them — and the intended character as drawn in
/// the reference face the glyph fits best (and, for a substituted glyph, the character it is).
pub fn with_glyph_strip(original: &RgbImage, annotated: &RgbImage, r: &crate::check::CheckReport, refs: &crate::reference::References) -> RgbImage {
    use crate::reference::REF_EM;
    // Per glyph finding: number, box, intended character, its residual and best face (a read glyph's
    // verification, or the comparison of ink the recogniser did not read).
    type Residual = crate::verify::residual::Residual;
    // A substituted glyph also shows the character its ink is (the one read, or the reading the
    // recogniser nearly gave that fits it better).
    let flagged: Vec<(usize, [f32; 4], char, Option<Residual>, Option<&str>, Option<char>)> = r
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| matches!(f.rule.as_str(), "glyph.garbled" | "glyph.substituted" | "glyph.suspect"))
        .filter_map(|(k, f)| {
            let b = f.bbox?;
            if let Some(g) = r.glyphs.iter().find(|g| g.bbox == b) {
                let v = g.verify.as_ref();
                let want = g.intended.as_deref()?.chars().next()?;
                let is = match (f.rule.as_str(), v.and_then(|c| c.alternative.as_ref())) {
                    ("glyph.substituted", Some(a)) if g.char.chars().next() == Some(want) => a.char.chars().next(),
                    ("glyph.substituted", _) => g.char.chars().next().filter(|&c| c != want),
                    _ => None,
                };
                return Some((k + 1, b, want, v.and_then(|c| c.residual), v.map(|c| c.best_face.as_str()), is));
            }
            let u = r.unread_glyphs.iter().find(|u| u.bbox == b)?;
            Some((k + 1, b, u.intended.chars().next()?, u.residual, Some(u.best_face.as_str()), None))
        })
        .collect();
    if flagged.is_empty() {
        return annotated.clone();
    }
    let cell = REF_EM as u32;
    let (pad, label) = (8u32, 28u32);
    let cells = if flagged.iter().any(|f| f.5.is_some()) { 3 } else { 2 };
    let per = label + cells * cell + (cells + 1) * pad;
    let cols = ((annotated.width().max(per)) / per).max(1);
    let rows = (flagged.len() as u32).div_ceil(cols);
    let mut out = RgbImage::from_pixel(annotated.width().max(per), annotated.height() + rows * (cell + 2 * pad), image::Rgb([255, 255, 255]));
    image::imageops::replace(&mut out, annotated, 0, 0);
    for (i, (num, b, want, residual, face, is)) in flagged.iter().enumerate() {
        let (cx, cy) = ((i as u32 % cols) * per, annotated.height() + (i as u32 / cols) * (cell + 2 * pad) + pad);
        draw_number(&mut out, *num, [cx as f32 + 4.0, cy as f32 + 4.0], 20.0, RED, 2.0);
        // The glyph as drawn (from the original, with a small margin), scaled to the cell.
        let m = (b[2].max(b[3]) * 0.1).max(1.0);
        let (x0, y0) = ((b[0] - m).max(0.0) as u32, (b[1] - m).max(0.0) as u32);
        let (iw, ih) = original.dimensions();
        let (x0, y0) = (x0.min(iw - 1), y0.min(ih - 1));
        let w = ((b[2] + 2.0 * m).ceil() as u32).clamp(1, iw - x0);
        let h = ((b[3] + 2.0 * m).ceil() as u32).clamp(1, ih - y0);
        let crop = image::imageops::crop_imm(original, x0, y0, w, h).to_image();
        let k = (cell as f32 * 0.9) / w.max(h) as f32;
        let scaled = image::imageops::resize(&crop, ((w as f32 * k) as u32).max(1), ((h as f32 * k) as u32).max(1), image::imageops::FilterType::Triangle);
        image::imageops::replace(&mut out, &scaled, (cx + label + pad) as i64, cy as i64);
        let patches = residual.map(|r| [(r.missing_box, RED), (r.extra_box, BLUE)]).unwrap_or_default();
        for (p, colour) in patches {
            if let Some(p) = p {
                let to_strip = |x: f32, y: f32| [(cx + label + pad) as f32 + (x - x0 as f32) * k, cy as f32 + (y - y0 as f32) * k];
                let (a, z) = (to_strip(p[0], p[1]), to_strip(p[0] + p[2], p[1] + p[3]));
                draw_box(&mut out, [a[0] - 1.0, a[1] - 1.0, z[0] - a[0] + 2.0, z[1] - a[1] + 2.0], colour, 1.0);
            }
        }
        // The intended character in the face the glyph fits best (else the first that has it),
        // boxed green; beside it, for a substituted glyph, the character its ink is, boxed red.
        let shown = std::iter::once((*want, GREEN)).chain(is.map(|c| (c, RED)));
        for (j, (ch, colour)) in shown.enumerate() {
            let coverage = face.and_then(|f| refs.coverage(ch, f)).or_else(|| refs.glyphs(ch).into_iter().next().map(|g| g.coverage));
            let Some(coverage) = coverage else { continue };
            let rx = cx + label + (1 + j as u32) * (cell + pad) + pad;
            for y in 0..REF_EM {
                for x in 0..REF_EM {
                    let a = coverage[y * REF_EM + x];
                    if a > 0.0 {
                        let v = (255.0 * (1.0 - a)) as u8;
                        out.put_pixel(rx + x as u32, cy + y as u32, image::Rgb([v, v, v]));
                    }
                }
            }
            draw_box(&mut out, [rx as f32, cy as f32, cell as f32, cell as f32], colour, 1.0);
        }
    }
    out
}

/// Draws a number in seven-segment strokes (no font needed): top-left corner `at`, digit height `h`.
pub fn draw_number(img: &mut RgbImage, n: usize, at: Pt, h: f32, colour: [u8; 3], width: f32) {
    // Segments a..g as (x0, y0, x1, y1) in a 1×2 cell.
    const SEG: [[f32; 4]; 7] = [
        [0.0, 0.0, 1.0, 0.0],
        [1.0, 0.0, 1.0, 1.0],
        [1.0, 1.0, 1.0, 2.0],
        [0.0, 2.0, 1.0, 2.0],
        [0.0, 1.0, 0.0, 2.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 1.0, 1.0, 1.0],
    ];
    const DIGITS: [u8; 10] = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];
    let s = h / 2.0;
    for (i, d) in n.to_string().bytes().enumerate() {
        let x0 = at[0] + i as f32 * s * 1.6;
        let bits = DIGITS[(d - b'0') as usize];
        for (k, seg) in SEG.iter().enumerate() {
            if bits & (1 << k) != 0 {
                draw_line(img, [x0 + seg[0] * s, at[1] + seg[1] * s], [x0 + seg[2] * s, at[1] + seg[3] * s], colour, width);
            }
        }
    }
}
