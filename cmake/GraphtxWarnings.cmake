# Warning and sanitizer flags shared by every graphtx target.
add_library(graphtx_options INTERFACE)
target_compile_options(graphtx_options INTERFACE -Wall -Wextra -Wpedantic)
if(GRAPHTX_WERROR)
  target_compile_options(graphtx_options INTERFACE -Werror)
endif()
if(GRAPHTX_SANITIZE)
  if("thread" IN_LIST GRAPHTX_SANITIZE AND "address" IN_LIST GRAPHTX_SANITIZE)
    message(FATAL_ERROR "GRAPHTX_SANITIZE: 'thread' cannot be combined with 'address'")
  endif()
  foreach(san IN LISTS GRAPHTX_SANITIZE)
    if(NOT san MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "GRAPHTX_SANITIZE: unknown sanitizer '${san}'")
    endif()
  endforeach()
  string(REPLACE ";" "," _san "${GRAPHTX_SANITIZE}")
  # Frame pointers for the reports' stacks; their file:line needs line tables: -g1 unless the build
  # type already has debug info (Debug, RelWithDebInfo keep theirs).
  target_compile_options(graphtx_options INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer
    $<$<NOT:$<CONFIG:Debug,RelWithDebInfo>>:-g1>)
  target_link_options(graphtx_options INTERFACE -fsanitize=${_san})
  if("undefined" IN_LIST GRAPHTX_SANITIZE)
    target_compile_options(graphtx_options INTERFACE -fno-sanitize-recover=undefined)
  endif()
endif()
if(GRAPHTX_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GRAPHTX_BUILD_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++")
  endif()
  target_compile_options(graphtx_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

# graphtx_add_library(NAME FOLDER SOURCES... ) : a folder library with the repo root as include root.
function(graphtx_add_library name folder)
  add_library(${name} ${ARGN})
  add_library(graphtx::${name} ALIAS ${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/graphtx>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${name} PRIVATE $<BUILD_INTERFACE:graphtx_options>)
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${name})
  install(TARGETS ${name} EXPORT graphtxTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/graphtx/${folder}
    FILES_MATCHING PATTERN "*.hpp")
endfunction()
