"""The one place that renders PDFs.

A Django template is rendered to HTML and WeasyPrint lays it out. WeasyPrint may load only what the
allow-list below admits: ``data:`` URLs and files under ``static/pdf/``. Everything else (other local
files, any http(s) address, redirects, CSS imports of other paths) is refused, so member text that
reaches a template can never make the renderer read the server's files or call the network.

Chinese text is set in Noto CJK (Debian ``fonts-noto-cjk``), found through fontconfig. With
``libharfbuzz-subset0`` installed WeasyPrint embeds only the glyphs used, in about 0.1 s per page.
"""

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class AssetRefused(ValueError):
    pass


class AssetFetcher(URLFetcher):
    """Admits ``data:`` URLs and regular files under PDF_ASSETS_DIR; refuses everything else."""

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
        return path.is_relative_to(root) and path.is_file()


def render_pdf(template_name, context):
    """Render a template to PDF bytes. Relative URLs in the template resolve inside static/pdf/."""
    html = render_to_string(template_name, context)
    return html_to_pdf(html)


def html_to_pdf(html):
    base_url = Path(settings.PDF_ASSETS_DIR).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=AssetFetcher()).write_pdf()
