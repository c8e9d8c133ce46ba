# Install rules and the exported CMake package: find_package(graphtx) -> graphtx::graphtx.
include(CMakePackageConfigHelpers)

set_target_properties(graphtx PROPERTIES EXPORT_NAME graphtx)
install(TARGETS graphtx graphtx_options EXPORT graphtxTargets)
install(EXPORT graphtxTargets NAMESPACE graphtx:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/graphtx)

configure_package_config_file(cmake/graphtxConfig.cmake.in
  ${CMAKE_BINARY_DIR}/graphtxConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/graphtx)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/graphtxConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/graphtxConfig.cmake ${CMAKE_BINARY_DIR}/graphtxConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/graphtx)
install(TARGETS graphtx_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
