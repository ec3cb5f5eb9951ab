# The two commands: `make run` (start the service on the embedded default) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# `run` and `chat` need the runtime set only (requirements.txt); everything else the dev set.
RUNTIME := $(VENV)/.runtime-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: install run chat test lint typecheck check-knowledge eval eval-screening bench wording soak models clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.runtime-*
	touch $(RUNTIME)

$(STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* $(VENV)/.runtime-*
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

run: $(RUNTIME)
	@echo "Starting with development credentials and embedded storage (the server prints its address)."
	@echo "Chat with it:  curl -s localhost:$${PORT:-8000}/api/v1/chat -H 'content-type: application/json' \\"
	@echo "                 -d '{\"user\": \"demo\", \"text\": \"低保怎么申请\"}'"
	@echo "   or in another terminal (same HOST/PORT):  $(PY) -m bot chat"
	APP_ENV=development $(PY) server.py

chat: $(RUNTIME)
	$(PY) -m bot chat

lint: $(STAMP)
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy

check-knowledge: $(STAMP)
	$(PY) -m bot.knowledge check

eval: $(STAMP)
	$(PY) -m bot.knowledge eval

eval-screening: $(STAMP)
	$(PY) -m bot.dialogs.screening_eval

test: $(STAMP) lint typecheck check-knowledge
	$(PY) -m pytest -q

bench: $(STAMP)
	for script in bench/*.py; do PYTHONPATH=. $(PY) $$script || exit 1; done

wording: $(STAMP)
	$(PY) bench/wording_count.py

# Retrain the shipped danger and intent models (bot/*/…trained.npz) after editing their inputs.
models: $(STAMP)
	$(PY) -m bot train

soak: $(STAMP)
	PYTHONPATH=. $(PY) bench/load/soak.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tests/artifacts
