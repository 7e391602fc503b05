# Keepsake: two set-up commands for a fresh machine — `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NATIVE := $(VENV)/.native

.PHONY: install run test lint typecheck contracts unit bench-checks bench bench-smoke screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The optional native module (Rust): built when a toolchain is at hand, else the engine runs
# its Python path (scripts/build_native.py says which).
$(NATIVE): $(STAMP) native/Cargo.toml $(wildcard native/src/*.rs)
	$(PY) scripts/build_native.py
	touch $(NATIVE)

install: $(STAMP) $(NATIVE)

# Starts the local service (SQLite + a pack folder under the user data dir), makes a local account if
# there is none, then the app on top (headless without a display).
run: install
	$(PY) scripts/run_local.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

contracts: install
	$(VENV)/bin/lint-imports

# A failing run is repeated once for the tests that failed (`--lf`): a few GUI and latency tests
# measure time and can trip on a loaded machine. A real failure fails both runs.
unit: install
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest || \
	  { echo "retrying only the failed tests once"; QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest --lf; }

# The benchmark's own machinery (tree generator, restore verification, RSS measurement, tables):
# numbers from a benchmark whose checks never run are not worth much.
bench-checks: install
	$(VENV)/bin/pytest -q bench/test_bench.py

test: lint typecheck contracts unit bench-checks

bench: install
	$(PY) bench/run.py --runs 3

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench-smoke: install
	$(PY) bench/run.py --scale 0.05

# Every window and wizard page under Xvfb, as PNGs in screenshots/ (needs xvfb and trayer).
screenshots: install
	$(PY) scripts/screenshots.py
