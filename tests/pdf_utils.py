"""Reading PDFs back in tests: text per page, page images, blank pages, text off the page."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

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


def words_off_the_page(pdf: bytes) -> list[str]:
    """Words that ``pdftotext -bbox`` places outside their page (text overflowing the page)."""
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: make system-deps"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            ["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, timeout=120
        )
    html = result.stdout.decode("utf-8")
    body = html[html.index("<body>") : html.index("</body>") + len("</body>")]
    off = []
    for page in ElementTree.fromstring(body).iter("{http://www.w3.org/1999/xhtml}page"):
        width, height = float(page.attrib["width"]), float(page.attrib["height"])
        for word in page.iter("{http://www.w3.org/1999/xhtml}word"):
            x_min, x_max = float(word.attrib["xMin"]), float(word.attrib["xMax"])
            y_min, y_max = float(word.attrib["yMin"]), float(word.attrib["yMax"])
            if x_min < 0 or y_min < 0 or x_max > width + 0.5 or y_max > height + 0.5:
                off.append(word.text or "")
    return off
