# Two commands: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KABAR  := $(VENV)/bin/kabar
OUT    ?= out/example

.PHONY: run test install install-test model bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(KABAR) analyze examples/seeds --out $(OUT)

test: install-test
	$(PY) -m pytest -q -p no:cacheprovider

# Rebuild the shipped NER model from ../shared/data/ner (fixed seed).
model: install
	$(PY) -m kabar.nlp.train_ner --data ../shared/data/ner --out src/kabar/models/ner-id

clean:
	rm -rf $(VENV) out build *.egg-info
