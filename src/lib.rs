//! cjkcheck: checks the Chinese text in generated posters, flyers and UI screens.
//!
//! Pipeline (one module per stage, data flows one way):
//! `load` → `ocr` (detect, recognise, per-glyph ink boxes) → … → `report`.
//! `geometry` and `raster` are shared utilities with no pipeline knowledge.

pub mod error;
pub mod geometry;
pub mod load;
pub mod ocr;
pub mod raster;
pub mod report;
