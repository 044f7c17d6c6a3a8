"""Reading PDFs back in tests: text per page, page images, blank pages, text off the page."""

import io
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

from PIL import Image
from pypdf import PdfReader


def normalised(text: str) -> str:
    """One space between words; words hyphenated at a line end (hyphens: auto) joined again."""
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(text.split()))


def pages_text(pdf: bytes) -> list[str]:
    return [normalised(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def page_images(pdf: bytes, resolution: int = 30) -> list[Image.Image]:
    assert shutil.which("pdftoppm"), "poppler-utils (pdftoppm) is needed: make system-deps"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(resolution), "-png", str(source), str(Path(tmp) / "page")],
            check=True,
            capture_output=True,
            timeout=120,
        )
        images = []
        for png in sorted(Path(tmp).glob("page-*.png")):
            with Image.open(png) as image:
                images.append(image.convert("L").copy())
    return images


def dark_fraction(image: Image.Image) -> float:
    return sum(image.histogram()[:200]) / (image.width * image.height)


def assert_no_blank_page(pdf: bytes) -> None:
    for number, image in enumerate(page_images(pdf), start=1):
        assert sum(image.histogram()[:200]) > 50, f"page {number} is blank"


MM = 72 / 25.4  # PDF points per millimetre
# the side margins of every print page (static/css/print.css: 18 mm; covers and letters more)
SIDE_MARGIN_MM = 18
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>',
    re.S,
)


def word_boxes(
    pdf: bytes,
) -> list[tuple[int, float, float, tuple[float, float, float, float], str]]:
    """(page number, page width, page height, (x_min, y_min, x_max, y_max), word) of every word,
    in PDF points from the top left, as ``pdftotext -bbox`` places them."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: make system-deps"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            ["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, timeout=120
        )
    html = result.stdout.decode("utf-8")
    boxes = []
    # plain patterns, not an XML parser: the output is XHTML, its tags namespaced, and a parser
    # that looks for un-namespaced <page> tags finds none and reports nothing
    for number, page in enumerate(_PAGE.finditer(html), start=1):
        width, height = float(page.group(1)), float(page.group(2))
        for word in _WORD.finditer(page.group(3)):
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            box = (x0, y0, x1, y1)
            boxes.append((number, width, height, box, unescape(word.group(5))))
    assert boxes or not pages_text(pdf), "pdftotext -bbox found no word in a PDF with text"
    return boxes


def words_off_the_page(pdf: bytes, side_margin_mm: float = SIDE_MARGIN_MM) -> list[str]:
    """Words that reach beyond the printable width of their page (the page minus its side
    margins; 1 pt tolerance) or beyond the page edge: text that overflows or is cut."""
    margin = side_margin_mm * MM - 1.0
    off = []
    for number, width, height, (x_min, y_min, x_max, y_max), text in word_boxes(pdf):
        if x_min < margin or x_max > width - margin or y_min < 0 or y_max > height:
            off.append(f"{text} (page {number}, x {x_min:.0f}–{x_max:.0f} of {width:.0f} pt)")
    return off
