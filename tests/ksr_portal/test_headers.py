"""Headers (issue 11): no cache keeps what a logged-in user saw; no server banner."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_logged_in_pages_files_and_redirects_are_private_and_not_stored(client, personas, lsr):
    client.force_login(personas["animator"])
    for url in [
        reverse("ksr_portal:my_networks"),
        reverse("networks:member_list", args=[lsr.pk]),
        reverse("networks:member_export", args=[lsr.pk, "csv"]),
        reverse("networks:picture", args=[lsr.pk]),
        reverse("home"),  # a redirect
        "/nie-ma-takiej-strony/",  # an error page
    ]:
        cache_control = {v.strip() for v in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, url
        assert "public" not in cache_control, url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_banner():
    """gunicorn as the README starts it (from the project directory, its config file read)."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ksr_portal.settings.test"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "ksr_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--env",
            "DJANGO_SETTINGS_MODULE=ksr_portal.settings.test",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/konto/logowanie/")
                response = connection.getresponse()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        headers = {k.lower(): v for k, v in response.getheaders()}
        assert response.status == 200
        assert "server" not in headers, headers.get("server")
        assert "gunicorn" not in str(response.getheaders()).lower()
    finally:
        server.terminate()
        server.wait(timeout=30)
