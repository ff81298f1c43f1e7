# SPDX-License-Identifier: BSD-3-Clause
# sofsim_check_user_globals(<executable target> <instrumented object library>
#                           [ALLOW sym...] [REQUIRE sym...])
#
# enforce=check sees only what the compiler instruments, and GCC 12 and
# Clang 14 leave some direct accesses to named C globals unchecked
# (docs/model-fidelity.md, "enforce=check: what the instrumentation sees").
# So after <executable target> links, scripts/check-user-globals.sh runs on
# the library's objects and fails the build when
#   - they do not call the checker (no sofsim__chk_load*/store* reference, a
#     REQUIRE symbol missing) or still hold __asan_ symbols: not
#     instrumented, or not renamed, by sofsim_instrument();
#   - a relocation references writable data outside the sofsim_user_data
#     section (SOFSIM_USER_DATA), except the ALLOW symbols, each of which
#     must be referenced (no stale entries).
# The executable's symbol table says where named symbols ended up, so it
# must be the one the objects are linked into.

set(SOFSIM_CHECK_USER_GLOBALS ${CMAKE_CURRENT_LIST_DIR}/../scripts/check-user-globals.sh)
find_program(SOFSIM_NM nm REQUIRED)
find_program(SOFSIM_OBJDUMP objdump REQUIRED)
find_program(SOFSIM_READELF readelf REQUIRED)

function(sofsim_check_user_globals exe objlib)
  cmake_parse_arguments(G "" "" "ALLOW;REQUIRE" ${ARGN})
  if(G_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sofsim_check_user_globals: unexpected arguments ${G_UNPARSED_ARGUMENTS}")
  endif()
  set(args)
  foreach(sym IN LISTS G_ALLOW)
    list(APPEND args --allow ${sym})
  endforeach()
  foreach(sym IN LISTS G_REQUIRE)
    list(APPEND args --require ${sym})
  endforeach()
  # The objects must exist before the executable's POST_BUILD step runs.
  add_dependencies(${exe} ${objlib})
  add_custom_command(TARGET ${exe} POST_BUILD
    COMMAND bash ${SOFSIM_CHECK_USER_GLOBALS} --exe $<TARGET_FILE:${exe}> ${args} $<TARGET_OBJECTS:${objlib}>
    COMMENT "Checking that ${objlib} is instrumented and keeps no writable globals outside sofsim_user_data"
    COMMAND_EXPAND_LISTS VERBATIM)
endfunction()
