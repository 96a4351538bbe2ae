//! Stage `ocr`: takes an upright RGB image (from `load`); gives a [`Page`] of text lines in reading
//! order, each with its characters, their confidences and alternatives, and the ink box of every glyph
//! (ink that two overlapping detection boxes both read counted once). On request, a second view of
//! chosen lines: their per-step posteriors when read again resampled wider.
//!
//! ```
//! use cjkcheck::ocr::{Bundled, Reader, ModelSource};
//! let reader = Reader::new(ModelSource::Bundled(Bundled::PpOcrV4))?;
//! let img = cjkcheck::load::load_image("tests/fixtures/realworld/rapidocr_text_rec.jpg".as_ref(), &Default::default())?;
//! let page = reader.read(&img)?;
//! assert_eq!(page.lines[0].text, "韩国小馆");
//! let first = &page.lines[0].chars[0];
//! println!("{} {:.2} ink box {:?}, else {:?}", first.char, first.confidence, first.bbox, first.alternatives);
//! # Ok::<(), cjkcheck::error::Error>(())
//! ```

pub mod cells;
pub mod detect;
pub mod recognize;

use crate::error::{AssetError, Result};
use crate::geometry::{bbox_of, dist, Pt, RotRect};
use crate::raster::plane::{sample_rect_native, sample_rect_rgb};
use crate::stats::median;
use detect::{DetectOptions, TextBox};
use image::RgbImage;
use recognize::{Alphabet, RawChar, REC_HEIGHT};
use rten::Model;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A bundled model set (in `models/`, beside the fonts; see `assets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundled {
    /// PP-OCRv4 (6,623 characters): the most accurate and fastest on Simplified text, small sizes
    /// included (reports/ocr-benchmark.md, reports/gate-eval.md).
    PpOcrV4,
    /// PP-OCRv5 mobile (18,383 characters incl. Traditional and rare characters).
    PpOcrV5,
}

impl Bundled {
    /// The set suited to a writing convention: v5 for Traditional text (v4 lacks many Traditional
    /// characters), v4 otherwise.
    pub fn for_locale(locale: crate::spec::Locale) -> Bundled {
        match locale {
            crate::spec::Locale::Hant => Bundled::PpOcrV5,
            crate::spec::Locale::Hans => Bundled::PpOcrV4,
        }
    }

    pub fn dir(self) -> PathBuf {
        crate::assets::path(match self {
            Bundled::PpOcrV4 => "models/ppocrv4",
            Bundled::PpOcrV5 => "models/ppocrv5",
        })
    }
}

/// Where the OCR models come from.
#[derive(Debug, Clone)]
pub enum ModelSource {
    /// A bundled set.
    Bundled(Bundled),
    /// A directory holding `det.onnx`, `rec.onnx`, `dict.txt` and optionally `cls.onnx`.
    Dir(PathBuf),
}

/// Line orientation as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// Left-to-right line, possibly tilted up to ±45°.
    Horizontal,
    /// Left-to-right line that was upside down in the image.
    Rotated180,
    /// Top-to-bottom column (columns are read right to left).
    Vertical,
}

/// Another reading of a glyph and its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    pub char: String,
    pub score: f32,
}

/// One recognised character and the box of its ink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Glyph {
    pub char: String,
    pub confidence: f32,
    /// Next-best readings, best first.
    pub alternatives: Vec<Alternative>,
    /// Ink box `[x, y, w, h]` in image pixels (for tilted lines, the axis-aligned box of the glyph's
    /// rotated ink box).
    pub bbox: [f32; 4],
    /// Ink box corners in image pixels, in reading orientation (top-left, top-right, bottom-right, bottom-left).
    pub quad: [Pt; 4],
    /// Whether ink was found for this glyph (false: bbox is the recognition cell).
    pub ink_found: bool,
    /// First and last recogniser time step of this glyph in its line's [`Line::posterior`].
    #[serde(skip)]
    pub steps: [usize; 2],
}

/// The recogniser's probability from which another reading of a glyph is a likely one: the text
/// alignment takes the glyph for that character more readily, and the rules call a glyph read as
/// another, with nothing else to judge it by, unsure rather than wrong.
pub const LIKELY_ALTERNATIVE: f32 = 0.1;

impl Glyph {
    /// The recogniser's probability for reading `c` here instead (0 when it gave none).
    pub fn alternative_score(&self, c: &str) -> f32 {
        self.alternatives.iter().find(|a| a.char == c).map_or(0.0, |a| a.score)
    }

    /// The other readings the recogniser finds likely here (`LIKELY_ALTERNATIVE`).
    pub fn likely_alternatives(&self) -> impl Iterator<Item = &str> {
        self.alternatives.iter().filter(|a| a.score >= LIKELY_ALTERNATIVE).map(|a| a.char.as_str())
    }
}

/// One text line (or vertical column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub confidence: f32,
    /// Line box corners in image pixels, in reading orientation (top-left, top-right, bottom-right, bottom-left).
    pub quad: [Pt; 4],
    pub orientation: Orientation,
    /// Angle of the reading direction from the page's horizontal, degrees, clockwise positive
    /// (vertical columns: from the page's vertical).
    pub angle: f32,
    pub chars: Vec<Glyph>,
    /// The recogniser's evidence along the line, for a second look at what it did not pick (not
    /// kept in the JSON of a page).
    #[serde(skip)]
    pub posterior: recognize::Posterior,
}

/// Everything read from one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub lines: Vec<Line>,
    /// Wall time per step, milliseconds.
    pub timings_ms: Timings,
}

/// Wall time of each OCR step, milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub load_models: f64,
    pub detect: f64,
    pub orient: f64,
    pub recognize: f64,
    pub refine: f64,
}

/// Reader options.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub detect: DetectOptions,
    /// Probability above which a line is treated as upside down.
    pub upside_down_thresh: f32,
    /// Canonical rectangles taller than this ratio (height/width) are read as vertical columns.
    pub vertical_ratio: f32,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { detect: DetectOptions::default(), upside_down_thresh: 0.9, vertical_ratio: 1.5 }
    }
}

/// The OCR engine: detection, orientation and recognition models plus the CTC alphabet.
pub struct Reader {
    det: Model,
    rec: Model,
    cls: Option<Model>,
    alphabet: Alphabet,
    pub options: ReadOptions,
    /// Milliseconds spent loading the models.
    pub load_ms: f64,
}

fn load_model_file(path: &Path) -> Result<Model> {
    if !path.exists() {
        return Err(AssetError { path: path.to_path_buf(), msg: "model file is missing".into() }.into());
    }
    Model::load_file(path).map_err(|e| AssetError { path: path.to_path_buf(), msg: format!("cannot load model: {e}") }.into())
}


impl Reader {
    /// Loads the models.
    pub fn new(source: ModelSource) -> Result<Reader> {
        let t0 = Instant::now();
        let dir = match &source {
            ModelSource::Bundled(b) => b.dir(),
            ModelSource::Dir(d) => d.clone(),
        };
        if !dir.is_dir() {
            return Err(AssetError { path: dir.to_path_buf(), msg: "models directory not found".into() }.into());
        }
        let dict_path = dir.join("dict.txt");
        let dict = std::fs::read_to_string(&dict_path)
            .map_err(|e| AssetError { path: dict_path.clone(), msg: format!("cannot read dictionary: {e}") })?;
        let cls_path = dir.join("cls.onnx");
        let cls = if cls_path.exists() { Some(load_model_file(&cls_path)?) } else { None };
        let (det, rec) = (load_model_file(&dir.join("det.onnx"))?, load_model_file(&dir.join("rec.onnx"))?);
        Ok(Reader {
            det,
            rec,
            cls,
            alphabet: Alphabet::from_dict(&dict),
            options: ReadOptions::default(),
            load_ms: t0.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Reads all text in `img`.
    pub fn read(&self, img: &RgbImage) -> Result<Page> {
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let mut timings = Timings { load_models: self.load_ms, ..Default::default() };
        let t = Instant::now();
        let boxes = detect::detect(&self.det, img, &self.options.detect)?;
        timings.detect = ms(t);
        let t = Instant::now();
        let mut units: Vec<LineUnit> = boxes.iter().filter_map(|b| self.plan_line(img, b)).collect();
        self.fix_upside_down(&mut units)?;
        timings.orient = ms(t);
        let t = Instant::now();
        let strips: Vec<RgbImage> = units.iter().map(|u| u.strip.clone()).collect();
        if let Some(dir) = std::env::var_os("CJKCHECK_DEBUG_STRIPS") {
            for (i, s) in strips.iter().enumerate() {
                let _ = s.save(Path::new(&dir).join(format!("strip{i:03}.png")));
            }
        }
        let mut raws = recognize::recognize(&self.rec, &self.alphabet, &strips)?;
        self.settle_short_columns(img, &mut units, &mut raws)?;
        timings.recognize = ms(t);
        let t = Instant::now();
        let rects: Vec<RotRect> = units.iter().map(|u| u.rect).collect();
        let mut lines: Vec<Line> = units.iter().zip(raws).enumerate().filter_map(|(i, (u, r))| assemble_line(img, u, r.chars, r.posterior, &[&rects[..i], &rects[i + 1..]].concat())).collect();
        drop_double_reads(&mut lines);
        lines.iter_mut().for_each(join_split_repeats);
        stack_lone_glyphs(&mut lines);
        join_column_tails(&mut lines);
        order_lines(&mut lines);
        timings.refine = ms(t);
        Ok(Page { width: img.width(), height: img.height(), lines, timings_ms: timings })
    }

    /// A second view of some lines (page line indices), for stretches where the reading and the
    /// intended text disagree: each line resampled from its box at `stretch` times the usual width
    /// (more time steps per glyph, so a glyph the recogniser skipped or merged in a dense line gets
    /// steps of its own) and read again. Gives each line's posterior over its new strip; vertical
    /// columns, already read glyph by glyph, get none.
    pub fn second_view(&self, img: &RgbImage, page: &Page, lines: &[usize], stretch: f32) -> Result<Vec<(usize, recognize::Posterior)>> {
        let mut which = Vec::new();
        let mut strips = Vec::new();
        for &li in lines {
            let Some(l) = page.lines.get(li) else { continue };
            if l.orientation == Orientation::Vertical {
                continue;
            }
            let q = l.quad;
            let (dx, dy) = (q[1][0] - q[0][0], q[1][1] - q[0][1]);
            let width = (dx * dx + dy * dy).sqrt();
            let height = crate::geometry::dist(q[0], q[3]);
            if width < 2.0 || height < 2.0 {
                continue;
            }
            let center = [(q[0][0] + q[2][0]) / 2.0, (q[0][1] + q[2][1]) / 2.0];
            let rect = RotRect { center, axis: [dx / width, dy / width], width, height };
            let w = ((stretch * width * REC_HEIGHT as f32 / height).round() as u32).max(8);
            strips.push(sample_rect_rgb(img, &rect, w, REC_HEIGHT));
            which.push(li);
        }
        if strips.is_empty() {
            return Ok(Vec::new());
        }
        let raws = recognize::recognize(&self.rec, &self.alphabet, &strips)?;
        Ok(which.into_iter().zip(raws).map(|(li, r)| (li, r.posterior)).collect())
    }

    /// Decides whether a box is a line or a column and builds its recognition strip.
    fn plan_line(&self, img: &RgbImage, tb: &TextBox) -> Option<LineUnit> {
        let r = tb.rect;
        if r.width < 2.0 || r.height < 2.0 {
            return None;
        }
        if r.height > self.options.vertical_ratio * r.width && r.height >= 2.0 * r.width {
            return Some(plan_column(img, &r));
        }
        let w48 = ((r.width * REC_HEIGHT as f32 / r.height).round() as u32).max(8);
        let strip = sample_rect_rgb(img, &r, w48, REC_HEIGHT);
        Some(LineUnit {
            pieces: vec![Piece { rect: r, x0: 0.0, x1: w48 as f32 }],
            strip,
            orientation: Orientation::Horizontal,
            rect: r,
        })
    }

    /// A box between 1.3 and 2 times taller than wide that reads as Han characters across may be a
    /// short vertical column ("八折" on a poster; "疾病" read across as one big 病): it is read as a
    /// column too, and taken as one when that reading holds two or more characters and is at least
    /// about as confident (a taller-than-wide box leans vertical).
    fn settle_short_columns(&self, img: &RgbImage, units: &mut [LineUnit], raws: &mut [recognize::StripReading]) -> Result<()> {
        let idx: Vec<usize> = (0..units.len())
            .filter(|&i| {
                let (u, r) = (&units[i], &raws[i]);
                let han = r.chars.iter().filter(|c| c.ch.chars().next().is_some_and(crate::clreq::is_han)).count();
                u.orientation == Orientation::Horizontal && u.rect.height >= 1.3 * u.rect.width && han >= 1
            })
            .collect();
        if idx.is_empty() {
            return Ok(());
        }
        let cols: Vec<LineUnit> = idx.iter().map(|&i| plan_column(img, &units[i].rect)).collect();
        let strips: Vec<RgbImage> = cols.iter().map(|u| u.strip.clone()).collect();
        let col_raws = recognize::recognize(&self.rec, &self.alphabet, &strips)?;
        let score = |r: &[RawChar]| if r.is_empty() { 0.0 } else { r.iter().map(|c| c.confidence).sum::<f32>() / r.len() as f32 };
        for ((&i, col), cr) in idx.iter().zip(cols).zip(col_raws) {
            if cr.chars.len() >= 2 && score(&cr.chars) >= score(&raws[i].chars) - 0.05 {
                units[i] = col;
                raws[i] = cr;
            }
        }
        Ok(())
    }

    /// Turns lines the orientation model calls upside down — but only when reading them turned round
    /// is also clearly more confident (`UPSIDE_DOWN_MARGIN`; short cells like "已完成" fool the
    /// classifier on its own).
    fn fix_upside_down(&self, units: &mut [LineUnit]) -> Result<()> {
        let Some(cls) = &self.cls else { return Ok(()) };
        let idx: Vec<usize> = units.iter().enumerate().filter(|(_, u)| u.orientation == Orientation::Horizontal).map(|(i, _)| i).collect();
        if idx.is_empty() {
            return Ok(());
        }
        let strips: Vec<RgbImage> = idx.iter().map(|&i| units[i].strip.clone()).collect();
        let probs = recognize::upside_down_probability(cls, &strips)?;
        let cand: Vec<usize> = idx.iter().zip(probs).filter(|(_, p)| *p > self.options.upside_down_thresh).map(|(&i, _)| i).collect();
        if cand.is_empty() {
            return Ok(());
        }
        let mut both: Vec<RgbImage> = Vec::with_capacity(cand.len() * 2);
        for &i in &cand {
            both.push(units[i].strip.clone());
            both.push(image::imageops::rotate180(&units[i].strip));
        }
        let raws: Vec<Vec<RawChar>> = recognize::recognize(&self.rec, &self.alphabet, &both)?.into_iter().map(|r| r.chars).collect();
        let score = |r: &Vec<RawChar>| if r.is_empty() { 0.0 } else { r.iter().map(|c| c.confidence).sum::<f32>() / r.len() as f32 * (r.len() as f32).min(3.0) };
        for (k, &i) in cand.iter().enumerate() {
            if score(&raws[2 * k + 1]) <= score(&raws[2 * k]) + UPSIDE_DOWN_MARGIN {
                continue;
            }
            let u = &mut units[i];
            let mut r = u.rect;
            r.axis = [-r.axis[0], -r.axis[1]];
            u.rect = r;
            u.pieces[0].rect = r;
            u.strip = image::imageops::rotate180(&u.strip);
            u.orientation = Orientation::Rotated180;
        }
        Ok(())
    }
}

/// How much more confident (of the 3 a line's reading scores at most in `fix_upside_down`) a line's
/// reading turned round must be than its upright reading for the line to be turned. Upside down,
/// «9日！» reads «1日6» about as surely (2.938 against 2.913, clean-only 6464/279, a wrapped
/// line's last three glyphs); the real upside-down line of `rapidocr_text_cls.jpg` reads nothing
/// upright (2.821 against 0).
const UPSIDE_DOWN_MARGIN: f32 = 0.1;

/// A region of the image that occupies `[x0, x1)` of the recognition strip.
#[derive(Debug, Clone)]
struct Piece {
    rect: RotRect,
    x0: f32,
    x1: f32,
}

/// A line prepared for recognition.
struct LineUnit {
    pieces: Vec<Piece>,
    strip: RgbImage,
    orientation: Orientation,
    rect: RotRect,
}

/// Vertical column: split into glyph tiles, laid side by side upright so the recogniser sees upright glyphs.
fn plan_column(img: &RgbImage, r: &RotRect) -> LineUnit {
    let native = sample_rect_native(img, r);
    let segs = cells::column_segments(&native);
    let bg = crate::raster::plane::border_median(&native);
    let mut pieces = Vec::new();
    let mut tiles = Vec::new();
    let mut x = 0f32;
    for (s, e) in segs {
        let side = r.width.max(e - s + 2.0);
        let c = r.local_to_image(r.width / 2.0, (s + e) / 2.0);
        let rect = RotRect { center: c, axis: r.axis, width: side, height: side };
        let mut tile = sample_rect_rgb(img, &rect, REC_HEIGHT, REC_HEIGHT);
        // Blank out what lies beyond this glyph's rows (neighbouring glyphs) so one tile shows one glyph.
        let margin = 0.06 * r.width;
        let k = REC_HEIGHT as f32 / side;
        let (top, bottom) = ((side / 2.0 - (e - s) / 2.0 - margin) * k, (side / 2.0 + (e - s) / 2.0 + margin) * k);
        for (_, ty, p) in tile.enumerate_pixels_mut() {
            let yc = ty as f32 + 0.5;
            if yc < top || yc > bottom {
                *p = image::Rgb(bg);
            }
        }
        pieces.push(Piece { rect, x0: x, x1: x + REC_HEIGHT as f32 });
        x += REC_HEIGHT as f32;
        tiles.push(tile);
    }
    let mut strip = RgbImage::from_pixel((x as u32).max(8), REC_HEIGHT, image::Rgb([255, 255, 255]));
    for (i, t) in tiles.iter().enumerate() {
        image::imageops::replace(&mut strip, t, (i as u32 * REC_HEIGHT) as i64, 0);
    }
    // The column box expressed in reading orientation: axis points down the column.
    let down = r.normal();
    let col = RotRect { center: r.center, axis: down, width: r.height, height: r.width };
    LineUnit { pieces, strip, orientation: Orientation::Vertical, rect: col }
}

/// Turns recognised characters into a [`Line`] with per-glyph ink boxes.
/// `others`: the other lines' boxes (ink in them is theirs).
fn assemble_line(img: &RgbImage, unit: &LineUnit, raw: Vec<RawChar>, posterior: recognize::Posterior, others: &[RotRect]) -> Option<Line> {
    if raw.iter().all(|c| c.ch.trim().is_empty()) {
        return None;
    }
    let mut glyph_boxes: Vec<Option<([Pt; 4], bool)>> = vec![None; raw.len()];
    let n_pieces = unit.pieces.len();
    for (pi, piece) in unit.pieces.iter().enumerate() {
        // A character the recogniser placed in the strip's padding (a mark at the very end of a
        // line whose box clips it) belongs to the first or last piece, not to none.
        let (from, to) = (if pi == 0 { f32::MIN } else { piece.x0 }, if pi + 1 == n_pieces { f32::MAX } else { piece.x1 });
        let members: Vec<usize> = (0..raw.len()).filter(|&i| raw[i].center >= from && raw[i].center < to).collect();
        if members.is_empty() {
            continue;
        }
        let scale = piece.rect.width / (piece.x1 - piece.x0);
        // Cells: between midpoints of neighbouring character centres, first/last reach the piece ends.
        let mut cells = Vec::with_capacity(members.len());
        for (k, &i) in members.iter().enumerate() {
            let a = if k == 0 { piece.x0 } else { (raw[members[k - 1]].center + raw[i].center) / 2.0 };
            let b = if k + 1 == members.len() { piece.x1 } else { (raw[i].center + raw[members[k + 1]].center) / 2.0 };
            cells.push(((a - piece.x0) * scale, (b.max(a) - piece.x0) * scale));
        }
        // Sampled with a margin across the line: detection boxes can clip a glyph's outermost dot,
        // which would then be lost from its ink box. The same margin along the line at its two
        // ends (the detection box clips the left dot of a line-initial 心 too); ink lying wholly
        // in it is not the line's. A column's glyph tiles get it along the column, at its ends
        // (the box can clip the first glyph's top: the 亠 of a column-initial 高, 5454/37) and at
        // the cuts between its glyphs, where ink centred beyond the cut is the neighbour's.
        let vertical = unit.orientation == Orientation::Vertical;
        // `margin` along the line (none for a column's tile, cut to the column's width), `across`
        // on both sides across it (down the column, for a column's tile).
        let m = (0.25 * if vertical { piece.rect.width } else { piece.rect.height }).round();
        let (margin, across) = if vertical { (0.0, m) } else { (m, m) };
        let column = vertical.then_some([pi > 0, pi + 1 < n_pieces]);
        let wide = RotRect { width: piece.rect.width + 2.0 * margin, height: piece.rect.height + 2.0 * across, ..piece.rect };
        let native = sample_rect_native(img, &wide);
        let last = cells.len() - 1;
        let cells: Vec<(f32, f32)> = cells.iter().enumerate().map(|(k, &(a, b))| (if k == 0 { 0.0 } else { a + margin }, if k == last { b + 2.0 * margin } else { b + margin })).collect();
        let narrow: Vec<bool> = members.iter().map(|&i| raw[i].ch.chars().next().is_some_and(|c| "，。、：；！？“”‘’,.:;!?．｡､".contains(c))).collect();
        let closing: Vec<bool> = members.iter().map(|&i| raw[i].ch.chars().next().is_some_and(|c| "」』）〕】”’".contains(c))).collect();
        let han: Vec<bool> = members.iter().map(|&i| raw[i].ch.chars().next().is_some_and(crate::clreq::is_han)).collect();
        let blank: Vec<bool> = members.iter().map(|&i| raw[i].ch.trim().is_empty()).collect();
        let read = cells::CellReads { narrow: &narrow, closing: &closing, han: &han, blank: &blank };
        // The other lines' boxes in the raster's frame, as boxes around their corners.
        let (tl, ax, n) = (wide.corners()[0], wide.axis, wide.normal());
        let local = |p: Pt| [(p[0] - tl[0]) * ax[0] + (p[1] - tl[1]) * ax[1], (p[0] - tl[0]) * n[0] + (p[1] - tl[1]) * n[1]];
        let theirs: Vec<cells::LocalBox> = others
            .iter()
            .map(|o| crate::geometry::bbox_of(&o.corners().map(local)))
            .map(|b| [b[0], b[1], b[0] + b[2], b[1] + b[3]])
            .filter(|b| b[2] > 0.0 && b[3] > 0.0 && b[0] < wide.width && b[1] < wide.height)
            .collect();
        let inks = cells::refine_cells(&native, &cells, &read, (across, across + piece.rect.height), (margin, margin + piece.rect.width), &theirs, column);
        for (k, &i) in members.iter().enumerate() {
            let (b, found) = match inks[k] {
                Some(b) => ([b[0] - margin, b[1] - across, b[2] - margin, b[3] - across], true),
                None => ([(cells[k].0 - margin).max(0.0), 0.0, (cells[k].1 - margin).min(piece.rect.width), piece.rect.height], false),
            };
            let q = [
                piece.rect.local_to_image(b[0], b[1]),
                piece.rect.local_to_image(b[2], b[1]),
                piece.rect.local_to_image(b[2], b[3]),
                piece.rect.local_to_image(b[0], b[3]),
            ];
            glyph_boxes[i] = Some((q, found));
        }
    }
    let chars: Vec<Glyph> = raw
        .into_iter()
        .zip(glyph_boxes)
        .map(|(c, gb)| {
            let (quad, ink_found) = gb.unwrap_or((unit.rect.corners(), false));
            Glyph {
                char: c.ch,
                confidence: c.confidence,
                alternatives: c.alternatives.into_iter().map(|(char, score)| Alternative { char, score }).collect(),
                bbox: bbox_of(&quad),
                quad,
                ink_found,
                steps: c.steps,
            }
        })
        .collect();
    let text: String = chars.iter().map(|g| g.char.as_str()).collect();
    let confidence = chars.iter().map(|g| g.confidence).sum::<f32>() / chars.len() as f32;
    let angle = match unit.orientation {
        Orientation::Horizontal => unit.rect.angle_deg(),
        Orientation::Rotated180 => {
            let a = unit.rect.angle_deg();
            if a > 0.0 { a - 180.0 } else { a + 180.0 }
        }
        Orientation::Vertical => unit.rect.angle_deg() - 90.0,
    };
    Some(Line { text: text.trim().to_string(), confidence, quad: unit.rect.corners(), orientation: unit.orientation, angle, chars, posterior })
}

/// Overlapping detection boxes can read the same ink twice: a column's box reaching into the one
/// above reads the foot of 身 as 刁 before 快. A glyph whose ink box lies mostly (≥ 60 %) inside a
/// glyph of another line, and is smaller than it (or about as large and less confident), is that
/// glyph read again: it is dropped, and a line left with no glyph goes. So is a reading with no
/// ink of its own (its cell only) of the same character as a glyph of another line whose ink box
/// its cell touches, across the cell's band: the «。» closing one box, read again at the start of
/// the next box that overlaps it, where its ink lies in the margin (clean 5858/286).
fn drop_double_reads(lines: &mut Vec<Line>) {
    let area = |b: [f32; 4]| (b[2] * b[3]).max(1.0);
    let readings = |inked: bool| -> Vec<(usize, usize, [f32; 4], f32, String)> {
        lines
            .iter()
            .enumerate()
            .flat_map(|(li, l)| l.chars.iter().enumerate().filter(move |(_, g)| g.ink_found == inked && !g.char.trim().is_empty()).map(move |(gi, g)| (li, gi, g.bbox, g.confidence, g.char.clone())))
            .collect()
    };
    let (glyphs, inkless) = (readings(true), readings(false));
    let within_band = |cell: [f32; 4], ink: [f32; 4]| (cell[1]..=cell[1] + cell[3]).contains(&(ink[1] + 0.5 * ink[3]));
    let doubled: Vec<(usize, usize)> = glyphs
        .iter()
        .filter(|g| {
            glyphs.iter().any(|h| {
                let (ag, ah) = (area(g.2), area(h.2));
                h.0 != g.0 && crate::geometry::intersection_area(g.2, h.2) >= 0.6 * ag && (ag < 0.8 * ah || (ag <= 1.25 * ah && g.3 < h.3))
            })
        })
        .chain(inkless.iter().filter(|g| glyphs.iter().any(|h| h.0 != g.0 && h.4 == g.4 && crate::geometry::intersection_area(g.2, h.2) > 0.0 && within_band(g.2, h.2))))
        .map(|g| (g.0, g.1))
        .collect();
    if doubled.is_empty() {
        return;
    }
    for (li, l) in lines.iter_mut().enumerate() {
        let mut gi = 0;
        l.chars.retain(|_| {
            gi += 1;
            !doubled.contains(&(li, gi - 1))
        });
        if !l.chars.is_empty() {
            retext(l);
        }
    }
    lines.retain(|l| !l.chars.is_empty());
}

/// The recogniser can read one glyph twice, a character for each of its two parts (儿 as «儿儿»,
/// its 丿 and its 乚 each given a cell: 5050/185). Two like Han readings side by side whose ink
/// boxes are each under 0.6 of the line's glyph height along the line and together span at most
/// 1.15 of it are one glyph: they become one reading with both boxes' ink. (A character written
/// twice inks two glyph widths.)
fn join_split_repeats(l: &mut Line) {
    let han = |g: &Glyph| g.ink_found && g.char.chars().count() == 1 && g.char.chars().next().is_some_and(crate::clreq::is_han);
    let across: Vec<f32> = l.chars.iter().filter(|g| han(g)).map(|g| dist(g.quad[0], g.quad[3])).collect();
    if across.len() < 2 {
        return;
    }
    let h = median(&across);
    let n = l.chars.len();
    let mut i = 0;
    while i + 1 < l.chars.len() {
        let (a, b) = (&l.chars[i], &l.chars[i + 1]);
        let along = |g: &Glyph| dist(g.quad[0], g.quad[1]);
        let span = dist(a.quad[0], b.quad[1]);
        if han(a) && han(b) && a.char == b.char && along(a) < 0.6 * h && along(b) < 0.6 * h && span <= 1.15 * h {
            let b = l.chars.remove(i + 1);
            let a = &mut l.chars[i];
            a.quad = union_quad(&a.quad, &b.quad);
            a.bbox = bbox_of(&a.quad);
            a.confidence = a.confidence.max(b.confidence);
            a.steps = [a.steps[0], b.steps[1]];
        } else {
            i += 1;
        }
    }
    if l.chars.len() < n {
        retext(l);
    }
}

/// Sets a line's text and confidence from its glyphs, after glyphs were dropped or joined.
fn retext(l: &mut Line) {
    l.text = l.chars.iter().map(|g| g.char.as_str()).collect::<String>().trim().to_string();
    l.confidence = l.chars.iter().map(|g| g.confidence).sum::<f32>() / l.chars.len() as f32;
}

/// The box around two glyph boxes (quads in reading orientation), along the first's axes.
fn union_quad(a: &[Pt; 4], b: &[Pt; 4]) -> [Pt; 4] {
    let unit = |p: Pt, q: Pt| {
        let d = dist(p, q).max(1e-6);
        [(q[0] - p[0]) / d, (q[1] - p[1]) / d]
    };
    let (u, n, o) = (unit(a[0], a[1]), unit(a[0], a[3]), a[0]);
    let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in a.iter().chain(b) {
        let (x, y) = (p[0] - o[0], p[1] - o[1]);
        let c = [x * u[0] + y * u[1], x * n[0] + y * n[1]];
        for k in 0..2 {
            lo[k] = lo[k].min(c[k]);
            hi[k] = hi[k].max(c[k]);
        }
    }
    let at = |s: f32, t: f32| [o[0] + s * u[0] + t * n[0], o[1] + s * u[1] + t * n[1]];
    [at(lo[0], lo[1]), at(hi[0], lo[1]), at(hi[0], hi[1]), at(lo[0], hi[1])]
}

/// A lone Han glyph's line: read as a one-glyph horizontal line, with the box of its ink (a
/// detection box can be narrower than the ink: 一's box takes its middle). A flat bar read as a
/// dash counts: it may be 一 (clean 6767/149: «安全第一» down a column, 一 boxed alone and read «—»).
fn lone_han_box(l: &Line) -> Option<[f32; 4]> {
    let han_or_bar = |g: &Glyph| {
        let c = g.char.chars().next().unwrap_or(' ');
        let flat = g.ink_found && g.bbox[3] <= 0.3 * g.bbox[2];
        crate::clreq::is_han(c) || (flat && matches!(c, '—' | '―' | '－' | '-' | '–' | 'ー' | '_' | '─'))
    };
    let lone = l.orientation == Orientation::Horizontal && l.chars.len() == 1 && han_or_bar(&l.chars[0]);
    match l.chars.first() {
        Some(g) if lone && g.ink_found => Some(g.bbox),
        Some(_) if lone => Some(bbox_of(&l.quad)),
        _ => None,
    }
}

/// The short last column of a vertical block («知识» beside «春季养生小», «第一» beside «安全»)
/// can be boxed glyph by glyph, each read as a one-glyph horizontal line; the layout then took the
/// two as rows of the horizontal block beside them, far off its edges. Lone Han glyphs stacked one
/// under the next (sharing most of their width, alike in width, less than 0.8 of a glyph apart)
/// beside a vertical column whose glyphs are as wide, within a glyph's width of it and inside its
/// length, are that block's column: they become one vertical line.
fn stack_lone_glyphs(lines: &mut Vec<Line>) {
    let mut lone: Vec<(usize, [f32; 4])> = lines.iter().enumerate().filter_map(|(i, l)| lone_han_box(l).map(|b| (i, b))).collect();
    lone.sort_by(|a, b| a.1[1].total_cmp(&b.1[1]));
    let overlap = |a: [f32; 4], b: [f32; 4]| (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let alike = |a: f32, b: f32| (0.7..=1.4).contains(&(a / b.max(1.0)));
    // Chains top to bottom: a glyph continues the chain whose last glyph sits right above it.
    let mut chains: Vec<Vec<(usize, [f32; 4])>> = Vec::new();
    for &(i, b) in &lone {
        let next = chains.iter_mut().find(|c| {
            let t = c.last().unwrap().1;
            let w = t[2].max(b[2]);
            let gap = b[1] - (t[1] + t[3]);
            alike(b[2], t[2]) && overlap(t, b) >= 0.6 * t[2].min(b[2]) && (-0.2 * w..=0.8 * w).contains(&gap)
        });
        match next {
            Some(c) => c.push((i, b)),
            None => chains.push(vec![(i, b)]),
        }
    }
    // Each chain of two or more beside a column, each column as [centre x, top, glyph width,
    // length] from its Han glyphs' ink.
    let columns: Vec<[f32; 4]> = lines
        .iter()
        .filter(|l| l.orientation == Orientation::Vertical)
        .filter_map(|l| {
            let inked: Vec<[f32; 4]> = l.chars.iter().filter(|g| g.ink_found && g.char.chars().next().is_some_and(crate::clreq::is_han)).map(|g| g.bbox).collect();
            if inked.len() < 2 {
                return None;
            }
            let span = bbox_of(&inked.iter().flat_map(|b| [[b[0], b[1]], [b[0] + b[2], b[1] + b[3]]]).collect::<Vec<_>>());
            // Centre across and width by the median glyph: one glyph's box can take in a neighbour's ink.
            let (centres, widths): (Vec<f32>, Vec<f32>) = inked.iter().map(|b| (b[0] + b[2] / 2.0, b[2])).unzip();
            Some([median(&centres), span[1], median(&widths), span[3]])
        })
        .collect();
    let mut merged: Vec<(Vec<usize>, Line)> = Vec::new();
    for chain in chains.iter().filter(|c| c.len() >= 2) {
        let pts: Vec<Pt> = chain.iter().flat_map(|(_, b)| [[b[0], b[1]], [b[0] + b[2], b[1] + b[3]]]).collect();
        let s = bbox_of(&pts);
        let width = chain.iter().map(|(_, b)| b[2]).fold(0.0, f32::max);
        let beside = columns.iter().any(|c| {
            let gap = (s[0] + s[2] / 2.0 - c[0]).abs() - (width + c[2]) / 2.0;
            alike(width, c[2]) && (-0.1 * c[2]..=c[2]).contains(&gap) && s[1] >= c[1] - 0.5 * c[2] && s[1] + s[3] <= c[1] + c[3] + 0.5 * c[2]
        });
        if !beside {
            continue;
        }
        let parts: Vec<&Line> = chain.iter().map(|&(i, _)| &lines[i]).collect();
        let outline = bbox_of(&parts.iter().flat_map(|l| l.quad).collect::<Vec<_>>());
        let (x0, y0, x1, y1) = (outline[0], outline[1], outline[0] + outline[2], outline[1] + outline[3]);
        let mut col = Line {
            text: String::new(),
            confidence: parts.iter().map(|l| l.chars[0].confidence).sum::<f32>() / parts.len() as f32,
            // Reading orientation down the column: top-right, bottom-right, bottom-left, top-left.
            quad: [[x1, y0], [x1, y1], [x0, y1], [x0, y0]],
            orientation: Orientation::Vertical,
            angle: parts.iter().map(|l| l.angle).sum::<f32>() / parts.len() as f32,
            chars: Vec::new(),
            posterior: Default::default(),
        };
        for l in parts {
            let shift = col.posterior.steps.len();
            let mut g = l.chars[0].clone();
            g.steps = [g.steps[0] + shift, g.steps[1] + shift];
            col.posterior.steps.extend(l.posterior.steps.iter().cloned());
            col.text.push_str(&g.char);
            col.chars.push(g);
        }
        merged.push((chain.iter().map(|&(i, _)| i).collect(), col));
    }
    let gone: Vec<usize> = merged.iter().flat_map(|(ix, _)| ix.iter().copied()).collect();
    let mut k = 0;
    lines.retain(|_| {
        k += 1;
        !gone.contains(&(k - 1))
    });
    lines.extend(merged.into_iter().map(|(_, l)| l));
}

/// A lone Han glyph the detector boxed apart just below (or above) a vertical column and in line
/// with it (the 快 under «全民健身»): read as a one-glyph horizontal line, it is the column's end
/// (start) and joins it, so that the column is matched and measured whole. A word space may lie
/// between («全民健身 快», clean 5353/200: its ink 1.08 column widths below 身's), so the gap may be
/// up to 1.4 column widths.
fn join_column_tails(lines: &mut Vec<Line>) {
    let mut k = 0;
    while k < lines.len() {
        let Some(t) = lone_han_box(&lines[k]) else {
            k += 1;
            continue;
        };
        // Below or above the column, within a column width, sharing most of its width.
        let beside = |c: &Line| -> Option<bool> {
            let b = bbox_of(&c.quad);
            let shared = (b[0] + b[2]).min(t[0] + t[2]) - b[0].max(t[0]);
            if c.orientation != Orientation::Vertical || shared < 0.6 * b[2].min(t[2]) || !(0.7..=1.4).contains(&(t[2] / b[2].max(1.0))) {
                return None;
            }
            let (below, above) = (t[1] - (b[1] + b[3]), b[1] - (t[1] + t[3]));
            let near = |gap: f32| (-0.3 * b[2]..=1.4 * b[2]).contains(&gap);
            if near(below) {
                Some(true)
            } else if near(above) {
                Some(false)
            } else {
                None
            }
        };
        let Some((j, below)) = lines.iter().enumerate().find_map(|(j, c)| beside(c).map(|below| (j, below))) else {
            k += 1;
            continue;
        };
        let tail = lines.remove(k);
        let j = if j > k { j - 1 } else { j };
        let col = &mut lines[j];
        let q = col.quad;
        let axis = crate::geometry::Axis::new(q[0], q[1]);
        let len = axis.len;
        let mut glyph = tail.chars.into_iter().next().unwrap();
        if below {
            let reach = tail.quad.iter().map(|&p| axis.along(p)).fold(len, f32::max) - len;
            for i in [1, 2] {
                col.quad[i] = axis.shift(q[i], reach);
            }
            glyph.steps = [glyph.steps[0] + col.posterior.steps.len(), glyph.steps[1] + col.posterior.steps.len()];
            col.posterior.steps.extend(tail.posterior.steps);
            col.text.push_str(&glyph.char);
            col.chars.push(glyph);
        } else {
            let reach = tail.quad.iter().map(|&p| axis.along(p)).fold(0.0, f32::min);
            for i in [0, 3] {
                col.quad[i] = axis.shift(q[i], reach);
            }
            let shift = tail.posterior.steps.len();
            for g in &mut col.chars {
                g.steps = [g.steps[0] + shift, g.steps[1] + shift];
            }
            let mut steps = tail.posterior.steps;
            steps.append(&mut col.posterior.steps);
            col.posterior.steps = steps;
            col.text.insert_str(0, &glyph.char);
            col.chars.insert(0, glyph);
        }
        col.confidence = col.confidence.min(tail.confidence);
        // The lines after the removed one moved up: look again at the same index.
    }
}

/// Sorts lines into reading order: horizontal lines in rows top to bottom (left to right within a
/// row), vertical columns right to left; columns come first when they are the majority.
fn order_lines(lines: &mut Vec<Line>) {
    let centre = |l: &Line| {
        let b = bbox_of(&l.quad);
        (b[0] + b[2] / 2.0, b[1] + b[3] / 2.0, b[2], b[3])
    };
    let (mut cols, mut rows): (Vec<Line>, Vec<Line>) = lines.drain(..).partition(|l| l.orientation == Orientation::Vertical);
    cols.sort_by(|a, b| centre(b).0.total_cmp(&centre(a).0));
    rows.sort_by(|a, b| centre(a).1.total_cmp(&centre(b).1));
    // Group into rows: a line joins the current row when its centre is within half a line height.
    let mut grouped: Vec<Vec<Line>> = Vec::new();
    for l in rows {
        let (_, cy, _, h) = centre(&l);
        if let Some(row) = grouped.last_mut() {
            let (_, ry, _, rh) = centre(&row[0]);
            if (cy - ry).abs() < 0.5 * h.min(rh) {
                row.push(l);
                continue;
            }
        }
        grouped.push(vec![l]);
    }
    let mut ordered_rows = Vec::new();
    for mut row in grouped {
        row.sort_by(|a, b| centre(a).0.total_cmp(&centre(b).0));
        ordered_rows.extend(row);
    }
    if cols.len() > ordered_rows.len() {
        lines.extend(cols);
        lines.extend(ordered_rows);
    } else {
        lines.extend(ordered_rows);
        lines.extend(cols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(glyphs: &[(&str, [f32; 4], f32)]) -> Line {
        let chars: Vec<Glyph> = glyphs
            .iter()
            .map(|&(c, b, conf)| Glyph { char: c.into(), confidence: conf, alternatives: Vec::new(), bbox: b, quad: [[b[0], b[1]]; 4], ink_found: true, steps: [0, 0] })
            .collect();
        Line {
            text: glyphs.iter().map(|g| g.0).collect(),
            confidence: 1.0,
            quad: [[0.0; 2]; 4],
            orientation: Orientation::Horizontal,
            angle: 0.0,
            chars,
            posterior: Default::default(),
        }
    }

    #[test]
    fn a_glyph_read_twice_for_its_two_parts_becomes_one_reading() {
        // 5050/185: «儿童» read «儿儿童», 儿's 丿 (x 191..199) and 乚 (x 207..216) each a cell.
        let boxed = |l: &mut Line| {
            for g in &mut l.chars {
                let b = g.bbox;
                g.quad = [[b[0], b[1]], [b[0] + b[2], b[1]], [b[0] + b[2], b[1] + b[3]], [b[0], b[1] + b[3]]];
            }
        };
        let mut split = line(&[("儿", [191.0, 502.0, 8.0, 24.0], 0.41), ("儿", [207.0, 502.0, 9.0, 24.0], 0.98), ("童", [218.0, 501.0, 25.0, 25.0], 1.0)]);
        boxed(&mut split);
        join_split_repeats(&mut split);
        assert_eq!(split.text, "儿童");
        assert_eq!(split.chars[0].bbox, [191.0, 502.0, 25.0, 24.0]);
        assert!((split.chars[0].confidence - 0.98).abs() < 1e-6, "{}", split.chars[0].confidence);
        // A character written twice inks two glyph widths.
        let mut twice = line(&[("天", [0.0, 0.0, 24.0, 24.0], 0.9), ("天", [26.0, 0.0, 24.0, 24.0], 0.9), ("童", [52.0, 0.0, 24.0, 24.0], 1.0)]);
        boxed(&mut twice);
        join_split_repeats(&mut twice);
        assert_eq!(twice.text, "天天童");
    }

    #[test]
    fn a_lone_glyph_under_a_column_joins_it() {
        // «全民健身» read as a column (x 539..583, y 605..784) and 快 boxed apart under it as a
        // one-glyph horizontal line; a glyph off to the side stays a line of its own.
        let mut col = line(&[("全", [541.0, 607.0, 40.0, 40.0], 0.99), ("身", [541.0, 740.0, 40.0, 40.0], 0.99)]);
        col.orientation = Orientation::Vertical;
        col.quad = [[583.0, 605.0], [583.0, 784.0], [539.0, 784.0], [539.0, 605.0]];
        col.text = "全身".into();
        let mut tail = line(&[("快", [540.0, 795.0, 40.0, 40.0], 0.98)]);
        tail.quad = [[535.0, 791.0], [584.0, 791.0], [584.0, 840.0], [535.0, 840.0]];
        let mut aside = line(&[("乐", [400.0, 795.0, 40.0, 40.0], 0.98)]);
        aside.quad = [[396.0, 791.0], [445.0, 791.0], [445.0, 840.0], [396.0, 840.0]];
        let mut lines = vec![col.clone(), tail.clone(), aside];
        join_column_tails(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["全身快", "乐"]);
        assert_eq!(lines[0].chars.len(), 3);
        // The column's box now reaches the tail's end.
        assert!(lines[0].quad[1][1] >= 840.0 && lines[0].quad[2][1] >= 840.0, "{:?}", lines[0].quad);
        // After a word space (clean 5353/200: 快's ink 45 px below a 41 px wide column) it joins
        // too; two glyphs' lengths further down it is a line of its own.
        for (drop, joined) in [(35.0, true), (80.0, false)] {
            let mut t = tail.clone();
            t.chars[0].bbox[1] += drop;
            t.quad.iter_mut().for_each(|p| p[1] += drop);
            let mut lines = vec![col.clone(), t];
            join_column_tails(&mut lines);
            assert_eq!(lines.len() == 1, joined, "{drop}");
        }
        // Clean 6767/149: 一 boxed alone under the column and read «—» joins it; a dash whose ink
        // is not a flat bar (a box as tall as a glyph) stays a line of its own.
        for (height, joined) in [(5.0, true), (30.0, false)] {
            let mut bar = line(&[("—", [541.0, 805.0, 40.0, height], 0.49)]);
            bar.quad = [[540.0, 796.0], [581.0, 796.0], [581.0, 825.0], [540.0, 825.0]];
            let mut lines = vec![col.clone(), bar];
            join_column_tails(&mut lines);
            assert_eq!(lines.len() == 1, joined, "{height}");
            if joined {
                assert_eq!(lines[0].text, "全身—");
            }
        }
    }

    #[test]
    fn lone_glyphs_stacked_beside_a_column_become_a_column() {
        // Clean 5050/239: «科学用药» read as a column (its glyphs x 526..571), and the short column
        // «第一» to its left boxed glyph by glyph, each a one-glyph horizontal line.
        let mut col = line(&[("科", [526.0, 523.0, 44.0, 42.0], 0.99), ("学", [527.0, 566.0, 40.0, 41.0], 0.99), ("用", [527.0, 613.0, 37.0, 39.0], 0.99), ("药", [528.0, 654.0, 39.0, 42.0], 0.99)]);
        col.orientation = Orientation::Vertical;
        col.quad = [[573.0, 518.0], [579.0, 702.0], [525.0, 704.0], [518.0, 520.0]];
        let mut first = line(&[("第", [471.0, 522.0, 38.0, 41.0], 0.99)]);
        first.quad = [[472.0, 524.0], [516.0, 524.0], [516.0, 569.0], [472.0, 569.0]];
        let mut second = line(&[("一", [471.0, 583.0, 39.0, 6.0], 0.35)]);
        second.quad = [[476.0, 570.0], [506.0, 570.0], [506.0, 602.0], [476.0, 602.0]];
        let mut lines = vec![second.clone(), col.clone(), first.clone()];
        stack_lone_glyphs(&mut lines);
        assert_eq!(lines.len(), 2);
        let stacked = &lines[1];
        assert_eq!((stacked.text.as_str(), stacked.orientation), ("第一", Orientation::Vertical));
        assert!((stacked.confidence - 0.67).abs() < 1e-6, "{}", stacked.confidence);
        // Its box in reading order down the column: top-right first, bottom-left third.
        assert_eq!(stacked.quad[0], [516.0, 524.0]);
        assert_eq!(stacked.quad[2], [472.0, 602.0]);
        // The same two glyphs with no column beside them (a column two glyph widths away) stay lines.
        for g in &mut col.chars {
            g.bbox[0] += 80.0;
        }
        let mut apart = vec![second.clone(), col, first.clone()];
        stack_lone_glyphs(&mut apart);
        assert_eq!(apart.len(), 3);
        // Nor do two lone glyphs a glyph's height apart.
        let mut far = second;
        far.chars[0].bbox[1] += 40.0;
        let mut col2 = lines.remove(0);
        col2.text = "科学用药".into();
        let mut gapped = vec![far, col2, first];
        stack_lone_glyphs(&mut gapped);
        assert_eq!(gapped.len(), 3);
    }

    #[test]
    fn a_flat_glyph_under_a_column_joins_it_by_its_ink() {
        // Clean 4545/290: «安全第» read as a column (x 471..519) and 一 under it boxed apart, its
        // detection box (x 483..507) half the column's width though its ink (x 477..514) is not.
        let mut col = line(&[("安", [474.0, 550.0, 39.0, 40.0], 0.99), ("第", [475.0, 637.0, 38.0, 41.0], 0.99)]);
        col.orientation = Orientation::Vertical;
        col.quad = [[519.0, 549.0], [519.0, 688.0], [471.0, 688.0], [471.0, 549.0]];
        col.text = "安第".into();
        let mut tail = line(&[("一", [477.0, 699.0, 37.0, 5.0], 0.88)]);
        tail.quad = [[483.0, 688.0], [507.0, 688.0], [507.0, 711.0], [483.0, 711.0]];
        let mut lines = vec![col, tail];
        join_column_tails(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["安第一"]);
    }

    #[test]
    fn ink_read_by_two_overlapping_boxes_counts_once() {
        // A column box reaching into the one above reads the foot of 身 as 刁; a bracket where two
        // boxes of one row overlap is read by both, more confidently by the one it opens.
        let mut lines = vec![
            line(&[("全", [0.0, 0.0, 39.0, 40.0], 0.99), ("身", [0.0, 44.0, 39.0, 42.0], 0.99)]),
            line(&[("刁", [0.0, 55.0, 39.0, 31.0], 0.6), ("快", [0.0, 120.0, 39.0, 40.0], 0.99)]),
            line(&[("。", [200.0, 0.0, 8.0, 8.0], 0.9), ("《", [276.0, 0.0, 7.0, 19.0], 0.7)]),
            line(&[("《", [276.0, 0.0, 9.0, 19.0], 0.95), ("接", [290.0, 0.0, 19.0, 19.0], 0.99)]),
            line(&[("刁", [0.0, 300.0, 39.0, 31.0], 0.6)]),
            // A «。» closing one box, read again with no ink of its own at the start of the
            // next box that overlaps it (5858/286); a «，» there is not the same reading.
            line(&[("果", [95.0, 397.0, 25.0, 25.0], 0.99), ("。", [122.0, 414.0, 8.0, 8.0], 0.99)]),
            line(&[("。", [127.0, 394.0, 20.0, 30.0], 0.3), ("最", [176.0, 397.0, 25.0, 25.0], 0.99)]),
            line(&[("，", [127.0, 394.0, 20.0, 30.0], 0.3), ("好", [176.0, 397.0, 25.0, 25.0], 0.99)]),
        ];
        lines[6].chars[0].ink_found = false;
        lines[7].chars[0].ink_found = false;
        drop_double_reads(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["全身", "快", "。", "《接", "刁", "果。", "最", "，好"]);
    }
}
