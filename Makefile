# Gossip Lab: the two commands.
#   make serve   install what is missing, build the release app, serve it on http://127.0.0.1:$(PORT)
#   make test    install what is missing, then run every check in order, stopping at the first failure
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8080
# The npm-installed wasm-opt (binaryen 132) must come before any older system one (TOOLCHAIN.md).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER := /usr/bin/chromedriver
CARGO ?= cargo

.PHONY: help serve build test tools-build tools-test fmt clippy nostd unit browser release e2e bench bench-numpy bench-web

help:
	@echo "make serve   build the app and serve it on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test    run every check (installs what is missing first)"
	@echo "make bench   criterion benchmarks of the core (slow; not part of make test)"
	@echo "make bench-numpy  the runner against the numpy peer, timed in turns (installs numpy)"
	@echo "make bench-web  frame times of the built page in headless Chromium (not part of make test)"

tools-build:
	@scripts/ensure-tools.sh build

tools-test:
	@scripts/ensure-tools.sh test

build: tools-build
	trunk build --release --offline

serve: build
	python3 scripts/serve.py dist $(PORT)

test: tools-test fmt clippy nostd unit browser release e2e
	@echo "make test: every check passed"

fmt:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy --workspace --lib --bins --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy -p gossip-web --tests --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy -p gossip-core --all-targets --all-features -- -D warnings

# Proof that the core needs no `std`: a target that has none.
nostd:
	$(CARGO) build -p gossip-core --target thumbv7m-none-eabi
	$(CARGO) build -p gossip-core --target thumbv7m-none-eabi --features serde,rand_core

# The core's optional features (rand_core, serde) are tested on their own: `--workspace` builds
# none. `tests/serde.rs` and the runner (`--example lab`, `required-features = ["serde"]`) are
# compiled only with the `serde` feature, so `--workspace` skips them.
unit:
	$(CARGO) test --workspace
	$(CARGO) test -p gossip-core --all-features --lib --test serde --example lab
	@# No Yew component over 400 lines (its struct and every impl of it, across files).
	python3 scripts/component_lines.py | tail -1

# The app's own tests, compiled to wasm and run in headless Chromium by wasm-bindgen-test-runner.
browser:
	$(CARGO) test -p gossip-web --target wasm32-unknown-unknown

release:
	trunk build --release --offline

# The end-to-end tests also run the headless runner (`lab cluster`) against the page; the runner
# needs the core's `serde` feature.
e2e:
	$(CARGO) build -p gossip-core --features serde --example lab
	node e2e/run.mjs

bench:
	$(CARGO) bench -p gossip-core

# The runner against the vectorised numpy peer of the same Monte Carlo, timed in turns (medians
# of 11), then the peer's own figures. numpy comes from PyPI into a venv under target/.
NUMPY_VENV := target/numpy-venv
bench-numpy:
	test -x $(NUMPY_VENV)/bin/python || python3 -m venv $(NUMPY_VENV)
	$(NUMPY_VENV)/bin/python -c 'import numpy' 2>/dev/null || $(NUMPY_VENV)/bin/pip install -q numpy
	$(CARGO) build --release -p gossip-core --features serde --example lab
	$(NUMPY_VENV)/bin/python core/benches/numpy_peer.py --lab target/release/examples/lab --repeat 11
	$(NUMPY_VENV)/bin/python core/benches/numpy_peer.py --repeat 5

# Median and 95th-percentile frame times of the release page, per cluster size and speed, and
# whether the model budget per frame limited the speed (about 50 s).
bench-web: build
	node e2e/bench.mjs
