"""`kader test` as a reviewer runs it in CI (a case as in tests/cli_cases.py):
one line per failed expectation, located; models' own output hidden; a
model that stops counts as a failure; "N passed, N failed" last; exit 1 on
any failure."""

CASES = [
    {"args": ["test", "tests/expect/pass.kader"], "stdout": "8 passed, 0 failed\n"},
    {"args": ["test", "examples/provincie.kader"], "stdout": "5 passed, 0 failed\n"},
    {"args": ["test", "tests/expect/pass.kader", "tests/expect/fail_text.kader"],
     "exit": 1,
     "stdout": "tests/expect/fail_text.kader:3:1: niveau: expected \"Onvoldoende\","
               " got \"Ruim onvoldoende\"\n8 passed, 1 failed\n"},
    # a directory: every .kader file under it, sorted; errors are failures
    {"args": ["test", "tests/expect"], "exit": 1,
     "stdout_has": [
         "tests/expect/fail_order.kader:3:1: uren: expected <= 8 h/week, got 9 h/week\n",
         "tests/expect/within_only_equality.kader:2:35: the model stopped: 'within'"
         " gives a tolerance for == and != only\n",
         "tests/expect/within_units_mismatch.kader:2:1: the model stopped: cannot"
         " compare h/week and €: they measure different things\n",
         "9 passed, 8 failed\n"],
     "stdout_lacks": ["klaar", "de rest loopt door"]},
    {"args": ["--locale", "en", "test", "tests/expect/english.kader"], "exit": 1,
     "stdout": "tests/expect/english.kader:3:1: 1234.5 €: expected €1,234.40 within"
               " €0.05, got €1,234.50\n0 passed, 1 failed\n"},
    {"args": ["--format", "json", "test", "tests/expect/fail_order.kader"], "exit": 1,
     "stdout": "{\"files\": [\"tests/expect/fail_order.kader\"], \"passed\": 0,"
               " \"failed\": 1, \"failures\": [{\"file\": \"tests/expect/fail_order.kader\","
               " \"line\": 3, \"column\": 1, \"message\": \"uren: expected <= 8 h/week,"
               " got 9 h/week\"}]}\n"},
    {"args": ["test", "bestaat-niet"], "exit": 2,
     "stderr_has": ["kader: cannot find bestaat-niet"]},
    # a plain run of a model with a failing expectation: shown, exit 1
    {"args": ["tests/expect/fail_order.kader"], "exit": 1,
     "stderr_has": ["tests/expect/fail_order.kader:3:1: expectation failed: uren:"
                    " expected <= 8 h/week, got 9 h/week"]},
    # an error the library raises stops the model at the user's line (issue
    # 13, point 13); a CSV error at its cell and the line that read it
    {"args": ["test", "tests/errors/library_grade.kader"], "exit": 1,
     "stdout": "tests/errors/library_grade.kader:5:11: the model stopped: r: answer 2 to"
               " 'cijfer': grade 11 is outside 1 to 10\n0 passed, 1 failed\n"},
    {"args": ["test", "tests/errors/library_field.kader"], "exit": 1,
     "stdout": "tests/errors/library_field.kader:6:7: the model stopped: task t has no"
               " field 'invited'\n0 passed, 1 failed\n"},
    {"args": ["test", "tests/errors/library_field_type.kader"], "exit": 1,
     "stdout": "tests/errors/library_field_type.kader:6:50: the model stopped: r: the"
               " answers to 'cijfer' must be a list of answers or a record of counts\n"
               "0 passed, 1 failed\n"},
    {"args": ["test", "tests/errors/library_warn_expect.kader"], "stdout": "3 passed, 0 failed\n"},
    {"args": ["test", "tests/model/csv_bad_grade_11.kader"], "exit": 1,
     "stdout": "tests/model/data/grade_11.csv:4:1: the model stopped: column 'cijfer': grade"
               " 11 is outside 1 to 10; read by responses r at"
               " tests/model/csv_bad_grade_11.kader:7:11\n0 passed, 1 failed\n"},
    {"args": ["--format", "json", "test", "tests/errors/library_grade.kader"], "exit": 1,
     "stdout_has": ["\"file\": \"tests/errors/library_grade.kader\", \"line\": 5,"
                    " \"column\": 11"]},
]
