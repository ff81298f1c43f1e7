# SPDX-License-Identifier: BSD-3-Clause
# A thin layer over CMakePresets.json. Every target first installs whatever
# Debian packages are missing (scripts/deps.sh; silent when none are).
#   make          build the default preset (gcc, RelWithDebInfo) in build/default
#   make demo     build, then run `sofsim demo`
#   make check    the full test run, as CI does it (scripts/check.sh)
#   make bench    build, then run every benchmark and print its table
#   make fuzz     build the fuzz preset and replay the fuzz regression corpora
#   make clean    remove build/

JOBS ?= 2

.PHONY: all build deps demo check bench fuzz clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake --preset default --log-level=WARNING
	cmake --build --preset default --parallel $(JOBS)

demo: build
	build/default/sim/sofsim demo

check: deps
	SOFSIM_JOBS=$(JOBS) bash scripts/check.sh

bench: build
	@bash scripts/bench.sh build/default/bench

fuzz: deps
	cmake --preset fuzz --log-level=WARNING
	cmake --build --preset fuzz --parallel $(JOBS)
	@bash scripts/fuzz.sh build/fuzz tests/fuzz/corpus

clean: deps
	rm -rf build
