# SPDX-License-Identifier: BSD-3-Clause
# sofsim_instrument(<target>)
#
# Compiles <target>'s C sources so that every load and store calls the
# enforce checker: the compiler's kernel-address instrumentation as outline
# callbacks (call threshold 0; stack and globals instrumentation off), then
# objcopy renames the callbacks and memcpy/memset/memmove/str* to the
# sofsim__chk_* functions (cmake/sofsim_chk.redefine). Use it on OBJECT or
# STATIC libraries holding code that runs on emulated threads; do not link
# sofsim_sanitizers into them (ASan's own instrumentation cannot be combined
# with kernel-address), only into the executable.

set(SOFSIM_CHK_REDEFINE ${CMAKE_CURRENT_LIST_DIR}/sofsim_chk.redefine)
set(SOFSIM_INSTRUMENT_CC ${CMAKE_CURRENT_LIST_DIR}/../scripts/instrument-cc.sh)
find_program(SOFSIM_OBJCOPY objcopy REQUIRED)

if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  set(SOFSIM_INSTRUMENT_FLAGS -fsanitize=kernel-address --param=asan-instrumentation-with-call-threshold=0
    --param=asan-stack=0 --param=asan-globals=0)
else()
  # SHELL: keeps CMake from folding the repeated -mllvm away.
  set(SOFSIM_INSTRUMENT_FLAGS -fsanitize=kernel-address "SHELL:-mllvm -asan-instrumentation-with-call-threshold=0"
    "SHELL:-mllvm -asan-stack=0" "SHELL:-mllvm -asan-globals=0")
endif()

function(sofsim_instrument target)
  target_compile_options(${target} PRIVATE ${SOFSIM_INSTRUMENT_FLAGS})
  set_target_properties(${target} PROPERTIES
    C_COMPILER_LAUNCHER "bash;${SOFSIM_INSTRUMENT_CC};${SOFSIM_CHK_REDEFINE}")
endfunction()
