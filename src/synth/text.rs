//! Text content for the synthetic corpus. Takes the committed phrase list (`data/synth/phrases.txt`)
//! and the level-1 characters of the 8105 list; gives deterministic titles, sentences and UI labels of
//! the kind patient-education flyers, posters and app screens carry.

use super::rng::Rng;

/// Phrases by section.
pub struct Phrases {
    pub title: Vec<String>,
    pub clause: Vec<String>,
    pub ui: Vec<String>,
    pub footer: Vec<String>,
}

impl Phrases {
    pub fn parse(text: &str) -> Phrases {
        let mut p = Phrases { title: vec![], clause: vec![], ui: vec![], footer: vec![] };
        let mut sec = "";
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                sec = match line {
                    "[title]" => "title",
                    "[clause]" => "clause",
                    "[ui]" => "ui",
                    "[footer]" => "footer",
                    _ => "",
                };
                continue;
            }
            match sec {
                "title" => p.title.push(line.into()),
                "clause" => p.clause.push(line.into()),
                "ui" => p.ui.push(line.into()),
                "footer" => p.footer.push(line.into()),
                _ => {}
            }
        }
        p
    }
}

/// Fills the `{…}` slots of a phrase.
pub fn fill(rng: &mut Rng, phrase: &str, chars: &[char]) -> String {
    let mut out = String::new();
    let mut rest = phrase;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else { break };
        let slot = &rest[i + 1..i + j];
        match slot {
            "n" => out.push_str(&rng.int(1, 9).to_string()),
            "nn" => out.push_str(&rng.int(10, 99).to_string()),
            "mg" => out.push_str(&format!("{}mg", rng.pick(&[5, 10, 25, 50, 100, 200, 250, 500]))),
            "year" => out.push_str(&rng.int(2024, 2027).to_string()),
            "c" => out.push(*rng.pick(chars)),
            _ => {}
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// A sentence of 1–3 clauses joined by pause marks, with end punctuation; sometimes a bracketed or
/// quoted aside, so opening and closing marks occur.
pub fn sentence(rng: &mut Rng, p: &Phrases, chars: &[char]) -> String {
    let n = rng.int(1, 3) as usize;
    let mut s = String::new();
    for k in 0..n {
        if k > 0 {
            s.push(*rng.pick(&['，', '，', '，', '；', '、']));
        }
        let ph = rng_pick(rng, &p.clause);
        let c = fill(rng, ph, chars);
        if rng.chance(0.12) {
            let (o, e) = *rng.pick(&[('（', '）'), ('“', '”'), ('「', '」'), ('《', '》')]);
            s.push(o);
            s.push_str(&c);
            s.push(e);
        } else {
            s.push_str(&c);
        }
    }
    s.push(*rng.pick(&['。', '。', '。', '。', '。', '！', '！', '？']));
    s
}

fn rng_pick<'a>(rng: &mut Rng, xs: &'a [String]) -> &'a str {
    rng.pick(xs).as_str()
}

/// A paragraph of sentences with at least `min_chars` characters.
pub fn paragraph(rng: &mut Rng, p: &Phrases, chars: &[char], min_chars: usize) -> String {
    let mut s = String::new();
    while s.chars().count() < min_chars {
        s.push_str(&sentence(rng, p, chars));
    }
    s
}

pub fn title(rng: &mut Rng, p: &Phrases, chars: &[char]) -> String {
    let ph = rng_pick(rng, &p.title);
    fill(rng, ph, chars)
}
pub fn ui_label(rng: &mut Rng, p: &Phrases, chars: &[char]) -> String {
    let ph = rng_pick(rng, &p.ui);
    fill(rng, ph, chars)
}
pub fn footer(rng: &mut Rng, p: &Phrases, chars: &[char]) -> String {
    let ph = rng_pick(rng, &p.footer);
    fill(rng, ph, chars)
}
