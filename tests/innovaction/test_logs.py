"""What a request leaves in the logs: one line for a refused or missing page, the traceback
for a server error (settings.LOGGING, innovaction/logs.py)."""

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import path


@login_not_required
def _broken(request):
    raise RuntimeError("calcul impossible")


urlpatterns = [path("en-panne/", _broken)]


def _request_records(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.django_db
def test_a_refused_and_a_missing_page_log_one_line_without_traceback(client_for, elected, caplog):
    client = client_for(elected)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/import/").status_code == 403
        assert client.get("/projets/999999/").status_code == 404
    records = _request_records(caplog)
    assert [(record.levelname, record.status_code) for record in records] == [("WARNING", 403), ("WARNING", 404)]
    assert [record.exc_info for record in records] == [None, None]
    assert "Traceback" not in caplog.text
    assert "/import/" in caplog.text and "/projets/999999/" in caplog.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_keeps_its_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.get("/en-panne/").status_code == 500
    (record,) = _request_records(caplog)
    assert record.status_code == 500 and record.exc_info is not None
    assert "Traceback" in caplog.text and "RuntimeError: calcul impossible" in caplog.text
