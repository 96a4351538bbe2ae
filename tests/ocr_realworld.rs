//! OCR on real images nobody on this project made (RapidOCR's test images, whose text RapidOCR's own
//! tests assert; Umi-OCR screenshots; a scanned vertical text).

mod common;
use common::{fixture, read_text, reader};

#[test]
fn reads_a_shop_sign_exactly() {
    assert_eq!(read_text(&fixture("realworld/rapidocr_text_rec.jpg")), vec!["韩国小馆"]);
}

#[test]
fn reads_upside_down_text() {
    let img = cjkcheck::load::load_image(&fixture("realworld/rapidocr_text_cls.jpg"), &Default::default()).unwrap();
    let page = reader().read(&img).unwrap();
    assert_eq!(page.lines.len(), 1);
    assert_eq!(page.lines[0].text, "怪我咯");
    assert_eq!(page.lines[0].orientation, cjkcheck::ocr::Orientation::Rotated180);
}

#[test]
fn reads_widely_spaced_line() {
    assert_eq!(read_text(&fixture("realworld/rapidocr_test_without_det.jpg")), vec!["在中国作家协会第三届儿童文学"]);
}

#[test]
fn flattens_transparent_background() {
    assert_eq!(read_text(&fixture("realworld/rapidocr_black_font_color_transparent.png")), vec!["我是中国人"]);
}

#[test]
fn applies_exif_orientation() {
    assert_eq!(read_text(&fixture("realworld/rapidocr_img_exif_orientation.jpg")), vec!["我是中国人"]);
}

#[test]
fn reads_poster_first_line_and_most_lines() {
    let lines = read_text(&fixture("realworld/rapidocr_ch_en_num.jpg"));
    assert_eq!(lines[0], "正品促销");
    let all: String = lines.concat();
    for want in ["大桶装更划算", "强力去污符合国标", "惊喜福利不容错过", "极速发货", "冰点标准", "破损就赔", "假一赔十"] {
        assert!(all.contains(want), "missing {want} in {lines:?}");
    }
}

fn read_text_v5(path: &std::path::Path) -> Vec<String> {
    let img = cjkcheck::load::load_image(path, &Default::default()).unwrap();
    common::reader_v5().read(&img).unwrap().lines.into_iter().map(|l| l.text).collect()
}

#[test]
fn reads_vertical_traditional_columns_right_to_left() {
    let lines = read_text_v5(&fixture("realworld/rapidocr_text_vertical_words.png"));
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "有評是是非非之士師也");
    assert_eq!(lines[1], "是非不得問之人要取之");
    // The model reads 參 as its simplified form 参.
    assert_eq!(lines[2].replace('参', "參"), "已取之時不參一人見而");
}

#[test]
fn vertical_glyph_boxes_follow_the_column_downwards() {
    let img = cjkcheck::load::load_image(&fixture("realworld/rapidocr_text_vertical_words.png"), &Default::default()).unwrap();
    let page = common::reader_v5().read(&img).unwrap();
    let col = &page.lines[2];
    assert_eq!(col.chars.len(), 10);
    for pair in col.chars.windows(2) {
        let (a, b) = (pair[0].bbox, pair[1].bbox);
        assert!(b[1] >= a[1] + a[3] * 0.5, "glyph boxes must go down the column: {a:?} then {b:?}");
    }
}

#[test]
fn reads_ui_screenshot_text() {
    let all: String = read_text(&fixture("realworld/umiocr_ui_batch_page.png")).concat();
    for want in ["批量OCR", "开始任务", "选择图片", "章节习题", "人生苦短，我用Python", "运行效果："] {
        assert!(all.contains(want), "missing {want}");
    }
}
