// pkgaudit-mkzip OUT.zip DIR            zip a tree (sorted, fixed timestamps)
// pkgaudit-mkzip OUT.zip --file NAME SRC --text NAME TEXT --symlink NAME TARGET --dir NAME
//                                       entries with any name, for hostile test archives
// pkgaudit-mkzip --raw OUT.zip ...      the same, written byte by byte (duplicates allowed,
//                                       and --text-nul NAME1 NAME2 TEXT for the name NAME1\0NAME2)
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "zip_writer.hpp"

int main(int argc, char** argv) {
  using pkgaudit::testing::ZipEntrySpec;
  if (argc < 3) {
    std::fprintf(stderr, "usage: pkgaudit-mkzip OUT.zip DIR | OUT.zip [--file NAME SRC | --text NAME TEXT | "
                         "--symlink NAME TARGET | --dir NAME]...\n");
    return 2;
  }
  const bool raw = std::string(argv[1]) == "--raw";
  if (raw) {
    ++argv;
    --argc;
  }
  const std::string out = argv[1];
  std::vector<ZipEntrySpec> entries;
  if (std::string(argv[2]).rfind("--", 0) != 0) {
    std::string error;
    entries = pkgaudit::testing::entries_from_tree(argv[2], error);
    if (!error.empty()) {
      std::fprintf(stderr, "pkgaudit-mkzip: %s\n", error.c_str());
      return 2;
    }
  } else {
    for (int i = 2; i < argc; ++i) {
      const std::string flag = argv[i];
      ZipEntrySpec e;
      if (flag == "--dir" && i + 1 < argc) {
        e.kind = ZipEntrySpec::directory;
        e.name = argv[++i];
      } else if (flag == "--text-nul" && i + 3 < argc) {  // NAME1 NAME2 TEXT: the name NAME1\0NAME2
        e.name = std::string(argv[i + 1]) + '\0' + argv[i + 2];
        e.data = argv[i + 3];
        i += 3;
      } else if ((flag == "--file" || flag == "--text" || flag == "--symlink") && i + 2 < argc) {
        e.name = argv[++i];
        e.data = argv[++i];
        if (flag == "--symlink") e.kind = ZipEntrySpec::symlink;
        if (flag == "--file") {
          std::ifstream in(e.data, std::ios::binary);
          if (!in) {
            std::fprintf(stderr, "pkgaudit-mkzip: cannot read %s\n", e.data.c_str());
            return 2;
          }
          std::ostringstream data;
          data << in.rdbuf();
          e.data = data.str();
        }
      } else {
        std::fprintf(stderr, "pkgaudit-mkzip: bad argument '%s'\n", flag.c_str());
        return 2;
      }
      entries.push_back(std::move(e));
    }
  }
  const std::string error = raw ? pkgaudit::testing::write_raw_zip(out, entries) : pkgaudit::testing::write_zip(out, entries);
  if (!error.empty()) {
    std::fprintf(stderr, "pkgaudit-mkzip: %s\n", error.c_str());
    return 2;
  }
  return 0;
}
