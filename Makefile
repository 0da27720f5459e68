# The two commands: `make demo` runs Slate, `make test` runs the tests.
# Each installs what is missing into .venv first (torch pinned and first: a loose torch pulls GB of CUDA wheels).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-all bench install lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade --quiet pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m bot

# pytest exits 5 when no test ran: that is a failure here, not a pass.
test: $(STAMP)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests ran" >&2; exit 1; fi; exit $$rc

test-all: PYTEST_ARGS = -m ''
test-all: test

bench: $(STAMP)
	$(PY) -m benchmarks.engine_overhead

clean:
	rm -rf $(VENV) .pytest_cache

lint: $(STAMP)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .
