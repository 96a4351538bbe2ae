//! Stage `verdict`: takes findings (rule, measured value, place) and a profile; gives severities,
//! the overall pass/warn/fail, a 0–100 score and the exit code. Profiles (`print`, `screen`,
//! `lenient`) set thresholds and severities; `cjkcheck.toml` can override any of them.

pub mod profile;

pub use profile::{Profile, Thresholds};
use serde::{Deserialize, Serialize};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// One problem found, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `layout.skew`.
    pub rule: String,
    pub severity: Severity,
    /// A sentence a designer can act on.
    pub message: String,
    /// Where, `[x, y, w, h]` in image pixels.
    pub bbox: Option<[f32; 4]>,
    /// The measured value (unit in the message), if the rule measures one.
    pub measured: Option<f32>,
    /// The limit it was compared with.
    pub threshold: Option<f32>,
}

/// Overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Warn,
    Fail,
}

impl Outcome {
    /// Process exit code: 0 pass or warn, 1 fail.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Pass | Outcome::Warn => 0,
            Outcome::Fail => 1,
        }
    }
}

/// Decides the outcome and score from findings: any error fails, any warning warns; the score drops
/// 20 per error, 5 per warning and 1 per info, floored at 0.
pub fn decide(findings: &[Finding]) -> (Outcome, u32) {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count() as i64;
    let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count() as i64;
    let infos = findings.iter().filter(|f| f.severity == Severity::Info).count() as i64;
    let score = (100 - 20 * errors - 5 * warnings - infos).clamp(0, 100) as u32;
    let outcome = if errors > 0 {
        Outcome::Fail
    } else if warnings > 0 {
        Outcome::Warn
    } else {
        Outcome::Pass
    };
    (outcome, score)
}
