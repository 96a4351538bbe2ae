//! Shared test helpers: one model load per test binary, fixture paths.
#![allow(dead_code)]

use cjkcheck::ocr::{Bundled, ModelSource, Reader};
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn reader() -> &'static Reader {
    static R: OnceLock<Reader> = OnceLock::new();
    R.get_or_init(|| Reader::new(ModelSource::Bundled(Bundled::PpOcrV4)).expect("bundled models load"))
}

/// The PP-OCRv5 reader (Traditional text).
pub fn reader_v5() -> &'static Reader {
    static R: OnceLock<Reader> = OnceLock::new();
    R.get_or_init(|| Reader::new(ModelSource::Bundled(Bundled::PpOcrV5)).expect("bundled models load"))
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn read_text(path: &std::path::Path) -> Vec<String> {
    let img = cjkcheck::load::load_image(path, &Default::default()).expect("image loads");
    reader().read(&img).expect("ocr runs").lines.into_iter().map(|l| l.text).collect()
}
