#!/usr/bin/env python3
"""Small modules and short functions (STYLE.md): no file of src/ over 900
lines, no function over 120.  A function is what the project's style makes
it: a body that opens with "{" and closes with "}" in the first column."""
import os
import sys
import unittest

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src")
FILE_MAX = 900
FUNCTION_MAX = 120


def sources():
    for layer in sorted(os.listdir(SRC)):
        root = os.path.join(SRC, layer)
        for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
            if name.endswith((".c", ".h")):
                yield "%s/%s" % (layer, name), os.path.join(root, name)


def line_count(path):
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


def functions(lines):
    """(first line number, length) of each function body."""
    start = None
    for i, line in enumerate(lines, 1):
        if line.startswith("{") and start is None:
            start = i
        elif line.startswith("}") and start is not None:
            # a brace-initialised table ends with "};" and is not a function
            if not line.startswith("};"):
                yield start, i - start + 1
            start = None


class SizesTest(unittest.TestCase):
    def test_files(self):
        big = ["src/%s: %d lines" % (name, n) for name, path in sources()
               for n in [line_count(path)] if n > FILE_MAX]
        self.assertEqual(big, [])

    def test_functions(self):
        long_ones, seen = [], 0
        for name, path in sources():
            with open(path, encoding="utf-8") as f:
                for at, n in functions(f.read().split("\n")):
                    seen += 1
                    if n > FUNCTION_MAX:
                        long_ones.append("src/%s:%d: %d lines" % (name, at, n))
        self.assertEqual(long_ones, [])
        self.assertGreater(seen, 500, "the function finder found too few functions")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + ["-v"] + sys.argv[1:])
