//! Otsu binarisation with ink polarity: takes an RGB raster of text on background; gives a boolean
//! ink mask. Picks the colour projection (luma or one channel) that separates ink from background best,
//! so coloured text on a background of similar brightness still binarises; polarity comes from the
//! border, which is mostly background.

use image::RgbImage;

/// Result of binarising a raster.
#[derive(Debug, Clone)]
pub struct Binarized {
    pub width: usize,
    pub height: usize,
    /// `true` where there is ink.
    pub ink: Vec<bool>,
    /// Separability of the two classes (between-class / total variance, 0..1).
    pub separability: f32,
    /// Whether ink is lighter than the background.
    pub light_on_dark: bool,
    /// The colour projection thresholded (0 luma, 1–3 a channel; see `project`).
    pub projection: usize,
}

impl Binarized {
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> bool {
        self.ink[y * self.width + x]
    }
}

/// Otsu threshold over a 256-bin histogram; returns (threshold, separability).
pub fn otsu(hist: &[u32; 256]) -> (usize, f32) {
    let total: u64 = hist.iter().map(|&c| c as u64).sum();
    if total == 0 {
        return (128, 0.0);
    }
    let sum: f64 = hist.iter().enumerate().map(|(i, &c)| i as f64 * c as f64).sum();
    let mean = sum / total as f64;
    let var_total: f64 = hist.iter().enumerate().map(|(i, &c)| (i as f64 - mean).powi(2) * c as f64).sum::<f64>() / total as f64;
    let (mut w0, mut sum0) = (0f64, 0f64);
    let (mut best_t, mut best_var) = (128usize, -1f64);
    for (t, &c) in hist.iter().enumerate() {
        w0 += c as f64;
        sum0 += t as f64 * c as f64;
        if w0 == 0.0 {
            continue;
        }
        let w1 = total as f64 - w0;
        if w1 == 0.0 {
            break;
        }
        let m0 = sum0 / w0;
        let m1 = (sum - sum0) / w1;
        let var_b = w0 * w1 * (m0 - m1).powi(2) / (total as f64 * total as f64);
        if var_b > best_var {
            best_var = var_b;
            best_t = t;
        }
    }
    let sep = if var_total > 0.0 { (best_var / var_total) as f32 } else { 0.0 };
    (best_t, sep)
}

/// The least difference (grey levels) between the mean values of a colour channel's two Otsu
/// classes for that channel to be thresholded instead of luma: text that differs from its background
/// by less in a channel is not told apart by it.
const MIN_CLASS_GAP: f64 = 16.0;

/// The difference between the mean values of the two classes threshold `t` splits `hist` into.
fn class_gap(hist: &[u32; 256], t: usize) -> f64 {
    let mean = |r: std::ops::Range<usize>| {
        let (n, s) = r.fold((0f64, 0f64), |(n, s), i| (n + hist[i] as f64, s + i as f64 * hist[i] as f64));
        if n > 0.0 { s / n } else { 0.0 }
    };
    (mean(t + 1..256) - mean(0..t + 1)).abs()
}

/// A pixel's value in colour projection `k` (0 luma, 1–3 the red, green or blue channel).
pub fn project(p: &[u8; 3], k: usize) -> u8 {
    match k {
        0 => ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8,
        c => p[c - 1],
    }
}

/// Binarises an RGB raster of text; ink polarity is decided by which class dominates the border.
pub fn binarize_plane(img: &RgbImage) -> Binarized {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut best: Option<(usize, usize, f32)> = None; // (projection, threshold, separability)
    for k in 0..4 {
        let mut hist = [0u32; 256];
        for p in img.pixels() {
            hist[project(&p.0, k) as usize] += 1;
        }
        let (t, sep) = otsu(&hist);
        // A channel whose two classes lie a few levels apart separates nothing on the page (a
        // gradient's one-level step in a channel the text shares is split perfectly).
        if k > 0 && class_gap(&hist, t) < MIN_CLASS_GAP {
            continue;
        }
        // Prefer luma unless a channel is clearly better.
        let sep_adj = if k == 0 { sep + 0.05 } else { sep };
        if best.is_none_or(|b| sep_adj > b.2) {
            best = Some((k, t, sep_adj));
        }
    }
    let (k, t, sep) = best.unwrap();
    let sep = if k == 0 { sep - 0.05 } else { sep };
    // Border: fraction of border pixels above threshold.
    let (mut above, mut count) = (0usize, 0usize);
    for x in 0..w {
        for &y in &[0, h - 1] {
            count += 1;
            if project(&img.get_pixel(x as u32, y as u32).0, k) as usize > t {
                above += 1;
            }
        }
    }
    for y in 0..h {
        for &x in &[0, w - 1] {
            count += 1;
            if project(&img.get_pixel(x as u32, y as u32).0, k) as usize > t {
                above += 1;
            }
        }
    }
    // Background is the border majority; ink is the other side.
    let bg_bright = above * 2 >= count;
    let light_on_dark = !bg_bright;
    let ink = img
        .pixels()
        .map(|p| {
            let v = project(&p.0, k) as usize;
            if bg_bright { v <= t } else { v > t }
        })
        .collect();
    Binarized { width: w, height: h, ink, separability: sep, light_on_dark, projection: k }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_level_step_in_a_channel_the_text_shares_is_not_taken_for_ink() {
        // Yellow background whose blue steps from 80 to 79 halfway down (a gradient, quantised);
        // dark red text, anti-aliased, with the background's blue: only luma tells the text.
        let (w, h) = (60u32, 20u32);
        let img = RgbImage::from_fn(w, h, |x, y| {
            let blue = if y < h / 2 { 80 } else { 79 };
            let core = (20..40).contains(&x) && (6..14).contains(&y);
            let halo = (18..42).contains(&x) && (4..16).contains(&y);
            match (core, halo) {
                (true, _) => image::Rgb([110, 30, 80]),
                (false, true) => image::Rgb([190, 150, blue]),
                _ => image::Rgb([240, 232, blue]),
            }
        });
        let b = binarize_plane(&img);
        assert!(b.at(30, 10), "the text is ink (projection {})", b.projection);
        let outside = (0..h as usize).flat_map(|y| (0..w as usize).map(move |x| (x, y))).filter(|&(x, y)| !(18..42).contains(&x) || !(4..16).contains(&y));
        assert_eq!(outside.filter(|&(x, y)| b.at(x, y)).count(), 0, "no background is ink (projection {})", b.projection);
    }
}
