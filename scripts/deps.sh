#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install the Debian packages sofsim needs to build and test, if any are
# missing. Idempotent and silent when everything is present; runs apt-get
# (as root, or through sudo) only when something has to be installed.
set -euo pipefail

packages=(
	build-essential   # gcc, make, libc headers
	cmake             # >= 3.25 (Debian 12 ships 3.25)
	ninja-build       # the generator every preset uses
	pkg-config        # the install test's pkg-config consumer
	clang             # clang preset and libFuzzer targets
	libclang-rt-14-dev # clang's sanitizer and libFuzzer runtimes
	llvm              # llvm-symbolizer, for readable clang sanitizer reports
	libcmocka-dev     # the unit test framework
	valgrind          # the memcheck pass
	libyaml-dev       # topology loader
	libsndfile1-dev   # WAV DAI back end
	portaudio19-dev   # sound card DAI back end
)
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps.sh: not a Debian system (no dpkg-query); install these yourself: ${packages[*]}" >&2
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	if [[ $status != ii* ]]; then
		missing+=("$p")
	fi
done
((${#missing[@]} == 0)) && exit 0

sudo=()
if ((EUID != 0)); then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	else
		echo "deps.sh: missing packages: ${missing[*]}" >&2
		echo "deps.sh: not root and no sudo: install them as root" >&2
		exit 1
	fi
fi

echo "deps.sh: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
