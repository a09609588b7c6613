#!/usr/bin/env bash
# Load test: gunicorn on 127.0.0.1 with production settings against PostgreSQL and demo data,
# signed in, then wrk at 50 connections for 30 s on each page. Prints requests/s, latency
# percentiles, errors (non-2xx/3xx responses + socket errors) and throughput relative to /healthz.
#
#   benchmarks/load.sh                      # the pages of the issue
#   LOAD_PAGES="/healthz /admin/login/" benchmarks/load.sh
#
# Environment: LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/loti_prod),
# LOAD_PORT (8765), LOAD_CONNECTIONS (50), LOAD_DURATION (30s), LOAD_THREADS (2),
# GUNICORN_WORKERS (4), LOAD_PAGES (default "/healthz /dashboard/ /placements/").
# Production-like except TLS: on loopback there is no proxy, so the HTTPS redirect and secure
# cookies are off (curl would not send a secure cookie over plain HTTP).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PORT="${LOAD_PORT:-8765}"
BASE="http://127.0.0.1:${PORT}"
CONNECTIONS="${LOAD_CONNECTIONS:-50}"
DURATION="${LOAD_DURATION:-30s}"
THREADS="${LOAD_THREADS:-2}"
PAGES="${LOAD_PAGES:-/healthz /dashboard/ /placements/}"
WORK="$(mktemp -d)"

export DJANGO_SETTINGS_MODULE=loti_portal.settings
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="load-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DATABASE_URL="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/loti_prod}"
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECURE_COOKIES=0
export EMAIL_URL=dummymail://   # required with DEBUG off; the run sends no mail
export DJANGO_LOG_LEVEL=WARNING   # 50 connections x 90 s of access lines would drown the figures
export GUNICORN_BIND="127.0.0.1:${PORT}"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-4}"
export GUNICORN_LOG_LEVEL=warning

GUNICORN_PID=""
cleanup() {
    if [[ -n "$GUNICORN_PID" ]]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
    echo "== Installing wrk (Debian package)"
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi

echo "== Preparing ${DATABASE_URL##*/}: migrations, reference and demo data, static files"
$PY manage.py migrate --noinput -v 0
if $PY manage.py help seed_reference_data >/dev/null 2>&1; then $PY manage.py seed_reference_data -v 0; fi
if $PY manage.py help load_demo_data >/dev/null 2>&1; then
    $PY manage.py load_demo_data -v 0
else
    echo "   (load_demo_data not in this build: pages will show whatever data the database holds)"
fi
$PY manage.py collectstatic --noinput -v 0

# A borough HR user of every borough: sees the dashboard and the largest placements list.
LOAD_EMAIL="load-test@loti.example"
LOAD_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')"
LOAD_EMAIL="$LOAD_EMAIL" LOAD_PASSWORD="$LOAD_PASSWORD" $PY manage.py shell -v 0 -c '
import os
from axes.utils import reset
from boroughs.models import Borough, Membership
from loti_portal.accounts.models import Role, User
user, _ = User.objects.get_or_create(email=os.environ["LOAD_EMAIL"], defaults={"role": Role.BOROUGH_HR})
user.set_password(os.environ["LOAD_PASSWORD"]); user.is_active = True; user.save()
for borough in Borough.objects.all():
    Membership.objects.get_or_create(user=user, borough=borough)
reset(username=os.environ["LOAD_EMAIL"])
from loti_portal.accounts.otp import ensure_totp_device
ensure_totp_device(user)  # HR users give a one-time code after the password
'

echo "== Starting gunicorn (${GUNICORN_WORKERS} workers) on ${GUNICORN_BIND}"
.venv/bin/gunicorn --config gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$BASE/healthz" >/dev/null || { echo "gunicorn did not start:"; cat "$WORK/gunicorn.log"; exit 1; }

echo "== Signing in as $LOAD_EMAIL"
JAR="$WORK/cookies"
curl -fs -c "$JAR" "$BASE/accounts/login/" >/dev/null
CSRF="$(awk '$6 == "csrftoken" {print $7}' "$JAR")"
LOCATION="$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -c "$JAR" \
    -H "Referer: $BASE/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "username=$LOAD_EMAIL" \
    --data-urlencode "password=$LOAD_PASSWORD" "$BASE/accounts/login/")"
if [[ "$LOCATION" == *"/accounts/login/"* ]]; then
    echo "Sign-in failed (redirected to '${LOCATION}')"; exit 1
fi
# The one-time code, as the user's authenticator app would show it now.
CODE="$(LOAD_EMAIL="$LOAD_EMAIL" $PY manage.py shell -v 0 -c '
import os
from django_otp.oath import TOTP
from loti_portal.accounts.models import User
from loti_portal.accounts.otp import first_device
d = first_device(User.objects.get(email=os.environ["LOAD_EMAIL"]))
print(f"{TOTP(d.bin_key, d.step, d.t0, d.digits, d.drift).token():06d}")
')"
CSRF="$(awk '$6 == "csrftoken" {print $7}' "$JAR")"  # rotated at sign-in
LOCATION="$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -c "$JAR" \
    -H "Referer: $BASE/accounts/code/" \
    --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "otp_token=$CODE" \
    "$BASE/accounts/code/")"
SESSION="$(awk '$6 == "sessionid" {print $7}' "$JAR")"
if [[ -z "$SESSION" || "$LOCATION" == *"/accounts/"* ]]; then
    echo "One-time code refused (redirected to '${LOCATION}')"; exit 1
fi
COOKIE="sessionid=$SESSION; csrftoken=$CSRF"

run_page() {  # page -> prints "rps p50 p75 p90 p99 non2xx3xx socket_errors"
    local page="$1" out="$WORK/wrk$(echo "$1" | tr '/' '_').txt"
    # 10 s timeout: a slow answer is a latency figure; only a real failure counts as an error.
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -H "Cookie: $COOKIE" "$BASE$page" >"$out"
    awk '
        /Requests\/sec:/ {rps = $2}
        /^ +50%/ {p50 = $2} /^ +75%/ {p75 = $2} /^ +90%/ {p90 = $2} /^ +99%/ {p99 = $2}
        /Non-2xx or 3xx responses:/ {bad = $5}
        /Socket errors:/ {gsub(",", ""); sock = $4 + $6 + $8 + $10}
        END {printf "%s %s %s %s %s %d %d\n", rps, p50, p75, p90, p99, bad, sock}
    ' "$out"
}

declare -A RESULT
for page in $PAGES; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$page")"
    if [[ "$status" != "200" ]]; then
        echo "   $page answers $status before the run (not built yet, or not for this user): skipped"
        continue
    fi
    echo "== $page: $CONNECTIONS connections for $DURATION"
    RESULT[$page]="$(run_page "$page")"
done

HEALTHZ_RPS="$(echo "${RESULT[/healthz]:-0}" | awk '{print $1}')"
echo
echo "== Results (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $GUNICORN_WORKERS gunicorn workers, $(nproc) CPU cores)"
printf "%-16s %10s %9s %9s %9s %9s %8s %14s\n" page "req/s" p50 p75 p90 p99 errors "of /healthz"
TOTAL_ERRORS=0
for page in $PAGES; do
    [[ -n "${RESULT[$page]:-}" ]] || continue
    read -r rps p50 p75 p90 p99 bad sock <<<"${RESULT[$page]}"
    errors=$((bad + sock)); TOTAL_ERRORS=$((TOTAL_ERRORS + errors))
    fraction="$(awk -v r="$rps" -v h="$HEALTHZ_RPS" 'BEGIN {if (h > 0) printf "%.2f", r / h; else print "n/a"}')"
    printf "%-16s %10s %9s %9s %9s %9s %8s %14s\n" "$page" "$rps" "$p50" "$p75" "$p90" "$p99" "$errors" "$fraction"
done
echo "errors = non-2xx/3xx responses + socket errors; total: $TOTAL_ERRORS"
[[ "$TOTAL_ERRORS" -eq 0 ]]
