#!/usr/bin/env bash
# The web tier under load (issue 18): Locust against gunicorn (3 workers) on PostgreSQL and Redis, with
# the synthetic county. Traffic goes to 127.0.0.1 only, for LOAD_RUN_TIME (180 s) per run, at each of
# LOAD_USERS (50 and 200) concurrent users; every process it starts is stopped when it ends. 180 s, not
# 60: at 50 users the rarest page (the dashboard quarter) is asked about 40 times in 180 s and 12 times
# in 60, and a p95 of 12 requests is their slowest one.
#
#   BENCH_DASHBOARD_DATABASE_URL  the county database (bin/bench fills it; default neglect_portal_dashboard_bench)
#   LOAD_PORT (8918), LOAD_RUN_TIME (180s), LOAD_USERS ("50 200"), LOAD_WORKERS (3)
#
# Users spawn over 5 s and each opens their first page after up to 10 s of reading, as every later page
# (bench/load/locustfile.py): the figures are those of fifty readers at work, not of a burst of fifty
# first requests in five seconds (before 6 December 2026, session 14, they were).
#
# Runs the app as production does (DEBUG off, collected static files, Redis broker and cache, a Celery
# worker), with a throwaway secret key and plain HTTP on the loopback. Users arrive signed in: see
# bench/load/setup.py for the sessions it prepares (nothing in the product changes). Prints
# throughput and p50/p95 per page (bench/load/report.py); exits 1 on any error, or when a page's p95
# at 50 users is over 0.5 s.
set -euo pipefail
cd "$(dirname "$0")/.."

out=var/load
mkdir -p "$out"
[ -x .venv/bin/locust ] || .venv/bin/python -m pip install --quiet "locust>=2.30,<3"

port="${LOAD_PORT:-8918}"
export DATABASE_URL="${BENCH_DASHBOARD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/neglect_portal_dashboard_bench}"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false BEHIND_TLS_PROXY=false SECURE_HSTS_SECONDS=0
export CELERY_BROKER_URL="${LOAD_BROKER_URL:-redis://127.0.0.1:6379/10}" CACHE_URL="${LOAD_CACHE_URL:-redis://127.0.0.1:6379/11}"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
export LOAD_FIXTURES="$out/fixtures.json"
# A key for this run only: the sessions prepared below are bound to it (Django hashes the user's password with it).
SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY

.venv/bin/python manage.py migrate --no-input -v 0  # the county database may predate the latest migrations
.venv/bin/python manage.py collectstatic --no-input -v 0
.venv/bin/python -m bench.load.setup
.venv/bin/celery -A neglect_portal purge -f >/dev/null

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  .venv/bin/python -m bench.load.setup forget || true  # the bench quarters' dashboard snapshots: bench/dashboard.py computes, never reads
}
trap stop EXIT
.venv/bin/gunicorn neglect_portal.wsgi:application --bind "127.0.0.1:$port" --workers "${LOAD_WORKERS:-3}" --timeout 60 --preload \
  --log-level warning --access-logfile /dev/null >"$out/gunicorn.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A neglect_portal worker --concurrency 1 --loglevel WARNING >"$out/celery.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$port/accounts/login/" && break; sleep 1; done
# Warm every worker (templates compiled, first connections made) before anything is measured.
.venv/bin/locust -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$port" --users 6 --spawn-rate 6 --run-time 20s \
  --stop-timeout 5 --only-summary --exit-code-on-error 0 >"$out/warm-up.log" 2>&1

prefixes=()
for users in ${LOAD_USERS:-50 200}; do
  echo "Load test: $users users for ${LOAD_RUN_TIME:-180s}..."
  .venv/bin/locust -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$port" --users "$users" \
    --spawn-rate "$(( users / 5 ))" --run-time "${LOAD_RUN_TIME:-180s}" --stop-timeout 10 --csv "$out/u$users" --only-summary \
    --exit-code-on-error 0 >"$out/u$users.log" 2>&1
  prefixes+=("$out/u$users")
done
.venv/bin/python -m bench.load.report "${prefixes[@]}"
