//! Stage `ocr::detect`: takes an RGB image and the DB detection model; gives scored, unclipped,
//! rotated text boxes in image coordinates (horizontal lines, tilted lines, vertical columns).
//!
//! The detection resolution is chosen per image: large images are shrunk so the long side is at most
//! `max_side` (text of 14 px stays above the model's ~8 px floor at the default), small ones are
//! padded and enlarged so short single-line crops still give the model context.

use crate::error::{Error, Result};
use crate::geometry::{convex_hull, min_area_rect, Pt, RotRect};
use crate::raster::connected_components;
use image::RgbImage;
use rten::Model;
use rten_tensor::prelude::*;
use rten_tensor::NdTensor;

/// Tunables of DB post-processing and input scaling.
#[derive(Debug, Clone)]
pub struct DetectOptions {
    /// Longest side of the detector input, in pixels.
    pub max_side: u32,
    /// Images whose longest side is shorter than this are enlarged to it.
    pub min_side: u32,
    /// Probability above which a pixel is text.
    pub thresh: f32,
    /// Mean probability a box must reach.
    pub box_thresh: f32,
    /// DB unclip ratio: offset = area × ratio / perimeter.
    pub unclip_ratio: f32,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions { max_side: 1280, min_side: 640, thresh: 0.3, box_thresh: 0.5, unclip_ratio: 1.6 }
    }
}

/// A detected text region.
#[derive(Debug, Clone)]
pub struct TextBox {
    /// Unclipped rotated rectangle in image coordinates; `axis` is the side nearest to horizontal.
    pub rect: RotRect,
    /// Mean text probability inside the (clipped) box.
    pub score: f32,
}

/// Scale and padding used to map between image and detector-input coordinates.
#[derive(Debug, Clone, Copy)]
struct Mapping {
    scale: f32,
    pad: f32,
}

/// Builds the detector input: scaled image on a padded canvas of multiple-of-32 size, BGR,
/// ImageNet-normalised.
fn prepare(img: &RgbImage, opts: &DetectOptions) -> (NdTensor<f32, 4>, Mapping) {
    let (w, h) = img.dimensions();
    let long = w.max(h) as f32;
    let mut scale = if long > opts.max_side as f32 {
        opts.max_side as f32 / long
    } else if long < opts.min_side as f32 {
        (opts.min_side as f32 / long).min(4.0)
    } else {
        1.0
    };
    // Keep the short side at least 32 px of content.
    if (w.min(h) as f32) * scale < 32.0 {
        scale = 32.0 / w.min(h) as f32;
    }
    let sw = ((w as f32 * scale).round() as u32).max(1);
    let sh = ((h as f32 * scale).round() as u32).max(1);
    let pad = ((sw.min(sh) as f32 * 0.08).round() as u32).clamp(8, 32);
    let cw = (sw + 2 * pad).div_ceil(32) * 32;
    let ch = (sh + 2 * pad).div_ceil(32) * 32;
    let scaled = if scale == 1.0 {
        img.clone()
    } else {
        image::imageops::resize(img, sw, sh, image::imageops::FilterType::Triangle)
    };
    let bg = crate::raster::plane::border_median(img);
    let mean = [0.485f32, 0.456, 0.406];
    let std = [0.229f32, 0.224, 0.225];
    let mut t = NdTensor::<f32, 4>::zeros([1, 3, ch as usize, cw as usize]);
    for y in 0..ch {
        for x in 0..cw {
            let inside = x >= pad && y >= pad && x < pad + sw && y < pad + sh;
            let p = if inside { scaled.get_pixel(x - pad, y - pad).0 } else { bg };
            // Paddle models were trained on BGR.
            for c in 0..3 {
                let v = p[2 - c] as f32 / 255.0;
                t[[0, c, y as usize, x as usize]] = (v - mean[c]) / std[c];
            }
        }
    }
    (t, Mapping { scale, pad: pad as f32 })
}

/// Runs text detection on `img`.
pub fn detect(model: &Model, img: &RgbImage, opts: &DetectOptions) -> Result<Vec<TextBox>> {
    let (input, map) = prepare(img, opts);
    let out = model
        .run_one(input.view().into(), None)
        .map_err(|e| Error::Internal(format!("detection model failed: {e}")))?;
    let prob: NdTensor<f32, 4> = out.try_into().map_err(|e| Error::Internal(format!("detection output: {e:?}")))?;
    let [_, _, ph, pw] = prob.shape();
    let prob = prob.slice((0, 0));
    let probs: Vec<f32> = prob.iter().copied().collect();
    let mask: Vec<bool> = probs.iter().map(|&p| p > opts.thresh).collect();
    let (comps, labels) = connected_components(&mask, pw, ph);
    let mut boxes = Vec::new();
    for (ci, comp) in comps.iter().enumerate() {
        if comp.area < 6 {
            continue;
        }
        let id = ci as u32 + 1;
        // Row extremes as pixel corners: hull of these equals hull of the whole component.
        let mut pts: Vec<Pt> = Vec::new();
        for y in comp.y0..comp.y1 {
            let row = &labels[y * pw..(y + 1) * pw];
            let first = (comp.x0..comp.x1).find(|&x| row[x] == id);
            let last = (comp.x0..comp.x1).rev().find(|&x| row[x] == id);
            if let (Some(a), Some(b)) = (first, last) {
                let (a, b, yf) = (a as f32, b as f32 + 1.0, y as f32);
                pts.extend_from_slice(&[[a, yf], [a, yf + 1.0], [b, yf], [b, yf + 1.0]]);
            }
        }
        let rect = min_area_rect(&convex_hull(&pts));
        if rect.width.min(rect.height) < 2.0 {
            continue;
        }
        // Score: mean probability inside the rectangle.
        let score = mean_inside(&probs, pw, ph, &rect);
        if score < opts.box_thresh {
            continue;
        }
        let area = rect.width * rect.height;
        let perim = 2.0 * (rect.width + rect.height);
        let d = area * opts.unclip_ratio / perim;
        let un = rect.expanded(d);
        if un.width.min(un.height) < 4.0 {
            continue;
        }
        // Back to image coordinates.
        let c = [(un.center[0] - map.pad) / map.scale, (un.center[1] - map.pad) / map.scale];
        let img_rect = RotRect { center: c, axis: un.axis, width: un.width / map.scale, height: un.height / map.scale };
        boxes.push(TextBox { rect: img_rect, score });
    }
    Ok(boxes)
}

fn mean_inside(probs: &[f32], w: usize, h: usize, r: &RotRect) -> f32 {
    let cs = r.corners();
    let x0 = cs.iter().map(|p| p[0]).fold(f32::MAX, f32::min).floor().max(0.0) as usize;
    let x1 = (cs.iter().map(|p| p[0]).fold(f32::MIN, f32::max).ceil() as usize).min(w);
    let y0 = cs.iter().map(|p| p[1]).fold(f32::MAX, f32::min).floor().max(0.0) as usize;
    let y1 = (cs.iter().map(|p| p[1]).fold(f32::MIN, f32::max).ceil() as usize).min(h);
    let n = r.normal();
    let (mut s, mut k) = (0f32, 0usize);
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (x as f32 + 0.5 - r.center[0], y as f32 + 0.5 - r.center[1]);
            let u = dx * r.axis[0] + dy * r.axis[1];
            let v = dx * n[0] + dy * n[1];
            if u.abs() <= r.width / 2.0 && v.abs() <= r.height / 2.0 {
                s += probs[y * w + x];
                k += 1;
            }
        }
    }
    if k == 0 { 0.0 } else { s / k as f32 }
}
