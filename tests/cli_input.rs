//! The CLI's handling of bad input: one clear line naming the file, exit code 2, no panic, and the
//! other images of a batch still read.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cjkcheck"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn one_error_line(stderr: &str, file: &str, what: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line, got {stderr:?}");
    assert!(lines[0].contains(file) && lines[0].contains(what), "{:?} should name {file} and say {what}", lines[0]);
    assert!(!stderr.contains("panicked"));
}

#[test]
fn bad_inputs_get_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "这不是图片").unwrap();
    let good = std::fs::read(fixture("realworld/rapidocr_text_rec.jpg")).unwrap();
    let truncated = dir.path().join("truncated.jpg");
    std::fs::write(&truncated, &good[..good.len() / 3]).unwrap();
    let missing = dir.path().join("missing.png");
    let cases = [(&missing, "no such file"), (&empty, "empty"), (&text, "not an image"), (&truncated, "truncated")];
    for (path, what) in cases {
        let (code, _, err) = run(&["ocr".as_ref(), path.as_os_str()]);
        assert_eq!(code, 2, "{path:?}: {err}");
        one_error_line(&err, path.file_name().unwrap().to_str().unwrap(), what);
    }
}

#[test]
fn oversized_image_is_refused_before_decoding() {
    let img = fixture("realworld/rapidocr_text_vertical_words.png"); // 834×2036 = 1.7 MP
    let (code, _, err) = run(&["ocr".as_ref(), "--max-megapixels".as_ref(), "1".as_ref(), img.as_os_str()]);
    assert_eq!(code, 2);
    one_error_line(&err, "rapidocr_text_vertical_words.png", "megapixels");
}

#[test]
fn batch_goes_on_after_a_bad_file_and_writes_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let bad = dir.path().join("nope.png");
    let (code, _, err) = run(&[
        "ocr".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
        bad.as_os_str(),
        fixture("realworld/rapidocr_text_rec.jpg").as_os_str(),
    ]);
    assert_eq!(code, 2, "one failure makes the batch exit 2");
    assert!(err.contains("nope.png"));
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["error"].as_str().unwrap().contains("no such file"));
    assert_eq!(rows[1]["lines"][0]["text"], "韩国小馆");
    let ch = &rows[1]["lines"][0]["chars"][0];
    assert_eq!(ch["char"], "韩");
    assert_eq!(ch["alternatives"].as_array().unwrap().len(), 3);
    assert_eq!(ch["bbox"].as_array().unwrap().len(), 4);
}

#[test]
fn missing_models_dir_is_a_clear_error() {
    let (code, _, err) = run(&["ocr".as_ref(), "--models".as_ref(), "/nonexistent/models".as_ref(), fixture("realworld/rapidocr_text_rec.jpg").as_os_str()]);
    assert_eq!(code, 2);
    one_error_line(&err, "/nonexistent/models", "not found");
}

#[test]
fn model_sets_are_switchable() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/ppocrv5");
    let (code, out, err) = run(&["ocr".as_ref(), "--models".as_ref(), dir.as_os_str(), fixture("realworld/rapidocr_text_rec.jpg").as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("韩国小馆"), "{out}");
}
