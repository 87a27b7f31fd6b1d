// pkgaudit-parse-floor PACKAGE.zip
// The floor pkgaudit is measured against: decompress every entry from one
// archive handle and tree-sitter parse every shell script, nothing else.
#include <zip.h>

#include <cstdio>
#include <string>

#include <tree_sitter/api.h>

#include "classify/classify.hpp"

extern "C" const TSLanguage* tree_sitter_bash(void);

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pkgaudit-parse-floor PACKAGE.zip\n");
    return 2;
  }
  int err = 0;
  zip_t* za = zip_open(argv[1], ZIP_RDONLY, &err);
  if (!za) return 1;
  size_t nodes = 0;
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_bash());
  const zip_int64_t n = zip_get_num_entries(za, 0);
  std::string bytes;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    if (!f) continue;
    bytes.resize(st.size);
    const zip_int64_t got = zip_fread(f, bytes.data(), st.size);
    zip_fclose(f);
    if (got < 0) continue;
    bytes.resize(static_cast<size_t>(got));
    if (pkgaudit::classify::classify(st.name, bytes) != pkgaudit::FileKind::shell) continue;
    TSTree* tree = ts_parser_parse_string(parser, nullptr, bytes.data(), static_cast<uint32_t>(bytes.size()));
    if (tree) nodes += ts_node_descendant_count(ts_tree_root_node(tree));
    ts_tree_delete(tree);
  }
  ts_parser_delete(parser);
  zip_close(za);
  std::printf("%zu nodes\n", nodes);
  return 0;
}
