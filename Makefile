# crashlens — the two quick-start commands are `make report` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Real data beside the project when it exists; otherwise crashlens falls back to the synthetic market.
ifndef CRASHLENS_DATA
ifneq ($(wildcard ../shared/data/raw/SOURCES.md),)
export CRASHLENS_DATA := $(abspath ../shared/data/raw)
endif
endif

.PHONY: install report test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[report,api,distributed,dev]'
	@touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	@for ev in 2025-11 2026-02; do for lang in en zh; do \
	  $(BIN)/crashlens report --event $$ev --lang $$lang --out reports/crashlens-$$ev-$$lang.html \
	    || exit 1; \
	done; done
	@if command -v chromium >/dev/null 2>&1; then \
	  $(BIN)/crashlens serve --screenshot reports/dashboard-2025-11.png \
	    || echo "warning: dashboard screenshot failed (the reports are written)"; \
	else echo "chromium not installed: skipping the dashboard screenshot"; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Two workers: the machines crashlens is tested on have two cores (the suite takes ~6.5 min
# there, ~10 min on one); tests that start processes of their own size them for that.
test: lint
	@$(BIN)/python -m pytest -q -n 2; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo 'pytest collected no tests'; exit 0; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache reports
