# aftersales — two commands do everything on a fresh Debian machine with the Swift toolchain:
#   make run    install what is missing, build (release), run the pipeline on inputs/ into out/
#   make test   install what is missing, build, run every test
SWIFT   ?= swift
JOBS    ?= 2
INPUTS  ?= inputs
OUT     ?= out
RELEASE := .build/release
# Debian packages the build and the tests need (unzip: the tests read workbooks back; libcurl:
# mail delivery; python3-aiosmtpd and openssl: the delivery tests run a real SMTP server with a
# certificate they make).
DEB_PACKAGES := libxlsxwriter-dev pkg-config unzip libcurl4-openssl-dev python3-aiosmtpd openssl
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build run test golden demo-data clean

deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release -j $(JOBS) --product aftersales

# Exit code 1 means "reports written, some rows rejected": the demo data has deliberate bad rows.
run: build
	$(RELEASE)/aftersales daily --date latest --inputs $(INPUTS) --out $(OUT) --csv; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	$(RELEASE)/aftersales monthly --month latest --inputs $(INPUTS) --out $(OUT) --csv; rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo "reports are in $(OUT)/"

test: deps
	$(SWIFT) build -j $(JOBS)
	$(SWIFT) test -j $(JOBS)

# Rewrites the reference outputs of GoldenFileTests (Tests/EndToEndTests/Golden/) from the demo month:
# run it when a change to a figure or a table is intended, and review the diff before committing.
golden: deps
	$(SWIFT) build -j $(JOBS)
	GOLDEN_UPDATE=1 $(SWIFT) test -j $(JOBS) --filter GoldenFileTests

# Rewrites the committed demo month in inputs/ (deterministic: same seed, same bytes).
demo-data: deps
	$(SWIFT) build -c release -j $(JOBS) --product aftersales-datagen
	$(RELEASE)/aftersales-datagen --out $(INPUTS) --preset demo

clean:
	rm -rf .build out

# Kill safety (README "Reliability"): builds release into .build-torture, SIGKILLs `monthly` 24 times
# spread over its stages and checks every file, the manifest and the next run. A few minutes.
.PHONY: torture
torture: deps
	@missing=""; for p in python3 strace; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	[ -z "$$missing" ] || $(MAKE) deps DEB_PACKAGES="$$missing"
	SWIFT=$(SWIFT) JOBS=$(JOBS) bash Tests/Torture/kill.sh

# Performance benchmark (README "Performance"): month and month10 data generated into .build-bench/,
# daily and monthly 3 times each, the scales taking turns, against raw-scan, raw-xlsx and (one core)
# byte-floor baselines, and at the month scale against the pandas + XlsxWriter peer
# (bench/peer_pandas.py, in a venv under .build-bench/venv with bench/peer-requirements.txt); prints
# the figures and writes out/bench/results.csv. BENCH_SCALES=month for the month scale only, BENCH_RUNS=n for more runs.
PEER_VENV := .build-bench/venv
.PHONY: bench bench-peer
bench: deps bench-peer
	@dpkg -s time >/dev/null 2>&1 || $(MAKE) deps DEB_PACKAGES=time
	SWIFT=$(SWIFT) JOBS=$(JOBS) PEER_PYTHON=$(PEER_VENV)/bin/python bash bench/run.sh

# The peer's venv, (re)made when it is missing or its requirements changed: with the first python3 on
# the PATH (a pyenv CPython here); where that one cannot make a venv (Debian without python3-venv), with
# Debian's python3 and python3-venv installed.
bench-peer: $(PEER_VENV)/.installed
$(PEER_VENV)/.installed: bench/peer-requirements.txt
	@command -v python3 >/dev/null 2>&1 || $(MAKE) deps DEB_PACKAGES=python3
	rm -rf $(PEER_VENV)
	python3 -m venv $(PEER_VENV) 2>/dev/null || { rm -rf $(PEER_VENV); \
	  $(MAKE) deps DEB_PACKAGES="python3 python3-venv" && /usr/bin/python3 -m venv $(PEER_VENV); }
	$(PEER_VENV)/bin/python -m pip install -q --disable-pip-version-check -r bench/peer-requirements.txt
	touch $@

# Fuzzing (README "Fuzzing"): libFuzzer targets over the CSV scanner, the text decoding, the field
# parsers, the Loader's whole row path and the stages after it (ledger, reconciliation, reports),
# built with -sanitize=fuzzer,address into .build-fuzz/ (the loader and stages targets compile the
# package's modules there with SwiftPM). Runs each target's committed seeds, then fuzzes it for
# FUZZ_SECONDS on one core and prints executions, coverage and the result; exit 1 on a crash or a
# broken invariant, whose input is left in .build-fuzz/artifacts/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv decode fields loader stages
.PHONY: fuzz fuzz-build
fuzz-build:
	SWIFT=$(SWIFT) JOBS=$(JOBS) sh Fuzz/build.sh $(FUZZ_TARGETS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh Fuzz/run.sh $(FUZZ_TARGETS)
