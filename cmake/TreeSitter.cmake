# tree-sitter 0.25.1 runtime and the bash grammar, fetched with `npm pack` at
# configure time into the build tree and checked against their published
# sha512 integrity. Debian's libtree-sitter 0.20 cannot load the 0.25 grammar
# and its bash scanner has a heredoc serialisation out-of-bounds write that
# hostile scripts reach, so we never use it.

set(PKGAUDIT_TS_VERSION "0.25.1")
set(PKGAUDIT_TS_INTEGRITY
    "sha512-mrcEdkYtHfrK1A6fs3O6FxkBo0Qig5XUXqHhxUOQu0bmPo00QF4XaSx4edpazdHwxnSCjlGKGgIqWdaN4dvTLA==")
set(PKGAUDIT_TS_BASH_VERSION "0.25.1")
set(PKGAUDIT_TS_BASH_INTEGRITY
    "sha512-7hMytuYIMoXOq24yRulgIxthE9YmggZIOHCyPTTuJcu6EU54tYD+4G39cUb28kxC6jMf/AbPfWGLQtgPTdh3xw==")

find_program(PKGAUDIT_NPM npm REQUIRED)
find_program(PKGAUDIT_NODE node REQUIRED)

# npm's integrity is base64 of the raw digest; node computes it the same way,
# which keeps the check independent of npm's own cache verification.
function(pkgaudit_integrity_of file out)
  execute_process(
    COMMAND "${PKGAUDIT_NODE}" -e
      "const c=require('crypto'),f=require('fs');process.stdout.write('sha512-'+c.createHash('sha512').update(f.readFileSync(process.argv[1])).digest('base64'))"
      "${file}"
    OUTPUT_VARIABLE digest RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "could not compute the sha512 of ${file}")
  endif()
  set(${out} "${digest}" PARENT_SCOPE)
endfunction()

# Fetches NAME@VERSION with `npm pack` (reusing a verified tarball already in
# the build tree) and unpacks it to DEST.
function(pkgaudit_npm_package name version integrity dest)
  set(dir "${CMAKE_BINARY_DIR}/_npm")
  set(tgz "${dir}/${name}-${version}.tgz")
  file(MAKE_DIRECTORY "${dir}")
  if(EXISTS "${tgz}")
    pkgaudit_integrity_of("${tgz}" have)
    if(NOT have STREQUAL integrity)
      file(REMOVE "${tgz}")
    endif()
  endif()
  if(NOT EXISTS "${tgz}")
    message(STATUS "npm pack ${name}@${version}")
    execute_process(
      COMMAND "${PKGAUDIT_NPM}" pack "${name}@${version}" --silent
      WORKING_DIRECTORY "${dir}"
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${tgz}")
      message(FATAL_ERROR "npm pack ${name}@${version} failed: ${err}")
    endif()
  endif()
  pkgaudit_integrity_of("${tgz}" have)
  if(NOT have STREQUAL integrity)
    file(REMOVE "${tgz}")
    message(FATAL_ERROR
      "${name}@${version}: integrity mismatch\n  expected ${integrity}\n  got      ${have}\n"
      "The tarball was removed; refusing to build from it.")
  endif()
  if(NOT EXISTS "${dest}/.verified-${version}")
    file(REMOVE_RECURSE "${dest}")
    file(ARCHIVE_EXTRACT INPUT "${tgz}" DESTINATION "${dest}.tmp")
    file(RENAME "${dest}.tmp/package" "${dest}")
    file(REMOVE_RECURSE "${dest}.tmp")
    file(TOUCH "${dest}/.verified-${version}")
  endif()
endfunction()

set(_ts_root "${CMAKE_BINARY_DIR}/_deps/tree-sitter")
set(_ts_bash_root "${CMAKE_BINARY_DIR}/_deps/tree-sitter-bash")
pkgaudit_npm_package(tree-sitter ${PKGAUDIT_TS_VERSION} ${PKGAUDIT_TS_INTEGRITY} "${_ts_root}")
pkgaudit_npm_package(tree-sitter-bash ${PKGAUDIT_TS_BASH_VERSION} ${PKGAUDIT_TS_BASH_INTEGRITY} "${_ts_bash_root}")

set(_ts_lib "${_ts_root}/vendor/tree-sitter/lib")
add_library(pkgaudit_tree_sitter STATIC "${_ts_lib}/src/lib.c")
target_include_directories(pkgaudit_tree_sitter SYSTEM
  PUBLIC "$<BUILD_INTERFACE:${_ts_lib}/include>"
  PRIVATE "${_ts_lib}/src")
target_compile_definitions(pkgaudit_tree_sitter PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(pkgaudit_tree_sitter PROPERTIES
  C_STANDARD 11 POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)

add_library(pkgaudit_tree_sitter_bash STATIC
  "${_ts_bash_root}/src/parser.c" "${_ts_bash_root}/src/scanner.c")
target_include_directories(pkgaudit_tree_sitter_bash PRIVATE "${_ts_bash_root}/src")
set_target_properties(pkgaudit_tree_sitter_bash PROPERTIES
  C_STANDARD 11 POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
# Generated grammar code: its warnings are not ours to fix.
target_compile_options(pkgaudit_tree_sitter PRIVATE -w)
target_compile_options(pkgaudit_tree_sitter_bash PRIVATE -w)
