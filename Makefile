# budget-kg tasks. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= build
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help install system-deps run extract build validate site serve test bench bench-large bench-quick clean

help:  ## list the tasks
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the package with its dev extras (idempotent)

system-deps:  ## Debian packages the tests need (chromium, CJK fonts; virtuoso-opensource); skipped when present
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "note: run as root (or install chromium and fonts-noto-cjk) for the browser tests"; fi; \
	fi
	@if ! command -v virtuoso-t >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	  else echo "note: run as root (or install virtuoso-opensource) for the remote-store tests"; fi; \
	fi

extract: install  ## documents -> facts JSON in $(OUT)/facts
	$(BIN)/kg extract data/samples --out $(OUT)/facts

run: install  ## the main job on the bundled samples: extract, build, validate, site, then serve
	$(BIN)/kg extract data/samples --out $(OUT)/facts
	$(BIN)/kg build $(OUT)/facts --out $(OUT)
	@# the samples really do not add up: report, do not stop the run (CI uses --fail-on)
	-$(BIN)/kg validate $(OUT) --format text | tail -n 1
	$(BIN)/kg site $(OUT) --out $(OUT)/site
	$(BIN)/kg serve --data $(OUT) --host $(HOST) --port $(PORT)

test: install system-deps  ## the whole test suite
	$(BIN)/python -m pytest

# a stage whose memory, estimated from the smaller scales, is over the limit is recorded as not run
# instead of being started to be killed; BENCH_ARGS adds options, e.g. BENCH_ARGS="--skip site@5000"
BENCH_SCALES ?= 100,1000,5000
BENCH_ARGS   ?=
bench: install  ## benchmarks at 100, 1000 and 5000 documents (slow: hours; BENCH_SCALES, BENCH_ARGS)
	$(BIN)/python -m bench.run --scales $(BENCH_SCALES) --skip-if-over-limit $(BENCH_ARGS)

bench-large: install  ## 100, 1000 and 5000 documents, one run per stage, the site left out at 5000 (≈ 30 min idle)
	$(BIN)/python -m bench.run --scales 100,1000,5000 --quick --skip site@5000 --skip-if-over-limit $(BENCH_ARGS)

bench-quick: install  ## benchmarks at the smallest scale (< 1 min)
	$(BIN)/python -m bench.run --scales 100 --quick

clean:  ## remove generated outputs
	rm -rf $(OUT) .pytest_cache
