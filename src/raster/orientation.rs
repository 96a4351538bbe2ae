//! Gradient-orientation statistics: Han strokes are mostly horizontal and vertical, so an upright
//! glyph's gradient angles cluster at multiples of 90°. Takes a luminance function over a window;
//! gives the magnitude-weighted sums of cos 4θ / sin 4θ, from which the dominant angle in (-45°, 45°]
//! and its strength follow.

/// Sobel gradients over the interior of a `w`×`h` window; returns (Σ m·cos4θ, Σ m·sin4θ, Σ m).
pub fn fourfold_sums(w: usize, h: usize, luma: impl Fn(usize, usize) -> f32) -> (f64, f64, f64) {
    let (mut sx, mut sy, mut total) = (0f64, 0f64, 0f64);
    if w < 3 || h < 3 {
        return (0.0, 0.0, 0.0);
    }
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let gx = (luma(x + 1, y - 1) + 2.0 * luma(x + 1, y) + luma(x + 1, y + 1)) - (luma(x - 1, y - 1) + 2.0 * luma(x - 1, y) + luma(x - 1, y + 1));
            let gy = (luma(x - 1, y + 1) + 2.0 * luma(x, y + 1) + luma(x + 1, y + 1)) - (luma(x - 1, y - 1) + 2.0 * luma(x, y - 1) + luma(x + 1, y - 1));
            let m = ((gx * gx + gy * gy) as f64).sqrt();
            if m < 1e-3 {
                continue;
            }
            let th = (gy as f64).atan2(gx as f64);
            sx += m * (4.0 * th).cos();
            sy += m * (4.0 * th).sin();
            total += m;
        }
    }
    (sx, sy, total)
}

/// Dominant angle (degrees, (-45, 45]) and strength (0..1) from fourfold sums.
pub fn angle_from_sums(sx: f64, sy: f64, total: f64) -> (f32, f32) {
    if total < 1.0 {
        return (0.0, 0.0);
    }
    let r = (sx * sx + sy * sy).sqrt() / total;
    ((sy.atan2(sx) / 4.0).to_degrees() as f32, r as f32)
}
