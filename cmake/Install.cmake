# `cmake --install`: the shared library, its C and C++ headers, the CLI, the
# Python module, a CMake package (find_package(pkgaudit) ->
# pkgaudit::pkgaudit) and a pkg-config file. Everything is relocatable, so
# `--prefix` may be chosen at install time.
include(CMakePackageConfigHelpers)

set(PKGAUDIT_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/pkgaudit")
set(PKGAUDIT_PYTHON_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/python3/dist-packages" CACHE STRING
    "Where the Python module is installed, relative to the prefix")

set_target_properties(pkgaudit_cli PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS pkgaudit EXPORT pkgauditTargets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS pkgaudit_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(DIRECTORY libaudit/include/pkgaudit DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/libaudit/include/pkgaudit/version.hpp" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/pkgaudit")
install(FILES bindings/c/include/pkgaudit.h DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

if(TARGET pkgaudit_python)
  file(RELATIVE_PATH python_to_lib "/${PKGAUDIT_PYTHON_INSTALL_DIR}" "/${CMAKE_INSTALL_LIBDIR}")
  set_target_properties(pkgaudit_python PROPERTIES INSTALL_RPATH "$ORIGIN/${python_to_lib}")
  install(TARGETS pkgaudit_python LIBRARY DESTINATION "${PKGAUDIT_PYTHON_INSTALL_DIR}")
  install(FILES bindings/python/pkgaudit.pyi DESTINATION "${PKGAUDIT_PYTHON_INSTALL_DIR}")
endif()

install(EXPORT pkgauditTargets NAMESPACE pkgaudit:: DESTINATION "${PKGAUDIT_CMAKE_DIR}")
configure_package_config_file(cmake/pkgauditConfig.cmake.in "${PROJECT_BINARY_DIR}/pkgauditConfig.cmake"
  INSTALL_DESTINATION "${PKGAUDIT_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pkgauditConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/pkgauditConfig.cmake" "${PROJECT_BINARY_DIR}/pkgauditConfigVersion.cmake"
  DESTINATION "${PKGAUDIT_CMAKE_DIR}")

file(RELATIVE_PATH PKGAUDIT_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" PKGAUDIT_PC_TO_PREFIX "${PKGAUDIT_PC_TO_PREFIX}")
configure_file(cmake/pkgaudit.pc.in "${PROJECT_BINARY_DIR}/pkgaudit.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/pkgaudit.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
