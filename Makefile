# Two commands: `make run` and `make test`. Everything else is a helper of those.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
KABAR  := $(VENV)/bin/kabar
OUT    ?= out/example

.PHONY: run test install install-test model model-e5 bench clean

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

# Rebuild the shipped NER models from ../shared/data/ner (fixed seed): the fast one and the e5 one.
model: install
	$(PY) -m kabar.nlp.train_ner --data ../shared/data/ner --out src/kabar/models/ner-id

model-e5: install
	$(KABAR) train ner --e5 --data ../shared/data/ner

clean:
	rm -rf $(VENV) out build *.egg-info
