//! Backgrounds and image degradations for the synthetic corpus. Takes a seeded RNG and an image;
//! gives flat, gradient, paper-textured and photo-like (noise + soft blobs) backgrounds, Gaussian blur
//! and JPEG round trips (the degraded pixels are kept; files stay PNG).

use super::rng::Rng;
use image::{Rgb, RgbImage};

/// Relative luminance 0..1 (sRGB weights, no linearisation: good enough for contrast choices).
pub fn luma(c: [u8; 3]) -> f32 {
    (0.299 * c[0] as f32 + 0.587 * c[1] as f32 + 0.114 * c[2] as f32) / 255.0
}

/// A random colour with luminance in `lo..hi`.
pub fn color_in(rng: &mut Rng, lo: f32, hi: f32) -> [u8; 3] {
    for _ in 0..64 {
        let c = [rng.int(0, 255) as u8, rng.int(0, 255) as u8, rng.int(0, 255) as u8];
        let l = luma(c);
        if l >= lo && l <= hi {
            return c;
        }
    }
    let v = ((lo + hi) / 2.0 * 255.0) as u8;
    [v, v, v]
}

pub fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A photo-like background: a gradient between two colours near `base`, soft blobs and pixel noise.
/// Luminance stays within ±0.12 of `base` so text keeps its contrast.
pub fn photo_like(rng: &mut Rng, w: u32, h: u32, base: [u8; 3]) -> RgbImage {
    let jitter = |rng: &mut Rng, c: [u8; 3], d: i64| c.map(|v| (v as i64 + rng.int(-d, d)).clamp(0, 255) as u8);
    let a = jitter(rng, base, 30);
    let b = jitter(rng, base, 30);
    let nblobs = rng.int(3, 8) as usize;
    let blobs: Vec<(f32, f32, f32, [f32; 3])> = (0..nblobs)
        .map(|_| {
            let c = jitter(rng, base, 45);
            (
                rng.range(0.0, w as f32),
                rng.range(0.0, h as f32),
                rng.range(0.1, 0.45) * w.max(h) as f32,
                c.map(|v| v as f32),
            )
        })
        .collect();
    let noise = rng.range(2.0, 10.0);
    let seed = rng.u64();
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let t = y as f32 / h.max(2) as f32;
        let mut c = [0, 1, 2].map(|k| a[k] as f32 + (b[k] as f32 - a[k] as f32) * t);
        for &(bx, by, r, bc) in &blobs {
            let d2 = ((x as f32 - bx).powi(2) + (y as f32 - by).powi(2)) / (r * r);
            if d2 < 4.0 {
                let wgt = 0.6 * (-d2).exp();
                for k in 0..3 {
                    c[k] += (bc[k] - c[k]) * wgt;
                }
            }
        }
        let mut v = seed ^ (x as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (y as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        v ^= v >> 31;
        v = v.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        v ^= v >> 29;
        let n = ((v >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0 * noise;
        *p = Rgb(c.map(|v| (v + n).round().clamp(0.0, 255.0) as u8));
    }
    img
}

/// Gaussian blur with standard deviation `sigma` (pixels).
pub fn blur(img: &RgbImage, sigma: f32) -> RgbImage {
    let r = (sigma * 3.0).ceil() as i32;
    let kernel: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let ksum: f32 = kernel.iter().sum();
    let (w, h) = (img.width() as i32, img.height() as i32);
    let src = img.as_raw();
    let mut tmp = vec![0f32; src.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0f32; 3];
            for (k, kv) in kernel.iter().enumerate() {
                let xx = (x + k as i32 - r).clamp(0, w - 1);
                let i = ((y * w + xx) * 3) as usize;
                for c in 0..3 {
                    acc[c] += src[i + c] as f32 * kv;
                }
            }
            let o = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                tmp[o + c] = acc[c] / ksum;
            }
        }
    }
    let mut out = vec![0u8; src.len()];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0f32; 3];
            for (k, kv) in kernel.iter().enumerate() {
                let yy = (y + k as i32 - r).clamp(0, h - 1);
                let i = ((yy * w + x) * 3) as usize;
                for c in 0..3 {
                    acc[c] += tmp[i + c] * kv;
                }
            }
            let o = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                out[o + c] = (acc[c] / ksum).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    RgbImage::from_raw(w as u32, h as u32, out).expect("same size")
}

/// Encodes as JPEG at `quality` and decodes again.
pub fn jpeg_round_trip(img: &RgbImage, quality: u8) -> RgbImage {
    let mut buf = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality);
    if img.write_with_encoder(enc).is_err() {
        return img.clone();
    }
    match image::load_from_memory_with_format(&buf, image::ImageFormat::Jpeg) {
        Ok(d) => d.to_rgb8(),
        Err(_) => img.clone(),
    }
}
