#!/usr/bin/env bash
# `make run`: set up, load the demo data, then serve the portal on 127.0.0.1:$PORT with a Celery worker
# and beat on the filesystem broker. Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
bash scripts/setup.sh
port="${PORT:-8000}"

.venv/bin/python manage.py loaddemo > var/demo.txt
cat var/demo.txt

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A alliance worker --beat --loglevel=WARNING --concurrency=2 \
  --schedule var/celerybeat-schedule > var/worker.log 2>&1 &
pids+=($!)
.venv/bin/python manage.py runserver "127.0.0.1:$port" &
pids+=($!)

sleep 3
cat <<MSG

  门户网站   http://127.0.0.1:$port/
  管理后台   http://127.0.0.1:$port/admin/
  健康检查   http://127.0.0.1:$port/healthz
  邮件       var/mail/     任务日志  var/worker.log
MSG
grep -A20 "演示账号" var/demo.txt
echo "  Ctrl-C 停止"
wait
