"""Content analysis: examples/inhoudsanalyse.kader codes 40 synthetic
support plans (examples/data/ondersteuningsplannen.csv) on five variables
with ordinal rubrics, reports the levels, cumulative shares and crosstabs
by sector, and checks the tables a (made-up) report published: one of each
kind of inconsistency is found, the tables that add up to 99% and 101%
from rounding are not.

Same case format as tests/cli_cases.py (run by tests/run.py). Regenerate a
golden file, after checking the change, with the command of its case, e.g.

    ./kader examples/inhoudsanalyse.kader > tests/golden/inhoudsanalyse.txt
    ./kader check examples/inhoudsanalyse.kader > tests/golden/inhoudsanalyse.check.txt
"""

EXAMPLE = "examples/inhoudsanalyse.kader"

CASES = [
    {"args": [EXAMPLE],
     "stdout_file": "tests/golden/inhoudsanalyse.txt",
     "stderr_file": "tests/golden/inhoudsanalyse.stderr"},
    {"args": ["--format", "md", EXAMPLE],
     "stdout_file": "tests/golden/inhoudsanalyse.md",
     "stdout_lacks": ["\x1b["]},
    {"args": ["--format", "json", EXAMPLE],
     "stdout_file": "tests/golden/inhoudsanalyse.json"},
    {"args": ["--locale", "en", EXAMPLE],
     "stdout_file": "tests/golden/inhoudsanalyse.en.txt",
     "stdout_lacks": ["Totaal", "Niveau", "gepubliceerd"]},
    # kader check: one line per finding, at the analysis; exit 1
    {"args": ["check", EXAMPLE], "exit": 1,
     "stdout_file": "tests/golden/inhoudsanalyse.check.txt"},
    # the tables that add up to 99% (the vo column of 'Aanpak thuiszitters',
    # 'Arrangementen' of 2018) and 101% ('Arrangementen', 'Doorgaande lijn'
    # of 2018) are legitimate rounding: no finding names them
    {"args": ["check", EXAMPLE], "exit": 1,
     "stdout_lacks": ["'Arrangementen en voorzieningen'", "(sector vo)",
                      "Inventarisatie 2018 (alleen gepubliceerd), 'Doorgaande lijn"],
     "stdout_has": ["0 passed, 5 failed\n"]},
    # in English, in full
    {"args": ["--locale", "en", "check", EXAMPLE], "exit": 1,
     "stdout_has": ["'Aanpak thuiszitters': the counts per level add up to 39, but n = 40",
                    "'Doorgaande lijn po-vo': published 30% for 'globaal', but 14 of 40 is 35%",
                    "published at least 'globaal': 70%, but the counts give 26 of 40 (65%)",
                    "(sector po): the counts per level add up to 18, but n = 19",
                    "the shares add up to 97%, not 100%"],
     "stdout_lacks": ["tellen op", ", maar ", "van de 40"]},
]
