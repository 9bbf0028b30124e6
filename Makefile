# One command to try the bot, one to test it. Both build the virtual environment themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: venv demo test unit lint format clean bench bench-quick image image-test

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"
	$(PIP) install -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

## make demo: throwaway Synapse on 127.0.0.1 + bot + walk-through; Ctrl-C stops everything
demo: $(STAMP)
	$(PY) -m kiwibot demo --dir .demo

## make test: lint and type check, then the whole suite (unit + integration against a real local Synapse)
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -p no:cacheprovider

## make image: the container image kiwibot:<version> with docker or podman, whichever works here
## (CA_CERTS=file-or-folder adds a site's CA certificates; see README, "Docker / Podman")
image:
	.ci/image build

## make image-test: builds the image (making the base locally when it cannot be pulled, installing podman and
## mmdebstrap when missing) and runs it against a throwaway Synapse: tests/container/
image-test: $(STAMP)
	PYTHON=$(PY) .ci/image test

## make bench: own Synapse on 127.0.0.1, benchmarks B1–B7, one table, written to bench/results.md (≈ 10 min)
bench: $(STAMP)
	$(PY) -m bench

## make bench-quick: the same code at small sizes (under a minute); the test suite runs it too
bench-quick: $(STAMP)
	$(PY) -m bench --quick

unit: $(STAMP)
	$(PY) -m pytest tests/unit

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache *.egg-info
