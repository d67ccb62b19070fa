"""PDF rendering: the A4 French layout, and a renderer that reads nothing but the app's static
files whatever the text of a document says. Checked on the PDF itself, with poppler."""

import base64
import http.server
import subprocess
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from innovaction.charts.bars import horizontal_bars
from innovaction.formatting import format_money
from innovaction.pdf import BASE_URL, StaticFilesFetcher, render_pdf
from innovaction.templatetags.pdf import css_string

STATIC_DIR = Path(django_settings.BASE_DIR) / "static"


def _pdftotext(pdf: bytes, tmp_path, *pages: int) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    options = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True).stdout


def _pdfinfo(pdf: bytes, tmp_path) -> dict:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


def _specimen_context(note="Un commentaire sans histoire.", title="Tableau de bord mensuel", rows=60):
    lines = [(f"Projet n° {n}", Decimal(1500 * n) + Decimal("0.25")) for n in range(1, rows + 1)]
    chart = horizontal_bars(lines[:6], title="Montants par projet", value_label=format_money)
    return {"pdf_title": title, "pdf_period": "octobre 2026", "rows": lines, "chart": chart, "note": note}


@pytest.fixture
def secrets(tmp_path):
    """Files outside the static folders whose content must never reach a PDF."""
    css = tmp_path / "secret.css"
    css.write_text('main::after { content: "SECRET-CSS-7f3a"; }')
    svg = tmp_path / "secret.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text y="20">SECRET-SVG-7f3a</text></svg>'
    )
    return {"css": css, "svg": svg}


@pytest.fixture
def web_server():
    """A web server on loopback that records every request made to it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b'main::after { content: "SECRET-HTTP-7f3a"; }')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.hits = hits
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.django_db
def test_hostile_text_is_printed_as_text_and_reads_nothing(tmp_path, secrets, web_server):
    port = web_server.server_address[1]
    note = (
        f'<img src="file://{secrets["svg"]}"> <link rel="stylesheet" href="file://{secrets["css"]}"> '
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"> <img src="file:///etc/passwd">'
    )
    fetcher = StaticFilesFetcher()
    pdf = render_pdf("pdf/specimen.html", _specimen_context(note=note), fetcher=fetcher)
    text = _pdftotext(pdf, tmp_path)

    flat = " ".join(text.split())
    assert f'<img src="file://{secrets["svg"]}">' in flat and '<img src="file:///etc/passwd">' in flat
    assert f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">' in flat
    assert "SECRET" not in text and "root:" not in text
    assert web_server.hits == []
    assert fetcher.refused == []  # escaped: the renderer was not even asked
    assert fetcher.served_paths and all(Path(path).is_relative_to(STATIC_DIR) for path in fetcher.served_paths)


@pytest.mark.django_db
def test_markup_that_slipped_through_still_cannot_read_a_file_or_the_network(tmp_path, secrets, web_server, settings):
    """Were a template to print user text unescaped, the fetcher would still refuse."""
    port = web_server.server_address[1]
    data_svg = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="30"><text y="20">DONNEES-INCLUSES</text></svg>'
    ).decode()
    hostile = [
        f"file://{secrets['css']}",
        f"file://{secrets['svg']}",
        f"http://127.0.0.1:{port}/x.css",
        "https://example.com/tracker.png",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/media/rapports/2026/tdb.pdf",
    ]
    (tmp_path / "templates" / "pdf").mkdir(parents=True)
    (tmp_path / "templates" / "pdf" / "unsafe.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Injecté</h1>{{ injected|safe }}{% endblock %}'
    )
    settings.TEMPLATES = [
        {**django_settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *django_settings.TEMPLATES[0]["DIRS"]]}
    ]
    injected = (
        f'<link rel="stylesheet" href="{hostile[0]}"><img src="{hostile[1]}">'
        f'<link rel="stylesheet" href="{hostile[2]}"><img src="{hostile[3]}" alt="x"><img src="{hostile[4]}" alt="x">'
        f'<img src="{hostile[5]}" alt="x"><img src="/static/../../../etc/passwd" alt="x">'
        f'<img src="data:image/svg+xml;base64,{data_svg}" alt="x">'
    )
    fetcher = StaticFilesFetcher()
    pdf = render_pdf("pdf/unsafe.html", {"pdf_title": "Essai", "injected": injected}, fetcher=fetcher)
    text = _pdftotext(pdf, tmp_path)

    assert "Injecté" in text and "DONNEES-INCLUSES" in text  # data: URIs are allowed
    assert "SECRET" not in text
    assert web_server.hits == []
    refused = {record.url for record in fetcher.refused}
    assert refused == {
        hostile[0],
        hostile[1],
        hostile[2],
        hostile[3],
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}media/rapports/2026/tdb.pdf",
        f"{BASE_URL}etc/passwd",  # the URL parser already folded the ".." segments
    }
    assert all(Path(path).is_relative_to(STATIC_DIR) for path in fetcher.served_paths)


def test_css_strings_cannot_break_out_of_the_stylesheet():
    assert css_string("Bilan — octobre") == '"Bilan \\002014  octobre"'
    hostile = css_string('x"; } @import url(file:///etc/passwd); a { content: "')
    assert hostile.count('"') == 2 and "@" not in hostile and ";" not in hostile and "(" not in hostile


@pytest.mark.django_db
def test_a_hostile_title_in_the_page_footer_is_printed_not_obeyed(tmp_path):
    title = 'Bilan"; } @import url("file:///etc/passwd"); @page { @top-left { content: "x'
    fetcher = StaticFilesFetcher()
    pdf = render_pdf("pdf/specimen.html", _specimen_context(title=title), fetcher=fetcher)
    page_two = _pdftotext(pdf, tmp_path, 2)
    assert f"{title} — octobre 2026" in page_two
    assert fetcher.refused == []


@pytest.mark.django_db
def test_the_layout_is_a4_french_numbered_with_the_period_in_every_footer(tmp_path, artifacts_dir):
    pdf = render_pdf("pdf/specimen.html", _specimen_context(rows=120) | {"generated_by": "Claire Martin"})
    info = _pdfinfo(pdf, tmp_path)
    pages = int(info["Pages"])
    assert pages >= 4
    assert info["Page size"].strip().startswith("595.276 x 841.89 pts (A4)")
    assert info["Title"].strip() == "Tableau de bord mensuel — octobre 2026"
    assert info["Tagged"].strip() == "yes"

    cover = _pdftotext(pdf, tmp_path, 1)
    assert "Tableau de bord mensuel" in cover and "octobre 2026" in cover
    assert "Édité le" in cover and "par Claire Martin" in cover
    assert "page 1" not in cover  # no footer on the cover
    for number in range(2, pages + 1):
        page = _pdftotext(pdf, tmp_path, number)
        assert f"page {number} / {pages}" in page
        assert "Tableau de bord mensuel — octobre 2026" in page
    assert "Libellé" in _pdftotext(pdf, tmp_path, pages)  # the table header repeats on each page

    fonts = subprocess.run(["pdffonts", str(tmp_path / "info.pdf")], capture_output=True, text=True).stdout
    assert "Source-Sans-3" in fonts and "DejaVu" not in fonts

    # Pictures of the pages for people to look at (CI keeps var/test-artifacts).
    (artifacts_dir / "pdf-specimen.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(artifacts_dir / "pdf-specimen.pdf"), str(artifacts_dir / "pdf-specimen")],
        check=True,
    )
    assert (artifacts_dir / "pdf-specimen-1.png").exists()


@pytest.mark.django_db
def test_the_cover_band_is_drawn_in_the_primary_colour(tmp_path):
    pdf = render_pdf("pdf/specimen.html", _specimen_context(rows=5))
    (tmp_path / "c.pdf").write_bytes(pdf)
    ppm = subprocess.run(
        ["pdftoppm", "-r", "20", "-f", "1", "-l", "1", str(tmp_path / "c.pdf")], check=True, capture_output=True
    ).stdout
    header, pixels = ppm.split(b"\n", 3)[:3], ppm.split(b"\n", 3)[3]
    width = int(header[1].split()[0])
    # 20 dpi: the band covers the top 2 cm or so; sample a pixel at the right edge of it.
    x, y = width - 5, 5
    offset = (y * width + x) * 3
    assert tuple(pixels[offset : offset + 3]) == (0x1D, 0x3F, 0x72)
