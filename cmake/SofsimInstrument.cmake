# SPDX-License-Identifier: BSD-3-Clause
# Code that runs on emulated threads, checked under enforce=check.
#
# One file serves the source tree (include(SofsimInstrument) through
# CMAKE_MODULE_PATH) and the installed CMake package (sofsimConfig.cmake
# includes it from lib/cmake/sofsim/ after pointing SOFSIM_INSTRUMENT_CC and
# SOFSIM_CHK_REDEFINE at the installed launcher and renaming list), so an
# out-of-tree module is compiled exactly like the tree's own checked code.
#
# sofsim_instrument(<target>)
#   Compiles <target>'s C sources so that every load and store calls the
#   enforce checker: the compiler's kernel-address instrumentation as outline
#   callbacks (call threshold 0; stack and globals instrumentation off), then
#   objcopy renames the callbacks and memcpy/memset/memmove/str* to the
#   sofsim__chk_* functions (sofsim_chk.redefine). Use it on OBJECT, STATIC,
#   MODULE or SHARED libraries holding code that runs on emulated threads. A
#   -fsanitize=address coming from global flags is switched off for them
#   (ASan's instrumentation cannot be combined with kernel-address); do not
#   link sofsim_sanitizers into them, only into the executable.
#
# sofsim_add_variants(<name> SOURCES <src>...)
#   The same sources built twice, as OBJECT libraries <name>_plain and
#   <name>_checked (the latter through sofsim_instrument), compiled with
#   -DSOFSIM_VARIANT=plain and -DSOFSIM_VARIANT=checked. With
#   <sofsim/variant.h> each build defines differently named functions and ops
#   tables, so both link into one program and code picks one per context with
#   sofsim_checked(): off and verify never run instrumented code.
#
# sofsim_add_module(<name> SOURCES <src>... [SHARED])
#   A module loaded with dlopen(): a MODULE (or SHARED) library compiled with
#   sofsim_instrument and the sofsim headers, linked WITHOUT libsofsim. Its
#   sofsim__chk_* references stay undefined and are resolved at load time
#   from the program, which must export them (sofsim_enable_modules). Do not
#   link such modules with -Wl,--no-undefined or -z defs.
#
# sofsim_enable_modules(<executable>)
#   Makes <executable> able to host those modules: links the checker's
#   archive member in even if the program never calls it (--undefined for
#   each sofsim__chk_* symbol) and exports the symbols to the dynamic symbol
#   table (--export-dynamic-symbol where the linker has it, ENABLE_EXPORTS,
#   that is -rdynamic, otherwise), and links the dlopen library.

if(NOT SOFSIM_INSTRUMENT_CC)
  set(SOFSIM_INSTRUMENT_CC ${CMAKE_CURRENT_LIST_DIR}/../scripts/instrument-cc.sh)
endif()
if(NOT SOFSIM_CHK_REDEFINE)
  set(SOFSIM_CHK_REDEFINE ${CMAKE_CURRENT_LIST_DIR}/sofsim_chk.redefine)
endif()
find_program(SOFSIM_OBJCOPY objcopy REQUIRED)

# Functions are called from other directories than the one that included
# this file (find_package in one, a module in another), so what they need
# is kept in global properties rather than directory-scoped variables.
set_property(GLOBAL PROPERTY SOFSIM_INSTRUMENT_CC "${SOFSIM_INSTRUMENT_CC}")
set_property(GLOBAL PROPERTY SOFSIM_CHK_REDEFINE "${SOFSIM_CHK_REDEFINE}")

# The checker's symbols: the right-hand column of the renaming list, so the
# list of symbols to keep and export cannot drift from the renaming.
file(STRINGS "${SOFSIM_CHK_REDEFINE}" _sofsim_chk_lines REGEX "^[^ #]+ +sofsim__chk_[A-Za-z0-9_]+ *$")
set(_sofsim_chk_symbols "")
foreach(_line IN LISTS _sofsim_chk_lines)
  string(REGEX REPLACE "^[^ ]+ +([A-Za-z0-9_]+) *$" "\\1" _sym "${_line}")
  list(APPEND _sofsim_chk_symbols ${_sym})
endforeach()
set_property(GLOBAL PROPERTY SOFSIM_CHK_SYMBOLS "${_sofsim_chk_symbols}")
unset(_sofsim_chk_lines)
unset(_sofsim_chk_symbols)
unset(_line)
unset(_sym)

# The instrumentation flags for a C compiler (CMAKE_C_COMPILER_ID).
function(_sofsim_instrument_flags compiler_id out)
  if(compiler_id STREQUAL "GNU")
    set(flags -fno-sanitize=address -fsanitize=kernel-address --param=asan-instrumentation-with-call-threshold=0
      --param=asan-stack=0 --param=asan-globals=0)
  elseif(compiler_id MATCHES "Clang")
    # SHELL: keeps CMake from folding the repeated -mllvm away.
    set(flags -fno-sanitize=address -fsanitize=kernel-address "SHELL:-mllvm -asan-instrumentation-with-call-threshold=0"
      "SHELL:-mllvm -asan-stack=0" "SHELL:-mllvm -asan-globals=0")
  else()
    message(FATAL_ERROR "sofsim: enforce=check instrumentation needs gcc or clang, not '${compiler_id}'")
  endif()
  set(${out} "${flags}" PARENT_SCOPE)
endfunction()

# The sofsim public headers without linking the library (an OBJECT library
# or a module must not carry libsofsim along).
function(_sofsim_use_headers target)
  target_include_directories(${target} PRIVATE $<TARGET_PROPERTY:sofsim::sofsim,INTERFACE_INCLUDE_DIRECTORIES>)
endfunction()

function(sofsim_instrument target)
  get_property(cc GLOBAL PROPERTY SOFSIM_INSTRUMENT_CC)
  get_property(syms GLOBAL PROPERTY SOFSIM_CHK_REDEFINE)
  _sofsim_instrument_flags("${CMAKE_C_COMPILER_ID}" flags)
  target_compile_options(${target} PRIVATE ${flags})
  set_target_properties(${target} PROPERTIES C_COMPILER_LAUNCHER "bash;${cc};${syms}")
endfunction()

function(sofsim_add_variants name)
  cmake_parse_arguments(V "" "" "SOURCES" ${ARGN})
  if(NOT V_SOURCES OR V_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sofsim_add_variants(${name} SOURCES <src>...): bad arguments '${ARGN}'")
  endif()
  foreach(variant IN ITEMS plain checked)
    add_library(${name}_${variant} OBJECT ${V_SOURCES})
    target_compile_definitions(${name}_${variant} PRIVATE SOFSIM_VARIANT=${variant})
    _sofsim_use_headers(${name}_${variant})
  endforeach()
  sofsim_instrument(${name}_checked)
endfunction()

function(sofsim_add_module name)
  cmake_parse_arguments(M "SHARED" "" "SOURCES" ${ARGN})
  if(NOT M_SOURCES OR M_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sofsim_add_module(${name} SOURCES <src>... [SHARED]): bad arguments '${ARGN}'")
  endif()
  set(kind MODULE)
  if(M_SHARED)
    set(kind SHARED)
  endif()
  add_library(${name} ${kind} ${M_SOURCES})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  _sofsim_use_headers(${name})
  sofsim_instrument(${name})
endfunction()

function(sofsim_enable_modules target)
  include(CheckLinkerFlag)
  get_property(symbols GLOBAL PROPERTY SOFSIM_CHK_SYMBOLS)
  foreach(sym IN LISTS symbols)
    target_link_options(${target} PRIVATE "LINKER:--undefined=${sym}")
  endforeach()
  # GNU ld has it from 2.35, lld from 11; older linkers export everything.
  check_linker_flag(C "LINKER:--export-dynamic-symbol=sofsim__chk_*" SOFSIM_LINKER_EXPORT_DYNAMIC_SYMBOL)
  if(SOFSIM_LINKER_EXPORT_DYNAMIC_SYMBOL)
    target_link_options(${target} PRIVATE "LINKER:--export-dynamic-symbol=sofsim__chk_*")
  else()
    set_target_properties(${target} PROPERTIES ENABLE_EXPORTS ON)
  endif()
  target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
endfunction()
