"""kader fmt: the canonical layout (docs/fmt.md), as a user runs it.

Each case is a dict as in tests/cli_cases.py. tests/fmt/NAME.in is a model
as someone might write it and tests/fmt/NAME.out the same model formatted;
both are run through `kader fmt -` (the .out must come back unchanged), and
both must print the same when run. The inputs are not .kader files, because
tests/run.py runs every .kader file under tests/ as a language test.
Cases that write files copy the inputs into a fresh directory under
build/fmt-tests/ first (mktemp, removed afterwards), so parallel runs do not
meet. tests/fmt/check_examples.sh formats every model under examples/ and
stdlib/ (twice: the second time changes nothing) and runs the examples
formatted. To regenerate a golden file after checking the change:

    ./kader fmt - < tests/fmt/NAME.in > tests/fmt/NAME.out
"""

from pathlib import Path

FMT = Path(__file__).resolve().parent / "fmt"

# spacing, indentation of nested blocks and continued lines, every place a
# comment can be, text and regex literals, kinds and declarations, numbers,
# units and ranges
NAMES = ["spacing", "indent", "comments", "literals", "decls", "units"]


def text(name):
    return (FMT / name).read_text(encoding="utf-8")


def shell(script):
    """A case that runs a shell script from the root in a fresh directory
    $d under build/fmt-tests/, removed however the script ends."""
    return ["sh", "-c",
            "set -u; mkdir -p build/fmt-tests; "
            "d=$(mktemp -d build/fmt-tests/case.XXXXXX) || exit 2; "
            "trap 'rm -rf \"$d\"' EXIT; " + script]


CASES = []
for name in NAMES:
    CASES.append({"args": ["fmt", "-"], "stdin": text(name + ".in"),
                  "stdout_file": "tests/fmt/{}.out".format(name),
                  "stderr_file": "tests/golden/empty"})
    # formatted text is left exactly as it is
    CASES.append({"args": ["fmt", "-"], "stdin": text(name + ".out"),
                  "stdout_file": "tests/fmt/{}.out".format(name)})

CASES += [
    # the formatted models mean the same: they print the same
    {"command": shell(
        "for n in " + " ".join(NAMES) + "; do "
        "KADER tests/fmt/$n.in > \"$d/in\" 2>&1 || echo \"$n.in fails\"; "
        "KADER tests/fmt/$n.out > \"$d/out\" 2>&1 || echo \"$n.out fails\"; "
        "cmp -s \"$d/in\" \"$d/out\" || echo \"$n prints something else\"; "
        "done; echo checked"),
     "stdout": "checked\n"},

    # a file that does not lex or parse: located like any Kader error, with
    # the line and a caret; exit 2, nothing on stdout
    {"args": ["fmt", "-"], "stdin": text("lexerror.in"), "exit": 2, "stdout": "",
     "stderr_has": ["<stdin>:3:11: error: unexpected character '$'\n",
                    "    3 | let y = x $ 2\n", "      |           ^\n"]},
    {"args": ["fmt", "-"], "stdin": text("parseerror.in"), "exit": 2, "stdout": "",
     "stderr_has": ["<stdin>:2:13: error: the '[' of the list on line 2 is never closed; it probably should be closed before line 3"]},
    # ... and a file with one is left untouched
    {"command": shell(
        "cp tests/fmt/lexerror.in \"$d/fout.kader\"; "
        "KADER fmt \"$d/fout.kader\" 2> \"$d/err\"; rc=$?; "
        "sed \"s#$d#DIR#\" \"$d/err\" >&2; "
        "cmp -s tests/fmt/lexerror.in \"$d/fout.kader\" || echo changed; exit $rc"),
     "exit": 2, "stdout": "",
     "stderr_has": ["DIR/fout.kader:3:11: error: unexpected character '$'"]},

    # in place: each file rewritten, keeping its permissions; a directory
    # means the .kader files under it (not hidden ones, not other files);
    # a second run has nothing left to do
    {"command": shell(
        "cp tests/fmt/spacing.in \"$d/a.kader\"; chmod 751 \"$d/a.kader\"; "
        "mkdir \"$d/sub\" \"$d/.verborgen\"; "
        "cp tests/fmt/units.in \"$d/sub/b.kader\"; "
        "cp tests/fmt/units.in \"$d/.verborgen/c.kader\"; "
        "cp tests/fmt/units.in \"$d/notities.txt\"; "
        "KADER fmt \"$d/a.kader\" \"$d/sub\" \"$d/.verborgen/../notities.txt\"; "
        "rc=$?; "
        "cmp -s tests/fmt/spacing.out \"$d/a.kader\" || echo 'a not formatted'; "
        "cmp -s tests/fmt/units.out \"$d/sub/b.kader\" || echo 'b not formatted'; "
        "cmp -s tests/fmt/units.out \"$d/notities.txt\" || echo 'named file not formatted'; "
        "cmp -s tests/fmt/units.in \"$d/.verborgen/c.kader\" || echo 'hidden changed'; "
        "[ \"$(stat -c %a \"$d/a.kader\")\" = 751 ] || echo 'mode lost'; "
        "ls -a \"$d\" | grep tmp; "
        "KADER fmt --check \"$d\" || echo 'second run finds work'; exit $rc"),
     "stdout": ""},

    # --check: one line per file that is not formatted, exit 1, nothing
    # changed
    {"command": shell(
        "cp tests/fmt/spacing.in \"$d/a.kader\"; "
        "cp tests/fmt/spacing.out \"$d/b.kader\"; mkdir \"$d/c\"; "
        "cp tests/fmt/units.in \"$d/c/d.kader\"; "
        "KADER fmt --check \"$d\" > \"$d/out\"; rc=$?; sed \"s#$d#DIR#\" \"$d/out\"; "
        "cmp -s tests/fmt/spacing.in \"$d/a.kader\" || echo 'a changed'; "
        "cmp -s tests/fmt/units.in \"$d/c/d.kader\" || echo 'd changed'; exit $rc"),
     "exit": 1,
     "stdout": "DIR/a.kader: not formatted\nDIR/c/d.kader: not formatted\n"},
    # ... exit 0 and silent when everything is formatted
    {"args": ["fmt", "--check", "tests/fmt/spacing.out", "tests/fmt/units.out"],
     "stdout": ""},
    {"args": ["fmt", "--check", "-"], "stdin": text("indent.in"), "exit": 1,
     "stdout": "<stdin>: not formatted\n"},
    {"args": ["fmt", "--check", "-"], "stdin": text("indent.out"), "stdout": ""},
    # ... and exit 2 when a file has an error, whatever the others are
    {"args": ["fmt", "--check", "tests/fmt/spacing.in", "-"],
     "stdin": text("lexerror.in"), "exit": 2,
     "stdout": "tests/fmt/spacing.in: not formatted\n",
     "stderr_has": ["<stdin>:3:11: error:"]},

    # usage
    {"args": ["fmt"], "exit": 2, "stderr_has": ["name the files or directories"]},
    {"args": ["fmt", "--bogus", "x.kader"], "exit": 2,
     "stderr_has": ["unknown option --bogus"]},
    {"args": ["fmt", "--check", "geen-map"], "exit": 2,
     "stderr_has": ["cannot find geen-map"]},
    {"args": ["fmt", "--help"], "stdout_has": ["usage: kader fmt [--check]"]},

    # every model under examples/ and stdlib/: formatting twice changes
    # nothing, and the examples print the same formatted
    {"command": ["sh", "tests/fmt/check_examples.sh", "KADER", "twice"],
     "stdout_has": ["each formatted twice the same; 0 failed"]},
    {"command": ["sh", "tests/fmt/check_examples.sh", "KADER", "same"],
     "stdout_has": ["each printing the same when formatted; 0 failed"]},
    # a UTF-8 byte order mark is kept, and the layout after it is canonical
    # (regression: "unexpected character" at 1:1)
    {"args": ["fmt", "-"], "stdin": "\ufefflet a=1\nprint( a )\n",
     "stdout": "\ufefflet a = 1\nprint(a)\n"},
    {"args": ["fmt", "--check", "tests/language/errors/byte_order_mark.kader"],
     "stdout": ""},
    # Windows line endings become line feeds (docs/fmt.md)
    {"args": ["fmt", "-"], "stdin": "let a=1\r\nprint( a )\r\n",
     "stdout": "let a = 1\nprint(a)\n"},
    # a last line without a line break gets one (regression, found by the
    # fmt fuzz target: "kader fmt would change the meaning")
    {"args": ["fmt", "-"], "stdin": "let a=1\nprint( a )", "stdout": "let a = 1\nprint(a)\n"},
    {"args": ["fmt", "-"], "stdin": "x", "stdout": "x\n"},
]
