# SPDX-License-Identifier: BSD-3-Clause
# sofsim_add_test(<subsystem>/<unit> [LABELS l...] [TIMEOUT s] [WILL_FAIL]
#                 [PASS_REGEX re] [SOURCES extra.c...])
# (from tests/<subsystem>/CMakeLists.txt the bare <unit> means the same)
#
# Builds tests/<subsystem>/<unit>.c into one CMocka executable linked with the
# internal library, registers it as CTest test "<subsystem>/<unit>", and (unless
# labelled no-memcheck) a twin "memcheck/<subsystem>/<unit>" that runs it under
# Valgrind memcheck; the twins carry the label "memcheck" and the default pass
# excludes them (ctest -LE memcheck). Timeouts scale with
# SOFSIM_TEST_TIMEOUT_MULTIPLIER (sanitizer builds) and x10 under Valgrind.

find_program(SOFSIM_VALGRIND valgrind)
find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
find_library(CMOCKA_LIBRARY cmocka REQUIRED)

function(sofsim_add_test path)
  cmake_parse_arguments(T "WILL_FAIL" "TIMEOUT;PASS_REGEX" "LABELS;SOURCES" ${ARGN})
  if(NOT path MATCHES "/")
    # Given as <unit> from tests/<subsystem>/CMakeLists.txt: the folder names it.
    file(RELATIVE_PATH subdir ${PROJECT_SOURCE_DIR}/tests ${CMAKE_CURRENT_SOURCE_DIR})
    set(path ${subdir}/${path})
  endif()
  string(REPLACE "/" "_" target "${path}")
  get_filename_component(subsystem "${path}" DIRECTORY)
  add_executable(${target} ${PROJECT_SOURCE_DIR}/tests/${path}.c ${T_SOURCES})
  target_include_directories(${target} PRIVATE ${CMOCKA_INCLUDE_DIR} ${PROJECT_SOURCE_DIR}/tests/common)
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE
    SOFSIM_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data")
  target_link_libraries(${target} PRIVATE sofsim_static ${CMOCKA_LIBRARY} sofsim_warnings sofsim_sanitizers)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  math(EXPR timeout "${T_TIMEOUT} * ${SOFSIM_TEST_TIMEOUT_MULTIPLIER}")
  set(labels ${subsystem} ${T_LABELS})

  add_test(NAME ${path} COMMAND ${target})
  set_tests_properties(${path} PROPERTIES LABELS "${labels}" TIMEOUT ${timeout} SKIP_RETURN_CODE 77)
  if(T_WILL_FAIL)
    set_tests_properties(${path} PROPERTIES WILL_FAIL TRUE)
  endif()
  if(T_PASS_REGEX)
    set_tests_properties(${path} PROPERTIES PASS_REGULAR_EXPRESSION "${T_PASS_REGEX}")
  endif()

  if(SOFSIM_VALGRIND AND NOT "no-memcheck" IN_LIST T_LABELS AND NOT SOFSIM_SANITIZE AND NOT T_WILL_FAIL)
    math(EXPR vtimeout "${timeout} * 10")
    add_test(NAME memcheck/${path} COMMAND ${SOFSIM_VALGRIND} --tool=memcheck --error-exitcode=1
      --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes
      --suppressions=${PROJECT_SOURCE_DIR}/tests/valgrind.supp --quiet $<TARGET_FILE:${target}>)
    set_tests_properties(memcheck/${path} PROPERTIES LABELS "memcheck;${labels}" TIMEOUT ${vtimeout}
      SKIP_RETURN_CODE 77)
    if(T_PASS_REGEX)
      set_tests_properties(memcheck/${path} PROPERTIES PASS_REGULAR_EXPRESSION "${T_PASS_REGEX}")
    endif()
  endif()
endfunction()
