# SPDX-License-Identifier: BSD-3-Clause
# What `cmake --install` lays down: the public headers, libsofsim (static, or
# shared with SOFSIM_BUILD_SHARED=ON), the sofsim CLI (see sim/), a CMake
# package giving the imported target sofsim::sofsim and the functions for
# checked modules (SofsimInstrument.cmake), the instrumentation launcher and
# renaming list those use (share/sofsim/), and a pkg-config file.
include(CMakePackageConfigHelpers)

set(SOFSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/sofsim CACHE STRING
  "Where the sofsim CMake package files go, relative to the prefix")
set(SOFSIM_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/sofsim CACHE STRING
  "Where the instrumentation launcher and renaming list go, relative to the prefix")

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/sofsim DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(TARGETS sofsim EXPORT sofsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Only `sofsim` is exported; the warning and sanitizer interface targets stay
# out of its link interface through $<BUILD_INTERFACE:...> in lib/.
install(EXPORT sofsimTargets NAMESPACE sofsim:: FILE sofsimTargets.cmake
  DESTINATION ${SOFSIM_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sofsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sofsimConfig.cmake
  INSTALL_DESTINATION ${SOFSIM_INSTALL_CMAKEDIR}
  PATH_VARS SOFSIM_INSTALL_DATADIR)
# Before 1.0 a minor release may break the API, so only the same MAJOR.MINOR
# satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sofsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sofsimConfig.cmake ${PROJECT_BINARY_DIR}/sofsimConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/SofsimInstrument.cmake
  DESTINATION ${SOFSIM_INSTALL_CMAKEDIR})
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/instrument-cc.sh DESTINATION ${SOFSIM_INSTALL_DATADIR})
install(FILES ${PROJECT_SOURCE_DIR}/cmake/sofsim_chk.redefine DESTINATION ${SOFSIM_INSTALL_DATADIR})

# The .pc file finds its prefix from its own location (${pcfiledir}), so the
# tree still works when `cmake --install --prefix` moves it elsewhere.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(SOFSIM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(SOFSIM_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(SOFSIM_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
  set(SOFSIM_PC_PKGDATADIR "${CMAKE_INSTALL_PREFIX}/${SOFSIM_INSTALL_DATADIR}")
else()
  file(RELATIVE_PATH pc_up /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" pc_up "${pc_up}")
  set(SOFSIM_PC_PREFIX "\${pcfiledir}/${pc_up}")
  set(SOFSIM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(SOFSIM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  set(SOFSIM_PC_PKGDATADIR "\${prefix}/${SOFSIM_INSTALL_DATADIR}")
endif()
if(IS_ABSOLUTE "${SOFSIM_INSTALL_DATADIR}")
  set(SOFSIM_PC_PKGDATADIR "${SOFSIM_INSTALL_DATADIR}")
endif()

# pkg-config users get the instrumentation as plain flags: the same lists the
# CMake functions use (SofsimInstrument.cmake), without CMake's SHELL: marks.
_sofsim_instrument_flags(GNU gcc_flags)
_sofsim_instrument_flags(Clang clang_flags)
list(TRANSFORM clang_flags REPLACE "^SHELL:" "")
string(JOIN " " SOFSIM_PC_INSTRUMENT_CFLAGS_GCC ${gcc_flags})
string(JOIN " " SOFSIM_PC_INSTRUMENT_CFLAGS_CLANG ${clang_flags})
if(CMAKE_C_COMPILER_ID MATCHES "Clang")
  set(SOFSIM_PC_INSTRUMENT_CFLAGS "\${instrument_cflags_clang}")
else()
  set(SOFSIM_PC_INSTRUMENT_CFLAGS "\${instrument_cflags_gcc}")
endif()
# A program that dlopen()s modules keeps and exports the checker's symbols.
get_property(chk_symbols GLOBAL PROPERTY SOFSIM_CHK_SYMBOLS)
list(TRANSFORM chk_symbols PREPEND "-Wl,--undefined=")
string(JOIN " " SOFSIM_PC_MODULE_HOST_LDFLAGS "-Wl,--export-dynamic-symbol=sofsim__chk_*" ${chk_symbols} -ldl)
configure_file(${PROJECT_SOURCE_DIR}/cmake/sofsim.pc.in ${PROJECT_BINARY_DIR}/sofsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sofsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
