//! Stage `report`: takes the results of earlier stages; gives text, JSON and files on disk.
//! All files are written atomically (temporary file in the same folder, then rename), so a crash or a
//! full disk never leaves a half-written result where a good one was.

use crate::error::InputError;
use std::io::Write;
use std::path::Path;

pub mod annotate;
pub mod check_text;
pub mod ocr_text;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |e: std::io::Error| InputError::Io { path: path.to_path_buf(), msg: format!("cannot write: {e}") };
    let mut tmp = tempfile::Builder::new().prefix(".cjkcheck-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // Temporary files are created private; a result is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Whether terminal colour is wanted: `NO_COLOR` unset/empty and the stream is a terminal.
pub fn colour_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
