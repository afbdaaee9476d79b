"""Sessions at Kader's interactive prompt, run by tests/run.py through
tests/repl_harness.py. Each session is a fresh `kader` on a pseudo-terminal
with its own history directory; every check in a step is one test case.

A session: {"name": ..., "args": [...], "steps": [step(...), ...]} and
optionally "color": True (NO_COLOR is set otherwise), "env": {...},
"history": TEXT (a history file to start with). RESTART as a step ends
nothing by itself: it waits for the REPL to end and starts a new one with
the same history directory. A session with "pipe": TEXT runs without a
terminal, with TEXT on stdin.

Checks look only at what the REPL wrote after the step's keys were sent
(the "screen text"), so a check never matches its own step's input unless
the check is about the echo (completion is checked that way: "whi" Tab
shows "while" only when Tab inserted "le").
"""

from repl_harness import step, RESTART, TAB, ENTER, CTRL_C, CTRL_D, \
    CTRL_R, UP, DOWN

MODEL = "examples/provincie.kader"

SESSIONS = [
    # 1. Tab completion
    {"name": "completion", "steps": [
        step("whi" + TAB, shows="> while"),
        step(CTRL_C, has="^C", ends="> "),
        step("pri" + TAB, shows="> print"),
        step(CTRL_C),
        step("let bewaard_totaal = 5" + ENTER),
        step("bewaard_t" + TAB, shows="> bewaard_totaal"),
        step(ENTER, line="5"),
        step('let r = {naam: "x", uren: 3}' + ENTER),
        step("r.na" + TAB, shows="> r.naam"),
        step(ENTER, line='"x"'),
    ]},
    {"name": "completion of a respondent group field", "steps": [
        step(":load " + MODEL + ENTER, has="Tijdsbesteding per taak"),
        step("swv.comp" + TAB, shows="> swv.complete"),
        step(ENTER, line="40"),
    ]},
    {"name": "completion of a :command", "steps": [
        step(":rel" + TAB, shows="> :reload"),
        step(CTRL_C),
        step(":he" + TAB, shows="> :help"),
        step(CTRL_C),
    ]},
    {"name": "completion of a file name", "steps": [
        step('import "exam' + TAB, shows='> import "examples/'),
        step(CTRL_C),
        step('import "examples/prov' + TAB,
             shows='> import "examples/provincie.kader'),
        step(CTRL_C),
        step(":load examples/prov" + TAB,
             shows="> :load examples/provincie.kader"),
        step(CTRL_C),
    ]},

    # 2. history across restarts
    {"name": "history across a restart", "steps": [
        step("let bewaard = 41" + ENTER),
        step(CTRL_D, exit=0, history_has="let bewaard = 41"),
        RESTART,
        step(UP, shows="> let bewaard = 41"),
        step(ENTER),
        step("bewaard + 1" + ENTER, line="42"),
        step(":quit" + ENTER, exit=0),
    ]},
    {"name": "history without duplicates", "steps": [
        step("1 + 1" + ENTER, line="2"),
        step("2 + 2" + ENTER, line="4"),
        step("1 + 1" + ENTER, line="2",
             history_once="1 + 1", history_count=2),
        step(UP, shows="> 1 + 1"),
        step(UP, shows="> 2 + 2"),
        step(UP, shows="> 2 + 2"),   # the older copy of 1 + 1 is gone
        step(ENTER, line="4"),
        step(CTRL_D, exit=0, history_count=2,
             history_once=("1 + 1", "2 + 2")),
    ]},
    {"name": "history of a multi-line entry", "steps": [
        step("fn f(x) {" + ENTER, ends="... "),
        step("return x * 2" + ENTER, ends="... "),
        step("}" + ENTER, ends="> ",
             history_once="fn f(x) {\\nreturn x * 2\\n}"),
        step('print("a\\nb")' + ENTER, line=("a", "b"),
             history_once='print("a\\\\nb")'),
        step(CTRL_D, exit=0),
        RESTART,
        step(UP, shows='> print("a\\nb")'),
        step(UP, shows="> fn f(x) {\nreturn x * 2\n}"),
        step(ENTER, ends="> "),
        step("f(21)" + ENTER, line="42"),
        step(UP + UP + UP, shows='> print("a\\nb")'),
        step(ENTER, line=("a", "b")),
        step(CTRL_D, exit=0, history_count=3),
    ]},
    {"name": "history search with Ctrl-R", "steps": [
        step('print("gevonden")' + ENTER, line="gevonden"),
        step("1 + 1" + ENTER),
        step(CTRL_R + "gevo", shows='print("gevonden")'),
        step(ENTER, line="gevonden"),
    ]},
    {"name": "history keeps at most 1000 entries",
     "history": "".join("let h{} = {}\n".format(i, i) for i in range(1100)),
     "steps": [
         step(UP, shows="> let h1099 = 1099"),
         step(ENTER),
         step("let laatste = 1" + ENTER),
         step(CTRL_D, exit=0, history_count=1000,
              history_once=("let laatste = 1", "let h1099 = 1099")),
     ]},

    # Ctrl-C on a recalled entry: the next Up starts from the newest entry
    {"name": "ctrl-c after recalling history starts over", "steps": [
        step("let a = 1" + ENTER),
        step("let b = 2" + ENTER),
        step(UP, shows="> let b = 2"),
        step(CTRL_C, ends="> "),
        step(UP, shows="> let b = 2"),
        step(UP, shows="> let a = 1"),
        step(ENTER, ends="> "),
        step(CTRL_D, exit=0, history_count=2,
             history_once=("let a = 1", "let b = 2")),
    ]},
    # ... and the recalled entry stays in the history as it was
    {"name": "ctrl-c after recalling history keeps the entry", "steps": [
        step("let a = 1" + ENTER),
        step("let b = 2" + ENTER),
        step(UP, shows="> let b = 2"),
        step(CTRL_C, ends="> "),
        step("let c = 3" + ENTER),
        step(UP, shows="> let c = 3"),
        step(UP, shows="> let b = 2"),
        step(CTRL_C),
        step(CTRL_D, exit=0, history_count=3,
             history_once=("let a = 1", "let b = 2", "let c = 3")),
    ]},

    # 3. multi-line entries
    {"name": "multi-line function", "steps": [
        step("fn f(x) {" + ENTER, ends="... "),
        step("return x * 2" + ENTER, ends="... "),
        step("}" + ENTER, ends="> "),
        step("f(21)" + ENTER, line="42"),
        step("fn g(x) {" + ENTER, ends="... "),
        step(ENTER, ends="> "),       # an empty line cancels the entry
        step("g" + ENTER, has="'g' is not defined"),
        step("[1," + ENTER, ends="... "),
        step(CTRL_D, ends="> "),      # Ctrl-D cancels it too, and stays
        step("1 +" + ENTER, ends="... "),
        step(CTRL_C, ends="> "),      # and so does Ctrl-C
        step("2 * 3" + ENTER, line="6"),
    ]},

    # 4. an error, then a working line
    {"name": "error then a working line", "steps": [
        step("3 h/week + € 5" + ENTER,
             has=("<repl>:1:", "h/week", "€"), line="      | ^^^^^^^^^^^^^^"),
        step("1 + 1" + ENTER, line="2"),
    ]},

    {"name": "did you mean at the prompt", "steps": [
        step("let totaal_uren = 12" + ENTER),
        step("totaal_uen + 1" + ENTER,
             has="'totaal_uen' is not defined (did you mean 'totaal_uren'?)"),
        step("task t \"Overleg\" { houres: 2 h/week }" + ENTER,
             has="a task has no field 'houres' (did you mean 'hours'?)"),
        step("find_questoin" + ENTER, has="(did you mean 'find_question'?)"),
        step("xyzzy" + ENTER, has="'xyzzy' is not defined", lacks="did you mean"),
    ]},

    # 5. Ctrl-C
    {"name": "ctrl-c interrupts a loop", "steps": [
        step("var n = 0" + ENTER),
        step("while true { n = n + 1 }" + ENTER, until="quiet", wait=0.3,
             lacks="> "),
        step(CTRL_C, has="interrupted", within=1.0, ends="> "),
        step("n > 0" + ENTER, line="true"),
        step("n = 5" + ENTER),
        step("n" + ENTER, line="5"),
    ]},
    {"name": "ctrl-c interrupts a regular expression that backtracks", "steps": [
        step("regex_limits(1000000000, 1000000000)" + ENTER),
        step('test("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", /(a+)+$/)' + ENTER,
             until="quiet", wait=0.3, lacks="> "),
        step(CTRL_C, has="interrupted", within=1.0, ends="> "),
        step('test("ab", /b$/)' + ENTER, line="true"),
    ]},
    {"name": "ctrl-c clears a half-typed line", "steps": [
        step('print("gewist")', shows='> print("gewist")'),
        step(CTRL_C, has="^C", ends="> "),
        step(ENTER, lacks="gewist", ends="> "),
        step("print(1)" + ENTER, line="1"),
    ]},
    {"name": "ctrl-c inside a built-in leaves nothing behind", "steps": [
        step("var xs = []" + ENTER),
        step("for i in 1 to 3000000 { push(xs, (i * 7919) mod 1000003) }"
             + ENTER),
        step("sort(xs); nil" + ENTER, until="quiet", wait=0.15),
        step(CTRL_C, until="prompt"),
        step("print(1)" + ENTER, line="1", lacks="interrupted"),
    ]},

    # 6. the thesis model and the :commands
    {"name": "load the thesis model", "steps": [
        step(":load " + MODEL + ENTER, has="Tijdsbesteding per taak"),
        step("draagvlak_of(kenniscentrum, swv).verdict" + ENTER,
             line='"rood"'),
        step("round(role_hours(rol), 2)" + ENTER, line="12,88 h/week"),
        step("_" + ENTER, line="12,88 h/week"),
        step("_ * 2" + ENTER, line="25,76 h/week"),
        step(":report" + ENTER, has=("Tijdsbesteding", "Wettelijk kader")),
        step(":reload" + ENTER, has="Tijdsbesteding per taak"),
        step("swv.complete" + ENTER, line="40"),
    ]},
    {"name": "commands", "steps": [
        step(":type 3 h/week" + ENTER, line="quantity in h/week"),
        # an error in :type's expression shows what was typed, not the
        # code :type wraps around it
        step(":type nergens" + ENTER, has="'nergens' is not defined",
             lacks="describe_type"),
        step(":doc sum" + ENTER, has="sum(list)"),
        # a doc comment is shown without its comment marks
        step(":doc draagvlak_of" + ENTER, has="The support for task",
             lacks="# The support"),
        step(":doc nergens" + ENTER, line="no documentation for 'nergens'"),
        step(":help" + ENTER,
             has=(":load", ":reload", ":type", ":doc", ":report", ":locale",
                  ":quit")),
        step(":report" + ENTER, line="no role is declared"),
        step(":reload" + ENTER, has="nothing loaded yet"),
        step(":frobnicate" + ENTER, has="unknown command :frobnicate"),
        step("0.5" + ENTER, line="0,5"),
        step(":locale en" + ENTER),
        step("0.5" + ENTER, line="0.5"),
        step(":locale xx" + ENTER, line=":locale takes nl or en"),
        step("7 * 6" + ENTER, line="42"),
        step("let a = 1" + ENTER),
        step("_" + ENTER, line="42"),    # a statement leaves _ alone
        step(":quit" + ENTER, exit=0),
    ]},
    {"name": "ctrl-d on an empty line", "steps": [
        step("1 + 1" + ENTER, line="2"),
        step(CTRL_D, exit=0, lacks="> "),   # no prompt after leaving
    ]},

    # 7. kader -i FILE
    {"name": "-i runs the model then stays", "args": ["-i", MODEL],
     "steps": [
         # the start (the report) is read before the first step
         step("swv.complete" + ENTER, line="40"),
         step("kenniscentrum.label" + ENTER, line='"Kenniscentrum"'),
         step(":reload" + ENTER, has="Tijdsbesteding per taak"),
         step(CTRL_D, exit=0),
     ]},

    # 8. piped input: no prompts, no echo
    {"name": "piped input", "pipe": "let x = 2\nprint(x * 21)\n",
     "stdout": "42\n", "lacks": ["> "]},

    # 9. pretty printing
    {"name": "pretty printing", "steps": [
        step("var xs = []" + ENTER),
        step("for i in 1 to 30 { push(xs, i) }" + ENTER),
        step("xs" + ENTER, line=("[", "  20", "  … (10 more)", "]"),
             lacks="  21"),
        step('let t = {naam: "Kenniscentrum voor thuiszitters", '
             'beschrijving: "Informatie verzamelen en verstrekken", '
             'uren: 3 h/week}' + ENTER),
        step("t" + ENTER, line=("{", '  naam: "Kenniscentrum voor '
                                'thuiszitters"', "  uren: 3 h/week", "}")),
        step("[1, 2, 3]" + ENTER, line="[1; 2; 3]"),
        step("{a: 1}" + ENTER, line="{a: 1}"),
    ]},

    # 10. colour
    {"name": "colour on a terminal", "color": True, "steps": [
        step("1 +" + ENTER, sgr=True, ends="... "),
        step(CTRL_C, sgr=True, ends="> "),
        step("nope" + ENTER, has="runtime error", sgr=True),
    ]},
    {"name": "no colour with NO_COLOR", "steps": [
        step("1 +" + ENTER, sgr=False, ends="... "),
        step(CTRL_C, sgr=False, ends="> "),
        step("nope" + ENTER, has="runtime error", sgr=False),
    ]},

    # 11. the front end's errors (tests/syntax_cases.py has the rest)
    {"name": "front end errors", "steps": [
        step("print(mean([6,5, 7]))" + ENTER,
             has="'6,5' is ambiguous: write 6.5 for one number", ends="> "),
        step("print(mean([6.5, 7]))" + ENTER, line="6,75"),
        step('improt "x"' + ENTER,
             has="'improt' is not a keyword: did you mean 'import'?", ends="> "),
        step("kidn taak { }" + ENTER,
             has="'kidn' is not a keyword: did you mean 'kind'?", ends="> "),
        step("let retrun = 2" + ENTER),
        step("retrun * 21" + ENTER, line="42"),
    ]},

    # 12. a scenario that stops with an error leaves the model as it was
    {"name": "scenario undone after an error", "steps": [
        step('import "tests/scenarios/model.kader"' + ENTER),
        step('scenario s "S" { base: rol, set: {"b.hours": 7 h/week} }' + ENTER),
        step('in_scenario(s, fn () => b.hours)' + ENTER, line="7 h/week"),
        step('in_scenario(s, fn () => error("midden in het scenario"))' + ENTER,
             has="midden in het scenario", ends="> "),
        step("b.hours" + ENTER, line="3 h/week"),
        step('in_scenario(s, fn () => b.hours)' + ENTER, line="7 h/week"),
        # a malformed change after a good one: nothing is changed
        step('with_changes([[b, "hours", 9 h/week], [b, "hours"]], fn () => 1)' + ENTER,
             has="with_changes: change 2 must be", ends="> "),
        step("b.hours" + ENTER, line="3 h/week"),
    ]},
]
