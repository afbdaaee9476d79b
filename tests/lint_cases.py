"""The static checks of `kader check` (interp/lint.c), as a user runs them
(a case as in tests/cli_cases.py): what it finds without running a model,
one line per finding before what running the model finds.

The inputs are tests/lint/*.lint, not .kader: most of them do not run
cleanly, and the language test runner takes every tests/**/*.kader; an
explicitly named file is checked whatever its extension."""

CASES = [
    # 1. undefined names, kinds and units; a name used before its definition
    {"args": ["check", "tests/lint/undefined.lint"], "exit": 1,
     "stdout": "tests/lint/undefined.lint:3:22: 'totaal_uren' is not defined\n"
               "tests/lint/undefined.lint:4:7: 'later' is used before it is defined"
               " (on line 5)\n"
               "tests/lint/undefined.lint:6:1: there is no kind 'taks' (did you mean 'task'?)\n"
               "tests/lint/undefined.lint:7:9: unit 'uurr' is not defined\n"
               "tests/lint/undefined.lint:4:7: the model stopped: 'later' is not defined\n"
               "0 passed, 5 failed\n"},
    # 2. units that measure different things, in code that never runs
    {"args": ["check", "tests/lint/units.lint"], "exit": 1,
     "stdout": "tests/lint/units.lint:4:22: cannot add h/week and €: they measure"
               " different things\n"
               "tests/lint/units.lint:5:23: cannot convert h/week to €: they measure"
               " different things\n"
               "tests/lint/units.lint:6:25: cannot compare h/week and €: they measure"
               " different things\n"
               "tests/lint/units.lint:7:22: a range cannot run between € and h: they"
               " measure different things\n"
               "tests/lint/units.lint:8:25: cannot add h and a plain number: give the"
               " number a unit\n"
               "tests/lint/units.lint:9:28: cannot convert a plain number to h/week:"
               " write the unit after the number\n"
               "tests/lint/units.lint:11:23: field 'hours' of a task must be in h/week,"
               " not €\n"
               "0 passed, 7 failed\n"},
    # 3. fields a kind does not have (the model's own kind and the library's)
    {"args": ["check", "tests/lint/fields.lint"], "exit": 1,
     "stdout": "tests/lint/fields.lint:9:3: an overleg has no field 'deelnemer'"
               " (did you mean 'deelnemers'?)\n"
               "tests/lint/fields.lint:12:46: field 'amount' is given twice\n"
               "tests/lint/fields.lint:16:3: a task has no field 'houres'"
               " (did you mean 'hours'?)\n"
               "tests/lint/fields.lint:9:3: the model stopped: an overleg has no field"
               " 'deelnemer' (did you mean 'deelnemers'?)\n"
               "0 passed, 4 failed\n"},
    # 4. let, var and fn never used, top level and local; not _names; named
    # declarations nothing refers to, unless their kind is collected with
    # declarations(kind) or on_declare (claims)
    {"args": ["check", "tests/lint/unused.lint"], "exit": 1,
     "stdout": "tests/lint/unused.lint:3:5: 'ongebruikt' is never used\n"
               "tests/lint/unused.lint:4:5: 'teller' is never used\n"
               "tests/lint/unused.lint:5:4: 'helper' is never used\n"
               "tests/lint/unused.lint:6:4: 'aftellen' is never used\n"
               "tests/lint/unused.lint:11:7: 'tussen' is never used\n"
               "tests/lint/unused.lint:12:6: 'lokaal' is never used\n"
               "tests/lint/unused.lint:18:6: task 'vergeten' is never used:"
               " nothing refers to it\n"
               "tests/lint/unused.lint:22:8: cost 'los' is never used:"
               " nothing refers to it\n"
               "1 passed, 8 failed\n"},
    # 5. code after return, break or continue (once per block)
    {"args": ["check", "tests/lint/unreachable.lint"], "exit": 1,
     "stdout": "tests/lint/unreachable.lint:6:7: this code is never reached: it follows"
               " a return\n"
               "tests/lint/unreachable.lint:9:5: this code is never reached: it follows"
               " a continue\n"
               "tests/lint/unreachable.lint:18:3: this code is never reached: it follows"
               " a break\n"
               "0 passed, 3 failed\n"},
    {"args": ["--format", "json", "check", "tests/lint/unreachable.lint"], "exit": 1,
     "stdout_has": ["{\"where\": \"tests/lint/unreachable.lint:6:7\", \"kind\":"
                    " \"unreachable\", \"ok\": false, \"message\": \"this code is never"
                    " reached: it follows a return\"}", "\"passed\": 0, \"failed\": 3}"]},
    # what must not be a finding: a name used before its definition in a
    # function, compatible units, library kinds' fields, names used only in a
    # nested function, recursion, loop variables, _names, declarations found
    # with declarations(kind), a kind holding its own kind, a library name
    # taken for the model's own
    {"args": ["check", "tests/lint/clean.lint"], "stdout": "0 passed, 0 failed\n"},
    # a syntax error is one finding, at its place; the model is not run
    {"args": ["check", "tests/lint/syntax.lint"], "exit": 1,
     "stdout": "tests/lint/syntax.lint:3:5: expected a name after 'let', found '='\n"
               "0 passed, 1 failed\n"},
    {"args": ["--format", "json", "check", "tests/lint/syntax.lint"], "exit": 1,
     "stdout_has": ["\"kind\": \"error\""]},
    # imports: their names, kinds and units count, and suggest
    {"args": ["check", "tests/lint/import/model.lint"], "exit": 1,
     "stdout": "tests/lint/import/model.lint:5:26: 'per_weak' is not defined"
               " (did you mean 'per_week'?)\n"
               "tests/lint/import/model.lint:6:28: a werkplek has no field 'oppervlak'"
               " (did you mean 'oppervlakte'?)\n"
               "tests/lint/import/model.lint:6:28: the model stopped: a werkplek has no"
               " field 'oppervlak' (did you mean 'oppervlakte'?)\n"
               "0 passed, 3 failed\n"},
    # a module checked on its own: its unused top-level names are reported...
    {"args": ["check", "tests/lint/import/lib.lint"], "exit": 1,
     "stdout": "tests/lint/import/lib.lint:4:4: 'per_week' is never used\n"
               "tests/lint/import/lib.lint:5:4: 'nergens_gebruikt' is never used\n"
               "0 passed, 2 failed\n"},
    # ...but not when a file being checked with it imports it
    {"args": ["check", "tests/lint/import/model.lint", "tests/lint/import/lib.lint"],
     "exit": 1, "stdout_lacks": ["never used"], "stdout_has": ["0 passed, 3 failed\n"]},
    # an import cycle ends the checks; running reports the cycle
    {"args": ["check", "tests/lint/import/cycle_a.lint"], "exit": 1,
     "stdout": "tests/lint/import/cycle_b.lint:1:1: the model stopped: import cycle:"
               " cycle_a.lint imports cycle_b.lint, which imports cycle_a.lint\n"
               "0 passed, 1 failed\n"},
    # an import that cannot be read may define anything: no undefined names
    {"args": ["check", "tests/lint/import/missing.lint"], "exit": 1,
     "stdout_lacks": ["is not defined"], "stdout_has": ["cannot import", "0 passed, 1 failed"]},
    # the examples have no static findings
    {"args": ["check", "examples/legal", "examples/csv.kader",
              "examples/open-antwoorden.kader"], "stdout_lacks": ["never", "not defined",
                                                                 "no field", "measure"]},
    # a file and an import that start with a UTF-8 byte order mark
    {"args": ["check", "tests/language/errors/byte_order_mark.kader",
              "tests/language/imports/byte_order_mark.kader"],
     "stdout": "0 passed, 0 failed\n"},
]
