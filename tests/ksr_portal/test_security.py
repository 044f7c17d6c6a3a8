import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_security_headers_and_csp(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts(client, personas):
    client.force_login(personas["admin"])
    for url in [reverse("login"), reverse("ksr_portal:administration")]:
        body = client.get(url).content.decode()
        for chunk in body.split("<script")[1:]:
            assert chunk.split(">", 1)[0].strip().startswith("src="), chunk[:80]
        assert " onclick=" not in body and " style=" not in body


def test_session_and_csrf_cookies_are_http_only(client, personas):
    client.post(reverse("login"), {"username": "anim", "password": "secret-pass-123"})
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


def test_unknown_url_is_a_polish_404(client):
    response = client.get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nie znaleziono strony" in body
    assert "Traceback" not in body and "urlpatterns" not in body


def test_server_error_shows_no_traceback(client, monkeypatch):
    from ksr_portal.home import views

    class Exploding(dict):
        def get(self, *args):
            raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "HOME_BY_ROLE", Exploding())
    client.raise_request_exception = False
    with override_settings(DEBUG=False):
        client.force_login(UserFactory())
        response = client.get(reverse("home"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "Błąd serwera" in body
    assert "secret internals" not in body and "Traceback" not in body


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ksr_portal.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ksr.example.gov.pl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://u@127.0.0.1:1/x"),
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_demo_data_and_weak_secret():
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "ksr_portal.settings.prod"}
    base.pop("DEBUG", None)
    env = {
        **base,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "ksr.example.gov.pl",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:////tmp/none.sqlite3"),
    }
    demo = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert demo.returncode != 0
    assert "never loaded in production" in demo.stderr
    weak = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "SECRET_KEY": "short"},
        capture_output=True,
        text=True,
    )
    assert weak.returncode != 0
    assert "SECRET_KEY" in weak.stderr
