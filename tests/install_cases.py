"""`make install PREFIX=…` and the installed kader.pc, as a C programmer who
embeds Kader uses them (tests/install/check.sh). A case as in
tests/cli_cases.py, with "command" instead of "args"."""

CASES = [
    {"command": ["sh", "tests/install/check.sh", "BUILD"],
     "stdout": "installed: bin/kader lib/libkader.a include/kader.h"
               " lib/pkgconfig/kader.pc\n"
               "pkg-config: kader 0.3.0\n"
               "Totaal: 12,88 h/week\n"
               "kader 42\n"},
]
