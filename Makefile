# Every target creates .venv and installs what it needs; nothing needs root.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DB ?= sqlite:///fusionatlas.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format format-check typecheck docs bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## make run: install, load the bundled atlas into SQLite, serve the web app on http://127.0.0.1:8000
run: install
	$(BIN)/fusionatlas --db $(DB) load
	$(BIN)/fusionatlas --db $(DB) serve --host $(HOST) --port $(PORT)

## make test: ruff's lint rules and format check, mypy, then the whole suite on every core, at most 4
## (pytest-xdist; WORKERS=0: in one process); PostgreSQL and browser tests skip without their servers,
## except under CI=true
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)
test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -n $(WORKERS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

## make format-check: whether `make format` would change a file (part of `make test`)
format-check: install
	$(BIN)/ruff format --check src tests benchmarks

## make typecheck: mypy over src/fusionatlas, configured in pyproject.toml (part of `make test`)
typecheck: install
	$(BIN)/mypy

## make docs: regenerate docs/cli.md's option reference from the commands' --help (tests/test_docs.py checks it)
docs: install
	$(BIN)/python -m fusionatlas.clidoc docs/cli.md

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## make eval: matching quality on labelled real needs, beside a plain BM25 baseline
eval: install
	$(BIN)/python -m fusionatlas.match.evaluate tests/data/needs_eval.yaml

## make bench: the benchmarks in benchmarks/, each beside its baseline (not run in CI)
bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) fusionatlas.db fusionatlas.db-wal fusionatlas.db-shm fusionatlas.db.index .pytest_cache .ruff_cache
