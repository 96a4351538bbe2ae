//! Errors a user can act on. Takes failures from any stage; gives one line that names the file and the problem.
//! Input problems (missing, empty, unreadable files, bad specs) map to exit code 2.

use std::path::{Path, PathBuf};

/// A problem with something the user gave us (a file, a flag, a spec). Displayed as one line.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: no such file", .0.display())]
    Missing(PathBuf),
    #[error("{}: file is empty", .0.display())]
    Empty(PathBuf),
    #[error("{}: cannot read: {msg}", path.display())]
    Io { path: PathBuf, msg: String },
    #[error("{}: not an image (format not recognised; PNG, JPEG, WebP, GIF, BMP and TIFF are read)", .0.display())]
    NotAnImage(PathBuf),
    #[error("{}: image is truncated or corrupt: {msg}", path.display())]
    Corrupt { path: PathBuf, msg: String },
    #[error("{}: image is {w}×{h} = {mp:.1} megapixels, over the {cap_mp:.1} MP limit (raise it with --max-megapixels)", path.display(), mp = *w as f64 * *h as f64 / 1e6)]
    TooLarge { path: PathBuf, w: u32, h: u32, cap_mp: f64 },
    #[error("{}: not valid UTF-8 text (save it as UTF-8)", .0.display())]
    NotUtf8(PathBuf),
    #[error("{}: {msg}", path.display())]
    Malformed { path: PathBuf, msg: String },
    #[error("{0}")]
    Usage(String),
}

impl InputError {
    /// Turns an `std::io::Error` on `path` into the matching input error.
    pub fn from_io(path: &Path, err: std::io::Error) -> Self {
        match err.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing(path.to_path_buf()),
            _ => InputError::Io { path: path.to_path_buf(), msg: err.to_string() },
        }
    }
}

/// A problem with the tool's own assets (models, fonts, stroke data).
#[derive(Debug, thiserror::Error)]
#[error("{}: {msg} (rebuild assets with scripts/fetch-assets, or pass --models DIR)", path.display())]
pub struct AssetError {
    pub path: PathBuf,
    pub msg: String,
}

/// Any error cjkcheck reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Asset(#[from] AssetError),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
