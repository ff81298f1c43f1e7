# SPDX-License-Identifier: BSD-3-Clause
# What `cmake --install` lays down: the public headers, libsofsim (static, or
# shared with SOFSIM_BUILD_SHARED=ON), the sofsim CLI (see sim/), a CMake
# package giving the imported target sofsim::sofsim, and a pkg-config file.
include(CMakePackageConfigHelpers)

set(SOFSIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/sofsim CACHE STRING
  "Where the sofsim CMake package files go, relative to the prefix")

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
  INSTALL_DESTINATION ${SOFSIM_INSTALL_CMAKEDIR})
# Before 1.0 a minor release may break the API, so only the same MAJOR.MINOR
# satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sofsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sofsimConfig.cmake ${PROJECT_BINARY_DIR}/sofsimConfigVersion.cmake
  DESTINATION ${SOFSIM_INSTALL_CMAKEDIR})

# The .pc file finds its prefix from its own location (${pcfiledir}), so the
# tree still works when `cmake --install --prefix` moves it elsewhere.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(SOFSIM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(SOFSIM_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(SOFSIM_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH pc_up /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
  string(REGEX REPLACE "/$" "" pc_up "${pc_up}")
  set(SOFSIM_PC_PREFIX "\${pcfiledir}/${pc_up}")
  set(SOFSIM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(SOFSIM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/sofsim.pc.in ${PROJECT_BINARY_DIR}/sofsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sofsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
