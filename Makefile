# The two commands: `make run` serves the portal with demo data; `make test` runs the whole suite.
# Both set up everything they need on a fresh Debian or Ubuntu machine.

.PHONY: run test lint setup setup-dev messages bench

run:
	@bash scripts/run.sh

test: setup-dev
	.venv/bin/python -m pytest

# The lint (ruff.toml) and the import contracts (.importlinter); CI runs it before the tests.
lint: setup-dev
	.venv/bin/ruff check .
	.venv/bin/lint-imports

setup:
	@bash scripts/setup.sh

setup-dev:
	@bash scripts/setup.sh --dev

messages:
	DEBUG=1 .venv/bin/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles
	DEBUG=1 .venv/bin/python manage.py compilemessages -l en --ignore=.venv


# Benchmarks (not part of pytest): PostgreSQL + Redis DB 6, gunicorn + Celery, writes bench/RESULTS.md.
# BENCH_ARGS=--rebuild re-seeds the bench_portal database from scratch. BENCH_SCALE=1 then measures the cost as
# the data grows (bench/scale.py: 1k, 10k and 100k members, own databases; BENCH_SCALE_ARGS=--rebuild re-seeds).
bench: setup-dev
	.venv/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements.txt
	.venv/bin/python -m bench.run $(BENCH_ARGS)
	$(if $(BENCH_SCALE),.venv/bin/python -m bench.scale $(BENCH_SCALE_ARGS))
# Fault drills (bench/drills/README.md): slow, real services, not part of pytest.
drills: setup-dev
	.venv/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements.txt
	@bash bench/drills/run_all.sh
