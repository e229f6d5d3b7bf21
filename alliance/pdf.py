"""The one place that renders PDFs.

A Django template is rendered to HTML and WeasyPrint lays it out. WeasyPrint may load only what the
allow-list below admits: ``data:`` URLs, files under ``static/pdf/`` and the PDF fonts (``FONTS``). Everything
else (other local files, any http(s) address, redirects, CSS imports of other paths) is refused, so member text that
reaches a template can never make the renderer read the server's files or call the network.

Chinese text is set in Noto CJK (Debian ``fonts-noto-cjk``). With ``libharfbuzz-subset0`` WeasyPrint embeds only
the glyphs used, but cutting them out of a 26 MB font collection is much of the time a PDF takes. So the serif
faces are also cut down once, to GB 2312 and the characters of the PDF templates, by ``manage.py build_pdf_fonts``
(scripts/setup.sh runs it), and declared here as the family ``Noto Serif CJK SC GB2312``; static/pdf/base.css lists
the full system fonts after it, which set any rarer character (堃, 喆 in a name).
"""

import atexit
import base64
import gc
import logging
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

FONT_FAMILY = "Noto Serif CJK SC GB2312"
# File under PDF_FONTS_DIR: the Debian font collection it is cut from, and its CSS weight.
FONTS = {
    "NotoSerifCJKsc-Regular-GB2312.otf": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 400),
    "NotoSerifCJKsc-Bold-GB2312.otf": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 700),
}


class AssetRefused(ValueError):
    pass


class AssetFetcher(URLFetcher):
    """Admits ``data:`` URLs, regular files under PDF_ASSETS_DIR and the FONTS; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=5)
        self.refused = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data" or (scheme == "file" and self._is_asset(url)):
            return super().fetch(url, headers)
        self.refused.append(url)
        logger.warning("PDF asset refused: %s", url[:200])
        raise AssetRefused(f"PDF 资源不在允许范围内：{url[:200]}")

    @staticmethod
    def _is_asset(url):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        root = Path(settings.PDF_ASSETS_DIR).resolve()
        return (path.is_relative_to(root) or path in _font_paths()) and path.is_file()


def _font_paths():
    fonts_dir = Path(settings.PDF_FONTS_DIR).resolve()
    return {fonts_dir / name: weight for name, (_, weight) in FONTS.items()}


_thread = threading.local()


def _fonts():
    """This thread's font configuration, with the @font-face rules of the FONTS loaded into it.

    Made once and kept: loading the fonts afresh for every PDF takes about a third of a certificate's time. One per
    thread, as Pango's font maps are not thread-safe. Without the FONTS (not built) the system fonts serve alone.
    """
    if not hasattr(_thread, "fonts"):
        rules = [
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; src: url("{path.as_uri()}"); }}'
            for path, weight in _font_paths().items() if path.is_file()
        ]
        if len(rules) < len(FONTS):
            logger.warning("PDF fonts missing in %s: run manage.py build_pdf_fonts", settings.PDF_FONTS_DIR)
        font_config = FontConfiguration()
        font_faces = CSS(string="\n".join(rules), font_config=font_config, url_fetcher=AssetFetcher())
        _thread.fonts = font_config, font_faces
    return _thread.fonts


@atexit.register
def release_fonts():
    """Drop this thread's font configuration; collected, it deletes WeasyPrint's temporary copies of the FONTS."""
    _thread.__dict__.pop("sheets", None)
    if _thread.__dict__.pop("fonts", None):
        gc.collect()  # the last documents laid out hold it in reference cycles


def image_data_url(fieldfile):
    """A stored picture (PNG or JPEG, judged by its first bytes) as a ``data:`` URL a PDF template may show; "" for
    anything else (a PDF scan, an unreadable file), which the template names instead."""
    if not fieldfile:
        return ""
    try:
        with fieldfile.open("rb") as f:
            data = f.read()
    except OSError:
        return ""
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data.startswith(b"\xff\xd8") else ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}" if mime else ""


def _stylesheet(name):
    """A stylesheet of static/pdf/, parsed once per thread: parsing a page's CSS is a fifth of a certificate's time."""
    sheets = _thread.__dict__.setdefault("sheets", {})
    if name not in sheets:
        font_config, _faces = _fonts()
        path = Path(settings.PDF_ASSETS_DIR).resolve() / name
        sheets[name] = CSS(filename=str(path), font_config=font_config, url_fetcher=AssetFetcher())
    return sheets[name]


def render_pdf(template_name, context, *, stylesheets=()):
    """Render a template to PDF bytes. Relative URLs in the template resolve inside static/pdf/.

    ``stylesheets`` names files of static/pdf/ to lay the document out with, in order, kept parsed from one PDF to
    the next: for a template that links no stylesheet and has no <style> of its own (they would come after them in
    the cascade), rendered often (the certificate)."""
    return html_to_pdf(render_to_string(template_name, context), stylesheets=stylesheets)


def html_to_pdf(html, *, stylesheets=()):
    font_config, font_faces = _fonts()
    base_url = Path(settings.PDF_ASSETS_DIR).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=AssetFetcher()).write_pdf(
        stylesheets=[font_faces, *map(_stylesheet, stylesheets)], font_config=font_config
    )
