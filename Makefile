# The two commands: `make demo` runs Slate, `make test` runs the tests.
# Each installs what is missing into .venv first (torch pinned and first: a loose torch pulls GB of CUDA wheels).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Blender as a Python module (bpy, for the 3D previz) lives in its own venv: it pins numpy<2 and is
# process-global, so Slate drives it in a worker process (tools/blender_client.py).
BLENDER_PYTHON ?= python3.11
BLENDER_VENV := .venv-blender
BLENDER_STAMP := $(BLENDER_VENV)/.installed
BPY_VERSION := 5.0.1

.PHONY: demo test test-all bench install browser lint clean

$(BLENDER_STAMP):
	test -x $(BLENDER_VENV)/bin/python || $(BLENDER_PYTHON) -m venv $(BLENDER_VENV)
	$(BLENDER_VENV)/bin/python -m pip install --upgrade --quiet pip
	$(BLENDER_VENV)/bin/python -m pip install --quiet bpy==$(BPY_VERSION)
	$(BLENDER_VENV)/bin/python -c 'import bpy; assert bpy.app.version_string.startswith("$(BPY_VERSION)")'
	touch $(BLENDER_STAMP)

$(STAMP): pyproject.toml | $(BLENDER_STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m bot

# The browser tests (tests/browser) drive Debian's Chromium: scripts/install-browser puts it in with
# apt-get when it is missing, silently when it is there. `make demo` needs no browser. When it cannot be
# installed the tests still run, and the browser tests fail saying why (they never skip).
browser:
	@scripts/install-browser || echo "make test: Chromium is missing: the browser tests will fail" >&2

# pytest exits 5 when no test ran: that is a failure here, not a pass.
test: $(STAMP) browser
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests ran" >&2; exit 1; fi; exit $$rc

test-all: PYTEST_ARGS = -m ''
test-all: test

bench: $(STAMP)
	$(PY) -m benchmarks.engine_overhead

clean:
	rm -rf $(VENV) $(BLENDER_VENV) .pytest_cache test-artifacts

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
