//! Simplified↔Traditional character variants (OpenCC STCharacters/TSCharacters, bundled in
//! corpora/chars): takes a character; gives its variants and whether it is Traditional-only.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

static S2T: &str = include_str!("../corpora/chars/s2t.tsv");
static T2S: &str = include_str!("../corpora/chars/t2s.tsv");

struct Tables {
    s2t: BTreeMap<char, Vec<char>>,
    t2s: BTreeMap<char, Vec<char>>,
    trad_only: BTreeSet<char>,
}

fn parse(text: &str) -> BTreeMap<char, Vec<char>> {
    let mut m = BTreeMap::new();
    for line in text.lines() {
        let mut parts = line.split('\t');
        let (Some(k), Some(v)) = (parts.next(), parts.next()) else { continue };
        let Some(k) = k.chars().next() else { continue };
        let vals: Vec<char> = v.split(' ').filter_map(|s| s.chars().next()).filter(|&c| c != k).collect();
        if !vals.is_empty() {
            m.insert(k, vals);
        }
    }
    m
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let s2t = parse(S2T);
        let t2s = parse(T2S);
        // Traditional-only: has a simplified form and is not itself used as a simplified character.
        let trad_only = t2s.keys().copied().filter(|c| !s2t.contains_key(c)).collect();
        Tables { s2t, t2s, trad_only }
    })
}

/// Whether `trad` is a Traditional form of the Simplified character `simp`.
pub fn is_traditional_of(trad: char, simp: char) -> bool {
    tables().s2t.get(&simp).is_some_and(|v| v.contains(&trad))
}

/// Whether a character is used only in Traditional text.
pub fn is_traditional_only(c: char) -> bool {
    tables().trad_only.contains(&c)
}

/// The character's forms in the other script: its Traditional forms if it has any, and its
/// Simplified forms.
pub fn other_script_forms(c: char) -> Vec<char> {
    let t = tables();
    t.s2t.get(&c).into_iter().chain(t.t2s.get(&c)).flatten().copied().filter(|&v| v != c).collect()
}

/// Whether `simp` is a Simplified form of the Traditional character `trad`.
pub fn is_simplified_of(simp: char, trad: char) -> bool {
    is_traditional_of(trad, simp)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn variants() {
        assert!(is_traditional_of('國', '国'));
        assert!(is_traditional_only('國'));
        assert!(!is_traditional_only('国'));
        assert!(!is_traditional_only('中'));
    }
}
