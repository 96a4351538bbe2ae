//! Stage `spec`: takes a spec file (TOML or JSON, chosen by extension) or a plain text blob; gives a
//! [`Spec`]: the canvas, the locale and the text blocks an image is meant to show, with their typesetting
//! (font style, weight, size, colour, alignment, orientation, box). The typesetter (`render`), the corpus
//! generator (`synth`) and the `check` command all read this one format.

use crate::error::InputError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an image is meant to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canvas: Option<Canvas>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// Size and background of the image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    /// `"#rrggbb"`, `"vgradient #rrggbb #rrggbb"`, `"hgradient #rrggbb #rrggbb"` or `"noise #rrggbb"`.
    #[serde(default = "default_background")]
    pub background: String,
}

fn default_background() -> String {
    "#ffffff".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-Hans")]
    Hans,
    #[serde(rename = "zh-Hant")]
    Hant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Weight {
    #[default]
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
    Justify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Horizontal,
    Vertical,
}

/// One run of text set in one box with one style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// The text; `\n` forces a line break.
    pub text: String,
    /// Style name (`sans`, `serif`, `kai`, `display`, or `strokes` for the Make Me a Hanzi stroke
    /// outlines) or a bundled font file name (e.g. `NotoSerifSC-Regular.otf`).
    #[serde(default = "default_font")]
    pub font: String,
    #[serde(default)]
    pub weight: Weight,
    /// Font size in pixels (the em).
    #[serde(default = "default_size")]
    pub size: f32,
    /// `"#rrggbb"`.
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default)]
    pub align: Align,
    #[serde(default)]
    pub orientation: Orientation,
    /// `[x, y, w, h]` in pixels; default: the canvas minus a 5 % margin.
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f32; 4]>,
    /// Line pitch as a multiple of `size`.
    #[serde(default = "default_line_height")]
    pub line_height: f32,
    /// Space inserted between Han and Latin/digit runs, in em.
    #[serde(default = "default_gap")]
    pub han_latin_gap: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
}

fn default_font() -> String {
    "sans".into()
}
fn default_size() -> f32 {
    32.0
}
fn default_color() -> String {
    "#000000".into()
}
fn default_line_height() -> f32 {
    1.4
}
fn default_gap() -> f32 {
    0.25
}

impl Block {
    /// A block with every option at its default.
    pub fn new(text: impl Into<String>) -> Self {
        Block {
            text: text.into(),
            font: default_font(),
            weight: Weight::Regular,
            size: default_size(),
            color: default_color(),
            align: Align::Left,
            orientation: Orientation::Horizontal,
            bbox: None,
            line_height: default_line_height(),
            han_latin_gap: default_gap(),
            locale: None,
        }
    }
}

impl Spec {
    /// Reads a spec file: `.json` is JSON, `.toml` is TOML, anything else is plain text (one block per
    /// non-empty line).
    pub fn load(path: &Path) -> Result<Spec, InputError> {
        let bytes = std::fs::read(path).map_err(|e| InputError::from_io(path, e))?;
        if bytes.is_empty() {
            return Err(InputError::Empty(path.to_path_buf()));
        }
        let text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8(path.to_path_buf()))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let malformed = |msg: String| InputError::Malformed { path: path.to_path_buf(), msg };
        let spec: Spec = match ext.as_str() {
            "json" => serde_json::from_str(text).map_err(|e| malformed(format!("bad spec JSON: {e}")))?,
            "toml" => toml::from_str(text)
                .map_err(|e| malformed(format!("bad spec TOML: {}", one_line(&e.to_string()))))?,
            _ => Spec::from_text(text),
        };
        let mut spec = spec;
        spec.normalize();
        spec.validate().map_err(malformed)?;
        Ok(spec)
    }

    /// A spec from a text blob: one block per non-empty line, default styles, stacked top to bottom.
    pub fn from_text(text: &str) -> Spec {
        let mut s = Spec {
            canvas: None,
            locale: None,
            blocks: text.lines().map(str::trim).filter(|l| !l.is_empty()).map(Block::new).collect(),
        };
        s.normalize();
        s
    }

    /// Unicode NFC for every block's text (`\r\n` becomes `\n`).
    pub fn normalize(&mut self) {
        use unicode_normalization::UnicodeNormalization;
        for b in &mut self.blocks {
            b.text = b.text.replace("\r\n", "\n").nfc().collect();
        }
    }

    /// Serializes to TOML (the form `synth` writes beside each image).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("spec serializes")
    }

    /// Checks values serde cannot: colours, sizes, boxes.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(c) = &self.canvas {
            if c.width == 0 || c.height == 0 || c.width > 20000 || c.height > 20000 {
                return Err(format!("canvas {}×{} is out of range (1..20000)", c.width, c.height));
            }
            Background::parse(&c.background)?;
        }
        for (i, b) in self.blocks.iter().enumerate() {
            let at = |m: String| format!("block {}: {m}", i + 1);
            parse_color(&b.color).map_err(at)?;
            if !(b.size > 0.0 && b.size <= 2000.0) {
                return Err(at(format!("size {} is out of range (0..2000 px)", b.size)));
            }
            if !(b.line_height > 0.0 && b.line_height < 20.0) {
                return Err(at(format!("line_height {} is out of range", b.line_height)));
            }
            if let Some(r) = b.bbox {
                if r.iter().any(|v| !v.is_finite()) || r[2] <= 0.0 || r[3] <= 0.0 {
                    return Err(at(format!("box {r:?} needs a positive width and height")));
                }
            }
        }
        Ok(())
    }

    /// The locale of block `i` (its own, else the spec's, else zh-Hans).
    pub fn block_locale(&self, i: usize) -> Locale {
        self.blocks[i].locale.or(self.locale).unwrap_or_default()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses `#rrggbb` (or `#rgb`).
pub fn parse_color(s: &str) -> Result<[u8; 3], String> {
    let h = s.trim().strip_prefix('#').ok_or_else(|| format!("colour {s:?} is not #rrggbb"))?;
    let v = u32::from_str_radix(h, 16).map_err(|_| format!("colour {s:?} is not #rrggbb"))?;
    match h.len() {
        6 => Ok([(v >> 16) as u8, (v >> 8) as u8, v as u8]),
        3 => Ok([((v >> 8) & 15) as u8 * 17, ((v >> 4) & 15) as u8 * 17, (v & 15) as u8 * 17]),
        _ => Err(format!("colour {s:?} is not #rrggbb")),
    }
}

/// A parsed canvas background.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Background {
    Solid([u8; 3]),
    VGradient([u8; 3], [u8; 3]),
    HGradient([u8; 3], [u8; 3]),
    /// A deterministic paper-like texture around a colour.
    Noise([u8; 3]),
}

impl Background {
    pub fn parse(s: &str) -> Result<Background, String> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        let bad = || {
            format!("background {s:?}: use \"#rrggbb\", \"vgradient #a #b\", \"hgradient #a #b\" or \"noise #a\"")
        };
        match parts.as_slice() {
            [c] => Ok(Background::Solid(parse_color(c).map_err(|_| bad())?)),
            ["vgradient", a, b] => Ok(Background::VGradient(
                parse_color(a).map_err(|_| bad())?,
                parse_color(b).map_err(|_| bad())?,
            )),
            ["hgradient", a, b] => Ok(Background::HGradient(
                parse_color(a).map_err(|_| bad())?,
                parse_color(b).map_err(|_| bad())?,
            )),
            ["noise", a] => Ok(Background::Noise(parse_color(a).map_err(|_| bad())?)),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_agree() {
        let t = r##"
locale = "zh-Hans"
[canvas]
width = 400
height = 300
background = "vgradient #ffffff #eeeeee"
[[blocks]]
text = "每日三次，饭后服用。"
font = "serif"
size = 28
box = [10, 10, 380, 100]
"##;
        let a: Spec = toml::from_str(t).unwrap();
        a.validate().unwrap();
        let j = serde_json::to_string(&a).unwrap();
        let b: Spec = serde_json::from_str(&j).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.blocks[0].line_height, 1.4);
        assert_eq!(a.blocks[0].bbox, Some([10.0, 10.0, 380.0, 100.0]));
        let back: Spec = toml::from_str(&a.to_toml()).unwrap();
        assert_eq!(a, back);
    }

    #[test]
    fn load_picks_format_by_extension_and_reports_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        std::fs::write(&p, r#"{"blocks":[{"text":"你好","size":20}]}"#).unwrap();
        assert_eq!(Spec::load(&p).unwrap().blocks[0].size, 20.0);
        let p = dir.path().join("b.toml");
        std::fs::write(&p, "[[blocks]\ntext = 1").unwrap();
        let e = Spec::load(&p).unwrap_err();
        assert!(matches!(e, InputError::Malformed { .. }));
        assert!(!e.to_string().contains('\n'), "{e}");
        let p = dir.path().join("c.txt");
        std::fs::write(&p, "第一行\n\n第二行\n").unwrap();
        assert_eq!(Spec::load(&p).unwrap().blocks.len(), 2);
        let p = dir.path().join("d.toml");
        std::fs::write(&p, b"\xff\xfe").unwrap();
        assert!(matches!(Spec::load(&p), Err(InputError::NotUtf8(_))));
    }

    #[test]
    fn bad_values_are_reported() {
        let mut s = Spec::from_text("你好\n\n世界\n");
        assert_eq!(s.blocks.len(), 2);
        s.blocks[1].color = "red".into();
        assert!(s.validate().unwrap_err().contains("block 2"));
        assert!(toml::from_str::<Spec>("[[blocks]]\ntext='a'\nfnt='x'").is_err());
    }
}
