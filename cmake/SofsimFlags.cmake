# SPDX-License-Identifier: BSD-3-Clause
# Interface targets carrying warnings and sanitizers: linked by every sofsim
# target instead of touching global flags.

add_library(sofsim_warnings INTERFACE)
target_compile_options(sofsim_warnings INTERFACE -Wall -Wextra -Wshadow -Wstrict-prototypes
  -Wmissing-prototypes -Wno-unused-parameter $<$<BOOL:${SOFSIM_WERROR}>:-Werror>)

# Valgrind 3.19 cannot read the DWARF 5 that clang 14 emits by default.
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  target_compile_options(sofsim_warnings INTERFACE $<$<CONFIG:Debug,RelWithDebInfo>:-gdwarf-4>)
endif()

add_library(sofsim_sanitizers INTERFACE)
foreach(san IN LISTS SOFSIM_SANITIZE)
  if(san STREQUAL "address")
    target_compile_options(sofsim_sanitizers INTERFACE -fsanitize=address -fno-omit-frame-pointer)
    target_link_options(sofsim_sanitizers INTERFACE -fsanitize=address)
  elseif(san STREQUAL "undefined")
    target_compile_options(sofsim_sanitizers INTERFACE -fsanitize=undefined -fno-sanitize-recover=undefined)
    target_link_options(sofsim_sanitizers INTERFACE -fsanitize=undefined)
  elseif(san STREQUAL "fuzzer")
    # The library is instrumented for coverage; only fuzz targets link the libFuzzer main.
    target_compile_options(sofsim_sanitizers INTERFACE -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer)
    target_link_options(sofsim_sanitizers INTERFACE -fsanitize=address)
  elseif(san STREQUAL "coverage")
    target_compile_options(sofsim_sanitizers INTERFACE --coverage -O0)
    target_link_options(sofsim_sanitizers INTERFACE --coverage)
  elseif(NOT san STREQUAL "")
    message(FATAL_ERROR "SOFSIM_SANITIZE: unknown entry '${san}' (address, undefined, fuzzer, coverage)")
  endif()
endforeach()
