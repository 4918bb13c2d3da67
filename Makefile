# `make run` and `make test` do all set-up on a fresh machine (see README).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
FULLSCREEN_VERSION := 3.0.2
FULLSCREEN_DIR := static/vendor/leaflet.fullscreen

REPLICAS ?= $(shell nproc 2>/dev/null || echo 2)
PORT     ?= 8501
# pytest-xdist processes for `make test` and `make test-fast`
TEST_WORKERS ?= 2

.PHONY: setup assets browser-deps haproxy-deps run dev serve test test-fast lint bench check clean

setup: $(STAMP) assets

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11+ is needed: run make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Leaflet, MarkerCluster and jQuery come from their XStatic packages; the fullscreen
# plugin (not on PyPI) from the npm registry. Nothing is committed, nothing loads from a CDN.
assets: $(STAMP) $(FULLSCREEN_DIR)/Control.FullScreen.js
	$(PY) -m shahu assets

# Tried once: with no registry reachable (a venue) `make run` must not stall on it every time;
# `make clean` (or deleting $(FULLSCREEN_DIR)/.unavailable) tries again.
$(FULLSCREEN_DIR)/Control.FullScreen.js:
	@if [ -f $(FULLSCREEN_DIR)/.unavailable ]; then exit 0; fi; \
	if command -v npm >/dev/null 2>&1; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent --fetch-retries=1 --fetch-timeout=30000 \
	    leaflet.fullscreen@$(FULLSCREEN_VERSION) >/dev/null 2>&1) \
	  && mkdir -p $(FULLSCREEN_DIR) && tar -xzf $$tmp/leaflet.fullscreen-$(FULLSCREEN_VERSION).tgz -C $$tmp \
	  && cp $$tmp/package/Control.FullScreen.js $$tmp/package/Control.FullScreen.css $(FULLSCREEN_DIR)/ \
	  && cp $$tmp/package/icon-fullscreen.svg $(FULLSCREEN_DIR)/ 2>/dev/null; rm -rf $$tmp; \
	fi; \
	if [ ! -f $@ ]; then echo "note: npm unavailable, the map runs without its fullscreen button"; \
	  mkdir -p $(FULLSCREEN_DIR) && touch $(FULLSCREEN_DIR)/.unavailable; fi

# Browser tests need Debian's Chromium and CJK fonts; installed here when root (never a browser download).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "browser tests need: apt-get install chromium fonts-noto-cjk"; fi; \
	fi

# `make serve` and its tests put HAProxy (Debian's package) in front of the app; installed here when root.
haproxy-deps:
	@if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	  else echo "make serve and its tests need: apt-get install haproxy"; fi; \
	fi

run: setup
	$(PY) -m shahu.ops.serve  # `streamlit run app.py`, with the first visit warmed (shahu/ops/serve.py)

# For developers: reload on save (production settings in .streamlit/config.toml turn it off).
dev: setup
	$(PY) -m shahu.ops.serve --server.fileWatcherType auto --server.runOnSave true

# REPLICAS app processes (default: one per core) behind HAProxy on port $(PORT) (shahu/ops/replicas.py).
serve: setup haproxy-deps
	$(PY) -m shahu.ops.replicas --replicas $(REPLICAS) --port $(PORT)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: $(STAMP)
	$(PY) -m shahu check

# Tests live in tiers, one folder each: tests/unit, tests/apptest, tests/browser, tests/ops.
# Every tier, on TEST_WORKERS processes: the browser tier on one (its servers start once), the ops
# tier on one, the rest spread over what is left (`--dist loadgroup`, tests/conftest.py).
test: setup browser-deps haproxy-deps lint
	$(PY) -m shahu check
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The edit loop: the unit and AppTest tiers, no server, no browser.
test-fast: $(STAMP)
	$(PY) -m pytest -m "unit or apptest" -n $(TEST_WORKERS)

bench: setup browser-deps haproxy-deps
	$(PY) -m benchmarks.bench
	$(PY) -m benchmarks.load  # the QR moment: 100 sessions at once and over 10 s, floor page alongside

clean:
	rm -rf $(VENV) static/vendor test-output
