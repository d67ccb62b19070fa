"""PDF documents rendered with WeasyPrint from Django templates (`templates/pdf/`).

    from innovaction.pdf import render_pdf
    pdf_bytes = render_pdf("pdf/scorecard.html", {"pdf_title": …, "pdf_period": "octobre 2026", …})

The renderer reads nothing but the application's own static files, found through the
staticfiles finders by their path under STATIC_URL, and `data:` URIs. Everything else —
`file://`, `http(s)://` to any other host, paths outside the static folders — is refused:
text written by users (a project title containing `<img src="file:///etc/passwd">`) is escaped
by the templates anyway, and even markup that slipped through could not make the renderer read
a file or reach the network. Every request and refusal is recorded on the fetcher.
"""

import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)
# WeasyPrint reports each rendering step at INFO: noise in the workers' logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Relative URLs of the templates (`{% static %}` gives "/static/…") resolve against this
# origin, which exists nowhere (.invalid is reserved): only the fetcher below can answer it.
BASE_URL = "https://pdf.innovaction.invalid/"


class RefusedURL(ValueError):
    """A resource the PDF renderer must not read."""


@dataclass(frozen=True)
class FetchRecord:
    url: str
    allowed: bool
    reason: str = ""
    path: str = ""


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves the app's static files and `data:` URIs only."""

    def __init__(self):
        super().__init__(allowed_protocols={"https", "data"}, allow_redirects=False, fail_on_errors=False)
        self.requests: list[FetchRecord] = []

    @property
    def refused(self) -> list[FetchRecord]:
        return [record for record in self.requests if not record.allowed]

    @property
    def served_paths(self) -> list[str]:
        return [record.path for record in self.requests if record.allowed and record.path]

    def fetch(self, url, headers=None):
        try:
            response, path = self._serve(url)
        except RefusedURL as refusal:
            self.requests.append(FetchRecord(url=url[:300], allowed=False, reason=str(refusal)))
            logger.warning("PDF: resource refused: %s (%s)", url[:300], refusal)
            raise
        self.requests.append(FetchRecord(url=url[:300], allowed=True, path=path))
        return response

    def _serve(self, url: str) -> tuple[URLFetcherResponse, str]:
        parts = urlsplit(url)
        if parts.scheme.lower() == "data":
            return super().fetch(url), ""
        if f"{parts.scheme.lower()}://{parts.netloc.lower()}/" != BASE_URL:
            raise RefusedURL("seuls les fichiers statiques de l'application sont lus")
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL):
            raise RefusedURL("hors des fichiers statiques")
        relative = path.removeprefix(settings.STATIC_URL)
        segments = PurePosixPath(relative).parts
        if not segments or "\\" in relative or "\x00" in relative or any(s in {"..", "."} for s in segments):
            raise RefusedURL("chemin refusé")
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation as error:
            raise RefusedURL("chemin refusé") from error
        if not found:
            raise RefusedURL("fichier statique introuvable")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        body = Path(found).read_bytes()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type}), str(found)


def render_pdf(
    template_name: str,
    context: dict | None = None,
    *,
    fetcher: StaticFilesFetcher | None = None,
    language: str | None = None,
) -> bytes:
    """Render `template_name` (usually extending "pdf/base.html") to PDF bytes, in French
    unless `language` says otherwise. Context keys of the base layout: `pdf_title` (required),
    `pdf_period` (shown on the cover and in every page's footer), `generated_by` (optional);
    `organisation` and `generated_at` are filled in when absent. Pass a `fetcher` to inspect
    what the document asked for."""
    from innovaction.models import Organisation

    context = dict(context or {})
    context.setdefault("organisation", Organisation.current())
    context.setdefault("generated_at", timezone.now())
    context.setdefault("generated_by", "")
    context.setdefault("pdf_period", "")
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    fetcher = fetcher or StaticFilesFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(font_config=FontConfiguration(), pdf_tags=True)
