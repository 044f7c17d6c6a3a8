"""200 concurrent survey submissions against gunicorn on PostgreSQL (issue 5).

Run with `make bench-surveys` (a throwaway PostgreSQL, production settings on 127.0.0.1).
Every simulated respondent GETs the general link (CSRF cookie, one-time submission key), then
POSTs a full ANKIETA; 20 of them POST a second time with the same key (a double click). The
script then checks that exactly one response per respondent was stored and prints the
throughput. Loopback only; bounded in count and time.
"""

import concurrent.futures
import http.client
import http.cookies
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ["SURVEY_RATE_LIMIT"] = "100000"
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="ksr-bench-static-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

SUBMISSIONS = int(os.environ.get("BENCH_SUBMISSIONS", "200"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
DOUBLES = 20
ANSWERS = {
    "q1": "Organizacja pozarządowa",
    "q2": "no",
    "q5": "yes",
    "q5_f1": "GOPS",
    "q6_1": "warsztaty",
    "q7": "yes",
    "q8_1": "kultura",
    "q9": "yes",
    "q9_f1": "zajęcia dla seniorów",
    "q10": "otwartość",
    "q11_1": "edukacja obywatelska",
}


def prepare():
    from networks.models import Network
    from networks.services.networks import lsr_create
    from stakeholders.models import Gmina, User
    from stakeholders.services import teryt_load
    from surveys.models import Campaign
    from surveys.services import campaigns as services_campaigns
    from surveys.services import responses as services

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Gmina.objects.filter(code="0603142").exists():
        teryt_load()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "admin", "is_superuser": True}
    )
    gmina = Gmina.objects.get(code="0603142")
    network = Network.objects.filter(tier="lsr", gmina=gmina).first() or lsr_create(
        user=admin,
        gmina=gmina,
        network=Network(name="LSR benchmark", variant="civic", initiators="benchmark"),
    )
    campaign = Campaign.objects.create(
        network=network,
        questionnaire=services.questionnaire_load_default(),
        title="Benchmark",
        audience="institutions",
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(hours=1),
    )
    return services_campaigns.campaign_launch(campaign=campaign)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def respondent(port: int, path: str, double: bool) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    page = conn.getresponse()
    body = page.read().decode()
    cookies = http.cookies.SimpleCookie()
    for header in page.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    key = re.search(r'name="submission_key" value="([^"]+)"', body).group(1)
    form = {
        **ANSWERS,
        "csrfmiddlewaretoken": token,
        "submission_key": key,
        "action": "submit",
        "website": "",
    }
    data = urllib.parse.urlencode(form)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookies.items()),
        "Referer": f"http://127.0.0.1:{port}{path}",
    }
    statuses = []
    for _ in range(2 if double else 1):
        conn.request("POST", path, body=data, headers=headers)
        answer = conn.getresponse()
        answer.read()
        statuses.append(answer.status)
    conn.close()
    return max(statuses)


def main() -> int:
    campaign = prepare()
    path = f"/ankieta/{campaign.public_token}/"
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "ksr_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(CONCURRENCY) as pool:
            statuses = list(
                pool.map(lambda i: respondent(port, path, i < DOUBLES), range(SUBMISSIONS))
            )
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = campaign.responses.count()
    bad = [s for s in statuses if s != 302]
    print(
        f"submissions={SUBMISSIONS} concurrency={CONCURRENCY} double_posts={DOUBLES} non_redirect_statuses={len(bad)}"
    )
    print(f"stored={stored} exactly_once={'yes' if stored == SUBMISSIONS else 'NO'}")
    print(f"seconds={elapsed:.2f} throughput_per_s={SUBMISSIONS / elapsed:.1f}")
    return 0 if stored == SUBMISSIONS and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
