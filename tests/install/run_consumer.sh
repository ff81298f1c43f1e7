#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install a sofsim build into a temporary prefix, then build and run the
# consumer program against it twice: through find_package(sofsim) and through
# pkg-config. Each time a checked module (consumer/plant.c) is built beside it
# as a shared object (sofsim_add_module(), or the .pc file's instrument_*
# variables) and the program dlopen()s it. Run by CTest as install/consumer
# (see CMakeLists.txt here).
# Exits 0 on success, 1 on any failure; keeps the temporary tree on failure.
set -euo pipefail

build_dir='' consumer_dir='' cc='' generator='' version='' shared=OFF san_flags=''
for arg in "$@"; do
	case $arg in
	--build-dir=*) build_dir=${arg#*=} ;;
	--consumer-dir=*) consumer_dir=${arg#*=} ;;
	--cc=*) cc=${arg#*=} ;;
	--generator=*) generator=${arg#*=} ;;
	--version=*) version=${arg#*=} ;;
	--shared=*) shared=${arg#*=} ;;
	--sanitize-flags=*) san_flags=${arg#*=} ;;
	*) echo "run_consumer.sh: unknown argument '$arg'" >&2; exit 2 ;;
	esac
done
for v in build_dir consumer_dir cc generator version; do
	if [[ -z ${!v} ]]; then
		echo "run_consumer.sh: missing --${v//_/-}" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sofsim-install.XXXXXX")
ok=0
cleanup() {
	if [[ $ok == 1 ]]; then
		rm -rf "$tmp"
	else
		echo "install/consumer: FAILED; files kept in $tmp" >&2
	fi
}
trap cleanup EXIT

step() { echo "== $*"; }

# Run a command quietly; show its output only when it fails.
quiet() {
	local log=$tmp/step.log
	if ! "$@" >"$log" 2>&1; then
		cat "$log" >&2
		echo "install/consumer: command failed: $*" >&2
		return 1
	fi
}

prefix=$tmp/prefix
step "cmake --install $build_dir --prefix $prefix"
quiet cmake --install "$build_dir" --prefix "$prefix"

# What a user expects to find; the library directory depends on GNUInstallDirs.
libname=libsofsim.a
[[ $shared == ON ]] && libname=libsofsim.so
lib=$(find "$prefix" -name "$libname" -print -quit)
pc=$(find "$prefix" -name sofsim.pc -path '*/pkgconfig/*' -print -quit)
config=$(find "$prefix" -name sofsimConfig.cmake -print -quit)
for f in "$prefix/include/sofsim/version.h" "$prefix/include/sofsim/export.h" \
	"$prefix/include/sofsim/variant.h" "$lib" "$pc" "$config" "$prefix/bin/sofsim" \
	"$(dirname "$config")/SofsimInstrument.cmake"; do
	if [[ -z $f || ! -f $f ]]; then
		echo "install/consumer: missing from the installed tree: ${f:-$libname/sofsim.pc/sofsimConfig.cmake}" >&2
		find "$prefix" >&2
		exit 1
	fi
done
libdir=$(dirname "$lib")

# 1. CMake package. The user package registry is off so only the prefix counts.
step "find_package(sofsim $version EXACT) consumer"
quiet cmake -S "$consumer_dir" -B "$tmp/cmake-build" -G "$generator" \
	-DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
	-DCMAKE_C_FLAGS="$san_flags" -DCMAKE_EXE_LINKER_FLAGS="$san_flags" \
	-DSOFSIM_EXPECTED_VERSION="$version"
quiet cmake --build "$tmp/cmake-build"
"$tmp/cmake-build/consumer"

# 2. pkg-config. A static libsofsim needs Libs.private (-lpthread): --static.
step "pkg-config consumer"
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
pc_version=$(pkg-config --modversion sofsim)
if [[ $pc_version != "$version" ]]; then
	echo "install/consumer: pkg-config reports version '$pc_version', expected '$version'" >&2
	exit 1
fi
pc_static=--static
[[ $shared == ON ]] && pc_static=
# shellcheck disable=SC2086 # $pc_static is empty or one word
read -r -a pc_flags <<<"$(pkg-config --cflags --libs $pc_static sofsim)"
read -r -a extra <<<"$san_flags"
# The module: compiled through the installed launcher (run directly, so it
# must be installed executable) with the instrumentation flags, linked
# without libsofsim; the program keeps and exports the checker for it.
instrument_cc=$(pkg-config --variable=instrument_cc sofsim)
instrument_syms=$(pkg-config --variable=instrument_syms sofsim)
read -r -a instrument_cflags <<<"$(pkg-config --variable=instrument_cflags sofsim)"
read -r -a host_ldflags <<<"$(pkg-config --variable=module_host_ldflags sofsim)"
quiet "$instrument_cc" "$instrument_syms" "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}" \
	"${instrument_cflags[@]}" -fPIC -c "$consumer_dir/plant.c" -o "$tmp/plant-pc.o"
quiet "$cc" -shared "$tmp/plant-pc.o" -o "$tmp/plant-pc.so"
quiet "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}" \
	-DSOFSIM_EXPECTED_VERSION="\"$version\"" -DSOFSIM_MODULE_PATH="\"$tmp/plant-pc.so\"" \
	"$consumer_dir/main.c" "${pc_flags[@]}" "${host_ldflags[@]}" -o "$tmp/consumer-pc"
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/consumer-pc"

ok=1
echo "install/consumer: both consumers and their checked modules built and ran against the installed sofsim $version"
