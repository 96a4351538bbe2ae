//! Where the bundled assets live. Takes nothing; gives the folder holding `fonts/` and `corpora/`:
//! `$CJKCHECK_ASSETS` if set, else the crate's source folder (assets are committed, read at run time,
//! not compiled in: the fonts alone are 17 MB).

use std::path::PathBuf;

/// The asset root (holds `fonts/`, `corpora/`, `data/`).
pub fn root() -> PathBuf {
    match std::env::var_os("CJKCHECK_ASSETS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    }
}

/// `root()/rel`.
pub fn path(rel: &str) -> PathBuf {
    root().join(rel)
}
