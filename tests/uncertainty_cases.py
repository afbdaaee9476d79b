"""The uncertainty example as a user runs it (docs/uncertainty.md): the
percentiles, the chance, the histogram and the tornado of the thesis's
costs with PERT distributions, byte for byte on its fixed seed. Same format
as tests/cli_cases.py; run by tests/run.py.
"""

CASES = [
    {"args": ["examples/kosten-onzekerheid.kader"],
     "stdout_file": "tests/golden/kosten-onzekerheid.txt"},
    {"args": ["examples/kosten-onzekerheid.kader"],
     "stdout_has": ["Incidentele kosten: 5% € 20.",
                    "Wat de spreiding van de vaste kosten bepaalt:",
                    "Website kosten database (website_database.amount)"]},
]
