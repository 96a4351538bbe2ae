//! Stage `render` (the typesetter): takes a [`Spec`] and the bundled [`Fonts`]; gives an RGB image and
//! the truth about every glyph drawn: its characters, block/line/index, exact ink box (from the
//! rasterised coverage, alpha > 0.25·max), em box, baseline and font.
//!
//! Two steps, so the corpus generator can disturb glyphs between them: [`layout`] shapes (HarfRust),
//! breaks lines (clreq prohibitions) and places glyph outlines (skrifa) as pixel-space paths;
//! [`paint`] fills them (ab_glyph_rasterizer) over the background.
//!
//! ```no_run
//! use cjkcheck::{render, spec::Spec};
//! let fonts = render::Fonts::bundled()?;
//! let out = render::render(&Spec::from_text("每日三次，饭后服用。"), &fonts);
//! out.image.save("out.png").unwrap();
//! # Ok::<(), cjkcheck::error::AssetError>(())
//! ```

pub mod fonts;
pub mod linebreak;

pub use fonts::{Fonts, Seg, P};
use crate::spec::{parse_color, Align, Background, Orientation, Spec};
use image::{Rgb, RgbImage};
use linebreak::{break_lines, is_han, is_latin_or_digit};
use serde::{Deserialize, Serialize};

/// Default canvas when a spec has none.
pub const DEFAULT_CANVAS: (u32, u32) = (800, 600);

/// A glyph placed on the canvas (before painting).
#[derive(Debug, Clone)]
pub struct PlacedGlyph {
    /// The characters of the cluster (usually one; `——` may be one glyph).
    pub text: String,
    pub block: usize,
    pub line: usize,
    /// Index among the drawn (non-space) glyphs of the line.
    pub index: usize,
    /// Font file name, or `strokes` for stroke-outline glyphs.
    pub font: String,
    pub size: f32,
    pub color: [u8; 3],
    /// The em box `[x, y, w, h]` the glyph was set in.
    pub em_box: [f32; 4],
    /// Baseline y (horizontal) or column centre x (vertical).
    pub baseline: f32,
    pub vertical: bool,
    /// The outline in pixel space (y down).
    pub path: Vec<Seg>,
}

impl PlacedGlyph {
    /// Applies `f` to every point of the outline.
    pub fn transform(&mut self, f: impl Fn(P) -> P) {
        for s in &mut self.path {
            *s = s.map(&f);
        }
    }
}

/// A line as laid out.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlacedLine {
    pub block: usize,
    pub line: usize,
    pub text: String,
    /// Union of the glyphs' em boxes.
    pub em_box: [f32; 4],
    pub vertical: bool,
    /// Rotation applied to the whole line (degrees, clockwise in image coordinates); 0 from the typesetter.
    pub angle_deg: f32,
}

/// Everything placed, ready to paint.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub background: Background,
    pub glyphs: Vec<PlacedGlyph>,
    pub lines: Vec<PlacedLine>,
}

/// The truth about one drawn glyph.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GlyphTruth {
    pub char: String,
    pub block: usize,
    pub line: usize,
    pub index: usize,
    /// Ink box `[x, y, w, h]` in image pixels; `None` if nothing was inked (e.g. off canvas).
    pub bbox: Option<[u32; 4]>,
    pub em_box: [f32; 4],
    pub baseline: f32,
    pub font: String,
}

/// The truth about one line.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LineTruth {
    pub block: usize,
    pub line: usize,
    pub text: String,
    /// Union of its glyphs' ink boxes.
    pub bbox: Option<[u32; 4]>,
    pub em_box: [f32; 4],
    pub vertical: bool,
    pub angle_deg: f32,
}

/// A rendered image and its truth.
pub struct Rendered {
    pub image: RgbImage,
    pub glyphs: Vec<GlyphTruth>,
    pub lines: Vec<LineTruth>,
}

/// Typesets and paints `spec`.
pub fn render(spec: &Spec, fonts: &Fonts) -> Rendered {
    let l = layout(spec, fonts);
    let mut img = background_image(l.width, l.height, &l.background);
    let (glyphs, lines) = paint(&l, &mut img);
    Rendered { image: img, glyphs, lines }
}

/// Fills a canvas with a background.
pub fn background_image(w: u32, h: u32, bg: &Background) -> RgbImage {
    let lerp = |a: [u8; 3], b: [u8; 3], t: f32| {
        Rgb([0, 1, 2].map(|k| (a[k] as f32 + (b[k] as f32 - a[k] as f32) * t).round() as u8))
    };
    match *bg {
        Background::Solid(c) => RgbImage::from_pixel(w, h, Rgb(c)),
        Background::VGradient(a, b) => {
            RgbImage::from_fn(w, h, |_, y| lerp(a, b, y as f32 / (h.max(2) - 1) as f32))
        }
        Background::HGradient(a, b) => {
            RgbImage::from_fn(w, h, |x, _| lerp(a, b, x as f32 / (w.max(2) - 1) as f32))
        }
        Background::Noise(c) => RgbImage::from_fn(w, h, |x, y| {
            // a hash, not an RNG: the texture depends only on the pixel position
            let mut v = (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
            v ^= v >> 29;
            v = v.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            v ^= v >> 32;
            let d = (v % 17) as i32 - 8;
            Rgb(c.map(|k| (k as i32 + d).clamp(0, 255) as u8))
        }),
    }
}

struct Unit {
    text: String,
    /// (face, gid, x_off, y_off) in pixels relative to the pen; y down.
    glyphs: Vec<(usize, skrifa::GlyphId, f32, f32)>,
    advance: f32,
    face: usize,
    strokes: bool,
}

/// The horizontal advance of `ch` set alone in the face whose file is `face`, in em (a “ is a
/// full em in Noto Sans SC, 0.35 em in LXGW WenKai).
pub fn advance_em(fonts: &Fonts, face: &str, ch: char) -> Option<f32> {
    let i = fonts.faces.iter().position(|f| f.file == face)?;
    fonts.faces[i].glyph(ch)?;
    let shaped = shape(fonts, i, &ch.to_string(), false, 1.0, true);
    (shaped.len() == 1).then(|| shaped[0].2)
}

fn shape(fonts: &Fonts, face: usize, text: &str, vertical: bool, size: f32, hans: bool) -> Vec<(usize, skrifa::GlyphId, f32, f32, f32)> {
    // returns (cluster byte, gid, advance, x_off, y_off) in pixels, y down
    let f = &fonts.faces[face];
    let sf = harfrust::ShaperFont::new(&f.font);
    let mut buf = harfrust::Buffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    buf.set_direction(if vertical { harfrust::Direction::TopToBottom } else { harfrust::Direction::LeftToRight });
    let lang: Option<harfrust::Language> = (if hans { "zh-Hans" } else { "zh-Hant" }).parse().ok();
    buf.set_language(lang);
    if buf.script().is_none() {
        buf.set_script(Some(harfrust::Script::HAN));
    }
    if harfrust::shape(&sf, &mut buf, harfrust::ShapeOptions::new()).is_err() {
        return Vec::new();
    }
    let sc = size / f.upem;
    buf.glyph_infos()
        .iter()
        .zip(buf.glyph_positions())
        .map(|(i, p)| {
            let adv = if vertical { -p.y_advance as f32 } else { p.x_advance as f32 };
            (i.cluster as usize, skrifa::GlyphId::new(i.glyph_id), adv * sc, p.x_offset as f32 * sc, -p.y_offset as f32 * sc)
        })
        .collect()
}

/// Shapes one paragraph into units (one per cluster).
fn units_of(fonts: &Fonts, primary: usize, use_strokes: bool, text: &str, vertical: bool, size: f32, hans: bool) -> Vec<Unit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let stroke_ok = |c: char| use_strokes && is_han(c) && fonts.strokes.as_ref().is_some_and(|s| s.contains(c));
        if stroke_ok(chars[i]) {
            out.push(Unit { text: chars[i].to_string(), glyphs: vec![], advance: size, face: primary, strokes: true });
            i += 1;
            continue;
        }
        let pick = |c: char| {
            let f = fonts.face_for(primary, c);
            if vertical { fonts.vertical_face_for(f, c) } else { f }
        };
        let face = pick(chars[i]);
        let mut j = i + 1;
        while j < chars.len() && !stroke_ok(chars[j]) && pick(chars[j]) == face {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let shaped = shape(fonts, face, &run, vertical, size, hans);
        let mut starts: Vec<usize> = shaped.iter().map(|g| g.0).collect();
        starts.sort_unstable();
        starts.dedup();
        for (k, &cs) in starts.iter().enumerate() {
            let ce = starts.get(k + 1).copied().unwrap_or(run.len());
            let mut u = Unit { text: run[cs..ce].to_string(), glyphs: vec![], advance: 0.0, face, strokes: false };
            for g in shaped.iter().filter(|g| g.0 == cs) {
                u.glyphs.push((face, g.1, u.advance + g.3, g.4));
                u.advance += g.2;
            }
            out.push(u);
        }
        i = j;
    }
    out
}

fn class(c: char) -> u8 {
    if is_han(c) {
        1
    } else if is_latin_or_digit(c) {
        2
    } else {
        0
    }
}

/// Options that deliberately break typesetting rules (for defect generation).
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    /// Blocks whose lines are broken greedily, ignoring the clreq prohibitions.
    pub naive_break: Vec<usize>,
}

/// Shapes, breaks and places every block of `spec`.
pub fn layout(spec: &Spec, fonts: &Fonts) -> Layout {
    layout_with(spec, fonts, &LayoutOptions::default())
}

/// [`layout`] with rule-breaking options.
pub fn layout_with(spec: &Spec, fonts: &Fonts, opts: &LayoutOptions) -> Layout {
    let (width, height, background) = match &spec.canvas {
        Some(c) => (c.width, c.height, Background::parse(&c.background).unwrap_or(Background::Solid([255; 3]))),
        None => (DEFAULT_CANVAS.0, DEFAULT_CANVAS.1, Background::Solid([255; 3])),
    };
    let mut glyphs = Vec::new();
    let mut lines = Vec::new();
    let nblocks = spec.blocks.len().max(1) as f32;
    for (bi, b) in spec.blocks.iter().enumerate() {
        let vertical = b.orientation == Orientation::Vertical;
        let size = b.size;
        let color = parse_color(&b.color).unwrap_or([0; 3]);
        let bx = b.bbox.unwrap_or_else(|| {
            let (mw, mh) = (width as f32 * 0.05, height as f32 * 0.05);
            let h = (height as f32 - 2.0 * mh) / nblocks;
            [mw, mh + h * bi as f32, width as f32 - 2.0 * mw, h]
        });
        let primary = fonts.select(&b.font, b.weight);
        let use_strokes = b.font == "strokes";
        let hans = spec.block_locale(bi) == crate::spec::Locale::Hans;
        let em_top = fonts.faces[primary].em_top;
        let pitch = size * b.line_height;
        let avail = if vertical { bx[3] } else { bx[2] };
        let mut line_no = 0;
        for para in b.text.split('\n') {
            let mut units = units_of(fonts, primary, use_strokes, para, vertical, size, hans);
            // Han–Latin gap, attached to the unit before the boundary
            if !vertical {
                for k in 1..units.len() {
                    let (a, c) = (units[k - 1].text.chars().last().unwrap_or(' '), units[k].text.chars().next().unwrap_or(' '));
                    let (ca, cc) = (class(a), class(c));
                    if ca != 0 && cc != 0 && ca != cc {
                        units[k - 1].advance += b.han_latin_gap * size;
                    }
                }
            }
            let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
            let widths: Vec<f32> = units.iter().map(|u| u.advance).collect();
            let starts = if opts.naive_break.contains(&bi) {
                linebreak::break_lines_naive(&widths, avail)
            } else {
                break_lines(&texts, &widths, avail)
            };
            for (li, &s) in starts.iter().enumerate() {
                let e = starts.get(li + 1).copied().unwrap_or(units.len());
                let mut lu: Vec<&Unit> = units[s..e].iter().collect();
                while lu.first().is_some_and(|u| u.text.trim().is_empty()) {
                    lu.remove(0);
                }
                while lu.last().is_some_and(|u| u.text.trim().is_empty()) {
                    lu.pop();
                }
                let last_line = li + 1 == starts.len();
                // the trailing gap of the last unit does not count
                let mut adv: Vec<f32> = lu.iter().map(|u| u.advance).collect();
                if let (Some(a), Some(u)) = (adv.last_mut(), lu.last()) {
                    *a = a.min(u.advance.min(if u.strokes { size } else { u.advance }));
                }
                let total: f32 = adv.iter().sum();
                let slack = (avail - total).max(0.0);
                // justification space goes only where a line could break (never inside a Latin word)
                let stretchable: Vec<bool> = (0..lu.len())
                    .map(|k| {
                        k + 1 < lu.len() && {
                            let a = lu[k].text.chars().last().unwrap_or(' ');
                            let c = lu[k + 1].text.chars().next().unwrap_or(' ');
                            !(linebreak::is_latin_or_digit(a) && linebreak::is_latin_or_digit(c))
                        }
                    })
                    .collect();
                let n_stretch = stretchable.iter().filter(|&&x| x).count();
                let (mut pen, extra) = match b.align {
                    Align::Left => (0.0, 0.0),
                    Align::Center => (slack / 2.0, 0.0),
                    Align::Right => (slack, 0.0),
                    Align::Justify if !last_line && n_stretch > 0 => (0.0, slack / n_stretch as f32),
                    Align::Justify => (0.0, 0.0),
                };
                let line_text: String = lu.iter().map(|u| u.text.as_str()).collect();
                let mut em_union: Option<[f32; 4]> = None;
                let mut idx = 0;
                for (k, u) in lu.iter().enumerate() {
                    let (em_box, origin, base) = if vertical {
                        let cx = bx[0] + bx[2] - (line_no as f32 + 0.5) * pitch;
                        let y = bx[1] + pen;
                        ([cx - size / 2.0, y, size, u.advance.max(1.0)], [cx, y], cx)
                    } else {
                        let top = bx[1] + line_no as f32 * pitch + (pitch - size) / 2.0;
                        let x = bx[0] + pen;
                        let base = top + em_top * size;
                        ([x, top, u.advance.min(if u.strokes { size } else { u.advance }).max(1.0), size], [x, base], base)
                    };
                    pen += adv[k] + if stretchable[k] { extra } else { 0.0 };
                    if u.text.trim().is_empty() {
                        continue;
                    }
                    let mut path = Vec::new();
                    let font;
                    if u.strokes {
                        font = "strokes".to_string();
                        let ch = u.text.chars().next().unwrap();
                        if let Some(cs) = fonts.strokes.as_ref().and_then(|s| s.get(ch)) {
                            path = stroke_path(&cs.outlines, None, [em_box[0], em_box[1]], size);
                        }
                    } else {
                        font = fonts.faces[u.face].file.clone();
                        for &(face, gid, xo, yo) in &u.glyphs {
                            let f = &fonts.faces[face];
                            let sc = size / f.upem;
                            let (ox, oy) = (origin[0] + xo, origin[1] + yo);
                            for s in f.outline(gid) {
                                path.push(s.map(|p| [ox + p[0] * sc, oy - p[1] * sc]));
                            }
                        }
                    }
                    em_union = Some(match em_union {
                        None => em_box,
                        Some(r) => union(r, em_box),
                    });
                    glyphs.push(PlacedGlyph {
                        text: u.text.clone(),
                        block: bi,
                        line: line_no,
                        index: idx,
                        font,
                        size,
                        color,
                        em_box,
                        baseline: base,
                        vertical,
                        path,
                    });
                    idx += 1;
                }
                lines.push(PlacedLine {
                    block: bi,
                    line: line_no,
                    text: line_text,
                    em_box: em_union.unwrap_or([bx[0], bx[1], 0.0, 0.0]),
                    vertical,
                    angle_deg: 0.0,
                });
                line_no += 1;
            }
        }
    }
    Layout { width, height, background, glyphs, lines }
}

fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    let x0 = a[0].min(b[0]);
    let y0 = a[1].min(b[1]);
    let x1 = (a[0] + a[2]).max(b[0] + b[2]);
    let y1 = (a[1] + a[3]).max(b[1] + b[3]);
    [x0, y0, x1 - x0, y1 - y0]
}

/// A path from stroke outline polygons (1024 box = the em box), each made counter-clockwise so that
/// overlapping strokes add up instead of cancelling. `keep` selects strokes (None: all).
pub fn stroke_path(outlines: &[Vec<[u16; 2]>], keep: Option<&[bool]>, em_origin: P, size: f32) -> Vec<Seg> {
    let mut path = Vec::new();
    for (k, poly) in outlines.iter().enumerate() {
        if keep.is_some_and(|m| !m.get(k).copied().unwrap_or(true)) {
            continue;
        }
        path.extend(polygon_path(poly, em_origin, size));
    }
    path
}

/// One stroke polygon (1024 box) as a closed path in pixels, with a consistent winding.
pub fn polygon_path(poly: &[[u16; 2]], em_origin: P, size: f32) -> Vec<Seg> {
    let pts: Vec<P> = poly
        .iter()
        .map(|p| [em_origin[0] + p[0] as f32 / 1024.0 * size, em_origin[1] + p[1] as f32 / 1024.0 * size])
        .collect();
    let area: f32 = (0..pts.len())
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    let ordered: Vec<P> = if area < 0.0 { pts.into_iter().rev().collect() } else { pts };
    let mut path = Vec::with_capacity(ordered.len() + 2);
    for (i, p) in ordered.into_iter().enumerate() {
        path.push(if i == 0 { Seg::Move(p) } else { Seg::Line(p) });
    }
    path.push(Seg::Close);
    path
}

/// The coverage of a path: `(x0, y0, w, h, alpha)` over its bounding pixels (may extend off canvas).
pub fn rasterize(path: &[Seg]) -> Option<(i32, i32, usize, usize, Vec<f32>)> {
    let mut lo = [f32::INFINITY; 2];
    let mut hi = [f32::NEG_INFINITY; 2];
    let mut see = |p: &P| {
        for k in 0..2 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    };
    for s in path {
        match s {
            Seg::Move(a) | Seg::Line(a) => see(a),
            Seg::Quad(a, b) => {
                see(a);
                see(b)
            }
            Seg::Cubic(a, b, c) => {
                see(a);
                see(b);
                see(c)
            }
            Seg::Close => {}
        }
    }
    if !lo[0].is_finite() || hi[0] - lo[0] > 8000.0 || hi[1] - lo[1] > 8000.0 {
        return None;
    }
    let x0 = lo[0].floor() as i32;
    let y0 = lo[1].floor() as i32;
    let w = (hi[0].ceil() as i32 - x0).max(1) as usize + 1;
    let h = (hi[1].ceil() as i32 - y0).max(1) as usize + 1;
    let mut r = ab_glyph_rasterizer::Rasterizer::new(w, h);
    let pt = |p: P| ab_glyph_rasterizer::point(p[0] - x0 as f32, p[1] - y0 as f32);
    let mut start = [0.0f32; 2];
    let mut cur = [0.0f32; 2];
    let mut open = false;
    for s in path {
        match *s {
            Seg::Move(a) => {
                if open && cur != start {
                    r.draw_line(pt(cur), pt(start));
                }
                start = a;
                cur = a;
                open = true;
            }
            Seg::Line(a) => {
                r.draw_line(pt(cur), pt(a));
                cur = a;
            }
            Seg::Quad(b, c) => {
                r.draw_quad(pt(cur), pt(b), pt(c));
                cur = c;
            }
            Seg::Cubic(b, c, d) => {
                r.draw_cubic(pt(cur), pt(b), pt(c), pt(d));
                cur = d;
            }
            Seg::Close => {
                if open && cur != start {
                    r.draw_line(pt(cur), pt(start));
                }
                cur = start;
                open = false;
            }
        }
    }
    if open && cur != start {
        r.draw_line(pt(cur), pt(start));
    }
    let mut cov = vec![0.0f32; w * h];
    r.for_each_pixel(|i, a| cov[i] = a.clamp(0.0, 1.0));
    Some((x0, y0, w, h, cov))
}

/// Ink threshold, relative to the glyph's maximum coverage.
pub const INK_THRESHOLD: f32 = 0.25;

/// Paints the glyphs of `layout` onto `img`; gives the glyph and line truth.
pub fn paint(layout: &Layout, img: &mut RgbImage) -> (Vec<GlyphTruth>, Vec<LineTruth>) {
    let (iw, ih) = (img.width() as i32, img.height() as i32);
    let mut truths = Vec::with_capacity(layout.glyphs.len());
    for g in &layout.glyphs {
        let mut bbox = None;
        if let Some((x0, y0, w, h, cov)) = rasterize(&g.path) {
            let max = cov.iter().cloned().fold(0.0f32, f32::max);
            let th = INK_THRESHOLD * max;
            let (mut bx0, mut by0, mut bx1, mut by1) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
            for yy in 0..h {
                let y = y0 + yy as i32;
                if y < 0 || y >= ih {
                    continue;
                }
                for xx in 0..w {
                    let x = x0 + xx as i32;
                    let a = cov[yy * w + xx];
                    if a <= 0.0 || x < 0 || x >= iw {
                        continue;
                    }
                    let p = img.get_pixel_mut(x as u32, y as u32);
                    for k in 0..3 {
                        p.0[k] = (p.0[k] as f32 * (1.0 - a) + g.color[k] as f32 * a).round() as u8;
                    }
                    if max > 0.0 && a > th {
                        bx0 = bx0.min(x);
                        by0 = by0.min(y);
                        bx1 = bx1.max(x);
                        by1 = by1.max(y);
                    }
                }
            }
            if bx0 <= bx1 {
                bbox = Some([bx0 as u32, by0 as u32, (bx1 - bx0 + 1) as u32, (by1 - by0 + 1) as u32]);
            }
        }
        truths.push(GlyphTruth {
            char: g.text.clone(),
            block: g.block,
            line: g.line,
            index: g.index,
            bbox,
            em_box: g.em_box,
            baseline: g.baseline,
            font: g.font.clone(),
        });
    }
    let lines = layout
        .lines
        .iter()
        .map(|l| {
            let mut u: Option<[u32; 4]> = None;
            for t in truths.iter().filter(|t| t.block == l.block && t.line == l.line) {
                if let Some(b) = t.bbox {
                    u = Some(match u {
                        None => b,
                        Some(a) => {
                            let x0 = a[0].min(b[0]);
                            let y0 = a[1].min(b[1]);
                            [x0, y0, (a[0] + a[2]).max(b[0] + b[2]) - x0, (a[1] + a[3]).max(b[1] + b[3]) - y0]
                        }
                    });
                }
            }
            LineTruth {
                block: l.block,
                line: l.line,
                text: l.text.clone(),
                bbox: u,
                em_box: l.em_box,
                vertical: l.vertical,
                angle_deg: l.angle_deg,
            }
        })
        .collect();
    (truths, lines)
}

/// The truth file `cjkcheck render --truth` writes.
#[derive(Serialize)]
pub struct TruthFile<'a> {
    pub width: u32,
    pub height: u32,
    pub glyphs: &'a [GlyphTruth],
    pub lines: &'a [LineTruth],
}

/// Encodes an RGB image as PNG bytes (deterministic).
pub fn encode_png(img: &RgbImage) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(img.as_raw(), img.width(), img.height(), image::ExtendedColorType::Rgb8)
    .expect("PNG encoding into memory");
    out
}

/// `cjkcheck render SPEC --output OUT.png [--truth OUT.json]`.
pub fn run_cli(spec: &std::path::Path, output: &std::path::Path, truth: Option<&std::path::Path>) -> crate::error::Result<()> {
    let spec = Spec::load(spec)?;
    let fonts = Fonts::bundled()?;
    let r = render(&spec, &fonts);
    crate::report::write_atomic(output, &encode_png(&r.image))?;
    if let Some(t) = truth {
        let tf = TruthFile { width: r.image.width(), height: r.image.height(), glyphs: &r.glyphs, lines: &r.lines };
        let mut s = serde_json::to_string_pretty(&tf).map_err(|e| crate::error::Error::Internal(e.to_string()))?;
        s.push('\n');
        crate::report::write_atomic(t, s.as_bytes())?;
    }
    Ok(())
}
