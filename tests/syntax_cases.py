"""The front end's limits (issue 13: the decimal comma, long chains, large
input, a missing bracket, misspelt keywords) through every command that
reads a model: running it, `kader check`, `kader test`, `kader fmt` and
literate papers. Each case is a dict as in tests/cli_cases.py.

Cases with big generated inputs write them under build/syntax-tests/ (each
case in a fresh directory of its own, removed afterwards)."""

DECIMAL = ("'6,5' is ambiguous: write 6.5 for one number (the decimal point is"
           " '.'), or 6, 5 for two numbers")


def shell(script):
    """A case that runs a shell script from the root in a fresh directory $d
    under build/syntax-tests/, removed however the script ends."""
    return ["sh", "-c",
            "set -u; mkdir -p build/syntax-tests; "
            "d=$(mktemp -d build/syntax-tests/case.XXXXXX) || exit 2; "
            "trap 'rm -rf \"$d\"' EXIT; " + script]


CASES = [
    # ---- the decimal comma: the same error wherever a model is read ----
    {"args": ["-e", "print(mean([6,5, 7]))"], "exit": 2, "stdout": "",
     "stderr_has": ["<-e>:1:14: error: " + DECIMAL, "      |              ^\n"]},
    {"command": shell("printf 'let x = [6,5]\\n' > \"$d/m.kader\"; "
                      "KADER check \"$d/m.kader\" | sed \"s#$d#DIR#\""),
     "stdout": "DIR/m.kader:1:11: " + DECIMAL + "\n0 passed, 1 failed\n"},
    {"command": shell("printf 'let x = [6,5]\\nexpect len(x) == 2\\n' > \"$d/m.kader\"; "
                      "KADER test \"$d/m.kader\" | sed \"s#$d#DIR#\""),
     "stdout": "DIR/m.kader:1:11: the model stopped: " + DECIMAL + "\n0 passed, 1 failed\n"},
    {"args": ["fmt", "-"], "stdin": "let x = [6,5]\n", "exit": 2, "stdout": "",
     "stderr_has": ["<stdin>:1:11: error: " + DECIMAL]},
    {"command": shell(
        "printf '# Paper\\n\\n```kader\\nlet x = [6,5]\\n```\\n' > \"$d/p.md\"; "
        "KADER --output \"$d\" run \"$d/p.md\" 2>&1 | sed \"s#$d#DIR#\"; "
        "test -e \"$d/p.out.md\" && echo written; :"),
     "stdout": "DIR/p.md:4:11: error: " + DECIMAL + "\n    4 | let x = [6,5]\n"
               "      |           ^\n"},
    {"command": shell(
        "printf 'Het maximum is `k: max(6,5)`.\\n' > \"$d/p.md\"; "
        "KADER --output \"$d\" run \"$d/p.md\" 2>&1 | sed \"s#$d#DIR#\" | head -1"),
     "stdout": "DIR/p.md:1:25: error: " + DECIMAL + "\n"},
    # kader fmt writes ", " between items, so its output never has the problem
    {"args": ["fmt", "-"], "stdin": "let l = [a,b ,c]\nprint(f(x,\"y\"),[1 ,2],{a:1,b:2})\n",
     "stdout": "let l = [a, b, c]\nprint(f(x, \"y\"), [1, 2], {a: 1, b: 2})\n"},
]
