//! Terminal rendering of a [`CheckReport`]: a verdict line, then one line per finding with a human
//! sentence, numbered like the labels on the annotated PNG, fitting 80 columns; ANSI colour only when
//! asked for.

use crate::check::CheckReport;
use crate::verdict::{Outcome, Severity};
use std::fmt::Write;

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
    let _ = writeln!(s, "{} {}  score {}/100 ({} lines, {} findings{cer}; profile {})", paint(word, code, colour), r.image, r.score, r.lines.len(), r.findings.len(), r.profile);
    for (k, f) in r.findings.iter().enumerate() {
        let (tag, code) = match f.severity {
            Severity::Error => ("error", "31"),
            Severity::Warning => ("warn ", "33"),
            Severity::Info => ("info ", "36"),
        };
        let _ = writeln!(s, "{:>3} {} {:<19} {}", k + 1, paint(tag, code, colour), f.rule, f.message);
    }
    s
}
