//! Terminal rendering of a [`CheckReport`]: a verdict line, then one line per finding with a human
//! sentence, numbered like the labels on the annotated PNG, wrapped to 80 columns (Han characters
//! count two); ANSI colour only when asked for.

use crate::check::CheckReport;
use crate::verdict::{Outcome, Severity};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

fn paint(s: &str, code: &str, colour: bool) -> String {
    if colour { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
}

/// Formats a report for a terminal.
pub fn format_report(r: &CheckReport, colour: bool) -> String {
    let mut s = String::new();
    let (word, code) = match r.verdict {
        Outcome::Pass => ("PASS", "1;32"),
        Outcome::Warn => ("WARN", "1;33"),
        Outcome::Fail => ("FAIL", "1;31"),
    };
    let cer = r.text.cer.map(|c| format!(", text error rate {:.1}%", c * 100.0)).unwrap_or_default();
    let summary = format!("score {}/100 ({} lines, {} findings{cer}; profile {})", r.score, r.lines.len(), r.findings.len(), r.profile);
    // The summary goes on the verdict's line when both fit in the width, else on its own.
    let sep = if word.len() + 1 + r.image.width() + 2 + summary.width() <= COLUMNS { "  ".to_string() } else { format!("\n{CONTINUE}") };
    let _ = writeln!(s, "{} {}{sep}{summary}", paint(word, code, colour), r.image);
    for (k, f) in r.findings.iter().enumerate() {
        let (tag, code) = match f.severity {
            Severity::Error => ("error", "31"),
            Severity::Warning => ("warn ", "33"),
            Severity::Info => ("info ", "36"),
        };
        let head = format!("{:>3} {} {:<19} ", k + 1, tag, f.rule);
        let lines = wrap(&f.message, COLUMNS - head.width(), COLUMNS - CONTINUE.len());
        for (i, l) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(s, "{:>3} {} {:<19} {l}", k + 1, paint(tag, code, colour), f.rule);
            } else {
                let _ = writeln!(s, "{CONTINUE}{l}");
            }
        }
    }
    s
}

/// The terminal width findings are wrapped to, in columns.
const COLUMNS: usize = 80;
/// The indent of a finding's continued lines.
const CONTINUE: &str = "          ";

/// Splits `text` into lines of at most `first` display columns, then `rest` (a Han character or a
/// full-width mark takes two), breaking at spaces; a word longer than a line is left whole.
fn wrap(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let limit = if out.len() == 1 { first } else { rest };
        let cur = out.last_mut().unwrap();
        if cur.is_empty() {
            cur.push_str(word);
        } else if cur.width() + 1 + word.width() <= limit {
            cur.push(' ');
            cur.push_str(word);
        } else {
            out.push(word.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_wrap_to_eighty_columns_counting_han_characters_as_two() {
        let msg = "line 3, glyph 9: should be «日» but is «曰»: read as «日», its ink fits «曰» better (residual 50% of that against «日»)";
        let lines = wrap(msg, 50, 70);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines[0].width() <= 50 && lines[1..].iter().all(|l| l.width() <= 70), "{lines:?}");
        assert_eq!(lines.join(" "), msg);
        assert_eq!(wrap("short", 50, 70), vec!["short".to_string()]);
    }
}
