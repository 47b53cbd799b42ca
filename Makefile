# The two commands a new user needs: `make demo` and `make test`. Both bootstrap first.
VENV := .venv/bin
export MPLCONFIGDIR := $(CURDIR)/.venv/.mplconfig
export SOURCE_DATE_EPOCH ?= 1790000000

.PHONY: bootstrap demo test lint typecheck unit samples docs bench clean

bootstrap:
	@bash scripts/bootstrap.sh

demo: bootstrap
	$(VENV)/engage demo --out reports/demo

lint: bootstrap
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

typecheck: bootstrap
	$(VENV)/mypy

unit: bootstrap
	$(VENV)/pytest -q

test: lint typecheck unit

samples: bootstrap
	$(VENV)/python -m audit.samples sample_reports

docs: bootstrap
	$(VENV)/python -m audit.docs

bench: bootstrap
	$(VENV)/pip install -q -c constraints.txt -e '.[bench]'
	$(VENV)/python bench/crawl_vs_scrapy.py

clean:
	rm -rf .venv reports .pytest_cache .mypy_cache .ruff_cache
