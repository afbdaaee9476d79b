"""Scenarios from the command line (docs/scenarios.md): the example that
imports the flagship, kader compare, --scenario and --set. Same format as
tests/cli_cases.py; run by tests/run.py. Regenerate a golden file with the
command of its case, after checking the change.
"""

MODEL = "examples/provincie.kader"
SCENARIOS = "examples/scenarios.kader"
MEDEWERKER = "medewerker.amount=€ 15000/year to € 20000/year"

CASES = [
    # the example: comparison, sweep and break-even; the import prints no
    # report of the flagship (its findings do go to stderr)
    {"args": [SCENARIOS], "stdout_file": "tests/golden/scenarios.txt",
     "stderr_file": "tests/golden/scenarios.stderr"},
    {"args": ["--format", "md", SCENARIOS], "stdout_file": "tests/golden/scenarios.md"},
    {"args": [SCENARIOS], "stdout_lacks": ["Tijdsbesteding per taak"]},
    # kader compare: every scenario beside its role, without running main { }
    {"args": ["--format", "json", "compare", SCENARIOS],
     "stdout_file": "tests/golden/scenarios-compare.json"},
    {"args": ["--locale", "en", "compare", SCENARIOS],
     "stdout_file": "tests/golden/scenarios-compare.en.txt"},
    {"args": ["compare", MODEL], "exit": 1,
     "stderr_has": ["the model declares no scenarios"]},
    {"args": ["compare"], "exit": 2, "stderr_has": ["kader compare: name the model"]},
    # --scenario: the report of one scenario, before or after the file name
    {"args": ["--scenario", "zonder_meldtool", SCENARIOS],
     "stdout_has": ["De mogelijke rol van de provincie bij de aanpak van thuiszitters: scenario Zonder meldtool\n",
                    "  Totaal 8,88 uur per week, 0,25 fte.\n",
                    "  rol.tasks  Thuiszitters in beeld"]},
    {"args": [SCENARIOS, "--scenario", "kleine_rol"],
     "stdout_has": ["scenario Kleine rol\n", "  Totaal 8,50 uur per week, 0,24 fte.\n"]},
    {"args": ["--scenario", "zestien", SCENARIOS], "exit": 1,
     "stderr_has": ["kader: --scenario zestien: the model has no scenario of that name"]},
    {"args": ["--scenario", "zonder_meldtool", MODEL], "exit": 1,
     "stderr_has": ["examples/provincie.kader:302:8: runtime error: --scenario zonder_meldtool: the model has no scenario of that name"]},
    {"args": ["--scenario", "1x", MODEL], "exit": 2,
     "stderr_has": ["--scenario needs the name of a scenario of the model (not '1x')"]},
    # --set: one value for one run, as if the model said so
    {"args": ["--set", MEDEWERKER, MODEL],
     "stdout_has": ["  Totaal vaste kosten                                            € 15.800 tot € 140.000 per jaar\n"]},
    {"args": [MODEL, "--set=" + MEDEWERKER],
     "stdout_has": ["€ 15.800 tot € 140.000 per jaar"]},
    {"args": ["--set", "overleg.notuleren.hours=8 h/quarter", MODEL], "exit": 1,
     "stdout_has": ["  Totaal                                 13,19\n"],
     "stderr_has": ["expected 12,88 h/week within 0,005 h/week, got 13,19 h/week"]},
    {"args": ["--set", "medewerker.amount=€ 15000/yaer", MODEL], "exit": 1,
     "stdout": "", "stderr_has": ["--set medewerker.amount:2:1: runtime error: unknown unit 'yaer'",
                                  "    2 | € 15000/yaer\n"]},
    {"args": ["--set", "medewerker.amount=15 h/week", MODEL], "exit": 1,
     "stderr_has": ["examples/provincie.kader:73:6: runtime error: --set medewerker.amount: field 'amount' of a cost must be"]},
    {"args": ["--set", "medewerker.amuont=€ 5/year", MODEL], "exit": 1,
     "stderr_has": ["--set medewerker.amuont: cost medewerker has no field 'amuont' (did you mean 'amount'?)"]},
    {"args": ["--set", "medewerkr.amount=€ 5/year", MODEL], "exit": 1,
     "stderr_has": ["kader: --set medewerkr.amount: the model declares no 'medewerkr' (did you mean 'medewerker'?)"]},
    {"args": ["--set", "medewerker=3", MODEL], "exit": 2,
     "stderr_has": ["--set needs PATH=VALUE"]},
    # arguments other than ours still reach the model
    {"args": ["-e", "print(args)", "a", "b"], "stdout": "[\"a\"; \"b\"]\n"},
]
