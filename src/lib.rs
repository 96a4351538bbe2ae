//! cjkcheck: checks the Chinese text in generated posters, flyers and UI screens.
//!
//! Pipeline (one module per stage, data flows one way):
//! `load` → `ocr` (detect, recognise, per-glyph ink boxes) → `blocks` → `align` (match with the
//! intended text) → `layout` → `rules` → `verdict` → `report`; `check` runs them in order.
//! `geometry`, `raster` and `clreq` are shared utilities with no pipeline knowledge.

pub mod align;
pub mod blocks;
pub mod check;
pub mod clreq;
pub mod error;
pub mod geometry;
pub mod layout;
pub mod load;
pub mod ocr;
pub mod raster;
pub mod report;
pub mod rules;
pub mod verdict;
