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
  kill -TERM "${pids[@]}" 2>/dev/null || true
  # A worker finishes the task in hand (warm shutdown); past ten seconds it is stopped outright.
  for _ in $(seq 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# Beat in a process of its own: embedded in the worker (--beat) it kept the worker from exiting after its warm
# shutdown.
.venv/bin/celery -A alliance worker --loglevel=WARNING --concurrency=2 > var/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A alliance beat --loglevel=WARNING --schedule var/celerybeat-schedule > var/beat.log 2>&1 &
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
