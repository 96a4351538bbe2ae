//! Per-glyph rotation: takes the image and a glyph quad; gives the dominant stroke angle of the ink
//! there and its strength (see `raster::orientation`). `layout` compares it with the reference glyph.

use crate::geometry::bbox_of;
use crate::raster::orientation::{angle_from_sums, fourfold_sums};
use image::RgbImage;

/// Dominant stroke angle (degrees, clockwise positive) and strength of the ink inside `quad`.
pub fn dominant_angle(img: &RgbImage, quad: &[[f32; 2]; 4]) -> Option<(f32, f32)> {
    let b = bbox_of(quad);
    let pad = 2.0;
    let x0 = (b[0] - pad).floor().max(0.0) as u32;
    let y0 = (b[1] - pad).floor().max(0.0) as u32;
    let x1 = ((b[0] + b[2] + pad).ceil() as u32).min(img.width());
    let y1 = ((b[1] + b[3] + pad).ceil() as u32).min(img.height());
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return None;
    }
    let (sx, sy, t) = fourfold_sums((x1 - x0) as usize, (y1 - y0) as usize, |x, y| {
        let p = img.get_pixel(x0 + x as u32, y0 + y as u32).0;
        0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
    });
    if t < 1.0 {
        return None;
    }
    Some(angle_from_sums(sx, sy, t))
}
