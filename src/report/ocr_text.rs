//! Plain-text rendering of an OCR [`Page`](crate::ocr::Page): one line per text line, with its
//! confidence and orientation, for people reading a terminal.

use crate::ocr::{Orientation, Page};
use std::fmt::Write;

/// Formats a page as text. `name` heads the block when several images are read.
pub fn format_page(page: &Page, name: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(n) = name {
        let _ = writeln!(s, "== {n} ({}×{}, {} lines)", page.width, page.height, page.lines.len());
    }
    for (i, l) in page.lines.iter().enumerate() {
        let o = match l.orientation {
            Orientation::Horizontal => String::new(),
            Orientation::Rotated180 => " [upside down]".into(),
            Orientation::Vertical => " [vertical]".into(),
        };
        let tilt = if l.angle.abs() >= 0.5 { format!(" [tilted {:+.1}°]", l.angle) } else { String::new() };
        let _ = writeln!(s, "{:>3}  {}  ({:.2}){o}{tilt}", i + 1, l.text, l.confidence);
    }
    s
}
