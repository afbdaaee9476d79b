"""Literate models: `kader run paper.md` (interp/literate.c, docs/literate.md).

Each case is a dict as in tests/cli_cases.py. Most are "command" cases that
run the tool through `sh -c` (KADER stands for the interpreter's path) and
then show the paper.out.md it wrote, so stdout is the written file. Every
case writes into its own directory under build/literate-tests/ (the cases
run in parallel, and nothing is written into the repository); the inputs
are in tests/literate/. Run by tests/run.py, which counts each case as one
test.

Regenerate the golden file of the thesis summary, after checking the change:

    ./kader --output build/literate-tests/rapport run examples/literate/rapport.md
    cp build/literate-tests/rapport/rapport.out.md tests/golden/rapport.out.md
"""

from pathlib import Path

OUT = "build/literate-tests"


def run(case, args, paper):
    """KADER ARGS --output OUT/CASE run PAPER, then the .out.md it wrote."""
    name = paper.rsplit("/", 1)[-1][:-3]
    out = "{}/{}".format(OUT, case)
    return ["sh", "-c", "rm -rf {out} && KADER {args} --output {out} run {paper} "
            "&& cat {out}/{name}.out.md".format(out=out, args=args, paper=paper,
                                                name=name)]


def fails(case, paper, args=""):
    """Runs a paper that must fail; exits 99 when a .out.md was written
    anyway, else with kader's own exit code."""
    name = paper.rsplit("/", 1)[-1][:-3]
    out = "{}/{}".format(OUT, case)
    return ["sh", "-c", "rm -rf {out}; KADER {args} --output {out} run {paper}; s=$?; "
            "test -e {out}/{name}.out.md && exit 99; exit $s".format(
                out=out, args=args, paper=paper, name=name)]


STATE = """# Blocks share one state

```kader
let kenniscentrum = 3 h/week + 1 h/week + 3 h/week
print("eerste blok")
```

```text
eerste blok
```

Text between the blocks.

```kader
let overleg = 10 h/quarter
print(round(kenniscentrum + overleg, 2))
print(round((kenniscentrum + overleg) in fte, 3))
```

```text
7,77 h/week
0,216 fte
```

Directly after the second block.

```kader
# no output: nothing is added after this block
let totaal = kenniscentrum + overleg
```

Totaal: 7,77 h/week.
"""

INLINE_HEAD = """# Inline expressions

```kader
let uren = 3 h/week + 10 h/quarter
let kosten = € 5000 to € 40000
let medewerker = € 3378.96 to € 4739.53
```

"""

INLINE_NL = INLINE_HEAD + """Uren 3,77 h/week, kosten € 8.378,96 tot € 44.739,53, een bedrag
€ 13.378,96, een aandeel 27,5%, een getal 1234,5, tekst
*vet*, een lijst [1,5; 2], niets nil.
Dubbele backticks: 6; over twee regels: 3; in een tabel:

| Post | Bedrag |
|---|---:|
| Totaal | € 40.000 |
"""

INLINE_EN = INLINE_HEAD + """Uren 3.77 h/week, kosten €8,378.96 to €44,739.53, een bedrag
€13,378.96, een aandeel 27.5%, een getal 1234.5, tekst
*vet*, een lijst [1.5, 2], niets nil.
Dubbele backticks: 6; over twee regels: 3; in een tabel:

| Post | Bedrag |
|---|---:|
| Totaal | €40,000 |
"""

REPORT_BLOCK = """# A report in a paper

```kader
task kc "Kenniscentrum" {
  activity verzamelen "Verzamelen" { hours: 3 h/week }
  activity verwerken "Verwerken" { hours: 10 h/quarter }
}
cost opstarten "Opstarten" { amount: € 5000 to € 40000 }
role r "Rol" { tasks: [kc], costs: [opstarten] }
print("voor het rapport")
report(r)
print("na het rapport")
```

```text
voor het rapport
```

"""

REPORT_MD = REPORT_BLOCK + """# Rol

## Tijdsbesteding per taak

| Taak | Uur per week |
|---|---:|
| Kenniscentrum | 3,77 |
| Totaal | 3,77 |

Totaal 3,77 uur per week, 0,10 fte.

## Kosten

| Post | Bron | Bedrag |
|---|---|---:|
| Opstarten |  | € 5.000 tot € 40.000 |
| Totaal incidentele kosten |  | € 5.000 tot € 40.000 |

## Conclusie

De rol vraagt 3,77 uur per week (0,10 fte). De incidentele kosten zijn € 5.000 tot € 40.000; er zijn geen vaste kosten.

```text
na het rapport
```

The end.
"""

# untouched.md as written, but for its one inline expression (in a list
# item), with the output of its one kader block after it
with open(Path(__file__).resolve().parent / "literate" / "untouched.md",
          encoding="utf-8") as f:
    UNTOUCHED = f.read().replace("- a list item with `k: 1 + 1`",
                                 "- a list item with 2") + (
        "\n```text\nthe only block that runs\n```\n")

CASES = [
    # the thesis summary: every number from the model, the report's tables
    # as Markdown; the model's findings name the paper's own lines
    {"command": run("rapport", "", "examples/literate/rapport.md"),
     "stdout_file": "tests/golden/rapport.out.md",
     "stderr_has": ["examples/literate/rapport.md:32:7: warning: Samenwerkingsverbanden: "
                    "de strata tellen voor complete op tot 37, de groep geeft 40",
                    "examples/literate/rapport.md:205:11: warning:"]},
    # a rerun writes the same bytes
    {"command": ["sh", "-c",
                 "KADER --output {o}/again1 run tests/literate/report.md && "
                 "KADER --output {o}/again2 run tests/literate/report.md && "
                 "cmp {o}/again1/report.out.md {o}/again2/report.out.md && echo same"
                 .format(o=OUT)],
     "stdout": "same\n"},
    # blocks run in order in one state; print output keeps its lines in a
    # text block; a block without output gets nothing after it
    {"command": run("state", "", "tests/literate/state.md"), "stdout": STATE},
    # inline expressions: units, ranges, euros, text, lists, nil; double
    # backticks, a span over two lines, in a table cell; Dutch and English
    {"command": run("inline-nl", "", "tests/literate/inline.md"), "stdout": INLINE_NL},
    {"command": run("inline-en", "--locale en", "tests/literate/inline.md"),
     "stdout": INLINE_EN},
    # a report in a paper is Markdown (headings, tables); the block's own
    # print calls around it are text blocks
    {"command": run("report-md", "", "tests/literate/report.md"), "stdout": REPORT_MD},
    # --format given explicitly: the report as aligned text, in one text
    # block with the prints around it
    {"command": run("report-text", "--format text", "tests/literate/report.md"),
     "stdout_has": ["```text\nvoor het rapport\nRol\n\nTijdsbesteding per taak\n  Taak ",
                    "  Totaal                 3,77\n", "na het rapport\n```\n\nThe end.\n"],
     "stdout_lacks": ["| Taak |", "## "]},
    {"command": run("report-json", "--format json", "tests/literate/report.md"),
     "stdout_has": ["```text\nvoor het rapport\n```\n\n```json\n{\"title\": \"Rol\""]},
    # other fenced blocks, indented code, code spans that are no expression
    # and escaped backticks stay exactly as they were
    {"command": run("untouched", "", "tests/literate/untouched.md"),
     "stdout": UNTOUCHED},
    {"command": run("untouched-list", "", "tests/literate/untouched.md"),
     "stdout_has": ["- a list item with 2\n",
                    "      indented under the item: `k: 2 + 2`\n",
                    "    `k: 2` in an indented code block\n",
                    "print(\"`k: 1 + 1`\")\n", "this is not run: `k: 1`\n",
                    "`` `k: 1` ``", "\\`k: 1\\`", "`K: 1`"]},
    # a paper without blocks or inline expressions comes out byte for byte
    {"command": ["sh", "-c",
                 "rm -rf {o}/noblocks && KADER --output {o}/noblocks run "
                 "tests/literate/noblocks.md && cmp tests/literate/noblocks.md "
                 "{o}/noblocks/noblocks.out.md && echo same".format(o=OUT)],
     "stdout": "same\n"},
    # without --output the .out.md goes beside the paper
    {"command": ["sh", "-c",
                 "rm -rf {o}/beside && mkdir -p {o}/beside && cp tests/literate/state.md "
                 "{o}/beside/ && KADER run {o}/beside/state.md && "
                 "cmp {o}/beside/state.out.md - && echo beside".format(o=OUT)],
     "stdin": STATE, "stdout": "beside\n"},
    # errors: at the paper's own line and column, with its line and a caret;
    # exit 1 (runtime) or 2 (syntax), and no .out.md
    {"command": fails("error-block", "tests/literate/error-block.md"), "exit": 1,
     "stdout": "",
     "stderr_has": ["tests/literate/error-block.md:8:9: runtime error: cannot add h/week and €",
                    "    8 | let x = uren + € 5\n      |         ^^^^^^^^^^\n"]},
    {"command": fails("syntax-block", "tests/literate/syntax-block.md"), "exit": 2,
     "stderr_has": ["tests/literate/syntax-block.md:5:13: error: expected an expression",
                    "    5 | let x = (3 +\n"]},
    {"command": fails("error-inline", "tests/literate/error-inline.md"), "exit": 1,
     "stderr_has": ["tests/literate/error-inline.md:7:19: runtime error: cannot add h/week and €",
                    "    7 | Het totaal is `k: uren + € 5` per week.\n"
                    "      |                   ^^^^^^^^^^\n"]},
    {"command": fails("error-function", "tests/literate/error-function.md"), "exit": 1,
     "stderr_has": ["tests/literate/error-function.md:5:10: runtime error: cannot convert €",
                    "    at per_week (tests/literate/error-function.md:5:10)\n"
                    "    at top level (tests/literate/error-function.md:9:15)\n"]},
    {"command": fails("statement-inline", "tests/literate/statement-inline.md"), "exit": 2,
     "stderr_has": ["tests/literate/statement-inline.md:3:5: error: `k:` takes one "
                    "expression; statements belong in a ```kader block",
                    "    3 | Zie `k: let y = 3` hier.\n      |     ^^^^^^^^^^^^^^\n"]},
    {"command": fails("unclosed", "tests/literate/unclosed.md"), "exit": 2,
     "stderr_has": ["tests/literate/unclosed.md:3:1: error: this ```kader block is never closed"]},
    {"args": ["run", "tests/literate/geen-paper.md"], "exit": 2,
     "stderr_has": ["kader: cannot read tests/literate/geen-paper.md: No such file"]},
]
