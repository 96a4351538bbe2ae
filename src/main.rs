//! The `cjkcheck` command line: a thin layer over the library.

use clap::{Parser, Subcommand, ValueEnum};
use cjkcheck::error::Error;
use cjkcheck::load::{load_image, LoadOptions};
use cjkcheck::ocr::{ModelSource, Reader};
use cjkcheck::report::{ocr_text, write_atomic};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Checks the Chinese text in generated posters, flyers and UI screens.
///
/// Exit codes: 0 pass (or warn), 1 fail, 2 usage or input error (a missing, unreadable or oversized
/// file; in a batch the other images are still processed).
#[derive(Parser)]
#[command(name = "cjkcheck", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
struct ProfileArgs {
    /// Thresholds and severities: print (strict), screen (UI mockups) or lenient.
    #[arg(long, default_value = "print")]
    profile: String,
    /// A cjkcheck.toml overriding the profile (`profile = "screen"`, `[thresholds] skew_deg = 1.5`,
    /// `[severity] "layout.pitch" = "warning"`).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl ProfileArgs {
    fn load(&self) -> Result<cjkcheck::verdict::Profile, Error> {
        use cjkcheck::verdict::Profile;
        Ok(match &self.config {
            Some(c) => Profile::with_config(&self.profile, c)?,
            None => Profile::builtin(&self.profile)?,
        })
    }
}

#[derive(clap::Args)]
struct ModelArgs {
    /// OCR models: `ppocrv4` or `ppocrv5` (bundled), or a directory holding det.onnx, rec.onnx,
    /// dict.txt and optionally cls.onnx. Default: ppocrv4, or ppocrv5 for zh-Hant (Traditional).
    #[arg(long, value_name = "SET|DIR", env = "CJKCHECK_MODELS")]
    models: Option<String>,
    /// Refuse images larger than this many megapixels.
    #[arg(long, value_name = "MP", default_value_t = 50.0)]
    max_megapixels: f64,
}

impl ModelArgs {
    fn reader(&self, locale: cjkcheck::spec::Locale) -> Result<Reader, Error> {
        use cjkcheck::ocr::Bundled;
        Reader::new(match self.models.as_deref() {
            Some("ppocrv4") => ModelSource::Bundled(Bundled::PpOcrV4),
            Some("ppocrv5") => ModelSource::Bundled(Bundled::PpOcrV5),
            Some(d) => ModelSource::Dir(PathBuf::from(d)),
            None => ModelSource::Bundled(Bundled::for_locale(locale)),
        })
    }
    fn load_options(&self) -> LoadOptions {
        LoadOptions { max_pixels: (self.max_megapixels * 1e6) as u64 }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LocaleArg {
    #[value(name = "zh-Hans")]
    Hans,
    #[value(name = "zh-Hant")]
    Hant,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gate over a labeled corpus and report how well it does.
    ///
    /// DIR holds NAME.png (or any image), NAME.spec.toml (intended text) and NAME.truth.json
    /// (expected verdict, rules, per-glyph truth), as written by `cjkcheck synth`. Prints per-rule
    /// precision/recall, detection per defect kind and the pass/fail confusion matrix.
    ///
    /// Examples:
    ///   cjkcheck synth --output corpus --count 300 --seed 7 && cjkcheck eval corpus
    ///   cjkcheck eval corpus --output reports/gate-eval.md --measurements m.jsonl
    #[command(verbatim_doc_comment)]
    Eval {
        /// The corpus folder.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Write the markdown report to FILE (atomically) instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Also write per-item results and measurements as JSON Lines (input of scripts/fit-thresholds).
        #[arg(long, value_name = "FILE")]
        measurements: Option<PathBuf>,
        /// Report title.
        #[arg(long, default_value = "Gate evaluation")]
        title: String,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Check an image against the text it must carry: pass, warn or fail, with reasons.
    ///
    /// Reads the text, matches it with the intended text, compares every Han glyph's ink with its
    /// character drawn in the bundled faces and with its stroke data (a pseudo-character with a
    /// stroke missing or added is `glyph.garbled`, a real but wrong character
    /// `glyph.substituted`), measures the layout (skew, baseline, glyph size, pitch, rotation,
    /// block alignment, line spacing) and applies the clreq punctuation rules. Glyphs drawn too
    /// small to compare stroke by stroke are named in a notice (`glyph.unverified`). Without
    /// intended text it checks what it can and says the text was not verified.
    ///
    /// Examples:
    ///   cjkcheck check flyer.png --text-file flyer.txt
    ///   cjkcheck check poster.png --text "请按时服药" --format json --output report.json
    ///   cjkcheck check ui.png --text-file labels.txt --profile screen --annotate ui.checked.png
    ///
    /// Exit codes: 0 pass or warn, 1 fail, 2 usage or input error.
    #[command(verbatim_doc_comment)]
    Check {
        /// The image to check.
        #[arg(value_name = "IMAGE")]
        image: PathBuf,
        /// The intended text (blocks separated by newlines).
        #[arg(long, group = "intended")]
        text: Option<String>,
        /// A UTF-8 text file with the intended text, one block per non-empty line.
        #[arg(long, value_name = "FILE", group = "intended")]
        text_file: Option<PathBuf>,
        /// A spec file (TOML or JSON, see README "Spec files") whose blocks are the intended text.
        #[arg(long, value_name = "SPEC", group = "intended")]
        spec: Option<PathBuf>,
        /// Writing convention of the text (decides Traditional/Simplified mixing and punctuation
        /// position); default: the spec's locale, else zh-Hans.
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the report to FILE (atomically) instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write a copy of the image with glyph boxes coloured by status and findings outlined.
        #[arg(long, value_name = "OUT.png")]
        annotate: Option<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Read the text in images: lines, characters, confidences, alternatives and glyph ink boxes.
    ///
    /// Examples:
    ///   cjkcheck ocr examples/flyer.png
    ///   cjkcheck ocr --format json --output page.json poster.png
    ///   cjkcheck ocr --format json a.png b.jpg > pages.jsonl   (JSON Lines, one object per image)
    #[command(verbatim_doc_comment)]
    Ocr {
        /// Images to read (PNG, JPEG, WebP, GIF, BMP, TIFF).
        #[arg(required = true, value_name = "IMAGE")]
        images: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the result to FILE (atomically) instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Also write a copy of each image with line and glyph boxes drawn on it (one image only).
        #[arg(long, value_name = "OUT.png")]
        annotate: Option<PathBuf>,
        /// Writing convention of the text, used to pick the models (zh-Hant reads with PP-OCRv5).
        #[arg(long, value_enum)]
        locale: Option<LocaleArg>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Typeset a spec (TOML, JSON or plain text) into a PNG, optionally with per-glyph truth JSON.
    ///
    /// Examples:
    ///   cjkcheck render examples/flyer.spec.toml --output flyer.png --truth flyer.truth.json
    #[command(verbatim_doc_comment)]
    Render {
        /// The spec file (.toml, .json, or plain text: one block per line).
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// Where to write the PNG.
        #[arg(long, short, value_name = "OUT.png")]
        output: PathBuf,
        /// Also write the glyph/line truth (ink boxes, em boxes, fonts) as JSON.
        #[arg(long, value_name = "OUT.json")]
        truth: Option<PathBuf>,
    },
    /// Generate a labeled synthetic corpus: DIR/00000.png, .spec.toml (intended text), .truth.json
    /// (defect, expected verdict, rules, per-glyph truth) and DIR/manifest.jsonl. Same seed, same bytes.
    ///
    /// Examples:
    ///   cjkcheck synth --output corpus --count 200 --seed 1
    ///   cjkcheck synth --output skew --count 50 --seed 2 --kinds poster --defects skew,clean
    #[command(verbatim_doc_comment)]
    Synth {
        /// Folder to write (created if missing).
        #[arg(long, short, value_name = "DIR")]
        output: PathBuf,
        /// Number of images.
        #[arg(long, default_value_t = 100)]
        count: usize,
        /// Corpus seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Image kinds to draw from (poster, flyer, ui).
        #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
        kinds: Vec<String>,
        /// Defect kinds to draw from (default: all; see README "Synthetic corpus").
        #[arg(long, value_delimiter = ',', value_name = "DEFECT,...")]
        defects: Vec<String>,
        /// Do not print progress.
        #[arg(long, short)]
        quiet: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cjkcheck: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn emit(output: &Option<PathBuf>, text: &str) -> Result<(), Error> {
    match output {
        Some(p) => write_atomic(p, text.as_bytes())?,
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(())
}

fn progress_bar(n: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(n);
    bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} eta {eta}").unwrap());
    bar
}

fn encode_png(img: &image::RgbImage) -> Result<Vec<u8>, Error> {
    let mut buf = std::io::Cursor::new(Vec::new());
    img.write_to(&mut buf, image::ImageFormat::Png).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(buf.into_inner())
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Eval { dir, profile, output, measurements, title, model } => {
            let profile = profile.load()?;
            let items = cjkcheck::eval::list_items(&dir)?;
            let reader = model.reader(Default::default())?;
            let refs = cjkcheck::reference::References::bundled()?;
            let bar = progress_bar(items.len() as u64);
            let mut results = Vec::with_capacity(items.len());
            for it in &items {
                results.push(cjkcheck::eval::eval_item(&reader, &refs, &profile, it));
                bar.inc(1);
            }
            bar.finish_and_clear();
            if let Some(m) = &measurements {
                let mut text = String::new();
                for r in &results {
                    text.push_str(&serde_json::to_string(r).map_err(|e| Error::Internal(e.to_string()))?);
                    text.push('\n');
                }
                write_atomic(m, text.as_bytes())?;
            }
            emit(&output, &cjkcheck::eval::summarize(&results, &title))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { image, text, text_file, spec, locale, profile, format, output, annotate, model } => {
            use cjkcheck::check::{check_image, Intended};
            use cjkcheck::rules::Locale;
            let locale_arg = locale.map(|l| match l {
                LocaleArg::Hans => Locale::Hans,
                LocaleArg::Hant => Locale::Hant,
            });
            let locale = locale_arg.unwrap_or_default();
            let profile = profile.load()?;
            let intended = match (text, text_file) {
                (Some(t), _) => Some(Intended::from_text(&t, locale)),
                (None, Some(f)) => Some(Intended::from_text_file(&f, locale)?),
                _ => match &spec {
                    Some(p) => Some(Intended::from_spec(&cjkcheck::spec::Spec::load(p)?, locale_arg)),
                    None => None,
                },
            };
            let img = load_image(&image, &model.load_options())?;
            let reader = model.reader(intended.as_ref().map(|i| i.locale).unwrap_or(locale))?;
            let refs = cjkcheck::reference::References::bundled()?;
            let report = check_image(&reader, Some(&refs), &image.display().to_string(), &img, intended.as_ref(), &profile)?;
            if let Some(a) = &annotate {
                let annotated = cjkcheck::report::annotate::annotate_report(&img, &report);
                write_atomic(a, &encode_png(&cjkcheck::report::annotate::with_glyph_strip(&img, &annotated, &report, &refs))?)?;
            }
            let text = match format {
                Format::Json => serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))? + "\n",
                Format::Text => {
                    let colour = output.is_none() && cjkcheck::report::colour_wanted(std::io::IsTerminal::is_terminal(&std::io::stdout()));
                    cjkcheck::report::check_text::format_report(&report, colour)
                }
            };
            emit(&output, &text)?;
            Ok(ExitCode::from(report.verdict.exit_code()))
        }
        Command::Ocr { images, format, output, annotate, locale, model } => {
            let reader = model.reader(match locale {
                Some(LocaleArg::Hant) => cjkcheck::spec::Locale::Hant,
                _ => cjkcheck::spec::Locale::Hans,
            })?;
            let opts = model.load_options();
            let many = images.len() > 1;
            let mut out = String::new();
            let mut failed = false;
            for path in &images {
                let page = load_image(path, &opts).map_err(Error::from).and_then(|img| {
                    let page = reader.read(&img)?;
                    if let Some(a) = &annotate {
                        let png = encode_png(&cjkcheck::report::annotate::annotate_page(&img, &page))?;
                        write_atomic(a, &png)?;
                    }
                    Ok(page)
                });
                match page {
                    Ok(page) => match format {
                        Format::Json => {
                            let mut v = serde_json::to_value(&page).map_err(|e| Error::Internal(e.to_string()))?;
                            if many {
                                v.as_object_mut().unwrap().insert("image".into(), path.display().to_string().into());
                                out.push_str(&serde_json::to_string(&v).unwrap());
                            } else {
                                out.push_str(&serde_json::to_string_pretty(&v).unwrap());
                            }
                            out.push('\n');
                        }
                        Format::Text => {
                            let name = path.display().to_string();
                            out.push_str(&ocr_text::format_page(&page, many.then_some(name.as_str())));
                        }
                    },
                    Err(e) => {
                        failed = true;
                        eprintln!("cjkcheck: error: {e}");
                        if many && format == Format::Json {
                            let v = serde_json::json!({"image": path.display().to_string(), "error": e.to_string()});
                            out.push_str(&v.to_string());
                            out.push('\n');
                        }
                    }
                }
            }
            emit(&output, &out)?;
            Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
        }
        Command::Synth { output, count, seed, kinds, defects, quiet } => {
            let opts = cjkcheck::synth::Options { output: output.clone(), count, seed, kinds, defects };
            let start = std::time::Instant::now();
            let bar = if quiet { indicatif::ProgressBar::hidden() } else { progress_bar(count as u64) };
            let n = cjkcheck::synth::generate(&opts, |done| bar.set_position(done as u64))?;
            bar.finish_and_clear();
            if !quiet {
                eprintln!("cjkcheck synth: {n} images in {:.1} s → {}", start.elapsed().as_secs_f64(), output.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render { spec, output, truth } => {
            cjkcheck::render::run_cli(&spec, &output, truth.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
