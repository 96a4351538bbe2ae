//! Sub-pixel ink edges across a horizontal line: takes the image and a glyph's ink box (whole
//! pixels, from binarised ink); gives the top and bottom edges of its ink in image pixels to a
//! fraction of a pixel, from the grey levels of the rows around the box. A short line's slope is a
//! pixel or two from end to end, so whole-pixel edges alone cannot tell 1.2° from 0.8°.

use crate::geometry::bbox_of;
use image::RgbImage;

/// Rows scanned beyond the ink box on either side, and rows at the scan's ends taken as background.
const REACH: i32 = 3;

/// The top and bottom ink edges (image y) of the glyph whose ink box is `quad`: where the darkest
/// pixel of a row (darkness relative to the background and the ink's own level) crosses one half,
/// interpolated between rows. `None` when the box is tiny or off the image, the ink has no contrast,
/// or an edge is not found within a pixel and a half of the box's.
pub fn across_edges(img: &RgbImage, quad: &[[f32; 2]; 4]) -> Option<(f32, f32)> {
    let b = bbox_of(quad);
    let (x0, x1) = (b[0].round() as i32, (b[0] + b[2]).round() as i32);
    let (top, bottom) = (b[1].round() as i32, (b[1] + b[3]).round() as i32);
    let (ya, yb) = (top - REACH, bottom + REACH);
    if x1 - x0 < 2 || bottom - top < 3 || x0 < 0 || ya < 0 || x1 > img.width() as i32 || yb > img.height() as i32 {
        return None;
    }
    let px = |x: i32, y: i32| img.get_pixel(x as u32, y as u32).0;
    // Per channel: the background (median of the outermost rows scanned) and the ink's contrast
    // (90th percentile of the distance from it inside the box). The channel with most contrast
    // carries the ink (coloured text on a coloured ground).
    let mut best: Option<(usize, f32, f32, f32)> = None;
    for c in 0..3 {
        let mut bg: Vec<f32> = (x0..x1).flat_map(|x| [ya, yb - 1].map(|y| px(x, y)[c] as f32)).collect();
        bg.sort_by(f32::total_cmp);
        let bgv = bg[bg.len() / 2];
        let inside: Vec<f32> = (top..bottom).flat_map(|y| (x0..x1).map(move |x| (x, y))).map(|(x, y)| px(x, y)[c] as f32 - bgv).collect();
        let mut d: Vec<f32> = inside.iter().map(|v| v.abs()).collect();
        d.sort_by(f32::total_cmp);
        let contrast = d[d.len() * 9 / 10];
        let sign: f32 = inside.iter().filter(|v| v.abs() > contrast / 2.0).sum::<f32>().signum();
        if best.is_none_or(|b| contrast > b.2) {
            best = Some((c, bgv, contrast, sign));
        }
    }
    let (c, bgv, contrast, sign) = best?;
    if contrast < 16.0 {
        return None;
    }
    let dark = |x: i32, y: i32| (sign * (px(x, y)[c] as f32 - bgv) / contrast).clamp(0.0, 1.0);
    let profile: Vec<f32> = (ya..yb).map(|y| (x0..x1).map(|x| dark(x, y)).fold(0.0, f32::max)).collect();
    let n = profile.len();
    // Top: the first row at or over one half, scanning down; the crossing between it and the row
    // above (pixel centres at y + 0.5). Bottom likewise, scanning up.
    let i = (0..n).find(|&i| profile[i] >= 0.5)?;
    let j = (0..n).rev().find(|&j| profile[j] >= 0.5)?;
    if i == 0 || j + 1 == n {
        return None;
    }
    let cross = |a: f32, b: f32| ((0.5 - a) / (b - a).max(1e-3)).clamp(0.0, 1.0);
    let t = (ya + i as i32) as f32 - 0.5 + cross(profile[i - 1], profile[i]);
    let u = (ya + j as i32) as f32 + 0.5 + (1.0 - cross(profile[j + 1], profile[j]));
    ((t - top as f32).abs() <= 1.5 && (u - bottom as f32).abs() <= 1.5).then_some((t, u))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dark bar covering rows `y0..y1` (fractional: the edge rows partly covered) on a light
    /// ground, columns 10..30.
    fn bar(y0: f32, y1: f32) -> RgbImage {
        RgbImage::from_fn(40, 40, |x, y| {
            let cover = if (10..30).contains(&x) { ((y as f32 + 1.0).min(y1) - (y as f32).max(y0)).clamp(0.0, 1.0) } else { 0.0 };
            let v = (230.0 - 200.0 * cover) as u8;
            image::Rgb([v, v, v])
        })
    }

    #[test]
    fn edges_are_found_to_a_fraction_of_a_pixel() {
        // Ink from 12.3 to 25.6: binarised, the box is rows 12..26 (or 13..25).
        let img = bar(12.3, 25.6);
        let quad = [[10.0, 12.0], [30.0, 12.0], [30.0, 26.0], [10.0, 26.0]];
        let (t, u) = across_edges(&img, &quad).unwrap();
        assert!((t - 12.3).abs() < 0.25 && (u - 25.6).abs() < 0.25, "{t} {u}");
        // Half a pixel lower, the edges follow.
        let (t2, u2) = across_edges(&bar(12.8, 26.1), &quad).unwrap();
        assert!((t2 - t - 0.5).abs() < 0.25 && (u2 - u - 0.5).abs() < 0.25, "{t2} {u2}");
    }

    #[test]
    fn no_contrast_no_edges() {
        let img = RgbImage::from_pixel(40, 40, image::Rgb([200, 200, 200]));
        assert!(across_edges(&img, &[[10.0, 12.0], [30.0, 12.0], [30.0, 26.0], [10.0, 26.0]]).is_none());
    }
}
