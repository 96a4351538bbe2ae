//! Chinese typesetting knowledge (W3C clreq) as data: takes a character; gives its script class,
//! whether it may start or end a line, and its full-width/half-width counterpart. Shared by the
//! typesetter (which must obey the rules) and the checker (which looks for breaches).

use serde::{Deserialize, Serialize};

/// Script class of a character, as far as layout rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Han,
    Latin,
    Digit,
    /// Full-width CJK punctuation (，。、；：？！「」 …).
    CjkPunct,
    /// ASCII / half-width punctuation.
    AsciiPunct,
    Space,
    Other,
}

/// Classifies a character.
pub fn script_of(c: char) -> Script {
    let u = c as u32;
    match u {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3007 => Script::Han,
        0x30..=0x39 | 0xFF10..=0xFF19 => Script::Digit,
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
        0x20 | 0x3000 | 0xA0 => Script::Space,
        0x21..=0x2F | 0x3A..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E => Script::AsciiPunct,
        0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 | 0x2014 | 0x2026 | 0x2018 | 0x2019 | 0x201C | 0x201D | 0x00B7 | 0x2E3A => Script::CjkPunct,
        _ => Script::Other,
    }
}

pub fn is_han(c: char) -> bool {
    script_of(c) == Script::Han
}

pub fn is_punct(c: char) -> bool {
    matches!(script_of(c), Script::CjkPunct | Script::AsciiPunct)
}

/// Two signs with no pseudo-forms — marks, ASCII digits and letters, in any pairing (」 read as
/// J, 。 as o) —, where a reading of one as the other is told apart only by comparing the ink with
/// both.
pub fn same_kind_of_sign(a: char, b: char) -> bool {
    let sign = |c: char| is_punct(c) || c.is_ascii_alphanumeric();
    sign(a) && sign(b)
}

/// Marks that must not start a line (clreq §3.1.7: closing brackets, stops, pauses, …).
pub const LINE_START_PROHIBITED: &str = "，。、；：？！）」』】〉》〕］｝”’…—‥·・〗〙〛％‰℃,.;:?!)]}%";
/// Marks that must not end a line (opening brackets and quotes; currency signs that lead a number).
pub const LINE_END_PROHIBITED: &str = "（「『【〈《〔［｛“‘〖〘〚([{￥$";

/// Full-width opening brackets: their ink sits at the end of their em box, so the blank that
/// leads it belongs to their own box (clreq §3.1.6). Not the quotes “‘, which some faces draw
/// narrow.
pub const OPENING_BRACKETS: &str = "（「『【〈《〔［｛〖〘〚";

pub fn is_opening_bracket(c: char) -> bool {
    OPENING_BRACKETS.contains(c)
}

pub fn is_line_start_prohibited(c: char) -> bool {
    LINE_START_PROHIBITED.contains(c)
}

pub fn is_line_end_prohibited(c: char) -> bool {
    LINE_END_PROHIBITED.contains(c)
}

/// Stop and pause marks whose position in the em box differs between Simplified (lower left in
/// horizontal text) and Traditional (centred) conventions.
pub const POSITIONED_STOPS: &str = "，。、；：！？";

/// Pairs of full-width marks and the ASCII marks that are their half-width look-alikes.
const WIDTH_PAIRS: [(char, char); 11] = [
    ('，', ','),
    ('。', '.'),
    ('：', ':'),
    ('；', ';'),
    ('？', '?'),
    ('！', '!'),
    ('（', '('),
    ('）', ')'),
    ('％', '%'),
    ('｜', '|'),
    ('～', '~'),
];

/// The full-width counterpart of a half-width mark, if any.
pub fn full_width_of(c: char) -> Option<char> {
    WIDTH_PAIRS.iter().find(|p| p.1 == c).map(|p| p.0)
}

/// The half-width counterpart of a full-width mark, if any.
pub fn half_width_of(c: char) -> Option<char> {
    WIDTH_PAIRS.iter().find(|p| p.0 == c).map(|p| p.1)
}

/// Whether two marks are ones a reader or recogniser confuses (one dot or stroke apart: ，。、,
/// ；：, ！？), after folding half-width forms to full-width.
pub fn look_alike_marks(a: char, b: char) -> bool {
    const GROUPS: [&str; 3] = ["，。、", "；：", "！？"];
    let (a, b) = (fold(a), fold(b));
    a != b && GROUPS.iter().any(|g| g.contains(a) && g.contains(b))
}

/// Folds a character for text comparison: half-width marks to full-width, full-width letters/digits
/// to ASCII, so that width differences are judged by geometry (rule `punct.width`), not by what the
/// recogniser happened to output.
pub fn fold(c: char) -> char {
    if let Some(f) = full_width_of(c) {
        return f;
    }
    let u = c as u32;
    if (0xFF10..=0xFF19).contains(&u) || (0xFF21..=0xFF3A).contains(&u) || (0xFF41..=0xFF5A).contains(&u) {
        return char::from_u32(u - 0xFEE0).unwrap_or(c);
    }
    match c {
        '“' | '”' | '"' | '＂' => '“',
        '‘' | '’' | '\'' => '‘',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_marks_are_one_dot_or_stroke_apart() {
        assert!(look_alike_marks('；', '：') && look_alike_marks(';', '：') && look_alike_marks('。', '，'));
        assert!(!look_alike_marks('“', '：') && !look_alike_marks('，', '，') && !look_alike_marks('日', '曰'));
    }

    #[test]
    fn classes() {
        assert_eq!(script_of('院'), Script::Han);
        assert_eq!(script_of('，'), Script::CjkPunct);
        assert_eq!(script_of(','), Script::AsciiPunct);
        assert_eq!(script_of('A'), Script::Latin);
        assert_eq!(script_of('７'), Script::Digit);
        assert_eq!(fold(','), '，');
        assert_eq!(fold('Ａ'), 'A');
        assert!(is_line_start_prohibited('。') && !is_line_start_prohibited('（'));
        assert!(is_line_end_prohibited('《') && !is_line_end_prohibited('》'));
    }
}
