# Two commands do all the set-up on a fresh machine:
#   make run    install into .venv and start the server with every bundled service on port 5000
#   make test   install into .venv and run the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STATE  ?= state
PORT   ?= 5000

.PHONY: install install-test run test bench bench-platform bench-quality image lock clean

# Exact versions from the lock files, then the project itself without touching them.
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; Python 3.11 is required (PYTHON=... to choose)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml deploy/debian-packages.txt | $(BIN)/python
	sh deploy/debian-packages.sh
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock deploy/debian-packages-test.txt
	sh deploy/debian-packages.sh deploy/debian-packages-test.txt || echo "make: the tests that need them are skipped"
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

# An old SDK the tests drive against its old API version (it cannot share .venv with the current
# release of the same package): azure-ai-formrecognizer 3.1.x speaks Form Recognizer v2.1
# (tests/document/test_formrecognizer_v21_sdk.py runs tests/document/fr31_client.py with it).
FR31 := .venv-fr31
FR31_REQUIREMENT := azure-ai-formrecognizer==3.1.2

$(FR31)/.installed: requirements-fr31.lock | $(BIN)/python
	rm -rf $(FR31) && $(BIN)/python -m venv $(FR31)
	$(FR31)/bin/pip install --quiet -r requirements-fr31.lock
	touch $@

# The same for the Translator: azure-ai-translation-text 1.0.x speaks Text Translation 3.0, 2.x (in
# .venv) 2026-06-06 (tests/translator/test_sdk_v1.py runs tests/translator/v1_client.py with it).
TRANSLATION1 := .venv-translation1

$(TRANSLATION1)/.installed: requirements-translation1.lock | $(BIN)/python
	rm -rf $(TRANSLATION1) && $(BIN)/python -m venv $(TRANSLATION1)
	$(TRANSLATION1)/bin/pip install --quiet -r requirements-translation1.lock
	touch $@

# Microsoft's Azure ML inference server (azmlinfsrv: Flask, gunicorn), the reference that
# tests/scoring/test_differential.py and bench/score_server.py run `airgap score` against; its own
# environment so that its pins (Flask, pydantic 2.12, wrapt) stay out of .venv. With numpy,
# scikit-learn and onnxruntime at .venv's versions, so that both servers run the same scripts.
AZMLINFSRV := .venv-azmlinfsrv
AZMLINFSRV_REQUIREMENT := azureml-inference-server-http==1.5.1 numpy==2.4.6 scikit-learn==1.9.1 onnxruntime==1.32.0

$(AZMLINFSRV)/.installed: requirements-azmlinfsrv.lock | $(BIN)/python
	rm -rf $(AZMLINFSRV) && $(BIN)/python -m venv $(AZMLINFSRV)
	$(AZMLINFSRV)/bin/pip install --quiet -r requirements-azmlinfsrv.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(FR31)/.installed $(TRANSLATION1)/.installed $(AZMLINFSRV)/.installed

# A development licence authority and a licence for every bundled service live in $(STATE)/
# (created on first run, reused after): the server runs in disconnected mode, as in production.
# The CLU example project (examples/conversations/) is trained and deployed on first run.
run: install
	$(BIN)/airgap dev serve --state $(STATE) --examples examples Port=$(PORT)

test: install-test
	$(BIN)/python -m pytest

bench: install-test
	$(BIN)/python bench/language_detection.py

# What the platform costs per request: airgap (licensed, metered) beside the bare Starlette ceiling
# of ../shared/perf, alternating rounds, wrk at c=16 and c=64, 1 and 2 workers; prints the ratios.
bench-platform: install-test
	$(BIN)/python bench/platform_overhead.py
	$(BIN)/python bench/platform_inprocess.py

# Quality on the held-out evaluation sets (tests/data/quality): every tests/quality module's figures.
bench-quality: install-test
	$(BIN)/python bench/quality.py

# Images, built locally (no registry): the Debian base, then one image per service (language,
# conversations, anomaly, vision, document, translator, speech), inference, all and the nginx front.
# docs/deployment.md has the docker run, compose and Helm commands.
image: | $(BIN)/python
	PYTHON=$(BIN)/python deploy/docker/build.sh

# Re-resolve the pins from pyproject.toml (needs the package registry). requirements.lock covers
# every service's extra (`all`) and the score server's (`scoring`); the images install one extra
# each, constrained by it.
# Pins already in the lock files are kept (an upgrade is its own change: `make lock KEEP_PINS=`);
# only what pyproject.toml added is resolved anew. A kept pin that a new requirement contradicts is
# named in LOCK_RELEASE (e.g. `make lock LOCK_RELEASE='wrapt|numpy'`) and resolved again.
KEEP_PINS ?= 1
LOCK_RELEASE ?= ^$$
lock:
	rm -rf /tmp/airgap-lock && $(PYTHON) -m venv /tmp/airgap-lock
	/tmp/airgap-lock/bin/pip install --quiet --upgrade pip
	cat requirements.lock requirements-test.lock | grep -viE '^($(LOCK_RELEASE))==' > /tmp/airgap-lock-pins.txt
	/tmp/airgap-lock/bin/pip install --quiet $(if $(KEEP_PINS),-c /tmp/airgap-lock-pins.txt) ".[all,scoring]"
	/tmp/airgap-lock/bin/pip freeze --exclude airgap > requirements.lock
	/tmp/airgap-lock/bin/pip install --quiet $(if $(KEEP_PINS),-c /tmp/airgap-lock-pins.txt) ".[test]"
	/tmp/airgap-lock/bin/pip freeze --exclude airgap | grep -vxFf requirements.lock > requirements-test.lock || true
	rm -rf /tmp/airgap-lock-fr31 && $(PYTHON) -m venv /tmp/airgap-lock-fr31
	/tmp/airgap-lock-fr31/bin/pip install --quiet "$(FR31_REQUIREMENT)"
	/tmp/airgap-lock-fr31/bin/pip freeze > requirements-fr31.lock
	rm -rf /tmp/airgap-lock-azmlinfsrv && $(PYTHON) -m venv /tmp/airgap-lock-azmlinfsrv
	/tmp/airgap-lock-azmlinfsrv/bin/pip install --quiet $(AZMLINFSRV_REQUIREMENT)
	/tmp/airgap-lock-azmlinfsrv/bin/pip freeze > requirements-azmlinfsrv.lock

clean:
	rm -rf $(VENV) $(FR31) $(AZMLINFSRV) $(STATE)
