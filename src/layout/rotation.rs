//! Per-glyph rotation from the gradient-orientation histogram: Han strokes are mostly horizontal and
//! vertical, so an upright glyph's gradient angles cluster at multiples of 90°. Takes the image and a
//! glyph quad; gives the glyph's dominant angle in (-45°, 45°] (0 = upright), or None if it has too
//! little edge energy to tell.

use crate::geometry::bbox_of;
use image::RgbImage;

/// Dominant stroke angle of the ink inside `quad` (degrees, clockwise positive in image coordinates).
pub fn dominant_angle(img: &RgbImage, quad: &[[f32; 2]; 4]) -> Option<f32> {
    let b = bbox_of(quad);
    let pad = 2.0;
    let x0 = (b[0] - pad).floor().max(1.0) as u32;
    let y0 = (b[1] - pad).floor().max(1.0) as u32;
    let x1 = ((b[0] + b[2] + pad).ceil() as u32).min(img.width().saturating_sub(1));
    let y1 = ((b[1] + b[3] + pad).ceil() as u32).min(img.height().saturating_sub(1));
    if x1 <= x0 + 4 || y1 <= y0 + 4 {
        return None;
    }
    let luma = |x: u32, y: u32| {
        let p = img.get_pixel(x, y).0;
        0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32
    };
    let (mut sx, mut sy, mut total) = (0f64, 0f64, 0f64);
    for y in y0..y1 {
        for x in x0..x1 {
            let gx = (luma(x + 1, y - 1) + 2.0 * luma(x + 1, y) + luma(x + 1, y + 1)) - (luma(x - 1, y - 1) + 2.0 * luma(x - 1, y) + luma(x - 1, y + 1));
            let gy = (luma(x - 1, y + 1) + 2.0 * luma(x, y + 1) + luma(x + 1, y + 1)) - (luma(x - 1, y - 1) + 2.0 * luma(x, y - 1) + luma(x + 1, y - 1));
            let m = (gx * gx + gy * gy).sqrt() as f64;
            if m < 1e-3 {
                continue;
            }
            let th = (gy as f64).atan2(gx as f64);
            // Fourfold symmetry: angles 90° apart vote together.
            sx += m * (4.0 * th).cos();
            sy += m * (4.0 * th).sin();
            total += m;
        }
    }
    if total < 1.0 {
        return None;
    }
    let r = (sx * sx + sy * sy).sqrt() / total;
    if r < 0.05 {
        return None;
    }
    Some((sy.atan2(sx) / 4.0).to_degrees() as f32)
}
