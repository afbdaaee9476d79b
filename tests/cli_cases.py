"""The command-line tool as a user runs it: one case a dict.

args: the arguments (KADER stands for the interpreter's path); stdin: text
piped in (otherwise stdin is empty); exit: the expected exit code (0);
stdout: the exact output; stdout_has / stderr_has: texts that must appear;
stdout_lacks: texts that must not; env: extra environment variables; tty:
run on a pseudo-terminal (stdout and stderr together);
stdout_file / stderr_file: a golden file the output must equal byte for byte
(regenerate one with the command in its case after checking the change).
Run by tests/run.py, which counts each case as one test.
"""

import os

# kader's default memory limit: half the physical memory, in whole megabytes
# (at most 16 TiB), as main.c computes it
DEFAULT_MEMORY_MB = min(os.sysconf("SC_PHYS_PAGES") // 2 * os.sysconf("SC_PAGE_SIZE")
                        // 2**20, 16777216)
MEMORY_LIMIT_RANGE = ("--memory-limit takes a whole number of megabytes from 1 to "
                      "16777216, or 0 for no limit")

CASES = [
    {"args": ["--version"], "stdout_has": ["kader 0.3.0", "language 0.3"]},
    {"args": ["--help"], "stdout_has": ["usage: kader", "--locale"]},
    {"args": ["-e", "print(1 + 2)"], "stdout": "3\n"},
    {"args": ["--locale", "en", "-e", "print(0.5, € 1234.5)"],
     "stdout": "0.5 €1,234.50\n"},
    {"args": ["--locale=nl", "-e", "print(0.5, € 1234.5)"],
     "stdout": "0,5 € 1.234,50\n"},
    {"args": ["-"], "stdin": "print(\"van stdin\")\n", "stdout": "van stdin\n"},
    # no arguments and stdin not a terminal: the program is read from stdin,
    # with no prompts
    {"args": [], "stdin": "let x = 2\nprint(x * 21)\n", "stdout": "42\n"},
    {"args": ["-e", "print(args)", "a", "b"], "stdout": "[\"a\"; \"b\"]\n"},
    {"args": ["tests/cli/args.kader", "een", "twee"], "stdout": "2 een twee\n"},
    {"args": ["tests/cli/shebang.kader"], "stdout": "shebang ok\n"},
    {"args": ["-e", "let x = "], "exit": 2,
     "stderr_has": ["<-e>:1:8: error: expected an expression"]},
    {"args": ["-e", "print(1 h + € 1)"], "exit": 1,
     "stderr_has": ["<-e>:1:7: runtime error: cannot add h and €"]},
    {"args": ["geen-bestand.kader"], "exit": 2,
     "stderr_has": ["cannot read geen-bestand.kader"]},
    {"args": ["--onbekend"], "exit": 2, "stderr_has": ["unknown option --onbekend"]},
    {"args": ["--locale", "fr", "-e", "1"], "exit": 2,
     "stderr_has": ["--locale takes nl or en"]},
    {"args": ["-e"], "exit": 2, "stderr_has": ["-e needs code"]},
    {"args": ["--memory-limit", "16", "-e",
              "var xs = [1]\nwhile true { xs = xs + xs }"], "exit": 1,
     "stderr_has": ["runtime error: out of memory"]},
    # the memory limit: a default the help names, a range, and a message
    # that says how to raise it
    {"args": ["--help"], "stdout_has": [
        "(default: half the physical memory, here %d MB; 0: no limit)" % DEFAULT_MEMORY_MB]},
    {"args": ["--memory-limit", "17592186044417", "-e", "print(1)"], "exit": 2,
     "stderr_has": [MEMORY_LIMIT_RANGE + " (not 17592186044417)"]},
    {"args": ["--memory-limit", "16777217", "-e", "print(1)"], "exit": 2,
     "stderr_has": [MEMORY_LIMIT_RANGE + " (not 16777217)"]},
    {"args": ["--memory-limit", "-5", "-e", "print(1)"], "exit": 2,
     "stderr_has": [MEMORY_LIMIT_RANGE + " (not -5)"]},
    {"args": ["--memory-limit", "50MB", "-e", "print(1)"], "exit": 2,
     "stderr_has": [MEMORY_LIMIT_RANGE + " (not 50MB)"]},
    {"args": ["--memory-limit"], "exit": 2, "stderr_has": [MEMORY_LIMIT_RANGE]},
    {"args": ["--memory-limit", "16777216", "-e", "print(1)"], "stdout": "1\n"},
    {"args": ["--memory-limit=0", "-e", "print(1)"], "stdout": "1\n"},
    # a limit too small for the standard library says so (without
    # GC_STRESS=1, whose collection on every allocation keeps the heap small)
    {"command": ["sh", "-c", "unset KAD''ER_GC_STRESS; exec KADER --memory-limit=1 -e 'print(1)'"],
     "exit": 1, "stdout": "",
     "stderr_has": ["kader: could not start: the standard library needs more than the "
                    "memory limit of 1 MB (--memory-limit MB raises it)"]},
    {"args": ["--memory-limit=4", "-e", "var xs = [1]\nwhile true { xs = xs + xs }"],
     "exit": 1, "stderr_has": [
         "<-e>:2:14: runtime error: out of memory: the model needs more than its memory "
         "limit of 4 MB (kader --memory-limit MB raises it; 0 switches it off)"]},
    # 65 000 unit declarations, and a chain of 30 000 units each defined by
    # the one before: linear (on main they took 9 s and 23 s of CPU). About
    # size, not the collector: without make test GC_STRESS=1's collection on
    # every allocation, which would take minutes here (KAD''ER: the runner
    # replaces KADER with the interpreter's path).
    {"command": ["sh", "-c", "unset KAD''ER_GC_STRESS; python3 -c \"print('\\\\n'.join('unit u%d' % i for i in "
                 "range(65000))); print('print(1 u64999)')\" > BUILD/units65000.kader && "
                 "exec KADER BUILD/units65000.kader"], "stdout": "1 u64999\n"},
    {"command": ["sh", "-c", "unset KAD''ER_GC_STRESS; python3 -c \"print('unit u0'); print('\\\\n'.join('unit u%d "
                 "= 2 u%d' % (i, i - 1) for i in range(1, 30000))); print('print(1 u29999 "
                 "in u0, 1 u1 in u0)')\" > BUILD/unitchain.kader && "
                 "exec KADER BUILD/unitchain.kader"], "stdout": "∞ u0 2 u0\n"},
    # a CSV table counts too, and a model stopped while reading one leaks
    # nothing (make asan)
    {"command": ["sh", "-c", "seq 1 200000 > BUILD/rows.csv && exec KADER --memory-limit 4 "
                 "-e 'print(len(read_csv(\"BUILD/rows.csv\").rows))'"], "exit": 1,
     "stderr_has": ["out of memory: the model needs more than its memory limit of 4 MB"]},
    {"command": ["sh", "-c", "unset KAD''ER_GC_STRESS; seq 1 200000 > BUILD/rows.csv && "
                 "exec KADER -e 'print(len(read_csv(\"BUILD/rows.csv\").rows))'"],
     "stdout": "199999\n"},
    {"args": ["tests"], "exit": 2, "stderr_has": ["it is a directory"]},
    # the flagship model: the whole report, in each format, and its findings
    {"args": ["examples/provincie.kader"],
     "stdout_file": "tests/golden/provincie.txt",
     "stderr_file": "tests/golden/provincie.stderr"},
    {"args": ["--format", "md", "examples/provincie.kader"],
     "stdout_file": "tests/golden/provincie.md"},
    {"args": ["--format", "json", "examples/provincie.kader"],
     "stdout_file": "tests/golden/provincie.json"},
    {"args": ["--locale", "en", "examples/provincie.kader"],
     "stdout_file": "tests/golden/provincie.en.txt"},
    # colour only on a terminal, and never with NO_COLOR
    # the standard library's load under a collection on every allocation
    # (KADER_GC_STRESS=1 loads it without, for speed; this case covers it)
    {"args": ["examples/provincie.kader"], "env": {"KADER_GC_STRESS": "full"},
     "stdout_file": "tests/golden/provincie.txt", "stderr_file": "tests/golden/provincie.stderr"},
    {"args": ["examples/provincie.kader"], "tty": True,
     "stdout_has": ["\x1b[31mrood\x1b[0m", "\x1b[1mKosten\x1b[0m"]},
    {"args": ["examples/provincie.kader"], "tty": True, "env": {"NO_COLOR": "1"},
     "stdout_has": ["rood"], "stdout_lacks": ["\x1b["]},
    {"args": ["examples/provincie.kader"], "stdout_lacks": ["\x1b["]},
    # raw answers from a Dutch Excel export reproduce the published figures
    {"args": ["examples/csv.kader"], "stdout_file": "tests/golden/csv.txt",
     "stderr_file": "tests/golden/empty"},
]
