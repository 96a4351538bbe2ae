//! The bundled fonts. Takes `fonts/fonts.toml` and the font files beside it (plus the stroke data, used
//! as the pseudo-font `strokes`); gives [`Fonts`]: faces looked up by style/weight or file name, with a
//! fallback order for characters a face lacks, and glyph outlines as paths.

use crate::error::AssetError;
use crate::spec::Weight;
use crate::strokes::StrokeData;
use serde::Deserialize;
use skrifa::{GlyphId, ScalerFont};
use std::path::Path;

/// A point in pixels (or font units, depending on context).
pub type P = [f32; 2];

/// One path segment; a path is a list of closed contours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seg {
    Move(P),
    Line(P),
    Quad(P, P),
    Cubic(P, P, P),
    Close,
}

impl Seg {
    /// Applies `f` to every point.
    pub fn map(self, f: impl Fn(P) -> P) -> Seg {
        match self {
            Seg::Move(a) => Seg::Move(f(a)),
            Seg::Line(a) => Seg::Line(f(a)),
            Seg::Quad(a, b) => Seg::Quad(f(a), f(b)),
            Seg::Cubic(a, b, c) => Seg::Cubic(f(a), f(b), f(c)),
            Seg::Close => Seg::Close,
        }
    }
}

/// Ideographs whose ink together spans a face's ideographic box top to bottom.
const IDEOGRAPH_SAMPLE: &str = "国田永此天中口";

/// Marks that must change shape or turn in vertical text (brackets, dashes, ellipses, wave dash).
pub const VERTICAL_FORMS: &str = "（）「」『』【】《》〈〉〔〕［］｛｝〖〗—…～";

/// One font face.
pub struct Face {
    pub file: String,
    pub family: String,
    pub style: String,
    pub weight: Weight,
    pub font: skrifa::Font,
    scaler: ScalerFont,
    pub upem: f32,
    /// Top of the ideographic em box above the baseline, in em (0.88 for Noto CJK).
    pub em_top: f32,
    /// Top of the square reference renderings are drawn in, above the baseline, in em: `em_top`,
    /// unless the face's ideographs rise above or sink below that box (Smiley Sans draws them
    /// about 0.1 em above the box its metrics give), then the square centred on their ink, so
    /// no reference is cut off.
    pub ref_top: f32,
}

impl Face {
    pub fn glyph(&self, ch: char) -> Option<GlyphId> {
        self.font.charmap().map_unicode(ch as u32).filter(|g| g.to_u32() != 0)
    }

    /// The top of the square (above the baseline, in em) that holds the face's ideographs' ink:
    /// the em box where they fit in it, else the square centred on their ink's vertical extent.
    fn square_top(&self) -> f32 {
        let (mut lo, mut hi) = (f32::MAX, f32::MIN);
        for gid in IDEOGRAPH_SAMPLE.chars().filter_map(|c| self.glyph(c)) {
            for seg in self.outline(gid) {
                // On-curve points: a segment's end.
                let y = match seg {
                    Seg::Move(p) | Seg::Line(p) | Seg::Quad(_, p) | Seg::Cubic(_, _, p) => p[1] / self.upem,
                    Seg::Close => continue,
                };
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
        if lo > hi || (hi <= self.em_top && lo >= self.em_top - 1.0) {
            self.em_top
        } else {
            (lo + hi) / 2.0 + 0.5
        }
    }

    /// The outline of `gid` in font units (y up), or an empty path.
    pub fn outline(&self, gid: GlyphId) -> Vec<Seg> {
        let mut sink = Sink(Vec::new());
        if let Some(o) = self.scaler.outline(gid) {
            let _ = o.draw(skrifa::DrawMemory::Scratch, &mut sink);
        }
        sink.0
    }
}

struct Sink(Vec<Seg>);
impl skrifa::PathSink for Sink {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push(Seg::Move([x, y]));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push(Seg::Line([x, y]));
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.push(Seg::Quad([cx0, cy0], [x, y]));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.push(Seg::Cubic([cx0, cy0], [cx1, cy1], [x, y]));
    }
    fn close(&mut self) {
        self.0.push(Seg::Close);
    }
}

#[derive(Deserialize)]
struct Manifest {
    font: Vec<ManifestFont>,
}
#[derive(Deserialize)]
struct ManifestFont {
    file: String,
    family: String,
    style: String,
    weight: Weight,
}

/// The font set the typesetter draws with.
pub struct Fonts {
    pub faces: Vec<Face>,
    /// Stroke outlines for the pseudo-font `strokes` (and for synthetic defects).
    pub strokes: Option<StrokeData>,
}

impl Fonts {
    /// The bundled fonts (`fonts/`) and stroke data (`corpora/strokes/`).
    pub fn bundled() -> Result<Fonts, AssetError> {
        let mut f = Fonts::load_dir(&crate::assets::path("fonts"))?;
        f.strokes = Some(StrokeData::bundled()?);
        Ok(f)
    }

    /// The fonts listed in `dir/fonts.toml`.
    pub fn load_dir(dir: &Path) -> Result<Fonts, AssetError> {
        let mpath = dir.join("fonts.toml");
        let text = std::fs::read_to_string(&mpath)
            .map_err(|e| AssetError { path: mpath.clone(), msg: format!("cannot read: {e}") })?;
        let m: Manifest = toml::from_str(&text)
            .map_err(|e| AssetError { path: mpath.clone(), msg: format!("bad font manifest: {e}") })?;
        let mut faces = Vec::new();
        for f in m.font {
            let path = dir.join(&f.file);
            let data = std::fs::read(&path)
                .map_err(|e| AssetError { path: path.clone(), msg: format!("cannot read: {e}") })?;
            let font = skrifa::Font::new(data, 0)
                .ok_or_else(|| AssetError { path: path.clone(), msg: "not a font".into() })?;
            let metrics = font.metrics();
            let upem = metrics.units_per_em as f32;
            let line = metrics.typo_line.or(metrics.hhea_line);
            let em_top = match line {
                Some(l) => {
                    let (a, d) = (l.ascender.to_f32(), l.descender.to_f32());
                    ((a + d) / 2.0 / upem + 0.5).clamp(0.7, 1.0)
                }
                None => 0.88,
            };
            let scaler = ScalerFont::force_unhinted(font.clone(), None);
            let mut face = Face { file: f.file, family: f.family, style: f.style, weight: f.weight, font, scaler, upem, em_top, ref_top: em_top };
            face.ref_top = face.square_top();
            faces.push(face);
        }
        if faces.is_empty() {
            return Err(AssetError { path: mpath, msg: "no fonts listed".into() });
        }
        Ok(Fonts { faces, strokes: None })
    }

    /// The face for a spec's `font` (style name or file name) and weight; falls back to the first face.
    pub fn select(&self, font: &str, weight: Weight) -> usize {
        if let Some(i) = self.faces.iter().position(|f| f.file == font) {
            return i;
        }
        let style = if font == "strokes" { "kai" } else { font };
        self.faces
            .iter()
            .position(|f| f.style == style && f.weight == weight)
            .or_else(|| self.faces.iter().position(|f| f.style == style))
            .or_else(|| self.faces.iter().position(|f| f.style == "sans" && f.weight == weight))
            .unwrap_or(0)
    }

    /// Whether `face` has a vertical form (`vert`) for `ch`, or `ch` needs none.
    pub fn has_vertical_form(&self, face: usize, ch: char) -> bool {
        if !VERTICAL_FORMS.contains(ch) {
            return true;
        }
        let f = &self.faces[face];
        let Some(nominal) = f.glyph(ch) else { return false };
        let sf = harfrust::ShaperFont::new(&f.font);
        let mut buf = harfrust::Buffer::new();
        buf.push_str(ch.encode_utf8(&mut [0; 4]));
        buf.guess_segment_properties();
        buf.set_direction(harfrust::Direction::TopToBottom);
        if harfrust::shape(&sf, &mut buf, harfrust::ShapeOptions::new()).is_err() {
            return false;
        }
        buf.glyph_infos().first().is_some_and(|g| g.glyph_id != nominal.to_u32())
    }

    /// In vertical text: `face`, unless it lacks the vertical form of `ch` (a bracket, dash or
    /// ellipsis); then the first face that has it.
    pub fn vertical_face_for(&self, face: usize, ch: char) -> usize {
        if self.has_vertical_form(face, ch) {
            return face;
        }
        (0..self.faces.len()).find(|&i| self.has_vertical_form(i, ch)).unwrap_or(face)
    }

    /// The face to draw `ch` with: `primary` if it has the glyph, else the first sans, serif, … that does.
    pub fn face_for(&self, primary: usize, ch: char) -> usize {
        if ch.is_whitespace() || self.faces[primary].glyph(ch).is_some() {
            return primary;
        }
        let w = self.faces[primary].weight;
        let mut order: Vec<usize> = (0..self.faces.len()).collect();
        order.sort_by_key(|&i| {
            let f = &self.faces[i];
            (f.style == "display", f.weight != w, f.style != "sans", i)
        });
        order.into_iter().find(|&i| self.faces[i].glyph(ch).is_some()).unwrap_or(primary)
    }
}
