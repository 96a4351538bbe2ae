//! cjkcheck: checks the Chinese text in generated posters, flyers and UI screens.
//!
//! Pipeline (one module per stage, data flows one way):
//! `load` → `ocr` (detect, recognise, per-glyph ink boxes) → `blocks` → `align` (match with the
//! intended text) → `layout` → `rules` → `verdict` → `report`; `check` runs them in order.
//! `spec` reads what an image is meant to say. `render` typesets a spec (reference images) and `synth`
//! builds a labeled defect corpus from it. `geometry`, `raster`, `clreq`, `strokes` and `assets` are
//! shared utilities with no pipeline knowledge.

pub mod align;
pub mod assets;
pub mod blocks;
pub mod check;
pub mod clreq;
pub mod error;
pub mod eval;
pub mod geometry;
pub mod layout;
pub mod load;
pub mod lookalikes;
pub mod ocr;
pub mod raster;
pub mod reference;
pub mod render;
pub mod report;
pub mod rules;
pub mod spec;
pub mod stats;
pub mod strokes;
pub mod synth;
pub mod verdict;
pub mod variants;
pub mod verify;
