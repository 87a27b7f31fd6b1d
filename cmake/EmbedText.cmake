# Compiles a data file into the library as a string constant, so the binary
# carries its tables (special units, systemd directives) with no install path.
function(pkgaudit_embed_text target symbol file)
  file(READ "${file}" PKGAUDIT_EMBED_CONTENT)
  set(PKGAUDIT_EMBED_SYMBOL "${symbol}")
  set(out "${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/embedded.cpp.in" "${out}" @ONLY)
  target_sources(${target} PRIVATE "${out}")
endfunction()
