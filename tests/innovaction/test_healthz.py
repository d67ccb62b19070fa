import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, so stopping it disturbs nothing else."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is required (make test installs it)"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield process, f"redis://:s3cret-pass@127.0.0.1:{port}/0"
    process.kill()
    process.wait()


@pytest.mark.django_db
def test_healthz_is_ok_with_the_database_and_no_redis_configured(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "services": {"database": "ok"}}


@pytest.mark.django_db
def test_healthz_names_redis_when_it_stops_and_reveals_no_secret(client, settings, own_redis):
    process, url = own_redis
    settings.REDIS_URL = url.replace(":s3cret-pass@", "@")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["services"] == {"database": "ok", "redis": "ok"}

    process.terminate()
    process.wait(timeout=10)
    settings.REDIS_URL = url
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["services"]["database"] == "ok"
    assert body["services"]["redis"].startswith("down")
    assert "s3cret" not in response.text and "127.0.0.1" not in response.text
    assert response["Cache-Control"].startswith("max-age=0")
