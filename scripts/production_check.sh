#!/usr/bin/env bash
# The production path as the README gives it, proved on this machine: a clean virtualenv from requirements.txt
# alone (no test tool in it), DEBUG off, PostgreSQL, Redis, gunicorn and a Celery worker. Passes when /healthz
# answers 200 and the worker has rendered the demo's certificates. Needs PostgreSQL and Redis answering on
# 127.0.0.1 (as .ci/run makes sure); uses its own database, Redis databases, port and folders, removed after.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PRODUCTION_CHECK_PORT:-8799}"
db=alliance_production_check
work="$(mktemp -d)"
pids=()
finish() {
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  dropdb -h 127.0.0.1 -U postgres --if-exists "$db" 2>/dev/null || true
  rm -rf "$work"
}
trap finish EXIT

echo "production check: a clean virtualenv from requirements.txt alone"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt
if "$work/venv/bin/python" -c "import pytest" 2>/dev/null; then
  echo "production check: pytest is importable, so this is not the production install" >&2
  exit 1
fi

dropdb -h 127.0.0.1 -U postgres --if-exists "$db"
createdb -h 127.0.0.1 -U postgres "$db"
redis-cli -h 127.0.0.1 -n 5 flushdb >/dev/null

export DEBUG=0 SECRET_KEY="production-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
       ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" \
       CELERY_BROKER_URL=redis://127.0.0.1:6379/5 VAR_DIR="$work/var" MEDIA_ROOT="$work/media" \
       STATIC_ROOT="$work/static" EMAIL_FILE_PATH="$work/mail" SITE_URL="https://127.0.0.1:$port"
py="$work/venv/bin/python"
"$py" manage.py migrate --noinput -v 0
"$py" manage.py build_pdf_fonts
"$py" manage.py collectstatic --noinput -v 0
"$py" manage.py check --deploy --fail-level WARNING

"$work/venv/bin/gunicorn" alliance.wsgi --bind "127.0.0.1:$port" --workers 2 > "$work/web.log" 2>&1 &
pids+=($!)
"$work/venv/bin/celery" -A alliance worker --loglevel=INFO --concurrency=1 > "$work/worker.log" 2>&1 &
pids+=($!)

health=""
for _ in $(seq 60); do
  # The TLS-terminating proxy of the README sets X-Forwarded-Proto; without it the portal redirects to https.
  health="$(curl -s -o "$work/health.json" -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
            "http://127.0.0.1:$port/healthz" || true)"
  [ "$health" = 200 ] && break
  sleep 1
done
if [ "$health" != 200 ]; then
  echo "production check: /healthz answered ${health:-nothing}" >&2
  cat "$work/health.json" "$work/web.log" >&2 || true
  exit 1
fi
echo "production check: /healthz 200 $(cat "$work/health.json")"

# The demo admits members through the services; their certificates are rendered by the worker above.
"$py" manage.py loaddemo > /dev/null
check='
from members.models import Certificate
rows = Certificate.objects.values_list("status", flat=True)
print(len(rows), sum(status == "ready" for status in rows))'
for _ in $(seq 120); do
  read -r total ready < <("$py" manage.py shell --no-imports -c "$check" 2>/dev/null | tail -1)
  if [ "${total:-0}" -gt 0 ] && [ "$ready" = "$total" ]; then
    echo "production check: the worker rendered $ready of $total certificates"
    exit 0
  fi
  sleep 1
done
echo "production check: certificates ready ${ready:-?} of ${total:-?}" >&2
tail -50 "$work/worker.log" >&2
exit 1
