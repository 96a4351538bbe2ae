//! cjkcheck: checks the Chinese text in generated posters, flyers and UI screens.
//!
//! Pipeline (one module per stage, data flows one way):
//! `load` → `ocr` (detect, recognise, per-glyph ink boxes) → … → `report`.
//! `spec` reads what an image is meant to say. `render` typesets a spec (reference images) and `synth`
//! builds a labeled defect corpus from it. `geometry`, `raster`, `strokes` and `assets` are shared
//! utilities with no pipeline knowledge.

pub mod assets;
pub mod error;
pub mod geometry;
pub mod load;
pub mod ocr;
pub mod raster;
pub mod render;
pub mod report;
pub mod spec;
pub mod strokes;
pub mod synth;
