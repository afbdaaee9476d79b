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

# ---- long chains and deep nestings at 1 MB (tests/syntax/chain.py) ----
# Each ends with a located error (or the right answer) in every command that
# reads a model, never with a signal. The place is in c.kader; in the paper
# the block starts on line 4, so its lines are 3 further on.
TOO_LONG = ("this expression is too long: more than 1000 operators, calls, fields or"
            " indexes in a row; split it into parts with let")
NESTED = "nested too deeply (more than 200 levels)"
CHAINS = {
    "add": (1, 2006, TOO_LONG), "mul": (1, 4005, TOO_LONG),
    "field": (2, 2006, TOO_LONG), "call": (2, 2006, TOO_LONG),
    "index": (2, 3005, TOO_LONG), "or": (1, 9004, TOO_LONG),
    "and": (1, 9003, TOO_LONG), "in": (1, 5006, TOO_LONG),
    "mixed": (2, 10955, TOO_LONG),
    "to": (1, 14, "ranges cannot be chained; use parentheses"),
    "compare": (1, 13, "comparisons cannot be chained; use 'and'"),
    "minus": (1, 206, NESTED), "not": (1, 803, NESTED), "pow": (1, 406, NESTED),
    "paren": (1, 206, NESTED), "list": (1, 206, NESTED), "record": (1, 803, NESTED),
    "interp": (1, 408, NESTED), "fn": (1, 1815, NESTED), "block": (1, 2008, NESTED),
    "decl": (2, 1201, NESTED),
    "elseif": (2, 27973, "too long an 'else if' chain: more than 1000; split it, or"
                         " look the value up in a record or list"),
    "typeor": (1, 10010, "too many types joined with 'or' (more than 1000)"),
    # long but not deep: compile-time limits of the bytecode, or the answer
    "block_statements": (2, 1, "this block is too large to jump over"),
    "long_list": (1, 9, "list literal is too long"),
}
# how each command reports a syntax error: its exit code
COMMANDS = [("run", "KADER \"$d/c.kader\"", 2), ("check", "KADER check \"$d/c.kader\"", 1),
            ("test", "KADER test \"$d/c.kader\"", 1),
            ("fmt", "KADER fmt --check \"$d/c.kader\"", 2),
            ("paper", "KADER --output \"$d\" run \"$d/c.md\"", 2)]
# what is only a compile error: kader fmt lays it out as it lays out any model
COMPILE_ONLY = {"block_statements", "long_list"}


def chain_case(kind, command, script, code):
    line, col, message = CHAINS[kind]
    name = "c.md" if command == "paper" else "c.kader"
    if command == "paper":
        line += 3
    if command == "fmt" and kind in COMPILE_ONLY:
        want = "exit 0\n"
    else:
        want = "exit {}\n{}:{}:{}: {}\n".format(code, name, line, col, message)
    return {"command": shell(
        "python3 tests/syntax/chain.py {k} > \"$d/c.kader\" && "
        "python3 tests/syntax/chain.py {k} --md > \"$d/c.md\" || exit 3; "
        "{s} > \"$d/out\" 2>&1; rc=$?; "
        "[ $rc -ge 128 ] && echo \"signal $rc\"; echo \"exit $rc\"; "
        "grep -o -m1 '{n}:[0-9]*:[0-9]*: .*' \"$d/out\" | "
        "sed 's/: error: /: /; s/: the model stopped: /: /'; :".format(
            k=kind, s=script, n=name.replace(".", "\\."))),
        "stdout": want}


for kind in CHAINS:
    for command, script, code in COMMANDS:
        CASES.append(chain_case(kind, command, script, code))

# a long program of short statements runs, and checks and formats cleanly
CASES += [
    {"command": shell("python3 tests/syntax/chain.py statements > \"$d/c.kader\"; "
                      "KADER \"$d/c.kader\"; KADER check \"$d/c.kader\"; "
                      "KADER fmt --check \"$d/c.kader\" && echo formatted"),
     "stdout": "149793\n0 passed, 0 failed\nformatted\n"},
    {"command": shell("python3 tests/syntax/chain.py statements --md > \"$d/c.md\"; "
                      "KADER --output \"$d\" run \"$d/c.md\" && grep -c 149793 \"$d/c.out.md\""),
     "stdout": "1\n"},
]

# ---- misspelt keywords in kader check (the REPL: tests/repl_sessions.py) ----
CASES += [
    {"command": shell("printf 'lte x = 1\\n' > \"$d/m.kader\"; "
                      "KADER check \"$d/m.kader\" | sed \"s#$d#DIR#\""),
     "stdout": "DIR/m.kader:1:1: 'lte' is not a keyword: did you mean 'let'?\n"
               "0 passed, 1 failed\n"},
    {"command": shell("printf 'fn f(x) {\\n  retrun x\\n}\\nf(1)\\n' > \"$d/m.kader\"; "
                      "KADER check \"$d/m.kader\" | sed \"s#$d#DIR#\""),
     "stdout": "DIR/m.kader:2:3: there is no kind 'retrun', and 'retrun' is not a keyword:"
               " did you mean 'return'?\n"
               "DIR/m.kader:2:3: the model stopped: there is no kind 'retrun', and 'retrun'"
               " is not a keyword: did you mean 'return'?\n0 passed, 2 failed\n"},
]

# ---- large or endless input ----
CASES += [
    # what is not a regular file is refused before it is read
    {"args": ["/dev/zero"], "exit": 2,
     "stderr_has": ["kader: cannot read /dev/zero: it is not a regular file"]},
    {"args": ["check", "/dev/zero"], "exit": 1,
     "stdout_has": ["cannot read /dev/zero: it is not a regular file"]},
    {"args": ["-e", "import \"/dev/zero\""], "exit": 1,
     "stderr_has": ["cannot import \"/dev/zero\": it is not a regular file"]},
    {"command": shell("ln -s /dev/zero \"$d/p.md\"; KADER --output \"$d\" run \"$d/p.md\" "
                      "2>&1 | sed \"s#$d#DIR#\""),
     "stdout": "kader: cannot read DIR/p.md: it is not a regular file\n"},
    # a model larger than the limit: an error that says the limit
    {"command": shell("head -c 16777217 /dev/zero | tr '\\0' '\\n' > \"$d/big.kader\"; "
                      "KADER \"$d/big.kader\" 2>&1 | sed \"s#$d#DIR#\"; "
                      "printf 'import \"big.kader\"\\n' > \"$d/m.kader\"; "
                      "KADER \"$d/m.kader\" 2>&1 | head -1 | sed \"s#$d#DIR#\""),
     "stdout": "kader: cannot read DIR/big.kader: it is larger than 16 MB, the most a model"
               " may be (data belongs in a CSV file)\n"
               "DIR/m.kader:1:1: runtime error: cannot import \"big.kader\": it is larger"
               " than 16 MB, the most a model may be (data belongs in a CSV file)\n"},
    {"command": shell("head -c 16777217 /dev/zero | tr '\\0' '\\n' | KADER - 2>&1 | head -1; "
                      "KADER - < /dev/zero; echo \"exit $?\""),
     "stdout": "<stdin>:1:1: error: the model is larger than 16 MB, the most a model may be;"
               " data belongs in a CSV file\nexit 1\n"},
    {"command": shell("head -c 16777217 /dev/zero | KADER fmt -; echo \"exit $?\""),
     "stdout": "exit 2\n"},
    # the syntax tree counts against --memory-limit
    {"command": shell("python3 -c \"print('let l = [' + '1, ' * 60000 + '1]')\" > \"$d/l.kader\"; "
                      "echo 'print(len(l))' >> \"$d/l.kader\"; "
                      "KADER --memory-limit 5 \"$d/l.kader\" 2>&1 | head -c 200 | head -1 | "
                      "sed -E \"s#$d#DIR#; s#:1:[0-9]+:#:1:COLUMN:#\"; "
                      "KADER --memory-limit 50 \"$d/l.kader\""),
     # where the limit is reached depends on what the library holds already
     "stdout": "DIR/l.kader:1:COLUMN: error: out of memory\n60001\n"},
    # a large model is compiled statement by statement: only the largest
    # statement's tree is in memory, so 2 MB of `let` lines (50 000 of them)
    # compile and run within 32 MB counted memory (16 times the source; with
    # the whole tree kept it needed more than 64 MB)
    {"command": shell("python3 -c \"import sys\n"
                      "for i in range(50000): sys.stdout.write("
                      "'let x%d = %d h/week + %d h/quarter\\\\n' % (i, i % 97, i % 13))\n"
                      "print('print(round(x49999, 2))')\" > \"$d/m.kader\"; "
                      "KADER --memory-limit 32 \"$d/m.kader\""),
     "stdout": "44,08 h/week\n"},
]
