//! Stage `load`: takes an image file (or bytes); gives an upright 8-bit RGB raster.
//! Applies EXIF orientation, flattens alpha onto white, converts greyscale/16-bit/palette to RGB and
//! refuses images over a pixel cap before decoding them.

use crate::error::InputError;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};
use std::io::Cursor;
use std::path::Path;

/// Default pixel cap: 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;

/// How images are loaded.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Images with more pixels than this are refused before decoding.
    pub max_pixels: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { max_pixels: DEFAULT_MAX_PIXELS }
    }
}

/// Reads and decodes an image file.
pub fn load_image(path: &Path, opts: &LoadOptions) -> Result<RgbImage, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::from_io(path, e))?;
    decode_image(&bytes, path, opts)
}

/// Decodes image bytes; `path` only names the source in errors.
pub fn decode_image(bytes: &[u8], path: &Path, opts: &LoadOptions) -> Result<RgbImage, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty(path.to_path_buf()));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| InputError::Io { path: path.to_path_buf(), msg: e.to_string() })?;
    if reader.format().is_none() {
        return Err(InputError::NotAnImage(path.to_path_buf()));
    }
    // JPEG decoders fill a cut-off scan with grey instead of failing; insist on the end-of-image marker.
    if reader.format() == Some(image::ImageFormat::Jpeg) {
        let tail = &bytes[bytes.len().saturating_sub(4096)..];
        if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
            return Err(InputError::Corrupt { path: path.to_path_buf(), msg: "JPEG has no end-of-image marker".into() });
        }
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| InputError::Corrupt { path: path.to_path_buf(), msg: e.to_string() })?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(InputError::Corrupt { path: path.to_path_buf(), msg: "image has no pixels".into() });
    }
    if w as u64 * h as u64 > opts.max_pixels {
        return Err(InputError::TooLarge { path: path.to_path_buf(), w, h, cap_mp: opts.max_pixels as f64 / 1e6 });
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder)
        .map_err(|e| InputError::Corrupt { path: path.to_path_buf(), msg: e.to_string() })?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(flatten_to_rgb(img))
}

/// Converts any colour type to RGB8, compositing transparent pixels over white.
pub fn flatten_to_rgb(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (src, dst) in rgba.pixels().zip(out.pixels_mut()) {
        let a = src[3] as u32;
        for c in 0..3 {
            dst[c] = ((src[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}
