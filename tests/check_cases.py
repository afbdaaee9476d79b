"""`kader check` as a reviewer runs it in CI (a case as in tests/cli_cases.py):
each failed claim or consistency finding on one line with its location,
"N passed, N failed" last, exit 1 when anything failed."""

CASES = [
    {"args": ["check", "tests/check/consistent.kader"], "stdout": "2 passed, 0 failed\n"},
    {"args": ["check", "tests/check/contradicted.kader"], "exit": 1,
     "stdout": "tests/check/contradicted.kader:3:7: claim '83%' (r. 12): the data give"
               " 81,5% (75 of 92).\n"
               "tests/check/contradicted.kader:4:7: claim '68%' (r. 20): impossible for"
               " N = 89; the nearest possible values are 67,4% and 68,5%.\n"
               "tests/check/contradicted.kader:5:7: claim 'ruim de helft': 'ruim de helft'"
               " means more than 50% and at most 60%, but the data give 48,0%.\n"
               "0 passed, 3 failed\n"},
    {"args": ["--locale", "en", "check", "tests/check/contradicted.kader"], "exit": 1,
     "stdout_has": ["the data give 81.5% (75 of 92).", "67.4% and 68.5%."]},
    # bounds from marginal counts: a possible claim is a note that passes
    {"args": ["check", "tests/check/bounds.kader"], "exit": 1,
     "stdout": "tests/check/bounds.kader:10:7: note: claim '20 scholen kregen beide' (p. 4):"
               " possible: the data allow 15 to 25; only the answers themselves can confirm it.\n"
               "tests/check/bounds.kader:11:7: claim 'tien scholen kregen beide' (p. 5):"
               " the data allow 15 to 25.\n"
               "1 passed, 1 failed\n"},
    {"args": ["--format", "json", "check", "tests/check/bounds.kader"], "exit": 1,
     "stdout_has": ['"ok": true, "note": true, "message": "claim \'20 scholen kregen beide\' (p. 4): possible']},
    # the thesis: its claims from chapters 5 and 6 and its own contradictions
    {"args": ["check", "examples/provincie.kader"], "exit": 1,
     "stdout": "examples/provincie.kader:345:7: claim 'meerderheid' (6.5, r. 2684):"
               " 'meerderheid' means more than 50%, but the data give 50,0% (20 of 40).\n"
               "examples/provincie.kader:351:7: claim 'geen enkele taak' (7, r. 2784):"
               " 'geen enkele' means at most 0%, but the data give 20,0% (1 of 5).\n"
               "examples/provincie.kader:122:7: Samenwerkingsverbanden: de strata tellen"
               " voor complete op tot 37, de groep geeft 40\n"
               "examples/provincie.kader:199:11: Provincies, 'Welk cijfer geeft u deze"
               " mogelijke taak?' over Regio overstijgende overleggen: gepubliceerd"
               " gemiddelde 1,75, maar de antwoorden 1, 1, 3, 4 geven 2,25\n"
               "6 passed, 4 failed\n"},
    {"args": ["--format", "json", "check", "tests/check/consistent.kader"],
     "stdout": "{\"results\": [{\"where\": \"tests/check/consistent.kader:2:7\", \"kind\":"
               " \"claim\", \"ok\": true, \"message\": \"claim 'elf van de veertig' (r. 3):"
               " the data give 11 of 40.\", \"status\": \"consistent\"}, {\"where\":"
               " \"tests/check/consistent.kader:3:7\","
               " \"kind\": \"claim\", \"ok\": true, \"message\": \"claim '27,5%': the data give"
               " 27,50% (11 of 40).\", \"status\": \"consistent\"}], \"passed\": 2, \"failed\": 0}\n"},
    # severity: an imprecise phrase is a note that passes; --strict fails it
    {"args": ["check", "tests/check/imprecise.kader"],
     "stdout": "tests/check/imprecise.kader:2:7: note: claim 'de helft van de scholen' (p. 3):"
               " imprecise: 'de helft' means at least 49,5% and less than 50,5%, and the data"
               " give 47,2%, within only its loose reading 45% to 55%.\n"
               "2 passed, 0 failed\n"},
    {"args": ["check", "--strict", "tests/check/imprecise.kader"], "exit": 1,
     "stdout": "tests/check/imprecise.kader:2:7: claim 'de helft van de scholen' (p. 3):"
               " imprecise: 'de helft' means at least 49,5% and less than 50,5%, and the data"
               " give 47,2%, within only its loose reading 45% to 55%.\n"
               "1 passed, 1 failed\n"},
    {"args": ["--strict", "check", "tests/check/imprecise.kader"], "exit": 1,
     "stdout_has": ["1 passed, 1 failed\n"]},
    {"args": ["check", "tests/check/severity.kader"], "exit": 1,
     "stdout": "tests/check/severity.kader:3:7: note: claim 'de helft' (p. 3): imprecise: 'de"
               " helft' means at least 49,5% and less than 50,5%, and the data give 47,2%,"
               " within only its loose reading 45% to 55%.\n"
               "tests/check/severity.kader:5:7: claim 'drie op de tien ouders' (p. 5): the data"
               " give 40,0%, outside 29,5% to 30,5% (and every reasonable reading, 27% to 33%).\n"
               "2 passed, 1 failed\n"},
    {"args": ["--format", "json", "check", "--strict", "tests/check/severity.kader"], "exit": 1,
     "stdout_has": ['"ok": false, "message": "claim \'de helft\' (p. 3): imprecise:',
                    '"status": "imprecise"}', '"status": "inconsistent"}',
                    '"passed": 1, "failed": 2}']},
    {"args": ["--format", "json", "check", "tests/check/severity.kader"], "exit": 1,
     "stdout_has": ['"ok": true, "note": true, "message": "claim \'de helft\' (p. 3): imprecise:']},
    # a series: its published total and change that contradict the table
    {"args": ["check", "tests/check/series.kader"], "exit": 1,
     "stdout": "tests/check/series.kader:3:8: Thuiszitters, 2023: gepubliceerd totaal 440,"
               " maar de 2 waarden tellen op tot 430\n"
               "tests/check/series.kader:3:8: Thuiszitters, Zuid, 2019 → 2023: gepubliceerd"
               " 'bijna een kwart hoger' (een stijging), maar het daalde: van 80 naar 60"
               " (-20, -25,0%)\n"
               "0 passed, 2 failed\n"},
    # a model that stops is a failure at its location
    {"args": ["check", "tests/expect/within_units_mismatch.kader"], "exit": 1,
     "stdout": "tests/expect/within_units_mismatch.kader:2:1: the model stopped: cannot"
               " compare h/week and €: they measure different things\n0 passed, 1 failed\n"},
    {"args": ["check", "geen-map"], "exit": 2, "stderr_has": ["kader: cannot find geen-map"]},
    # a directory named with a trailing slash gives its files' paths with
    # one slash (regression: "examples//provincie.kader")
    {"args": ["check", "examples/"], "exit": 1,
     "stdout_has": ["\nexamples/provincie.kader:345:7: claim 'meerderheid'"],
     "stdout_lacks": ["//"]},
    # a fraction where a share is meant stops the model at the figure
    # (today: read as a count, and the check stayed green)
    {"args": ["check", "tests/model/counts_published_fraction.kader"], "exit": 1,
     "stdout": "tests/model/counts_published_fraction.kader:8:22: the model stopped: r:"
               " published 0,275 for 'ja' of 'past' is not a whole count of respondents:"
               " write 27.5% for a share\n0 passed, 1 failed\n"},
    # tables that cannot be right: one finding each
    {"args": ["check", "tests/model/consistency_counts_sum_vs_n.kader"], "exit": 1,
     "stdout": "tests/model/consistency_counts_sum_vs_n.kader:7:11: G, 'Past?': de aantallen"
               " tellen op tot 36, maar gepubliceerd n = 40\n0 passed, 1 failed\n"},
    {"args": ["check", "tests/model/consistency_multi_count_over_n.kader"], "exit": 1,
     "stdout": "tests/model/consistency_multi_count_over_n.kader:9:11: G, 'Gevolgen?': 'taken'"
               " is 53 keer gekozen, door meer dan de n = 40 respondenten (132,5%)\n"
               "0 passed, 1 failed\n"},
    # errors, warnings and findings the library raises are listed at the
    # user's line (issue 13, point 13); a CSV error at its cell and the line
    # that read it
    {"args": ["check", "tests/errors/library_grade.kader"], "exit": 1,
     "stdout": "tests/errors/library_grade.kader:5:11: the model stopped: r: answer 2 to"
               " 'cijfer': grade 11 is outside 1 to 10\n0 passed, 1 failed\n"},
    {"args": ["check", "tests/errors/library_field.kader"], "exit": 1,
     "stdout": "tests/errors/library_field.kader:6:7: the model stopped: task t has no"
               " field 'invited'\n0 passed, 1 failed\n"},
    {"args": ["check", "tests/errors/library_field_type.kader"], "exit": 1,
     "stdout": "tests/errors/library_field_type.kader:6:50: the model stopped: r: the"
               " answers to 'cijfer' must be a list of answers or a record of counts\n"
               "0 passed, 1 failed\n"},
    {"args": ["check", "tests/errors/library_warn_expect.kader"], "exit": 1,
     "stdout": "tests/errors/library_warn_expect.kader:5:1: een bevinding zonder declaratie\n"
               "tests/errors/library_warn_expect.kader:4:6: over de taak\n0 passed, 2 failed\n"},
    {"args": ["check", "tests/model/csv_bad_grade_11.kader"], "exit": 1,
     "stdout": "tests/model/data/grade_11.csv:4:1: the model stopped: column 'cijfer': grade"
               " 11 is outside 1 to 10; read by responses r at"
               " tests/model/csv_bad_grade_11.kader:7:11\n0 passed, 1 failed\n"},
    {"args": ["--format", "json", "check", "tests/errors/library_grade.kader"], "exit": 1,
     "stdout_has": ["\"where\": \"tests/errors/library_grade.kader:5:11\""]},
    # the claims are evaluated after the model ran, with no line of the model
    # running: an error the library raises for one claim is a failure at that
    # claim, and the other claims and findings are still checked (they were
    # dropped, and the error named <stdlib>/claims.kader)
    {"args": ["check", "tests/errors/claim_error.kader"], "exit": 1,
     "stdout": "tests/errors/claim_error.kader:4:7: the claim could not be checked:"
               " division by zero\n"
               "tests/errors/claim_error.kader:5:7: claim '83%': the data give 81,5%"
               " (75 of 92).\n"
               "tests/errors/claim_error.kader:6:7: G: 20 uitgenodigd, maar de populatie"
               " is 10\n0 passed, 3 failed\n"},
]
