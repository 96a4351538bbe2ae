//! Sub-pixel ink edges of a glyph on a horizontal line: takes the image and a glyph's ink box (whole
//! pixels, from binarised ink); gives the left, top, right and bottom edges of its ink in image
//! pixels to a fraction of a pixel, from the grey levels around the box. A short line's slope is a
//! pixel or two from end to end, so whole-pixel edges alone cannot tell 1.2° from 0.8°; and a 16 px
//! glyph's size to the whole pixel is ±6 %, half a resize.

use crate::geometry::bbox_of;
use image::RgbImage;

/// Rows scanned beyond the ink box on either side, and rows at the scan's ends taken as background.
const REACH: i32 = 3;

/// The top and bottom ink edges (image y) of the glyph whose ink box is `quad`: where the darkest
/// pixel of a row (darkness relative to the background and the ink's own level) crosses one half,
/// interpolated between rows. `None` when the box is tiny or off the image, the ink has no contrast,
/// or an edge is not found within a pixel and a half of the box's.
pub fn across_edges(img: &RgbImage, quad: &[[f32; 2]; 4]) -> Option<(f32, f32)> {
    ink_edges(img, quad).map(|e| (e.top, e.bottom))
}

/// A glyph's ink edges in image pixels. `left` and `right` are `None` where no crossing lies
/// within a pixel and a half of the box's edge (a neighbour's ink runs into the box's side).
#[derive(Debug, Clone, Copy)]
pub struct InkEdges {
    pub top: f32,
    pub bottom: f32,
    pub left: Option<f32>,
    pub right: Option<f32>,
}

/// The glyph's ink edges: top and bottom as `across_edges`; left and right where the darkest pixel
/// of a column (over the box's rows) crosses one half next to the box's side, found from the side
/// inward so a close neighbour's ink beyond it is not taken. `None` as for `across_edges`.
pub fn ink_edges(img: &RgbImage, quad: &[[f32; 2]; 4]) -> Option<InkEdges> {
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
    if (t - top as f32).abs() > 1.5 || (u - bottom as f32).abs() > 1.5 {
        return None;
    }
    // Columns: darkest pixel over the ink's rows, from two columns outside each side inward.
    let (ra, rb) = (t.floor() as i32, u.ceil() as i32);
    let col = |x: i32| -> Option<f32> { (x >= 0 && x < img.width() as i32).then(|| (ra.max(0)..rb.min(img.height() as i32)).map(|y| dark(x, y)).fold(0.0, f32::max)) };
    let side = |edge: i32, inward: i32| -> Option<f32> {
        let mut prev = col(edge - 2 * inward)?;
        for k in -1..=2 {
            let x = edge + k * inward;
            let cur = col(x)?;
            if cur >= 0.5 {
                if prev >= 0.5 {
                    return None;
                }
                // Crossing between the centres of columns x - inward and x.
                let f = cross(prev, cur);
                return Some(x as f32 + 0.5 - inward as f32 * (1.0 - f));
            }
            prev = cur;
        }
        None
    };
    let left = side(x0, 1).filter(|l| (l - x0 as f32).abs() <= 1.5);
    let right = side(x1 - 1, -1).filter(|r| (r - x1 as f32).abs() <= 1.5);
    Some(InkEdges { top: t, bottom: u, left, right })
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

    /// Dark blocks covering columns `x0..x1` and `n0..n1` (fractional) over rows 12..26.
    fn blocks(x0: f32, x1: f32, n0: f32, n1: f32) -> RgbImage {
        let cover = |x: u32, a: f32, b: f32| ((x as f32 + 1.0).min(b) - (x as f32).max(a)).clamp(0.0, 1.0);
        RgbImage::from_fn(60, 40, |x, y| {
            let c = if (12..26).contains(&y) { cover(x, x0, x1) + cover(x, n0, n1) } else { 0.0 };
            let v = (230.0 - 200.0 * c.min(1.0)) as u8;
            image::Rgb([v, v, v])
        })
    }

    #[test]
    fn side_edges_are_found_to_a_fraction_of_a_pixel_beside_a_close_neighbour() {
        // The glyph's ink spans 10.3..27.6; a neighbour starts 1.5 px after it.
        let img = blocks(10.3, 27.6, 29.1, 45.0);
        let quad = [[10.0, 12.0], [28.0, 12.0], [28.0, 26.0], [10.0, 26.0]];
        let e = ink_edges(&img, &quad).unwrap();
        let (l, r) = (e.left.unwrap(), e.right.unwrap());
        assert!((l - 10.3).abs() < 0.25 && (r - 27.6).abs() < 0.25, "{l} {r}");
        // Touching the neighbour, the right side has no edge of its own.
        let touching = ink_edges(&blocks(10.3, 27.6, 27.6, 45.0), &quad).unwrap();
        assert!(touching.right.is_none() && touching.left.is_some(), "{touching:?}");
    }

    #[test]
    fn no_contrast_no_edges() {
        let img = RgbImage::from_pixel(40, 40, image::Rgb([200, 200, 200]));
        assert!(across_edges(&img, &[[10.0, 12.0], [30.0, 12.0], [30.0, 26.0], [10.0, 26.0]]).is_none());
    }
}
