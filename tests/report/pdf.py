"""Reading a report PDF back as a reader sees it: its text (poppler's pdftotext, pypdf when poppler
is missing), its page count and page size, and the printed size of every piece of text."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

Matrix = tuple[float, float, float, float, float, float]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text, read back by poppler's pdftotext (pypdf when poppler is not installed), with
    runs of white space as one space."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    else:
        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) * 25.4 / 72, 1), round(float(box.height) * 25.4 / 72, 1)


def _times(a: Matrix, b: Matrix) -> Matrix:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def printed_font_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """Each text run's printed font size in points (its font size through the text and graphics
    matrices), with the text."""
    sizes: list[tuple[float, str]] = []
    for page in PdfReader(BytesIO(pdf)).pages:

        def visit(text: str, cm: Matrix, tm: Matrix, font: object, size: float) -> None:
            if text.strip():
                m = _times(tm, cm)
                sizes.append((round(size * math.hypot(m[2], m[3]), 2), text.strip()))

        page.extract_text(visitor_text=visit)
    return sizes


def word_heights(pdf: bytes, tmp_path: Path) -> list[tuple[float, str]]:
    """The height in points of every word's box as poppler lays it out (font size times the
    font's ascent plus descent): a second, independent measure of printed size. Empty without
    poppler."""
    if not shutil.which("pdftotext"):
        return []
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        (float(y2) - float(y1), word)
        for y1, y2, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            xml,
        )
    ]
