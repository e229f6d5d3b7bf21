#!/usr/bin/env bash
# Runs every fault drill in turn; exits non-zero if any failed. See bench/drills/README.md.
set -u
cd "$(dirname "$0")/../.."
status=0
for drill in worker_kill redis_down postgres_restart multi_machine; do
  echo "=== drill: ${drill} ==="
  timeout 900 .venv/bin/python "bench/drills/${drill}.py" || { echo "=== drill ${drill} FAILED ==="; status=1; }
done
exit $status
