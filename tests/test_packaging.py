"""The built wheel contains every data file the package needs (the src layout's point: a file left
out of package-data would pass with an editable install and fail for users)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "spasmcare"
SKIP_SUFFIXES = {".pyc"}


@pytest.mark.slow
def test_wheel_contains_every_package_file(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("spasmcare-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "spasmcare/" + str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in SKIP_SUFFIXES
    }
    missing = sorted(expected - names)
    assert not missing, f"left out of the wheel (add to package-data): {missing[:20]}"
