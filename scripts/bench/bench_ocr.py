#!/usr/bin/env python3
"""OCR benchmark: cjkcheck vs RapidOCR on synthetic and real-world images.

Run through scripts/bench-ocr (which creates the venv).  Builds the synthetic images deterministically
with Pillow into .cache/bench-images/, runs both tools as whole processes (model load included), alternating
them, several rounds, under /usr/bin/time, and writes reports/ocr-benchmark.{md,json}.
"""
import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
REALWORLD = Path("/work/shared/realworld")

# --------------------------------------------------------------------------------------------- text

POSTER = {
    "title": "春日读书节",
    "subtitle": "与好书相遇的十天",
    "blocks": [
        (60, "bold", ["四月二十三日至五月二日"]),
        (48, "serif", ["城市图书馆一楼中庭"]),
        (40, "sans", ["名家讲座每天下午三点开讲", "旧书交换带一本换一本"]),
        (34, "kai", ["儿童绘本角亲子共读", "手工书签与活字印刷体验", "夜间阅读马拉松通宵开放"]),
        (28, "sans", ["凭借书证可领取限定帆布袋一只", "会员购书满一百元立减二十元", "报名热线：010-8856 3200"]),
    ],
    "footer": "主办单位：市文化和旅游局",
}

UI_MENU = ["首页", "消息中心", "订单管理", "商品库存", "数据报表", "系统设置"]
UI_ROWS = [
    ("订单编号", "下单时间", "客户姓名", "金额", "状态"),
    ("SO-20240315-001", "2024-03-15 09:12", "王小明", "128.00元", "已发货"),
    ("SO-20240315-002", "2024-03-15 10:47", "李晓华", "56.50元", "待付款"),
    ("SO-20240315-003", "2024-03-15 13:05", "张伟", "1,024.00元", "已完成"),
    ("SO-20240316-004", "2024-03-16 08:30", "陈静", "89.90元", "退款中"),
    ("SO-20240316-005", "2024-03-16 16:21", "刘洋", "342.00元", "已发货"),
    ("SO-20240317-006", "2024-03-17 11:58", "赵磊", "15.80元", "已取消"),
]

DENSE = (
    "活字印刷术是中国古代四大发明之一。北宋庆历年间，平民毕昇发明了胶泥活字，"
    "他用胶泥刻字，每字一印，用火烧硬后便成为陶活字。排版时先准备一块铁板，"
    "上面铺一层松脂、蜡和纸灰混合的药剂，再放上铁框，把活字一个个排进框内。"
    "排满一框后用火加热，药剂稍稍熔化，再用平板把字面压平，冷却之后字就固定了，"
    "这样便可以像雕版一样印刷。印完以后再把铁板加热，活字就能取下，留待下次使用。"
    "为了提高效率，毕昇常常准备两块铁板，一块印刷，一块排字，交替进行，十分迅速。"
    "常用的字往往要刻几十个，以备一版之内重复出现；遇到生僻的字，就临时刻制。"
    "沈括在梦溪笔谈中详细记载了这项技术，使后人得以了解它的全貌。"
    "到了元代，王祯改用木活字，并设计了转轮排字架，排字的人坐着转动轮盘就能取字，"
    "大大减轻了劳动强度。明代以后，铜活字和铅活字也相继出现，江南一带的书坊用它们"
    "印制了大量的诗文集和类书。清代宫廷用铜活字排印了规模浩大的古今图书集成，"
    "全书一万卷，是活字印刷史上的一座高峰。活字印刷的原理与现代排版一脉相承："
    "把文字拆成可以重复使用的单元，按需组合，再批量复制。今天我们在屏幕上选择字体、"
    "调整字号和行距，其实仍然在做古人排字时做的事情。不同的是，汉字数量庞大，"
    "一套完整的字库往往包含两万多个字形，每个字形都需要设计师逐一绘制和调整，"
    "笔画的粗细、重心的高低、字面的大小都要在整套字体中保持统一。"
    "标点符号的位置也有讲究：横排时句号和逗号位于字身的左下角，竖排时则移到右上角，"
    "引号的方向也随之改变。好的排版让读者感觉不到排版的存在，只专注于文字本身；"
    "而粗糙的排版，哪怕只是一个错字、一处歪斜的行，都会让人立刻分心。"
    "因此在海报和界面交付之前，逐字检查文字是否正确、是否清晰、是否整齐，"
    "是一道不能省略的工序。检查的方法很多，最可靠的仍然是认真地读一遍，"
    "再请另一位同事独立地读一遍，把两个人的发现合在一起，逐条核对，直到没有疑问为止。"
    "春天的图书馆里，阳光从高高的窗户照进来，落在一排排书架上，"
    "读书的人安静地翻着书页，偶尔抬头看一眼窗外的树影。"
    "馆员推着小车在过道里走过，把读者归还的书一本本放回原处。角落里的长桌旁，"
    "几个中学生正在准备下个月的演讲比赛，他们压低声音讨论着题目和提纲，"
    "不时在笔记本上写下几句话。靠窗的位置坐着一位老人，他每天上午九点准时到来，"
    "先看当天的报纸，再借一本地方志，一直读到中午才离开。有人问他为什么喜欢读这些"
    "枯燥的书，他笑着说，书里写的正是他年轻时走过的街道和见过的人，"
    "读着读着，仿佛又回到了那个时候。图书馆每年都会收到许多捐赠的旧书，"
    "其中有不少是绝版多年的珍本，工作人员要先清洁、修补，再编目上架。"
    "修补古籍是一项需要耐心的工作，纸张的颜色、厚度和纹理都要尽量与原书一致，"
    "一本破损严重的书往往要修上好几个月。正是这些默默无闻的工作，"
    "让一代又一代的读者能够读到前人留下的文字。"
)

SIZES = [14, 20, 32, 48, 72, 120]
SIZE_LINES = [("sans", "汉字识别测试第一行"), ("serif", "字号变化对准确率的影响2024")]

# Real-world images whose INDEX.csv truth does not cover everything visible (or covers it differently).
PARTIAL = {
    "rapidocr_ch_en_num.jpg": "line '日常价￥ 10.0起' appears twice (x2), counted once",
    "clreq_punct_adjust_space_hans.png": "punctuation glyph boxes in the figure are not in the truth",
    "clreq_punct_adjust_space_hant.png": "same figure as the hans one: punctuation glyph boxes not in the truth",
    "umiocr_ui_batch_page.png": "file-list rows (屏幕截图 …) and other small UI text not in the truth",
    "umiocr_ui_global_settings.png": "toast overlaps rows; truth lists the main labels only",
    "rapidocr_text_vertical_words.png": "vertical, right-to-left columns; last glyph 而 clipped",
    "clreq_locale_punctuation_vertical.png": "vertical layout; truth in column order",
}
ANNOTATION = re.compile(r"\s*\((?:x\d+|vertical[^)]*|image rotated[^)]*|\+[^)]*)\)")


# ------------------------------------------------------------------------------------------- images

def fonts(root):
    fdir = root / "fonts"
    want = {
        "sans": "NotoSansSC-Regular.otf",
        "serif": "NotoSerifSC-Regular.otf",
        "bold": "NotoSansCJKsc-Bold.otf",
        "kai": "LXGWWenKai-Regular.ttf",
    }
    have = {k: fdir / v for k, v in want.items() if (fdir / v).exists()}
    if not have:
        sys.exit(f"no fonts found in {fdir}")
    fallback = have.get("sans") or next(iter(have.values()))
    return {k: have.get(k, fallback) for k in want}, sorted(v for v in want.values() if not (fdir / v).exists())


_NOTDEF = {}


def check_glyphs(font_path, text):
    """Fail if the font has no glyph for a character (Pillow would silently draw tofu)."""
    f = ImageFont.truetype(str(font_path), 32)

    def raster(ch):
        im = Image.new("L", (48, 48))
        _draw_text(ImageDraw.Draw(im), (4, 0), ch, 255, f)
        return im.tobytes()

    if font_path not in _NOTDEF:
        _NOTDEF[font_path] = raster("\U0010FFFD")
    bad = sorted({ch for ch in text if not ch.isspace() and raster(ch) == _NOTDEF[font_path]})
    if bad:
        sys.exit(f"font {Path(font_path).name} lacks glyphs for {''.join(bad)!r}")


_draw_text = ImageDraw.ImageDraw.text


def _checked_text(self, xy, text, fill=None, font=None, *a, **kw):
    check_glyphs(font.path, text)
    return _draw_text(self, xy, text, fill, font, *a, **kw)


ImageDraw.ImageDraw.text = _checked_text


def wrap(text, font, width, draw):
    """Greedy per-character wrap; closing punctuation never starts a line."""
    lines, cur = [], ""
    for ch in text:
        if cur and draw.textlength(cur + ch, font=font) > width and ch not in "，。、；：！？）”』」":
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def make_poster(path, F):
    W, H = 1080, 1920
    img = Image.new("RGB", (W, H))
    px = img.load()
    top, bot = (196, 38, 56), (250, 160, 70)
    for y in range(H):
        t = y / (H - 1)
        c = tuple(round(a + (b - a) * t) for a, b in zip(top, bot))
        for x in range(W):
            px[x, y] = c
    d = ImageDraw.Draw(img)
    # decorative circles
    d.ellipse((720, -140, 1220, 360), fill=(230, 90, 80))
    d.ellipse((-160, 1500, 260, 1920), fill=(240, 140, 60))
    truth = []
    f = ImageFont.truetype(str(F["bold"]), 116)
    d.text((90, 150), POSTER["title"], font=f, fill=(255, 250, 235))
    truth.append(POSTER["title"])
    f = ImageFont.truetype(str(F["serif"]), 60)
    d.text((96, 320), POSTER["subtitle"], font=f, fill=(255, 236, 200))
    truth.append(POSTER["subtitle"])
    y = 480
    for size, face, lines in POSTER["blocks"]:
        f = ImageFont.truetype(str(F[face]), size)
        if size <= 34:  # boxed panel behind the small blocks
            h = len(lines) * int(size * 1.7) + 40
            d.rounded_rectangle((70, y - 20, W - 70, y - 20 + h), radius=24, fill=(255, 246, 232))
            col = (120, 30, 40)
        else:
            col = (255, 255, 255)
        for ln in lines:
            d.text((96, y), ln, font=f, fill=col)
            truth.append(ln)
            y += int(size * 1.7)
        y += 60
    f = ImageFont.truetype(str(F["sans"]), 30)
    d.text((96, H - 140), POSTER["footer"], font=f, fill=(90, 30, 20))
    truth.append(POSTER["footer"])
    img.save(path)
    return truth


def make_ui(path, F):
    W, H = 1280, 800
    img = Image.new("RGB", (W, H), (245, 247, 250))
    d = ImageDraw.Draw(img)
    truth = []
    # top bar
    d.rectangle((0, 0, W, 56), fill=(33, 84, 160))
    d.text((24, 14), "云仓管理后台 v3.2", font=ImageFont.truetype(str(F["bold"]), 20), fill="white")
    truth.append("云仓管理后台 v3.2")
    d.text((1060, 18), "管理员 admin", font=ImageFont.truetype(str(F["sans"]), 16), fill=(220, 230, 245))
    truth.append("管理员 admin")
    # sidebar
    d.rectangle((0, 56, 200, H), fill=(255, 255, 255))
    fm = ImageFont.truetype(str(F["sans"]), 18)
    for i, label in enumerate(UI_MENU):
        y = 86 + i * 52
        if i == 2:
            d.rectangle((0, y - 12, 200, y + 36), fill=(230, 238, 250))
            d.rectangle((0, y - 12, 4, y + 36), fill=(33, 84, 160))
        d.text((32, y), label, font=fm, fill=(40, 40, 40))
        truth.append(label)
    # page header + search + buttons
    d.text((232, 80), "订单管理", font=ImageFont.truetype(str(F["bold"]), 20), fill=(20, 20, 20))
    truth.append("订单管理")
    fs = ImageFont.truetype(str(F["sans"]), 14)
    d.rounded_rectangle((232, 124, 600, 160), radius=6, fill="white", outline=(200, 205, 212))
    d.text((246, 133), "搜索订单号或客户姓名", font=fs, fill=(150, 150, 150))
    truth.append("搜索订单号或客户姓名")
    fb = ImageFont.truetype(str(F["sans"]), 16)
    for x, label, bg, fg in [(620, "查询", (33, 84, 160), "white"), (720, "重置", "white", (60, 60, 60)),
                             (1090, "导出Excel", (46, 160, 90), "white")]:
        w = int(d.textlength(label, font=fb)) + 40
        d.rounded_rectangle((x, 124, x + w, 160), radius=6, fill=bg, outline=(200, 205, 212))
        d.text((x + 20, 132), label, font=fb, fill=fg)
        truth.append(label)
    # table
    cols = [232, 420, 600, 760, 900]
    d.rectangle((220, 180, 1260, 700), fill="white", outline=(225, 228, 232))
    for r, row in enumerate(UI_ROWS):
        y = 196 + r * 64
        if r == 0:
            d.rectangle((221, 181, 1259, 236), fill=(240, 242, 246))
        else:
            d.line((221, y - 16, 1259, y - 16), fill=(235, 237, 240))
        f = ImageFont.truetype(str(F["bold" if r == 0 else "sans"]), 16)
        for c, cell in enumerate(row):
            d.text((cols[c], y + 4), cell, font=f, fill=(40, 40, 40))
        if r:
            d.text((1100, y + 4), "详情", font=f, fill=(33, 84, 160))
            d.text((1160, y + 4), "编辑", font=f, fill=(33, 84, 160))
        truth.append(" ".join(row) + (" 详情 编辑" if r else " 操作"))
        if r == 0:
            d.text((1100, y + 4), "操作", font=f, fill=(40, 40, 40))
    # footer / pagination
    fp = ImageFont.truetype(str(F["sans"]), 14)
    d.text((232, 728), "共 128 条记录，每页 6 条", font=fp, fill=(100, 100, 100))
    truth.append("共 128 条记录，每页 6 条")
    d.text((1000, 728), "上一页 1 2 3 下一页", font=fp, fill=(100, 100, 100))
    truth.append("上一页 1 2 3 下一页")
    img.save(path)
    return truth


def make_dense(path, F):
    W, H = 1200, 1600
    img = Image.new("RGB", (W, H), (252, 251, 247))
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(F["sans"]), 24)
    lines = wrap(DENSE, f, W - 2 * 100, d)
    y = 100
    for ln in lines:
        d.text((100, y), ln, font=f, fill=(25, 25, 25))
        y += 44
    img.save(path)
    return lines


def make_size(path, F, size):
    d0 = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    fs = [ImageFont.truetype(str(F[face]), size) for face, _ in SIZE_LINES]
    w = max(int(d0.textlength(t, font=f)) for f, (_, t) in zip(fs, SIZE_LINES))
    pad = max(16, size // 2)
    W, H = w + 2 * pad, pad * 2 + int(size * 1.6) * len(SIZE_LINES)
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    for i, (f, (_, t)) in enumerate(zip(fs, SIZE_LINES)):
        d.text((pad, pad + i * int(size * 1.6)), t, font=f, fill="black")
    img.save(path)
    return [t for _, t in SIZE_LINES]


def build_images(root, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    F, missing = fonts(root)
    items = []
    for name, fn in [("synth_poster_1080x1920.png", make_poster), ("synth_ui_1280x800.png", make_ui),
                     ("synth_dense_1200x1600.png", make_dense)]:
        p = outdir / name
        items.append({"name": name, "path": str(p), "kind": "synthetic", "truth": fn(p, F), "partial": None})
    for s in SIZES:
        name = f"synth_size_{s:03d}px.png"
        p = outdir / name
        items.append({"name": name, "path": str(p), "kind": "synthetic", "truth": make_size(p, F, s),
                      "partial": None})
    tiny = outdir / "tiny_white_32x32.png"
    Image.new("RGB", (32, 32), "white").save(tiny)
    # real-world
    idx = REALWORLD / "INDEX.csv"
    if idx.exists():
        with open(idx, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                raw = row["intended_or_visible_text"]
                text = ANNOTATION.sub("", raw)
                truth = [t.strip() for t in text.split(" / ") if t.strip()]
                items.append({"name": row["filename"], "path": str(REALWORLD / row["filename"]),
                              "kind": "realworld", "truth": truth, "partial": PARTIAL.get(row["filename"])})
    for it in items:
        with Image.open(it["path"]) as im:
            it["size"] = f"{im.width}x{im.height}"
    return items, str(tiny), missing


# ------------------------------------------------------------------------------------------ metrics

def norm(s):
    return re.sub(r"\s+", "", s)


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def accuracy(truth_lines, rec_lines):
    """(Levenshtein accuracy, bag accuracy with extras penalised, bag recall); the first two clamped at 0."""
    t = norm("".join(truth_lines))
    r = norm("".join(rec_lines))
    if not t:
        return None, None, None
    lev = 1 - levenshtein(t, r) / len(t)
    ct, cr = Counter(t), Counter(r)
    overlap = sum((ct & cr).values())
    extras = sum((cr - ct).values())
    bag = (overlap - extras) / len(t)
    return max(0.0, lev), max(0.0, bag), overlap / len(t)


# -------------------------------------------------------------------------------------------- runs

def timed(cmd, env=None):
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd,
                           capture_output=True, text=True, env=env)
        tline = tf.read().strip().splitlines()
    wall, rss = tline[-1].split()
    return p, float(wall), int(rss)


def run_cjk(binary, image):
    p, wall, rss = timed([binary, "ocr", image, "--format", "json"])
    out = None
    try:
        out = json.loads(p.stdout)
    except Exception:
        pass
    lines = [l.get("text", "") for l in (out or {}).get("lines", [])]
    return {"wall_s": wall, "rss_kb": rss, "rc": p.returncode, "lines": lines,
            "timings_ms": (out or {}).get("timings_ms"), "stderr": p.stderr[-500:] if p.returncode else ""}


def run_rapid(image):
    p, wall, rss = timed([sys.executable, str(HERE / "rapid_one.py"), image])
    out = None
    try:
        out = json.loads(p.stdout)
    except Exception:
        pass
    lines = [l["text"] for l in (out or {}).get("lines", [])]
    return {"wall_s": wall, "rss_kb": rss, "rc": p.returncode, "lines": lines,
            "timings_ms": (out or {}).get("timings_ms"), "stderr": p.stderr[-500:] if p.returncode else ""}


def machine():
    model = "?"
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                model = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    return {"nproc": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "kernel": platform.release(), "loadavg_at_start": load}


def med(xs):
    return statistics.median(xs) if xs else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--load-runs", type=int, default=5)
    ap.add_argument("--only", default="", help="only images whose name contains this")
    args = ap.parse_args()
    root = Path(args.root)
    # Snapshot the binary: other engineers may rebuild target/release while the benchmark runs.
    src_bin = Path(args.bin)
    snap = root / ".cache" / "bench-bin" / "cjkcheck"
    snap.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src_bin, snap)
    bin_info = {"binary": str(src_bin), "snapshot": str(snap),
                "sha256": hashlib.sha256(snap.read_bytes()).hexdigest(),
                "mtime_utc": datetime.datetime.fromtimestamp(src_bin.stat().st_mtime, datetime.timezone.utc)
                .isoformat(timespec="seconds"),
                "git_head_at_start": subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %ci %s"],
                                                    capture_output=True, text=True).stdout.strip()[:100],
                "git_status_at_start": subprocess.run(["git", "-C", str(root), "status", "--short", "--", "src",
                                                      "Cargo.toml"], capture_output=True, text=True).stdout.split("\n")}
    args.bin = str(snap)
    has_check = subprocess.run([args.bin, "check", "--help"], capture_output=True).returncode == 0
    imgdir = root / ".cache" / "bench-images"
    items, tiny, missing_fonts = build_images(root, imgdir)
    if args.only:
        items = [i for i in items if args.only in i["name"]]
    mach = machine()
    mach["loadavg_at_start"] = open("/proc/loadavg").read().split()[:3]
    started = datetime.datetime.now(datetime.timezone.utc)

    # warm-up (page cache for binaries, models and libraries), not recorded
    run_cjk(args.bin, tiny)
    run_rapid(tiny)

    # model load: cjkcheck timings_ms.load_models if present, else wall time on a tiny white image
    load = {"cjkcheck": [], "rapidocr": [], "cjkcheck_timings": [], "rapidocr_import_and_load_ms": []}
    for i in range(args.load_runs):
        order = [("cjkcheck", lambda: run_cjk(args.bin, tiny)), ("rapidocr", lambda: run_rapid(tiny))]
        for tool, fn in (order if i % 2 == 0 else order[::-1]):
            r = fn()
            load[tool].append({"wall_s": r["wall_s"], "rss_kb": r["rss_kb"]})
            if tool == "cjkcheck" and r["timings_ms"]:
                load["cjkcheck_timings"].append(r["timings_ms"])
            if tool == "rapidocr" and r["timings_ms"]:
                load["rapidocr_import_and_load_ms"].append(r["timings_ms"]["import_and_load"])

    runs = {it["name"]: {"cjkcheck": [], "rapidocr": []} for it in items}
    check_runs = []  # full `cjkcheck check` on the poster (DESIGN §5 goal), if the binary has it
    poster = next((it for it in items if it["name"].startswith("synth_poster")), None)
    if has_check and poster:
        tf = imgdir / "synth_poster_1080x1920.txt"
        tf.write_text("\n".join(poster["truth"]) + "\n", encoding="utf-8")
        check_cmd = [args.bin, "check", poster["path"], "--text-file", str(tf), "--format", "json"]
    for rnd in range(args.rounds):
        for k, it in enumerate(items):
            order = ["cjkcheck", "rapidocr"] if (rnd + k) % 2 == 0 else ["rapidocr", "cjkcheck"]
            for tool in order:
                r = run_cjk(args.bin, it["path"]) if tool == "cjkcheck" else run_rapid(it["path"])
                runs[it["name"]][tool].append(r)
                if tool == "cjkcheck" and has_check and it is poster:
                    p, wall, rss = timed(check_cmd)
                    check_runs.append({"wall_s": wall, "rss_kb": rss, "rc": p.returncode,
                                       "stdout_head": p.stdout[:300], "stderr": p.stderr[-300:]})
            print(f"round {rnd + 1}/{args.rounds} {it['name']}: "
                  f"cjk {runs[it['name']]['cjkcheck'][-1]['wall_s']:.2f}s "
                  f"rapid {runs[it['name']]['rapidocr'][-1]['wall_s']:.2f}s", file=sys.stderr, flush=True)

    results = []
    for it in items:
        row = {k: it[k] for k in ("name", "kind", "size", "truth", "partial")}
        for tool in ("cjkcheck", "rapidocr"):
            rs = runs[it["name"]][tool]
            lev, bag, recall = accuracy(it["truth"], rs[-1]["lines"])
            row[tool] = {
                "wall_s": [r["wall_s"] for r in rs], "median_wall_s": med([r["wall_s"] for r in rs]),
                "rss_kb": [r["rss_kb"] for r in rs], "peak_rss_kb": max(r["rss_kb"] for r in rs),
                "rc": [r["rc"] for r in rs], "lines": rs[-1]["lines"],
                "consistent_text": all(r["lines"] == rs[-1]["lines"] for r in rs),
                "acc_levenshtein": lev, "acc_bag": bag, "recall_bag": recall,
                "lines_per_round": [r["lines"] for r in rs],
                "timings_ms": [r["timings_ms"] for r in rs if r["timings_ms"]],
                "stderr": next((r["stderr"] for r in rs if r["stderr"]), ""),
            }
        c, r = row["cjkcheck"]["median_wall_s"], row["rapidocr"]["median_wall_s"]
        row["ratio_cjk_over_rapid"] = c / r if r else None
        results.append(row)

    cjk_load_src = "timings_ms.load_models" if load["cjkcheck_timings"] and all(
        "load_models" in t for t in load["cjkcheck_timings"]) else "wall time on 32x32 white PNG"
    if cjk_load_src.startswith("timings"):
        cjk_load_ms = med([t["load_models"] for t in load["cjkcheck_timings"]])
    else:
        cjk_load_ms = med([x["wall_s"] for x in load["cjkcheck"]]) * 1000
    ratios = [r["ratio_cjk_over_rapid"] for r in results if r["ratio_cjk_over_rapid"]]
    summary = {
        "median_ratio": med(ratios), "worst_ratio": max(ratios) if ratios else None,
        "best_ratio": min(ratios) if ratios else None,
        "peak_rss_kb": {t: max(r[t]["peak_rss_kb"] for r in results) for t in ("cjkcheck", "rapidocr")},
        "cjkcheck_model_load_ms": cjk_load_ms, "cjkcheck_model_load_source": cjk_load_src,
        "cjkcheck_tiny_image_wall_ms": med([x["wall_s"] for x in load["cjkcheck"]]) * 1000,
        "rapidocr_tiny_image_wall_ms": med([x["wall_s"] for x in load["rapidocr"]]) * 1000,
        "rapidocr_import_and_load_ms": med(load["rapidocr_import_and_load_ms"]),
        "mean_acc": {t: {m: statistics.mean(r[t][m] for r in results)
                         for m in ("acc_levenshtein", "acc_bag", "recall_bag")} for t in ("cjkcheck", "rapidocr")},
    }
    if check_runs:
        rp = next(r for r in results if r["name"] == poster["name"])
        summary["poster_full_check"] = {
            "command": " ".join(["cjkcheck"] + check_cmd[1:]).replace(str(root) + "/", ""),
            "wall_s": [c["wall_s"] for c in check_runs], "median_wall_s": med([c["wall_s"] for c in check_runs]),
            "peak_rss_kb": max(c["rss_kb"] for c in check_runs), "rc": [c["rc"] for c in check_runs],
            "ratio_over_rapidocr_ocr": med([c["wall_s"] for c in check_runs]) / rp["rapidocr"]["median_wall_s"],
            "stderr": next((c["stderr"] for c in check_runs if c["stderr"]), ""),
        }
        summary["peak_rss_kb"]["cjkcheck"] = max(summary["peak_rss_kb"]["cjkcheck"],
                                                 summary["poster_full_check"]["peak_rss_kb"])
    finished = datetime.datetime.now(datetime.timezone.utc)
    cjk_version = subprocess.run([args.bin, "--version"], capture_output=True, text=True).stdout.strip()
    git = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip()
    pins = subprocess.run([sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True).stdout.split()
    mach["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    data = {
        "started_utc": started.isoformat(timespec="seconds"), "finished_utc": finished.isoformat(timespec="seconds"),
        "machine": mach, "cjkcheck": dict(bin_info, version=cjk_version, git_describe_at_end=git),
        "python_packages": pins, "rounds": args.rounds, "missing_fonts": missing_fonts,
        "commands": {
            "cjkcheck": f"/usr/bin/time -f '%e %M' {args.bin} ocr IMAGE --format json",
            "rapidocr": f"/usr/bin/time -f '%e %M' {sys.executable} scripts/bench/rapid_one.py IMAGE",
        },
        "model_load": load, "summary": summary, "images": results,
    }
    data["commands"]["benchmark"] = "scripts/bench-ocr" + (f" --rounds {args.rounds}" if args.rounds != 3 else "") + (
        f" --only {args.only}" if args.only else "")
    reports = root / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "ocr-benchmark.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    (reports / "ocr-benchmark.md").write_text(render_md(data))
    print(f"wrote {reports / 'ocr-benchmark.md'} and {reports / 'ocr-benchmark.json'}", file=sys.stderr)


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"


def render_md(d):
    s, m = d["summary"], d["machine"]
    L = ["# OCR benchmark: cjkcheck vs RapidOCR", ""]
    L.append(f"Run {d['started_utc']} → {d['finished_utc']} (UTC), {d['rounds']} rounds, tools alternated per image "
             f"(order flipped every image and round), each run a fresh process (model load included).")
    L.append("")
    L.append(f"- Machine: {m['nproc']} cores, {m['cpu_model']}, kernel {m['kernel']}; load average at start "
             f"{' '.join(m['loadavg_at_start'])}, at end {' '.join(m['loadavg_at_end'])} "
             f"(machine shared with other builds: wall times are noisy).")
    c = d["cjkcheck"]
    L.append(f"- cjkcheck: `{c['version']}`, `{c['binary']}` built {c['mtime_utc']}, sha256 {c['sha256'][:16]}…, "
             f"run from a snapshot copy; HEAD at start: {c['git_head_at_start']}"
             + ("; uncommitted changes in src/ at start" if any(x.strip() for x in c["git_status_at_start"]) else ""))
    rap = [p for p in d["python_packages"] if p.lower().startswith(("rapidocr", "onnxruntime", "opencv", "numpy"))]
    L.append(f"- RapidOCR: {', '.join(rap)}, Python {m['python']}, default config (det+cls+rec).")
    if d["missing_fonts"]:
        L.append(f"- Missing fonts (replaced by NotoSansSC): {', '.join(d['missing_fonts'])}")
    L += ["", "## Summary", ""]
    L.append("| metric | cjkcheck | RapidOCR |")
    L.append("|---|---|---|")
    ma = s["mean_acc"]
    L.append(f"| mean accuracy, Levenshtein (order-sensitive) | {pct(ma['cjkcheck']['acc_levenshtein'])} | "
             f"{pct(ma['rapidocr']['acc_levenshtein'])} |")
    L.append(f"| mean accuracy, bag of characters (order-free) | {pct(ma['cjkcheck']['acc_bag'])} | "
             f"{pct(ma['rapidocr']['acc_bag'])} |")
    L.append(f"| mean recall, bag of characters (extras ignored) | {pct(ma['cjkcheck']['recall_bag'])} | "
             f"{pct(ma['rapidocr']['recall_bag'])} |")
    L.append(f"| peak RSS over all images | {s['peak_rss_kb']['cjkcheck'] / 1024:.0f} MB | "
             f"{s['peak_rss_kb']['rapidocr'] / 1024:.0f} MB |")
    L.append(f"| wall time on 32×32 white PNG (start + model load) | {s['cjkcheck_tiny_image_wall_ms']:.0f} ms | "
             f"{s['rapidocr_tiny_image_wall_ms']:.0f} ms |")
    L.append(f"| model load | {s['cjkcheck_model_load_ms']:.0f} ms ({s['cjkcheck_model_load_source']}) | "
             f"{s['rapidocr_import_and_load_ms']:.0f} ms (import + `RapidOCR()` in-process) |")
    L.append("")
    L.append(f"Wall-time ratio cjkcheck / RapidOCR (median per image): **median {s['median_ratio']:.2f}**, "
             f"worst {s['worst_ratio']:.2f}, best {s['best_ratio']:.2f}. Below 1 means cjkcheck is faster.")
    L.append("")
    L.append("Goals (DESIGN.md §5): full check of a 1080×1920 poster faster than RapidOCR's OCR alone; peak memory "
             "< 500 MB; model load < 100 ms.")
    fc = s.get("poster_full_check")
    if fc:
        L.append("")
        L.append(f"Full check of the poster (`{fc['command']}`, intended text = its ground truth): median "
                 f"{fc['median_wall_s']:.2f} s (runs {fc['wall_s']}, exit codes {fc['rc']}), peak RSS "
                 f"{fc['peak_rss_kb'] / 1024:.0f} MB; **{fc['ratio_over_rapidocr_ocr']:.2f}×** RapidOCR's OCR-only "
                 f"median on the same image.")
    else:
        L.append("")
        L.append("This binary has no `check` command, so the poster row compares OCR with OCR only.")
    if s["cjkcheck_model_load_source"].startswith("wall"):
        L.append("")
        L.append("cjkcheck prints no `timings_ms` yet, so its model load is measured as the wall time of "
                 "`cjkcheck ocr` on a 32×32 white PNG (process start + model load + a detection pass on an "
                 "empty image): an upper bound.")
    L += ["", "## Per image", ""]
    L.append("| image | size | tool | acc. Levenshtein | acc. bag | recall bag | median wall s | ratio cjk/rapid | peak RSS MB |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for r in d["images"]:
        name = r["name"] + (" †" if r["partial"] else "")
        ratio = "–" if r["ratio_cjk_over_rapid"] is None else f"{r['ratio_cjk_over_rapid']:.2f}"
        for k, tool in enumerate(("cjkcheck", "rapidocr")):
            t = r[tool]
            flag = "" if all(rc == 0 for rc in t["rc"]) else f" (exit {t['rc']})"
            L.append(f"| {name if k == 0 else ''} | {r['size'] if k == 0 else ''} | {tool}{flag} | "
                     f"{pct(t['acc_levenshtein'])} | {pct(t['acc_bag'])} | {pct(t['recall_bag'])} | {t['median_wall_s']:.2f} | "
                     f"{ratio if k == 0 else ''} | {t['peak_rss_kb'] / 1024:.0f} |")
    L.append("")
    L.append("† partial ground truth:")
    for r in d["images"]:
        if r["partial"]:
            L.append(f"- `{r['name']}`: {r['partial']}")
    varied = [(r["name"], t) for r in d["images"] for t in ("cjkcheck", "rapidocr") if not r[t]["consistent_text"]]
    if varied:
        L.append("")
        L.append("Output not identical across rounds (same image, same binary): " +
                 ", ".join(f"`{n}` ({t})" for n, t in varied) + "; accuracy uses the last round.")
    L += ["", "## Recognised text where either tool is below 98% (Levenshtein)", ""]
    for r in d["images"]:
        c, p = r["cjkcheck"], r["rapidocr"]
        if (c["acc_levenshtein"] or 0) < 0.98 or (p["acc_levenshtein"] or 0) < 0.98:
            L.append(f"### {r['name']}")
            L.append("")
            L.append("```")
            L.append("truth:    " + " / ".join(r["truth"]))
            L.append("cjkcheck: " + " / ".join(c["lines"]))
            L.append("rapidocr: " + " / ".join(p["lines"]))
            L.append("```")
            L.append("")
    L += ["## Method", ""]
    L.append("- Synthetic images are drawn with Pillow from `fonts/` into `.cache/bench-images/` (deterministic); "
             "real-world images and their truth come from `/work/shared/realworld/INDEX.csv` (`intended_or_visible_text`, "
             "split on ` / `, annotations like `(x2)`, `(vertical, …)`, `(image rotated 180 deg)`, "
             "`(+ punctuation glyph boxes)` dropped).")
    L.append("- Accuracy (last round's output): truth lines and recognised lines are each concatenated in reading "
             "order with all whitespace removed. *Levenshtein* = 1 − edit distance / len(truth) (order-sensitive, so "
             "pessimistic when the tool reads blocks in another order). *Bag* = (|truth ∩ recognised| − "
             "|recognised \\ truth|) / len(truth) on character multisets (order-free, extras penalised). Both clamped "
             "at 0. *Recall* = |truth ∩ recognised| / len(truth), extras ignored: the fairest figure for images with "
             "partial truth (†), where the other two punish correctly read text that the truth omits. "
             "No Unicode normalisation: full-width vs ASCII punctuation (`：` vs `:`) counts as an error.")
    L.append("- Wall time and peak RSS from `/usr/bin/time -f '%e %M'` around the whole process; one untimed warm-up "
             "run per tool first. Both tools use their default thread settings on the same 2 cores.")
    L.append("")
    L.append("Commands:")
    L.append("")
    L.append("```sh")
    L.append(d["commands"]["benchmark"])
    L.append("# per image, per round, alternating:")
    L.append(d["commands"]["cjkcheck"])
    L.append(d["commands"]["rapidocr"])
    L.append("```")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    main()
