//! A single-channel f32 image plane plus sampling helpers.

use crate::geometry::RotRect;
use image::RgbImage;

/// Row-major single-channel image with values in 0..=255.
#[derive(Debug, Clone)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Plane {
    pub fn new(width: usize, height: usize) -> Plane {
        Plane { width, height, data: vec![0.0; width * height] }
    }

    #[inline]
    pub fn get(&self, x: usize, y: usize) -> f32 {
        self.data[y * self.width + x]
    }

    #[inline]
    pub fn set(&mut self, x: usize, y: usize, v: f32) {
        self.data[y * self.width + x] = v;
    }
}

/// Bilinear sample of one RGB pixel at a real-valued position (clamped to the image).
#[inline]
pub fn sample_rgb(img: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = img.dimensions();
    let x = x.clamp(0.0, (w - 1) as f32);
    let y = y.clamp(0.0, (h - 1) as f32);
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let p00 = img.get_pixel(x0, y0).0;
    let p10 = img.get_pixel(x1, y0).0;
    let p01 = img.get_pixel(x0, y1).0;
    let p11 = img.get_pixel(x1, y1).0;
    let mut out = [0.0; 3];
    for c in 0..3 {
        let top = p00[c] as f32 * (1.0 - fx) + p10[c] as f32 * fx;
        let bot = p01[c] as f32 * (1.0 - fx) + p11[c] as f32 * fx;
        out[c] = top * (1.0 - fy) + bot * fy;
    }
    out
}

/// Samples the rotated rectangle `rect` into an `out_w`×`out_h` RGB image (bilinear, with
/// supersampling when shrinking so thin strokes are averaged rather than skipped).
pub fn sample_rect_rgb(img: &RgbImage, rect: &RotRect, out_w: u32, out_h: u32) -> RgbImage {
    let mut out = RgbImage::new(out_w.max(1), out_h.max(1));
    let su = rect.width / out_w.max(1) as f32;
    let sv = rect.height / out_h.max(1) as f32;
    let ss = (su.max(sv).ceil() as usize).clamp(1, 4);
    let tl = rect.corners()[0];
    let ax = rect.axis;
    let n = rect.normal();
    for oy in 0..out.height() {
        for ox in 0..out.width() {
            let mut acc = [0.0f32; 3];
            for sy in 0..ss {
                for sx in 0..ss {
                    let u = (ox as f32 + (sx as f32 + 0.5) / ss as f32) * su - 0.5;
                    let v = (oy as f32 + (sy as f32 + 0.5) / ss as f32) * sv - 0.5;
                    let x = tl[0] + ax[0] * u + n[0] * v;
                    let y = tl[1] + ax[1] * u + n[1] * v;
                    let p = sample_rgb(img, x, y);
                    for c in 0..3 {
                        acc[c] += p[c];
                    }
                }
            }
            let k = (ss * ss) as f32;
            out.put_pixel(ox, oy, image::Rgb([(acc[0] / k).round() as u8, (acc[1] / k).round() as u8, (acc[2] / k).round() as u8]));
        }
    }
    out
}

/// Samples `rect` at one sample per source pixel (nearest neighbour for axis-aligned rects, bilinear
/// otherwise) into an RGB raster of size ceil(width)×ceil(height). Local (u, v) maps to image via
/// `rect.local_to_image(u + 0.5, v + 0.5)`.
pub fn sample_rect_native(img: &RgbImage, rect: &RotRect) -> RgbImage {
    let w = rect.width.ceil().max(1.0) as u32;
    let h = rect.height.ceil().max(1.0) as u32;
    let mut out = RgbImage::new(w, h);
    let tl = rect.corners()[0];
    let ax = rect.axis;
    let n = rect.normal();
    for v in 0..h {
        for u in 0..w {
            let (uf, vf) = (u as f32 + 0.5, v as f32 + 0.5);
            let x = tl[0] + ax[0] * uf + n[0] * vf - 0.5;
            let y = tl[1] + ax[1] * uf + n[1] * vf - 0.5;
            let p = sample_rgb(img, x, y);
            out.put_pixel(u, v, image::Rgb([p[0].round() as u8, p[1].round() as u8, p[2].round() as u8]));
        }
    }
    out
}

/// Per-channel median of the border pixels of an RGB raster (an estimate of the background colour).
pub fn border_median(img: &RgbImage) -> [u8; 3] {
    let (w, h) = img.dimensions();
    let mut chans: [Vec<u8>; 3] = Default::default();
    let mut push = |x: u32, y: u32| {
        let p = img.get_pixel(x, y).0;
        for c in 0..3 {
            chans[c].push(p[c]);
        }
    };
    for x in 0..w {
        push(x, 0);
        push(x, h - 1);
    }
    for y in 0..h {
        push(0, y);
        push(w - 1, y);
    }
    let mut out = [255u8; 3];
    for c in 0..3 {
        chans[c].sort_unstable();
        out[c] = chans[c][chans[c].len() / 2];
    }
    out
}
