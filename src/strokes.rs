//! Stroke data (Make Me a Hanzi via hanzi-writer-data, Arphic Public License). Takes
//! `corpora/strokes/strokes.bin` and `outlines.bin`; gives, per character, the stroke count, the
//! radical's stroke indices, each stroke's median polyline (256 box) and its filled outline polygon
//! (1024 box, the em box; y down). Formats: see `scripts/assets/corpora.py`.

use crate::error::AssetError;
use std::collections::BTreeMap;
use std::path::Path;

/// One character's strokes.
#[derive(Debug, Clone, PartialEq)]
pub struct CharStrokes {
    pub ch: char,
    /// Indices of the strokes that form the radical (may be empty).
    pub radical: Vec<u8>,
    /// Per stroke: the median polyline, points in a 256 box, y down.
    pub medians: Vec<Vec<[u8; 2]>>,
    /// Per stroke: the outline polygon, points in a 1024 box (the em box), y down. Empty if the
    /// outlines file is not loaded.
    pub outlines: Vec<Vec<[u16; 2]>>,
}

impl CharStrokes {
    pub fn stroke_count(&self) -> usize {
        self.medians.len()
    }
}

/// All stroke data, indexed by character.
pub struct StrokeData {
    medians: Vec<u8>,
    outlines: Vec<u8>,
    med_index: BTreeMap<u32, usize>,
    out_index: BTreeMap<u32, usize>,
}

fn err(path: &Path, msg: &str) -> AssetError {
    AssetError { path: path.to_path_buf(), msg: msg.to_string() }
}

struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}
impl Cur<'_> {
    fn u8(&mut self) -> Option<u8> {
        let v = *self.b.get(self.i)?;
        self.i += 1;
        Some(v)
    }
    fn u16(&mut self) -> Option<u16> {
        let s = self.b.get(self.i..self.i + 2)?;
        self.i += 2;
        Some(u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        let s = self.b.get(self.i..self.i + 4)?;
        self.i += 4;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

impl StrokeData {
    /// Loads the bundled stroke data (`corpora/strokes/`).
    pub fn bundled() -> Result<StrokeData, AssetError> {
        let dir = crate::assets::path("corpora/strokes");
        StrokeData::load(&dir.join("strokes.bin"), &dir.join("outlines.bin"))
    }

    pub fn load(strokes: &Path, outlines: &Path) -> Result<StrokeData, AssetError> {
        let medians = std::fs::read(strokes).map_err(|e| err(strokes, &format!("cannot read: {e}")))?;
        let outl = std::fs::read(outlines).map_err(|e| err(outlines, &format!("cannot read: {e}")))?;
        let med_index = Self::index_medians(&medians).ok_or_else(|| err(strokes, "corrupt stroke file"))?;
        let out_index = Self::index_outlines(&outl).ok_or_else(|| err(outlines, "corrupt outline file"))?;
        Ok(StrokeData { medians, outlines: outl, med_index, out_index })
    }

    fn index_medians(b: &[u8]) -> Option<BTreeMap<u32, usize>> {
        if b.get(..8)? != b"CJKSTRK1" {
            return None;
        }
        let mut c = Cur { b, i: 8 };
        let n = c.u32()?;
        let mut idx = BTreeMap::new();
        for _ in 0..n {
            let at = c.i;
            let cp = c.u32()?;
            let sc = c.u8()?;
            let rc = c.u8()?;
            c.i += rc as usize;
            for _ in 0..sc {
                let k = c.u8()? as usize;
                c.i += 2 * k;
            }
            idx.insert(cp, at);
        }
        (c.i == b.len()).then_some(idx)
    }

    fn index_outlines(b: &[u8]) -> Option<BTreeMap<u32, usize>> {
        if b.get(..8)? != b"CJKOUTL1" {
            return None;
        }
        let mut c = Cur { b, i: 8 };
        let n = c.u32()?;
        let mut idx = BTreeMap::new();
        for _ in 0..n {
            let at = c.i;
            let cp = c.u32()?;
            let sc = c.u8()?;
            for _ in 0..sc {
                let k = c.u16()? as usize;
                c.i += 4 * k;
            }
            idx.insert(cp, at);
        }
        (c.i == b.len()).then_some(idx)
    }

    pub fn len(&self) -> usize {
        self.med_index.len()
    }
    pub fn is_empty(&self) -> bool {
        self.med_index.is_empty()
    }
    pub fn contains(&self, ch: char) -> bool {
        self.med_index.contains_key(&(ch as u32))
    }
    /// Characters with stroke data, in codepoint order.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.med_index.keys().filter_map(|&c| char::from_u32(c))
    }

    /// The strokes of `ch` (medians and, when present, outlines).
    pub fn get(&self, ch: char) -> Option<CharStrokes> {
        let at = *self.med_index.get(&(ch as u32))?;
        let mut c = Cur { b: &self.medians, i: at + 4 };
        let sc = c.u8()?;
        let rc = c.u8()?;
        let radical = self.medians[c.i..c.i + rc as usize].to_vec();
        c.i += rc as usize;
        let mut medians = Vec::with_capacity(sc as usize);
        for _ in 0..sc {
            let k = c.u8()?;
            medians.push((0..k).map(|_| [c.u8().unwrap_or(0), c.u8().unwrap_or(0)]).collect());
        }
        let mut outlines = Vec::new();
        if let Some(&at) = self.out_index.get(&(ch as u32)) {
            let mut c = Cur { b: &self.outlines, i: at + 4 };
            let n = c.u8()?;
            for _ in 0..n {
                let k = c.u16()?;
                outlines.push((0..k).map(|_| [c.u16().unwrap_or(0), c.u16().unwrap_or(0)]).collect());
            }
        }
        Some(CharStrokes { ch, radical, medians, outlines })
    }
}
