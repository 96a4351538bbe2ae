//! Look-alike characters: pairs of real characters that differ in one stroke or in proportions and
//! that models and OCR confuse (己/已, 日/曰, 未/末). Takes a character; gives its look-alikes. The
//! table (`data/lookalikes.tsv`, compiled in) is the curated pairs of `data/lookalikes-curated.tsv`
//! plus pairs from the stroke data whose strokes all match but one, written by
//! `cargo run --release --example make_lookalikes`. `verify` compares a glyph read as intended with
//! its character's look-alikes; `synth` draws them as the `lookalike` defect.

use std::collections::BTreeMap;
use std::sync::OnceLock;

static TABLE: &str = include_str!("../data/lookalikes.tsv");

/// The pairs of a look-alike table (tab-separated, `#` comments), in file order.
pub fn parse_pairs(text: &str) -> Vec<(char, char)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            let a = f.next()?.chars().next()?;
            let b = f.next()?.chars().next()?;
            Some((a, b))
        })
        .collect()
}

/// The bundled pairs, in file order.
pub fn pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| parse_pairs(TABLE))
}

/// The characters `c` is confused with (both directions of every pair), in file order.
pub fn of(c: char) -> &'static [char] {
    static BY_CHAR: OnceLock<BTreeMap<char, Vec<char>>> = OnceLock::new();
    let m = BY_CHAR.get_or_init(|| {
        let mut m: BTreeMap<char, Vec<char>> = BTreeMap::new();
        for &(a, b) in pairs() {
            for (x, y) in [(a, b), (b, a)] {
                let v = m.entry(x).or_default();
                if !v.contains(&y) {
                    v.push(y);
                }
            }
        }
        m
    });
    m.get(&c).map(Vec::as_slice).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pair_is_looked_up_both_ways() {
        assert!(super::of('日').contains(&'曰') && super::of('曰').contains(&'日'));
        assert!(super::of('己').contains(&'已'));
        assert!(super::of('的').is_empty());
    }
}
