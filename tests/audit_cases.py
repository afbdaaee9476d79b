"""The synthetic municipal audit (examples/gemeente-audit.kader) as a user
runs it: norms judged from evidence, a numeric norm and a procedure in the
report (text, Markdown, JSON, English), and `kader check`, which fails on
the norm whose published verdict the evidence does not support. Same
format as tests/cli_cases.py; run by tests/run.py.
"""

EX = "examples/gemeente-audit.kader"
G = "tests/golden/gemeente-audit"

CASES = [
    {"args": [EX], "stdout_file": G + ".txt", "stderr_file": G + ".stderr"},
    {"args": ["--format", "md", EX], "stdout_file": G + ".md"},
    {"args": ["--format", "json", EX], "stdout_file": G + ".json"},
    {"args": ["--locale", "en", EX], "stdout_file": G + ".en.txt"},
    # the finding about the published verdict, at the norm; exit 1
    {"args": ["check", EX], "exit": 1, "stdout_file": G + ".check.txt"},
    {"args": ["--locale", "en", "check", EX], "exit": 1, "stdout_file": G + ".check.en.txt"},
    # what the report must say, whatever else changes around it
    {"args": [EX],
     "stdout_has": ["  De gemeente heeft een actueel thuiszittersbeleid        deels voldaan       voldaan (niet gestaafd)\n",
                    "  Vaststelling van het ondersteuningsplan 2024-2028  deels voldaan\n",
                    "vond plaats vóór 'Op overeenstemming"]},
]
