"""Coding open answers: examples/open-antwoorden.kader reads the verbatim open
answers of appendix III and IV (examples/data/open-antwoorden.csv), codes
them with a codebook and reports a frequency table per task and group.

Same case format as tests/cli_cases.py (run by tests/run.py). Regenerate the
golden file, after checking the change, with

    ./kader examples/open-antwoorden.kader > tests/golden/open-antwoorden.txt
"""

CASES = [
    {"args": ["examples/open-antwoorden.kader"],
     "stdout_file": "tests/golden/open-antwoorden.txt",
     "stderr_file": "tests/golden/empty"},
    # Markdown: one section per task, the frequency table with a column per
    # group, the uncoded answers as a list, and the comparison with the thesis
    {"args": ["--format", "md", "examples/open-antwoorden.kader"],
     "stdout_has": [
         "# Open antwoorden: wat zou u aan de omschrijving",
         "## Taak: Kenniscentrum",
         "## Codering: Thema's in de open antwoorden",
         "| Code | swv | provincies | Totaal |",
         "|---|---:|---:|---:|",
         "| Geen taak voor de provincie | 17 van de 32 (53,1%) | 3 van de 3 (100%) |",
         "## Niet gecodeerd (5)",
         "- Snel kunnen schakelen en handelen is een must",
         "**Regio overstijgende overleggen**",
         "- scriptie: elf van de veertig zagen geen meerwaarde; "
         "Kader (geen meerwaarde / niet nodig): 10 van de 40 (25%)",
     ],
     "stdout_lacks": ["\x1b[", "====="]},
    # JSON: one document, the coding of all answers together (it starts with
    # the coding flag; no text headings before or after it)
    {"args": ["--format", "json", "examples/open-antwoorden.kader"],
     "stdout_has": ['{"coding": true, "codebook": "Thema\'s in de open antwoorden", "total": 220, "n": 184, "no_answer": 36',
                    '"task": "kenniscentrum"', '"group": "provincies"',
                    '"code": "geen_meerwaarde"'],
     "stdout_lacks": ["Taak:", "scriptie:", "\n{"]},
]
