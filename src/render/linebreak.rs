//! Line breaking with the clreq prohibition rules. Takes the units of a paragraph (cluster text and
//! advance); gives the index of the first unit of every line. No line starts with a closing mark or
//! pause/stop punctuation, no line ends with an opening mark, `——` and `……` are never split, and Latin
//! words and numbers break only at spaces.

pub use crate::clreq::{is_han, is_line_end_prohibited, is_line_start_prohibited, LINE_END_PROHIBITED, LINE_START_PROHIBITED};

/// ASCII letters and digits (and full-width digits, Latin-1 letters), which get the Han–Latin gap.
pub fn is_latin_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c as u32, 0xC0..=0x24F) || ('０'..='９').contains(&c)
}

fn word_char(c: char) -> bool {
    is_latin_or_digit(c) || (c.is_ascii_punctuation() && !"([{".contains(c)) || c == '°'
}

/// Whether a line may start at `next` after `prev` (the last char of the previous unit).
pub fn may_break_between(prev: char, next: char) -> bool {
    if is_line_start_prohibited(next) || is_line_end_prohibited(prev) {
        return false;
    }
    if prev == next && (prev == '—' || prev == '…') {
        return false;
    }
    if word_char(prev) && word_char(next) {
        return false;
    }
    if next.is_whitespace() {
        return false; // break after the space, not before it
    }
    true
}

/// Breaks units (text, advance) into lines at most `max` wide. Returns the start index of each line
/// (the first is 0; empty input gives `[0]`). Widths are greedy: a line takes units until the next would
/// overflow, then breaks at the last allowed opportunity; a run with no opportunity overflows. A
/// paragraph does not end with one character alone on its last line (an orphan, which clreq asks
/// typesetters to avoid): the last break moves back to the previous opportunity that still fits.
pub fn break_lines(texts: &[&str], widths: &[f32], max: f32) -> Vec<usize> {
    let n = texts.len();
    let mut starts = vec![0];
    let allowed = |j: usize| -> bool {
        j > 0 && {
            let prev = texts[j - 1].chars().last().unwrap_or(' ');
            let next = texts[j].chars().next().unwrap_or(' ');
            may_break_between(prev, next)
        }
    };
    let mut start = 0;
    let mut w = 0.0f32;
    let mut j = 0;
    while j < n {
        let trailing_space = texts[j].chars().all(char::is_whitespace);
        if w + widths[j] > max + 0.01 && j > start && !trailing_space {
            if let Some(b) = (start + 1..=j).rev().find(|&b| allowed(b)) {
                starts.push(b);
                start = b;
                w = widths[b..j].iter().sum();
                // skip leading spaces of the new line
                continue;
            }
        }
        w += widths[j];
        j += 1;
    }
    avoid_orphan(texts, widths, max, &mut starts, allowed);
    starts
}

/// Whether a unit is a character a reader counts (not a mark or a space).
fn counts_as_char(text: &str) -> bool {
    text.chars().next().is_some_and(|c| !c.is_whitespace() && !crate::clreq::is_punct(c))
}

/// Moves the last line's start back when that line holds a single character.
fn avoid_orphan(texts: &[&str], widths: &[f32], max: f32, starts: &mut [usize], allowed: impl Fn(usize) -> bool) {
    let k = starts.len();
    if k < 2 {
        return;
    }
    let (prev, last) = (starts[k - 2], starts[k - 1]);
    if texts[last..].iter().filter(|t| counts_as_char(t)).count() != 1 {
        return;
    }
    let fits = |b: usize| widths[b..].iter().sum::<f32>() <= max + 0.01;
    if let Some(b) = (prev + 2..last).rev().find(|&b| allowed(b) && fits(b)) {
        starts[k - 1] = b;
    }
}

/// Greedy breaking that ignores every rule (used to make defective samples): a line takes units
/// until the next would overflow.
pub fn break_lines_naive(widths: &[f32], max: f32) -> Vec<usize> {
    let mut starts = vec![0];
    let mut w = 0.0f32;
    for (j, &uw) in widths.iter().enumerate() {
        if w + uw > max + 0.01 && j > *starts.last().unwrap() {
            starts.push(j);
            w = 0.0;
        }
        w += uw;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, per_line: usize) -> Vec<String> {
        let t: Vec<String> = text.chars().map(String::from).collect();
        let r: Vec<&str> = t.iter().map(String::as_str).collect();
        let w = vec![1.0; r.len()];
        let s = break_lines(&r, &w, per_line as f32);
        let mut out = Vec::new();
        for (k, &a) in s.iter().enumerate() {
            let b = s.get(k + 1).copied().unwrap_or(r.len());
            out.push(r[a..b].concat());
        }
        out
    }

    #[test]
    fn prohibited_marks_never_start_or_end_lines() {
        let text = "请遵医嘱（每日三次），饭后服用。如有不适——请立即停药……并咨询医生！“注意”：儿童慎用；孕妇禁用？";
        for width in 2..14 {
            let ls = lines(text, width);
            assert_eq!(ls.concat(), text);
            for (i, l) in ls.iter().enumerate() {
                let first = l.chars().next().unwrap();
                let last = l.chars().last().unwrap();
                assert!(!is_line_start_prohibited(first), "width {width}: line {i} starts with {first}: {ls:?}");
                assert!(!is_line_end_prohibited(last), "width {width}: line {i} ends with {last}: {ls:?}");
                assert!(!(l.ends_with('—') && ls.get(i + 1).is_some_and(|n| n.starts_with('—'))));
                assert!(!(l.ends_with('…') && ls.get(i + 1).is_some_and(|n| n.starts_with('…'))));
            }
        }
    }

    #[test]
    fn latin_words_stay_whole_and_lines_fill() {
        let ls = lines("剂量500mg每日", 4);
        assert!(ls.iter().any(|l| l.contains("500mg")), "{ls:?}");
        assert_eq!(lines("一二三四五六七八", 4), vec!["一二三四", "五六七八"]);
        // a comma that would start line 2 pulls the previous character down with it
        assert_eq!(lines("一二三四，五六", 4), vec!["一二三", "四，五六"]);
    }

    #[test]
    fn no_character_stands_alone_on_the_last_line() {
        assert_eq!(lines("一二三四五", 4), vec!["一二三", "四五"]);
        assert_eq!(lines("一二三四五。", 4), vec!["一二三", "四五。"]);
        // a line of one character is left alone when nothing can move down with it
        assert_eq!(lines("一二", 1), vec!["一", "二"]);
        for width in 3..12 {
            let ls = lines("请遵医嘱每日三次饭后服用如有不适请立即停药并咨询医生", width);
            let last = ls.last().unwrap();
            assert!(last.chars().count() >= 2, "width {width}: {ls:?}");
        }
    }
}
