#!/usr/bin/env bash
# `make bench` (issue 7 item 5): a throwaway PostgreSQL with the full national data set, the
# portal under gunicorn with the production settings on 127.0.0.1, and the dashboards measured
# against a minimal logged-in page, plus (issue 16) the national LSR list, the confirmation of a
# 1,000-row import and a ~250-page agreement. The last line is
# `p95_ms=<KSR> ratio=<KSR/minimal> rops_p95_ms=<ROPS> rops_ratio=<ROPS/minimal> cache=off`.
# gunicorn and PostgreSQL are stopped afterwards, also on failure.
#
# Environment (all optional): KSR_URL, ROPS_URL, MINIMAL_URL (paths), BENCH_WORKERS (2-4,
# default 3), BENCH_REQUESTS (100), BENCH_WARMUP (10), BENCH_CONCURRENCY (4),
# BENCH_GENERATE_ARGS (e.g. "--gminas 300" for a quicker, smaller run).
set -euo pipefail
cd "$(dirname "$0")/.."

# Always a throwaway database: never the one DATABASE_URL may point to.
if [ "${KSR_BENCH_INSIDE:-}" != "1" ]; then
  exec env -u DATABASE_URL KSR_BENCH_INSIDE=1 .ci/with-postgres "$0" "$@"
fi

PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
WORK="$(mktemp -d /tmp/ksr-bench.XXXXXX)"
GUNICORN_PID=""

cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=benchmarks.bench_settings
SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1 DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media" LOG_LEVEL=WARNING
export BENCH_PASSWORD="${BENCH_PASSWORD:-bench-ksr-2026}"

echo "== migrate, collectstatic"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0

echo "== generate_national_dataset ${BENCH_GENERATE_ARGS:-}"
# shellcheck disable=SC2086
$PY manage.py generate_national_dataset ${BENCH_GENERATE_ARGS:-}

echo "== users ksr (KSR coordinator) and rops (ROPS coordinator, voivodeship 14, the largest: 314 LSRs)"
$PY manage.py shell -v 0 -c '
import os
from stakeholders.models import User, Voivodeship
from stakeholders.roles import Role
for username, role, code in (("ksr", Role.KSR, None), ("rops", Role.ROPS, "14")):
    user, _ = User.objects.get_or_create(username=username)
    user.role = role
    user.voivodeship = Voivodeship.objects.get(code=code) if code else None
    user.first_name, user.last_name = "Benchmark", username.upper()
    user.set_password(os.environ["BENCH_PASSWORD"])
    user.save()
'

echo "== heavy work: 1,000-row import confirmation, ~250-page agreement (rolled back)"
$PY benchmarks/heavy_work.py

PORT="$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
WORKERS="${BENCH_WORKERS:-3}"
echo "== gunicorn: $WORKERS workers on 127.0.0.1:$PORT (log: $WORK/gunicorn.log while it runs)"
$GUNICORN ksr_portal.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 180 --graceful-timeout 5 --log-level warning >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

set +e
$PY benchmarks/dashboards.py --base-url "http://127.0.0.1:$PORT" --wait 90
status=$?
set -e
if [ $status -ne 0 ] && [ -s "$WORK/gunicorn.log" ]; then
  echo "== gunicorn log (tail)" >&2
  tail -n 40 "$WORK/gunicorn.log" >&2
fi
exit $status
