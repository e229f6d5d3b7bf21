"""A rendered PDF checked against its layout's boxes: a page rasterised with pdftoppm (poppler-utils), measured in mm.

- ``assert_inside_printable``: no dark pixel outside the printable area (the page minus its @page margins), so
  nothing is cut off or runs into the margin an office punches and binds.
- ``assert_frame``: each of the four edges of a framed document's border box is drawn (a run of dark pixels along
  most of the edge, near where the layout puts it), so a frame that overflows the page shows.

Low resolution keeps them fast: at 40 dpi a pixel is 0.64 mm.
"""

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

MM_PER_INCH = 25.4
DARK = 160  # grey level below which a pixel is ink (the frame's dark red is about 60, the muted text about 85)


class Page:
    def __init__(self, pdf, *, page=1, dpi=40):
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "doc.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-png",
                            "-singlefile", str(source), str(Path(tmp) / "page")], check=True, capture_output=True)
            self.image = Image.open(Path(tmp) / "page.png").convert("L")
            self.image.load()
        self.px_per_mm = dpi / MM_PER_INCH
        self.width_mm = self.image.width / self.px_per_mm
        self.height_mm = self.image.height / self.px_per_mm

    def px(self, mm):
        return round(mm * self.px_per_mm)

    def dark(self, x, y):
        return self.image.getpixel((x, y)) < DARK

    def dark_outside(self, left, top, right, bottom):
        """The dark pixels outside the box (mm from the page's top left corner)."""
        x0, y0, x1, y1 = self.px(left), self.px(top), self.px(right), self.px(bottom)
        pixels = self.image.load()
        return [(x, y) for y in range(self.image.height) for x in range(self.image.width)
                if pixels[x, y] < DARK and not (x0 <= x < x1 and y0 <= y < y1)]

    def kept(self):
        """The page saved as a PNG to look at when a check fails; its path."""
        path = tempfile.NamedTemporaryFile(prefix="pdf-layout-", suffix=".png", delete=False).name
        self.image.save(path)
        return path

    def inked_rows(self):
        """The pixel rows that hold any ink: how much of the page is used."""
        pixels = self.image.load()
        return [y for y in range(self.image.height) if any(pixels[x, y] < DARK for x in range(self.image.width))]


def rendered(kind, row):
    """The PDFs of a row as its document kind's worker renders them (alliance/documents.py), without storing them."""
    from alliance.pdf import render_pdf

    return [render_pdf(file.template, file.context, stylesheets=file.stylesheets) for file in kind.files(row)]


def text(pdf, *, layout=False):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", *(["-layout"] if layout else []), f.name, "-"], capture_output=True,
                              text=True, check=True).stdout


def page_count(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def margins_box(page, margins):
    """The printable area of the page as (left, top, right, bottom) mm, from CSS-order margins (top, right, bottom,
    left), or one number for all four."""
    top, right, bottom, left = (margins,) * 4 if isinstance(margins, int | float) else margins
    return left, top, page.width_mm - right, page.height_mm - bottom


def assert_inside_printable(pdf, *, margins, page=1, tolerance=0.7, margin_boxes=()):
    """No ink outside the page minus its margins (mm, with a pixel's tolerance for anti-aliasing), except in the
    ``margin_boxes`` the layout puts there on purpose (a page number's @bottom-center), as (left, top, right, bottom)."""
    sheet = Page(pdf, page=page)
    left, top, right, bottom = margins_box(sheet, margins)
    outside = sheet.dark_outside(left - tolerance, top - tolerance, right + tolerance, bottom + tolerance)
    boxes = [[sheet.px(v) for v in box] for box in margin_boxes]
    outside = [(x, y) for x, y in outside if not any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in boxes)]
    assert not outside, (f"{len(outside)} dark pixels outside the printable area, e.g. at px {outside[:5]} "
                         f"({sheet.px_per_mm:.2f} px/mm); the page: {sheet.kept()}")
    return sheet


def assert_frame(pdf, *, box, page=1, reach=2.5, cover=0.9):
    """The four edges of the frame's border box (left, top, right, bottom in mm) are drawn: within ``reach`` mm
    inside each edge a line of ink runs along at least ``cover`` of its length."""
    sheet = Page(pdf, page=page)
    left, top, right, bottom = (sheet.px(v) for v in box)
    band = sheet.px(reach)

    def run_of(line):
        return sum(line) / len(line)

    edges = {
        "top": [run_of([sheet.dark(x, y) for x in range(left, right)]) for y in range(top, top + band)],
        "bottom": [run_of([sheet.dark(x, y) for x in range(left, right)])
                   for y in range(bottom - band, min(bottom, sheet.image.height))],
        "left": [run_of([sheet.dark(x, y) for y in range(top, bottom)]) for x in range(left, left + band)],
        "right": [run_of([sheet.dark(x, y) for y in range(top, bottom)])
                  for x in range(right - band, min(right, sheet.image.width))],
    }
    missing = {edge: round(max(runs, default=0), 2) for edge, runs in edges.items() if max(runs, default=0) < cover}
    assert not missing, (f"frame edges not drawn along their length (share of the edge inked): {missing}; "
                         f"the page: {sheet.kept()}")
    return sheet
