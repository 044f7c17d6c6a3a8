#!/usr/bin/env python3
"""Load client of `make bench` (issue 7 item 5): logs in like a browser and measures the KSR and
ROPS dashboards against a minimal logged-in page, on loopback. Python standard library only
(threads + http.client); every loop is bounded and every request has a time limit.

The last two lines of the output are machine-readable:
    lsr_list_p95_ms=<national LSR list, filtered and paginated> lsr_list_ratio=<vs minimal>
    p95_ms=<KSR> ratio=<KSR/minimal> rops_p95_ms=<ROPS> rops_ratio=<ROPS/minimal> cache=off
The minimal view is measured for each user (same session, same middleware), so a ratio compares
a dashboard with a page that runs none of the portal's own queries. No dashboard figure is
cached (issue 16): every request reads the per-LSR summary rows.
"""

import argparse
import http.client
import math
import os
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOGIN_PATH = "/konto/logowanie/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class BenchError(Exception):
    pass


@dataclass
class Sample:
    label: str
    path: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cold_ms: float | None = None
    wall_s: float = 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of the successful requests."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

    def summary(self) -> str:
        n = len(self.latencies_ms)
        mean = sum(self.latencies_ms) / n if n else math.nan
        rps = n / self.wall_s if self.wall_s else math.nan
        cold = f"{self.cold_ms:.1f}" if self.cold_ms is not None else "-"
        return (
            f"{self.label:<16} {self.path:<24} n={n} errors={len(self.errors)} "
            f"cold={cold} p50={self.percentile(50):.1f} p95={self.percentile(95):.1f} "
            f"p99={self.percentile(99):.1f} max={max(self.latencies_ms, default=math.nan):.1f} "
            f"mean={mean:.1f} ms  {rps:.1f} req/s"
        )


class Client:
    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout

    def request(self, method: str, path: str, headers=None, body=None):
        """One request on a fresh connection (gunicorn's sync workers close it anyway)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, response.headers, data
        finally:
            conn.close()

    def wait_until_up(self, deadline_s: float) -> None:
        end = time.monotonic() + deadline_s
        last = ""
        while time.monotonic() < end:
            try:
                status, _headers, _body = self.request("GET", LOGIN_PATH)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.5)
        raise BenchError(f"the portal did not answer on {LOGIN_PATH} in {deadline_s:.0f} s: {last}")

    def login(self, username: str, password: str) -> str:
        """A normal login: GET the form (CSRF cookie + token), POST it; returns the Cookie header."""
        status, headers, body = self.request("GET", LOGIN_PATH)
        if status != 200:
            raise BenchError(f"GET {LOGIN_PATH}: HTTP {status}")
        cookies = SimpleCookie()
        for value in headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if "csrftoken" not in cookies or not match:
            raise BenchError("the login form has no CSRF cookie or token")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
        )
        status, headers, _body = self.request(
            "POST",
            LOGIN_PATH,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
                "Referer": f"http://{self.host}:{self.port}{LOGIN_PATH}",
            },
            body=form,
        )
        for value in headers.get_all("Set-Cookie") or []:
            cookies.load(value)
        if status != 302 or "sessionid" not in cookies or not cookies["sessionid"].value:
            raise BenchError(
                f"login of {username!r} failed (HTTP {status}); check the user and password"
            )
        return f"sessionid={cookies['sessionid'].value}; csrftoken={cookies['csrftoken'].value}"

    def measure(
        self,
        label: str,
        path: str,
        cookie: str,
        *,
        warmup: int,
        requests: int,
        concurrency: int,
        deadline_s: float,
    ) -> Sample:
        sample = Sample(label, path)
        headers = {"Cookie": cookie, "Accept": "text/html"}

        def one() -> float:
            started = time.perf_counter()
            status, _headers, body = self.request("GET", path, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise BenchError(f"GET {path}: HTTP {status}")
            if not body:
                raise BenchError(f"GET {path}: empty body")
            return elapsed

        # warm-up: the first request alone (its latency is reported as "cold"), then the rest
        # with the same concurrency as the measurement; one time limit covers the whole URL
        end = time.monotonic() + deadline_s
        try:
            sample.cold_ms = one()
        except (OSError, BenchError) as exc:
            raise BenchError(f"{label}: {exc}") from exc
        self._run(one, max(0, warmup - 1), concurrency, end, Sample(label, path))
        started = time.perf_counter()
        self._run(one, requests, concurrency, end, sample)
        sample.wall_s = time.perf_counter() - started
        return sample

    @staticmethod
    def _run(one, count: int, concurrency: int, end: float, sample: Sample) -> None:
        lock = threading.Lock()
        remaining = [count]

        def worker():
            while True:
                with lock:
                    if remaining[0] <= 0 or time.monotonic() > end:
                        return
                    remaining[0] -= 1
                try:
                    elapsed = one()
                except (OSError, BenchError) as exc:
                    with lock:
                        sample.errors.append(str(exc))
                    continue
                with lock:
                    sample.latencies_ms.append(elapsed)

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            # a request in flight ends by its own timeout at the latest
            thread.join(max(0.0, end - time.monotonic()) + 1)
        if remaining[0] > 0:
            sample.errors.append(f"time limit reached, {remaining[0]} request(s) not sent")


def parse_args(argv=None):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=env("BENCH_BASE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--ksr-url", default=env("KSR_URL", "/pulpit/kraj/"))
    parser.add_argument("--rops-url", default=env("ROPS_URL", "/pulpit/region/14/"))
    parser.add_argument("--minimal-url", default=env("MINIMAL_URL", "/konto/haslo/"))
    parser.add_argument(
        "--lsr-list-url", default=env("LSR_LIST_URL", "/pulpit/lsr/?missing=type_c&page=2")
    )
    parser.add_argument("--ksr-user", default=env("BENCH_KSR_USER", "ksr"))
    parser.add_argument("--rops-user", default=env("BENCH_ROPS_USER", "rops"))
    parser.add_argument("--password", default=env("BENCH_PASSWORD", "bench-ksr-2026"))
    parser.add_argument("--warmup", type=int, default=int(env("BENCH_WARMUP", "10")))
    parser.add_argument("--requests", type=int, default=int(env("BENCH_REQUESTS", "100")))
    parser.add_argument("--concurrency", type=int, default=int(env("BENCH_CONCURRENCY", "4")))
    parser.add_argument("--timeout", type=float, default=120.0, help="Per request, seconds.")
    parser.add_argument(
        "--deadline", type=float, default=600.0, help="Per URL (warm-up included), seconds."
    )
    parser.add_argument("--wait", type=float, default=60.0, help="For the server to answer.")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 10000 or not 0 <= args.warmup <= 1000:
        parser.error("--requests must be 1..10000 and --warmup 0..1000")
    if not 1 <= args.concurrency <= 64:
        parser.error("--concurrency must be 1..64")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    url = urllib.parse.urlsplit(args.base_url)
    if url.scheme != "http" or url.hostname not in LOOPBACK:
        print("error: the benchmark runs on loopback only (http://127.0.0.1:PORT)", file=sys.stderr)
        return 2
    client = Client(url.hostname, url.port or 80, args.timeout)
    options = {
        "warmup": args.warmup,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "deadline_s": args.deadline,
    }
    try:
        client.wait_until_up(args.wait)
        ksr_cookie = client.login(args.ksr_user, args.password)
        rops_cookie = client.login(args.rops_user, args.password)
        print(
            f"Measuring on {args.base_url}: {args.warmup} warm-up + {args.requests} measured "
            f"requests per URL, concurrency {args.concurrency}"
        )
        samples = {}
        for key, label, path, cookie in (
            ("minimal_ksr", "minimal (ksr)", args.minimal_url, ksr_cookie),
            ("ksr", "KSR dashboard", args.ksr_url, ksr_cookie),
            ("lsr_list", "LSR list", args.lsr_list_url, ksr_cookie),
            ("minimal_rops", "minimal (rops)", args.minimal_url, rops_cookie),
            ("rops", "ROPS dashboard", args.rops_url, rops_cookie),
        ):
            samples[key] = client.measure(label, path, cookie, **options)
            print(samples[key].summary(), flush=True)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    failed = [s for s in samples.values() if s.errors]
    for sample in failed:
        print(f"{sample.label}: {len(sample.errors)} error(s), e.g. {sample.errors[0]}")

    def ratio(dashboard: str, minimal: str) -> float:
        return samples[dashboard].percentile(95) / samples[minimal].percentile(95)

    rops_p95, ksr_p95 = samples["rops"].percentile(95), samples["ksr"].percentile(95)
    print(
        f"minimal_p95_ms={samples['minimal_ksr'].percentile(95):.1f} (ksr) "
        f"{samples['minimal_rops'].percentile(95):.1f} (rops)"
    )
    print(
        f"lsr_list_p95_ms={samples['lsr_list'].percentile(95):.1f} "
        f"lsr_list_ratio={ratio('lsr_list', 'minimal_ksr'):.2f}"
    )
    print(
        f"p95_ms={ksr_p95:.1f} ratio={ratio('ksr', 'minimal_ksr'):.2f} "
        f"rops_p95_ms={rops_p95:.1f} rops_ratio={ratio('rops', 'minimal_rops'):.2f} cache=off"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
