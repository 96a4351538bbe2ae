//! Writes one contact sheet per defect kind into `reports/synth-contact-sheets/` (or the folder given
//! as the first argument): a grid of crops around the defect (red: the truth ink box of every glyph
//! labelled with the defect; orange: the em box of a dropped character), each with a caption.
//! Run: `cargo run --release --example contact_sheets [DIR] [SEED]`.

use cjkcheck::render::{self, Fonts};
use cjkcheck::spec::{Block, Canvas, Spec};
use cjkcheck::synth::{self, Assets, DEFECTS, KINDS};
use image::{imageops, Rgb, RgbImage};

const COLS: u32 = 4;
const ROWS: u32 = 3;
const TW: u32 = 176;
const TH: u32 = 110;
const CAP: u32 = 16;

fn rect(img: &mut RgbImage, r: [f32; 4], c: Rgb<u8>) {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, y0) = (r[0].floor() as i64, r[1].floor() as i64);
    let (x1, y1) = ((r[0] + r[2]).ceil() as i64, (r[1] + r[3]).ceil() as i64);
    let mut put = |x: i64, y: i64| {
        if x >= 0 && y >= 0 && x < w && y < h {
            img.put_pixel(x as u32, y as u32, c);
        }
    };
    for x in x0..=x1 {
        put(x, y0);
        put(x, y1);
    }
    for y in y0..=y1 {
        put(x0, y);
        put(x1, y);
    }
}

fn caption(fonts: &Fonts, text: &str) -> RgbImage {
    let mut b = Block::new(text);
    b.size = 12.0;
    b.bbox = Some([3.0, 1.0, TW as f32 - 6.0, CAP as f32]);
    b.han_latin_gap = 0.0;
    let spec = Spec { canvas: Some(Canvas { width: TW, height: CAP, background: "#ffffff".into() }), locale: None, blocks: vec![b] };
    render::render(&spec, fonts).image
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = std::path::PathBuf::from(args.get(1).cloned().unwrap_or_else(|| "reports/synth-contact-sheets".into()));
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    std::fs::create_dir_all(&out).unwrap();
    let a = Assets::bundled().expect("assets");
    let kinds: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
    for defect in DEFECTS {
        let mut sheet = RgbImage::from_pixel(COLS * (TW + 4) + 4, ROWS * (TH + CAP + 4) + 4, Rgb([90, 90, 90]));
        for i in 0..COLS * ROWS {
            let item = synth::make_item(&a, seed, i as u64, &kinds, &[defect.to_string()]);
            let img = image::load_from_memory(&item.png).unwrap().to_rgb8();
            let t = &item.truth;
            let marked: Vec<&synth::TruthGlyph> = t.glyphs.iter().filter(|g| g.defect.is_some()).collect();
            let focus: Vec<[f32; 4]> = if marked.is_empty() {
                t.glyphs.iter().take(3).map(|g| g.em_box).collect()
            } else {
                marked.iter().map(|g| g.bbox.map(|b| b.map(|v| v as f32)).unwrap_or(g.em_box)).collect()
            };
            let mut u = focus[0];
            for r in &focus[1..] {
                let (x0, y0) = (u[0].min(r[0]), u[1].min(r[1]));
                let (x1, y1) = ((u[0] + u[2]).max(r[0] + r[2]), (u[1] + u[3]).max(r[1] + r[3]));
                u = [x0, y0, x1 - x0, y1 - y0];
            }
            let em = if marked.is_empty() { t.glyphs[0].em_box[3] } else { marked.iter().map(|g| g.em_box[3]).fold(10.0f32, f32::max) };
            let mut crop_img = img.clone();
            for g in &marked {
                match g.bbox {
                    Some(b) => rect(&mut crop_img, [b[0] as f32 - 1.0, b[1] as f32 - 1.0, b[2] as f32 + 1.0, b[3] as f32 + 1.0], Rgb([255, 0, 0])),
                    None => rect(&mut crop_img, g.em_box, Rgb([255, 160, 0])),
                }
            }
            // crop with context, aspect of the tile
            let cx = u[0] + u[2] / 2.0;
            let cy = u[1] + u[3] / 2.0;
            let mut cw = (u[2] + 3.0 * em).max(u[3] * 1.6 + 3.0 * em);
            let mut ch = cw * TH as f32 / TW as f32;
            if ch < u[3] + 2.0 * em {
                ch = u[3] + 2.0 * em;
                cw = ch * TW as f32 / TH as f32;
            }
            let cw = cw.min(img.width() as f32);
            let ch = ch.min(img.height() as f32);
            let x0 = (cx - cw / 2.0).clamp(0.0, img.width() as f32 - cw) as u32;
            let y0 = (cy - ch / 2.0).clamp(0.0, img.height() as f32 - ch) as u32;
            let crop = imageops::crop_imm(&crop_img, x0, y0, cw as u32, ch as u32).to_image();
            let scale = (TW as f32 / crop.width() as f32).min(TH as f32 / crop.height() as f32);
            let tile = imageops::resize(&crop, (crop.width() as f32 * scale).round().max(1.0) as u32, (crop.height() as f32 * scale).round().max(1.0) as u32, imageops::FilterType::Triangle);
            let (col, row) = (i % COLS, i / COLS);
            let (tx, ty) = (4 + col * (TW + 4), 4 + row * (TH + CAP + 4));
            imageops::replace(&mut sheet, &RgbImage::from_pixel(TW, TH, Rgb([40, 40, 40])), tx as i64, ty as i64);
            imageops::replace(&mut sheet, &tile, (tx + (TW - tile.width()) / 2) as i64, (ty + (TH - tile.height()) / 2) as i64);
            let detail = marked.first().map(|g| {
                let d = g.detail.to_string();
                let d: String = d.chars().filter(|c| !"{}\"".contains(*c)).take(40).collect();
                format!("{}→{} {d}", g.char.clone().unwrap_or("∅".into()), g.rendered.clone().unwrap_or("?".into()))
            });
            let cap = format!("{} {} {}", t.image.trim_end_matches(".png"), t.expected_verdict, detail.unwrap_or_default());
            imageops::replace(&mut sheet, &caption(&a.fonts, &cap), tx as i64, (ty + TH) as i64);
        }
        let path = out.join(format!("{defect}.png"));
        let mut bytes = Vec::new();
        {
            use image::ImageEncoder;
            image::codecs::png::PngEncoder::new_with_quality(&mut bytes, image::codecs::png::CompressionType::Best, image::codecs::png::FilterType::Adaptive)
                .write_image(sheet.as_raw(), sheet.width(), sheet.height(), image::ExtendedColorType::Rgb8)
                .unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        eprintln!("{} ({} KB)", path.display(), std::fs::metadata(&path).unwrap().len() / 1024);
    }
}
