#!/usr/bin/env python3
"""The layers of src/ as docs/architecture.md draws them, checked from the
#include lines: each directory includes only from itself and the layers
below it.  The transport (http/) knows nothing of storage, the domain or
the API; the domain knows no storage; nothing includes the command line."""
import os
import re
import sys
import unittest

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src")
ALLOWED = {
    "base": {"base"},
    "domain": {"base", "domain"},
    "store": {"base", "domain", "store"},
    "http": {"base", "http"},
    "api": {"base", "domain", "store", "http", "api"},
    "cli": {"base", "domain", "store", "http", "api", "cli"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def project_includes(path):
    with open(path, encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


class LayersTest(unittest.TestCase):
    def test_every_directory_is_a_known_layer(self):
        dirs = sorted(d for d in os.listdir(SRC) if os.path.isdir(os.path.join(SRC, d)))
        self.assertEqual(dirs, sorted(ALLOWED), "a directory of src/ with no place in the layers")

    def test_includes_go_down_only(self):
        wrong = []
        for layer, allowed in ALLOWED.items():
            root = os.path.join(SRC, layer)
            for name in sorted(os.listdir(root)):
                if not name.endswith((".c", ".h")):
                    continue
                for dep in project_includes(os.path.join(root, name)):
                    if dep not in allowed:
                        wrong.append("src/%s/%s includes from %s/" % (layer, name, dep))
        self.assertEqual(wrong, [])

    def test_the_checker_sees_includes(self):
        # The pattern must match the project's include lines, or the test
        # above would pass on nothing.
        found = project_includes(os.path.join(SRC, "api", "dispatch.c"))
        self.assertIn("http", found)
        self.assertIn("api", found)
        self.assertIn("domain", found)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + ["-v"] + sys.argv[1:])
