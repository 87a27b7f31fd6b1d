#!/usr/bin/env python3
"""Writes every fenced block that follows an `<!-- example: NAME -->` line in
the given markdown files to OUT_DIR/NAME, verbatim, so the docs' examples
are the programs the install test builds and runs."""
import pathlib
import sys


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    seen = {}
    for doc in sys.argv[2:]:
        lines = pathlib.Path(doc).read_text().splitlines(keepends=True)
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            if line.startswith("<!-- example:") and line.endswith("-->"):
                name = line[len("<!-- example:"):-3].strip()
                if name in seen:
                    sys.exit(f"{doc}:{i + 1}: example {name} already defined in {seen[name]}")
                if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
                    sys.exit(f"{doc}:{i + 1}: example {name} must be followed by a fenced block")
                j = i + 2
                while j < len(lines) and not lines[j].startswith("```"):
                    j += 1
                if j == len(lines):
                    sys.exit(f"{doc}:{i + 2}: unterminated block for example {name}")
                (out / name).write_text("".join(lines[i + 2:j]))
                seen[name] = doc
                i = j
            i += 1
    print(" ".join(sorted(seen)))


main()
