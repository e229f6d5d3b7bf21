"""The PDF door: only data: URLs, files under static/pdf/ and the PDF fonts may be loaded. Chinese is in CJK fonts."""

import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from alliance.pdf import (FONTS, AssetFetcher, AssetRefused, _fonts, _stylesheet, html_to_pdf, release_fonts,
                          render_pdf)


def pdf_text(pdf_bytes, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf_bytes, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def http_server():
    """A local HTTP server that counts the requests it gets; it serves CSS and one redirect."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", f"file://{settings.BASE_DIR}/README.md")
                self.end_headers()
                return
            body = b'body::after { content: "LEAKED-FROM-HTTP"; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:1/x.css", "https://example.com/x.css", "ftp://127.0.0.1/x"],
)
def test_fetcher_refuses_anything_but_assets(url):
    fetcher = AssetFetcher()
    with pytest.raises(AssetRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_a_path_that_climbs_out_of_the_assets_folder():
    escape = f"file://{settings.PDF_ASSETS_DIR}/../../alliance/settings.py"
    with pytest.raises(AssetRefused):
        AssetFetcher().fetch(escape)


def test_fetcher_admits_a_file_under_static_pdf_and_a_data_url():
    fetcher = AssetFetcher()
    response = fetcher.fetch(f"file://{settings.PDF_ASSETS_DIR}/base.css")
    assert b"Noto" in response.read()
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_fetcher_admits_the_pdf_fonts_but_no_other_file_beside_them(settings, tmp_path):
    settings.PDF_FONTS_DIR = tmp_path
    for name in [*FONTS, "other.otf", ".stamp"]:
        (tmp_path / name).write_bytes(b"font")
    fetcher = AssetFetcher()
    for name in FONTS:
        assert fetcher.fetch((tmp_path / name).as_uri()).read() == b"font"
    for name in ["other.otf", ".stamp"]:
        with pytest.raises(AssetRefused):
            fetcher.fetch((tmp_path / name).as_uri())
    assert len(fetcher.refused) == 2


def test_rendering_does_not_read_local_files(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text('body::after { content: "LEAKED-FROM-FILE"; }')
    html = f"""<html><head>
      <link rel="stylesheet" href="file://{secret}">
      <style>@import url("file://{secret}");</style>
    </head><body><p>正文</p><img src="file:///etc/passwd"></body></html>"""
    text = pdf_text(html_to_pdf(html), tmp_path)
    assert "正文" in text
    assert "LEAKED" not in text


def test_rendering_makes_no_http_request_and_follows_no_redirect(tmp_path, http_server):
    base, hits = http_server
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/imported.css");</style>
    </head><body><p>正文</p><img src="{base}/redirect"></body></html>"""
    text = pdf_text(html_to_pdf(html), tmp_path)
    assert hits == []
    assert "LEAKED" not in text


def test_chinese_text_is_embedded_in_a_cjk_font(tmp_path):
    html = '<html><head><link rel="stylesheet" href="base.css"></head><body><h1>成员证书</h1><p>靠谱 COP 联盟</p></body></html>'
    fonts = pdf_fonts(html_to_pdf(html), tmp_path)
    embedded_cjk = [line for line in fonts.splitlines() if re.search(r"Noto-?(Sans|Serif)-?CJK", line)]
    assert embedded_cjk, fonts
    # pdffonts' "emb" column: every CJK font is embedded (subset), so the glyphs travel with the file.
    assert all(" yes " in line for line in embedded_cjk), fonts


def test_common_chinese_is_set_in_the_cut_down_serif_and_a_rarer_character_in_the_full_one(tmp_path):
    assert all((Path(settings.PDF_FONTS_DIR) / name).is_file() for name in FONTS), "run manage.py build_pdf_fonts"
    html = '<html><head><link rel="stylesheet" href="base.css"></head><body><p>成员证书</p><p>王堃</p></body></html>'
    rows = pdf_fonts(html_to_pdf(html), tmp_path).splitlines()[2:]
    # 堃 is not in GB 2312: it comes from the system's full font, embedded like the other.
    assert sorted(row.split()[0].split("+")[1] for row in rows) == ["Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-GB2312"]
    assert all(re.search(r" yes +yes +yes ", row) for row in rows), rows


def test_a_thread_keeps_its_fonts_from_one_pdf_to_the_next_and_threads_do_not_share_them():
    kept = {}

    def render_twice(name):
        first = html_to_pdf("<p>成员证书</p>")
        config = _fonts()[0]
        second = html_to_pdf("<p>成员证书</p>")
        kept[name] = (first[:5], second[:5], config is _fonts()[0], config)
        release_fonts()

    threads = [threading.Thread(target=render_twice, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [kept[name][:3] for name in ("a", "b")] == [(b"%PDF-", b"%PDF-", True)] * 2
    assert kept["a"][3] is not kept["b"][3]


def test_a_named_stylesheet_is_parsed_once_per_thread_and_lays_the_document_out(tmp_path):
    pdf = html_to_pdf("<p>成员证书</p>", stylesheets=("certificate.css",))
    sheet = _stylesheet("certificate.css")
    assert html_to_pdf("<p>成员证书</p>", stylesheets=("certificate.css",)) and _stylesheet("certificate.css") is sheet
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "841.89 x 595.276" in info  # its @page rule: A4 landscape


def test_render_pdf_renders_a_django_template(tmp_path):
    pdf = render_pdf("alliance/pdf/sample.html", {"title": "测试<b>标题</b>"})
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "测试<b>标题</b>" in text  # autoescaped: member text is printed, never interpreted


def test_pdf_tools_are_installed():
    assert shutil.which("pdffonts") and shutil.which("pdftotext")
