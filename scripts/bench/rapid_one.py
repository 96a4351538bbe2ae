"""Run RapidOCR on one image in a fresh process (model load included); print JSON lines to stdout."""
import json
import sys
import time

t0 = time.perf_counter()
from rapidocr_onnxruntime import RapidOCR  # noqa: E402

engine = RapidOCR()
t1 = time.perf_counter()
result, elapse = engine(sys.argv[1])
t2 = time.perf_counter()
lines = [{"text": r[1], "confidence": float(r[2]), "quad": r[0]} for r in (result or [])]
json.dump({"lines": lines, "timings_ms": {"import_and_load": (t1 - t0) * 1000, "ocr": (t2 - t1) * 1000}},
          sys.stdout, ensure_ascii=False)
